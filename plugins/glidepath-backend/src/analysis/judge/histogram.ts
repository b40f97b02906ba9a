import type { LatencyBucket } from '@glidepath/backstage-plugin-node';
import { normalCdf, normalQuantile } from './normal';

/** The number of requests a cumulative histogram counts (its `+Inf` bucket). */
export function histogramTotal(buckets: readonly LatencyBucket[]): number {
  return buckets.length ? buckets[buckets.length - 1].count : 0;
}

/**
 * The q-quantile of a cumulative histogram, interpolated linearly within the
 * bucket it falls in, as Prometheus' `histogram_quantile` does: the first
 * bucket's lower bound is 0, and a quantile in the `+Inf` bucket is the
 * highest finite bound. Null for an empty histogram.
 */
export function histogramQuantile(
  q: number,
  buckets: readonly LatencyBucket[],
): number | null {
  const total = histogramTotal(buckets);
  if (!(total > 0)) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const bucket of buckets) {
    if (bucket.count >= rank) {
      if (bucket.le === Infinity) return lower;
      const inBucket = bucket.count - below;
      if (inBucket <= 0) return bucket.le;
      return lower + ((bucket.le - lower) * (rank - below)) / inBucket;
    }
    lower = bucket.le;
    below = bucket.count;
  }
  return lower;
}

/*
 * Between two bounds, a histogram says how many requests fell, not where.
 * Linear interpolation (Prometheus' `histogram_quantile`) spreads them
 * evenly; latency is skewed, so in a wide bucket (100 ms to 250 ms) most of
 * them lie near its lower bound, and a small shift that moves the p95 into
 * the bucket reads as a large one (105 -> 131 ms read as 96 -> 205 ms).
 * Counting only the buckets above a limit is exact but blind inside the
 * bucket that holds it: a p95 2.4x worse, still under the next bound,
 * fails nothing.
 *
 * So a quantile is read on the log-normal curve through the two bounds
 * around it (latency is close to log-normal: the normal quantile of the
 * share below a bound is taken as linear in the bound's logarithm). And the
 * share of requests slower than a point between two bounds is read on a
 * log-normal shifted by a constant (an added call makes every request some
 * milliseconds slower and the distribution narrower, and a plain log-normal
 * through two bounds would then overstate its tail), fitted through three
 * bounds: the two around the point and a neighbour, each with requests on
 * both sides. Where no such three bounds exist (a canary whose requests
 * all got some hundreds of milliseconds slower sits in two buckets), and a
 * reference histogram is given (the baseline's), the share is read on the
 * reference's own curve, stretched and shifted to go through the counts at
 * the two bounds around the point: a regression that multiplies every
 * request's time, adds a delay to it, or both, has exactly that shape.
 * Otherwise it is the exact count above the next bound, the least it can
 * be. Every curve goes through the exact count at every bound, so it errs
 * only inside one bucket.
 */

/** A finite bound with the share of requests at or below it. */
type Point = { bound: number; count: number; share: number; z: number };

/** A bound carries the shape when at least this many requests lie on each side of it. */
const MIN_SIDE = 5;

/** Does the bound have at least MIN_SIDE of the `total` requests on each side? */
function hasBothSides(p: Point, total: number): boolean {
  return p.count >= MIN_SIDE && total - p.count >= MIN_SIDE;
}

function finitePoints(buckets: readonly LatencyBucket[]): Point[] {
  const total = histogramTotal(buckets);
  // A share of exactly 0 or 1 has no normal quantile: half a request from it.
  const edge = 0.5 / total;
  return buckets
    .filter(bucket => bucket.le !== Infinity && bucket.le > 0)
    .map(bucket => {
      const share = bucket.count / total;
      return {
        bound: bucket.le,
        count: bucket.count,
        share,
        z: normalQuantile(Math.min(1 - edge, Math.max(edge, share))),
      };
    });
}

/** z = (ln(x - shift) - mu) / sigma. */
type ShiftedLogNormal = { shift: number; mu: number; sigma: number };

/**
 * The shifted log-normal through three points, or null when no shift
 * fits them (fewer than MIN_SIDE requests on a side of one, or a curve
 * bent the other way).
 */
