// @ts-check

/*
 * Glidepath's own leases on its frequent scheduled work (the release sync
 * and the analysis engine): every replica runs the task's timer, and the
 * replica holding the lease does the work while it keeps the lease fresh.
 * When it dies, another replica takes over within seconds, instead of
 * waiting for the scheduler's timeout and its janitor (107 s, measured).
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('glidepath_task_leases', table => {
    // (No apostrophes in comments: knex does not escape them on PostgreSQL.)
    table.comment('Which backend replica runs each frequent Glidepath task');
    table.string('name').primary().comment('The task id');
    table.string('owner').nullable().comment('The replica holding it');
    table
      .timestamp('expires_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('Until when the holder has it without renewing');
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('glidepath_task_leases');
};
