/**
 * The DORA measures of Glidepath: their types, calendar buckets and levels,
 * what the frontend and the API share. The computations are beside it, as
 * pure functions: which deployment an incident is attributed to and what
 * is kept per deployment (`doraAttribution.ts`), the aggregates and the
 * report (`doraAggregate.ts`), its CSV (`doraCsv.ts`). docs/dora.md gives
 * the definitions in plain words.
 *
 * Nothing here reads the clock or does I/O: every timestamp is a number of
 * epoch milliseconds (UTC, whole milliseconds), and the current time is
 * passed in. Deployment and incident ids are assumed unique; entity refs are
 * compared as given, so both sides must already be lower case.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The calendar unit of a report's series. @public */
export type DoraBucket = 'week' | 'month';

/** The DORA performance levels, best first. @public */
export type DoraLevel = 'elite' | 'high' | 'medium' | 'low';

/** How a production deployment ended. @public */
export type DeploymentOutcome =
  | 'succeeded'
  | 'failed'
  | 'rolled_back'
  | 'aborted';

/**
 * Which rule made a deployment a failed change: its own outcome
 * (`rolled-back`, also for aborted and failed deployments), an incident that
 * links it explicitly (`linked-incident`), or an incident of its entity
 * opened while it was the release serving production (`latest-release`:
 * the latest deployment not already rolled back by then).
 * @public
 */
export type FailureRule = 'rolled-back' | 'linked-incident' | 'latest-release';

/**
 * A production deployment, as the DORA computations see it: times in epoch
 * milliseconds. The one definition of a deployment's fields: with `Date`
 * times (`DoraDeployment<Date>`) it is the base of a deployment as received,
 * `HistoryDeployment` in `-node` and the backend's `DeploymentEvent`.
 * @public
 */
export interface DoraDeployment<Time = number> {
  /** The deployment's event id. */
  id: string;
  /** The deployed entity, lower case, e.g. `component:default/payments`. */
  entityRef: string;
  /** The deployed version, when known. */
  version: string | null;
  /** When it went to production. */
  deployedAt: Time;
  /** The first commit of the change, for lead time; null when unknown. */
  firstCommitAt: Time | null;
  /** How it ended. */
  outcome: DeploymentOutcome;
  /**
   * When it ended; for a rolled-back, aborted or failed deployment, when the
   * previous version was serving again (the restore). Null while running or
   * when unknown.
   */
  finishedAt: Time | null;
}

/**
 * An incident, as the DORA computations see it. Its create and resolve
 * events can arrive in either order, so what the create event carries may
 * still be missing.
 * @public
 */
export interface DoraIncident {
  id: string;
  /** The affected entity, lower case; null until the create event arrived. */
  entityRef: string | null;
  /** When it was opened; null until the create event arrived. */
  openedAt: number | null;
  /** When it was resolved; null while open. */
  resolvedAt: number | null;
  /** Explicit link to the event id of the deployment that caused it. */
  deploymentId: string | null;
  /** Explicit link by the version of its entity that caused it. */
  version: string | null;
}

/** What the store keeps per deployment once failures are attributed. @public */
export interface DeploymentFacts {
  id: string;
  entityRef: string;
  deployedAt: number;
  /**
   * `deployedAt - firstCommitAt` for a succeeded deployment with a first
   * commit at or before it; null otherwise (never negative).
   */
  leadTimeMs: number | null;
  /** Whether it is a failed change. */
  failed: boolean;
  /** Why it is a failed change; null when it is not. */
  failureRule: FailureRule | null;
  /** When its failure started; null when it is not a failed change. */
  failureStartedAt: number | null;
  /** When service was restored; null while not restored (or not failed). */
  restoredAt: number | null;
  /** The incidents attributed to it, sorted. */
  incidentIds: string[];
}

/** A time bucket of a report: `[start, end)`. @public */
export interface DoraBucketRange {
  start: number;
  end: number;
}

/** The four DORA measures over a period. @public */
export interface DoraMeasures {
  /** Deployments in the period. */
  deployments: number;
  /**
   * Deployments per day of the period, the period being clipped to the
   * report's range and to `now`, and counted as at least one hour.
   */
  deploymentsPerDay: number;
  /** The level of `deploymentsPerDay`; no deployments is 'low'. */
  deploymentFrequencyLevel: DoraLevel | null;
  /** Lead times of the deployments with one; the level is the median's. */
  leadTime: {
    count: number;
    medianMs: number | null;
    p90Ms: number | null;
    level: DoraLevel | null;
  };
  /** Failed changes over deployments; rate null when no deployments. */
  changeFailureRate: {
    failures: number;
    deployments: number;
    rate: number | null;
    level: DoraLevel | null;
  };
  /**
   * Recovery times of the failed deployments of the period that are
   * restored; `open` counts those not restored yet. The level is the
   * median's.
   */
  recoveryTime: {
    count: number;
    open: number;
    medianMs: number | null;
    p90Ms: number | null;
    level: DoraLevel | null;
  };
}

/** The DORA measures of a range, overall and per bucket. @public */
export interface DoraReport {
  from: number;
  to: number;
  bucket: DoraBucket;
  /** Every deployment with `from <= deployedAt < to`. */
  summary: DoraMeasures;
  /** One entry per bucket that has started by `now`, oldest first. */
  series: Array<{ start: number; end: number; measures: DoraMeasures }>;
}

/** The start of the bucket containing `time`. */
function bucketStart(time: number, bucket: DoraBucket): number {
  const date = new Date(time);
  if (bucket === 'month') {
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  }
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return Date.UTC(
    date.getUTCFullYear(),
    date.getUTCMonth(),
    date.getUTCDate() - sinceMonday,
  );
}

