import {
  DEFAULT_CANARY_WEIGHTS,
  type ReleaseStrategy,
  type StepKind,
  type StrategyAnnotation,
} from '@glidepath/backstage-plugin-common';

/** One step of a sandbox release, with how long it runs. */
export type PlannedStep = {
  kind: StepKind;
  /** Percent of traffic on the new version while this step runs, if it sets one. */
  weight: number | null;
  /**
   * How long the step runs before the next one starts, in milliseconds;
   * `Infinity` for a pause that waits for a promote.
   */
  durationMs: number;
  /**
   * For timed pause steps, the pause in seconds; otherwise null (a pause
   * with none waits for a promote, as Argo Rollouts' `pause: {}`).
   */
  durationSeconds: number | null;
  description: string;
};

/** How a release will go: its strategy and its steps. */
export type ReleasePlan = {
  strategy: ReleaseStrategy;
  steps: PlannedStep[];
};

/** The weights of a rolling update: the share of pods on the new version. */
export const ROLLING_WEIGHTS: readonly number[] = [25, 50, 75, 100];

/**
 * Shifting traffic (scaling pods, switching a service) takes a sixth of a
 * pause: 5 s with the default 30 s pauses. Rolling updates wait a third of a
 * pause between batches.
 */
const SHIFT_FRACTION = 1 / 6;
const ROLLING_PAUSE_FRACTION = 1 / 3;

/** "30s", "4m", "1m 30s", "250ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const parts: string[] = [];
  if (hours) parts.push(`${hours}h`);
  if (minutes) parts.push(`${minutes}m`);
  if (seconds) parts.push(`${seconds}s`);
  return parts.join(' ');
}

function pause(ms: number): PlannedStep {
  const durationMs = Math.max(1, Math.round(ms));
  return {
    kind: 'pause',
    weight: null,
    durationMs,
    durationSeconds: durationMs / 1000,
    description: `Wait ${formatDuration(durationMs)}`,
  };
}

function weighted(
  kind: StepKind,
  weight: number,
  shiftMs: number,
  description: string,
): PlannedStep {
  return {
    kind,
    weight,
    durationMs: shiftMs,
    durationSeconds: null,
    description,
  };
}

/**
 * The steps of one release of `version`:
 *
 * - canary: `set_weight` to each weight with a pause of `stepDurationMs`
 *   between them (none after the final 100%), as an Argo Rollouts canary with
 *   `setWeight` and `pause: { duration }` steps;
 * - blue-green: `preview` (the new version deployed, no traffic), a pause of
 *   `stepDurationMs` (like `autoPromotionSeconds`), then `switch`;
 * - rolling: pods move over in batches of 25% with a third of the pause
 *   between batches, reported as `set_weight` steps.
 */
export function planRelease(
  strategy: StrategyAnnotation | undefined,
  version: string,
  stepDurationMs: number,
): ReleasePlan {
  const shiftMs = Math.max(1, Math.round(stepDurationMs * SHIFT_FRACTION));
  const chosen: StrategyAnnotation = strategy ?? {
    strategy: 'canary',
    weights: [...DEFAULT_CANARY_WEIGHTS],
  };

  if (chosen.strategy === 'blue_green') {
    return {
      strategy: 'blue_green',
      steps: [
        weighted(
          'preview',
          0,
          shiftMs,
          `Deploy ${version} as a preview with no traffic`,
        ),
        pause(stepDurationMs),
        weighted('switch', 100, shiftMs, `Switch traffic to ${version}`),
      ],
    };
  }

  const rolling = chosen.strategy === 'rolling';
  const requested =
    chosen.strategy === 'canary' && chosen.weights.length
      ? chosen.weights
      : DEFAULT_CANARY_WEIGHTS;
  const weights = withFinalHundred(rolling ? ROLLING_WEIGHTS : requested);
  const steps: PlannedStep[] = [];
  weights.forEach((weight, i) => {
    steps.push(
      weighted(
        'set_weight',
        weight,
        shiftMs,
        rolling
          ? `Move ${weight}% of pods to ${version}`
          : `Send ${weight}% of traffic to ${version}`,
      ),
    );
    if (i < weights.length - 1) {
      steps.push(
        pause(
          rolling ? stepDurationMs * ROLLING_PAUSE_FRACTION : stepDurationMs,
        ),
      );
    }
  });
  return { strategy: rolling ? 'rolling' : 'canary', steps };
}

function withFinalHundred(weights: readonly number[]): number[] {
  const list = weights.filter(w => w > 0 && w <= 100);
  if (list[list.length - 1] !== 100) list.push(100);
  return list;
}

/** Whether the step is a pause that only a promote ends. */
export function awaitsPromotion(step: PlannedStep): boolean {
  return step.kind === 'pause' && step.durationMs === Infinity;
}

/**
 * The plan with the pauses of a canary turned into pauses without a duration,
 * which only a promote ends (Argo Rollouts' `pause: {}`). Blue-green and
 * rolling plans are returned as they are; so is an already converted plan.
 */
export function awaitingPromotion(plan: ReleasePlan): ReleasePlan {
  if (plan.strategy !== 'canary') return plan;
  return {
    strategy: plan.strategy,
    steps: plan.steps.map(step =>
      step.kind === 'pause'
        ? {
            kind: 'pause',
            weight: null,
            durationMs: Infinity,
            durationSeconds: null,
            description: 'Wait until promoted',
          }
        : step,
    ),
  };
}

/**
 * How long a release takes when nobody intervenes; `Infinity` when one of its
 * steps waits for a promote.
 */
export function naturalDurationMs(plan: ReleasePlan): number {
  return plan.steps.reduce((sum, step) => sum + step.durationMs, 0);
}

/**
 * How long an earlier version takes to start again, restored after a
 * rollback or rolled forward to, as a share of a pause: two thirds to one and
 * a half, so 20 to 45 s with the default 30 s pauses (and 10 to 23 s with
 * 15 s ones), in whole seconds. `draw` in [0, 1) picks where in the range.
 */
export function restartDurationMs(
  stepDurationMs: number,
  draw: number,
): number {
  const fraction = 2 / 3 + draw * (3 / 2 - 2 / 3);
  return Math.max(1000, Math.round((stepDurationMs * fraction) / 1000) * 1000);
}

/**
 * The steps of a release that runs an earlier version again (a restore after
 * a rollback, or a roll forward): whatever the service's strategy, half the
 * traffic while its pods start, then all of it, `restartMs` in all. A
 * canary, so that Glidepath's analysis judges it; its pause is timed even
 * with `awaitPromotion`: it is the pods' start, not a gate.
 */
export function planRedeploy(
  version: string,
  restartMs: number,
  stepDurationMs: number,
): ReleasePlan {
  const shiftMs = Math.max(1, Math.round(stepDurationMs * SHIFT_FRACTION));
  return {
    strategy: 'canary',
    steps: [
      weighted('set_weight', 50, shiftMs, `Send 50% of traffic to ${version}`),
      pause(restartMs - 2 * shiftMs),
      weighted(
        'set_weight',
        100,
        shiftMs,
        `Send 100% of traffic to ${version}`,
      ),
    ],
  };
}
