import { InputError } from '@backstage/errors';
import {
  aggregateFacts,
  attributeIncidents,
  DoraAggregate,
  DoraBucket,
  DeploymentFacts,
  deploymentFacts,
  DeploymentOutcome,
  DoraDeployment,
  DoraIncident,
  FailureRule,
} from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import type { DeploymentEvent, IncidentEvent } from './events';
import {
  HISTOGRAM_BOUNDS,
  Histogram,
  interpolateRanks,
  locateRank,
  mergeHistograms,
  quantileRanks,
  splitRange,
} from './rollup';
import { DbTimestamp, readTimestamp } from '../shared/timestamps';

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

type DeploymentRow = {
  event_id: string;
  source: string;
  entity_ref: string;
  matched: boolean | number;
  environment: string;
  production: boolean | number;
  simulated: boolean | number;
  version: string | null;
  commit_sha: string | null;
  url: string | null;
  deployed_at: DbTimestamp;
  first_commit_at: DbTimestamp | null;
  outcome: string;
  finished_at: DbTimestamp | null;
  lead_time_ms: number | string | null;
  failed: boolean | number;
  failure_rule: string | null;
  failure_started_at: DbTimestamp | null;
  restored_at: DbTimestamp | null;
  received_at: DbTimestamp;
  updated_at: DbTimestamp;
};

