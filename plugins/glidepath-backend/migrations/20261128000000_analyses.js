// @ts-check

/*
 * The analyses of canaries: each evaluation of a release against its policy,
 * with the per-rule evidence, the verdict and the decision taken.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_analyses', table => {
    table.comment('One evaluation of a release canary against its policy');
    table.string('id').primary().comment('A uuid chosen by Glidepath');
    table
      .string('release_id')
      .notNullable()
      .references('id')
      .inTable('releases')
      .onDelete('CASCADE');
    table.string('entity_ref').notNullable();
    table
      .timestamp('evaluated_at', { useTz: true, precision: 3 })
      .notNullable();
    table.timestamp('range_from', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('range_to', { useTz: true, precision: 3 }).notNullable();
    table.string('policy').notNullable();
    table.string('metrics_provider').nullable();
    table.boolean('simulated').notNullable().defaultTo(false);
    table.string('verdict').notNullable();
    table.string('decision').notNullable();
    table.text('reason').notNullable();
    table.text('metrics').notNullable().comment('MetricEvidence[] as JSON');
    table.string('action_id').nullable();
    table.index(['release_id', 'evaluated_at'], 'release_analyses_release_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('release_analyses');
};
