/**
 * A Rollout's phase in Glidepath's terms, and why it is paused or aborted.
 */
import type { ReleasePhase } from '@glidepath/backstage-plugin-common';
import type { AnalysisRun } from '../resources/analysisRun';
import type { Rollout } from '../resources/rollout';
import { seconds } from './time';

/** Whether the controller has seen the latest spec (Argo's isGenerationObserved). */
export function isGenerationObserved(rollout: Rollout): boolean {
  const observed = rollout.status.observedGeneration;
  const generation = rollout.meta.generation;
  // A hash (v0.9) or no number at all: Argo treats it as observed.
  if (observed === null || generation === null) return true;
  return observed >= generation;
}

const PAUSE_REASONS: Record<string, string> = {
  BlueGreenPause: 'the preview waits for a promote',
  InconclusiveAnalysisRun:
    'an analysis was inconclusive: promote to go on, or abort',
  InconclusiveExperiment:
    'an experiment was inconclusive: promote to go on, or abort',
};

/**
 * The inconclusive analysis runs of the newest revision, with their
 * measurements counted as the kubectl plugin prints them (✔ 4,✖ 4,? 1,⚠ 1).
 */
function inconclusiveRuns(rollout: Rollout, runs: AnalysisRun[]): string[] {
  const names = new Set<string>();
  const described: string[] = [];
  for (const run of runs) {
    if (run.phase !== 'Inconclusive') continue;
    const current =
      (run.revision !== null && run.revision === rollout.revision) ||
      (run.podTemplateHash !== null &&
        run.podTemplateHash === rollout.status.currentPodHash);
    if (!current) continue;
    const sum = (key: 'successful' | 'failed' | 'inconclusive' | 'error') =>
      run.metrics.reduce((total, m) => total + m[key], 0);
    names.add(run.meta.name);
    described.push(
      `${run.meta.name}: ${sum('successful')} successful, ${sum(
        'failed',
      )} failed, ${sum('inconclusive')} inconclusive, ${sum('error')} error${
        sum('error') === 1 ? '' : 's'
      }${run.message ? `; ${run.message}` : ''}`,
    );
  }
  const refs = rollout.status.analysisRuns;
  for (const ref of [refs.currentStep, refs.background]) {
    if (ref?.status === 'Inconclusive' && !names.has(ref.name)) {
      described.push(`${ref.name}${ref.message ? `: ${ref.message}` : ''}`);
    }
  }
  return described;
}

/**
 * Why the rollout is paused, in words; an inconclusive analysis names its
 * run when `runs` (the Rollout's AnalysisRuns) has it.
 * @public
 */
export function pauseReasons(
  rollout: Rollout,
  runs: AnalysisRun[] = [],
): string[] {
  const reasons: string[] = [];
  if (rollout.paused) reasons.push('paused by hand (spec.paused)');
  const { strategy, status } = rollout;
  for (const condition of status.pauseConditions) {
    if (condition.reason === 'CanaryPauseStep' && strategy.type === 'canary') {
      const index = status.currentStepIndex ?? 0;
      const step = strategy.steps[index];
      const duration =
        step && step.type === 'pause' && step.durationSeconds !== null
          ? ` for ${seconds(step.durationSeconds)}`
          : ': waits for a promote';
      reasons.push(
        `paused at step ${index + 1} of ${strategy.steps.length}${duration}`,
      );
    } else if (
      condition.reason === 'BlueGreenPause' &&
      strategy.type === 'blueGreen' &&
      strategy.autoPromotionSeconds !== null
    ) {
      reasons.push(
        `the preview promotes itself after ${seconds(
          strategy.autoPromotionSeconds,
        )}`,
      );
    } else if (condition.reason === 'InconclusiveAnalysisRun') {
      const inconclusive = inconclusiveRuns(rollout, runs);
      reasons.push(
        inconclusive.length
          ? `an analysis was inconclusive (${inconclusive.join(
              '; ',
            )}): promote to go on, or abort`
          : PAUSE_REASONS.InconclusiveAnalysisRun,
      );
    } else {
      reasons.push(PAUSE_REASONS[condition.reason] ?? condition.reason);
    }
  }
  return reasons;
}

/** Why the rollout was aborted, if it was. @public */
export function abortMessage(rollout: Rollout): string | null {
  if (!rollout.status.abort) return null;
  const condition = rollout.status.conditions.find(
    c => c.reason === 'RolloutAborted',
  );
  if (condition?.message) return condition.message;
  const runs = rollout.status.analysisRuns;
  for (const ref of [
    runs.currentStep,
    runs.background,
    runs.prePromotion,
    runs.postPromotion,
  ]) {
    if (ref?.message && ref.status !== 'Successful') return ref.message;
  }
  return rollout.status.message ?? 'aborted';
}

/**
 * The Glidepath phase of a Rollout's newest revision. `status.phase` (Argo
 * Rollouts 1.0+) is trusted only when `status.observedGeneration` matches
 * `metadata.generation`; before that the controller has not acted on the
 * latest spec and the rollout is progressing. Without `status.phase` (older
 * controllers) the phase is worked out from the conditions, pauses and
 * replica counts, as the kubectl plugin does.
 * @public
 */