type ReportRow = {
  id: string;
  owner_ref: string;
  period_start: DbTimestamp;
  period_end: DbTimestamp;
  created_at: DbTimestamp;
  content: string;
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

function toStoredReport(row: ReportRow): StoredReport {
  return {
    id: row.id,
    ownerRef: row.owner_ref,
    periodStart: readTimestamp(row.period_start),
    periodEnd: readTimestamp(row.period_end),
    createdAt: readTimestamp(row.created_at),
    content: JSON.parse(row.content),
  };
}

type IncidentRow = {
  event_id: string;
  entity_ref: string | null;
  matched: boolean | number;
  simulated: boolean | number;
  title: string | null;
  severity: string | null;
  url: string | null;
  opened_at: DbTimestamp | null;
  resolved_at: DbTimestamp | null;
  deployment_event_id: string | null;
  version: string | null;
  attributed_to: string | null;
  attribution_rule: string | null;
  unattributed: string | null;
  received_at: DbTimestamp;
  updated_at: DbTimestamp;
};

/**
 * The PostgreSQL type of every column of a table, for inserts through
 * `unnest` (one array per column).
 */
type ColumnTypes<Row> = Record<
  keyof Row & string,
  'text' | 'boolean' | 'bigint' | 'timestamptz'
>;

const DEPLOYMENT_COLUMNS: ColumnTypes<DeploymentRow> = {
  event_id: 'text',
  source: 'text',
  entity_ref: 'text',
  matched: 'boolean',
  environment: 'text',
  production: 'boolean',
  simulated: 'boolean',
  version: 'text',
  commit_sha: 'text',
  url: 'text',
  deployed_at: 'timestamptz',
  first_commit_at: 'timestamptz',
  outcome: 'text',
  finished_at: 'timestamptz',
  lead_time_ms: 'bigint',
  failed: 'boolean',
  failure_rule: 'text',
  failure_started_at: 'timestamptz',
  restored_at: 'timestamptz',
  received_at: 'timestamptz',
  updated_at: 'timestamptz',
};

const INCIDENT_COLUMNS: ColumnTypes<IncidentRow> = {
  event_id: 'text',
  entity_ref: 'text',
  matched: 'boolean',
  simulated: 'boolean',
  title: 'text',
  severity: 'text',
  url: 'text',
  opened_at: 'timestamptz',
  resolved_at: 'timestamptz',
  deployment_event_id: 'text',
  version: 'text',
  attributed_to: 'text',
  attribution_rule: 'text',
  unattributed: 'text',
  received_at: 'timestamptz',
  updated_at: 'timestamptz',
};

// Well below SQLite's and PostgreSQL's bound-parameter limits.
const CHUNK = 500;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

const ms = (value: DbTimestamp | null): number | null =>
  value === null || value === undefined ? null : readTimestamp(value).getTime();
const date = (value: number | null): Date | null =>
  value === null ? null : new Date(value);

/** The columns a deployment event sets (everything but the derived ones). */
function receivedColumns(record: DeploymentRecord) {
  return {
    source: record.source,
    entity_ref: record.entityRef,
    matched: record.matched,
    environment: record.environment,
    production: record.production,
    simulated: record.simulated ?? false,
    version: record.version,
    commit_sha: record.commit,
    url: record.url,
    deployed_at: record.deployedAt,
    first_commit_at: record.firstCommitAt,
    outcome: record.outcome,
    finished_at: record.finishedAt,
  };
}

function sameReceived(row: DeploymentRow, record: DeploymentRecord): boolean {
  return (
    row.source === record.source &&
    row.entity_ref === record.entityRef &&
    Boolean(row.matched) === record.matched &&
    row.environment === record.environment &&
    Boolean(row.production) === record.production &&
    Boolean(row.simulated) === (record.simulated ?? false) &&
    row.version === record.version &&
    row.commit_sha === record.commit &&
    row.url === record.url &&
    ms(row.deployed_at) === record.deployedAt.getTime() &&
    ms(row.first_commit_at) === (record.firstCommitAt?.getTime() ?? null) &&
    row.outcome === record.outcome &&
    ms(row.finished_at) === (record.finishedAt?.getTime() ?? null)
  );
}

/**
 * What re-derivation reads of a stored deployment: what the pure functions
 * take and what they derived before. An entity's whole history is read for
 * each batch that touches it; with every column (two more timestamps to
 * parse per row) ten thousand deployments took 90 ms to read instead of 50.
 */
const DERIVATION_COLUMNS = [
  'event_id',
  'entity_ref',
  'production',
  'version',
  'deployed_at',
  'first_commit_at',
  'outcome',
  'finished_at',
  'lead_time_ms',
  'failed',
  'failure_rule',
  'failure_started_at',
  'restored_at',
] as const;
type DerivationRow = Pick<DeploymentRow, (typeof DERIVATION_COLUMNS)[number]>;

function toDoraDeployment(row: DerivationRow): DoraDeployment {
  return {
    id: row.event_id,
    entityRef: row.entity_ref,
    version: row.version,
    deployedAt: ms(row.deployed_at)!,
    firstCommitAt: ms(row.first_commit_at),
    outcome: row.outcome as DeploymentOutcome,
    finishedAt: ms(row.finished_at),
  };
}

function toDoraIncident(row: IncidentRow): DoraIncident {
  return {
    id: row.event_id,
    entityRef: row.entity_ref,
    openedAt: ms(row.opened_at),
    resolvedAt: ms(row.resolved_at),
    deploymentId: row.deployment_event_id,
    version: row.version,
  };
}

function factsOfRow(row: DerivationRow): Omit<DeploymentFacts, 'incidentIds'> {
  return {
    id: row.event_id,
    entityRef: row.entity_ref,
    deployedAt: ms(row.deployed_at)!,
    leadTimeMs: row.lead_time_ms === null ? null : Number(row.lead_time_ms),
    failed: Boolean(row.failed),
    failureRule: row.failure_rule as FailureRule | null,
    failureStartedAt: ms(row.failure_started_at),
    restoredAt: ms(row.restored_at),
  };
}

function derivedColumns(facts: DeploymentFacts) {
  return {
    lead_time_ms: facts.leadTimeMs,
    failed: facts.failed,
    failure_rule: facts.failureRule,
    failure_started_at: date(facts.failureStartedAt),
    restored_at: date(facts.restoredAt),
  };
}

function sameDerived(row: DerivationRow, facts: DeploymentFacts): boolean {
  const stored = factsOfRow(row);
  return (
    stored.leadTimeMs === facts.leadTimeMs &&
    stored.failed === facts.failed &&
    stored.failureRule === facts.failureRule &&
    stored.failureStartedAt === facts.failureStartedAt &&
    stored.restoredAt === facts.restoredAt
  );
}

/** An incident row with an event applied: fields given replace, others stay. */
function applyIncident(
  row: IncidentRow | undefined,
  event: IncidentRecord,
  now: Date,
): IncidentRow {
  const next: IncidentRow = row
    ? { ...row }
    : {
        event_id: event.id,
        entity_ref: null,
        matched: false,
        simulated: event.simulated ?? false,
        title: null,
        severity: null,
        url: null,
        opened_at: null,
        resolved_at: null,
        deployment_event_id: null,
        version: null,
        attributed_to: null,
        attribution_rule: null,
        unattributed: null,
        received_at: now,
        updated_at: now,
      };
  if (event.entityRef !== undefined) {
    next.entity_ref = event.entityRef;
    next.matched = event.matched ?? false;
  }
  if (event.openedAt !== undefined) next.opened_at = event.openedAt;
  if (event.resolvedAt !== undefined) next.resolved_at = event.resolvedAt;
  if (event.title !== undefined) next.title = event.title;
  if (event.severity !== undefined) next.severity = event.severity;
  if (event.url !== undefined) next.url = event.url;
  if (event.deploymentId !== undefined) {
    next.deployment_event_id = event.deploymentId;
  }
  if (event.version !== undefined) next.version = event.version;
  const opened = ms(next.opened_at);
  const resolved = ms(next.resolved_at);
  if (opened !== null && resolved !== null && resolved < opened) {
    throw new InputError(
      `incident ${event.id}: resolvedAt ${new Date(
        resolved,
      ).toISOString()} is before its openedAt ${new Date(
        opened,
      ).toISOString()}`,
    );
  }
  return next;
}

const INCIDENT_RECEIVED: Array<keyof IncidentRow> = [
  'entity_ref',
  'matched',
  'title',
  'severity',
  'url',
  'opened_at',
  'resolved_at',
  'deployment_event_id',
  'version',
];

function sameIncident(
  a: IncidentRow,
  b: IncidentRow,
  keys: Array<keyof IncidentRow>,
): boolean {
  return keys.every(key => {
    const x = a[key];
    const y = b[key];
    if (x instanceof Date || y instanceof Date || key.endsWith('_at')) {
      return ms(x as DbTimestamp | null) === ms(y as DbTimestamp | null);
    }
    if (key === 'matched') return Boolean(x) === Boolean(y);
    return (x ?? null) === (y ?? null);
  });
}

/**
 * The recovery time of a failed, restored deployment in ms, never negative
 * (as `aggregateFacts` computes it); the recovery index of the migration
 * `dora_rollup` is over this very expression.
 */
const RECOVERY_MS =
  'greatest(0, extract(epoch from (restored_at - coalesce(failure_started_at, deployed_at))) * 1000)';
const RESTORED = 'failed and restored_at is not null';

/** The start of a deployment's week or month, UTC, in SQL. */
function bucketKey(bucket: DoraBucket) {
  return {
    sql: `date_trunc(?, deployed_at at time zone 'UTC') at time zone 'UTC'`,
    bindings: [bucket],
  };
}

/** One week's or month's aggregate, with what adds up across buckets. */
type BucketValue = {
  aggregate: DoraAggregate;
  simulated: number;
  lead: Histogram;
  recovery: Histogram;
};

const emptyBucket = (): BucketValue => ({
  aggregate: aggregateFacts([]),
  simulated: 0,
  lead: new Map(),
  recovery: new Map(),
});

type RollupRow = {
  bucket: string;
  start: DbTimestamp;
  deployments: number;
  failures: number;
  open: number;
  simulated: number;
  lead_count: number;
  lead_median: number | null;
  lead_p90: number | null;
  recovery_count: number;
  recovery_median: number | null;
  recovery_p90: number | null;
  histograms: string;
};

function toRollupRow(
  bucket: DoraBucket,
  start: number,
  value: BucketValue,
): RollupRow {
  const { aggregate: a } = value;
  return {
    bucket,
    start: new Date(start),
    deployments: a.deployments,
    failures: a.failures,
    open: a.open,
    simulated: value.simulated,
    lead_count: a.leadTime.count,
    lead_median: a.leadTime.medianMs,
    lead_p90: a.leadTime.p90Ms,
    recovery_count: a.recoveryTime.count,
    recovery_median: a.recoveryTime.medianMs,
    recovery_p90: a.recoveryTime.p90Ms,
    histograms: JSON.stringify({
      lead: [...value.lead],
      recovery: [...value.recovery],
    }),
  };
}

/**
 * The aggregate columns of a row (a stored rollup or an aggregate query):
 * counts as numbers (PostgreSQL sends bigints as strings), no value as null.
 */
function aggregateFromRow(row: Record<string, unknown>): DoraAggregate {
  const num = (value: unknown) =>
    value === null || value === undefined ? null : Number(value);
  return {
    deployments: Number(row.deployments),
    failures: Number(row.failures),
    open: Number(row.open),
    leadTime: {
      count: Number(row.lead_count),
      medianMs: num(row.lead_median),
      p90Ms: num(row.lead_p90),
    },
    recoveryTime: {
      count: Number(row.recovery_count),
      medianMs: num(row.recovery_median),
      p90Ms: num(row.recovery_p90),
    },
  };
}

function fromRollupRow(row: RollupRow): BucketValue {
  const histograms = JSON.parse(row.histograms) as {
    lead: Array<[number, number]>;
    recovery: Array<[number, number]>;
  };
  return {
    simulated: Number(row.simulated),
    lead: new Map(histograms.lead),
    recovery: new Map(histograms.recovery),
    aggregate: aggregateFromRow(row),
  };
}

/**
 * DORA's storage: production deployments and incidents, and the facts
 * derived from them. Every write re-derives the facts of the entities it
 * touches (lead time, failed changes, attribution, recovery) with the pure
 * functions of `-common`, in the same transaction, so the queries only read.
 */
export class DatabaseDoraStore {
  constructor(private readonly db: Knex) {}

  /**
   * Records deployments (new ids are created, known ids are replaced) and
   * re-derives their entities' facts. Returns each event's status, in order.
   */
  async recordDeployments(
    records: DeploymentRecord[],
    now = new Date(),
  ): Promise<RecordStatus[]> {
    return this.db.transaction(async trx => {
      const stored = await this.deploymentsById(
        trx,
        records.map(r => r.id),
      );
      const affected = new Set<string>();
      const statuses: RecordStatus[] = [];
      const inserts: DeploymentRow[] = [];
      for (const record of records) {
        const row = stored.get(record.id);
        affected.add(record.entityRef);
        if (!row) {
          statuses.push('created');
          inserts.push({
            event_id: record.id,
            ...receivedColumns(record),
            lead_time_ms: null,
            failed: false,
            failure_rule: null,
            failure_started_at: null,
            restored_at: null,
            received_at: now,
            updated_at: now,
          });
        } else if (sameReceived(row, record)) {
          statuses.push('unchanged');
        } else {
          affected.add(row.entity_ref);
          statuses.push('updated');
          await trx('dora_deployments')
            .where('event_id', record.id)
            .update({ ...receivedColumns(record), updated_at: now });
        }
      }
      if (statuses.some(s => s !== 'unchanged')) {
        // New rows are written once, with what is derived from them.
        await this.rederive(trx, affected, now, { newDeployments: inserts });
      }
      return statuses;
    });
  }

  /**
   * Records incident events: a new id is created (a resolve before its
   * create is kept and completed later), a known id gets the fields the
   * event carries. Re-derives the facts of the entities involved.
   */
  async recordIncidents(
    records: IncidentRecord[],
    now = new Date(),
  ): Promise<RecordStatus[]> {
    return this.db.transaction(async trx => {
      const stored = new Map<string, IncidentRow>();
      for (const row of await this.rowsWhereIn<IncidentRow>(
        trx,
        'dora_incidents',
        'event_id',
        records.map(r => r.id),
      )) {
        stored.set(row.event_id, row);
      }
      const affected = new Set<string>();
      const linked = new Set<string>();
      const statuses: RecordStatus[] = [];
      const newIncidents: IncidentRow[] = [];
      const existed = new Set(stored.keys());
      for (const record of records) {
        const row = stored.get(record.id);
        const next = applyIncident(row, record, now);
        for (const ref of [row?.entity_ref, next.entity_ref]) {
          if (ref) affected.add(ref);
        }
        for (const id of [
          row?.attributed_to,
          row?.deployment_event_id,
          next.deployment_event_id,
        ]) {
          if (id) linked.add(id);
        }
        if (!row) {
          statuses.push('created');
          newIncidents.push(next);
        } else if (sameIncident(row, next, INCIDENT_RECEIVED)) {
          statuses.push('unchanged');
        } else {
          statuses.push('updated');
          const changes: Record<string, unknown> = { updated_at: now };
          for (const key of INCIDENT_RECEIVED) changes[key] = next[key];
          await trx('dora_incidents')
            .where('event_id', record.id)
            .update(changes);
        }
        stored.set(record.id, next);
      }
      for (const row of (
        await this.deploymentsById(trx, [...linked])
      ).values()) {
        affected.add(row.entity_ref);
      }
      if (statuses.some(s => s !== 'unchanged')) {
        await this.rederive(trx, affected, now, {
          incidentIds: records.filter(r => existed.has(r.id)).map(r => r.id),
          newIncidents,
        });
      }
      return statuses;
    });
  }

  /**
   * Deletes the events under `prefix` (a history source's) in [from, to)
   * that are not in `keep`: the source's latest reading of that period
   * replaces the earlier ones. Re-derives the entities touched. Returns how
   * many events were deleted.
   */
  async pruneHistory(options: {
    prefix: string;
    from: Date;
    to: Date;
    keepDeployments: ReadonlySet<string>;
    keepIncidents: ReadonlySet<string>;
    now?: Date;
  }): Promise<number> {
    const { prefix, from, to } = options;
    return this.db.transaction(async trx => {
      const deployments: Array<{ event_id: string; entity_ref: string }> =
        await trx('dora_deployments')
          .select('event_id', 'entity_ref')
          .where('event_id', 'like', `${prefix}%`)
          .andWhere('deployed_at', '>=', from)
          .andWhere('deployed_at', '<', to);
      const incidents: Array<{ event_id: string; entity_ref: string | null }> =
        await trx('dora_incidents')
          .select('event_id', 'entity_ref')
          .where('event_id', 'like', `${prefix}%`)
          .andWhere('opened_at', '>=', from)
          .andWhere('opened_at', '<', to);
      const staleDeployments = deployments.filter(
        d => !options.keepDeployments.has(d.event_id),
      );
      const staleIncidents = incidents.filter(
        i => !options.keepIncidents.has(i.event_id),
      );
      for (const part of chunks(staleDeployments.map(d => d.event_id))) {
        await trx('dora_deployments').whereIn('event_id', part).delete();
      }
      for (const part of chunks(staleIncidents.map(i => i.event_id))) {
        await trx('dora_incidents').whereIn('event_id', part).delete();
      }
      const affected = new Set(
        [...staleDeployments, ...staleIncidents]
          .map(e => e.entity_ref)
          .filter((ref): ref is string => Boolean(ref)),
      );
      if (affected.size) {
        await this.rederive(trx, affected, options.now ?? new Date());
      }
      return staleDeployments.length + staleIncidents.length;
    });
  }

  /**
   * Writes re-derived facts: one statement per chunk on PostgreSQL (a failed
   * change attributed by an incident batch is thousands of rows), one per
   * row on SQLite (in-process, as fast).
   */
  private async updateDerived(trx: Knex, changed: DeploymentFacts[]) {
    if (!this.postgres()) {
      for (const facts of changed) {
        await trx('dora_deployments')
          .where('event_id', facts.id)
          .update(derivedColumns(facts));
      }
      return;
    }
    const iso = (value: number | null) =>
      value === null ? null : new Date(value).toISOString();
    for (const part of chunks(changed, 5000)) {
      await trx.raw(
        `update dora_deployments d set
           lead_time_ms = v.lead_time_ms,
           failed = v.failed,
           failure_rule = v.failure_rule,
           failure_started_at = v.failure_started_at,
           restored_at = v.restored_at
         from unnest(?::text[], ?::bigint[], ?::boolean[], ?::text[], ?::timestamptz[], ?::timestamptz[])
           as v(event_id, lead_time_ms, failed, failure_rule, failure_started_at, restored_at)
         where d.event_id = v.event_id`,
        [
          part.map(f => f.id),
          part.map(f => f.leadTimeMs),
          part.map(f => f.failed),
          part.map(f => f.failureRule),
          part.map(f => iso(f.failureStartedAt)),
          part.map(f => iso(f.restoredAt)),
        ] as Knex.Value[],
      );
    }
  }

  private async deploymentsById(
    db: Knex,
    ids: string[],
  ): Promise<Map<string, DeploymentRow>> {
    const out = new Map<string, DeploymentRow>();
    for (const row of await this.rowsWhereIn<DeploymentRow>(
      db,
      'dora_deployments',
      'event_id',
      ids,
    )) {
      out.set(row.event_id, row);
    }
    return out;
  }

  /**
   * Inserts rows: on PostgreSQL one statement with an array per column
   * through `unnest` (a thousand rows as a list of values are 21,000
   * parameters to number, send and plan), lists of 200 rows elsewhere.
   */
  private async insertRows<Row extends object>(
    trx: Knex,
    table: string,
    columns: ColumnTypes<Row>,
    rows: readonly Row[],
  ) {
    if (rows.length === 0) return;
    if (!this.postgres()) {
      for (const part of chunks(rows, 200)) await trx(table).insert(part);
      return;
    }
    const names = Object.keys(columns) as Array<keyof Row & string>;
    const arrays = names.map(name =>
      rows.map(row => {
        const value = row[name] as unknown;
        if (value === null || value === undefined) return null;
        return columns[name] === 'timestamptz'
          ? readTimestamp(value as DbTimestamp).toISOString()
          : value;
      }),
    );
    await trx.raw(
      `insert into ?? (${names.map(() => '??').join(', ')})
       select * from unnest(${names
         .map(name => `?::${columns[name]}[]`)
         .join(', ')})`,
      [table, ...names, ...arrays] as Knex.Value[],
    );
  }

  /**
   * The rows where one of the text columns is one of the values: given, or
   * those of a query selecting one column named `value`. On PostgreSQL one
   * query (with an array parameter: a list of a thousand parameters costs
   * more to send and plan) that probes the columns' indexes once per value.
   * As `column = any(...)` or `in (select ...)`, the planner, believing the
   * table small (a freshly loaded table has no statistics), scanned it
   * instead: 18 ms per thousand ids at 100,000 deployments; every incident
   * for the links of each incident batch. Elsewhere one query per column,
   * with lists of at most CHUNK values. A row may come more than once.
   */
  private async rowsWhereIn<Row>(
    db: Knex,
    table: string,
    columns: string | readonly string[],
    values: readonly string[] | Knex.QueryBuilder,
  ): Promise<Row[]> {
    const given = Array.isArray(values) ? (values as readonly string[]) : null;
    if (given?.length === 0) return [];
    const names = typeof columns === 'string' ? [columns] : columns;
    if (this.postgres()) {
      // `offset 0` keeps the subquery a lookup per value (an index probe)
      // instead of a join the planner may answer with a scan.
      const { rows } = await db.raw(
        `select t.* from ${given ? 'unnest(?::text[])' : '(?)'} as v(value)
           cross join lateral (select * from ?? where ${names
             .map(() => '?? = v.value')
             .join(' or ')} offset 0) as t`,
        [given ? [...new Set(given)] : values, table, ...names] as Knex.Value[],
      );
      return rows as Row[];
    }
    let rows: Row[] = [];
    for (const column of names) {
      if (!given) {
        const query = (values as Knex.QueryBuilder).clone();
        rows = rows.concat((await db(table).whereIn(column, query)) as Row[]);
        continue;
      }
      for (const part of chunks(given)) {
        rows = rows.concat((await db(table).whereIn(column, part)) as Row[]);
      }
    }
    return rows;
  }

  /**
   * The columns of DERIVATION_COLUMNS to select. On PostgreSQL the
   * timestamps come as epoch milliseconds (which `ms` reads as well as a
   * Date): node-postgres parses each timestamp into a Date, and that was
   * half the time of reading an entity's history (ten thousand deployments
   * in 27 ms instead of 50).
   */
  private derivationColumns(db: Knex): Array<string | Knex.Raw> {
    if (!this.postgres()) return [...DERIVATION_COLUMNS];
    return DERIVATION_COLUMNS.map(column =>
      column.endsWith('_at')
        ? db.raw('round(extract(epoch from ??) * 1000)::float8 as ??', [
            column,
            column,
          ])
        : column,
    );
  }

  /**
   * Re-derives the facts of every production deployment of the entities,
   * and the attribution of every incident that can point at them: the
   * incidents of those entities and those linked to their deployments. An
   * incident that links a deployment of another entity pulls that entity in.
   */
  private async rederive(
    trx: Knex,
    entityRefs: Set<string>,
    now: Date,
    options: {
      /** Stored incidents to include whatever their entity (a resolve). */
      incidentIds?: string[];
      /** Rows to insert, with what is derived from them. */
      newDeployments?: DeploymentRow[];
      newIncidents?: IncidentRow[];
    } = {},
  ) {
    const refs = new Set(entityRefs);
    const deployments = new Map<string, DerivationRow>();
    const incidents = new Map<string, IncidentRow>();
    const fresh = new Set<string>();
    for (const row of options.newDeployments ?? []) {
      deployments.set(row.event_id, row);
      fresh.add(row.event_id);
    }
    for (const row of options.newIncidents ?? []) {
      incidents.set(row.event_id, row);
      fresh.add(row.event_id);
      if (row.entity_ref) refs.add(row.entity_ref);
    }
    // Incidents without an entity yet (a resolve before its create).
    for (const row of await this.rowsWhereIn<IncidentRow>(
      trx,
      'dora_incidents',
      'event_id',
      options.incidentIds ?? [],
    )) {
      incidents.set(row.event_id, row);
    }
    // Stored incidents that link the new deployments.
    for (const row of await this.rowsWhereIn<IncidentRow>(
      trx,
      'dora_incidents',
      'deployment_event_id',
      (options.newDeployments ?? []).map(d => d.event_id),
    )) {
      if (!incidents.has(row.event_id)) incidents.set(row.event_id, row);
    }
    let pending = [...refs];
    while (pending.length) {
      for (const part of chunks(pending)) {
        // SQLite, without statistics, answered this through the
        // (production, deployed_at) index, reading every production
        // deployment: 80-220 ms a batch at 300,000 deployments, 1 ms
        // through the entity's index.
        const history = this.sqlite()
          ? trx.raw('?? indexed by ??', [
              'dora_deployments',
              'dora_deployments_entity_idx',
            ])
          : 'dora_deployments';
        const rows: DerivationRow[] = await trx(history)
          .select(this.derivationColumns(trx))
          .whereIn('entity_ref', part)
          .andWhere('production', true);
        for (const row of rows) {
          if (!deployments.has(row.event_id))
            deployments.set(row.event_id, row);
        }
        const own: IncidentRow[] = await trx('dora_incidents').whereIn(
          'entity_ref',
          part,
        );
        // Probed per deployment, so that each link column uses its index
        // (a join on either column read every incident).
        const linked = await this.rowsWhereIn<IncidentRow>(
          trx,
          'dora_incidents',
          ['deployment_event_id', 'attributed_to'],
          trx('dora_deployments')
            .select('event_id as value')
            .whereIn('entity_ref', part),
        );
        for (const row of [...own, ...linked]) {
          if (!incidents.has(row.event_id)) incidents.set(row.event_id, row);
        }
      }
      // Deployments linked from these incidents that belong elsewhere.
      const missing = [...incidents.values()]
        .map(i => i.deployment_event_id)
        .filter((id): id is string => !!id && !deployments.has(id));
      const found = await this.deploymentsById(trx, missing);
      pending = [...new Set([...found.values()].map(d => d.entity_ref))].filter(
        ref => !refs.has(ref),
      );
      for (const ref of pending) refs.add(ref);
    }

    const considered = [...deployments.values()].filter(
      d => Boolean(d.production) && refs.has(d.entity_ref),
    );
    const incidentList = [...incidents.values()];
    const attributions = attributeIncidents(
      considered.map(toDoraDeployment),
      incidentList.map(toDoraIncident),
    );
    const facts = deploymentFacts(
      considered.map(toDoraDeployment),
      incidentList.map(toDoraIncident),
    );
    const factsById = new Map(considered.map((d, i) => [d.event_id, facts[i]]));

    const inserts: DeploymentRow[] = [];
    for (const row of options.newDeployments ?? []) {
      const derived = factsById.get(row.event_id);
      inserts.push(derived ? { ...row, ...derivedColumns(derived) } : row);
    }
    await this.insertRows(trx, 'dora_deployments', DEPLOYMENT_COLUMNS, inserts);
    const changed: DeploymentFacts[] = [];
    for (const row of considered) {
      if (fresh.has(row.event_id)) continue;
      const derived = factsById.get(row.event_id)!;
      if (!sameDerived(row, derived)) changed.push(derived);
    }
    await this.updateDerived(trx, changed);

    const incidentInserts: IncidentRow[] = [];
    for (let i = 0; i < incidentList.length; i++) {
      const row = incidentList[i];
      const a = attributions[i];
      const next = {
        attributed_to: a.deploymentId,
        attribution_rule: a.rule,
        unattributed: a.unattributed ?? null,
      };
      if (fresh.has(row.event_id)) {
        incidentInserts.push({ ...row, ...next });
      } else if (
        row.attributed_to !== next.attributed_to ||
        row.attribution_rule !== next.attribution_rule ||
        row.unattributed !== next.unattributed
      ) {
        await trx('dora_incidents')
          .where('event_id', row.event_id)
          .update({ ...next, updated_at: now });
      }
    }
    await this.insertRows(
      trx,
      'dora_incidents',
      INCIDENT_COLUMNS,
      incidentInserts,
    );
  }

  /**
   * The facts of production deployments in [from, to), of the entities
   * given or of all.
   */
  async listFacts(options: {
    entityRefs?: readonly string[];
    from: Date;
    to: Date;
  }): Promise<Array<DeploymentFacts & { simulated: boolean }>> {
    const read = async (refs?: readonly string[]) => {
      const query = this.db('dora_deployments')
        .select(
          'simulated',
          'event_id',
          'entity_ref',
          'deployed_at',
          'lead_time_ms',
          'failed',
          'failure_rule',
          'failure_started_at',
          'restored_at',
        )
        .where('production', true)
        .andWhere('deployed_at', '>=', options.from)
        .andWhere('deployed_at', '<', options.to);
      if (refs) query.whereIn('entity_ref', refs);
      return (await query) as DeploymentRow[];
    };
    // Hundreds of thousands of rows: no spreading into push().
    let rows: DeploymentRow[] = [];
    if (options.entityRefs) {
      for (const part of chunks(options.entityRefs)) {
        rows = rows.concat(await read(part));
      }
    } else {
      rows = await read();
    }
    return rows.map(row => ({
      ...factsOfRow(row),
      incidentIds: [],
      simulated: Boolean(row.simulated),
    }));
  }

  /**
   * The DORA aggregates of [from, to), overall and per week or month, by
   * the database: PostgreSQL's percentile_cont, instead of reading every
   * deployment. Undefined on databases without it (SQLite): read the facts
   * and aggregate them in JS, which gives the same numbers.
   *
   * Over all entities, the weeks or months entirely inside the range come
   * from the rollup (`dora_rollup`, computed again where a write touched
   * it), the ends of the range from the deployments, and the range's
   * medians and p90s from the buckets' histograms and an index: the same
   * numbers as one scan of the range (`direct`), from a few rows.
   */
  async aggregate(options: {
    entityRefs?: readonly string[];
    from: Date;
    to: Date;
    bucket: DoraBucket;
    /** One scan of the range, without the rollup (for tests). */
    direct?: boolean;
  }): Promise<
    | {
        summary: DoraAggregate;
        buckets: Map<number, DoraAggregate>;
        /** Deployments of the range made up by a simulation. */
        simulated: number;
      }
    | undefined
  > {
    if (!this.aggregatesInSql()) return undefined;
    if (!options.entityRefs && !options.direct) {
      return this.aggregateFromRollup(options);
    }
    const rows = await this.aggregateRows(this.db, {
      range: { from: options.from, to: options.to },
      key: bucketKey(options.bucket),
      join: options.entityRefs
        ? {
            sql: 'join unnest(?::text[]) as m(entity_ref) using (entity_ref)',
            bindings: [[...options.entityRefs]],
          }
        : undefined,
    });
    const buckets = new Map<number, DoraAggregate>();
    let summary: DoraAggregate = aggregateFacts([]);
    let simulated = 0;
    for (const row of rows) {
      if (row.total) {
        summary = row.aggregate;
        simulated = row.simulated;
      } else buckets.set(new Date(row.key as string).getTime(), row.aggregate);
    }
    return { summary, buckets, simulated };
  }

  /** `aggregate` over all entities, from the rollup (PostgreSQL). */
  private async aggregateFromRollup(options: {
    from: Date;
    to: Date;
    bucket: DoraBucket;
  }) {
    const { bucket } = options;
    const { whole, parts } = splitRange(
      options.from.getTime(),
      options.to.getTime(),
      bucket,
    );
    // One snapshot for every read, so that the histograms and the values
    // read at their ranks agree; the buckets computed are stored after it.
    const { buckets, computed, seenMarks, summary } = await this.db.transaction(
      async trx => {
        const read = await this.readRollup(trx, bucket, whole);
        const edges = await this.bucketAggregates(
          trx,
          bucket,
          parts.map(p => ({ from: new Date(p.from), to: new Date(p.to) })),
        );
        const all = new Map([...read.buckets, ...edges]);
        return {
          ...read,
          buckets: all,
          summary: await this.totalOf(trx, options, [...all.values()]),
        };
      },
      { isolationLevel: 'repeatable read', readOnly: true },
    );
    if (computed.size) await this.storeRollup(bucket, computed, seenMarks);
    return {
      summary: summary.aggregate,
      simulated: summary.simulated,
      // As one scan gives them: buckets without deployments are left out.
      buckets: new Map(
        [...buckets]
          .filter(([, value]) => value.aggregate.deployments > 0)
          .map(([start, value]) => [start, value.aggregate]),
      ),
    };
  }
  /**
   * The rollup of the whole buckets given: stored rows that no write
   * touched since, and the others computed from the deployments (returned
   * in `computed`, with the stale marks they answer, to be stored).
   */
  private async readRollup(
    trx: Knex,
    bucket: DoraBucket,
    whole: ReadonlyArray<{ start: number; end: number }>,
  ) {
    const buckets = new Map<number, BucketValue>();
    const computed = new Map<number, BucketValue>();
    const seenMarks: string[] = [];
    if (whole.length === 0) return { buckets, computed, seenMarks };
    const starts = whole.map(b => new Date(b.start).toISOString());
    const marks: Array<{ start: Date; ids: string[] }> = (
      await trx.raw(
        `select start, array_agg(id) as ids from dora_rollup_stale
         where bucket = ? and start = any(?::timestamptz[]) group by start`,
        [bucket, starts],
      )
    ).rows;
    const stale = new Set<number>();
    for (const mark of marks) {
      stale.add(mark.start.getTime());
      for (const id of mark.ids) seenMarks.push(String(id));
    }
    const rows: RollupRow[] = await trx('dora_rollup')
      .where('bucket', bucket)
      .whereIn('start', starts);
    for (const row of rows) {
      const start = readTimestamp(row.start).getTime();
      if (!stale.has(start)) buckets.set(start, fromRollupRow(row));
    }
    const missing = whole.filter(b => !buckets.has(b.start));
    if (missing.length) {
      const fresh = await this.bucketAggregates(trx, bucket, [
        {
          from: new Date(missing[0].start),
          to: new Date(missing[missing.length - 1].end),
        },
      ]);
      for (const { start } of missing) {
        const value = fresh.get(start) ?? emptyBucket();
        buckets.set(start, value);
        computed.set(start, value);
      }
    }
    return { buckets, computed, seenMarks };
  }

  /** Stores buckets computed and deletes the marks they answer. */
  private async storeRollup(
    bucket: DoraBucket,
    computed: Map<number, BucketValue>,
    seenMarks: string[],
  ) {
    await this.db.transaction(async trx => {
      const rows = [...computed].map(([start, value]) =>
        toRollupRow(bucket, start, value),
      );
      for (const part of chunks(rows, 100)) {
        await trx('dora_rollup')
          .insert(part)
          .onConflict(['bucket', 'start'])
          .merge();
      }
      for (const part of chunks(seenMarks, 5000)) {
        await trx.raw(
          'delete from dora_rollup_stale where id = any(?::bigint[])',
          [part],
        );
      }
    });
  }

  /**
   * The aggregates, simulated counts and histograms of the production
   * deployments in the ranges, per bucket of their deployment time.
   */
  private async bucketAggregates(
    trx: Knex,
    bucket: DoraBucket,
    ranges: ReadonlyArray<{ from: Date; to: Date }>,
  ): Promise<Map<number, BucketValue>> {
    // A query per range (each in buckets of its own): an `or` of ranges
    // would not use the time index.
    const out = new Map<number, BucketValue>();
    for (const range of ranges) {
      for (const [start, value] of await this.rangeBuckets(
        trx,
        bucket,
        range,
      )) {
        out.set(start, value);
      }
    }
    return out;
  }

  private async rangeBuckets(
    trx: Knex,
    bucket: DoraBucket,
    range: { from: Date; to: Date },
  ): Promise<Map<number, BucketValue>> {
    const out = new Map<number, BucketValue>();
    const key = bucketKey(bucket);
    for (const row of await this.aggregateRows(trx, {
      range,
      key,
      totals: false,
    })) {
      out.set(new Date(row.key as string).getTime(), {
        aggregate: row.aggregate,
        simulated: row.simulated,
        lead: new Map(),
        recovery: new Map(),
      });
    }
    const where = {
      sql: 'deployed_at >= ? and deployed_at < ?',
      bindings: [range.from, range.to],
    };
    const { rows } = await trx.raw(
      `select k, 'lead' as measure, width_bucket(lead_time_ms, ?::bigint[]) as bin, count(*) as n
         from (select lead_time_ms, ${key.sql} as k from dora_deployments
               where production and lead_time_ms is not null and (${where.sql})) x
         group by 1, 2, 3
       union all
       select k, 'recovery', width_bucket(r, ?::bigint[]), count(*)
         from (select ${RECOVERY_MS} as r, ${key.sql} as k from dora_deployments
               where production and ${RESTORED} and (${where.sql})) y
         group by 1, 2, 3`,
      [
        [...HISTOGRAM_BOUNDS],
        ...key.bindings,
        ...where.bindings,
        [...HISTOGRAM_BOUNDS],
        ...key.bindings,
        ...where.bindings,
      ],
    );
    for (const row of rows as Array<Record<string, unknown>>) {
      const value = out.get(new Date(row.k as string).getTime())!;
      const histogram = row.measure === 'lead' ? value.lead : value.recovery;
      histogram.set(Number(row.bin), Number(row.n));
    }
    return out;
  }

  /**
   * The aggregate of a range from its buckets' counts and histograms: the
   * medians and p90s read at their ranks from the lead and recovery time
   * indexes, one or two values each.
   */
  private async totalOf(
    trx: Knex,
    range: { from: Date; to: Date },
    buckets: BucketValue[],
  ): Promise<{ aggregate: DoraAggregate; simulated: number }> {
    const sum = (f: (b: BucketValue) => number) =>
      buckets.reduce((n, b) => n + f(b), 0);
    const measures = {
      lead: {
        count: sum(b => b.aggregate.leadTime.count),
        histogram: mergeHistograms(buckets.map(b => b.lead)),
        sql: `select lead_time_ms as v from dora_deployments
              where production and lead_time_ms is not null and lead_time_ms >= ?
                and deployed_at >= ? and deployed_at < ?
              order by lead_time_ms`,
      },
      recovery: {
        count: sum(b => b.aggregate.recoveryTime.count),
        histogram: mergeHistograms(buckets.map(b => b.recovery)),
        sql: `select ${RECOVERY_MS} as v from dora_deployments
              where production and ${RESTORED} and ${RECOVERY_MS} >= ?
                and deployed_at >= ? and deployed_at < ?
              order by ${RECOVERY_MS}`,
      },
    };
    const lookups: Array<{
      measure: 'lead' | 'recovery';
      q: 0.5 | 0.9;
      ranks: NonNullable<ReturnType<typeof quantileRanks>>;
      sql: string;
      bindings: Knex.Value[];
    }> = [];
    for (const measure of ['lead', 'recovery'] as const) {
      const { count, histogram, sql } = measures[measure];
      for (const q of [0.5, 0.9] as const) {
        const ranks = quantileRanks(count, q);
        if (!ranks) continue;
        const at = locateRank(histogram, ranks.below);
        if (!at) {
          throw new Error(`DORA rollup: no ${measure} rank ${ranks.below}`);
        }
        lookups.push({
          measure,
          q,
          ranks,
          sql: `(${sql} offset ? limit ?)`,
          bindings: [
            at.from,
            range.from,
            range.to,
            at.offset,
            ranks.above - ranks.below + 1,
          ],
        });
      }
    }
    const values = new Map<string, number[]>();
    if (lookups.length) {
      // In the order of the lead and recovery indexes, whatever the
      // statistics say (a table just loaded, with autovacuum off, has none
      // and the planner would sort the range instead). The last statement
      // of the transaction: the setting ends with it.
      await trx.raw('set local enable_sort = off');
      const { rows } = await trx.raw(
        lookups
          .map((l, i) => `select ${i} as i, v from ${l.sql} as l${i}`)
          .join(' union all '),
        lookups.flatMap(l => l.bindings),
      );
      for (const row of rows as Array<{ i: number; v: string }>) {
        const key = String(row.i);
        values.set(key, [...(values.get(key) ?? []), Number(row.v)]);
      }
    }
    const percentile = (measure: 'lead' | 'recovery', q: 0.5 | 0.9) => {
      const i = lookups.findIndex(l => l.measure === measure && l.q === q);
      if (i < 0) return null;
      const found = (values.get(String(i)) ?? []).sort((a, b) => a - b);
      const needed = lookups[i].ranks.above - lookups[i].ranks.below + 1;
      if (found.length !== needed) {
        throw new Error(`DORA rollup: ${measure} values missing at a rank`);
      }
      return interpolateRanks(lookups[i].ranks, found);
    };
    return {
      simulated: sum(b => b.simulated),
      aggregate: {
        deployments: sum(b => b.aggregate.deployments),
        failures: sum(b => b.aggregate.failures),
        open: sum(b => b.aggregate.open),
        leadTime: {
          count: measures.lead.count,
          medianMs: percentile('lead', 0.5),
          p90Ms: percentile('lead', 0.9),
        },
        recoveryTime: {
          count: measures.recovery.count,
          medianMs: percentile('recovery', 0.5),
          p90Ms: percentile('recovery', 0.9),
        },
      },
    };
  }

  /**
   * The DORA aggregates of [from, to) per group (a team, a service), each
   * group made of the entities `members` lists for it (an entity may be in
   * several), by the database. Undefined where it cannot (SQLite).
   */
  async aggregateGroups(options: {
    from: Date;
    to: Date;
    members: ReadonlyArray<{ entityRef: string; group: string }>;
  }): Promise<Map<string, DoraAggregate> | undefined> {
    if (!this.aggregatesInSql()) return undefined;
    const groups = new Map<string, DoraAggregate>();
    if (options.members.length === 0) return groups;
    const rows = await this.aggregateRows(this.db, {
      range: { from: options.from, to: options.to },
      key: { sql: 'm.grp', bindings: [] },
      join: {
        sql: 'join unnest(?::text[], ?::text[]) as m(entity_ref, grp) using (entity_ref)',
        bindings: [
          options.members.map(m => m.entityRef),
          options.members.map(m => m.group),
        ],
      },
      totals: false,
    });
    for (const row of rows) groups.set(row.key as string, row.aggregate);
    return groups;
  }

  /** The entities with production deployments in [from, to). */
  async listDeployedEntities(options: { from: Date; to: Date }) {
    const rows: Array<{ entity_ref: string }> = await this.db(
      'dora_deployments',
    )
      .distinct('entity_ref')
      .where('production', true)
      .andWhere('deployed_at', '>=', options.from)
      .andWhere('deployed_at', '<', options.to);
    return rows.map(r => r.entity_ref);
  }

  /** Whether this database computes DORA's aggregates (percentile_cont). */
  private aggregatesInSql(): boolean {
    return this.postgres();
  }

  /** Whether this is PostgreSQL. */
  private postgres(): boolean {
    return this.db.client.config.client === 'pg';
  }

  /** Whether this is SQLite (better-sqlite3 or sqlite3). */
  private sqlite(): boolean {
    return String(this.db.client.config.client).includes('sqlite');
  }

  /**
   * One scan of the production deployments of the range, grouped by `key`
   * (and, with `totals`, overall): counts and percentile_cont medians and
   * p90s, the same numbers aggregateFacts gives.
   */
  private async aggregateRows(
    db: Knex,
    options: {
      range: { from: Date; to: Date };
      key: { sql: string; bindings: Knex.Value[] };
      join?: { sql: string; bindings: unknown[] };
      totals?: boolean;
    },
  ): Promise<
    Array<{
      key: unknown;
      total: boolean;
      aggregate: DoraAggregate;
      simulated: number;
    }>
  > {
    const { rows } = await db.raw(
      `select
         k as key,
         grouping(k) as total,
         count(*) as deployments,
         count(*) filter (where failed) as failures,
         count(*) filter (where simulated) as simulated,
         count(*) filter (where failed and restored_at is null) as open,
         count(lead_time_ms) as lead_count,
         percentile_cont(0.5) within group (order by lead_time_ms) as lead_median,
         percentile_cont(0.9) within group (order by lead_time_ms) as lead_p90,
         count(*) filter (where ${RESTORED}) as recovery_count,
         percentile_cont(0.5) within group (order by ${RECOVERY_MS}) filter (where ${RESTORED}) as recovery_median,
         percentile_cont(0.9) within group (order by ${RECOVERY_MS}) filter (where ${RESTORED}) as recovery_p90
       from (
         select d.*, ${options.key.sql} as k
         from dora_deployments d ${options.join?.sql ?? ''}
         where d.production and d.deployed_at >= ? and d.deployed_at < ?
       ) x
       group by ${options.totals === false ? 'k' : 'grouping sets ((k), ())'}`,
      [
        ...options.key.bindings,
        ...((options.join?.bindings ?? []) as Knex.Value[]),
        options.range.from,
        options.range.to,
      ],
    );
    return (rows as Array<Record<string, unknown>>).map(row => ({
      key: row.key,
      total: Number(row.total) === 1,
      simulated: Number(row.simulated),
      aggregate: aggregateFromRow(row),
    }));
  }

  /** The latest failed changes in [from, to), newest first, with their incidents. */
  async listFailures(options: {
    entityRefs?: readonly string[];
    from: Date;
    to: Date;
    limit: number;
  }): Promise<StoredFailure[]> {
    const query = this.db('dora_deployments')
      .where('production', true)
      .andWhere('failed', true)
      .andWhere('deployed_at', '>=', options.from)
      .andWhere('deployed_at', '<', options.to)
      .orderBy([
        { column: 'deployed_at', order: 'desc' },
        { column: 'event_id', order: 'desc' },
      ])
      .limit(options.limit);
    if (options.entityRefs) {
      if (options.entityRefs.length > CHUNK * 10) {
        throw new InputError(
          `At most ${CHUNK * 10} entities per failure list, got ${
            options.entityRefs.length
          }`,
        );
      }
      query.whereIn('entity_ref', options.entityRefs);
    }
    const rows: DeploymentRow[] = await query;
    const incidents: IncidentRow[] = rows.length
      ? await this.db('dora_incidents')
          .whereIn(
            'attributed_to',
            rows.map(r => r.event_id),
          )
          .orderBy('opened_at')
      : [];
    return rows.map(row => {
      const own = incidents.filter(i => i.attributed_to === row.event_id);
      return {
        ...factsOfRow(row),
        incidentIds: own.map(i => i.event_id),
        environment: row.environment,
        version: row.version,
        outcome: row.outcome as DeploymentOutcome,
        incidents: own.map(i => ({
          id: i.event_id,
          title: i.title,
          url: i.url,
        })),
      };
    });
  }

  /** Events whose entity the catalog did not know, newest first. */
  async listUnmatched(limit: number): Promise<UnmatchedEvent[]> {
    // `matched = false` as text, so that the partial indexes apply.
    const deployments: DeploymentRow[] = await this.db('dora_deployments')
      .whereRaw('matched = false')
      .orderBy('received_at', 'desc')
      .limit(limit);
    const incidents: IncidentRow[] = await this.db('dora_incidents')
      .whereRaw('matched = false')
      .whereNotNull('entity_ref')
      .orderBy('received_at', 'desc')
      .limit(limit);
    return [
      ...deployments.map(row => ({
        type: 'deployment' as const,
        id: row.event_id,
        entityRef: row.entity_ref,
        receivedAt: readTimestamp(row.received_at),
      })),
      ...incidents.map(row => ({
        type: 'incident' as const,
        id: row.event_id,
        entityRef: row.entity_ref!,
        receivedAt: readTimestamp(row.received_at),
      })),
    ]
      .sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime())
      .slice(0, limit);
  }

  /** How many stored events are unmatched. */
  async countUnmatched(): Promise<number> {
    const [d] = await this.db('dora_deployments')
      .whereRaw('matched = false')
      .count({ n: '*' });
    const [i] = await this.db('dora_incidents')
      .whereRaw('matched = false')
      .whereNotNull('entity_ref')
      .count({ n: '*' });
    return Number(d.n) + Number(i.n);
  }

  /** The deployments of the period with the longest lead times. */
  async listSlowestLeadTimes(options: {
    entityRefs: readonly string[];
    from: Date;
    to: Date;
    limit: number;
  }): Promise<
    Array<{
      id: string;
      entityRef: string;
      version: string | null;
      deployedAt: number;
      leadTimeMs: number;
    }>
  > {
    if (options.entityRefs.length === 0) return [];
    const rows: DeploymentRow[] = [];
    for (const part of chunks(options.entityRefs)) {
      rows.push(
        ...(await this.db('dora_deployments')
          .where('production', true)
          .whereNotNull('lead_time_ms')
          .whereIn('entity_ref', part)
          .andWhere('deployed_at', '>=', options.from)
          .andWhere('deployed_at', '<', options.to)
          .orderBy('lead_time_ms', 'desc')
          .limit(options.limit)),
      );
    }
    return rows
      .map(row => ({
        id: row.event_id,
        entityRef: row.entity_ref,
        version: row.version,
        deployedAt: ms(row.deployed_at)!,
        leadTimeMs: Number(row.lead_time_ms),
      }))
      .sort((a, b) => b.leadTimeMs - a.leadTimeMs || a.id.localeCompare(b.id))
      .slice(0, options.limit);
  }

  /**
   * Stores a team's report for a period unless one is there already (a
   * second run, another replica); true when this call stored it.
   */
  async insertReport(report: {
    id: string;
    ownerRef: string;
    periodStart: Date;
    periodEnd: Date;
    createdAt: Date;
    content: unknown;
  }): Promise<boolean> {
    const inserted = await this.db('dora_reports')
      .insert({
        id: report.id,
        owner_ref: report.ownerRef,
        period_start: report.periodStart,
        period_end: report.periodEnd,
        created_at: report.createdAt,
        content: JSON.stringify(report.content),
      })
      .onConflict(['owner_ref', 'period_start'])
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  /** Whether a team has a report for the period starting then. */
  async hasReport(ownerRef: string, periodStart: Date): Promise<boolean> {
    const row = await this.db('dora_reports')
      .where({ owner_ref: ownerRef, period_start: periodStart })
      .first('id');
    return Boolean(row);
  }

  /** Reports, newest period first, of one team or of all. */
  async listReports(options: {
    ownerRefs?: readonly string[];
    limit: number;
  }): Promise<StoredReport[]> {
    const query = this.db('dora_reports')
      .orderBy([
        { column: 'period_start', order: 'desc' },
        { column: 'owner_ref', order: 'asc' },
      ])
      .limit(options.limit);
    if (options.ownerRefs) query.whereIn('owner_ref', options.ownerRefs);
    return ((await query) as ReportRow[]).map(toStoredReport);
  }

  async getReport(id: string): Promise<StoredReport | undefined> {
    const row: ReportRow | undefined = await this.db('dora_reports')
      .where('id', id)
      .first();
    return row ? toStoredReport(row) : undefined;
  }

  /** The stored incident, for tests and the API. */
  async getIncident(id: string) {
    const row: IncidentRow | undefined = await this.db('dora_incidents')
      .where('event_id', id)
      .first();
    return row
      ? {
          ...toDoraIncident(row),
          attributedTo: row.attributed_to,
          rule: row.attribution_rule,
          unattributed: row.unattributed,
        }
      : undefined;
  }
}
