/*
 * The real demo backend (src/index.ts with app-config.yaml) as its own
 * process, for tests that start, sign in to, or kill it.
 */
import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { Client } from 'pg';
import { tmpdir } from 'os';
import { join, resolve as resolvePath } from 'path';
import { repoRoot, waitFor } from './waitFor';

export function postgresUrl(): string | undefined {
  const key = Object.keys(process.env).find(k =>
    /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
  );
  return key ? process.env[key] : process.env.GLIDEPATH_TEST_POSTGRES_URL;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export class RunningBackend {
  output = '';
  exited: number | null | undefined = undefined;

  constructor(readonly child: ChildProcess, readonly baseUrl: string) {
    child.stdout!.on('data', d => (this.output += d));
    child.stderr!.on('data', d => (this.output += d));
    child.on('exit', code => (this.exited = code));
  }

  waitUntil<T>(what: string, probe: () => Promise<T | undefined>) {
    return waitFor(what, probe, {
      intervalMs: 500,
      abort: () =>
        this.exited === undefined
          ? undefined
          : `The backend exited (${this.exited})`,
      details: () => this.output.slice(-4000),
    });
  }

  async stop() {
    if (this.exited !== undefined) return;
    const exited = new Promise(r => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Spawns a backend process and resolves once its readiness check answers:
 * `args` after the Node.js binary, run in `cwd` with `env` added to ours.
 */
export async function spawnBackend(options: {
  args: string[];
  cwd: string;
  port: number;
  env?: NodeJS.ProcessEnv;
}): Promise<RunningBackend> {
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const backend = new RunningBackend(child, `http://localhost:${options.port}`);
  await backend.waitUntil('readiness', async () => {
    const res = await fetch(
      `${backend.baseUrl}/.backstage/health/v1/readiness`,
    );
    return res.ok ? true : undefined;
  });
  return backend;
}

/**
 * Writes a config file (JSON is YAML) to a new temporary folder; returns its
 * path, for `--config`.
 */
export function writeConfigFile(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'glidepath-config-'));
  const file = join(dir, 'app-config.test.yaml');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/**
 * Starts the demo backend (src/index.ts with app-config.yaml) on `database`
 * and a free port; `config` is merged over app-config.yaml after those.
 */
export async function startBackend(
  database: object,
  options: { config?: object } = {},
): Promise<RunningBackend> {
  const port = await freePort();
  const configFile = writeConfigFile({
    ...options.config,
    backend: {
      baseUrl: `http://localhost:${port}`,
      listen: { port },
      database,
    },
  });
  return spawnBackend({
    args: [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      resolvePath(repoRoot, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    cwd: resolvePath(repoRoot, 'packages/backend'),
    port,
    env: { NODE_ENV: 'development' },
  });
}

/**
 * Signs the guest in (`/api/auth/guest/refresh`) once the catalog has the
 * guest user, so that the token carries its team's ownership claims;
 * resolves with the token.
 */
export function signInGuest(backend: RunningBackend): Promise<string> {
  return backend.waitUntil('the guest user in the catalog', async () => {
    const res = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    if (!res.ok) return undefined;
    const { identity, token } = (await res.json()).backstageIdentity;
    return identity.ownershipEntityRefs.includes('group:default/team-checkout')
      ? (token as string)
      : undefined;
  });
}

/** Drops every database whose name starts with `prefix`. */
export async function dropDatabases(pgUrl: string, prefix: string) {
  const admin = new Client({ connectionString: pgUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query(
      'select datname from pg_database where datname like $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await admin.end();
  }
}

/** A plugin's database (`prefix` + plugin id) on the server of `pgUrl`. */
export function pluginDatabaseUrl(pgUrl: string, name: string): string {
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
