// @ts-check

/*
 * The analysis a rollout provider runs itself (Argo Rollouts' AnalysisRuns),
 * as it last reported it for a release: one row per release, the runs as
 * JSON. Kept apart from `releases` so that listing releases does not read
 * them.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_provider_analyses', table => {
    table.comment('Analysis runs the rollout provider ran itself, per release');
    table
      .string('release_id')
      .primary()
      .references('id')
      .inTable('releases')
      .onDelete('CASCADE');
    table
      .text('runs')
      .notNullable()
      .comment('ProviderAnalysisRun[] as JSON, oldest first');
    table
      .timestamp('observed_at', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When the provider last reported a change to them');
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('release_provider_analyses');
};
