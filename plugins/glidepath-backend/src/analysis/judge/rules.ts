/*
 * The rules, each judging one kind of evidence on one range of counts:
 * the error rate, the p95 latency, failed health checks and the burn rates
 * of the error budget. Each gives its verdict with its evidence and a
 * sentence saying why.
 */
import type { MetricEvidence } from '@glidepath/backstage-plugin-common';
import type { ArmMetrics } from '@glidepath/backstage-plugin-node';
import {
  histogramQuantileSmooth,
  histogramShareSlowerThan,
  histogramTotal,
} from './histogram';
import type { ArmPair, JudgeInput } from './input';
import type { BurnWindow, JudgePolicy } from './policy';
import { rateVariance, smoothedRate } from './sequential';
import {
  isMaterialExcess,
  NO_DATA,
  TestOutcome,
  testAboveRate,
  testDifference,
} from './rateTests';
import {
  formatBurn,
  formatCount,
  formatPercent,
  formatPoints,
  formatRatio,
  formatSeconds,
  formatWindow,
} from './format';

/** The share of requests allowed above the p95: 5%. */
const P95_TAIL = 0.05;

/** The latency rule needs at least this many baseline requests. */
const MIN_BASELINE_FOR_LATENCY = 200;

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
    armSpread: policy.armSpread,
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
    }),
  };
}

