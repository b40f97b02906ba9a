// @ts-check

/*
 * The database keeps the checklist rules that the store checked only by
 * reading first: at most one checklist per release, and at most one per
 * entity waiting for its next release. Two requests at once (two replicas,
 * two people) could otherwise both pass the check on PostgreSQL.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('release_checklists', table => {
    table.unique(['release_id'], {
      indexName: 'release_checklists_release_uniq',
    });
  });
  // A partial index (PostgreSQL and SQLite both have them): only the
  // checklists that no release has taken yet.
  await knex.raw(
    'CREATE UNIQUE INDEX release_checklists_waiting_uniq ON release_checklists (entity_ref) WHERE release_id IS NULL',
  );
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.raw('DROP INDEX release_checklists_waiting_uniq');
  await knex.schema.alterTable('release_checklists', table => {
    table.dropUnique(['release_id'], 'release_checklists_release_uniq');
  });
};
