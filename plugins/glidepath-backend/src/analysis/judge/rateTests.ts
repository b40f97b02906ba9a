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
