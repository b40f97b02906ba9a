/*
 * What the judge looks at while the canary warms up: only failure that a
 * warm-up never shows. The policy's rules start after the warm-up; during
 * it, the counts since the canary started fail it only when the canary
 * fails more than half of its requests (or health checks) beyond the
 * baseline's own rate, with confidence.
 */
import type { MetricEvidence } from '@glidepath/backstage-plugin-common';
import type { ArmMetrics } from '@glidepath/backstage-plugin-node';
import { formatCount, formatPoints, formatRatio } from './format';
import type { ArmPair } from './input';
import type { Judgement } from './judge';
import type { JudgePolicy } from './policy';
import { NO_DATA, testAboveRate, TestOutcome } from './rateTests';

/**
 * The excess over the baseline's rate that no warm-up shows: half of the
 * requests or health checks. A pod warming up (cold caches, connection
 * pools, a JIT compiler) fails some of its requests and is slow for a
 * while; one that fails most of them is crashing or misconfigured. The
 * bench's warm-up bursts fail 5-50% of requests and checks for 10-60 s;
 * a crash loop fails every request while a pod is down, so the first
 * scrape after the first crash shows 50-100% failed.
 */
export const WARMUP_GROSS_EXCESS = 0.5;

/**
 * The warm-up's share of the false-rollback budget, for each of its two
 * tests (errors, health checks). Under the budget's null (the canary no
 * worse than its baseline) these tests can only fail by chance if the
 * canary's rate exceeds the baseline's by half, so the share barely adds to
 * the chance of a false rollback.
 */
const WARMUP_ALPHA_SHARE = 0.1;

/** One side's bad events among its trials. */
type Tally = { events: number; trials: number };

/**
 * Judges the counts since the canary started while it warms up: 'fail'
 * when its error rate or its health checks' failure rate is above the
 * baseline's plus `WARMUP_GROSS_EXCESS` with confidence, 'inconclusive'
 * otherwise (nothing else is judged during the warm-up), 'no_data' when
 * either side served nothing.
 */
export function judgeWarmup(input: ArmPair, policy: JudgePolicy): Judgement {
  const alpha = policy.falseRollbackBudget * WARMUP_ALPHA_SHARE;
  const metrics: MetricEvidence[] = [];
  if (policy.errorRate.enabled) {
    metrics.push(
      grossExcess({
        rule: 'error_rate',
        canary: {
          events: input.canary.errors,
          trials: input.canary.requests,
        },
        baseline: {
          events: input.baseline.errors,
          trials: input.baseline.requests,
        },
        alpha,
        policy,
        label: 'Canary error rate',
        what: 'requests',
      }),
    );
  }
  if (
    policy.healthChecks.enabled &&
    input.canary.healthChecks &&
    input.baseline.healthChecks
  ) {
    metrics.push(
      grossExcess({
        rule: 'health_checks',
        canary: checks(input.canary),
        baseline: checks(input.baseline),
        alpha,
        policy,
        label: 'Canary health checks failing',
        what: 'health checks',
      }),
    );
  }
  let verdict: Judgement['verdict'] = 'inconclusive';
  if (metrics.some(m => m.verdict === 'fail')) verdict = 'fail';
  else if (!(input.canary.requests > 0) || !(input.baseline.requests > 0)) {
    verdict = 'no_data';
  }
  return { verdict, metrics };
}

function checks(side: ArmMetrics): Tally {
  return {
    events: side.healthChecks?.failed ?? 0,
    trials: (side.healthChecks?.passed ?? 0) + (side.healthChecks?.failed ?? 0),
  };
}

function grossExcess(options: {
  rule: 'error_rate' | 'health_checks';
  canary: Tally;
  baseline: Tally;
  alpha: number;
  policy: JudgePolicy;
  label: string;
  what: string;
}): MetricEvidence {
  const { canary, baseline, alpha } = options;
  const baselineRate =
    baseline.trials > 0 ? baseline.events / baseline.trials : null;
  // The rate to beat: the baseline's plus half of all (a rate of 1 or more
  // cannot be beaten, so such a baseline decides nothing).
  const rate =
    baselineRate === null ? null : baselineRate + WARMUP_GROSS_EXCESS;
  let outcome: TestOutcome = NO_DATA;
  if (rate !== null && rate < 1) {
    outcome = testAboveRate({
      events: canary.events,
      trials: canary.trials,
      rate,
      alpha,
      minEvents: options.policy.minCanaryEvents,
    });
    // Nothing but a gross failure is judged during the warm-up: a canary
    // that is not failing is not yet passing either.
    if (outcome.verdict === 'pass') {
      outcome = { ...outcome, verdict: 'inconclusive' };
    }
    // As the other ratio rules report it: the canary's excess over the
    // baseline, against a limit of WARMUP_GROSS_EXCESS.
    const shift = (value: number | null) =>
      value === null ? null : value + WARMUP_GROSS_EXCESS;
    outcome = {
      ...outcome,
      estimate: shift(outcome.estimate),
      lowerBound: shift(outcome.lowerBound),
      upperBound: shift(outcome.upperBound),
    };
  }
  const side = (tally: Tally) =>
    `${formatRatio(ratio(tally))} (${formatCount(
      tally.events,
    )} of ${formatCount(tally.trials)})`;
  const subject = `${options.label} ${side(canary)} vs baseline ${side(
    baseline,
  )} during the warm-up`;
  const limitText = `${formatPoints(WARMUP_GROSS_EXCESS)} above the baseline`;
  let summary: string;
  if (outcome.verdict === 'fail') {
    summary = `${subject}: failing more ${options.what} than any warm-up (${limitText}).`;
  } else if (outcome.verdict === 'no_data') {
    summary = `${subject}: no data.`;
  } else {
    summary = `${subject}: only a failure beyond ${limitText} is judged until the warm-up ends.`;
  }
  return {
    rule: options.rule,
    unit: 'ratio',
    canary: {
      trials: canary.trials,
      events: canary.events,
      observed: ratio(canary),
    },
    baseline: {
      trials: baseline.trials,
      events: baseline.events,
      observed: baselineRate,
    },
    ...outcome,
    limit: WARMUP_GROSS_EXCESS,
    eValueThreshold: 1 / alpha,
    threshold: WARMUP_GROSS_EXCESS,
    boundarySeconds: null,
    alpha,
    summary,
  };
}

function ratio(tally: Tally): number | null {
  return tally.trials > 0 ? tally.events / tally.trials : null;
}
