// @ts-check

/*
 * The sandbox's journal: what people did to the simulated fleet (actions on
 * releases, drill faults) and when each service was first seen. The rest of
 * the fleet follows from the seed and the time, so with these every replica
 * and every restart reports the same releases.
 *
 * These migrations run with their own table (glidepath_sandbox_knex_migrations),
 * apart from the Glidepath backend's. Times are integers of epoch
 * milliseconds on both SQLite and PostgreSQL: the fleet computes with them.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('glidepath_sandbox_services', table => {
    // (No apostrophes in comments: knex does not escape them on PostgreSQL.)
    table.comment('When the sandbox first saw each simulated service');
    table.string('seed').notNullable().comment('The fleet: its seed');
    table.string('service').notNullable().comment('The sandbox service name');
    table
      .bigInteger('first_seen_at')
      .notNullable()
      .comment('Epoch milliseconds; releases that ended before are history');
    table.primary(['seed', 'service']);
  });
  await knex.schema.createTable('glidepath_sandbox_events', table => {
    table.comment(
      'What people did to the simulated fleet, in order: append only',
    );
    table.bigIncrements('id').comment('The journal order');
    table.string('seed').notNullable().comment('The fleet: its seed');
    table.string('service').notNullable().comment('The sandbox service name');
    table
      .string('kind')
      .notNullable()
      .comment('action (on a release) or fault (a drill)');
    table
      .string('release_id')
      .nullable()
      .comment('The release acted on (service@version), for actions');
    table
      .text('payload')
      .notNullable()
      .comment('JSON: the action, reason and actor, or the fault');
    table
      .bigInteger('at')
      .notNullable()
      .comment('Epoch milliseconds: when it took effect in the simulation');
    table
      .timestamp('recorded_at', { useTz: true, precision: 3 })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When it was written');
    table.index(['seed', 'id'], 'glidepath_sandbox_events_seed_id_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('glidepath_sandbox_events');
  await knex.schema.dropTable('glidepath_sandbox_services');
};
