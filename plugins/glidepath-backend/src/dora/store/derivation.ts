import {
  attributeIncidents,
  DeploymentFacts,
  deploymentFacts,
  DeploymentOutcome,
  DoraDeployment,
} from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import {
  chunks,
  date,
  DEPLOYMENT_COLUMNS,
  DeploymentRow,
  DERIVATION_COLUMNS,
  DerivationRow,
  factsOfRow,
  INCIDENT_COLUMNS,
  IncidentRow,
  ms,
  toDoraIncident,
} from './rows';
import { DoraTables } from './tables';

/**
 * The columns of a batch in which no deployment says its strategy: the
 * column keeps its default (null), and the insert is the one written before
 * migration 20261206233000 added it (the rollup test stores a history on
 * the schema of that time).
 */
const { strategy: _strategy, ...COLUMNS_WITHOUT_STRATEGY } = DEPLOYMENT_COLUMNS;

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

/**
 * Derives the facts of deployments and the attribution of incidents with
 * the pure functions of `-common`, and writes what changed, in the
 * transaction of the write that touched them.
 */
export class DoraDerivation {
  constructor(private readonly tables: DoraTables) {}

  /**
   * Writes re-derived facts: one statement per chunk on PostgreSQL (a failed
   * change attributed by an incident batch is thousands of rows), one per
   * row on SQLite (in-process, as fast).
   */
  private async updateDerived(trx: Knex, changed: DeploymentFacts[]) {
    if (!this.tables.postgres()) {
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

  /**
   * The columns of DERIVATION_COLUMNS to select. On PostgreSQL the
   * timestamps come as epoch milliseconds (which `ms` reads as well as a
   * Date): node-postgres parses each timestamp into a Date, and that was
   * half the time of reading an entity's history (ten thousand deployments
   * in 27 ms instead of 50).
   */
  private derivationColumns(db: Knex): Array<string | Knex.Raw> {
    if (!this.tables.postgres()) return [...DERIVATION_COLUMNS];
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
  async rederive(
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
    for (const row of await this.tables.rowsWhereIn<IncidentRow>(
      trx,
      'dora_incidents',
      'event_id',
      options.incidentIds ?? [],
    )) {
      incidents.set(row.event_id, row);
    }
    // Stored incidents that link the new deployments.
    for (const row of await this.tables.rowsWhereIn<IncidentRow>(
      trx,
      'dora_incidents',
      'deployment_event_id',
      (options.newDeployments ?? []).map(d => d.event_id),
    )) {
      if (!incidents.has(row.event_id)) incidents.set(row.event_id, row);
    }
    let pending = [...refs];
    while (pending.length) {
      await this.tables.lockEntities(trx, pending);
      for (const part of chunks(pending)) {
        // SQLite, without statistics, answered this through the
        // (production, deployed_at) index, reading every production
        // deployment: 80-220 ms a batch at 300,000 deployments, 1 ms
        // through the entity's index.
        const history = this.tables.sqlite()
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
        const linked = await this.tables.rowsWhereIn<IncidentRow>(
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
      const found = await this.tables.deploymentsById(trx, missing);
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
    await this.tables.insertRows<Omit<DeploymentRow, 'strategy'>>(
      trx,
      'dora_deployments',
      inserts.some(row => row.strategy !== null)
        ? DEPLOYMENT_COLUMNS
        : COLUMNS_WITHOUT_STRATEGY,
      inserts,
    );
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
    await this.tables.insertRows(
      trx,
      'dora_incidents',
      INCIDENT_COLUMNS,
      incidentInserts,
    );
  }
}
