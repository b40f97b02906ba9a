/*
 * The benchmarks' backend: the demo portal's backend features
 * (packages/backend/src/features.ts, without its rollout providers), started
 * in this process with createBackend on SQLite files or PostgreSQL databases
 * of its own, a static external access token for the requests, and the
 * given catalog file and Glidepath config.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import knexFactory, { Knex } from 'knex';
import { stringify } from 'yaml';
import { portalFeatures } from '../../packages/backend/src/features';

export const POSTGRES_URL =
  process.env.GLIDEPATH_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

/**
 * Glidepath with nothing running by itself while requests are timed: no
 * analysis, no weekly reports, a sync every 30 minutes that starts after 30.
 */
export const QUIET_GLIDEPATH = {
  analysis: { enabled: false },
  dora: { weeklyReport: { enabled: false } },
  sync: {
    schedule: {
      frequency: { minutes: 30 },
      timeout: { minutes: 1 },
      initialDelay: { minutes: 30 },
    },
  },
};

export type BenchBackendOptions = {
  /** Where the SQLite files and the config go. */
  dir: string;
  database: 'sqlite' | 'postgres';
  /** PostgreSQL database name prefix (one database per plugin). */
  prefix: string;
  /** A catalog file location. */
  catalogFile: string;
  /** The `glidepath` config block. */
  glidepath: Record<string, unknown>;
  /** More backend features, e.g. a module with a bench's own provider. */
  features?: BackendFeature[];
};

export type BenchBackend = {
  baseUrl: string;
  /** Authorization header for requests, as the service `bench`. */
  headers: { Authorization: string };
  /** A knex connection to Glidepath's own database (close it yourself). */
  glidepathDatabase(): Knex;
  stop(): Promise<void>;
  /** Drops the PostgreSQL databases of `prefix` (nothing on SQLite). */
  dropDatabases(): Promise<void>;
};

export async function startBenchBackend(
  options: BenchBackendOptions,
): Promise<BenchBackend> {
  const { dir, database, prefix } = options;
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { port, host: '127.0.0.1' },
      database:
        database === 'postgres'
          ? { client: 'pg', connection: POSTGRES_URL, prefix }
          : {
              client: 'better-sqlite3',
              connection: { directory: resolve(dir, 'sqlite') },
            },
      auth: {
        externalAccess: [
          { type: 'static', options: { token, subject: 'bench' } },
        ],
      },
    },
    auth: { environment: 'development', providers: { guest: {} } },
    permission: { enabled: true },
    catalog: {
      rules: [
        {
          allow: [
            'Component',
            'System',
            'API',
            'Resource',
            'Location',
            'Domain',
            'Group',
            'User',
          ],
        },
      ],
      locations: [{ type: 'file', target: options.catalogFile }],
      // New entities are processed at once whatever this is; a long interval
      // keeps the catalog from reprocessing everything (every 100-150 s by
      // default) in this process while the requests are timed.
      processingInterval: { minutes: 30 },
    },
    scaffolder: {},
    glidepath: options.glidepath,
  };
  const configPath = resolve(dir, 'app-config.bench.yaml');
  writeFileSync(configPath, stringify(config));

  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  const { createBackend } = await import('@backstage/backend-defaults');
  const { rootConfigServiceFactory } = await import(
    '@backstage/backend-defaults/rootConfig'
  );
  const backend = createBackend();
  backend.add(
    rootConfigServiceFactory({ argv: ['--config', configPath], watch: false }),
  );
  // The demo portal's features, without its rollout providers.
  for (const feature of [...portalFeatures, ...(options.features ?? [])]) {
    backend.add(feature);
  }
  await backend.start();

  return {
    baseUrl,
    headers: { Authorization: `Bearer ${token}` },
    glidepathDatabase: () =>
      database === 'postgres'
        ? knexFactory({
            client: 'pg',
            connection: `${POSTGRES_URL}/${prefix}glidepath`,
          })
        : knexFactory({
            client: 'better-sqlite3',
            connection: {
              filename: resolve(dir, 'sqlite', 'glidepath.sqlite'),
            },
            useNullAsDefault: true,
          }),
    // Bounded: a backend that does not stop (seen once on PostgreSQL after
    // the DORA bench) must not hold the figures back; dropDatabases forces.
    stop: () =>
      Promise.race([
        backend.stop(),
        new Promise<void>(done =>
          setTimeout(() => {
            console.warn('The bench backend did not stop within 30 s');
            done();
          }, 30_000).unref(),
        ),
      ]),
    async dropDatabases() {
      if (database !== 'postgres') return;
      await dropDatabases(prefix);
    },
  };
}

/**
 * Drops the PostgreSQL databases a bench's backend made (their names start
 * with `prefix`); returns how many.
 */
export async function dropDatabases(prefix: string): Promise<number> {
  const admin = knexFactory({
    client: 'pg',
    connection: `${POSTGRES_URL}/postgres`,
  });
  try {
    const { rows } = await admin.raw(
      'select datname from pg_database where datname like ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    return rows.length as number;
  } finally {
    await admin.destroy();
  }
}

/** The value at quantile q of sorted values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}
