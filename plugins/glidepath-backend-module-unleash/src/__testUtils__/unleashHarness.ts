/**
 * A real Unleash for tests: `unleash-server` (installed outside the
 * workspace by scripts/ensure-unleash.sh) in its own process, on a free port
 * of 127.0.0.1, with its own fresh PostgreSQL database, authentication on,
 * and an admin token created through Unleash's own API.
 *
 * ```ts
 * describeWithUnleash('my test', () => {
 *   let unleash: RunningUnleash;
 *   beforeAll(async () => {
 *     unleash = await startUnleash();
 *     await unleash.createFlag({ name: 'new-checkout', type: 'release' });
 *   }, 120_000);
 *   afterAll(() => unleash?.stop());
 *   // unleash.url, unleash.adminToken
 * });
 * ```
 *
 * `stop()` ends the process and drops the database; the process also ends
 * when the test process goes away (its stdin closes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** The unleash-server version the tests run (the newest on Node 20). */
export const UNLEASH_VERSION = '7.5.1';

/** Where scripts/ensure-unleash.sh installs it. */
export const UNLEASH_DIR =
  process.env.GLIDEPATH_UNLEASH_DIR ??
  path.join(
    process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
    'glidepath',
    `unleash-server-${UNLEASH_VERSION}`,
  );

const PACKAGE_DIR = path.join(UNLEASH_DIR, 'node_modules', 'unleash-server');
const REQUIRED = process.env.GLIDEPATH_REQUIRE_UNLEASH === '1';
const MISSING = `unleash-server ${UNLEASH_VERSION} is not installed in ${UNLEASH_DIR}: run scripts/ensure-unleash.sh`;
/** The PostgreSQL server Unleash gets its database on (trust auth). */
const POSTGRES_URL =
  process.env.GLIDEPATH_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';

function installedVersion(): string | undefined {
  try {
    return JSON.parse(
      readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'),
    ).version;
  } catch {
    return undefined;
  }
}

/**
 * `describe` when unleash-server is installed; without it `describe.skip`,
 * after a console message. With `GLIDEPATH_REQUIRE_UNLEASH=1` (CI) it is
 * always `describe`, so that the suite fails: `startUnleash` then throws,
 * saying how to install it.
 */
export const describeWithUnleash: jest.Describe = (() => {
  if (installedVersion() === UNLEASH_VERSION || REQUIRED) return describe;
  // eslint-disable-next-line no-console
  console.warn(`Skipping the tests that need Unleash: ${MISSING}`);
  return describe.skip;
})();

/** A flag to create, as Unleash's `createFeatureSchema` takes it. */
export type SeedFlag = {
  name: string;
  /** Unleash's flag type; `release` by default. */
  type?: string;
  description?: string;
  /** Accepted by Unleash's create endpoint: how old the flag is. */
  createdAt?: Date;
  /** The project; `default` by default (the only one Unleash OSS has). */
  project?: string;
  /** Tags as `type:value`, e.g. `simple:cart`. */
  tags?: string[];
  /** The environments to turn it on in (a default strategy is added). */
  enabledIn?: string[];
  /** Marks it (potentially) stale, as Unleash's stale job or a person does. */
  stale?: boolean;
};

/** A running Unleash server. */
export interface RunningUnleash {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** A personal access token of the admin user, created through the API. */
  readonly adminToken: string;
  /** Calls Unleash's API as the admin; throws on a non-2xx answer. */
  api(method: string, apiPath: string, body?: unknown): Promise<any>;
  /** Creates a flag and its tags, environments and staleness. */
  createFlag(flag: SeedFlag): Promise<void>;
  /** Makes `dependent` depend on `parent` (Unleash then refuses to archive the parent). */
  addDependency(
    dependent: string,
    parent: string,
    project?: string,
  ): Promise<void>;
  /**
   * Reports evaluations of `flags` in `environment` as an SDK would (client
   * metrics with a backend token), and waits until Unleash shows their
   * lastSeenAt (it stores them every 30 s) and has moved them on in their
   * lifecycle (to `pre-live` when seen outside production, `live` in
   * production; Unleash does that after storing lastSeenAt).
   */
  reportEvaluations(environment: string, flags: string[]): Promise<void>;
  /** A token of a new user with the Viewer role: it may read, not archive. */
  createViewerToken(): Promise<string>;
  /** Ends the process and drops its database. Safe to call twice. */
  stop(): Promise<void>;
}

