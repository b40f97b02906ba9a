/**
 * A release's steps: a canary's, a rolling update's or a blue-green's, and
 * the step the controller is at.
 */
import type {
  ReleasePhase,
  ReleaseStep,
} from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import type { ReplicaSet } from '../resources/replicaSet';
import type { Rollout } from '../resources/rollout';
import type { CanaryStep } from '../resources/strategy';
import { COMPLETED_ANALYSIS } from './analysisRuns';
import { seconds } from './time';

/** A release step before it is numbered. */
export type Step = Omit<ReleaseStep, 'index'>;

/** Glidepath's reading of one canary step. @public */
export function describeCanaryStep(step: CanaryStep): Step {
  switch (step.type) {
    case 'setWeight':
      return {
        kind: 'set_weight',
        weight: step.weight,
        durationSeconds: null,
        description: `Set the canary weight to ${step.weight}%`,
        status: 'pending',
      };
    case 'pause':
      return {
        kind: 'pause',
        weight: null,
        durationSeconds: step.durationSeconds,
        description:
          step.durationSeconds === null
            ? 'Pause until promoted'
            : `Pause for ${seconds(step.durationSeconds)}`,
        status: 'pending',
      };
    case 'analysis':
      return {
        kind: 'analysis',
        weight: null,
        durationSeconds: null,
        description: `Analysis: ${
          step.templates.join(', ') || '(no template)'
        }`,
        status: 'pending',
      };
    case 'experiment':
      return {
        kind: 'analysis',
        weight: null,
        durationSeconds: step.durationSeconds,
        description: `Experiment: ${step.templates
          .map(t => `${t.name} (${t.specRef})`)
          .join(', ')}${
          step.analyses.length ? `; analyses ${step.analyses.join(', ')}` : ''
        }${
          step.durationSeconds !== null
            ? `; for ${seconds(step.durationSeconds)}`
            : ''
        }`,
        status: 'pending',
      };
    default:
      return {
        kind: 'set_weight',
        weight: null,
        durationSeconds: null,
        description: `${step.name}: ${step.summary}`,
        status: 'pending',
      };
  }
}

/** The step the controller is at (Argo's GetCurrentCanaryStep); null past the last. */
export function currentCanaryStep(rollout: Rollout): number | null {
  if (rollout.strategy.type !== 'canary') return null;
  const index = rollout.status.currentStepIndex ?? 0;
  return index < rollout.strategy.steps.length ? index : null;
}

function canarySteps(
  rollout: Rollout,
  version: string,
): { steps: Step[]; strategy: 'canary' | 'rolling' } {
  if (rollout.strategy.type !== 'canary')
    return { steps: [], strategy: 'canary' };
  if (rollout.strategy.steps.length === 0) {
    // A canary without steps replaces pods like a Deployment's rolling update.
    return {
      strategy: 'rolling',
      steps: [
        {
          kind: 'set_weight',
          weight: 100,
          durationSeconds: null,
          description: `Replace the pods with ${version}`,
          status: 'pending',
        },
      ],
    };
  }
  return {
    strategy: 'canary',
    steps: rollout.strategy.steps.map(describeCanaryStep),
  };
}

function blueGreenPlan(
  rollout: Rollout,
  version: string,
  preview: ReplicaSet | null,
): { steps: Step[]; index: number } {
  const strategy = rollout.strategy;
  if (strategy.type !== 'blueGreen') return { steps: [], index: 0 };
  const { status } = rollout;
  const steps: Step[] = [];
  const at: Record<string, number> = {};
  const add = (name: string, step: Omit<Step, 'status'>) => {
    at[name] = steps.length;
    steps.push({ ...step, status: 'pending' });
  };
  add('preview', {
    kind: 'preview',
    weight: 0,
    durationSeconds: null,
    description: `Deploy ${version} as the preview, with no traffic`,
  });
  if (strategy.prePromotionAnalysis.length) {
    add('pre', {
      kind: 'analysis',
      weight: null,
      durationSeconds: null,
      description: `Pre-promotion analysis: ${strategy.prePromotionAnalysis.join(
        ', ',
      )}`,
    });
  }
  if (!strategy.autoPromotionEnabled) {
    add('pause', {
      kind: 'pause',
      weight: null,
      durationSeconds: null,
      description: 'Pause until promoted',
    });
  } else if (strategy.autoPromotionSeconds !== null) {
    add('pause', {
      kind: 'pause',
      weight: null,
      durationSeconds: strategy.autoPromotionSeconds,
      description: `Promote after ${seconds(strategy.autoPromotionSeconds)}`,
    });
  }
  add('switch', {
    kind: 'switch',
    weight: 100,
    durationSeconds: null,
    description: `Switch the active service to ${version}`,
  });
  if (strategy.postPromotionAnalysis.length) {
    add('post', {
      kind: 'analysis',
      weight: null,
      durationSeconds: null,
      description: `Post-promotion analysis: ${strategy.postPromotionAnalysis.join(
        ', ',
      )}`,
    });
  }

  let index: number;
  const pre = status.analysisRuns.prePromotion;
  if (
    status.activeSelector !== null &&
    status.activeSelector === status.currentPodHash
  ) {
    index = at.post ?? at.switch;
  } else if (
    status.pauseConditions.some(c => c.reason === 'BlueGreenPause') &&
    at.pause !== undefined
  ) {
    index = at.pause;
  } else if (
    !preview ||
    preview.availableReplicas < Math.max(preview.replicas, 1)
  ) {
    index = at.preview;
  } else if (
    at.pre !== undefined &&
    !(pre && COMPLETED_ANALYSIS.has(pre.status))
  ) {
    index = at.pre;
  } else {
    index = at.pause ?? at.switch;
  }
  return { steps, index };
}

/**
 * The release's steps, each with its status, its strategy and the index of
 * the step it is at (null once it is done or aborted).
 */
export function releaseSteps(options: {
  rollout: Rollout;
  version: string;
  currentRS: ReplicaSet | null;
  phase: ReleasePhase;
  fullyPromoted: boolean;
}): {
  steps: Step[];
  strategy: ObservedRelease['strategy'];
  currentStepIndex: number | null;
} {
  const { rollout, phase, fullyPromoted } = options;
  let steps: Step[];
  let index: number | null;
  let strategy: ObservedRelease['strategy'];
  if (rollout.strategy.type === 'canary') {
    const plan = canarySteps(rollout, options.version);
    steps = plan.steps;
    strategy = plan.strategy;
    index = plan.strategy === 'rolling' ? 0 : currentCanaryStep(rollout);
  } else {
    const plan = blueGreenPlan(rollout, options.version, options.currentRS);
    steps = plan.steps;
    strategy = 'blue_green';
    index = plan.index;
  }
  const done = fullyPromoted || phase === 'succeeded';
  // An aborted or failed release runs no step any more: the step it stopped
  // at and those after it are skipped.
  const stopped = phase === 'aborted' || phase === 'failed';
  steps = steps.map((step, i) => {
    let stepStatus: ReleaseStep['status'];
    if (done || index === null || i < index) stepStatus = 'completed';
    else if (stopped) stepStatus = 'skipped';
    else stepStatus = i === index ? 'running' : 'pending';
    return { ...step, status: stepStatus };
  });
  const currentStepIndex = done || stopped || index === null ? null : index;
  return { steps, strategy, currentStepIndex };
}
