// @ts-check

/*
 * Glidepath's first schema: releases as observed from their providers, their
 * steps, the changes observed on them, the actions taken on them, and when each
 * entity was last synced with its provider.
 *
 * Timestamps are `timestamptz(3)` on PostgreSQL (milliseconds, like a JS Date)
 * and integers of epoch milliseconds on SQLite (what knex's better-sqlite3
 * driver stores for a Date binding). The store normalises both when reading.
 */

/**
 * @param {import('knex').Knex.CreateTableBuilder} table
 * @param {string} name
 */
function timestamp(table, name) {
  return table.timestamp(name, { useTz: true, precision: 3 });
}

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('releases', table => {
    table.comment('One version of one entity going to one environment');
    table.string('id').primary().comment('A uuid chosen by Glidepath');
    table.string('entity_ref').notNullable();
    table.string('provider').notNullable().comment('The RolloutProvider id');
    table
      .string('provider_release_id')
      .notNullable()
      .comment('The release as its provider names it');
    table.string('version').notNullable();
    table.string('previous_version').nullable();
    table.string('environment').notNullable();
    table.string('strategy').notNullable();
    table.string('phase').notNullable();
    table.integer('current_step_index').nullable();
    table.double('canary_weight').notNullable().defaultTo(0);
    table.text('message').nullable();
    table.text('started_by').notNullable().comment('The Actor, as JSON');
    table.string('commit_sha').nullable();
    table.boolean('simulated').notNullable().defaultTo(false);
    timestamp(table, 'started_at').notNullable();
    timestamp(table, 'updated_at').notNullable();
    timestamp(table, 'finished_at').nullable();
    timestamp(table, 'observed_at')
      .notNullable()
      .comment('When Glidepath last recorded a change of this release');
    table.unique(['provider', 'provider_release_id'], {
      indexName: 'releases_provider_release_uniq',
    });
    table.index(['entity_ref', 'started_at'], 'releases_entity_started_idx');
  });

  await knex.schema.createTable('release_steps', table => {
    table.comment('The steps of a release, replaced when they change');
    table
      .string('release_id')
      .notNullable()
      .references('id')
      .inTable('releases')
      .onDelete('CASCADE');
    table.integer('step_index').notNullable();
    table.string('kind').notNullable();
    table.double('weight').nullable();
    table.integer('duration_seconds').nullable();
    table.text('description').notNullable();
    table.string('status').notNullable();
    table.primary(['release_id', 'step_index']);
  });

  await knex.schema.createTable('release_events', table => {
    table.comment('Changes of releases as Glidepath observed them');
    table.bigIncrements('id');
    table
      .string('release_id')
      .notNullable()
      .references('id')
      .inTable('releases')
      .onDelete('CASCADE');
    table.string('entity_ref').notNullable();
    table
      .string('type')
      .notNullable()
      .comment('created, phase_changed or step_changed');
    table.string('from_phase').nullable();
    table.string('to_phase').notNullable();
    table.integer('step_index').nullable();
    table.double('canary_weight').notNullable();
    table.text('message').nullable();
    timestamp(table, 'occurred_at').notNullable();
    table.index(['release_id', 'id'], 'release_events_release_idx');
  });

  await knex.schema.createTable('release_actions', table => {
    table.comment('Actions requested on releases (rollback, promote, ...)');
    table.string('id').primary().comment('A uuid chosen by Glidepath');
    table
      .string('release_id')
      .notNullable()
      .references('id')
      .inTable('releases')
      .onDelete('CASCADE');
    table.string('entity_ref').notNullable();
    table.string('action').notNullable();
    table.text('reason').notNullable();
    table.string('state').notNullable();
    table.text('requested_by').notNullable().comment('The Actor, as JSON');
    table
      .string('idempotency_key')
      .notNullable()
      .unique({ indexName: 'release_actions_idempotency_key_uniq' });
    timestamp(table, 'requested_at').notNullable();
    timestamp(table, 'started_at').nullable();
    timestamp(table, 'finished_at').nullable();
    table.text('error').nullable();
    table.index(['release_id', 'requested_at'], 'release_actions_release_idx');
    table.index(['entity_ref', 'requested_at'], 'release_actions_entity_idx');
  });

  await knex.schema.createTable('entity_sync_state', table => {
    table.comment('When each entity was last synced with its provider');
    table.string('entity_ref').primary();
    table.string('provider').notNullable();
    timestamp(table, 'last_attempt_at').notNullable();
    timestamp(table, 'last_success_at').nullable();
    table.text('error').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('entity_sync_state');
  await knex.schema.dropTable('release_actions');
  await knex.schema.dropTable('release_events');
  await knex.schema.dropTable('release_steps');
  await knex.schema.dropTable('releases');
};
