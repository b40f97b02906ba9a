/**
 * Anytime-valid sequential tests on counts: Robbins' normal-mixture
 * martingale (the "mixture SPRT" of Johari et al., "Always Valid Inference",
 * and the boundary of Howard et al.'s confidence sequences) applied to the
 * estimate of a rate or a difference of rates and its variance.
 *
 * With a N(0, tau^2) mixing distribution over the effect, the likelihood
 * ratio of an estimate `d` with variance `v` against the null value 0 is
 *
 *   L(d, v) = sqrt(v / (v + tau^2)) * exp(tau^2 d^2 / (2 v (v + tau^2)))
 *
 * which is (asymptotically) a nonnegative martingale under the null, so by
 * Ville's inequality the chance that it ever reaches 1/alpha, however often
 * it is looked at, is at most alpha. Averaging it over several tau keeps that
 * property and makes the test quick for large effects and patient for small
 * ones. Solving L = 1/alpha for d gives the half-width of a confidence
 * sequence: an interval that holds at every look at once.
 */

/**
 * The mixing scales, as multiples of the rule's natural scale (its limit),
 * and their weights: most weight near the limit, where evidence is scarce;
 * large effects bring evidence to spare.
 */
export const MIXING_SCALES: ReadonlyArray<{ scale: number; weight: number }> = [
  { scale: 1, weight: 0.6 },
  { scale: 4, weight: 0.3 },
  { scale: 16, weight: 0.1 },
];

/** The mixture likelihood ratio for one mixing scale. */
function mixtureRatio(estimate: number, variance: number, tau: number): number {
  const tau2 = tau * tau;
  const exponent =
    (tau2 * estimate * estimate) / (2 * variance * (variance + tau2));
  // Cap the exponent: e^700 is near the largest double, and beyond any
  // threshold anyone would use.
  return (
    Math.sqrt(variance / (variance + tau2)) * Math.exp(Math.min(exponent, 700))
  );
}

/**
 * The e-value against "the true value is at most 0" for an estimate with the
 * given variance under the null: the average over the mixing scales of the
 * one-sided mixture ratio (1 when the estimate is not positive, since such an
 * estimate is no evidence against the null).
 */
export function eValueAboveZero(
  estimate: number,
  nullVariance: number,
  scale: number,
): number {
  if (!(estimate > 0)) return 1;
  // Finite, so that it survives JSON: a zero variance is overwhelming evidence.
  if (!(nullVariance > 0)) return Number.MAX_VALUE;
  let sum = 0;
  for (const mixing of MIXING_SCALES) {
    sum +=
      mixing.weight *
      mixtureRatio(estimate, nullVariance, scale * mixing.scale);
  }
  return sum;
}

/**
 * Half the width of the normal-mixture confidence sequence at level alpha for
 * an estimate with the given variance, mixing scale `tau`.
 */
export function confidenceHalfWidth(
  variance: number,
  tau: number,
  alpha: number,
): number {
  if (!(variance > 0)) return 0;
  const tau2 = tau * tau;
  const ratio = (variance + tau2) / tau2;
  return Math.sqrt(
    2 *
      variance *
      ratio *
      Math.log(Math.sqrt((variance + tau2) / variance) / alpha),
  );
}

/**
 * A rate with a little smoothing (half an event and half a non-event, as
 * Jeffreys' prior would), so that zero counts do not make a variance vanish.
 */
export function smoothedRate(events: number, trials: number): number {
  return (events + 0.5) / (trials + 1);
}

/** The variance of a rate estimated from `trials` Bernoulli trials. */
export function rateVariance(rate: number, trials: number): number {
  return trials > 0 ? (rate * (1 - rate)) / trials : Number.POSITIVE_INFINITY;
}

/**
 * The half-width of the intersection of one confidence sequence per mixing
 * scale, each at its weight's share of alpha: valid at alpha together (a
 * union bound), and as narrow as the best-suited scale allows.
 */
export function mixtureHalfWidth(
  variance: number,
  scale: number,
  alpha: number,
): number {
  let narrowest = Number.POSITIVE_INFINITY;
  for (const mixing of MIXING_SCALES) {
    narrowest = Math.min(
      narrowest,
      confidenceHalfWidth(
        variance,
        scale * mixing.scale,
        alpha * mixing.weight,
      ),
    );
  }
  return narrowest;
}
