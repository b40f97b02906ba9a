import { InputError } from '@backstage/errors';
import {
  attributeIncidents,
  DeploymentFacts,
  deploymentFacts,
  DeploymentOutcome,
  DoraDeployment,
  DoraIncident,
  FailureRule,
} from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import type { DeploymentEvent, IncidentEvent } from '../lib/dora/events';
import { DbTimestamp, readTimestamp } from './timestamps';

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

function toDoraDeployment(row: DeploymentRow): DoraDeployment {
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

function factsOfRow(row: DeploymentRow): Omit<DeploymentFacts, 'incidentIds'> {
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

function sameDerived(row: DeploymentRow, facts: DeploymentFacts): boolean {
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
      const inserts: Record<string, unknown>[] = [];
      for (const record of records) {
        const row = stored.get(record.id);
        affected.add(record.entityRef);
        if (!row) {
          statuses.push('created');
          inserts.push({
            event_id: record.id,
            ...receivedColumns(record),
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
      for (const part of chunks(inserts, 200)) {
        await trx('dora_deployments').insert(part);
      }
      if (statuses.some(s => s !== 'unchanged')) {
        await this.rederive(trx, affected, now);
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
      for (const part of chunks(records.map(r => r.id))) {
        const rows: IncidentRow[] = await trx('dora_incidents').whereIn(
          'event_id',
          part,
        );
        for (const row of rows) stored.set(row.event_id, row);
      }
      const affected = new Set<string>();
      const linked = new Set<string>();
      const statuses: RecordStatus[] = [];
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
          await trx('dora_incidents').insert(next);
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
        await this.rederive(
          trx,
          affected,
          now,
          records.map(r => r.id),
        );
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

  private async deploymentsById(
    db: Knex,
    ids: string[],
  ): Promise<Map<string, DeploymentRow>> {
    const out = new Map<string, DeploymentRow>();
    for (const part of chunks(ids)) {
      const rows: DeploymentRow[] = await db('dora_deployments').whereIn(
        'event_id',
        part,
      );
      for (const row of rows) out.set(row.event_id, row);
    }
    return out;
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
    incidentIds: string[] = [],
  ) {
    const refs = new Set(entityRefs);
    const deployments = new Map<string, DeploymentRow>();
    const incidents = new Map<string, IncidentRow>();
    // Incidents without an entity yet (a resolve before its create).
    for (const part of chunks(incidentIds)) {
      const rows: IncidentRow[] = await trx('dora_incidents').whereIn(
        'event_id',
        part,
      );
      for (const row of rows) incidents.set(row.event_id, row);
    }
    let pending = [...refs];
    while (pending.length) {
      for (const part of chunks(pending)) {
        const rows: DeploymentRow[] = await trx('dora_deployments')
          .whereIn('entity_ref', part)
          .andWhere('production', true);
        for (const row of rows) deployments.set(row.event_id, row);
        const own: IncidentRow[] = await trx('dora_incidents').whereIn(
          'entity_ref',
          part,
        );
        const pointing: IncidentRow[] = await trx('dora_incidents as i')
          .select('i.*')
          .join('dora_deployments as d', join =>
            join
              .on('d.event_id', 'i.deployment_event_id')
              .orOn('d.event_id', 'i.attributed_to'),
          )
          .whereIn('d.entity_ref', part);
        for (const row of [...own, ...pointing])
          incidents.set(row.event_id, row);
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

    const deploymentList = [...deployments.values()].filter(d =>
      refs.has(d.entity_ref),
    );
    const incidentList = [...incidents.values()];
    const attributions = attributeIncidents(
      deploymentList.map(toDoraDeployment),
      incidentList.map(toDoraIncident),
    );
    const facts = deploymentFacts(
      deploymentList.map(toDoraDeployment),
      incidentList.map(toDoraIncident),
    );
    for (let i = 0; i < deploymentList.length; i++) {
      const row = deploymentList[i];
      if (!sameDerived(row, facts[i])) {
        await trx('dora_deployments')
          .where('event_id', row.event_id)
          .update(derivedColumns(facts[i]));
      }
    }
    for (let i = 0; i < incidentList.length; i++) {
      const row = incidentList[i];
      const a = attributions[i];
      const next = {
        attributed_to: a.deploymentId,
        attribution_rule: a.rule,
        unattributed: a.unattributed ?? null,
      };
      if (
        row.attributed_to !== next.attributed_to ||
        row.attribution_rule !== next.attribution_rule ||
        row.unattributed !== next.unattributed
      ) {
        await trx('dora_incidents')
          .where('event_id', row.event_id)
          .update({ ...next, updated_at: now });
      }
    }
  }

  /**
   * The facts of production deployments in [from, to), of the entities
   * given or of all.
   */
  async listFacts(options: {
    entityRefs?: readonly string[];
    from: Date;
    to: Date;
  }): Promise<DeploymentFacts[]> {
    const read = async (refs?: readonly string[]) => {
      const query = this.db('dora_deployments')
        .select(
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
    const rows: DeploymentRow[] = [];
    if (options.entityRefs) {
      for (const part of chunks(options.entityRefs)) {
        rows.push(...(await read(part)));
      }
    } else {
      rows.push(...(await read()));
    }
    return rows.map(row => ({ ...factsOfRow(row), incidentIds: [] }));
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
    const deployments: DeploymentRow[] = await this.db('dora_deployments')
      .where('matched', false)
      .orderBy('received_at', 'desc')
      .limit(limit);
    const incidents: IncidentRow[] = await this.db('dora_incidents')
      .where('matched', false)
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

  /** How many production deployments of [from, to) a simulation made up. */
  async countSimulated(options: {
    entityRefs?: readonly string[];
    from: Date;
    to: Date;
  }): Promise<number> {
    let total = 0;
    const parts = options.entityRefs ? chunks(options.entityRefs) : [undefined];
    for (const part of parts) {
      const query = this.db('dora_deployments')
        .where('production', true)
        .andWhere('simulated', true)
        .andWhere('deployed_at', '>=', options.from)
        .andWhere('deployed_at', '<', options.to);
      if (part) query.whereIn('entity_ref', part);
      const [row] = await query.count({ n: '*' });
      total += Number(row.n);
    }
    return total;
  }

  /** How many stored events are unmatched. */
  async countUnmatched(): Promise<number> {
    const [d] = await this.db('dora_deployments')
      .where('matched', false)
      .count({ n: '*' });
    const [i] = await this.db('dora_incidents')
      .where('matched', false)
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
