// @ts-check

/*
 * The automated cleanup of stale feature flags (issue 22): each stale flag
 * announced to its owner, with the day it becomes due for archiving. An
 * announcement made in a dry run is marked so, and does not count once the
 * cleanup runs for real (the owner is told then).
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('flag_announcements', table => {
    // (No apostrophes in comments: knex does not escape them on PostgreSQL.)
    table.comment(
      'Stale flags announced to their owners, and when they are due',
    );
    table.string('entity_ref').notNullable();
    table.string('provider').notNullable();
    table.string('flag_key', 500).notNullable();
    table.string('owner').nullable().comment('Who was told');
    table.boolean('dry_run').notNullable().defaultTo(false);
    table
      .timestamp('announced_at', { useTz: true, precision: 3 })
      .notNullable();
    table.timestamp('due_at', { useTz: true, precision: 3 }).notNullable();
    table.primary(['entity_ref', 'provider', 'flag_key']);
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('flag_announcements');
};
