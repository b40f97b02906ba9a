// @ts-check

/*
 * Release checklists: items people tick before a release may take its final
 * step. A checklist belongs to an entity and, once a release of that entity
 * exists for it, to that release (release_id); until then (one attached to
 * "the next release") release_id is null and the first release that starts
 * after the checklist was created takes it. Every check and uncheck is kept,
 * with who and when.
 */

/**
 * @param {import('knex').Knex.CreateTableBuilder} table
 * @param {string} name
 */
function timestamp(table, name) {
  return table.timestamp(name, { useTz: true, precision: 3 });
}

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_checklists', table => {
    table.comment('A checklist attached to a release of an entity');
    table.string('id').primary().comment('A uuid chosen by Glidepath');
    table.string('entity_ref').notNullable().comment('Lower-case entity ref');
    table
      .string('release_id')
      .nullable()
      .references('id')
      .inTable('releases')
      .onDelete('CASCADE')
      .comment('Null while the checklist waits for the next release');
    table.string('title').notNullable();
    table.text('created_by').notNullable().comment('The Actor, as JSON');
    timestamp(table, 'created_at').notNullable();
    table
      .string('idempotency_key')
      .notNullable()
      .unique({ indexName: 'release_checklists_idempotency_key_uniq' });
    table.index(['entity_ref', 'created_at'], 'release_checklists_entity_idx');
    table.index(['release_id'], 'release_checklists_release_idx');
  });

  await knex.schema.createTable('release_checklist_items', table => {
    table.comment('One item of a release checklist');
    table.string('id').primary().comment('A uuid chosen by Glidepath');
    table
      .string('checklist_id')
      .notNullable()
      .references('id')
      .inTable('release_checklists')
      .onDelete('CASCADE');
    table.integer('position').notNullable();
    table.string('title').notNullable();
    table.text('description').nullable();
    table.boolean('required').notNullable();
    table.string('owner').nullable().comment('Who should tick it (entity ref)');
    table.boolean('checked').notNullable().defaultTo(false);
    table.text('checked_by').nullable().comment('The Actor, as JSON');
    timestamp(table, 'checked_at').nullable();
    table.unique(['checklist_id', 'position'], {
      indexName: 'release_checklist_items_position_uniq',
    });
  });

  await knex.schema.createTable('release_checklist_changes', table => {
    table.comment('Every check and uncheck of a checklist item');
    table.increments('id');
    table
      .string('item_id')
      .notNullable()
      .references('id')
      .inTable('release_checklist_items')
      .onDelete('CASCADE');
    table.boolean('checked').notNullable();
    table.text('changed_by').notNullable().comment('The Actor, as JSON');
    timestamp(table, 'changed_at').notNullable();
    table.text('note').nullable();
    table.index(['item_id', 'id'], 'release_checklist_changes_item_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('release_checklist_changes');
  await knex.schema.dropTable('release_checklist_items');
  await knex.schema.dropTable('release_checklists');
};
