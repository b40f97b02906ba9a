import type { Knex } from 'knex';
import { readTimestamp, DbTimestamp } from '../shared/timestamps';
import { ROLLBACK_TEST_ACTOR } from '../rollbackTests/RollbackTestService';
import type { CrossServiceReleaseFact } from './crossService';
import {
  ProductionReleaseFact,
  RollbackFact,
  rollbackFinishedAt,
} from './measures';
import type {
  ReleaseMetricsQuery,
  ReleaseMetricsStore,
} from './ReleaseMetricsStore';

// Well below SQLite's and PostgreSQL's bound-parameter limits.
const CHUNK = 500;

type ReleaseRow = {
  /** Days since 1970-01-01 UTC. */
  day: number | string;
  strategy: string | null;
  simulated: boolean | number;
  tested: number | string;
  count: number | string;
};

const DAY_MS = 86_400_000;

type RollbackRow = {
  requested_at: DbTimestamp;
  requested_by: string;
  state: string;
  phase: string;
  release_finished_at: DbTimestamp | null;
  rolled_back_seen_at: DbTimestamp | null;
};

type CandidateRow = {
  event_id: string;
  entity_ref: string;
  deployed_at: DbTimestamp;
  simulated: boolean | number;
  plan_id: string | null;
};

const ms = (value: DbTimestamp | null) =>
  value === null || value === undefined ? null : readTimestamp(value).getTime();

/**
 * The release metrics' reads in SQL, the same on SQLite and PostgreSQL:
 * the production releases counted per day, strategy and test, each one's
 * test looked up by an `exists` over `rollback_tests` (index by entity and
 * version), and one row per rollback with the first observation of its
 * release rolled back.
 *
 * A test counts for a production release when it passed before the release
 * went past its first step: for a release Glidepath observed (event id
 * `release:<id>`), the first observation of a later step or of its end (a
 * release the rollback gate held at its first step until the test passed
 * counts as tested first); for a posted deployment, which has no steps, its
 * start.
 */
export class DatabaseReleaseMetricsStore implements ReleaseMetricsStore {
  constructor(
    private readonly db: Knex,
    private readonly options: {
      /** The environments that count as production (the others are tested in). */
      productionEnvironments: readonly string[];
    },
  ) {}

  private async byEntities<T>(
    entityRefs: readonly string[] | undefined,
    read: (refs?: readonly string[]) => Promise<T[]>,
  ): Promise<T[]> {
    if (!entityRefs) return read();
    let rows: T[] = [];
    for (let i = 0; i < entityRefs.length; i += CHUNK) {
      rows = rows.concat(await read(entityRefs.slice(i, i + CHUNK)));
    }
    return rows;
  }

  async listProductionReleases(
    query: ReleaseMetricsQuery,
  ): Promise<ProductionReleaseFact[]> {
    const production = [...this.options.productionEnvironments];
    const nonProduction = production.length
      ? ` and t.environment not in (${production.map(() => '?').join(', ')})`
      : '';
    // Counted in the database per UTC day, strategy, test and simulation:
    // a few thousand rows for six months of an organisation instead of one
    // per release. Weeks and months start at a UTC midnight, so the series
    // is the same as from each release's own time.
    const day =
      this.db.client.config.client === 'pg'
        ? 'floor(extract(epoch from d.deployed_at) / 86400)'
        : 'cast(d.deployed_at / 86400000 as integer)';
    const rows = await this.byEntities(query.entityRefs, async refs => {
      const inner = this.db('dora_deployments as d')
        .select(
          this.db.raw(`${day} as day`),
          'd.strategy',
          'd.simulated',
          this.db.raw(
            `case when exists (select 1 from rollback_tests t
                      where t.entity_ref = d.entity_ref
                        and t.version = d.version
                        and t.state = 'passed'
                        and t.finished_at < coalesce(
                          (select min(e.occurred_at) from release_events e
                            where d.source = 'release'
                              and e.release_id = substr(d.event_id, 9)
                              and (e.step_index > 0
                                   or e.to_phase in ('succeeded', 'failed', 'rolled_back', 'aborted'))),
                          d.deployed_at)${nonProduction}) then 1 else 0 end as tested`,
            production,
          ),
        )
        .where('d.production', true)
        .andWhere('d.deployed_at', '>=', query.from)
        .andWhere('d.deployed_at', '<', query.to);
      if (refs) inner.whereIn('d.entity_ref', refs);
      return (await this.db
        .from(inner.as('r'))
        .select('day', 'strategy', 'simulated', 'tested')
        .count({ count: '*' })
        .groupBy('day', 'strategy', 'simulated', 'tested')) as ReleaseRow[];
    });
    const from = query.from.getTime();
    return rows.map(row => ({
      // The day's start, or the period's when it began that day.
      deployedAt: Math.max(Number(row.day) * DAY_MS, from),
      strategy: row.strategy,
      tested: Boolean(Number(row.tested)),
      simulated: Boolean(row.simulated),
      count: Number(row.count),
    }));
  }