function throughThree(
  a: Point,
  b: Point,
  c: Point,
  total: number,
): ShiftedLogNormal | null {
  if (![a, b, c].every(p => hasBothSides(p, total))) return null;
  if (!(a.z < b.z && b.z < c.z)) return null;
  const target = (b.z - a.z) / (c.z - b.z);
  // The ratio of the log-distances grows with the shift, from that of the
  // plain distances (shift -> -infinity) to infinity (shift -> a).
  const ratio = (shift: number) =>
    Math.log((b.bound - shift) / (a.bound - shift)) /
    Math.log((c.bound - shift) / (b.bound - shift));
  let low = a.bound - 1e4 * c.bound;
  let high = a.bound * (1 - 1e-9);
  if (!(ratio(low) < target)) return null;
  for (let i = 0; i < 80; i++) {
    const mid = (low + high) / 2;
    if (ratio(mid) < target) low = mid;
    else high = mid;
  }
  const shift = (low + high) / 2;
  const sigma = Math.log((b.bound - shift) / (a.bound - shift)) / (b.z - a.z);
  if (!(sigma > 0) || !Number.isFinite(sigma)) return null;
  return { shift, sigma, mu: Math.log(a.bound - shift) - sigma * a.z };
}

/**
 * The shifted log-normal for the segment between points[upper - 1] and
 * points[upper] (for upper 0, the segment below the first bound): through
 * the bound below it or, failing that, the bound above it.
 */
function segmentCurve(
  points: Point[],
  upper: number,
  total: number,
): ShiftedLogNormal | null {
  // Below the first bound, the first three bounds describe it; elsewhere
  // a triple holding both of the segment's bounds.
  const usable = (
    upper === 0
      ? [[0, 1, 2]]
      : [
          [upper - 2, upper - 1, upper],
          [upper - 1, upper, upper + 1],
        ]
  ).filter(t => t[0] >= 0 && t[2] < points.length);
  for (const [i, j, k] of usable) {
    const curve = throughThree(points[i], points[j], points[k], total);
    if (curve) return curve;
  }
  return null;
}

/** The reference must count at least this many requests to lend its shape. */
const MIN_REFERENCE = 200;

/**
 * The share of requests slower than `seconds` read on `reference`'s curve
 * stretched and shifted (x -> a x + b) to go through the shares at `lo`
 * and `hi`, the bounds around it. When only one of them has requests on
 * both sides, one count cannot fix both a and b: of the curves through it
 * that make requests slower, not faster or more alike (a >= 1, b >= 0),
 * the one with the least share above `seconds` is taken: stretched only
 * (b = 0) through `hi`, shifted only (a = 1) through `lo`. Null when the
 * reference cannot be read there (too few requests, or its quantiles do
 * not rise).
 */
function shareOnReference(
  seconds: number,
  lo: Point | undefined,
  hi: Point | undefined,
  reference: readonly LatencyBucket[],
): number | null {
  if (!(histogramTotal(reference) >= MIN_REFERENCE)) return null;
  // The reference's times at the shares the bounds have.
  const at = (point: Point | undefined) =>
    point ? histogramQuantileSmooth(point.share, reference) : null;
  const atLo = at(lo);
  const atHi = at(hi);
  let mapped: number;
  if (lo && hi && atLo !== null && atHi !== null) {
    if (!(atHi > atLo)) return null;
    mapped =
      atLo + ((seconds - lo.bound) * (atHi - atLo)) / (hi.bound - lo.bound);
  } else if (hi && atHi !== null && atHi > 0) {
    mapped = (seconds * atHi) / hi.bound;
  } else if (lo && atLo !== null) {
    mapped = atLo + (seconds - lo.bound);
  } else {
    return null;
  }
  // Where `seconds` falls on the reference's curve, mapped back.
  return shareOnLogNormal(mapped, reference);
}

/**
 * The share of requests slower than `seconds` on the log-normal curve
 * through the two bounds around it, the curve `histogramQuantileSmooth`
 * reads quantiles on (so that a time read there at a share gives that
 * share back). Null for an empty histogram or beyond the highest finite
 * bound.
 */
