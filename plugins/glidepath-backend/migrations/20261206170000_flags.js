// @ts-check

/*
 * Feature-flag governance (issue 22): the flags each annotated entity has in
 * its flag providers, read by the flag sync; where each entity's flags were
 * read from and whether that worked; keep decisions; and what was done to
 * flags (archive, keep) with its outcome.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('flag_targets', table => {
    // (No apostrophes in comments: knex does not escape them on PostgreSQL.)
    table.comment('One entry of an entity glidepath.dev/flags annotation');
    table.string('entity_ref').notNullable();
    table.string('provider').notNullable().comment('The flag provider id');
    table.string('ref', 1000).notNullable().comment('The entry after the id');
    table.boolean('simulated').notNullable().defaultTo(false);
    table
      .timestamp('read_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When its flags were last read completely');
    table
      .timestamp('attempted_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When the sync last tried');
    table
      .text('error')
      .nullable()
      .comment('Why the last try failed; its flags are then the last read');
    table.primary(['entity_ref', 'provider', 'ref']);
  });

  await knex.schema.createTable('flags', table => {
    table.comment('The flags of each entity as last read from its provider');
    table.string('id').primary().comment('Glidepath id, stable per flag');
    table.string('entity_ref').notNullable();
    table.string('provider').notNullable();
    table.string('target_ref', 1000).notNullable().comment('Read through');
    table.string('flag_key', 500).notNullable().comment('The provider key');
    table.string('name', 500).notNullable();
    table.string('project').nullable();
    table.text('description').nullable();
    table.string('type').nullable();
    table.boolean('temporary').nullable();
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    table.string('created_by').nullable();
    table.string('maintainer').nullable();
    table
      .string('owner')
      .nullable()
      .comment('The entity owner, else the provider maintainer');
    table.string('owner_source').nullable().comment('catalog or provider');
    table.text('environments').notNullable().comment('JSON, per environment');
    table
      .timestamp('last_evaluated_at', { useTz: true, precision: 3 })
      .nullable();
    table
      .boolean('evaluation_known')
      .notNullable()
      .defaultTo(false)
      .comment('Whether the provider tells when the flag was evaluated');
    table
      .timestamp('changed_at', { useTz: true, precision: 3 })
      .nullable()
      .comment('When its definition last changed in the provider');
    table.string('lifecycle').nullable();
    table.boolean('provider_stale').notNullable().defaultTo(false);
    table.text('tags').notNullable().comment('JSON list');
    table.string('url', 2000).nullable();
    table.string('state').notNullable().comment('As of the last sync');
    table.text('state_reason').notNullable();
    table.timestamp('stale_at', { useTz: true, precision: 3 }).nullable();
    table
      .timestamp('first_seen_at', { useTz: true, precision: 3 })
      .notNullable();
    table.timestamp('seen_at', { useTz: true, precision: 3 }).notNullable();
    table.unique(['entity_ref', 'provider', 'flag_key'], {
      indexName: 'flags_entity_provider_key_idx',
    });
    table.index(['owner'], 'flags_owner_idx');
    table.index(['state'], 'flags_state_idx');
  });

  await knex.schema.createTable('flag_keeps', table => {
    table.comment('Decisions to keep a flag despite its state, until expiry');
    table.string('entity_ref').notNullable();
    table.string('provider').notNullable();
    table.string('flag_key', 500).notNullable();
    table.text('reason').notNullable();
    table.timestamp('expires_at', { useTz: true, precision: 3 }).notNullable();
    table.text('decided_by').notNullable().comment('Actor JSON');
    table.timestamp('decided_at', { useTz: true, precision: 3 }).notNullable();
    table.primary(['entity_ref', 'provider', 'flag_key']);
  });

  await knex.schema.createTable('flag_actions', table => {
    table.comment('What was done to flags: archive and keep, with outcome');
    table.string('id').primary();
    table.string('entity_ref').notNullable();
    table.string('provider').notNullable();
    table.string('flag_key', 500).notNullable();
    table.string('flag_name', 500).notNullable();
    table.string('action').notNullable().comment('archive or keep');
    table.text('reason').notNullable();
    table.text('actor').notNullable().comment('Actor JSON');
    table.string('status').notNullable().comment('succeeded or failed');
    table.text('message').nullable().comment('The provider account or reason');
    table.timestamp('at', { useTz: true, precision: 3 }).notNullable();
    table.index(['entity_ref', 'at'], 'flag_actions_entity_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('flag_actions');
  await knex.schema.dropTable('flag_keeps');
  await knex.schema.dropTable('flags');
  await knex.schema.dropTable('flag_targets');
};
