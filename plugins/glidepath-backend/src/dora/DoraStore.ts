import type {
  DeploymentFacts,
  DeploymentOutcome,
  DoraAggregate,
  DoraBucket,
  DoraIncident,
} from '@glidepath/backstage-plugin-common';
import type { DeploymentEvent, IncidentEvent } from './events';

/**
 * Where a deployment came from: posted by a tool, a Glidepath release, or a
 * history source (the sandbox's made-up past).
 */
export type DeploymentSource = 'api' | 'release' | 'history';

/** A deployment to record, as parsed, with what Glidepath knows of it. */
export type DeploymentRecord = DeploymentEvent & {
  source: DeploymentSource;
  matched: boolean;
  production: boolean;
  /** Made up by a simulation (the sandbox). */
  simulated?: boolean;
};

/** An incident event to record, with whether its entity is in the catalog. */
export type IncidentRecord = IncidentEvent & {
  matched?: boolean;
  simulated?: boolean;
};

/** What happened to one received event. */
export type RecordStatus = 'created' | 'updated' | 'unchanged';

/** A failed change with the incidents attributed to it, for display. */
export type StoredFailure = DeploymentFacts & {
  environment: string;
  version: string | null;
  outcome: DeploymentOutcome;
  incidents: Array<{ id: string; title: string | null; url: string | null }>;
};

/** An event whose entity the catalog did not know when it arrived. */
export type UnmatchedEvent = {
  type: 'deployment' | 'incident';
  id: string;
  entityRef: string;
  receivedAt: Date;
};

/** A stored incident with the deployment it is attributed to, or why none. */
export type StoredIncident = DoraIncident & {
  attributedTo: string | null;
  rule: string | null;
  unattributed: string | null;
};

/** A deployment among the slowest lead times of a period. */
export type SlowLeadTime = {
  id: string;
  entityRef: string;
  version: string | null;
  deployedAt: number;
  leadTimeMs: number;
};

/** A weekly report as stored. */
export type StoredReport = {
  id: string;
  ownerRef: string;
  periodStart: Date;
  periodEnd: Date;
  createdAt: Date;
  content: unknown;
};

/** The aggregates of a range: overall, per bucket start, and how many simulated. */
export type StoredAggregates = {
  summary: DoraAggregate;
  buckets: Map<number, DoraAggregate>;
  /** Deployments of the range made up by a simulation. */
  simulated: number;
};

/** A period [from, to) of deployment times. */
export type DoraRange = { from: Date; to: Date };

/** Which history events `pruneHistory` deletes. */
export type PruneOptions = DoraRange & {
  prefix: string;
  keepDeployments: ReadonlySet<string>;
  keepIncidents: ReadonlySet<string>;
  now?: Date;
};

/** A period, of the entities given or (without them) of all. */
export type FactsQuery = DoraRange & { entityRefs?: readonly string[] };

/** What `aggregate` computes. */
export type AggregateQuery = FactsQuery & {
  bucket: DoraBucket;
  /** One scan of the range, without the rollup (for tests). */
  direct?: boolean;
};

/** Which failed changes `listFailures` lists: the latest `limit`. */
export type FailuresQuery = FactsQuery & { limit: number };

/** Whose slowest lead times `listSlowestLeadTimes` lists. */
export type SlowestQuery = DoraRange & {
  entityRefs: readonly string[];
  limit: number;
};

/** Which reports `listReports` lists: of these teams, or of all. */
export type ReportsQuery = { ownerRefs?: readonly string[]; limit: number };

/** What `aggregateGroups` computes: each group made of its members. */
export type GroupsQuery = DoraRange & {
  members: ReadonlyArray<{ entityRef: string; group: string }>;
};

/**
 * DORA's storage, what the services depend on: production deployments and
 * incidents, the facts derived from them on every write (lead time, failed
 * changes, attribution, recovery), the aggregates read from them, and the
 * weekly reports. `DatabaseDoraStore` implements it.
 */
export interface DoraStore {
  /**
   * Records deployments (new ids are created, known ids are replaced) and
   * re-derives their entities' facts. Returns each event's status, in order.
   */
  recordDeployments(
    records: DeploymentRecord[],
    now?: Date,
  ): Promise<RecordStatus[]>;

  /**
   * Records incident events: a new id is created (a resolve before its
   * create is kept and completed later), a known id gets the fields the
   * event carries. Re-derives the facts of the entities involved.
   */
  recordIncidents(
    records: IncidentRecord[],
    now?: Date,
  ): Promise<RecordStatus[]>;

  /**
   * Deletes the events under `prefix` (a history source's) in [from, to)
   * that are not in `keep`: the source's latest reading of that period
   * replaces the earlier ones. Re-derives the entities touched. Returns how
   * many events were deleted.
   */
  pruneHistory(options: PruneOptions): Promise<number>;

  /**
   * The facts of production deployments in [from, to), of the entities
   * given or of all.
   */
  listFacts(
    options: FactsQuery,
  ): Promise<Array<DeploymentFacts & { simulated: boolean }>>;

  /**
   * The DORA aggregates of [from, to), overall and per week or month, by
   * the database. Undefined on databases that cannot (SQLite): read the
   * facts and aggregate them in JS, which gives the same numbers.
   */
  aggregate(options: AggregateQuery): Promise<StoredAggregates | undefined>;

  /**
   * The DORA aggregates of [from, to) per group (a team, a service), each
   * group made of the entities `members` lists for it (an entity may be in
   * several), by the database. Undefined where it cannot (SQLite).
   */
  aggregateGroups(
    options: GroupsQuery,
  ): Promise<Map<string, DoraAggregate> | undefined>;

  /** The entities with production deployments in [from, to). */
  listDeployedEntities(options: DoraRange): Promise<string[]>;

  /** The latest failed changes in [from, to), newest first, with their incidents. */
  listFailures(options: FailuresQuery): Promise<StoredFailure[]>;

  /** Events whose entity the catalog did not know, newest first. */
  listUnmatched(limit: number): Promise<UnmatchedEvent[]>;

  /** How many stored events are unmatched. */
  countUnmatched(): Promise<number>;

  /** The deployments of the period with the longest lead times. */
  listSlowestLeadTimes(options: SlowestQuery): Promise<SlowLeadTime[]>;

  /** The stored incident, for tests and the API. */
  getIncident(id: string): Promise<StoredIncident | undefined>;

  /**
   * Stores a team's report for a period unless one is there already (a
   * second run, another replica); true when this call stored it.
   */
  insertReport(report: StoredReport): Promise<boolean>;

  /** Whether a team has a report for the period starting then. */
  hasReport(ownerRef: string, periodStart: Date): Promise<boolean>;

  /** Reports, newest period first, of one team or of all. */
  listReports(options: ReportsQuery): Promise<StoredReport[]>;

  getReport(id: string): Promise<StoredReport | undefined>;
}
