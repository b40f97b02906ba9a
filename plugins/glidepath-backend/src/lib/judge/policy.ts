import type { AnalysisRule } from '@glidepath/backstage-plugin-common';

/** A multi-window burn-rate alert, as in the SRE workbook. */
export type BurnWindow = {
  rule: Extract<AnalysisRule, 'burn_rate_fast' | 'burn_rate_slow'>;
  /** The long window: the burn must be established over it. */
  longSeconds: number;
  /** The short window: the burn must still be going on over it. */
  shortSeconds: number;
  /** The burn rate (multiple of the budget rate) that triggers. */
  factor: number;
};

/**
 * When a canary is rolled back, promoted or held. Every limit is the
 * degradation the policy tolerates; the judge decides with anytime-valid
 * tests so that it may look at every scrape.
 */
export type JudgePolicy = {
  /** The policy's name, as `glidepath.dev/policy` names it. */
  name: string;
  /**
   * The largest chance, per release, of rolling back a canary that is no
   * worse than its baseline: split evenly between the rules that apply.
   */
  falseRollbackBudget: number;
  /** A rule fails only once the canary has at least this many bad events. */
  minCanaryEvents: number;
  errorRate: { enabled: boolean; maxIncrease: number };
  latency: { enabled: boolean; maxP95IncreaseSeconds: number };
  healthChecks: { enabled: boolean; maxFailureIncrease: number };
  burnRate: { enabled: boolean; windows: BurnWindow[] };
  /** How long the engine may hold (no data) before it escalates. */
  holdDeadlineMs: number;
};

/** The SRE workbook's paging pair: 14.4x over 1 h and 5 min, 6x over 6 h and 30 min. */
export const DEFAULT_BURN_WINDOWS: readonly BurnWindow[] = [
  {
    rule: 'burn_rate_fast',
    longSeconds: 3600,
    shortSeconds: 300,
    factor: 14.4,
  },
  { rule: 'burn_rate_slow', longSeconds: 21600, shortSeconds: 1800, factor: 6 },
];

/** The default policy: the seed's triggers. */
export const DEFAULT_POLICY: JudgePolicy = {
  name: 'default',
  falseRollbackBudget: 0.001,
  minCanaryEvents: 5,
  errorRate: { enabled: true, maxIncrease: 0.01 },
  latency: { enabled: true, maxP95IncreaseSeconds: 0.5 },
  healthChecks: { enabled: true, maxFailureIncrease: 0.05 },
  burnRate: {
    enabled: true,
    windows: DEFAULT_BURN_WINDOWS.map(w => ({ ...w })),
  },
  holdDeadlineMs: 5 * 60_000,
};

/** The window lengths (seconds) the burn-rate rules need counts for. */
export function burnWindowSeconds(policy: JudgePolicy): number[] {
  if (!policy.burnRate.enabled) return [];
  const seconds = new Set<number>();
  for (const window of policy.burnRate.windows) {
    seconds.add(window.longSeconds);
    seconds.add(window.shortSeconds);
  }
  return [...seconds].sort((a, b) => a - b);
}
