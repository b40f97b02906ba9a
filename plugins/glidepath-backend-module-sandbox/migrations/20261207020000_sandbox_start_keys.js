// @ts-check

/*
 * Releases started on request (a release plan's): the journal keeps each
 * start's idempotency key, unique per fleet, so that a repeated start (a
 * retry after a crash, on any replica, after a restart) is recorded once.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('glidepath_sandbox_events', table => {
    // (No apostrophes in comments: knex does not escape them on PostgreSQL.)
    table
      .string('idempotency_key', 255)
      .nullable()
      .comment('For starts: the key of the request, unique per seed');
    table.unique(['seed', 'idempotency_key'], {
      indexName: 'glidepath_sandbox_events_seed_key_uniq',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('glidepath_sandbox_events', table => {
    table.dropUnique(
      ['seed', 'idempotency_key'],
      'glidepath_sandbox_events_seed_key_uniq',
    );
    table.dropColumn('idempotency_key');
  });
};
