// @ts-check

/*
 * Game days and rollback drills as records (issue 20): a game day has a
 * facilitator, participants, services, a time, faults and a hypothesis; at
 * its time each fault becomes a drill, and every drill (from a game day or
 * scheduled on its own) keeps the release that carried its fault and the
 * times read from what Glidepath stores of that release: injected, first
 * failing verdict, rollback decided and completed, healthy, owners notified.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('game_days', table => {
    // (No apostrophes in comments: knex does not escape them on PostgreSQL.)
    table.string('id').primary();
    table.string('title').notNullable();
    table.string('facilitator').notNullable().comment('A user entity ref');
    table.text('participants').notNullable().comment('JSON: entity refs');
    table.text('services').notNullable().comment('JSON: entity refs');
    table
      .text('faults')
      .notNullable()
      .comment('JSON: service, fault, environment');
    table.text('hypothesis').notNullable();
    table
      .timestamp('scheduled_at', { useTz: true, precision: 3 })
      .notNullable();
    table
      .text('production_override')
      .nullable()
      .comment('JSON: who let its drills run in production, and why');
    table.text('created_by').notNullable().comment('Actor JSON');
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    table
      .string('idempotency_key')
      .nullable()
      .unique()
      .comment('The creator and the key of the request');
    table
      .timestamp('drills_scheduled_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When its faults became drills');
    table
      .text('outcome')
      .nullable()
      .comment('JSON: learnt, follow-ups, by, at');
    table.integer('revision').notNullable().defaultTo(0);
    table.index(['scheduled_at'], 'game_days_scheduled_idx');
  });
  await knex.schema.createTable('drills', table => {
    table.string('id').primary();
    table.string('entity_ref').notNullable();
    table.string('owner_ref').nullable().comment('The entity owner when asked');
    table.string('environment').notNullable();
    table.string('fault').notNullable();
    table.string('game_day_id').nullable();
    table
      .string('game_day_key')
      .nullable()
      .unique()
      .comment('The game day and the index of its fault: one drill each');
    table.string('provider').notNullable();
    table.boolean('simulated').notNullable().defaultTo(false);
    table.text('reason').notNullable();
    table.text('requested_by').notNullable().comment('Actor JSON');
    table
      .timestamp('requested_at', { useTz: true, precision: 3 })
      .notNullable();
    table.text('production_override').nullable().comment('JSON');
    table.string('state').notNullable();
    table.text('state_reason').nullable();
    table.string('release_id').nullable();
    table.string('version').nullable();
    for (const column of [
      'injected_at',
      'detected_at',
      'rollback_decided_at',
      'rolled_back_at',
      'healthy_at',
      'notified_at',
      'finished_at',
    ]) {
      table.timestamp(column, { useTz: true, precision: 3 }).nullable();
    }
    table.integer('revision').notNullable().defaultTo(0);
    table.index(['entity_ref', 'requested_at'], 'drills_entity_idx');
    table.index(['requested_at'], 'drills_requested_idx');
    table.index(['state'], 'drills_state_idx');
    table.index(['game_day_id'], 'drills_game_day_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('drills');
  await knex.schema.dropTable('game_days');
};