  async listCrossServiceCandidates(
    query: ReleaseMetricsQuery & { entityRefs: readonly string[] },
  ): Promise<CrossServiceReleaseFact[]> {
    // One row per release: only of the services that have a link (the
    // caller passes them), with the plan its release was a member of. A
    // posted deployment has no release, so no plan.
    const rows = await this.byEntities(query.entityRefs, async refs => {
      const select = this.db('dora_deployments as d')
        .select(
          'd.event_id',
          'd.entity_ref',
          'd.deployed_at',
          'd.simulated',
          this.db.raw(
            `(select min(m.plan_id) from plan_members m
               where d.source = 'release'
                 and m.release_id = substr(d.event_id, 9)) as plan_id`,
          ),
        )
        .where('d.production', true)
        .andWhere('d.deployed_at', '>=', query.from)
        .andWhere('d.deployed_at', '<', query.to);
      if (refs) select.whereIn('d.entity_ref', refs);
      return (await select) as CandidateRow[];
    });
    return rows.map(row => ({
      id: row.event_id,
      entityRef: row.entity_ref,
      deployedAt: ms(row.deployed_at)!,
      planId: row.plan_id ?? null,
      simulated: Boolean(row.simulated),
    }));
  }

  async listRollbacks(query: ReleaseMetricsQuery): Promise<RollbackFact[]> {
    const production = [...this.options.productionEnvironments];
    if (production.length === 0) return [];
    const rows = await this.byEntities(query.entityRefs, async refs => {
      const select = this.db('release_actions as a')
        .join('releases as r', 'r.id', 'a.release_id')
        .select(
          'a.requested_at',
          'a.requested_by',
          'a.state',
          'r.phase',
          'r.finished_at as release_finished_at',
          this.db.raw(
            `(select min(e.occurred_at) from release_events e
               where e.release_id = a.release_id
                 and e.to_phase = 'rolled_back'
                 and e.occurred_at >= a.requested_at) as rolled_back_seen_at`,
          ),
        )
        .where('a.action', 'rollback')
        .whereIn('r.environment', production)
        .andWhere('a.requested_at', '>=', query.from)
        .andWhere('a.requested_at', '<', query.to);
      if (refs) select.whereIn('a.entity_ref', refs);
      return (await select) as RollbackRow[];
    });
    const facts: RollbackFact[] = [];
    for (const row of rows) {
      const actor = parseActor(row.requested_by);
      if (
        actor.kind === ROLLBACK_TEST_ACTOR.kind &&
        actor.ref === ROLLBACK_TEST_ACTOR.ref
      ) {
        continue;
      }
      const requestedAt = ms(row.requested_at)!;
      const finishedAt = rollbackFinishedAt({
        requestedAt,
        releasePhase: row.phase,
        releaseFinishedAt: ms(row.release_finished_at),
        rolledBackObservedAt: ms(row.rolled_back_seen_at),
      });
      facts.push({
        requestedAt,
        automatic: actor.kind === 'policy',
        finishedAt,
        unfinished: finishedAt === null && row.state !== 'succeeded',
      });
    }
    return facts;
  }
}

function parseActor(text: string): { kind?: string; ref?: string } {
  try {
    const actor = JSON.parse(text);
    return actor && typeof actor === 'object' ? actor : {};
  } catch {
    return {};
  }
}
