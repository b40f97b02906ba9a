import {
  aggregateFacts,
  DoraBucket,
  DoraAggregate,
} from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import type { AggregateQuery, StoredAggregates } from '../DoraStore';
import {
  HISTOGRAM_BOUNDS,
  Histogram,
  interpolateRanks,
  locateRank,
  mergeHistograms,
  quantileRanks,
  splitRange,
} from '../rollup';
import { DbTimestamp, readTimestamp } from '../../shared/timestamps';
import {
  aggregateFromRow,
  aggregateRows,
  bucketKey,
  RECOVERY_MS,
  RESTORED,
} from './aggregateSql';
import { chunks } from './rows';

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
 * The aggregates over all entities from the rollup (`dora_rollup`, a row
 * per week or month computed again where a write touched it: the triggers
 * of its migration mark it stale), on PostgreSQL: the weeks or months
 * entirely inside the range from the rollup, the ends of the range from the
 * deployments, and the range's medians and p90s from the buckets'
 * histograms and an index: the same numbers as one scan of the range, from
 * a few rows.
 */
export class DoraRollup {
  constructor(private readonly db: Knex) {}

  /** `aggregate` over all entities, from the rollup (PostgreSQL). */
  async aggregate(options: AggregateQuery): Promise<StoredAggregates> {
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
    for (const row of await aggregateRows(trx, {
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
}
