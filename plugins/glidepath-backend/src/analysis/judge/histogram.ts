import type { LatencyBucket } from '@glidepath/backstage-plugin-node';

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

/**
 * The requests surely slower than `seconds`: those in the buckets above the
 * first bound at or above it, with that bound. A histogram cannot say where
 * in its bucket a request fell, so none of the bucket holding `seconds` is
 * counted: the count is exact for the bound, and at most the true count of
 * requests slower than `seconds`. Null when `seconds` is beyond the highest
 * finite bound (the buckets cannot tell).
 */
export function countSurelySlowerThan(
  seconds: number,
  buckets: readonly LatencyBucket[],
): { count: number; bound: number } | null {
  const total = histogramTotal(buckets);
  for (const bucket of buckets) {
    if (bucket.le === Infinity) return null;
    if (bucket.le >= seconds) {
      return { count: Math.max(0, total - bucket.count), bound: bucket.le };
    }
  }
  return null;
}
