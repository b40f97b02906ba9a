import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { Knex } from 'knex';

jest.setTimeout(60_000);

const migrationsDir = path.resolve(__dirname, '../../migrations');
const migrationFiles = fs
  .readdirSync(migrationsDir)
  .filter(name => name.endsWith('.js'))
  .sort();

/** The tables each migration adds, in the order of the migrations. */
const tablesAddedBy: Record<string, string[]> = {
  '20261127000000_init.js': [
    'releases',
    'release_steps',
    'release_events',
    'release_actions',
    'entity_sync_state',
  ],
  '20261128000000_analyses.js': ['release_analyses'],
  '20261129000000_dora.js': [
    'dora_deployments',
    'dora_incidents',
    'dora_reports',
  ],
  '20261203000000_checklists.js': [
    'release_checklists',
    'release_checklist_items',
    'release_checklist_changes',
  ],
  '20261203120000_provider_analysis.js': ['release_provider_analyses'],
  // Indexes only.
  '20261203130000_checklist_uniqueness.js': [],
  '20261204000000_dora_rollup.js': ['dora_rollup', 'dora_rollup_stale'],
  // Columns only.
  '20261206000000_action_leases.js': [],
  '20261206010000_task_leases.js': ['glidepath_task_leases'],
  // A column only.
  '20261206120000_step_experiments.js': [],
  '20261206170000_flags.js': [
    'flag_targets',
    'flags',
    'flag_keeps',
    'flag_actions',
  ],
  '20261206171000_flag_announcements.js': ['flag_announcements'],
  // A column and indexes only.
  '20261206190000_flag_owner_keys.js': [],
  '20261206220000_rollback_tests.js': [
    'rollback_tests',
    'rollback_gate_overrides',
  ],
  // A column and indexes only.
  '20261206233000_release_metrics.js': [],
  '20261206234500_game_days.js': ['game_days', 'drills'],
  '20261207000000_calendar.js': [
    'calendar_windows',
    'calendar_trains',
    'freeze_overrides',
  ],
  '20261207020000_plans.js': [
    'plans',
    'plan_waves',
    'plan_members',
    'plan_events',
    'plan_claims',
  ],
  '20261207021500_release_fixes.js': ['release_fixes'],
};

async function tablesExist(knex: Knex, tables: string[]) {
  return Promise.all(tables.map(table => knex.schema.hasTable(table)));
}

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it('lists the tables of every migration', () => {
    expect(Object.keys(tablesAddedBy)).toEqual(migrationFiles);
  });

  it.each(databases.eachSupportedId())(
    'go up and down one step at a time on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);

      for (const file of migrationFiles) {
        await expect(tablesExist(knex, tablesAddedBy[file])).resolves.toEqual(
          tablesAddedBy[file].map(() => false),
        );
        await knex.migrate.up({ directory: migrationsDir });
        await expect(tablesExist(knex, tablesAddedBy[file])).resolves.toEqual(
          tablesAddedBy[file].map(() => true),
        );
      }
      const [, pending] = await knex.migrate.list({ directory: migrationsDir });
      expect(pending).toEqual([]);

      for (const file of [...migrationFiles].reverse()) {
        await knex.migrate.down({ directory: migrationsDir });
        await expect(tablesExist(knex, tablesAddedBy[file])).resolves.toEqual(
          tablesAddedBy[file].map(() => false),
        );
      }

      // And up again from nothing, as a fresh install would.
      await knex.migrate.latest({ directory: migrationsDir });
      await expect(
        tablesExist(knex, Object.values(tablesAddedBy).flat()),
      ).resolves.toEqual(
        Object.values(tablesAddedBy)
          .flat()
          .map(() => true),
      );
    },
  );
});
