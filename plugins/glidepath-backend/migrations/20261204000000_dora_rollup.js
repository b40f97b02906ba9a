// @ts-check

/*
 * DORA at the size of an organisation (issue 6).
 *
 * - Indexes for the writes' lookups: incidents by the deployment they are
 *   attributed to (re-derivation reads them per entity), and the failed
 *   changes newest first (the failure list of every DORA page).
 * - On PostgreSQL, a rollup of the production deployments per week and per
 *   month (`dora_rollup`): counts, exact medians and p90s, and histograms of
 *   the lead and recovery times, so that a period's measures come from a
 *   few rows instead of a scan and a sort of every deployment. A bucket is
 *   computed from `dora_deployments` when it is first read and again after
 *   a write touched it: triggers append a mark to `dora_rollup_stale` for
 *   the buckets of every row a statement inserts, updates or deletes (old
 *   and new times). Nothing is backfilled here: a bucket without a rollup
 *   row is computed from the stored deployments when read, so the rows
 *   stored before this migration count as they did.
 * - Indexes over the lead and recovery times of production deployments, for
 *   the exact percentiles of a period read from the histograms.
 *
 * SQLite computes DORA in JavaScript and has neither the rollup nor the
 * triggers (the tables exist on both, empty on SQLite).
 */

/** The recovery time of a failed, restored deployment, in ms (see the store). */
const RECOVERY_MS =
  'greatest(0, extract(epoch from (restored_at - coalesce(failure_started_at, deployed_at))) * 1000)';

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dora_incidents', table => {
    table.index(['attributed_to'], 'dora_incidents_attributed_idx');
  });
  await knex.raw(
    'create index dora_deployments_failed_idx on dora_deployments (deployed_at, event_id) where production and failed',
  );

  await knex.schema.createTable('dora_rollup', table => {
    table.comment(
      'The DORA aggregate of the production deployments of one week or month (PostgreSQL)',
    );
    table.string('bucket').notNullable().comment('week or month');
    table
      .timestamp('start', { useTz: true, precision: 3 })
      .notNullable()
      .comment('Monday or the 1st, 00:00 UTC');
    table.integer('deployments').notNullable();
    table.integer('failures').notNullable();
    table.integer('open').notNullable();
    table.integer('simulated').notNullable();
    table.integer('lead_count').notNullable();
    table.double('lead_median').nullable();
    table.double('lead_p90').nullable();
    table.integer('recovery_count').notNullable();
    table.double('recovery_median').nullable();
    table.double('recovery_p90').nullable();
    table
      .text('histograms')
      .notNullable()
      .comment('JSON: lead and recovery times per bin of the store');
    table.primary(['bucket', 'start']);
  });
  await knex.schema.createTable('dora_rollup_stale', table => {
    table.comment(
      'Buckets of dora_rollup a write touched since it was computed (PostgreSQL)',
    );
    table.bigIncrements('id');
    table.string('bucket').notNullable();
    table.timestamp('start', { useTz: true, precision: 3 }).notNullable();
    table.index(['bucket', 'start'], 'dora_rollup_stale_bucket_idx');
  });

  if (knex.client.config.client !== 'pg') return;
  await knex.raw(
    `create index dora_deployments_lead_idx on dora_deployments (lead_time_ms) include (deployed_at)
       where production and lead_time_ms is not null`,
  );
  await knex.raw(
    `create index dora_deployments_recovery_idx on dora_deployments ((${RECOVERY_MS})) include (deployed_at)
       where production and failed and restored_at is not null`,
  );
  // Marks, never updates: concurrent writers take no lock on a bucket, and
  // a reader deletes only the marks it saw before computing.
  await knex.raw(`
    create function dora_rollup_mark() returns trigger language plpgsql as $$
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        insert into dora_rollup_stale (bucket, start)
          select distinct b.bucket, date_trunc(b.bucket, n.deployed_at at time zone 'UTC') at time zone 'UTC'
          from new_rows n cross join (values ('week'), ('month')) as b(bucket)
          where n.production;
      end if;
      if tg_op in ('UPDATE', 'DELETE') then
        insert into dora_rollup_stale (bucket, start)
          select distinct b.bucket, date_trunc(b.bucket, o.deployed_at at time zone 'UTC') at time zone 'UTC'
          from old_rows o cross join (values ('week'), ('month')) as b(bucket)
          where o.production;
      end if;
      return null;
    end $$`);
  await knex.raw(`create trigger dora_rollup_insert after insert on dora_deployments
    referencing new table as new_rows for each statement execute function dora_rollup_mark()`);
  await knex.raw(`create trigger dora_rollup_update after update on dora_deployments
    referencing old table as old_rows new table as new_rows for each statement execute function dora_rollup_mark()`);
  await knex.raw(`create trigger dora_rollup_delete after delete on dora_deployments
    referencing old table as old_rows for each statement execute function dora_rollup_mark()`);
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  if (knex.client.config.client === 'pg') {
    for (const op of ['insert', 'update', 'delete']) {
      await knex.raw(`drop trigger dora_rollup_${op} on dora_deployments`);
    }
    await knex.raw('drop function dora_rollup_mark()');
    await knex.raw('drop index dora_deployments_lead_idx');
    await knex.raw('drop index dora_deployments_recovery_idx');
  }
  await knex.schema.dropTable('dora_rollup_stale');
  await knex.schema.dropTable('dora_rollup');
  await knex.raw('drop index dora_deployments_failed_idx');
  await knex.schema.alterTable('dora_incidents', table => {
    table.dropIndex(['attributed_to'], 'dora_incidents_attributed_idx');
  });
};
