/*
 * 500 viewers on entity pages against one backend on PostgreSQL, with
 * rollbacks at a steady rate: API latency and errors, and request ->
 * provider call of the rollbacks under that load.
 *
 *   bash bench/load.sh [--duration 300] [--viewers 500] [--services 250]
 *     [--rollback-every 2] [--poll always|unfinished] [--no-signals]
 *     [--json out.json] [--profile DIR]
 *
 * The backend (bench/load/backend.ts: the demo portal's backend with the
 * sandbox, its performAction timed) runs as its own process on fresh
 * PostgreSQL databases (prefix glidepath_load_<time>_, dropped at the end)
 * over a generated catalog of --services sandbox services owned by one
 * team, of which the guest user is a member. This process is the load:
 *
 * - each viewer is an open entity page of one service (viewers spread
 *   round-robin over the services), signed in as the guest: it opens at a
 *   random moment of the first 5 s, reads the summary
 *   (GET /api/glidepath/entities/component/default/<name>) and the current
 *   release's detail (GET /api/glidepath/releases/<id>), then polls the
 *   summary every 5 s and the detail every 15 s (its own timers, started
 *   at its own moment, each tick jittered by up to +-100 ms), as
 *   useReleaseSummary and useReleaseDetail do. With --poll always (the
 *   default) it polls whatever the release's phase, as if every page showed
 *   a release in flight; with --poll unfinished only while the release is
 *   unfinished, as the hooks do;
 * - each viewer has its own WebSocket to /api/signals (as each browser
 *   has), subscribed to its entity's channel; on a message it reads the
 *   summary again (unless the message is about an analysis) and the detail
 *   when the message is about the release shown. A read asked for while one
 *   runs is run after it (useRefreshable);
 * - every --rollback-every seconds, the next service (in a shuffled order)
 *   whose current release can be rolled back (its summary read first, and
 *   counted) gets a rollback POST with a fresh Idempotency-Key; the backend
 *   process reports when the sandbox's performAction is entered for it.
 *
 * Every request times out after 10 s. Backend CPU and RSS come from
 * /proc/<pid>, sampled every second during the load.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import WebSocket from 'ws';
import {
  isTerminalPhase,
  releaseSignalChannel,
} from '@glidepath/backstage-plugin-common';
import {
  dropDatabases,
  freePort,
  POSTGRES_URL,
  quantile,
} from '../lib/backend';
import type { ProviderCallMessage } from './backend';

const repoRoot = resolve(__dirname, '../..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const DURATION_S = Number(arg('duration', '300'));
const VIEWERS = Number(arg('viewers', '500'));
const SERVICES = Number(arg('services', '250'));
const ROLLBACK_EVERY_S = Number(arg('rollback-every', '2'));
const POLL = arg('poll', 'always') as 'always' | 'unfinished';
const SIGNALS = !flag('no-signals');
const JSON_OUT = arg('json', '');
/** A folder for a CPU profile of the backend process (node --cpu-prof). */
const PROFILE_DIR = arg('profile', '');
const SUMMARY_POLL_MS = 5000;
const DETAIL_POLL_MS = 15_000;
const TIMEOUT_MS = 10_000;
const JITTER_MS = 100;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const serviceName = (i: number) => `svc-${String(i).padStart(4, '0')}`;

// ---------------------------------------------------------------- stats

type Endpoint = 'summary' | 'detail' | 'rollback POST';
const latencies: Record<Endpoint, number[]> = {
  summary: [],
  detail: [],
  'rollback POST': [],
};
const errors = new Map<string, number>();
let requestsInWindow = 0;
let measuring = false;
let stopped = false;

function countError(key: string) {
  errors.set(key, (errors.get(key) ?? 0) + 1);
}

