/**
 * The recording as a Prometheus TSDB would hold it, for the emulations of
 * tools that query Prometheus themselves (Flagger, Argo Rollouts, Kayenta):
 * one sample per arm per scrape where the arm was scraped, none during an
 * outage, and every query failing while the provider is down.
 *
 * Range selectors are left-open, (t - range, t], as in Prometheus 3.
 */
import type { LatencyBucket } from '@glidepath/backstage-plugin-node';
import { histogramQuantile } from '../../plugins/glidepath-backend/src/analysis/judge/histogram';
import type { Recording, ScrapeStatus } from './corpus';

/** One arm's samples, in time order. */
export type Series = {
  t: number[];
  requests: number[];
  errors: number[];
  buckets: LatencyBucket[][];
};

export class PromView {
  readonly canary: Series = { t: [], requests: [], errors: [], buckets: [] };
  readonly baseline: Series = { t: [], requests: [], errors: [], buckets: [] };
  private readonly scrapeTimes: number[] = [];
  private readonly statuses: ScrapeStatus[] = [];

  constructor(recording: Recording) {
    for (const scrape of recording.scrapes) {
      this.scrapeTimes.push(scrape.t);
      this.statuses.push(scrape.status);
      if (scrape.status === 'outage') continue;
      for (const [arm, series] of [
        [scrape.canary, this.canary],
        [scrape.baseline, this.baseline],
      ] as const) {
        if (!arm) continue;
        series.t.push(scrape.t);
        series.requests.push(arm.requests);
        series.errors.push(arm.errors);
        series.buckets.push(arm.latencyBuckets);
      }
    }
  }

  /** Does a query at `t` fail (the provider is down at its latest scrape)? */
  queryFails(t: number): boolean {
    const i = lastAtOrBefore(this.scrapeTimes, t);
    return i >= 0 && this.statuses[i] === 'outage';
  }
}

/** The index of the last element <= t in a sorted array, or -1. */
export function lastAtOrBefore(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= t + 1e-9) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** The indices [first, last] of the samples in (from, to], or null if none. */
export function samplesIn(
  series: Series,
  from: number,
  to: number,
): { first: number; last: number } | null {
  const last = lastAtOrBefore(series.t, to);
  const before = lastAtOrBefore(series.t, from);
  if (last < 0 || last <= before) return null;
  return { first: before + 1, last };
}

/** The increase of a series' counts between two sample indices. */
export type Increase = {
  requests: number;
  errors: number;
  buckets: LatencyBucket[];
};

export function increase(series: Series, i: number, j: number): Increase {
  const from = series.buckets[i];
  const to = series.buckets[j];
  return {
    requests: series.requests[j] - series.requests[i],
    errors: series.errors[j] - series.errors[i],
    buckets: to.map((b, k) => ({ le: b.le, count: b.count - from[k].count })),
  };
}

/**
 * `rate(x[range])` of the requests and errors over (t - range, t], as a
 * ratio of increases (the extrapolation Prometheus applies is the same for
 * both and cancels): null when the range holds fewer than two samples (no
 * result), as Prometheus returns nothing then.
 */
export function rangeIncrease(
  series: Series,
  t: number,
  rangeSeconds: number,
): Increase | null {
  const span = samplesIn(series, t - rangeSeconds, t);
  if (!span || span.last - span.first < 1) return null;
  return increase(series, span.first, span.last);
}

/** `irate(x[range])`: the last two samples in (t - range, t]. */
export function lastTwoIncrease(
  series: Series,
  t: number,
  rangeSeconds: number,
): Increase | null {
  const span = samplesIn(series, t - rangeSeconds, t);
  if (!span || span.last - span.first < 1) return null;
  return increase(series, span.last - 1, span.last);
}

/** `histogram_quantile(q, ...)` of an increase; NaN for an empty histogram. */
export function quantileOf(q: number, inc: Increase): number {
  return histogramQuantile(q, inc.buckets) ?? NaN;
}
