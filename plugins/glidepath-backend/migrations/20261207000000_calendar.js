// @ts-check

/*
 * The release calendar (issue 21): freeze windows (deny or allow, recurring
 * as an RRULE with a duration or one-off, in a timezone, scoped to the
 * organisation, a domain, a system, an owner, an entity or an environment),
 * release trains (an RRULE in a timezone), and the break-glass overrides of
 * a freeze per release.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  // (No apostrophes in comments: knex does not escape them on PostgreSQL.)
  await knex.schema.createTable('calendar_windows', table => {
    table.string('id').primary();
    table.string('title').notNullable();
    table.string('effect').notNullable().comment('deny or allow');
    table.string('scope_kind').notNullable();
    table
      .string('scope_ref')
      .nullable()
      .comment('An entity ref or an environment');
    table.text('reason').notNullable();
    table.string('timezone').notNullable();
    table.string('start_local').notNullable().comment('YYYY-MM-DDTHH:mm');
    table.string('end_local').nullable();
    table.text('rrule').nullable();
    table.integer('duration_minutes').nullable();
    table.text('created_by').notNullable().comment('Actor JSON');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    table.string('idempotency_key').nullable().unique();
  });
  await knex.schema.createTable('calendar_trains', table => {
    table.string('id').primary();
    table.string('title').notNullable();
    table.string('scope_kind').notNullable();
    table.string('scope_ref').nullable();
    table.string('timezone').notNullable();
    table.string('start_local').notNullable();
    table.text('rrule').notNullable();
    table.text('created_by').notNullable();
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    table.string('idempotency_key').nullable().unique();
  });
  await knex.schema.createTable('freeze_overrides', table => {
    table.string('release_id').primary();
    table.string('entity_ref').notNullable();
    table.text('actor').notNullable();
    table.text('reason').notNullable();
    table.string('window_id').nullable();
    table.timestamp('at', { useTz: true, precision: 3 }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('freeze_overrides');
  await knex.schema.dropTable('calendar_trains');
  await knex.schema.dropTable('calendar_windows');
};
