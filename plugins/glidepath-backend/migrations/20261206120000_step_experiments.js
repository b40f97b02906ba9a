// @ts-check

/*
 * An experiment step carries the Experiment it runs (Argo Rollouts: its
 * ReplicaSets per template and its analysis runs), as JSON on the step.
 * Other steps leave it null.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('release_steps', table => {
    table
      .text('experiment')
      .nullable()
      .comment('StepExperiment as JSON, for a step that runs an experiment');
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('release_steps', table => {
    table.dropColumn('experiment');
  });
};