/** Unleash's lifecycle stages, in order. */
const LIFECYCLE = ['initial', 'pre-live', 'live', 'completed', 'archived'];

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function postgres<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function kill(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Logs in with a password and returns the session cookie. */
async function login(url: string, username: string, password: string) {
  const res = await fetch(`${url}/auth/simple/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) {
    throw new Error(
      `Unleash refused the login of ${username}: ${
        res.status
      } ${await res.text()}`,
    );
  }
  const cookies = res.headers.getSetCookie().map(c => c.split(';')[0]);
  return cookies.join('; ');
}

/**
 * Logs in and creates a personal access token. Retried: right after start
 * (and right after a login) Unleash may not know the session yet.
 */
async function personalToken(
  url: string,
  username: string,
  password: string,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createPersonalToken(
        url,
        await login(url, username, password),
      );
    } catch (error) {
      if (attempt >= 10) throw error;
      await sleep(500);
    }
  }
}

/** Creates a personal access token for the logged-in user. */
async function createPersonalToken(url: string, cookie: string) {
  const res = await fetch(`${url}/api/admin/user/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: JSON.stringify({
      description: 'glidepath tests',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    }),
  });
  if (!res.ok) {
    throw new Error(
      `Unleash refused to create a token: ${res.status} ${await res.text()}`,
    );
  }
  return ((await res.json()) as { secret: string }).secret;
}

/**
 * Starts unleash-server on a free port of 127.0.0.1 with a new database
 * `glidepath_unleash_<random>` on the local PostgreSQL, logs in as its admin
 * and creates the admin's personal access token. Resolves once `/health`
 * answers and the token works.
 */
