// @ts-check

/*
 * Rollback tests (issue 20): per version and non-production environment,
 * Glidepath rolls a completed release back, waits until the previous version
 * is healthy, and rolls it forward again; each test is a durable state
 * machine advanced by a scheduled task with conditional writes (revision).
 * Production releases may be held by the rollback gate until one passed, or
 * until someone overrides the gate with a reason.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('rollback_tests', table => {
    // (No apostrophes in comments: knex does not escape them on PostgreSQL.)
    table.string('id').primary();
    table.string('entity_ref').notNullable();
    table.string('environment').notNullable();
    table.string('version').notNullable();
    table.string('previous_version').nullable();
    table.string('release_id').notNullable().comment('The tested release');
    table.string('provider').notNullable();
    table.boolean('simulated').notNullable().defaultTo(false);
    table.string('trigger').notNullable().comment('policy or manual');
    table.text('requested_by').notNullable().comment('Actor JSON');
    table.text('reason').notNullable();
    table.string('state').notNullable();
    table.text('state_reason').nullable();
    table
      .string('policy_key')
      .nullable()
      .unique()
      .comment('One test the policy runs per entity, environment and version');
    table
      .string('idempotency_key')
      .nullable()
      .unique()
      .comment('The entity and the key of a test someone asked for');
    table
      .text('known_release_ids')
      .notNullable()
      .comment(
        'JSON: the releases there when the test began; the others are its own',
      );
    table.string('rollback_action_id').nullable();
    table
      .timestamp('requested_at', { useTz: true, precision: 3 })
      .notNullable();
    table.timestamp('rolled_back_at', { useTz: true, precision: 3 }).nullable();
    table.timestamp('healthy_at', { useTz: true, precision: 3 }).nullable();
    table
      .timestamp('forward_requested_at', { useTz: true, precision: 3 })
      .nullable();
    table.timestamp('finished_at', { useTz: true, precision: 3 }).nullable();
    table.integer('revision').notNullable().defaultTo(0);
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
    table.index(['entity_ref', 'requested_at'], 'rollback_tests_entity_idx');
    table.index(['state'], 'rollback_tests_state_idx');
  });
  await knex.schema.createTable('rollback_gate_overrides', table => {
    table.string('release_id').primary();
    table.string('entity_ref').notNullable();
    table.text('actor').notNullable().comment('Actor JSON');
    table.text('reason').notNullable();
    table.timestamp('at', { useTz: true, precision: 3 }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('rollback_gate_overrides');
  await knex.schema.dropTable('rollback_tests');
};
