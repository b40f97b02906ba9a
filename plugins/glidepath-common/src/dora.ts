/**
 * The DORA measures of Glidepath, as pure functions: which deployment an
 * incident is attributed to, what is kept per deployment (lead time, failed
 * change, restore), calendar buckets, percentiles, levels, the report and its
 * CSV. docs/dora.md gives the definitions in plain words.
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
 * opened while it was the latest deployment (`latest-release`).
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

/** Which deployment an incident is attributed to, by which rule, or why none. @public */
export interface IncidentAttribution {
  incidentId: string;
  /** The deployment the incident counts against, or null. */
  deploymentId: string | null;
  /** The rule that attributed it; null when unattributed. */
  rule: 'linked-incident' | 'latest-release' | null;
  /**
   * When deploymentId is null: 'not-opened' (no create event yet),
   * 'unknown-link' (links a deployment id / version not found among the
   * deployments given), 'no-earlier-deployment', 'no-entity'.
   */
  unattributed?:
    | 'not-opened'
    | 'unknown-link'
    | 'no-earlier-deployment'
    | 'no-entity';
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

function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Oldest first; among equal times the greater id comes last. */
function byTimeThenId(a: DoraDeployment, b: DoraDeployment): number {
  return a.deployedAt - b.deployedAt || compareIds(a.id, b.id);
}

/**
 * The index of the last deployment at or before `time` in a timeline sorted
 * by `byTimeThenId`, -1 when none: of several at the same time, the one with
 * the greatest id.
 */
function lastAtOrBefore(
  timeline: readonly DoraDeployment[],
  time: number,
): number {
  let low = 0;
  let high = timeline.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timeline[middle].deployedAt <= time) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

type DeploymentIndex = {
  byId: Map<string, DoraDeployment>;
  byEntity: Map<string, DoraDeployment[]>;
  byEntityVersion: Map<string, Map<string, DoraDeployment[]>>;
};

function indexDeployments(
  deployments: readonly DoraDeployment[],
): DeploymentIndex {
  const byId = new Map<string, DoraDeployment>();
  const byEntity = new Map<string, DoraDeployment[]>();
  const byEntityVersion = new Map<string, Map<string, DoraDeployment[]>>();
  for (const deployment of deployments) {
    if (!byId.has(deployment.id)) byId.set(deployment.id, deployment);
    const { entityRef, version } = deployment;
    let timeline = byEntity.get(entityRef);
    if (!timeline) byEntity.set(entityRef, (timeline = []));
    timeline.push(deployment);
    if (version === null) continue;
    let versions = byEntityVersion.get(entityRef);
    if (!versions) byEntityVersion.set(entityRef, (versions = new Map()));
    let versionTimeline = versions.get(version);
    if (!versionTimeline) versions.set(version, (versionTimeline = []));
    versionTimeline.push(deployment);
  }
  for (const timeline of byEntity.values()) timeline.sort(byTimeThenId);
  for (const versions of byEntityVersion.values()) {
    for (const timeline of versions.values()) timeline.sort(byTimeThenId);
  }
  return { byId, byEntity, byEntityVersion };
}

function attributeOne(
  index: DeploymentIndex,
  incident: DoraIncident,
): IncidentAttribution {
  const incidentId = incident.id;
  const none = (
    unattributed: NonNullable<IncidentAttribution['unattributed']>,
  ): IncidentAttribution => ({
    incidentId,
    deploymentId: null,
    rule: null,
    unattributed,
  });
  const attributed = (
    deployment: DoraDeployment,
    rule: 'linked-incident' | 'latest-release',
  ): IncidentAttribution => ({ incidentId, deploymentId: deployment.id, rule });

  const { openedAt, entityRef } = incident;
  if (openedAt === null) return none('not-opened');

  if (incident.deploymentId !== null) {
    const linked = index.byId.get(incident.deploymentId);
    return linked
      ? attributed(linked, 'linked-incident')
      : none('unknown-link');
  }

  if (incident.version !== null) {
    if (entityRef === null) return none('no-entity');
    const timeline = index.byEntityVersion
      .get(entityRef)
      ?.get(incident.version);
    if (!timeline) return none('unknown-link');
    const before = lastAtOrBefore(timeline, openedAt);
    // None before the incident: the earliest deployment of that version
    // (of several at that time, the greatest id).
    const chosen =
      before >= 0 ? before : lastAtOrBefore(timeline, timeline[0].deployedAt);
    return attributed(timeline[chosen], 'linked-incident');
  }

  if (entityRef === null) return none('no-entity');
  const timeline = index.byEntity.get(entityRef) ?? [];
  const latest = lastAtOrBefore(timeline, openedAt);
  return latest >= 0
    ? attributed(timeline[latest], 'latest-release')
    : none('no-earlier-deployment');
}

/**
 * Attributes each incident to the deployment that caused it, one result per
 * incident in the same order. The rules, in order:
 *
 * 1. An incident not opened yet (its create event has not arrived) is not
 *    attributed: `not-opened`.
 * 2. An explicit link wins. A `deploymentId` names the deployment, whatever
 *    its entity or time; when it is not among `deployments` the incident is
 *    `unknown-link` (a version link is then not tried). Otherwise a
 *    `version` names the latest deployment of the incident's entity with that
 *    version deployed at or before the incident opened, or, if that version
 *    was only deployed later, its earliest deployment; no deployment of that
 *    version is `unknown-link` (and no entity, `no-entity`).
 * 3. Without a link, the incident counts against the latest deployment of its
 *    entity deployed at or before it opened (`latest-release`):
 *    `no-entity` without an entity, `no-earlier-deployment` when there is
 *    none.
 *
 * Deployments at the same time are ordered by id, the greater id being the
 * later, so the result does not depend on the order of the inputs.
 * O((D + I) log D): deployments are grouped per entity (and version) and
 * sorted once, each incident is a binary search.
 * @public
 */
export function attributeIncidents(
  deployments: readonly DoraDeployment[],
  incidents: readonly DoraIncident[],
): IncidentAttribution[] {
  const index = indexDeployments(deployments);
  return incidents.map(incident => attributeOne(index, incident));
}

function failedByOutcome(outcome: DeploymentOutcome): boolean {
  return (
    outcome === 'rolled_back' || outcome === 'aborted' || outcome === 'failed'
  );
}

/**
 * What is kept per deployment once incidents are attributed, one result per
 * deployment in the same order.
 *
 * A deployment is a failed change when it was rolled back, aborted or failed
 * (rule `rolled-back`, which wins over incidents) or when an incident is
 * attributed to it (`linked-incident` if any of its incidents was linked
 * explicitly, else `latest-release`). Its failure starts at the earliest of
 * its deployment (when its outcome failed) and its incidents' openings, and
 * is restored at the latest of its restore (`finishedAt`, when its outcome
 * failed) and its incidents' resolutions, or not yet restored (null) while
 * any of these is missing. A restore before the start counts as at the
 * start: durations are never negative.
 *
 * Lead time is from the first commit to production, for succeeded
 * deployments only, and null rather than negative when the first commit is
 * later than the deployment.
 * @public
 */
export function deploymentFacts(
  deployments: readonly DoraDeployment[],
  incidents: readonly DoraIncident[],
): DeploymentFacts[] {
  const attributed = new Map<
    string,
    Array<{ incident: DoraIncident; rule: IncidentAttribution['rule'] }>
  >();
  attributeIncidents(deployments, incidents).forEach(
    ({ deploymentId, rule }, i) => {
      if (deploymentId === null) return;
      let list = attributed.get(deploymentId);
      if (!list) attributed.set(deploymentId, (list = []));
      list.push({ incident: incidents[i], rule });
    },
  );

  return deployments.map(deployment => {
    const own = attributed.get(deployment.id) ?? [];
    const outcomeFailed = failedByOutcome(deployment.outcome);
    const failed = outcomeFailed || own.length > 0;

    let failureRule: FailureRule | null = null;
    if (outcomeFailed) failureRule = 'rolled-back';
    else if (own.some(a => a.rule === 'linked-incident')) {
      failureRule = 'linked-incident';
    } else if (own.length) failureRule = 'latest-release';

    let failureStartedAt: number | null = null;
    let restoredAt: number | null = null;
    if (failed) {
      let start = outcomeFailed ? deployment.deployedAt : Infinity;
      let restore: number | null = outcomeFailed
        ? deployment.finishedAt
        : -Infinity;
      for (const { incident } of own) {
        // Attributed incidents are opened: `not-opened` is never attributed.
        start = Math.min(start, incident.openedAt!);
        restore =
          restore === null || incident.resolvedAt === null
            ? null
            : Math.max(restore, incident.resolvedAt);
      }
      failureStartedAt = start;
      restoredAt = restore === null ? null : Math.max(start, restore);
    }

    const { firstCommitAt, deployedAt } = deployment;
    const leadTimeMs =
      deployment.outcome === 'succeeded' &&
      firstCommitAt !== null &&
      firstCommitAt <= deployedAt
        ? deployedAt - firstCommitAt
        : null;

    return {
      id: deployment.id,
      entityRef: deployment.entityRef,
      deployedAt,
      leadTimeMs,
      failed,
      failureRule,
      failureStartedAt,
      restoredAt,
      incidentIds: own.map(a => a.incident.id).sort(compareIds),
    };
  });
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

const CSV_COLUMNS = [
  'scope',
  'bucket_start',
  'bucket_end',
  'deployments',
  'deployments_per_day',
  'lead_time_median_hours',
  'lead_time_p90_hours',
  'change_failure_rate',
  'failures',
  'recovery_median_hours',
  'recovery_p90_hours',
  'open_failures',
  'deployment_frequency_level',
  'lead_time_level',
  'change_failure_rate_level',
  'recovery_time_level',
];

/** RFC 4180: quoted when it holds a comma, a quote or a line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** At most 3 decimals, no trailing zeros; empty for null. */
function csvNumber(value: number | null): string {
  return value === null ? '' : String(Number(value.toFixed(3)));
}

function csvHours(ms: number | null): string {
  return csvNumber(ms === null ? null : ms / HOUR_MS);
}

/**
 * The series of a report as CSV (RFC 4180, CRLF after each record): a header
 * and one row per bucket, nothing else. Times are ISO 8601 UTC, durations in
 * hours, the change failure rate in 0..1, numbers with at most 3 decimals,
 * null as an empty cell. `scope` (what the report is about, e.g. a group
 * ref) fills the first column and is quoted when needed.
 * @public
 */
export function doraCsv(report: DoraReport, scope: string): string {
  const scopeField = csvField(scope);
  const rows = report.series.map(({ start, end, measures: m }) =>
    [
      scopeField,
      new Date(start).toISOString(),
      new Date(end).toISOString(),
      String(m.deployments),
      csvNumber(m.deploymentsPerDay),
      csvHours(m.leadTime.medianMs),
      csvHours(m.leadTime.p90Ms),
      csvNumber(m.changeFailureRate.rate),
      String(m.changeFailureRate.failures),
      csvHours(m.recoveryTime.medianMs),
      csvHours(m.recoveryTime.p90Ms),
      String(m.recoveryTime.open),
      m.deploymentFrequencyLevel ?? '',
      m.leadTime.level ?? '',
      m.changeFailureRate.level ?? '',
      m.recoveryTime.level ?? '',
    ].join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].map(line => `${line}\r\n`).join('');
}
