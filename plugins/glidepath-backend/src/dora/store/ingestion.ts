import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import type {
  DeploymentRecord,
  IncidentRecord,
  PruneOptions,
  RecordStatus,
} from '../DoraStore';
import { DbTimestamp } from '../../shared/timestamps';
import { retryOnConflict } from './conflicts';
import { DoraDerivation } from './derivation';
import { chunks, DeploymentRow, IncidentRow, ms } from './rows';
import { DoraTables } from './tables';

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
    strategy: record.strategy ?? null,
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
    ms(row.finished_at) === (record.finishedAt?.getTime() ?? null) &&
    (row.strategy ?? null) === (record.strategy ?? null)
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
 * Records received events and prunes a history source's: every write
 * re-derives the facts of the entities it touches, in its transaction.
 */
export class DoraIngestion {
  constructor(
    private readonly db: Knex,
    private readonly tables: DoraTables,
    private readonly derivation: DoraDerivation,
  ) {}

  /**
   * A write in its transaction, run again if it lost a race with another
   * write (see `retryOnConflict`): events may be sent at once, the same
   * ones included.
   */
  private write<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return retryOnConflict(() => this.db.transaction(fn));
  }

  /**
   * Records deployments (new ids are created, known ids are replaced) and
   * re-derives their entities' facts. Returns each event's status, in order.
   */
  async recordDeployments(
    records: DeploymentRecord[],
    now = new Date(),
  ): Promise<RecordStatus[]> {
    return this.write(async trx => {
      await this.tables.lockEntities(
        trx,
        records.map(r => r.entityRef),
      );
      const stored = await this.tables.deploymentsById(
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
        await this.derivation.rederive(trx, affected, now, {
          newDeployments: inserts,
        });
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
    return this.write(async trx => {
      await this.tables.lockEntities(
        trx,
        records.map(r => r.entityRef),
      );
      const stored = new Map<string, IncidentRow>();
      for (const row of await this.tables.rowsWhereIn<IncidentRow>(
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
        await this.tables.deploymentsById(trx, [...linked])
      ).values()) {
        affected.add(row.entity_ref);
      }
      if (statuses.some(s => s !== 'unchanged')) {
        await this.derivation.rederive(trx, affected, now, {
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
  async pruneHistory(options: PruneOptions): Promise<number> {
    const { prefix, from, to } = options;
    return this.write(async trx => {
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
      // Before deleting: a write deriving these entities meanwhile would
      // update rows this one deletes.
      await this.tables.lockEntities(
        trx,
        [...staleDeployments, ...staleIncidents].map(e => e.entity_ref),
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
        await this.derivation.rederive(
          trx,
          affected,
          options.now ?? new Date(),
        );
      }
      return staleDeployments.length + staleIncidents.length;
    });
  }
}