/** A timed request; resolves with the parsed body, or undefined on error. */
async function call(
  endpoint: Endpoint,
  url: string,
  init: RequestInit,
  ok: (status: number) => boolean = s => s >= 200 && s < 300,
): Promise<{ status: number; body: any } | undefined> {
  const start = performance.now();
  const inWindow = measuring;
  try {
    const res = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    const ms = performance.now() - start;
    if (inWindow) {
      requestsInWindow += 1;
      latencies[endpoint].push(ms);
      if (!ok(res.status)) {
        countError(`${endpoint}: ${res.status} ${text.slice(0, 160)}`);
      }
    }
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  } catch (error: any) {
    if (inWindow) {
      requestsInWindow += 1;
      const kind =
        error?.name === 'TimeoutError'
          ? `timeout (${TIMEOUT_MS / 1000} s)`
          : `network error ${error?.cause?.code ?? error?.message}`;
      countError(`${endpoint}: ${kind}`);
    }
    return undefined;
  }
}

// ---------------------------------------------------------------- backend

type Sample = {
  at: number;
  backendTicks: number;
  backendRssKiB: number;
  postgresTicks: number;
  machineBusy: number;
  machineTotal: number;
};

function procTicks(pid: string | number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function postgresTicks(): number {
  let ticks = 0;
  for (const pid of require('node:fs').readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.includes('(postgres)')) ticks += procTicks(pid);
    } catch {
      // gone
    }
  }
  return ticks;
}

function sample(pid: number): Sample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const cpu = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = cpu[3] + cpu[4];
  return {
    at: performance.now(),
    backendTicks: procTicks(pid),
    backendRssKiB: rss,
    postgresTicks: postgresTicks(),
    machineBusy: total - idle,
    machineTotal: total,
  };
}

function writeCatalog(dir: string): string {
  const docs: object[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-load' },
      spec: { type: 'team', children: [] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'guest' },
      spec: { memberOf: ['team-load'] },
    },
  ];
  for (let i = 0; i < SERVICES; i++) {
    const name = serviceName(i);
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: {
          'glidepath.dev/rollout': `sandbox:${name}`,
          'glidepath.dev/strategy': 'canary',
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/team-load',
      },
    });
  }
  const file = join(dir, 'catalog.yaml');
  writeFileSync(file, docs.map(d => stringify(d)).join('---\n'));
  return file;
}

async function startBackend(dir: string, prefix: string) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const catalogFile = writeCatalog(dir);
  const config = {
    app: { baseUrl },
    backend: {
      baseUrl,
      listen: { port, host: '127.0.0.1' },
      database: { client: 'pg', connection: POSTGRES_URL, prefix },
    },
    auth: {
      environment: 'development',
      providers: { guest: { userEntityRef: 'user:default/guest' } },
    },
    permission: { enabled: true },
    catalog: {
      rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
      locations: [{ type: 'file', target: catalogFile }],
    },
    scaffolder: {},
    glidepath: {
      // The portal's sandbox settings (app-config.yaml) but the seed, and
      // without the six months of made-up DORA history.
      sandbox: {
        seed: 'load',
        releaseInterval: { minutes: 4 },
        stepDuration: { seconds: 30 },
        faultRate: 0.2,
        history: { enabled: false },
      },
    },
  };
  const configPath = join(dir, 'app-config.load.yaml');
  writeFileSync(configPath, stringify(config));
  const child = spawn(
    process.execPath,
    [
      ...(PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${resolve(PROFILE_DIR)}`]
        : []),
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      resolve(__dirname, 'backend.ts'),
      '--config',
      configPath,
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  let output = '';
  child.stdout!.on('data', d => (output = (output + d).slice(-20_000)));
  child.stderr!.on('data', d => (output = (output + d).slice(-20_000)));
  let exited: number | null | undefined;
  child.on('exit', code => (exited = code));
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`The backend exited (${exited}):\n${output}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`The backend was not ready in 180 s:\n${output}`);
    }
    const ready = await fetch(`${baseUrl}/.backstage/health/v1/readiness`)
      .then(r => r.ok)
      .catch(() => false);
    if (ready) break;
    await sleep(500);
  }
  return { child, baseUrl, output: () => output, exited: () => exited };
}

