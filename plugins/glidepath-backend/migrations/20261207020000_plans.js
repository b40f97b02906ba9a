// @ts-check

/*
 * Release plans (issue 21): several services released together in waves
 * from the dependency graph, started at a time or a train slot, with gates
 * between waves and a failure policy. A plan is a durable state machine
 * advanced by one leased task; every write names the revision it read, and
 * every provider call has a key stored before it is made.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  // (No apostrophes in comments: knex does not escape them on PostgreSQL.)
  await knex.schema.createTable('plans', table => {
    table.string('id').primary();
    table.string('title').notNullable();
    table.string('state').notNullable();
    table.text('state_reason').nullable();
    table
      .string('paused_from')
      .nullable()
      .comment('The state a resume returns to');
    table.string('failure_policy').notNullable();
    table.text('gates').notNullable().comment('PlanGates JSON');
    table.timestamp('start_at', { useTz: true, precision: 3 }).notNullable();
    table.string('train_id').nullable();
    table.text('created_by').notNullable().comment('Actor JSON');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('started_at', { useTz: true, precision: 3 }).nullable();
    table.timestamp('finished_at', { useTz: true, precision: 3 }).nullable();
    table.integer('current_wave').nullable();
    table.text('override').nullable().comment('PlanOverride JSON');
    table.text('freeze_override').nullable().comment('PlanOverride JSON');
    table.boolean('simulated').notNullable().defaultTo(false);
    table
      .string('idempotency_key')
      .notNullable()
      .unique()
      .comment('The creator and the Idempotency-Key of the request');
    table.integer('revision').notNullable().defaultTo(0);
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
    table.index(['state'], 'plans_state_idx');
    table.index(['created_at'], 'plans_created_idx');
  });
  await knex.schema.createTable('plan_waves', table => {
    table
      .string('plan_id')
      .notNullable()
      .references('plans.id')
      .onDelete('CASCADE');
    table.integer('idx').notNullable();
    table.string('state').notNullable();
    table.text('waiting_for').nullable();
    table.timestamp('started_at', { useTz: true, precision: 3 }).nullable();
    table.timestamp('completed_at', { useTz: true, precision: 3 }).nullable();
    table.primary(['plan_id', 'idx']);
  });
  await knex.schema.createTable('plan_members', table => {
    table
      .string('plan_id')
      .notNullable()
      .references('plans.id')
      .onDelete('CASCADE');
    table.integer('idx').notNullable();
    table.string('entity_ref').notNullable();
    table.string('environment').notNullable();
    table.string('version').notNullable();
    table.boolean('fix').notNullable().defaultTo(false);
    table.integer('wave').notNullable();
    table.string('state').notNullable();
    table.text('state_reason').nullable();
    table.string('mode').notNullable().comment('provider or manual');
    table.string('provider').nullable();
    table.string('release_id').nullable();
    table
      .text('known_release_ids')
      .nullable()
      .comment(
        'JSON: the releases there before the wave; the others are the plans',
      );
    table
      .string('start_key')
      .nullable()
      .comment(
        'The key of the provider call that starts the release, stored before the call',
      );
    table
      .timestamp('start_called_at', { useTz: true, precision: 3 })
      .nullable();
    table.string('rollback_action_id').nullable();
    table.timestamp('started_at', { useTz: true, precision: 3 }).nullable();
    table.timestamp('completed_at', { useTz: true, precision: 3 }).nullable();
    table.timestamp('rolled_back_at', { useTz: true, precision: 3 }).nullable();
    table.primary(['plan_id', 'idx']);
    table.index(['entity_ref'], 'plan_members_entity_idx');
    table.index(['release_id'], 'plan_members_release_idx');
  });
  await knex.schema.createTable('plan_events', table => {
    table.increments('seq').primary();
    table
      .string('plan_id')
      .notNullable()
      .references('plans.id')
      .onDelete('CASCADE');
    table.timestamp('at', { useTz: true, precision: 3 }).notNullable();
    table.string('kind').notNullable();
    table.text('message').notNullable();
    table.integer('wave').nullable();
    table.string('entity_ref').nullable();
    table.text('actor').nullable().comment('Actor JSON');
    table.index(['plan_id', 'seq'], 'plan_events_plan_idx');
  });
  await knex.schema.createTable('plan_claims', table => {
    table.string('entity_ref').notNullable();
    table.string('environment').notNullable();
    table
      .string('plan_id')
      .notNullable()
      .references('plans.id')
      .onDelete('CASCADE');
    // One active plan per entity and environment; released when it ends.
    table.primary(['entity_ref', 'environment']);
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('plan_claims');
  await knex.schema.dropTable('plan_events');
  await knex.schema.dropTable('plan_members');
  await knex.schema.dropTable('plan_waves');
  await knex.schema.dropTable('plans');
};
