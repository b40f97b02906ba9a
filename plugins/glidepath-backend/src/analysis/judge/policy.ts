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
  /**
   * Pods differ, so a canary can be significantly worse than its baseline
   * by a harmless margin: the error-rate and health-check rules fail only
   * when the measured excess is at least this share of their limit.
   */
  materialShare: number;
  /**
   * A regression that multiplies the baseline's rate is material sooner: a
   * canary rate at least this many times the baseline's, with a measured
   * excess of at least half the limit, also counts (both sides' rates move
   * together with the load, their ratio does not).
   */
  materialRatio: number;
  /**
   * Besides the counts since the canary started, each rule also judges the
   * counts since the start of the current window of this length, so that a
   * regression that begins late is not diluted by the good traffic before it.
   */
  recentWindowSeconds: number;
  /**
   * Pods differ: the error-rate and health-check rules test for an excess of
   * at least this share of the baseline's own rate, not for any excess.
   * When a downstream outage raises both arms' error rates to 10% or more,
   * the arms' slightly different shares of traffic during it make their
   * cumulative rates differ by a point or more: a quarter of the baseline's
   * rate is more than that, and little for a healthy baseline's (0.12 pp
   * of 0.5%).
   */
  relativeMargin: number;
  /**
   * Pods differ over time too: two healthy arms' error rates wander apart
   * by some share of the baseline's rate for minutes at a time (a noisy
   * neighbour, a different zone, a cache), more than their counts' own
   * sampling error says. The materiality check counts this share of the
   * baseline's rate as part of the estimate's uncertainty: at a baseline
   * of 2% errors, a canary 0.8 pp worse for a few minutes is then not yet
   * material, where sampling error alone (0.08 pp at 500 requests a
   * second) said it was.
   */
  armSpread: number;
  /**
   * Within a recent window a rate wanders more than over the whole canary,
   * so there the error-rate and health-check rules test for an excess of at
   * least this share of the baseline's rate (1: the canary at least doubles
   * it), on top of the limit.
   */
  recentRelativeMargin: number;
  errorRate: { enabled: boolean; maxIncrease: number };
  /**
   * The canary fails when its p95 is worse than the baseline's by more than
   * `maxP95IncreaseSeconds` or by more than `maxP95Ratio` times, whichever
   * is reached first.
   */
  latency: {
    enabled: boolean;
    maxP95IncreaseSeconds: number;
    maxP95Ratio: number;
    /**
     * Two healthy arms' latencies wander apart by a few percent for
     * minutes at a time, and a histogram's bucket says little about where
     * in it a p95 lies: the canary fails only when more than 5% of its
     * requests are slower than the baseline's p95 plus the allowance and
     * this share of the allowance more (0.2: a 1.75x policy fails a canary
     * past 1.9x). The baseline's measured p95 moves with the arms' noise by
     * a few percent, so at 0.1 a creeping canary was now and then failed at
     * 92-98% of its allowance (2 of 400 in the bench); at 0.2 none was, for
     * a slower verdict on slow creeps.
     */
    marginShare: number;
  };
  healthChecks: { enabled: boolean; maxFailureIncrease: number };
  burnRate: { enabled: boolean; windows: BurnWindow[] };
  /**
   * How long the engine may go without a decision (holding without data,
   * or judging without enough evidence either way) before it escalates:
   * pauses the release and notifies its owners.
   */
  holdDeadlineMs: number;
  /**
   * The canary's warm-up: the judge ignores its first seconds (caches,
   * connection pools and JIT compilers warming up make a new pod fail or
   * lag briefly) and judges the counts from the end of the warm-up on.
   */
  warmupSeconds: number;
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
  falseRollbackBudget: 0.002,
  minCanaryEvents: 5,
  materialShare: 0.75,
  materialRatio: 2,
  recentWindowSeconds: 300,
  recentRelativeMargin: 1,
  relativeMargin: 0.25,
  // 2.5 times the spread the bench's per-arm noise gives the difference
  // of two arms' rates (10% each, so 14%): the judge looks at that
  // difference every scrape, and it keeps its sign for minutes. At 0.25 one
  // error offset of 400 within the policy was still rolled back.
  armSpread: 0.35,
  errorRate: { enabled: true, maxIncrease: 0.01 },
  latency: {
    enabled: true,
    maxP95IncreaseSeconds: 0.5,
    maxP95Ratio: 1.75,
    marginShare: 0.2,
  },
  healthChecks: { enabled: true, maxFailureIncrease: 0.05 },
  burnRate: {
    enabled: true,
    windows: DEFAULT_BURN_WINDOWS.map(w => ({ ...w })),
  },
  holdDeadlineMs: 5 * 60_000,
  // Flagger's first check comes a minute in (its default interval); Argo
  // Rollouts' analyses take an initialDelay. A minute covers the usual
  // warm-up of a JVM or a cache and costs a gross regression a minute.
  warmupSeconds: 60,
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
