import type {
  Actor,
  ProviderAnalysisMeasurement,
  ProviderAnalysisMetric,
  ProviderAnalysisRun,
  ReleasePhase,
  ReleaseStep,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import { versionOfTemplate } from './objects';
import type { AnalysisRun, CanaryStep, ReplicaSet, Rollout } from './resources';

/** Who starts Argo Rollouts releases, as far as Glidepath can tell. @public */
export const ARGO_ROLLOUTS_ACTOR: Actor = {
  kind: 'provider',
  ref: 'argo-rollouts',
  displayName: 'Argo Rollouts',
};

type Step = Omit<ReleaseStep, 'index'>;

/** Where a Rollout lives. @public */
export type RolloutLocation = {
  cluster: string;
  namespace: string;
  name: string;
};

/** `<cluster>/<namespace>/<name>`. @public */
export function rolloutKey(location: RolloutLocation): string {
  return `${location.cluster}/${location.namespace}/${location.name}`;
}

/** The release id of one revision: `<cluster>/<namespace>/<name>@<revision>`. @public */
export function releaseId(location: RolloutLocation, revision: number): string {
  return `${rolloutKey(location)}@${revision}`;
}

/** Reads a release id back; null when it is not one of ours. @public */
export function parseReleaseId(
  id: string,
): (RolloutLocation & { revision: number }) | null {
  const match = /^([^/@]+)\/([^/@]+)\/([^/@]+)@(\d+)$/.exec(id);
  if (!match) return null;
  return {
    cluster: match[1],
    namespace: match[2],
    name: match[3],
    revision: Number(match[4]),
  };
}

/** One ReplicaSet of a Rollout and the part it plays. @public */
export type RevisionView = {
  revision: number;
  replicaSet: string;
  podTemplateHash: string | null;
  role: 'canary' | 'stable' | 'preview' | 'active' | 'old';
  images: string[];
  version: string | null;
  replicas: number;
  availableReplicas: number;
};

/** A measurement of an analysis metric with Glidepath's reading of it. @public */
export type MeasurementView = ProviderAnalysisMeasurement;

/** An analysis run's metric with its measurements. @public */
export type MetricView = ProviderAnalysisMetric;

/** An AnalysisRun of a release, and the revision it analysed. @public */
export type AnalysisRunView = ProviderAnalysisRun & {
  revision: number | null;
};

/** Everything Glidepath reads from one Rollout. @public */
export type RolloutView = {
  location: RolloutLocation;
  releases: ObservedRelease[];
  revisions: RevisionView[];
  /** The analysis runs per release id. */
  analysisRuns: Record<string, AnalysisRunView[]>;
  /** Why the rollout is paused: `spec.paused` and the pause conditions. */
  pauseReasons: string[];
  abortMessage: string | null;
  /** The revision being rolled out (the newest). */
  currentRevision: number;
  /** The stable revision, if there is one. */
  stableRevision: number | null;
  /** True when the stable ReplicaSet is the newest: nothing is in progress. */
  fullyPromoted: boolean;
};

/**
 * Argo's analysis phases as Glidepath verdicts: Successful is a pass, Failed
 * a fail, Inconclusive inconclusive; Error (the measurement itself failed,
 * e.g. the metrics server was down) is no data; Pending and Running have no
 * verdict yet.
 * @public
 */
export function verdictOf(phase: string): Verdict | null {
  switch (phase) {
    case 'Successful':
      return 'pass';
    case 'Failed':
      return 'fail';
    case 'Inconclusive':
      return 'inconclusive';
    case 'Error':
      return 'no_data';
    default:
      return null;
  }
}

const COMPLETED_ANALYSIS = new Set([
  'Successful',
  'Failed',
  'Error',
  'Inconclusive',
]);

/** Maps an AnalysisRun. @public */
export function mapAnalysisRun(run: AnalysisRun): AnalysisRunView {
  return {
    name: run.meta.name,
    revision: run.revision,
    kind: run.rolloutType,
    phase: run.phase,
    verdict: verdictOf(run.phase),
    message: run.message,
    startedAt: run.startedAt,
    metrics: run.metrics.map(metric => ({
      name: metric.name,
      phase: metric.phase,
      verdict: verdictOf(metric.phase),
      count: metric.count,
      successful: metric.successful,
      failed: metric.failed,
      inconclusive: metric.inconclusive,
      error: metric.error,
      message: metric.message,
      successCondition: metric.successCondition,
      failureCondition: metric.failureCondition,
      failureLimit: metric.failureLimit,
      measurements: metric.measurements.map(m => ({
        phase: m.phase,
        verdict: verdictOf(m.phase),
        value: m.value,
        message: m.message,
        startedAt: m.startedAt,
        finishedAt: m.finishedAt,
      })),
    })),
  };
}

/** A run as Glidepath stores it with the release (the release is the revision). */
function withoutRevision(run: AnalysisRunView): ProviderAnalysisRun {
  const { revision: _revision, ...rest } = run;
  return rest;
}

/** "10s", "1m 30s". */
function seconds(value: number): string {
  if (value < 60) return `${value}s`;
  const minutes = Math.floor(value / 60);
  const rest = value % 60;
  if (minutes < 60) return rest ? `${minutes}m ${rest}s` : `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  return restMinutes ? `${hours}h ${restMinutes}m` : `${hours}h`;
}

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

/** Why the rollout is paused, in words. @public */
export function pauseReasons(rollout: Rollout): string[] {
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
export function rolloutPhase(rollout: Rollout): {
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
  const paused = pauseReasons(rollout);

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

/** The step the controller is at (Argo's GetCurrentCanaryStep); null past the last. */
function currentCanaryStep(rollout: Rollout): number | null {
  if (rollout.strategy.type !== 'canary') return null;
  const index = rollout.status.currentStepIndex ?? 0;
  return index < rollout.strategy.steps.length ? index : null;
}

/** The weight the steps ask for now (Argo's GetCurrentSetWeight). */
export function desiredCanaryWeight(rollout: Rollout): number {
  if (rollout.strategy.type !== 'canary') return 0;
  if (rollout.status.abort) return 0;
  const index = currentCanaryStep(rollout);
  if (index === null) return 100;
  for (let i = index; i >= 0; i--) {
    const step = rollout.strategy.steps[i];
    if (step.type === 'setWeight') return step.weight;
  }
  return 0;
}

/**
 * The share of traffic the newest revision actually gets, in percent. An
 * aborted rollout sends none; a fully promoted one all. A canary with a
 * traffic router gets what the router reports (`status.canary.weights`) or
 * else what the step asks for; a canary without one gets the share of
 * available pods its ReplicaSet has, as the kubectl plugin computes it. A
 * blue-green preview gets none until the active service switches to it.
 * @public
 */
export function actualCanaryWeight(
  rollout: Rollout,
  canary: ReplicaSet | null,
): number {
  const { status } = rollout;
  if (status.abort) return 0;
  const promoted =
    status.stableRS !== null && status.stableRS === status.currentPodHash;
  if (rollout.strategy.type === 'blueGreen') {
    return status.activeSelector !== null &&
      status.activeSelector === status.currentPodHash
      ? 100
      : 0;
  }
  if (promoted || status.promoteFull || currentCanaryStep(rollout) === null) {
    return 100;
  }
  if (rollout.strategy.trafficRouting) {
    return status.canaryWeights?.canary ?? desiredCanaryWeight(rollout);
  }
  if (status.availableReplicas <= 0 || !canary) return 0;
  return Math.floor(
    (canary.availableReplicas * 100) / status.availableReplicas,
  );
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

function latest(times: Array<string | null | undefined>): string | null {
  let best: string | null = null;
  for (const time of times) {
    if (time && (!best || Date.parse(time) > Date.parse(best))) best = time;
  }
  return best;
}

function date(time: string | null, fallback: Date): Date {
  if (!time) return fallback;
  const parsed = new Date(time);
  return Number.isNaN(parsed.getTime()) ? fallback : parsed;
}

function versionOf(rs: ReplicaSet | null, fallback: string): string {
  return (rs && versionOfTemplate(rs.templateSummary)) ?? fallback;
}

/**
 * Maps one Rollout, with its ReplicaSets and AnalysisRuns, to Glidepath's
 * releases: one per revision it still has a ReplicaSet for, newest first.
 * ReplicaSets and AnalysisRuns that the Rollout does not control are
 * ignored, so the caller may pass a namespace's worth.
 * @public
 */
export function mapRollout(options: {
  cluster: string;
  environment: string;
  rollout: Rollout;
  replicaSets: ReplicaSet[];
  analysisRuns: AnalysisRun[];
}): RolloutView {
  const { rollout, cluster, environment } = options;
  const location = {
    cluster,
    namespace: rollout.meta.namespace,
    name: rollout.meta.name,
  };
  const ownedBy = (uid: string | null, name: string | null) =>
    rollout.meta.uid ? uid === rollout.meta.uid : name === rollout.meta.name;
  const replicaSets = options.replicaSets
    .filter(rs => ownedBy(rs.rolloutUid, rs.rolloutName))
    .filter(rs => rs.revision !== null)
    .sort((a, b) => b.revision! - a.revision!);
  const runs = options.analysisRuns.filter(run =>
    ownedBy(run.rolloutUid, null),
  );
  const { status } = rollout;
  const byHash = (hash: string | null) =>
    hash === null
      ? null
      : replicaSets.find(rs => rs.podTemplateHash === hash) ?? null;
  const currentRS = byHash(status.currentPodHash);
  const stableRS = byHash(status.stableRS);
  const fullyPromoted =
    status.stableRS !== null && status.stableRS === status.currentPodHash;

  const currentRevision =
    rollout.revision ??
    currentRS?.revision ??
    (replicaSets.length ? replicaSets[0].revision! + 1 : 1);
  const fallbackVersion = `revision ${currentRevision}`;
  const currentVersion =
    (currentRS && versionOfTemplate(currentRS.templateSummary)) ??
    versionOfTemplate(rollout.templateSummary) ??
    fallbackVersion;

  const older = replicaSets.filter(rs => rs.revision! < currentRevision);
  const previousOfCurrent =
    stableRS && !fullyPromoted && stableRS.revision !== currentRevision
      ? stableRS
      : older[0] ?? null;

  const { phase, message } = rolloutPhase(rollout);
  const now = new Date(0);
  const startedAt = date(
    currentRS?.meta.creationTimestamp ?? rollout.meta.creationTimestamp,
    now,
  );
  const updatedAt = date(
    latest([
      ...status.conditions.map(c => c.lastUpdateTime),
      ...status.conditions.map(c => c.lastTransitionTime),
      ...status.pauseConditions.map(c => c.startTime),
      status.abortedAt,
      currentRS?.meta.creationTimestamp,
      rollout.meta.creationTimestamp,
    ]),
    startedAt,
  );

  let finishedAt: Date | null = null;
  if (phase === 'aborted') {
    finishedAt = date(status.abortedAt, updatedAt);
  } else if (phase === 'failed' || phase === 'succeeded') {
    const progressing = status.conditions.find(c => c.type === 'Progressing');
    finishedAt = date(progressing?.lastTransitionTime ?? null, updatedAt);
  }

  let steps: Step[];
  let index: number | null;
  let strategy: ObservedRelease['strategy'];
  if (rollout.strategy.type === 'canary') {
    const plan = canarySteps(rollout, currentVersion);
    steps = plan.steps;
    strategy = plan.strategy;
    index = plan.strategy === 'rolling' ? 0 : currentCanaryStep(rollout);
  } else {
    const plan = blueGreenPlan(rollout, currentVersion, currentRS);
    steps = plan.steps;
    strategy = 'blue_green';
    index = plan.index;
  }
  const done = fullyPromoted || phase === 'succeeded';
  steps = steps.map((step, i) => {
    let stepStatus: ReleaseStep['status'];
    if (done || index === null || i < index) stepStatus = 'completed';
    else if (phase === 'aborted') stepStatus = 'skipped';
    else stepStatus = i === index ? 'running' : 'pending';
    return { ...step, status: stepStatus };
  });
  const currentStepIndex =
    done || phase === 'aborted' || index === null ? null : index;

  const current: ObservedRelease = {
    providerReleaseId: releaseId(location, currentRevision),
    version: currentVersion,
    previousVersion: previousOfCurrent
      ? versionOf(previousOfCurrent, `revision ${previousOfCurrent.revision}`)
      : null,
    environment,
    strategy,
    phase,
    steps,
    currentStepIndex,
    canaryWeight: actualCanaryWeight(rollout, currentRS),
    message,
    startedBy: ARGO_ROLLOUTS_ACTOR,
    commit: currentRS?.templateSummary.commit ?? rollout.templateSummary.commit,
    startedAt,
    updatedAt,
    finishedAt,
  };

  const releases: ObservedRelease[] = [current];
  const seen = new Set([currentRevision]);
  older.forEach((rs, i) => {
    const revision = rs.revision!;
    if (seen.has(revision)) return;
    seen.add(revision);
    const newer = replicaSets.filter(other => other.revision! > revision);
    const next =
      [...newer].sort((a, b) => a.revision! - b.revision!)[0] ?? currentRS;
    const before = older[i + 1] ?? null;
    const failedRun = runs.find(
      run =>
        (run.revision === revision ||
          (run.podTemplateHash !== null &&
            run.podTemplateHash === rs.podTemplateHash)) &&
        (run.phase === 'Failed' || run.phase === 'Error'),
    );
    const restorer = newer.find(other =>
      other.revisionHistory.some(h => h < revision),
    );
    let olderPhase: ReleasePhase;
    let olderMessage: string;
    if (rs === stableRS) {
      olderPhase = 'succeeded';
      olderMessage = fullyPromoted
        ? 'Stable'
        : `Stable: serving while revision ${currentRevision} rolls out`;
    } else if (failedRun) {
      olderPhase = 'aborted';
      olderMessage = `Aborted: analysis ${failedRun.meta.name} ${
        failedRun.phase
      }${failedRun.message ? `: ${failedRun.message}` : ''}`;
    } else if (restorer) {
      const restored = restorer.revisionHistory.filter(h => h < revision);
      olderPhase = 'rolled_back';
      olderMessage = `Rolled back: revision ${
        restorer.revision
      } brought back the template of revision ${restored[restored.length - 1]}`;
    } else {
      olderPhase = 'succeeded';
      olderMessage = `Superseded by revision ${
        next?.revision ?? currentRevision
      }`;
    }
    const olderStarted = date(rs.meta.creationTimestamp, startedAt);
    const nextStarted = next
      ? date(next.meta.creationTimestamp, startedAt)
      : startedAt;
    const olderFinished =
      nextStarted.getTime() >= olderStarted.getTime()
        ? nextStarted
        : olderStarted;
    releases.push({
      providerReleaseId: releaseId(location, revision),
      version: versionOf(rs, `revision ${revision}`),
      previousVersion: before
        ? versionOf(before, `revision ${before.revision}`)
        : null,
      environment,
      strategy,
      phase: olderPhase,
      steps: [],
      currentStepIndex: null,
      canaryWeight: olderPhase === 'succeeded' ? 100 : 0,
      message: olderMessage,
      startedBy: ARGO_ROLLOUTS_ACTOR,
      commit: rs.templateSummary.commit,
      startedAt: olderStarted,
      updatedAt: olderFinished,
      finishedAt: olderFinished,
    });
  });

  const analysisRuns: Record<string, AnalysisRunView[]> = {};
  for (const run of runs) {
    const revision =
      run.revision ??
      replicaSets.find(rs => rs.podTemplateHash === run.podTemplateHash)
        ?.revision ??
      null;
    if (revision === null) continue;
    const id = releaseId(location, revision);
    (analysisRuns[id] ??= []).push(mapAnalysisRun(run));
  }
  for (const list of Object.values(analysisRuns)) {
    list.sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
  }
  for (const release of releases) {
    const ofRelease = analysisRuns[release.providerReleaseId];
    if (ofRelease) release.providerAnalysis = ofRelease.map(withoutRevision);
  }

  const revisions: RevisionView[] = replicaSets.map(rs => {
    let role: RevisionView['role'] = 'old';
    const hash = rs.podTemplateHash;
    if (rollout.strategy.type === 'blueGreen') {
      if (hash !== null && hash === status.activeSelector) role = 'active';
      else if (hash !== null && hash === status.previewSelector)
        role = 'preview';
      else if (hash !== null && hash === status.stableRS) role = 'stable';
    } else if (hash !== null && hash === status.stableRS) {
      role = 'stable';
    } else if (hash !== null && hash === status.currentPodHash) {
      role = 'canary';
    }
    return {
      revision: rs.revision!,
      replicaSet: rs.meta.name,
      podTemplateHash: hash,
      role,
      images: rs.templateSummary.images,
      version: versionOfTemplate(rs.templateSummary),
      replicas: rs.replicas,
      availableReplicas: rs.availableReplicas,
    };
  });

  return {
    location,
    releases,
    revisions,
    analysisRuns,
    pauseReasons: pauseReasons(rollout),
    abortMessage: abortMessage(rollout),
    currentRevision,
    stableRevision: stableRS?.revision ?? null,
    fullyPromoted,
  };
}
