/*
 * The production bundle (issue 25): `yarn build:backend`, then the bundle's
 * packages/backend started as a deployment starts it, with NODE_ENV=production,
 * `--config app-config.yaml --config app-config.production.yaml` and the
 * POSTGRES_* variables, on PostgreSQL. It must serve Glidepath to what signs
 * in there and answer errors with JSON bodies that carry no stack trace and
 * no file path.
 *
 * Sign-in: app-config.production.yaml keeps the guest provider of
 * app-config.yaml, which refuses to sign anyone in outside development (a
 * deployment configures a real identity provider, which this test cannot
 * reach). What a deployment can use without one is a static external
 * access token (`backend.auth.externalAccess`, as a CI job does; see
 * docs/permissions.md): the test adds one in a third config file, with its
 * own database prefix.
 *
 * The container recipe installs the bundle's dependencies with `yarn
 * workspaces focus --all --production`; this test has no network, so the
 * bundle is unpacked under the repository's node_modules/.cache, its own
 * packages linked in its node_modules, and every other dependency resolves
 * to the repository's node_modules (the versions yarn.lock pins for both).
 * It runs from packages/backend so that app-config.yaml's relative catalog
 * paths find the demo catalog. GLIDEPATH_REUSE_BACKEND_BUILD=1 skips the
 * build when packages/backend/dist/bundle.tar.gz exists.
 */
import { execFileSync } from 'child_process';
import { randomBytes, randomUUID } from 'crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'fs';
import { dirname, join, resolve as resolvePath } from 'path';
import {
  dropDatabases,
  freePort,
  postgresUrl,
  RunningBackend,
  spawnBackend,
  writeConfigFile,
} from './__testUtils__/backendProcess';
import { repoRoot } from './__testUtils__/waitFor';

jest.setTimeout(600_000);

const pgUrl = postgresUrl();
const prefix = `glidepath_production_${process.pid}_`;
const token = randomBytes(24).toString('base64url');
const bundleFile = resolvePath(repoRoot, 'packages/backend/dist/bundle.tar.gz');

