import {
  aggregateFacts,
  DoraAggregate,
} from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import type {
  AggregateQuery,
  GroupsQuery,
  StoredAggregates,
} from '../DoraStore';
import { aggregateRows, bucketKey } from './aggregateSql';
import { DoraRollup } from './rollupTable';
import { DoraTables } from './tables';

/**
 * DORA's aggregates by the database where it computes them (PostgreSQL's
 * percentile_cont): of a range, overall and per bucket, and per group.
 */
export class DoraAggregation {
  constructor(
    private readonly db: Knex,
    private readonly tables: DoraTables,
    private readonly rollup: DoraRollup,
  ) {}

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
  async aggregate(
    options: AggregateQuery,
  ): Promise<StoredAggregates | undefined> {
    if (!this.tables.aggregatesInSql()) return undefined;
    if (!options.entityRefs && !options.direct) {
      return this.rollup.aggregate(options);
    }
    const rows = await aggregateRows(this.db, {
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

  /**
   * The DORA aggregates of [from, to) per group (a team, a service), each
   * group made of the entities `members` lists for it (an entity may be in
   * several), by the database. Undefined where it cannot (SQLite).
   */
  async aggregateGroups(
    options: GroupsQuery,
  ): Promise<Map<string, DoraAggregate> | undefined> {
    if (!this.tables.aggregatesInSql()) return undefined;
    const groups = new Map<string, DoraAggregate>();
    if (options.members.length === 0) return groups;
    const rows = await aggregateRows(this.db, {
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
}