function shareOnLogNormal(
  seconds: number,
  buckets: readonly LatencyBucket[],
): number | null {
  if (!(histogramTotal(buckets) > 0)) return null;
  const points = finitePoints(buckets);
  const upper = points.findIndex(p => p.bound >= seconds);
  if (upper < 0) return null;
  const hi = points[upper];
  if (!(seconds > 0)) return 1;
  if (hi.bound === seconds || points.length < 2) return 1 - hi.share;
  const lo = upper > 0 ? points[upper - 1] : undefined;
  // Below the first bound, the curve through the first two, extended.
  const [a, b] = lo ? [lo, hi] : [points[0], points[1]];
  const z =
    a.z +
    ((Math.log(seconds) - Math.log(a.bound)) * (b.z - a.z)) /
      (Math.log(b.bound) - Math.log(a.bound));
  return Math.min(
    1 - (lo?.share ?? 0),
    Math.max(1 - hi.share, 1 - normalCdf(z)),
  );
}

/**
 * The share of requests slower than `seconds`: exact at a bound; between
 * two bounds, on the shifted log-normal through three bounds (see above)
 * where the counts allow it, otherwise on `reference`'s curve through the
 * two bounds when one is given and can be read, otherwise the share slower
 * than the bound above, the least it can be. Never more than the share
 * slower than the bound below, never less than that above. Null for an
 * empty histogram, or beyond the highest finite bound (the counts cannot
 * tell).
 */
export function histogramShareSlowerThan(
  seconds: number,
  buckets: readonly LatencyBucket[],
  reference?: readonly LatencyBucket[],
): number | null {
  const total = histogramTotal(buckets);
  if (!(total > 0)) return null;
  const points = finitePoints(buckets);
  const upper = points.findIndex(p => p.bound >= seconds);
  if (upper < 0) return null;
  const hi = points[upper];
  if (hi.bound === seconds || !(seconds > 0)) {
    return seconds > 0 ? 1 - hi.share : 1;
  }
  const lo = upper > 0 ? points[upper - 1] : undefined;
  const ceiling = 1 - (lo?.share ?? 0);
  const floor = 1 - hi.share;
  const curve = segmentCurve(points, upper, total);
  let slower = floor;
  if (curve && seconds > curve.shift) {
    slower =
      1 - normalCdf((Math.log(seconds - curve.shift) - curve.mu) / curve.sigma);
  } else if (!curve && reference) {
    const shapedLo = lo && hasBothSides(lo, total) ? lo : undefined;
    const shapedHi = hasBothSides(hi, total) ? hi : undefined;
    if (shapedLo || shapedHi) {
      slower =
        shareOnReference(seconds, shapedLo, shapedHi, reference) ?? floor;
    }
  }
  return Math.min(ceiling, Math.max(floor, slower));
}

/**
 * The q-quantile on the log-normal curve through the two bounds of its
 * bucket (below the first bound, the curve through the first two,
 * extended), never outside the bucket; in the `+Inf` bucket, the highest
 * finite bound (as Prometheus); with one finite bound, as Prometheus. Null
 * for an empty histogram.
 */
export function histogramQuantileSmooth(
  q: number,
  buckets: readonly LatencyBucket[],
): number | null {
  const total = histogramTotal(buckets);
  if (!(total > 0)) return null;
  const rank = q * total;
  const bucket =
    buckets.find(b => b.count >= rank) ?? buckets[buckets.length - 1];
  const points = finitePoints(buckets);
  const upper = points.findIndex(p => p.bound === bucket.le);
  if (bucket.le === Infinity || upper < 0 || points.length < 2) {
    return histogramQuantile(q, buckets);
  }
  const hi = points[upper];
  const lo = upper > 0 ? points[upper - 1] : undefined;
  const floor = lo?.bound ?? 0;
  const zq = normalQuantile(q);
  // Below the first bound, the curve through the first two, extended.
  const [a, b] = lo ? [lo, hi] : [points[0], points[1]];
  const value =
    b.z === a.z
      ? hi.bound
      : Math.exp(
          Math.log(a.bound) +
            ((zq - a.z) * Math.log(b.bound / a.bound)) / (b.z - a.z),
        );
  return Math.min(hi.bound, Math.max(floor, value));
}
