// @ts-check

/*
 * Durable actions: a replica that runs an action holds a lease on it and
 * renews it while it works; when the lease runs out (the replica died),
 * another replica takes the action over and finishes it. `attempts` counts
 * the runs, and `step_index` keeps the release's step when the action was
 * requested, so that a promote taken over can tell whether it already
 * happened.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('release_actions', table => {
    table
      .string('lease_owner')
      .nullable()
      .comment('The runner (a backend replica) holding the action');
    table
      .timestamp('lease_expires_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('Until when the holder may run it without renewing');
    table
      .integer('attempts')
      .notNullable()
      .defaultTo(0)
      .comment('How many times a runner took it up');
    table
      .integer('step_index')
      .nullable()
      .comment("The release's current step when the action was requested");
    table.index(['state', 'lease_expires_at'], 'release_actions_lease_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('release_actions', table => {
    table.dropIndex(['state', 'lease_expires_at'], 'release_actions_lease_idx');
    table.dropColumn('step_index');
    table.dropColumn('attempts');
    table.dropColumn('lease_expires_at');
    table.dropColumn('lease_owner');
  });
};