/** The start of the bucket after the one starting at `start`. */
function nextBucketStart(start: number, bucket: DoraBucket): number {
  if (bucket === 'week') return start + 7 * DAY_MS;
  const date = new Date(start);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

const MAX_BUCKETS = 600;

/**
 * The calendar buckets covering `[from, to)`: weeks from Monday 00:00 UTC,
 * or months from the 1st 00:00 UTC, each `[start, end)`. The first is the
 * one containing `from`, the last the one containing `to - 1`, so the first
 * and last can extend beyond the range. Throws when `to <= from` or when
 * that would be more than 600 buckets.
 * @public
 */
export function bucketsOf(
  from: number,
  to: number,
  bucket: DoraBucket,
): DoraBucketRange[] {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    throw new Error(`Invalid range: from ${from} must be before to ${to}`);
  }
  const buckets: DoraBucketRange[] = [];
  for (let start = bucketStart(from, bucket); start < to; ) {
    if (buckets.length === MAX_BUCKETS) {
      throw new Error(
        `Too many buckets: the range covers more than ${MAX_BUCKETS} ${bucket}s`,
      );
    }
    const end = nextBucketStart(start, bucket);
    buckets.push({ start, end });
    start = end;
  }
  return buckets;
}

/** The four DORA measures that have a level. @public */
export type DoraMeasure =
  | 'deploymentFrequency'
  | 'leadTime'
  | 'changeFailureRate'
  | 'recoveryTime';

/**
 * One band of our reading of a measure: the level, and the bound a value
 * must meet to get it. The last band of a measure has no bound.
 * @public
 */
export interface DoraLevelBand {
  level: DoraLevel;
  /** Reached by values at least this (more is better). */
  atLeast?: number;
  /** Reached by values below this (less is better). */
  below?: number;
  /** Reached by values at most this (less is better). */
  atMost?: number;
}

/** The levels of one measure: the report's words and our reading. @public */
export interface DoraLevelTable {
  /** What the value is measured in. */
  unit: string;
  /** The typical value of each performance cluster, as the report gives it. */
  report: Readonly<Record<DoraLevel, string>>;
  /** Our reading as bands: a value gets the first band whose bound it meets. */
  bands: readonly DoraLevelBand[];
}

/**
 * The levels of the DORA 2024 report (Accelerate State of DevOps), the one
 * place the thresholds live. The report describes four clusters of
 * respondents by their typical values, not bands with edges, and its medium
 * cluster has a lower change failure rate (10%) than its high one (20%), so
 * the bands are our reading, measure by measure:
 *
 * - deployment frequency (deployments per day): elite at least once a day,
 *   high at least once a week, medium at least once in 30 days, else low;
 * - lead time: elite under a day, high under 7 days, medium under 30 days,
 *   else low;
 * - change failure rate (0..1): the cluster with the nearest typical value,
 *   the better one at the midpoints: elite up to 7.5%, medium up to 15%,
 *   high up to 30%, low above;
 * - recovery time: elite under an hour, high under a day, medium under 7
 *   days, else low (the report's high and medium clusters both say "less
 *   than one day", its low one starts at a week).
 * @public
 */
export const DORA_2024_LEVELS: Readonly<Record<DoraMeasure, DoraLevelTable>> = {
  deploymentFrequency: {
    unit: 'deployments per day',
    report: {
      elite: 'On demand (multiple deploys per day)',
      high: 'Between once per day and once per week',
      medium: 'Between once per week and once per month',
      low: 'Between once per month and once every six months',
    },
    bands: [
      { level: 'elite', atLeast: 1 },
      { level: 'high', atLeast: 1 / 7 },
      { level: 'medium', atLeast: 1 / 30 },
      { level: 'low' },
    ],
  },
  leadTime: {
    unit: 'milliseconds',
    report: {
      elite: 'Less than one day',
      high: 'Between one day and one week',
      medium: 'Between one week and one month',
      low: 'Between one month and six months',
    },
    bands: [
      { level: 'elite', below: DAY_MS },
      { level: 'high', below: 7 * DAY_MS },
      { level: 'medium', below: 30 * DAY_MS },
      { level: 'low' },
    ],
  },
  changeFailureRate: {
    unit: 'failed changes per deployment (0..1)',
    report: { elite: '5%', high: '20%', medium: '10%', low: '40%' },
    bands: [
      { level: 'elite', atMost: 0.075 },
      { level: 'medium', atMost: 0.15 },
      { level: 'high', atMost: 0.3 },
      { level: 'low' },
    ],
  },
  recoveryTime: {
    unit: 'milliseconds',
    report: {
      elite: 'Less than one hour',
      high: 'Less than one day',
      medium: 'Less than one day',
      low: 'Between one week and one month',
    },
    bands: [
      { level: 'elite', below: HOUR_MS },
      { level: 'high', below: DAY_MS },
      { level: 'medium', below: 7 * DAY_MS },
      { level: 'low' },
    ],
  },
};

/**
 * The level of a value of a measure by `DORA_2024_LEVELS`: deployments per
 * day, lead time in ms, change failure rate in 0..1, recovery time in ms.
 * Null for a null (or NaN) value.
 * @public
 */
export function doraLevel(
  measure: DoraMeasure,
  value: number | null,
): DoraLevel | null {
  if (value === null || Number.isNaN(value)) return null;
  for (const band of DORA_2024_LEVELS[measure].bands) {
    if (band.atLeast !== undefined && !(value >= band.atLeast)) continue;
    if (band.below !== undefined && !(value < band.below)) continue;
    if (band.atMost !== undefined && !(value <= band.atMost)) continue;
    return band.level;
  }
  return 'low';
}
