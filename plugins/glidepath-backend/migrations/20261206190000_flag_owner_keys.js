// @ts-check

/*
 * The Feature flags page's API in SQL (issue 22, bench/flags): the flag list
 * filters owners case-insensitively, as JavaScript lower-cases them (the
 * databases' lower() differ from it and from each other beyond ASCII), so
 * each flag keeps its owner in lower case, written by the sync; and the list
 * is paged in creation order.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('flags', table => {
    // (No apostrophes in comments: knex does not escape them on PostgreSQL.)
    table
      .string('owner_key')
      .nullable()
      .comment('The owner in lower case, as the owner filter matches it');
    table.index(['owner_key'], 'flags_owner_key_idx');
    table.index(['created_at'], 'flags_created_at_idx');
  });
  const rows = await knex('flags').whereNotNull('owner').select('id', 'owner');
  for (const row of rows) {
    await knex('flags')
      .where({ id: row.id })
      .update({ owner_key: String(row.owner).toLowerCase() });
  }
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('flags', table => {
    table.dropIndex(['created_at'], 'flags_created_at_idx');
    table.dropIndex(['owner_key'], 'flags_owner_key_idx');
  });
  await knex.schema.alterTable('flags', table => {
    table.dropColumn('owner_key');
  });
};