export function judgeErrorRate(
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

export function judgeHealthChecks(
  input: ArmPair,
  policy: JudgePolicy,
  alpha: number,
  recent = false,
): MetricEvidence {
  // A range without health checks (a provider's short window, a bench's
  // recording) has none to judge: no data, never a crash.
  const checks = (side: ArmMetrics): Tally => ({
    events: side.healthChecks?.failed ?? 0,
    trials: (side.healthChecks?.passed ?? 0) + (side.healthChecks?.failed ?? 0),
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

/**
 * The p95 rule: the canary fails when more than 5% of its requests were
 * slower than the limit (the baseline's p95 plus the policy's allowance).
 * Between the histogram's bounds, the baseline's p95 and the canary's share
 * slower than the limit are read on a curve through the exact counts at
 * the bounds (see histogram.ts), not by Prometheus' linear interpolation,
 * which inflates small shifts inside a wide bucket (100 ms to 250 ms).
 * Where the canary's counts cannot show the shape, its share is read on the
 * baseline's curve through them, else it is the least they allow: a canary
 * is not failed on a guess.
 */
export function judgeLatency(
  input: ArmPair,
  policy: JudgePolicy,
  alpha: number,
): MetricEvidence {
  const { canary, baseline } = input;
  const baselineP95 = histogramQuantileSmooth(
    1 - P95_TAIL,
    baseline.latencyBuckets,
  );
  // More than maxP95Increase worse, or more than maxP95Ratio times:
  // whichever comes first.
  const { maxP95IncreaseSeconds, maxP95Ratio } = policy.latency;
  const relative =
    baselineP95 === null ? Infinity : (maxP95Ratio - 1) * baselineP95;
  const threshold = Math.min(maxP95IncreaseSeconds, relative);
  const { marginShare } = policy.latency;
  const thresholdText = `${
    relative < maxP95IncreaseSeconds
      ? `${maxP95Ratio}x the baseline p95`
      : `baseline p95 + ${formatSeconds(threshold)}`
  }${
    marginShare > 0
      ? `, and ${Math.round(marginShare * 100)}% more for the arms' own wander`
      : ''
  }`;
  const canaryP95 = histogramQuantileSmooth(
    1 - P95_TAIL,
    canary.latencyBuckets,
  );
  const canaryTrials = histogramTotal(canary.latencyBuckets);
  const baselineTrials = histogramTotal(baseline.latencyBuckets);
  // The arms' own wander: the canary is judged against the baseline's p95
  // plus the allowance and `marginShare` of it.
  const limit =
    baselineP95 === null ? null : baselineP95 + threshold * (1 + marginShare);
  // The canary's share inside a bucket its counts cannot shape is read on
  // the baseline's curve (see histogram.ts).
  const slower = (side: ArmMetrics, trials: number, reference?: ArmMetrics) => {
    const share =
      limit === null
        ? null
        : histogramShareSlowerThan(
            limit,
            side.latencyBuckets,
            reference?.latencyBuckets,
          );
    return share === null ? null : trials * share;
  };
  const canarySlow =
    canaryTrials > 0 ? slower(canary, canaryTrials, baseline) : null;
  const baselineSlow = slower(baseline, baselineTrials);
  // A baseline p95 from a handful of requests is too rough to judge by.
  const outcome =
    canarySlow === null || baselineTrials < MIN_BASELINE_FOR_LATENCY
      ? NO_DATA
      : testAboveRate({
          events: canarySlow,
          trials: canaryTrials,
          rate: P95_TAIL,
          alpha,
          minEvents: policy.minCanaryEvents,
        });
  let summary: string;
  if (limit === null) summary = 'No baseline latency to compare with.';
  else if (canarySlow === null && canaryTrials > 0) {
    summary = `Canary p95 latency ${formatSeconds(
      canaryP95,
    )} vs baseline ${formatSeconds(baselineP95)}: the limit (${formatSeconds(
      limit,
    )}, ${thresholdText}) is beyond the histogram's highest bucket, so its counts cannot show a canary slower than it.`;
  } else {
    summary = summarise(outcome, {
      subject: `Canary p95 latency ${formatSeconds(
        canaryP95,
      )} vs baseline ${formatSeconds(baselineP95)}; ${formatRatio(
        canarySlow === null ? null : ratio(canarySlow, canaryTrials),
      )} of canary requests took longer than ${formatSeconds(
        limit,
      )} (${thresholdText})`,
      limitText: `5% of requests slower than ${formatSeconds(limit)}`,
    });
  }
  return {
    rule: 'latency_p95',
    unit: 'seconds',
    canary: arm(canaryTrials, Math.round(canarySlow ?? 0), canaryP95),
    baseline: arm(baselineTrials, Math.round(baselineSlow ?? 0), baselineP95),
    ...outcome,
    limit: 0,
    eValueThreshold: 1 / alpha,
    threshold,
    boundarySeconds: limit,
    alpha,
    summary,
  };
}

export function judgeBurnRate(
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
    // canary's error rate must be above the baseline's with confidence, and
    // by a material part of the burn (a downstream outage burns both sides
    // at 40x; the canary burning at 41x is not to blame).
    const shortBurn = burn(short.canary, budget);
    const difference = {
      canaryEvents: long.canary.errors,
      canaryTrials: long.canary.requests,
      baselineEvents: long.baseline.errors,
      baselineTrials: long.baseline.requests,
      limit: rate,
    };
    const worse = testDifference({
      ...difference,
      alpha,
      minEvents: policy.minCanaryEvents,
    });
    const material = isMaterialExcess({
      ...difference,
      estimate: worse.estimate ?? 0,
      standardError: Math.sqrt(
        rateVariance(
          smoothedRate(long.canary.errors, long.canary.requests),
          long.canary.requests,
        ) +
          rateVariance(
            smoothedRate(long.baseline.errors, long.baseline.requests),
            long.baseline.requests,
          ),
      ),
      materialShare: policy.materialShare,
    });
    if (
      outcome.verdict === 'fail' &&
      !(
        shortBurn !== null &&
        shortBurn > window.factor &&
        (worse.eValue ?? 0) >= 1 / alpha &&
        material
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
        }),
  };
}

/**
 * The verdict in plain words with the measured numbers; the statistics (the
 * e-value, the confidence bounds) are in the evidence's own fields, shown one
 * click away on the entity page.
 */
function summarise(
  outcome: TestOutcome,
  text: { subject: string; limitText: string },
): string {
  switch (outcome.verdict) {
    case 'fail':
      return `${text.subject}: worse than the policy allows (${text.limitText}).`;
    case 'pass':
      return `${text.subject}: within ${text.limitText}.`;
    case 'inconclusive':
      return `${text.subject}: not enough evidence yet against ${text.limitText}.`;
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
