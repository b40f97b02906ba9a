import { InputError } from '@backstage/errors';
import {
  DeploymentFacts,
  DeploymentOutcome,
} from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import type {
  DoraRange,
  FactsQuery,
  FailuresQuery,
  SlowestQuery,
  SlowLeadTime,
  StoredFailure,
  StoredIncident,
  UnmatchedEvent,
} from '../DoraStore';
import { readTimestamp } from '../../shared/timestamps';
import {
  CHUNK,
  chunks,
  DeploymentRow,
  factsOfRow,
  IncidentRow,
  ms,
  toDoraIncident,
} from './rows';

/**
 * What is listed of the stored events: facts, failed changes with their
 * incidents, unmatched events, the slowest lead times, an incident.
 */
export class DoraListings {
  constructor(private readonly db: Knex) {}

  /**
   * The facts of production deployments in [from, to), of the entities
   * given or of all.
   */
  async listFacts(
    options: FactsQuery,
  ): Promise<Array<DeploymentFacts & { simulated: boolean }>> {
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

  /** The latest failed changes in [from, to), newest first, with their incidents. */
  async listFailures(options: FailuresQuery): Promise<StoredFailure[]> {
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

  /** The entities with production deployments in [from, to). */
  async listDeployedEntities(options: DoraRange): Promise<string[]> {
    const rows: Array<{ entity_ref: string }> = await this.db(
      'dora_deployments',
    )
      .distinct('entity_ref')
      .where('production', true)
      .andWhere('deployed_at', '>=', options.from)
      .andWhere('deployed_at', '<', options.to);
    return rows.map(r => r.entity_ref);
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
  async listSlowestLeadTimes(options: SlowestQuery): Promise<SlowLeadTime[]> {
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

  /** The stored incident, for tests and the API. */
  async getIncident(id: string): Promise<StoredIncident | undefined> {
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
