// @ts-check

/*
 * The sandbox's archived feature flags: its flags follow from the seed and
 * the time, and archiving one (from the portal) is kept here, so every
 * replica and every restart leaves it archived.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('glidepath_sandbox_flag_archives', table => {
    // (No apostrophes in comments: knex does not escape them on PostgreSQL.)
    table.comment('Simulated feature flags archived through the sandbox');
    table.string('seed').notNullable().comment('The fleet: its seed');
    table.string('flag_key', 500).notNullable().comment('project/name');
    table.bigInteger('archived_at').notNullable().comment('Epoch milliseconds');
    table.text('payload').notNullable().comment('JSON: the reason and actor');
    table.primary(['seed', 'flag_key']);
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('glidepath_sandbox_flag_archives');
};