export async function startUnleash(): Promise<RunningUnleash> {
  const version = installedVersion();
  if (version !== UNLEASH_VERSION) {
    throw new Error(
      REQUIRED ? `GLIDEPATH_REQUIRE_UNLEASH=1 but ${MISSING}` : MISSING,
    );
  }
  const database = `glidepath_unleash_${randomBytes(6).toString('hex')}`;
  await postgres(c => c.query(`CREATE DATABASE ${database}`));
  const dropDatabase = () =>
    postgres(c => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const adminPassword = `Gp-${randomBytes(12).toString('hex')}`;
  const databaseUrl = new URL(POSTGRES_URL);
  databaseUrl.pathname = `/${database}`;

  const output: string[] = [];
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'unleashProcess.mjs')],
    {
      env: {
        PATH: process.env.PATH,
        UNLEASH_MODULE: path.join(PACKAGE_DIR, 'dist', 'lib', 'server-impl.js'),
        UNLEASH_DATABASE: databaseUrl.toString(),
        UNLEASH_PORT: String(port),
        UNLEASH_ADMIN_PASSWORD: adminPassword,
        NODE_NO_WARNINGS: '1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 50) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    child.stdin!.end();
    await kill(child);
    await dropDatabase();
  };

  const failure = (problem: string) =>
    new Error(
      `Unleash (${PACKAGE_DIR}) ${problem}; its output:\n${output
        .join('')
        .slice(-4000)}`,
    );

  let adminToken: string;
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw failure(`exited (${child.exitCode ?? child.signalCode})`);
      }
      const health = await fetch(`${url}/health`).then(
        r => r.ok,
        () => false,
      );
      if (health) break;
      if (Date.now() > deadline) throw failure('did not start within 60 s');
      await sleep(200);
    }
    adminToken = await personalToken(url, 'admin', adminPassword);
  } catch (error) {
    await stop();
    throw error;
  }

  const request = async (
    token: string,
    method: string,
    apiPath: string,
    body?: unknown,
  ) => {
    const res = await fetch(`${url}${apiPath}`, {
      method,
      headers: {
        Authorization: token,
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(
        `Unleash: ${method} ${apiPath} answered ${res.status} ${text}`,
      );
    }
    return text ? JSON.parse(text) : undefined;
  };
  const api = (method: string, apiPath: string, body?: unknown) =>
    request(adminToken, method, apiPath, body);

  let backendTokens = new Map<string, string>();
  let viewers = 0;
  let tagTypes = new Set(['simple']);

  return {
    url,
    adminToken,
    api,
    async createFlag(flag) {
      const project = flag.project ?? 'default';
      const features = `/api/admin/projects/${project}/features`;
      await api('POST', features, {
        name: flag.name,
        type: flag.type ?? 'release',
        description: flag.description,
        ...(flag.createdAt && { createdAt: flag.createdAt.toISOString() }),
      });
      for (const tag of flag.tags ?? []) {
        const [type, ...value] = tag.split(':');
        if (!tagTypes.has(type)) {
          await api('POST', '/api/admin/tag-types', { name: type });
          tagTypes = new Set(tagTypes).add(type);
        }
        await api('POST', `/api/admin/features/${flag.name}/tags`, {
          type,
          value: value.join(':'),
        });
      }
      for (const environment of flag.enabledIn ?? []) {
        await api(
          'POST',
          `${features}/${flag.name}/environments/${environment}/on`,
        );
      }
      if (flag.stale) {
        await api('POST', `/api/admin/projects/${project}/stale`, {
          features: [flag.name],
          stale: true,
        });
      }
    },
    async addDependency(dependent, parent, project = 'default') {
      await api(
        'POST',
        `/api/admin/projects/${project}/features/${dependent}/dependencies`,
        { feature: parent },
      );
    },
    async reportEvaluations(environment, flags) {
      let token = backendTokens.get(environment);
      if (!token) {
        token = (
          await api('POST', '/api/admin/api-tokens', {
            tokenName: `glidepath-sdk-${environment}`,
            type: 'backend',
            environment,
          })
        ).secret as string;
        backendTokens = new Map(backendTokens).set(environment, token);
      }
      const now = new Date().toISOString();
      await request(token, 'POST', '/api/client/metrics', {
        appName: 'glidepath-tests',
        instanceId: 'tests',
        environment,
        bucket: {
          start: now,
          stop: now,
          toggles: Object.fromEntries(flags.map(f => [f, { yes: 1, no: 0 }])),
        },
      });
      const deadline = Date.now() + 60_000;
      for (;;) {
        const unseen = [];
        for (const flag of flags) {
          const { features } = await api(
            'GET',
            `/api/admin/search/features?query=${encodeURIComponent(flag)}`,
          );
          const found = (features as any[]).find(f => f.name === flag);
          const env = found?.environments.find(
            (e: any) => e.name === environment,
          );
          const stage = LIFECYCLE.indexOf(found?.lifecycle?.stage);
          const expected = LIFECYCLE.indexOf(
            env?.type === 'production' ? 'live' : 'pre-live',
          );
          if (!env?.lastSeenAt || stage < expected) unseen.push(flag);
        }
        if (unseen.length === 0) return;
        if (Date.now() > deadline) {
          throw new Error(
            `Unleash did not show lastSeenAt and the next lifecycle stage of ${flags.join(
              ', ',
            )} in ${environment} within 60 s`,
          );
        }
        await sleep(1000);
      }
    },
    async createViewerToken() {
      viewers++;
      const username = `viewer${viewers}`;
      const password = `Gp-${randomBytes(12).toString('hex')}`;
      await api('POST', '/api/admin/user-admin', {
        username,
        email: `${username}@example.com`,
        rootRole: 'Viewer',
        password,
        sendEmail: false,
      });
      return personalToken(url, username, password);
    },
    stop,
  };
}