/** Unpacks the bundle and links its packages; returns its folder. */
function unpackBundle(): string {
  const cache = resolvePath(repoRoot, 'node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'glidepath-production-'));
  execFileSync('tar', ['xzf', bundleFile, '-C', dir]);
  for (const group of ['packages', 'plugins']) {
    for (const name of readdirSync(join(dir, group))) {
      const folder = join(dir, group, name);
      const pkg = JSON.parse(
        readFileSync(join(folder, 'package.json'), 'utf8'),
      );
      const link = join(dir, 'node_modules', pkg.name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(folder, link, 'dir');
    }
  }
  return dir;
}

/** Every key in a JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  }
  return [];
}

/** A file path or a stack frame, as they show in Node.js traces. */
const TRACE = /\bat .+:\d+:\d+|(\/[\w.@-]+){2,}\.(c?js|ts|mjs)\b|node_modules/;

(pgUrl ? describe : describe.skip)('the production bundle', () => {
  let backend: RunningBackend;
  let bundleDir: string | undefined;

  beforeAll(async () => {
    if (
      !(process.env.GLIDEPATH_REUSE_BACKEND_BUILD && existsSync(bundleFile))
    ) {
      const started = Date.now();
      execFileSync('corepack', ['yarn', 'build:backend'], {
        cwd: repoRoot,
        // Jest's NODE_ENV=test has no browserslist entry for the app build.
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: 'ignore',
      });
      // eslint-disable-next-line no-console
      console.log(
        `yarn build:backend took ${((Date.now() - started) / 1000).toFixed(
          1,
        )} s`,
      );
    }
    bundleDir = unpackBundle();
    const url = new URL(pgUrl!);
    const port = await freePort();
    const configFile = writeConfigFile({
      backend: {
        database: { prefix },
        auth: {
          externalAccess: [
            { type: 'static', options: { token, subject: 'deploy-check' } },
          ],
        },
      },
    });
    backend = await spawnBackend({
      args: [
        join(bundleDir, 'packages/backend'),
        '--config',
        resolvePath(repoRoot, 'app-config.yaml'),
        '--config',
        resolvePath(repoRoot, 'app-config.production.yaml'),
        '--config',
        configFile,
      ],
      cwd: resolvePath(repoRoot, 'packages/backend'),
      port,
      env: {
        NODE_ENV: 'production',
        POSTGRES_HOST: url.hostname,
        POSTGRES_PORT: url.port || '5432',
        POSTGRES_USER: decodeURIComponent(url.username) || 'postgres',
        POSTGRES_PASSWORD: decodeURIComponent(url.password) || 'unused',
        BACKEND_PORT: String(port),
        BACKEND_BASE_URL: `http://localhost:${port}`,
        APP_BASE_URL: `http://localhost:${port}`,
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
    if (pgUrl) await dropDatabases(pgUrl, prefix);
  });

  const get = (path: string, init: RequestInit = {}) =>
    fetch(`${backend.baseUrl}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        ...init.headers,
      },
    });

  /** An error answer: JSON with the error's name and message, no trace. */
  async function expectCleanError(res: Response, status: number) {
    const text = await res.text();
    expect({ status: res.status, text }).toEqual({ status, text });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = JSON.parse(text);
    expect(body.error).toEqual(
      expect.objectContaining({
        name: expect.any(String),
        message: expect.any(String),
      }),
    );
    expect(keysOf(body)).not.toContain('stack');
    expect(text).not.toMatch(TRACE);
    return body;
  }

  it('refuses the guest sign-in: the guest provider is for development only', async () => {
    const res = await fetch(`${backend.baseUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    const text = await res.text();
    expect({ status: res.status, text }).toEqual({
      status: expect.any(Number),
      text: expect.stringMatching(/outside of a development environment/),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(text).not.toMatch(/backstageIdentity/);
    expect(text).not.toMatch(TRACE);
  });

  it('serves a service release summary to a signed-in caller', async () => {
    const body = await backend.waitUntil('checkout-service', async () => {
      const res = await get(
        '/api/glidepath/entities/component/default/checkout-service',
      );
      return res.status === 200 ? res.json() : undefined;
    });
    expect(body.entityRef).toBe('component:default/checkout-service');
    expect(body.provider).toEqual(expect.objectContaining({ id: 'sandbox' }));
  });

  it('refuses a request without a token', async () => {
    const res = await fetch(
      `${backend.baseUrl}/api/glidepath/entities/component/default/checkout-service`,
    );
    await expectCleanError(res, 401);
  });

  it('answers an unknown release with 404', async () => {
    const body = await expectCleanError(
      await get(`/api/glidepath/releases/${randomUUID()}`),
      404,
    );
    expect(body.error.name).toBe('NotFoundError');
  });

  it('answers bad input with 400', async () => {
    await expectCleanError(
      await get(`/api/glidepath/releases/${randomUUID()}/actions`, {
        method: 'POST',
        body: JSON.stringify({ action: 'explode', reason: 'x' }),
        headers: { 'Idempotency-Key': randomUUID() },
      }),
      400,
    );
  });

  it('answers a body that does not parse with 400', async () => {
    // The JSON parser throws; the error handler answers.
    await expectCleanError(
      await get(`/api/glidepath/releases/${randomUUID()}/actions`, {
        method: 'POST',
        body: '{"action": "rollback", ',
        headers: { 'Idempotency-Key': randomUUID() },
      }),
      400,
    );
  });

  it('refuses release control to a service without a person', async () => {
    // Who may act is settled before the release is looked up.
    const res = await get(`/api/glidepath/releases/${randomUUID()}/actions`, {
      method: 'POST',
      body: JSON.stringify({ action: 'rollback', reason: 'deploy check' }),
      headers: { 'Idempotency-Key': randomUUID() },
    });
    const body = await expectCleanError(res, 403);
    expect(body.error.message).toMatch(/Release control needs a person/);
  });
});
