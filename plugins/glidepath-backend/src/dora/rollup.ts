/**
 * The pure part of DORA's rollup (see the migration `dora_rollup`): which
 * buckets of a range can be read from the rollup, histograms of durations
 * that add up across buckets, and exact percentiles from a histogram and
 * the few values around a rank.
 *
 * A percentile over many buckets cannot be computed from the buckets'
 * percentiles, but counts per bin add up: the bin holding a rank says where
 * to start reading the sorted values, and the store reads the one or two
 * values needed from an index. The result is the same number
 * `percentile_cont` (and `quantile` of `-common`) gives over every value.
 */
import { bucketsOf, DoraBucket } from '@glidepath/backstage-plugin-common';

/**
 * The lower bounds of the histograms' bins, in ms, ascending: one bin per
 * millisecond below 64 ms, then bins about 1.6% wide (1/64 of a doubling)
 * up to 10^13 ms (three centuries); the last bin has no upper bound. Bin i
 * (from 1, as PostgreSQL's `width_bucket` counts) holds the values from
 * bound i - 1 up to bound i. Stored histograms are by these bins: changing
 * them needs a migration that empties `dora_rollup`.
 */
export const HISTOGRAM_BOUNDS: readonly number[] = (() => {
  const bounds = [0];
  for (let last = 0; last < 1e13; ) {
    last = Math.max(last + 1, Math.ceil(last * (1 + 1 / 64)));
    bounds.push(last);
  }
  return bounds;
})();

/** Counts per bin (1-based, by `HISTOGRAM_BOUNDS`). */
export type Histogram = Map<number, number>;

/** The sum of some histograms. */
export function mergeHistograms(histograms: Iterable<Histogram>): Histogram {
  const out: Histogram = new Map();
  for (const histogram of histograms) {
    for (const [bin, count] of histogram) {
      out.set(bin, (out.get(bin) ?? 0) + count);
    }
  }
  return out;
}

/**
 * Where the value of a rank (0-based, ascending) is: the lower bound of its
 * bin, and how many values of the histogram are at or above that bound and
 * before the rank. Undefined when the histogram has no more values than
 * the rank.
 */
export function locateRank(
  histogram: Histogram,
  rank: number,
): { from: number; offset: number } | undefined {
  let below = 0;
  for (const bin of [...histogram.keys()].sort((a, b) => a - b)) {
    const count = histogram.get(bin)!;
    if (rank < below + count) {
      return { from: HISTOGRAM_BOUNDS[bin - 1], offset: rank - below };
    }
    below += count;
  }
  return undefined;
}

/**
 * The ranks the `q` quantile of `count` values interpolates between, and
 * by how much: the definition of `quantile` (and `percentile_cont`).
 * Undefined for no values.
 */
export function quantileRanks(
  count: number,
  q: number,
): { below: number; above: number; fraction: number } | undefined {
  if (count === 0) return undefined;
  const position = q * (count - 1);
  const below = Math.floor(position);
  return { below, above: Math.ceil(position), fraction: position - below };
}

/**
 * The quantile from the values at its two ranks (one when they are the
 * same), computed as `quantile` does.
 */
export function interpolateRanks(
  ranks: { below: number; above: number; fraction: number },
  values: readonly number[],
): number {
  const first = values[0];
  if (ranks.below === ranks.above) return first;
  return first + (values[1] - first) * ranks.fraction;
}

/**
 * How a range splits for the rollup: the buckets entirely inside
 * `[from, to)`, which the rollup holds, and the parts of the range outside
 * them (at most two, at the ends), which are read from the deployments.
 * Without a whole bucket inside, the range is all parts.
 */
export function splitRange(
  from: number,
  to: number,
  bucket: DoraBucket,
): {
  whole: Array<{ start: number; end: number }>;
  parts: Array<{ from: number; to: number }>;
} {
  const whole = bucketsOf(from, to, bucket).filter(
    b => b.start >= from && b.end <= to,
  );
  if (whole.length === 0) return { whole, parts: [{ from, to }] };
  const parts: Array<{ from: number; to: number }> = [];
  if (from < whole[0].start) parts.push({ from, to: whole[0].start });
  const end = whole[whole.length - 1].end;
  if (end < to) parts.push({ from: end, to });
  return { whole, parts };
}
