/*
 * The real demo backend (src/index.ts with app-config.yaml) as its own
 * process, for tests that start, sign in to, or kill it.
 */
import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { createServer } from 'net';
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

export async function startBackend(database: object): Promise<RunningBackend> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'glidepath-startup-'));
  const configFile = join(dir, 'app-config.test.yaml');
  writeFileSync(
    configFile,
    JSON.stringify({
      backend: {
        baseUrl: `http://localhost:${port}`,
        listen: { port },
        database,
      },
    }),
  );
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      resolvePath(repoRoot, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: resolvePath(repoRoot, 'packages/backend'),
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const backend = new RunningBackend(child, `http://localhost:${port}`);
  await backend.waitUntil('readiness', async () => {
    const res = await fetch(
      `${backend.baseUrl}/.backstage/health/v1/readiness`,
    );
    return res.ok ? true : undefined;
  });
  return backend;
}
