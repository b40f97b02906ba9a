import type { ArmMetrics } from '@glidepath/backstage-plugin-node';

/** Counts of the canary and the baseline over one range. */
export type ArmPair = { canary: ArmMetrics; baseline: ArmMetrics };

/** What the judge looks at in one evaluation. */
export type JudgeInput = ArmPair & {
  /**
   * The counts since the start of the current recent window: window `index`
   * (1, 2, ...) of `policy.recentWindowSeconds` after the canary started.
   * Absent during the first window, when they would equal the totals.
   */
  recent?: ArmPair & { index: number };
  /**
   * For the burn-rate rules: the counts of the trailing windows, keyed by
   * their length in seconds (see `burnWindowSeconds`), each starting no
   * earlier than the canary.
   */
  windows?: Record<number, ArmPair | undefined>;
  /** The entity's availability objective in percent, e.g. 99.9. */
  sloPercent?: number;
};
