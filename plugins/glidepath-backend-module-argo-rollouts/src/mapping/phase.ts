/**
 * A Rollout's phase in Glidepath's terms, and why it is paused or aborted.
 */
import type { ReleasePhase } from '@glidepath/backstage-plugin-common';
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