async function stopBackend(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(r => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------- viewers

/** A value read again on refresh; a refresh during a read runs after it. */
class Refreshable {
  private running = false;
  private pending = false;
  constructor(private readonly load: () => Promise<void>) {}
  refresh() {
    if (stopped) return;
    if (this.running) {
      this.pending = true;
      return;
    }
    this.running = true;
    this.load().finally(() => {
      this.running = false;
      if (this.pending) {
        this.pending = false;
        this.refresh();
      }
    });
  }
}

const signalCounts = new Map<string, number>();
const sockets = { opened: 0, failed: 0, closedEarly: 0 };
const timers: Array<ReturnType<typeof setTimeout>> = [];

function every(periodMs: number, fn: () => void) {
  // Its own timer, started at the viewer's moment; each tick jittered.
  const tick = () => {
    if (stopped) return;
    fn();
    timers.push(
      setTimeout(tick, periodMs + (Math.random() * 2 - 1) * JITTER_MS),
    );
  };
  timers.push(setTimeout(tick, periodMs));
}

function startViewer(
  baseUrl: string,
  headers: Record<string, string>,
  token: string,
  name: string,
) {
  const entityRef = `component:default/${name}`;
  let summary: any;
  let detail: any;
  let detailId: string | undefined;
  const detailLoader = new Refreshable(async () => {
    if (!detailId) return;
    const res = await call(
      'detail',
      `${baseUrl}/api/glidepath/releases/${detailId}`,
      { headers },
    );
    if (res?.status === 200) detail = res.body;
  });
  const summaryLoader = new Refreshable(async () => {
    const res = await call(
      'summary',
      `${baseUrl}/api/glidepath/entities/component/default/${name}`,
      { headers },
    );
    if (res?.status !== 200) return;
    summary = res.body;
    const id = summary?.current?.id;
    if (id && id !== detailId) {
      // The page shows the new current release: its detail is loaded.
      detailId = id;
      detail = undefined;
      detailLoader.refresh();
    }
  });
  const polling = (release: any) =>
    POLL === 'always' || (release && !isTerminalPhase(release.phase));

  if (SIGNALS) {
    const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/signals`, [
      token,
    ]);
    const channel = releaseSignalChannel(entityRef);
    ws.on('open', () => {
      sockets.opened += 1;
      ws.send(JSON.stringify({ action: 'subscribe', channel }));
    });
    ws.on('message', data => {
      let json: any;
      try {
        json = JSON.parse(String(data));
      } catch {
        return;
      }
      if (json?.channel !== channel) return;
      const signal = json.message;
      if (measuring) {
        signalCounts.set(signal.type, (signalCounts.get(signal.type) ?? 0) + 1);
      }
      if (signal.type !== 'analysis-recorded') summaryLoader.refresh();
      if (signal.releaseId === detailId) detailLoader.refresh();
    });
    ws.on('error', () => {
      sockets.failed += 1;
    });
    ws.on('close', () => {
      if (!stopped) sockets.closedEarly += 1;
    });
    return {
      summaryLoader,
      detailLoader,
      polling,
      state: () => ({ summary, detail }),
      close: () => ws.close(1000),
    };
  }
  return {
    summaryLoader,
    detailLoader,
    polling,
    state: () => ({ summary, detail }),
    close: () => undefined,
  };
}

// ---------------------------------------------------------------- main

async function main() {
  const started = new Date();
  const prefix = `glidepath_load_${Date.now()}_`;
  const dir = mkdtempSync(join(tmpdir(), 'glidepath-load-'));
  console.log(
    `Glidepath load: ${VIEWERS} viewers over ${SERVICES} sandbox services for ${DURATION_S} s, a rollback every ${ROLLBACK_EVERY_S} s, polls: ${POLL}, signals: ${
      SIGNALS ? 'on' : 'off'
    }; PostgreSQL databases ${prefix}*; ${cpus().length} CPUs`,
  );
  const backend = await startBackend(dir, prefix);
  const calls = new Map<string, ProviderCallMessage[]>();
  backend.child.on('message', (m: ProviderCallMessage) => {
    if (m?.type !== 'provider-call') return;
    const list = calls.get(m.providerReleaseId) ?? [];
    list.push(m);
    calls.set(m.providerReleaseId, list);
  });
  let result: any;
  try {
    result = await load(backend.baseUrl, backend.child.pid!);
  } finally {
    stopped = true;
    await stopBackend(backend.child);
    const dropped = await dropDatabases(prefix).catch(e => {
      console.error(`Could not drop the databases ${prefix}*: ${e}`);
      return 0;
    });
    rmSync(dir, { recursive: true, force: true });
    console.log(`Backend stopped; ${dropped} databases ${prefix}* dropped`);
  }

  async function load(baseUrl: string, pid: number) {
    // Sign the guest in once the catalog has it and its team.
    let token = '';
    for (let i = 0; i < 240 && !token; i++) {
      const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      }).catch(() => undefined);
      if (res?.ok) {
        const { identity, token: t } = (await res.json()).backstageIdentity;
        if (identity.ownershipEntityRefs.includes('group:default/team-load')) {
          token = t;
        }
      }
      if (!token) await sleep(500);
    }
    if (!token) throw new Error('The guest could not sign in');
    const headers = { Authorization: `Bearer ${token}` };
    // Wait until the sync has stored every service's releases.
    const t0 = performance.now();
    for (let i = 0; ; i++) {
      const last = await fetch(
        `${baseUrl}/api/glidepath/entities/component/default/${serviceName(
          SERVICES - 1,
        )}`,
        { headers },
      );
      if (last.ok && (await last.json()).current) break;
      if (i > 240) throw new Error('The releases were not synced in 2 min');
      await sleep(500);
    }
    console.log(
      `Backend ready, guest signed in, releases synced (${(
        (performance.now() - t0) /
        1000
      ).toFixed(1)} s after sign-in)`,
    );

    const samples: Sample[] = [sample(pid)];
    const loaderCpu0 = process.cpuUsage();
    const sampler = setInterval(() => samples.push(sample(pid)), 1000);
    measuring = true;
    const windowStart = performance.now();

    // Viewers, each opening at its own moment of the first 5 s.
    const viewers: Array<ReturnType<typeof startViewer>> = [];
    for (let v = 0; v < VIEWERS; v++) {
      const name = serviceName(v % SERVICES);
      timers.push(
        setTimeout(() => {
          if (stopped) return;
          const viewer = startViewer(baseUrl, headers, token, name);
          viewers.push(viewer);
          viewer.summaryLoader.refresh();
          every(SUMMARY_POLL_MS, () => {
            if (viewer.polling(viewer.state().summary?.current)) {
              viewer.summaryLoader.refresh();
            }
          });
          every(DETAIL_POLL_MS, () => {
            if (viewer.polling(viewer.state().detail?.release)) {
              viewer.detailLoader.refresh();
            }
          });
        }, Math.random() * SUMMARY_POLL_MS),
      );
    }

    // Rollbacks at a steady rate, fire and forget.
    type Posted = {
      name: string;
      providerRef: string;
      sentAt: number;
      status?: number;
    };
    const posted: Posted[] = [];
    const rollbackReads = { notRollbackable: 0, failed: 0 };
    const order = Array.from({ length: SERVICES }, (_, i) => i).sort(
      () => Math.random() - 0.5,
    );
    let next = 0;
    const rollbackOne = async () => {
      for (let tries = 0; tries < 5; tries++) {
        const name = serviceName(order[next++ % order.length]);
        const summary = await call(
          'summary',
          `${baseUrl}/api/glidepath/entities/component/default/${name}`,
          { headers },
        );
        if (summary?.status !== 200) {
          rollbackReads.failed += 1;
          continue;
        }
        const current = summary.body.current;
        if (!current || !summary.body.allowedActions?.includes('rollback')) {
          rollbackReads.notRollbackable += 1;
          continue;
        }
        const entry: Posted = {
          name,
          providerRef: current.providerRef,
          sentAt: now(),
        };
        posted.push(entry);
        const res = await call(
          'rollback POST',
          `${baseUrl}/api/glidepath/releases/${current.id}/actions`,
          {
            method: 'POST',
            headers: {
              ...headers,
              'Content-Type': 'application/json',
              'Idempotency-Key': `load-${randomUUID()}`,
            },
            body: JSON.stringify({ action: 'rollback', reason: 'load bench' }),
          },
          s => s === 202,
        );
        entry.status = res?.status;
        return;
      }
    };
    const rollbackCount = Math.floor(DURATION_S / ROLLBACK_EVERY_S);
    for (let r = 0; r < rollbackCount; r++) {
      timers.push(
        setTimeout(
          () => void rollbackOne(),
          ROLLBACK_EVERY_S * 1000 * (r + 0.5),
        ),
      );
    }

    // Progress, every 30 s.
    for (let s = 30; s < DURATION_S; s += 30) {
      timers.push(
        setTimeout(() => {
          const last = samples[samples.length - 1];
          console.log(
            `  ${s} s: ${requestsInWindow} requests, ${[
              ...errors.values(),
            ].reduce((a, b) => a + b, 0)} errors, ${
              posted.length
            } rollbacks posted, backend RSS ${(
              last.backendRssKiB / 1024
            ).toFixed(0)} MiB`,
          );
        }, s * 1000),
      );
    }

    await sleep(DURATION_S * 1000);
    // The window ends: no new request; the running ones finish (bounded by
    // their timeout) and are counted.
    stopped = true;
    for (const t of timers) clearTimeout(t);
    const windowMs = performance.now() - windowStart;
    const loaderCpu = process.cpuUsage(loaderCpu0);
    clearInterval(sampler);
    samples.push(sample(pid));
    await sleep(TIMEOUT_MS + 500);
    measuring = false;
    for (const viewer of viewers) viewer.close();

    // Rollbacks: request -> provider call.
    const toCall: number[] = [];
    let accepted = 0;
    let refused = 0;
    let missing = 0;
    for (const p of posted) {
      if (p.status !== 202) {
        refused += 1;
        continue;
      }
      accepted += 1;
      const call = (calls.get(p.providerRef) ?? []).find(
        c =>
          c.action === 'rollback' &&
          c.actor === 'user:user:default/guest' &&
          c.at >= p.sentAt - 1,
      );
      if (call) toCall.push(call.at - p.sentAt);
      else missing += 1;
    }
    const automatic = [...calls.values()]
      .flat()
      .filter(c => c.actor !== 'user:user:default/guest').length;

    return summarise({
      windowMs,
      samples,
      loaderCpu,
      toCall,
      accepted,
      refused,
      missing,
      automatic,
      rollbackReads,
      viewers: viewers.length,
    });
  }

  function summarise(r: {
    windowMs: number;
    samples: Sample[];
    loaderCpu: NodeJS.CpuUsage;
    toCall: number[];
    accepted: number;
    refused: number;
    missing: number;
    automatic: number;
    rollbackReads: { notRollbackable: number; failed: number };
    viewers: number;
  }) {
    const seconds = r.windowMs / 1000;
    const ms = (v: number) =>
      v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`;
    const endpoints = Object.entries(latencies).map(([endpoint, values]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return {
        endpoint,
        requests: values.length,
        perSecond: values.length / seconds,
        p50: quantile(sorted, 0.5),
        p95: quantile(sorted, 0.95),
        p99: quantile(sorted, 0.99),
        max: sorted[sorted.length - 1],
      };
    });
    const all = Object.values(latencies)
      .flat()
      .sort((a, b) => a - b);
    const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
    const first = r.samples[0];
    const last = r.samples[r.samples.length - 1];
    const span = (last.at - first.at) / 1000;
    const rss = r.samples.map(s => s.backendRssKiB / 1024);
    const calls = [...r.toCall].sort((a, b) => a - b);
    const out = {
      started: started.toISOString(),
      cpus: cpus().length,
      node: process.version,
      viewers: r.viewers,
      services: SERVICES,
      durationS: DURATION_S,
      poll: POLL,
      signals: SIGNALS,
      sockets,
      signalsReceived: Object.fromEntries(signalCounts),
      requests: requestsInWindow,
      requestsPerSecond: requestsInWindow / seconds,
      endpoints,
      all: {
        p50: quantile(all, 0.5),
        p95: quantile(all, 0.95),
        p99: quantile(all, 0.99),
      },
      errors: Object.fromEntries(errors),
      errorCount,
      rollbacks: {
        posted: r.accepted + r.refused,
        accepted: r.accepted,
        refused: r.refused,
        missing: r.missing,
        timed: calls.length,
        p50: quantile(calls, 0.5),
        p99: quantile(calls, 0.99),
        max: calls[calls.length - 1],
        skippedNotRollbackable: r.rollbackReads.notRollbackable,
        automaticProviderCalls: r.automatic,
      },
      backend: {
        cpuPercent: ((last.backendTicks - first.backendTicks) / span) * 1, // ticks are 1/100 s
        rssMiB: {
          mean: rss.reduce((a, b) => a + b, 0) / rss.length,
          max: Math.max(...rss),
          start: rss[0],
          end: rss[rss.length - 1],
        },
      },
      postgresCpuPercent: (last.postgresTicks - first.postgresTicks) / span,
      loaderCpuPercent:
        ((r.loaderCpu.user + r.loaderCpu.system) / 1e6 / seconds) * 100,
      machineBusyPercent:
        ((last.machineBusy - first.machineBusy) /
          (last.machineTotal - first.machineTotal)) *
        100,
    };

    console.log(
      `\n${out.requests} API requests in ${seconds.toFixed(
        0,
      )} s: ${out.requestsPerSecond.toFixed(1)}/s; ${
        r.viewers
      } viewers; WebSockets opened ${sockets.opened}, failed ${
        sockets.failed
      }, closed early ${sockets.closedEarly}; signals received ${JSON.stringify(
        out.signalsReceived,
      )}`,
    );
    console.log(
      '\n| endpoint | requests | per second | p50 | p95 | p99 | max |\n| --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const e of endpoints) {
      console.log(
        `| ${e.endpoint} | ${e.requests} | ${e.perSecond.toFixed(1)} | ${ms(
          e.p50,
        )} | ${ms(e.p95)} | ${ms(e.p99)} | ${ms(e.max)} |`,
      );
    }
    console.log(
      `| all | ${all.length} | ${out.requestsPerSecond.toFixed(1)} | ${ms(
        out.all.p50,
      )} | ${ms(out.all.p95)} | ${ms(out.all.p99)} | ${ms(
        all[all.length - 1],
      )} |`,
    );
    console.log(`\nerrors: ${errorCount}`);
    for (const [k, v] of errors) console.log(`  ${v} x ${k}`);
    console.log(
      `\nrollbacks: ${out.rollbacks.posted} posted, ${r.accepted} accepted (202), ${r.refused} not, ${r.missing} accepted without a provider call within 10 s; ${r.rollbackReads.notRollbackable} services skipped (current release cannot be rolled back); ${r.automatic} provider calls by the backend itself (analysis), not timed`,
    );
    console.log(
      `request -> provider call: median ${ms(out.rollbacks.p50)}  p99 ${ms(
        out.rollbacks.p99,
      )}  max ${ms(out.rollbacks.max)} (${calls.length} timed)`,
    );
    console.log(
      `backend process: CPU ${out.backend.cpuPercent.toFixed(
        0,
      )}% of one core, RSS mean ${out.backend.rssMiB.mean.toFixed(
        0,
      )} MiB, max ${out.backend.rssMiB.max.toFixed(0)} MiB (${rss[0].toFixed(
        0,
      )} -> ${rss[rss.length - 1].toFixed(
        0,
      )} MiB); PostgreSQL ${out.postgresCpuPercent.toFixed(
        0,
      )}%; load generator ${out.loaderCpuPercent.toFixed(
        0,
      )}%; machine ${out.machineBusyPercent.toFixed(0)}% busy of ${
        out.cpus
      } CPUs`,
    );
    const met = calls.length > 0 && r.missing === 0 && out.rollbacks.p99 < 1000;
    console.log(
      `target: rollback request -> provider call p99 under 1 s: ${
        met ? 'met' : 'NOT met'
      }`,
    );
    if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(out, null, 2));
    return out;
  }
  return result;
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
