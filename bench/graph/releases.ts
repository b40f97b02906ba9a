/*
 * Writes the generated version histories into Glidepath's `releases` table
 * (three production releases per component, the latest succeeded or
 * progressing), the way the sync would have stored them, so that the graph
 * API's store read is realistic.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs \
 *     bench/graph/releases.ts --sqlite DIR/glidepath.sqlite --meta catalog.json
 *
 * Waits (up to 2 minutes) for the backend to have created the table.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import knexFactory, { Knex } from 'knex';
import type { GeneratedCatalog, SeedRelease } from './generate';

const DAY = 24 * 3600 * 1000;

/** Inserts the releases; returns how many rows were written. */
export async function writeReleases(
  knex: Knex,
  releases: readonly SeedRelease[],
  now = new Date(),
): Promise<number> {
  const rows = releases.map((r, i) => {
    const started = new Date(now.getTime() - r.daysAgo * DAY);
    const finished =
      r.phase === 'succeeded'
        ? new Date(started.getTime() + 20 * 60_000)
        : null;
    return {
      id: randomUUID(),
      entity_ref: r.entityRef,
      provider: 'bench',
      provider_release_id: `bench-${i}`,
      version: r.version,
      previous_version: r.previousVersion,
      environment: 'production',
      // Rolling with no canary weight: the analysis engine leaves them alone.
      strategy: 'rolling',
      phase: r.phase,
      current_step_index: r.phase === 'progressing' ? 1 : null,
      canary_weight: 0,
      message: null,
      started_by: JSON.stringify({ kind: 'service', ref: 'bench' }),
      commit_sha: null,
      simulated: false,
      started_at: started,
      updated_at: finished ?? started,
      finished_at: finished,
      observed_at: finished ?? started,
    };
  });
  await knex.batchInsert('releases', rows, 500);
  return rows.length;
}

/** Waits until the backend's migrations created the releases table. */
export async function waitForReleasesTable(
  knex: Knex,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await knex.schema.hasTable('releases')) return;
    } catch {
      // The file may not exist yet.
    }
    if (Date.now() > deadline) {
      throw new Error('the releases table did not appear in time');
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

if (require.main === module) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const file = arg('sqlite');
  const metaPath = arg('meta');
  if (!file || !metaPath) {
    console.error('usage: releases.ts --sqlite FILE --meta catalog.json');
    process.exit(2);
  }
  const meta: GeneratedCatalog = JSON.parse(readFileSync(metaPath, 'utf8'));
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  (async () => {
    await waitForReleasesTable(knex);
    const n = await writeReleases(knex, meta.releases);
    console.log(`wrote ${n} releases to ${file}`);
    await knex.destroy();
  })().catch(async error => {
    console.error(error);
    await knex.destroy();
    process.exit(1);
  });
}
