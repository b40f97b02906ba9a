/** Small, pure statistics helpers for the canary bench. */

// The standard normal distribution: the judge's (one place for it).
import { normalQuantile } from '../../plugins/glidepath-backend/src/analysis/judge/normal';

export {
  normalCdf,
  normalQuantile,
} from '../../plugins/glidepath-backend/src/analysis/judge/normal';

/**
 * Wilson's score interval for a proportion (`successes` of `trials`) at the
 * given confidence: unlike the normal approximation it stays inside [0, 1]
 * and gives a useful upper bound when no event was seen (0 of 3,000 gives
 * [0, 0.128%] at 95%).
 */
export function wilsonInterval(
  successes: number,
  trials: number,
  confidence = 0.95,
): { low: number; high: number } {
  if (!(trials > 0)) return { low: 0, high: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half =
    (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) /
    (1 + z2 / trials);
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === trials ? 1 : Math.min(1, centre + half),
  };
}

/**
 * The q-quantile of `values` by linear interpolation between order
 * statistics (R's type 7, numpy's default); null for no values.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length ? sum / values.length : NaN;
}
