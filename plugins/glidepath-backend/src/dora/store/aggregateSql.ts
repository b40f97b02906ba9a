import { DoraAggregate, DoraBucket } from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';

/**
 * The recovery time of a failed, restored deployment in ms, never negative
 * (as `aggregateFacts` computes it); the recovery index of the migration
 * `dora_rollup` is over this very expression.
 */
export const RECOVERY_MS =
  'greatest(0, extract(epoch from (restored_at - coalesce(failure_started_at, deployed_at))) * 1000)';
export const RESTORED = 'failed and restored_at is not null';

/** The start of a deployment's week or month, UTC, in SQL. */
export function bucketKey(bucket: DoraBucket) {
  return {
    sql: `date_trunc(?, deployed_at at time zone 'UTC') at time zone 'UTC'`,
    bindings: [bucket],
  };
}

/**
 * The aggregate columns of a row (a stored rollup or an aggregate query):
 * counts as numbers (PostgreSQL sends bigints as strings), no value as null.
 */
export function aggregateFromRow(row: Record<string, unknown>): DoraAggregate {
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

/**
 * One scan of the production deployments of the range, grouped by `key`
 * (and, with `totals`, overall): counts and percentile_cont medians and
 * p90s, the same numbers aggregateFacts gives.
 */
export async function aggregateRows(
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
