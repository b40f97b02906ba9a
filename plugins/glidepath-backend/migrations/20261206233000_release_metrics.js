// @ts-check

/*
 * Release metrics (issue 20): the share of production releases whose
 * version passed a rollback test first, the share using progressive
 * delivery, and rollback time.
 *
 * - `dora_deployments.strategy`: how a deployment went out (canary,
 *   blue_green, rolling, recreate), from the release Glidepath observed or
 *   as a tool posted it to /events/deployments; null when nobody said.
 *   Glidepath's own releases stored before this migration get their
 *   release's strategy.
 * - An index over passed rollback tests by entity and version, for the
 *   "tested before production" look-up of every production deployment.
 * - An index over rollback actions by time, for rollback time.
 */

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dora_deployments', table => {
    table
      .string('strategy')
      .nullable()
      .comment('canary, blue_green, rolling or recreate; null when unknown');
  });
  await knex.raw(
    `update dora_deployments
        set strategy = (select r.strategy from releases r
                         where 'release:' || r.id = dora_deployments.event_id)
      where source = 'release'`,
  );
  await knex.schema.alterTable('rollback_tests', table => {
    table.index(
      ['entity_ref', 'version', 'state', 'finished_at'],
      'rollback_tests_version_idx',
    );
  });
  await knex.schema.alterTable('release_actions', table => {
    table.index(['action', 'requested_at'], 'release_actions_kind_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 * @returns {Promise<void>}
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('release_actions', table => {
    table.dropIndex([], 'release_actions_kind_idx');
  });
  await knex.schema.alterTable('rollback_tests', table => {
    table.dropIndex([], 'rollback_tests_version_idx');
  });
  await knex.schema.alterTable('dora_deployments', table => {
    table.dropColumn('strategy');
  });
};
