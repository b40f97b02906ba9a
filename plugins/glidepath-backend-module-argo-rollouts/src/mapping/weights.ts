/**
 * The canary's share of traffic: what the steps ask for and what it gets.
 */
import type { ReplicaSet } from '../resources/replicaSet';
import type { Rollout } from '../resources/rollout';
import { currentCanaryStep } from './steps';

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
