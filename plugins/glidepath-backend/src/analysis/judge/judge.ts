import type {
  AnalysisRule,
  MetricEvidence,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import type { ArmMetrics } from '@glidepath/backstage-plugin-node';
import {
  countSlowerThan,
  histogramQuantile,
  histogramTotal,
} from './histogram';
import type { BurnWindow, JudgePolicy } from './policy';
import {
  eValueAboveZero,
  mixtureHalfWidth,
  rateVariance,
  smoothedRate,
} from './sequential';
import {
  formatCount,
  formatRatio,
  formatSeconds,
  formatENumber,
} from './format';

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

/** The judge's verdict with the evidence of each rule that applies. */
export type Judgement = {
  verdict: Verdict;
  metrics: MetricEvidence[];
};

/** The share of requests allowed above the p95: 5%. */
const P95_TAIL = 0.05;

/** The latency rule needs at least this many baseline requests. */
const MIN_BASELINE_FOR_LATENCY = 200;

type TestOutcome = Pick<
  MetricEvidence,
  'verdict' | 'estimate' | 'lowerBound' | 'upperBound' | 'eValue'
>;

const NO_DATA: TestOutcome = {
  verdict: 'no_data',
  estimate: null,
  lowerBound: null,
  upperBound: null,
  eValue: null,
};

/**
 * Is the canary's bad-event rate above the baseline's? The e-value uses the
 * pooled rate's variance (the variance if the two were equal); the
 * confidence sequence of the difference uses each side's own.
 */
export function testDifference(options: {
  canaryEvents: number;
  canaryTrials: number;
  baselineEvents: number;
  baselineTrials: number;
  limit: number;
  alpha: number;
  minEvents: number;
  /**
   * The measured excess must be at least this share of `limit` to fail
   * (see `materialShare`). Default 0.
   */
  materialShare?: number;
  /**
   * Also material: a canary rate at least this many times the baseline's,
   * with an excess of at least half the limit (see `materialRatio`).
   */
  materialRatio?: number;
  /**
   * Test against an excess of this share of the baseline's rate instead of
   * 0 (see `recentRelativeMargin`). Default 0.
   */
  relativeMargin?: number;
}): TestOutcome {
  const { canaryEvents: ec, canaryTrials: nc } = options;
  const { baselineEvents: eb, baselineTrials: nb } = options;
  if (!(nc > 0) || !(nb > 0)) return NO_DATA;
  const estimate = ec / nc - eb / nb;
  const margin = (options.relativeMargin ?? 0) * (eb / nb);
  const pooled = smoothedRate(ec + eb, nc + nb);
  const nullVariance = pooled * (1 - pooled) * (1 / nc + 1 / nb);
  const eValue = eValueAboveZero(
    estimate - margin,
    nullVariance,
    options.limit,
  );
  const variance =
    rateVariance(smoothedRate(ec, nc), nc) +
    rateVariance(smoothedRate(eb, nb), nb);
  const halfWidth = mixtureHalfWidth(variance, options.limit, options.alpha);
  // A difference of two rates lies between -1 and 1.
  const lowerBound = Math.max(-1, estimate - halfWidth);
  const upperBound = Math.min(1, estimate + halfWidth);
  return {
    verdict: verdictOf({
      eValue,
      upperBound,
      limit: options.limit,
      alpha: options.alpha,
      enoughEvents: ec >= options.minEvents,
      material:
        estimate >= (options.materialShare ?? 0) * options.limit ||
        (options.materialRatio !== undefined &&
          ec / nc >= options.materialRatio * (eb / nb) &&
          estimate >= options.limit / 2),
    }),
    estimate,
    lowerBound,
    upperBound,
    eValue,
  };
}

/** Is the canary's bad-event rate above `rate`? (The excess is tested.) */
export function testAboveRate(options: {
  events: number;
  trials: number;
  rate: number;
  alpha: number;
  minEvents: number;
}): TestOutcome {
  const { events, trials, rate } = options;
  if (!(trials > 0)) return NO_DATA;
  const estimate = events / trials - rate;
  const eValue = eValueAboveZero(estimate, rateVariance(rate, trials), rate);
  const halfWidth = mixtureHalfWidth(
    rateVariance(smoothedRate(events, trials), trials),
    rate,
    options.alpha,
  );
  // The rate lies between 0 and 1, so its excess between -rate and 1 - rate.
  const lowerBound = Math.max(-rate, estimate - halfWidth);
  const upperBound = Math.min(1 - rate, estimate + halfWidth);
  return {
    verdict: verdictOf({
      eValue,
      upperBound,
      limit: 0,
      alpha: options.alpha,
      enoughEvents: events >= options.minEvents,
    }),
    estimate,
    lowerBound,
    upperBound,
    eValue,
  };
}

function verdictOf(options: {
  eValue: number;
  upperBound: number;
  limit: number;
  alpha: number;
  enoughEvents: boolean;
  /** The measured excess is large enough to matter; true unless given. */
  material?: boolean;
}): Verdict {
  if (
    options.enoughEvents &&
    options.material !== false &&
    options.eValue >= 1 / options.alpha &&
    options.upperBound >= options.limit
  ) {
    return 'fail';
  }
  if (options.upperBound < options.limit) return 'pass';
  return 'inconclusive';
}

/** The rules of `policy` that apply to this input, in a fixed order. */
function applicableRules(
  input: JudgeInput,
  policy: JudgePolicy,
): Array<AnalysisRule> {
  const rules: AnalysisRule[] = [];
  if (policy.errorRate.enabled) rules.push('error_rate');
  if (
    policy.latency.enabled &&
    input.canary.latencyBuckets.length > 0 &&
    input.baseline.latencyBuckets.length > 0
  ) {
    rules.push('latency_p95');
  }
  if (
    policy.healthChecks.enabled &&
    input.canary.healthChecks &&
    input.baseline.healthChecks
  ) {
    rules.push('health_checks');
  }
  if (policy.burnRate.enabled && input.sloPercent !== undefined) {
    for (const window of policy.burnRate.windows) rules.push(window.rule);
  }
  return rules;
}

/**
 * How the false-rollback budget is shared between the rules that apply: the
 * error rate and latency, the triggers that matter most, get the largest
 * shares (a share is a fixed part of the budget, so the split stays valid).
 */
export const RULE_WEIGHTS: Record<AnalysisRule, number> = {
  error_rate: 4,
  latency_p95: 3,
  health_checks: 1,
  burn_rate_fast: 1,
  burn_rate_slow: 1,
};

/**
 * Judges a canary against its baseline under `policy`: each rule that
 * applies gives pass, fail, inconclusive or no data with its evidence, and
 * the verdict is fail if any rule fails, no data if the canary or the
 * baseline served nothing, pass if every rule passes, inconclusive otherwise.
 *
 * Pure: the same input and policy always give the same judgement.
 */
export function judgeCanary(input: JudgeInput, policy: JudgePolicy): Judgement {
  const rules = applicableRules(input, policy);
  const weights = rules.reduce((sum, rule) => sum + RULE_WEIGHTS[rule], 0);
  const metrics = rules.map(rule => {
    const alpha = (policy.falseRollbackBudget * RULE_WEIGHTS[rule]) / weights;
    switch (rule) {
      case 'error_rate':
        return withRecent(judgeErrorRate, input, policy, alpha);
      case 'latency_p95':
        return withRecent(judgeLatency, input, policy, alpha);
      case 'health_checks':
        return withRecent(judgeHealthChecks, input, policy, alpha);
      default:
        return judgeBurnRate(
          input,
          policy,
          policy.burnRate.windows.find(w => w.rule === rule)!,
          alpha,
        );
    }
  });
  return { verdict: overallVerdict(input, metrics), metrics };
}

/** The part of a rule's budget for the counts since the canary started. */
const OVERALL_SHARE = 0.75;

/**
 * A rule judged twice: on the counts since the canary started, with three
 * quarters of its share of the budget, and on the counts of the current
 * recent window, window k getting (the other quarter) x 6 / (pi^2 k^2), so
 * that every window of the run together stays within that quarter. The
 * recent test catches a regression that begins late; the overall one is the
 * more sensitive.
 */
function withRecent(
  rule: (
    counts: ArmPair,
    policy: JudgePolicy,
    alpha: number,
    recent: boolean,
  ) => MetricEvidence,
  input: JudgeInput,
  policy: JudgePolicy,
  alpha: number,
): MetricEvidence {
  const overall = rule(input, policy, alpha * OVERALL_SHARE, false);
  const recent = input.recent;
  if (!recent || overall.verdict === 'fail') return overall;
  const windowAlpha =
    (alpha * (1 - OVERALL_SHARE) * 6) / (Math.PI ** 2 * recent.index ** 2);
  const late = rule(recent, policy, windowAlpha, true);
  if (late.verdict !== 'fail') return overall;
  return {
    ...late,
    summary: `Since ${formatWindow(
      policy.recentWindowSeconds * recent.index,
    )} into the canary: ${late.summary}`,
  };
}

function overallVerdict(input: JudgeInput, metrics: MetricEvidence[]): Verdict {
  if (metrics.some(m => m.verdict === 'fail')) return 'fail';
  if (!(input.canary.requests > 0) || !(input.baseline.requests > 0)) {
    return 'no_data';
  }
  if (metrics.length > 0 && metrics.every(m => m.verdict === 'pass')) {
    return 'pass';
  }
  return 'inconclusive';
}

/** One side's bad events among its trials. */
type Tally = { events: number; trials: number };

/**
 * A rule on the excess of the canary's bad-event rate over the baseline's
 * (errors among requests, failed health checks): the two-sample test with
 * the policy's materiality and margins, and its evidence.
 */
function judgeRateExcess(options: {
  rule: 'error_rate' | 'health_checks';
  canary: Tally;
  baseline: Tally;
  limit: number;
  policy: JudgePolicy;
  alpha: number;
  recent: boolean;
  /** "Canary error rate", "Canary health checks failing". */
  label: string;
}): MetricEvidence {
  const { canary, baseline, limit, policy, alpha } = options;
  const outcome = testDifference({
    canaryEvents: canary.events,
    canaryTrials: canary.trials,
    baselineEvents: baseline.events,
    baselineTrials: baseline.trials,
    limit,
    alpha,
    minEvents: policy.minCanaryEvents,
    materialShare: policy.materialShare,
    materialRatio: policy.materialRatio,
    relativeMargin: options.recent
      ? policy.recentRelativeMargin
      : policy.relativeMargin,
  });
  const side = (tally: Tally) =>
    `${formatRatio(ratio(tally.events, tally.trials))} (${formatCount(
      tally.events,
    )} of ${formatCount(tally.trials)})`;
  return {
    rule: options.rule,
    unit: 'ratio',
    canary: arm(
      canary.trials,
      canary.events,
      ratio(canary.events, canary.trials),
    ),
    baseline: arm(
      baseline.trials,
      baseline.events,
      ratio(baseline.events, baseline.trials),
    ),
    ...outcome,
    limit,
    eValueThreshold: 1 / alpha,
    threshold: limit,
    boundarySeconds: null,
    alpha,
    summary: summarise(outcome, {
      subject: `${options.label} ${side(canary)} vs baseline ${side(baseline)}`,
      limitText: `${formatPoints(limit)} above the baseline`,
      bounds: (lower, upper) =>
        `excess ${formatPoints(lower)} to ${formatPoints(upper)}`,
      alpha,
    }),
  };
}

function judgeErrorRate(
  input: ArmPair,
  policy: JudgePolicy,
  alpha: number,
  recent = false,
): MetricEvidence {
  return judgeRateExcess({
    rule: 'error_rate',
    canary: { events: input.canary.errors, trials: input.canary.requests },
    baseline: {
      events: input.baseline.errors,
      trials: input.baseline.requests,
    },
    limit: policy.errorRate.maxIncrease,
    policy,
    alpha,
    recent,
    label: 'Canary error rate',
  });
}

function judgeHealthChecks(
  input: ArmPair,
  policy: JudgePolicy,
  alpha: number,
  recent = false,
): MetricEvidence {
  const checks = (side: ArmMetrics): Tally => ({
    events: side.healthChecks!.failed,
    trials: side.healthChecks!.passed + side.healthChecks!.failed,
  });
  return judgeRateExcess({
    rule: 'health_checks',
    canary: checks(input.canary),
    baseline: checks(input.baseline),
    limit: policy.healthChecks.maxFailureIncrease,
    policy,
    alpha,
    recent,
    label: 'Canary health checks failing',
  });
}

function judgeLatency(
  input: ArmPair,
  policy: JudgePolicy,
  alpha: number,
): MetricEvidence {
  const { canary, baseline } = input;
  const baselineP95 = histogramQuantile(1 - P95_TAIL, baseline.latencyBuckets);
  // More than maxP95Increase worse, or more than maxP95Ratio times:
  // whichever comes first.
  const { maxP95IncreaseSeconds, maxP95Ratio } = policy.latency;
  const relative =
    baselineP95 === null ? Infinity : (maxP95Ratio - 1) * baselineP95;
  const threshold = Math.min(maxP95IncreaseSeconds, relative);
  const thresholdText =
    relative < maxP95IncreaseSeconds
      ? `${maxP95Ratio}x the baseline p95`
      : `baseline p95 + ${formatSeconds(threshold)}`;
  const canaryP95 = histogramQuantile(1 - P95_TAIL, canary.latencyBuckets);
  const canaryTrials = histogramTotal(canary.latencyBuckets);
  const baselineTrials = histogramTotal(baseline.latencyBuckets);
  const boundary = baselineP95 === null ? null : baselineP95 + threshold;
  const canarySlow =
    boundary === null ? 0 : countSlowerThan(boundary, canary.latencyBuckets);
  const baselineSlow =
    boundary === null ? 0 : countSlowerThan(boundary, baseline.latencyBuckets);
  // A baseline p95 from a handful of requests is too rough to judge by.
  const outcome =
    boundary === null || baselineTrials < MIN_BASELINE_FOR_LATENCY
      ? NO_DATA
      : testAboveRate({
          events: canarySlow,
          trials: canaryTrials,
          rate: P95_TAIL,
          alpha,
          minEvents: policy.minCanaryEvents,
        });
  return {
    rule: 'latency_p95',
    unit: 'seconds',
    canary: arm(canaryTrials, round(canarySlow), canaryP95),
    baseline: arm(baselineTrials, round(baselineSlow), baselineP95),
    ...outcome,
    limit: 0,
    eValueThreshold: 1 / alpha,
    threshold,
    boundarySeconds: boundary,
    alpha,
    summary:
      boundary === null
        ? 'No baseline latency to compare with.'
        : summarise(outcome, {
            subject: `Canary p95 latency ${formatSeconds(
              canaryP95,
            )} vs baseline ${formatSeconds(baselineP95)}; ${formatRatio(
              ratio(canarySlow, canaryTrials),
            )} of canary requests took longer than ${formatSeconds(
              boundary,
            )} (${thresholdText})`,
            limitText: `5% of requests slower than ${formatSeconds(boundary)}`,
            bounds: (lower, upper) =>
              `${formatRatio(P95_TAIL + lower)} to ${formatRatio(
                P95_TAIL + upper,
              )} of canary requests that slow`,
            alpha,
          }),
  };
}

function judgeBurnRate(
  input: JudgeInput,
  policy: JudgePolicy,
  window: BurnWindow,
  alpha: number,
): MetricEvidence {
  const budget = 1 - input.sloPercent! / 100;
  const rate = Math.min(1, window.factor * budget);
  const long = input.windows?.[window.longSeconds];
  const short = input.windows?.[window.shortSeconds];
  const canaryBurn = long ? burn(long.canary, budget) : null;
  const baselineBurn = long ? burn(long.baseline, budget) : null;
  let outcome: TestOutcome = NO_DATA;
  if (long && short) {
    outcome = testAboveRate({
      events: long.canary.errors,
      trials: long.canary.requests,
      rate,
      alpha,
      minEvents: policy.minCanaryEvents,
    });
    // The SRE workbook's second window: the burn must still be going on.
    // And it must be the canary's doing, not a burn both sides share: the
    // canary's error rate must be above the baseline's with confidence.
    const shortBurn = burn(short.canary, budget);
    const worse = testDifference({
      canaryEvents: long.canary.errors,
      canaryTrials: long.canary.requests,
      baselineEvents: long.baseline.errors,
      baselineTrials: long.baseline.requests,
      limit: rate,
      alpha,
      minEvents: policy.minCanaryEvents,
    });
    if (
      outcome.verdict === 'fail' &&
      !(
        shortBurn !== null &&
        shortBurn > window.factor &&
        (worse.eValue ?? 0) >= 1 / alpha
      )
    ) {
      outcome = { ...outcome, verdict: 'inconclusive' };
    }
  }
  const label = `${formatWindow(window.longSeconds)} and ${formatWindow(
    window.shortSeconds,
  )}`;
  return {
    rule: window.rule,
    unit: 'burn_rate',
    canary: arm(
      long?.canary.requests ?? 0,
      long?.canary.errors ?? 0,
      canaryBurn,
    ),
    baseline: arm(
      long?.baseline.requests ?? 0,
      long?.baseline.errors ?? 0,
      baselineBurn,
    ),
    ...outcome,
    limit: 0,
    eValueThreshold: 1 / alpha,
    threshold: window.factor,
    boundarySeconds: null,
    alpha,
    summary: !long
      ? `No counts for the ${label} windows.`
      : summarise(outcome, {
          subject: `Canary burns the ${formatPercent(
            input.sloPercent!,
          )} SLO's error budget at ${formatBurn(
            canaryBurn,
          )} over ${formatWindow(window.longSeconds)} (baseline ${formatBurn(
            baselineBurn,
          )})`,
          limitText: `${window.factor}x over ${label}`,
          bounds: (lower, upper) =>
            `canary error ratio ${formatRatio(rate + lower)} to ${formatRatio(
              rate + upper,
            )}; ${window.factor}x the budget is ${formatRatio(rate)}`,
          alpha,
        }),
  };
}

function summarise(
  outcome: TestOutcome,
  text: {
    subject: string;
    limitText: string;
    /** The confidence bounds of the estimate, in words. */
    bounds: (lower: number, upper: number) => string;
    alpha: number;
  },
): string {
  const bounds =
    outcome.lowerBound === null || outcome.upperBound === null
      ? ''
      : ` (${text.bounds(outcome.lowerBound, outcome.upperBound)})`;
  switch (outcome.verdict) {
    case 'fail':
      return `${text.subject}: worse than the policy allows (${
        text.limitText
      }), e-value ${formatENumber(outcome.eValue!)} ≥ ${formatENumber(
        1 / text.alpha,
      )}${bounds}.`;
    case 'pass':
      return `${text.subject}: within ${text.limitText}${bounds}.`;
    case 'inconclusive':
      return `${text.subject}: not enough evidence yet against ${text.limitText}${bounds}.`;
    default:
      return `${text.subject}: no data.`;
  }
}

function arm(trials: number, events: number, observed: number | null) {
  return { trials, events, observed };
}

function ratio(events: number, trials: number): number | null {
  return trials > 0 ? events / trials : null;
}

function burn(side: ArmMetrics, budget: number): number | null {
  return side.requests > 0 ? side.errors / side.requests / budget : null;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function formatPoints(value: number): string {
  const points = value * 100;
  return `${points >= 0 ? '+' : ''}${points.toFixed(2)} pp`;
}

function formatPercent(value: number): string {
  return `${value}%`;
}

function formatBurn(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(1)}x`;
}

function formatWindow(seconds: number): string {
  return seconds % 3600 === 0
    ? `${seconds / 3600} h`
    : `${Math.round(seconds / 60)} min`;
}
