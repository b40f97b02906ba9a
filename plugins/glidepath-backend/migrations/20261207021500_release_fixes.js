// @ts-check

/*
 * The error-budget policy (issue 21): releases marked as fixes, which may
 * be promoted and resumed while their service's error budget is spent.
 * One mark per release; the first one stays.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_fixes', table => {
    table.string('release_id').primary();
    table.string('entity_ref').notNullable();
    table.string('environment').notNullable();
    table.string('version').notNullable();
    table.text('actor').notNullable();
    table.text('reason').notNullable();
    table.timestamp('at', { useTz: true, precision: 3 }).notNullable();
    table.index(['entity_ref'], 'release_fixes_entity_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('release_fixes');
};
