// Starts and stops the demo portal for the browser tests, and finds Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, createWriteStream } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const artifactsDir = resolve(repoRoot, 'e2e/artifacts');
export const appUrl = 'http://localhost:3000';
export const backendUrl = 'http://localhost:7007';

/** How the browser tests and the benchmarks start Chromium: headless, quiet. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium; installed with apt-get when missing and we may. */
export function findChromium() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ];
  const found = candidates.find(p => p && existsSync(p));
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    throw new Error(
      'Chromium is not installed. Install it (Debian/Ubuntu: sudo apt-get install chromium) ' +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  console.log(
    '[e2e] installing Debian chromium with apt-get (once per machine)',
  );
  for (const args of [
    ['update'],
    ['install', '-y', '--no-install-recommends', 'chromium'],
  ]) {
    const r = spawnSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0)
      throw new Error(`apt-get ${args.join(' ')} failed (${r.status})`);
  }
  if (!existsSync('/usr/bin/chromium'))
    throw new Error(
      'apt-get installed chromium but /usr/bin/chromium is missing',
    );
  return '/usr/bin/chromium';
}

function portInUse(port) {
  return new Promise(resolvePort => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolvePort(true);
    });
    socket.once('error', () => resolvePort(false));
  });
}

async function isUp(url) {
  try {
    const res = await fetch(url);
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts `yarn dev` with the e2e config in its own process group and waits
 * until both the backend and the app answer. Returns a handle with stop() and
 * the URLs it serves on.
 *
 * With `builtApp`, the app is the production bundle (`yarn workspace app
 * build`, rebuilt here so that it is the current code) served by the
 * backend's app plugin, as a deployed portal serves it; only the backend
 * starts, and the configs must set app.baseUrl to the backend's URL.
 *
 * Options (all optional; the defaults are what the browser tests use):
 * `configs`, the config files read after app-config.yaml (absolute paths;
 * default: e2e/app-config.e2e.yaml); `appPort` and `backendPort`, the ports
 * those configs make the app and the backend listen on (default 3000 and
 * 7007: they are only checked to be free and polled, so the configs must set
 * them); `logFile` (default e2e/artifacts/portal.log); `label`, the prefix
 * of the start-up message; `signal`, an AbortSignal that stops the portal
 * while it starts (startPortal then rejects).
 */
export async function startPortal({
  timeoutMs = 240_000,
  configs = [resolve(repoRoot, 'e2e/app-config.e2e.yaml')],
  appPort = 3000,
  backendPort = 7007,
  logFile = resolve(artifactsDir, 'portal.log'),
  label = 'e2e',
  signal,
  builtApp = false,
} = {}) {
  const portalBackendUrl = `http://localhost:${backendPort}`;
  const portalAppUrl = builtApp
    ? portalBackendUrl
    : `http://localhost:${appPort}`;
  if (builtApp) {
    console.log(`[${label}] building the app (production bundle)`);
    const built = spawnSync('corepack', ['yarn', 'workspace', 'app', 'build'], {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (built.status !== 0) {
      throw new Error(
        `yarn workspace app build failed (${
          built.status
        }):\n${`${built.stdout}${built.stderr}`.slice(-4000)}`,
      );
    }
  }
  for (const port of builtApp ? [backendPort] : [appPort, backendPort]) {
    if (await portInUse(port)) {
      throw new Error(
        `Port ${port} is already in use: stop the portal (or whatever listens there) before running the browser tests.`,
      );
    }
  }
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  const child = spawn(
    'corepack',
    [
      'yarn',
      ...(builtApp ? ['workspace', 'backend', 'start'] : ['dev']),
      '--config',
      resolve(repoRoot, 'app-config.yaml'),
      ...configs.flatMap(config => ['--config', resolve(config)]),
    ],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BROWSER: 'none' },
    },
  );
  let tail = '';
  const keep = d => {
    log.write(d);
    tail = (tail + d).slice(-6000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exitCode;
  child.on('exit', code => (exitCode = code ?? 'signal'));

  const stop = async () => {
    if (exitCode !== undefined) return;
    const exited = new Promise(r => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, 10_000);
    await exited;
    clearTimeout(timer);
    log.end();
  };

  const started = Date.now();
  const deadline = started + timeoutMs;
  const onAbort = () => stop();
  signal?.addEventListener('abort', onAbort, { once: true });
  for (;;) {
    if (signal?.aborted) {
      await stop();
      throw new Error('The portal was stopped while it started.');
    }
    if (exitCode !== undefined) {
      throw new Error(
        `The portal exited (${exitCode}) before it came up. Last output:\n${tail}\n(full log: ${logFile})`,
      );
    }
    if (
      (await isUp(`${portalBackendUrl}/.backstage/health/v1/readiness`)) &&
      (await isUp(portalAppUrl))
    )
      break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `The portal did not come up within ${
          timeoutMs / 1000
        } s. Last output:\n${tail}\n(full log: ${logFile})`,
      );
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  signal?.removeEventListener('abort', onAbort);
  console.log(
    `[${label}] portal up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return {
    stop,
    pid: child.pid,
    appUrl: portalAppUrl,
    backendUrl: portalBackendUrl,
  };
}
