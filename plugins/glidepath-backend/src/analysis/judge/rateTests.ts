/*
 * The two sequential tests the rules are made of: is a bad-event rate above
 * another side's, or above a fixed rate? Each gives pass, fail,
 * inconclusive or no data, with the estimate, its confidence bounds and
 * the e-value.
 */
import type {
  MetricEvidence,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import {
  eValueAboveZero,
  mixtureHalfWidth,
  rateVariance,
  smoothedRate,
} from './sequential';

export type TestOutcome = Pick<
  MetricEvidence,
  'verdict' | 'estimate' | 'lowerBound' | 'upperBound' | 'eValue'
>;

export const NO_DATA: TestOutcome = {
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
   * (see `isMaterialExcess`). Default: any significant excess fails.
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
  /**
   * How far apart two healthy arms' rates wander, as a share of the
   * baseline's rate (see `JudgePolicy.armSpread`): added, in quadrature, to
   * the standard error that the materiality check subtracts. Default 0.
   */
  armSpread?: number;
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
      material: isMaterialExcess({
        ...options,
        estimate,
        standardError: Math.sqrt(
          variance + ((options.armSpread ?? 0) * (eb / nb)) ** 2,
        ),
      }),
    }),
    estimate,
    lowerBound,
    upperBound,
    eValue,
  };
}

/**
 * With a canary rate `materialRatio` times the baseline's, the share of the
 * limit its excess must reach. It was a half, on the point estimate: a
 * canary 0.3 pp above a baseline of 0.1% is 4x worse and well within a
 * +1 pp policy, and a noisy early estimate of its excess passed a half.
 */
const RATIO_MATERIAL_SHARE = 0.6;

/**
 * Is the canary's measured excess large enough to blame it? A significant
 * excess is not enough: on large counts a harmless one is significant too.
 * The excess, less one standard error (so that a noisy early estimate does
 * not pass by chance), must be at least `materialShare` of the limit, or,
 * when the canary's rate is `materialRatio` times the baseline's or more,
 * at least `RATIO_MATERIAL_SHARE` of it.
 */
export function isMaterialExcess(options: {
  canaryEvents: number;
  canaryTrials: number;
  baselineEvents: number;
  baselineTrials: number;
  limit: number;
  estimate: number;
  standardError: number;
  materialShare?: number;
  materialRatio?: number;
}): boolean {
  const { canaryEvents: ec, canaryTrials: nc } = options;
  const { baselineEvents: eb, baselineTrials: nb } = options;
  if (options.materialShare === undefined) return true;
  const excess = options.estimate - options.standardError;
  if (excess >= (options.materialShare ?? 0) * options.limit) return true;
  return (
    options.materialRatio !== undefined &&
    ec / nc >= options.materialRatio * (eb / nb) &&
    excess >= RATIO_MATERIAL_SHARE * options.limit
  );
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
