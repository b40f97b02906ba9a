/**
 * The DORA report of a range from deployment facts or from aggregates a
 * database computed: percentiles, the aggregates, the measures and their
 * levels per period. Pure functions, as `dora.ts` describes.
 */
import {
  bucketsOf,
  DeploymentFacts,
  DoraBucket,
  DoraBucketRange,
  doraLevel,
  DoraMeasures,
  DoraReport,
} from './dora';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The `q` quantile of numbers sorted ascending, interpolating linearly
 * between the closest ranks exactly like PostgreSQL's `percentile_cont`: the
 * position is `q * (n - 1)` counted from 0. Null for an empty list; throws
 * when `q` is not between 0 and 1.
 * @public
 */
export function quantile(
  sortedAscending: readonly number[],
  q: number,
): number | null {
  if (!(q >= 0 && q <= 1)) {
    throw new Error(`Quantile ${q} is not between 0 and 1`);
  }
  const n = sortedAscending.length;
  if (n === 0) return null;
  const position = q * (n - 1);
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const first = sortedAscending[below];
  if (below === above) return first;
  return first + (sortedAscending[above] - first) * (position - below);
}

/**
 * What the measures of a period are computed from: counts, and the median
 * and p90 of the lead times and recovery times (interpolated like
 * PostgreSQL's percentile_cont). A database can compute it with SQL
 * aggregates; `aggregateFacts` computes it from facts.
 * @public
 */
export interface DoraAggregate {
  deployments: number;
  failures: number;
  /** Failed and not restored. */
  open: number;
  leadTime: { count: number; medianMs: number | null; p90Ms: number | null };
  recoveryTime: {
    count: number;
    medianMs: number | null;
    p90Ms: number | null;
  };
}

/**
 * The aggregate of some facts: a restored failure's recovery time is
 * `restoredAt - (failureStartedAt ?? deployedAt)`, never negative.
 * @public
 */
export function aggregateFacts(
  facts: readonly DeploymentFacts[],
): DoraAggregate {
  const leadTimes: number[] = [];
  const recoveries: number[] = [];
  let failures = 0;
  let open = 0;
  for (const fact of facts) {
    if (fact.leadTimeMs !== null) leadTimes.push(fact.leadTimeMs);
    if (!fact.failed) continue;
    failures++;
    if (fact.restoredAt === null) {
      open++;
    } else {
      const started = fact.failureStartedAt ?? fact.deployedAt;
      recoveries.push(Math.max(0, fact.restoredAt - started));
    }
  }
  leadTimes.sort((a, b) => a - b);
  recoveries.sort((a, b) => a - b);
  return {
    deployments: facts.length,
    failures,
    open,
    leadTime: {
      count: leadTimes.length,
      medianMs: quantile(leadTimes, 0.5),
      p90Ms: quantile(leadTimes, 0.9),
    },
    recoveryTime: {
      count: recoveries.length,
      medianMs: quantile(recoveries, 0.5),
      p90Ms: quantile(recoveries, 0.9),
    },
  };
}

/** The measures and levels of a period of `durationMs` from its aggregate. */
function measuresOfAggregate(
  aggregate: DoraAggregate,
  durationMs: number,
): DoraMeasures {
  const { deployments, failures, open, leadTime, recoveryTime } = aggregate;
  const deploymentsPerDay = (deployments * DAY_MS) / durationMs;
  const rate = deployments ? failures / deployments : null;
  return {
    deployments,
    deploymentsPerDay,
    deploymentFrequencyLevel: doraLevel(
      'deploymentFrequency',
      deploymentsPerDay,
    ),
    leadTime: {
      ...leadTime,
      level: doraLevel('leadTime', leadTime.medianMs),
    },
    changeFailureRate: {
      failures,
      deployments,
      rate,
      level: doraLevel('changeFailureRate', rate),
    },
    recoveryTime: {
      count: recoveryTime.count,
      open,
      medianMs: recoveryTime.medianMs,
      p90Ms: recoveryTime.p90Ms,
      level: doraLevel('recoveryTime', recoveryTime.medianMs),
    },
  };
}

const EMPTY_AGGREGATE: DoraAggregate = {
  deployments: 0,
  failures: 0,
  open: 0,
  leadTime: { count: 0, medianMs: null, p90Ms: null },
  recoveryTime: { count: 0, medianMs: null, p90Ms: null },
};

/**
 * The length of `[start, end)` clipped to the range and to `now`, for
 * deployments per day: at least an hour, so that a period just begun does
 * not divide by almost nothing.
 */
function clippedPeriodMs(
  start: number,
  end: number,
  range: { from: number; to: number; now: number },
): number {
  const clippedStart = Math.max(start, range.from);
  const clippedEnd = Math.min(end, range.to, range.now);
  return Math.max(clippedEnd - clippedStart, HOUR_MS);
}

/** The index of the bucket containing `time`, by binary search. */
function bucketIndex(buckets: readonly DoraBucketRange[], time: number) {
  let low = 0;
  let high = buckets.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (buckets[middle].start <= time) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * The DORA report of the deployments with `from <= deployedAt < to`: the
 * measures over the whole range, and per week or month. A deployment belongs
 * to the bucket of its deployment time, and so do its failure and its
 * recovery, however late they come. Buckets that start after `now` are left
 * out of the series. Deployments per day divide by the part of the range
 * (or bucket) that is inside `[from, to)` and before `now`, at least an
 * hour. The levels are those of the medians and of the rate.
 * @public
 */
export function computeDora(
  facts: readonly DeploymentFacts[],
  options: { from: number; to: number; bucket: DoraBucket; now: number },
): DoraReport {
  const { from, to, bucket } = options;
  const buckets = bucketsOf(from, to, bucket);
  const inRange = facts.filter(f => f.deployedAt >= from && f.deployedAt < to);
  const perBucket: DeploymentFacts[][] = buckets.map(() => []);
  for (const fact of inRange) {
    perBucket[bucketIndex(buckets, fact.deployedAt)].push(fact);
  }
  return doraReportOf(
    {
      summary: aggregateFacts(inRange),
      buckets: new Map(
        buckets.map((b, i) => [b.start, aggregateFacts(perBucket[i])]),
      ),
    },
    options,
  );
}

/**
 * The DORA report from aggregates already computed, e.g. by the database:
 * the range's, and each bucket's by its start (a bucket without deployments
 * may be missing). The same report `computeDora` gives for the same facts.
 * @public
 */
export function doraReportOf(
  aggregates: {
    summary: DoraAggregate;
    buckets: ReadonlyMap<number, DoraAggregate>;
  },
  options: { from: number; to: number; bucket: DoraBucket; now: number },
): DoraReport {
  const { from, to, bucket, now } = options;
  const series: DoraReport['series'] = [];
  for (const { start, end } of bucketsOf(from, to, bucket)) {
    if (start > now) continue;
    series.push({
      start,
      end,
      measures: measuresOfAggregate(
        aggregates.buckets.get(start) ?? EMPTY_AGGREGATE,
        clippedPeriodMs(start, end, options),
      ),
    });
  }
  return {
    from,
    to,
    bucket,
    summary: measuresOfAggregate(
      aggregates.summary,
      clippedPeriodMs(from, to, options),
    ),
    series,
  };
}