export function rolloutPhase(
  rollout: Rollout,
  runs: AnalysisRun[] = [],
): {
  phase: ReleasePhase;
  message: string | null;
} {
  const result = phaseOf(rollout, runs);
  // A rollout that failed or was aborted can be paused as well (on an
  // inconclusive analysis, say): the message says both.
  const paused = pauseReasons(rollout, runs);
  if (
    (result.phase === 'failed' || result.phase === 'aborted') &&
    paused.length
  ) {
    const text = result.message ?? '';
    let glue = '';
    if (text) glue = /[.!]$/.test(text) ? ' ' : '. ';
    return {
      phase: result.phase,
      message: `${text}${glue}Paused: ${paused.join('; ')}`,
    };
  }
  return result;
}

function phaseOf(
  rollout: Rollout,
  runs: AnalysisRun[],
): {
  phase: ReleasePhase;
  message: string | null;
} {
  const { status, strategy } = rollout;
  if (!isGenerationObserved(rollout)) {
    return {
      phase: 'progressing',
      message: `waiting for the controller to observe generation ${rollout.meta.generation} (it has seen ${status.observedGeneration})`,
    };
  }
  if (status.controllerPause && status.pauseConditions.length === 0) {
    return {
      phase: 'progressing',
      message: 'waiting for the rollout to unpause',
    };
  }
  const aborted = abortMessage(rollout);
  const paused = pauseReasons(rollout, runs);

  if (status.phase) {
    switch (status.phase) {
      case 'Healthy':
        return { phase: 'succeeded', message: status.message };
      case 'Paused':
        return {
          phase: 'paused',
          message: paused.length
            ? `Paused: ${paused.join('; ')}`
            : status.message,
        };
      case 'Degraded':
        if (aborted !== null) {
          return { phase: 'aborted', message: `Aborted: ${aborted}` };
        }
        return { phase: 'failed', message: status.message };
      case 'Progressing':
        return { phase: 'progressing', message: status.message };
      default:
        return {
          phase: 'progressing',
          message: `Argo Rollouts reports the phase "${status.phase}"${
            status.message ? `: ${status.message}` : ''
          }`,
        };
    }
  }

  for (const condition of status.conditions) {
    if (condition.type === 'InvalidSpec') {
      return { phase: 'failed', message: `InvalidSpec: ${condition.message}` };
    }
    if (condition.reason === 'RolloutAborted') {
      return {
        phase: 'aborted',
        message: `Aborted: ${aborted ?? condition.message}`,
      };
    }
    if (condition.reason === 'ProgressDeadlineExceeded') {
      return {
        phase: 'failed',
        message: `ProgressDeadlineExceeded: ${condition.message}`,
      };
    }
  }
  if (aborted !== null)
    return { phase: 'aborted', message: `Aborted: ${aborted}` };
  if (paused.length)
    return { phase: 'paused', message: `Paused: ${paused.join('; ')}` };
  if (status.updatedReplicas < rollout.replicas) {
    return {
      phase: 'progressing',
      message: 'more replicas need to be updated',
    };
  }
  if (status.availableReplicas < status.updatedReplicas) {
    return {
      phase: 'progressing',
      message: 'updated replicas are still becoming available',
    };
  }
  const promoted =
    status.stableRS !== null && status.stableRS === status.currentPodHash;
  if (strategy.type === 'blueGreen') {
    if (
      !status.activeSelector ||
      status.activeSelector !== status.currentPodHash
    ) {
      return {
        phase: 'progressing',
        message: 'active service cutover pending',
      };
    }
    if (!promoted) {
      return {
        phase: 'progressing',
        message: 'waiting for post-promotion analysis or verification',
      };
    }
  } else {
    if (!strategy.trafficRouting && status.replicas > status.updatedReplicas) {
      return {
        phase: 'progressing',
        message: 'old replicas are pending termination',
      };
    }
    if (!promoted) {
      return {
        phase: 'progressing',
        message: 'waiting for all steps to complete',
      };
    }
  }
  return { phase: 'succeeded', message: null };
}

/**
 * Why a Rollout that never started cannot be a release: the controller
 * rejected its spec (an `InvalidSpec` condition) before it made a revision
 * or a ReplicaSet, so there is no version and nothing runs. Null for any
 * other Rollout; one that has revisions keeps them as releases (the newest
 * failed, with the condition's message).
 * @public
 */
export function invalidSpecProblem(
  rollout: Rollout,
  replicaSetCount: number,
): string | null {
  if (rollout.revision !== null || replicaSetCount > 0) return null;
  const condition = rollout.status.conditions.find(
    c => c.type === 'InvalidSpec' && c.status !== 'False',
  );
  if (!condition) return null;
  return `the controller rejected the Rollout's spec (InvalidSpec), so it has no revision and runs no pods: ${
    condition.message ?? condition.reason ?? 'no message'
  }`;
}
