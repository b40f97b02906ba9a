/*
 * The flags bench (issue 22): 20,000 feature flags across 1,000 catalog
 * entities read into the inventory by the real flag sync, then the API the
 * Feature flags page calls, timed under concurrent requests.
 *
 *   bash bench/flags.sh [--database postgres,sqlite] [--flags 20000]
 *     [--services 1000] [--page-size 500] [--concurrency 8] [--requests 300]
 *     [--warmup 30] [--limit 100] [--seed glidepath] [--json out.json]
 *
 * Per database: the backend (bench/lib/backend.ts: the demo portal's
 * backend) starts on fresh databases with a generated catalog (one team per
 * ten services, each service annotated `glidepath.dev/flags:
 * bench-flags:<service>`) and a flag provider of this bench registered as a
 * backend module, which lists `--flags` generated flags of varied types,
 * ages, evaluations and serving, `--page-size` flags a page behind a cursor,
 * as Unleash's and LaunchDarkly's providers page. Then:
 *   - the inventory sync, triggered through the scheduler's API and timed
 *     while its worker runs: cold (an empty inventory), then again with
 *     nothing changed in the provider;
 *   - the Feature flags page's API, as the bench's service principal, one
 *     endpoint after another, `--concurrency` requests in flight:
 *     GET /flags/summary (the page's figures), GET /flags?limit= (the
 *     list's first page) and GET /flags?owner=<team>&limit= (one team's),
 *     and, for information, GET /flags with no limit (its default page of
 *     1,000 flags).
 * Target (issue 22): the sync time reported; the page's API p95 under
 * 200 ms on PostgreSQL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  FlagListRequest,
  FlagPage,
  FlagProvider,
  glidepathFlagProvidersExtensionPoint,
  ObservedFlag,
  ObservedFlags,
} from '@glidepath/backstage-plugin-node';
import { stringify } from 'yaml';
import { QUIET_GLIDEPATH, quantile, startBenchBackend } from '../lib/backend';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const databases = arg('database', 'postgres,sqlite').split(',') as Array<
  'sqlite' | 'postgres'
>;
const flagCount = Number(arg('flags', '20000'));
const services = Number(arg('services', '1000'));
const pageSize = Number(arg('page-size', '500'));
const concurrency = Number(arg('concurrency', '8'));
const requests = Number(arg('requests', '300'));
const warmup = Number(arg('warmup', '30'));
const limit = Number(arg('limit', '100'));
const seed = arg('seed', 'glidepath');
const jsonOut = process.argv.includes('--json') ? arg('json', '') : undefined;
for (const db of databases) {
  if (db !== 'sqlite' && db !== 'postgres') {
    throw new Error(`--database: "${db}" is not sqlite or postgres`);
  }
}

const DAY = 24 * 3_600_000;
const TEAMS = Math.max(1, Math.round(services / 10));
const PROVIDER = 'bench-flags';
const SYNC_TASK = 'glidepath-flag-sync';

/** mulberry32 over a string hash: the same seed, the same flags. */
function random(...parts: Array<string | number>) {
  let h = 0x811c9dc5;
  for (const c of parts.join('\u0000')) {
    h ^= c.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const logNormal = (r: () => number, median: number, sigma: number) =>
  median *
  Math.exp(
    sigma *
      Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) *
      Math.cos(2 * Math.PI * r()),
  );

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const serviceName = (i: number) => `svc-${pad(i, 4)}`;
const teamName = (i: number) => `team-${pad(i % TEAMS, 3)}`;
const WORDS = ['checkout', 'search', 'banner', 'pricing', 'login', 'export'];

function catalogYaml(): string {
  const docs: object[] = [];
  for (let t = 0; t < TEAMS; t++) {
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `team-${pad(t, 3)}` },
      spec: { type: 'team', children: [] },
    });
  }
  for (let i = 0; i < services; i++) {
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: serviceName(i),
        annotations: {
          'glidepath.dev/flags': `${PROVIDER}:${serviceName(i)}`,
        },
      },
      spec: { type: 'service', lifecycle: 'production', owner: teamName(i) },
    });
  }
  return docs.map(d => stringify(d)).join('---\n');
}

/**
 * One service's flags, the same at every listing: types in Unleash's
 * proportions, ages around 6 weeks (a long tail to 3 years), most evaluated
 * within the last day, some not for months or never, some serving one
 * variation everywhere; a few with a maintainer.
 */
function serviceFlags(i: number, now: number): ObservedFlag[] {
  const r = random(seed, serviceName(i));
  const count =
    Math.floor(flagCount / services) + (i < flagCount % services ? 1 : 0);
  const flags: ObservedFlag[] = [];
  for (let j = 0; j < count; j++) {
    const pick = r();
    let type: string | undefined;
    if (pick < 0.5) type = 'release';
    else if (pick < 0.65) type = 'experiment';
    else if (pick < 0.75) type = 'operational';
    else if (pick < 0.85) type = 'kill-switch';
    else if (pick < 0.9) type = 'permission';
    const createdAt = new Date(
      Math.floor(now - Math.min(1100, logNormal(r, 42, 1.1)) * DAY),
    );
    const evaluated = r();
    let lastEvaluatedAt: Date | null;
    if (evaluated < 0.75) lastEvaluatedAt = new Date(now - r() * DAY);
    else if (evaluated < 0.92) {
      lastEvaluatedAt = new Date(now - (31 + r() * 120) * DAY);
    } else lastEvaluatedAt = null;
    if (lastEvaluatedAt && lastEvaluatedAt < createdAt) {
      lastEvaluatedAt = createdAt;
    }
    const servesEveryone = r() < 0.3 ? 'true' : undefined;
    const servingSince = servesEveryone
      ? new Date(Math.max(createdAt.getTime(), now - r() * 30 * DAY))
      : undefined;
    const word = WORDS[Math.floor(r() * WORDS.length)];
    flags.push({
      key: `${serviceName(i)}/flag-${pad(j, 3)}`,
      name: `${word}-${pad(j, 3)}`,
      project: serviceName(i),
      type,
      ...(type === undefined && { temporary: r() < 0.7 }),
      createdAt,
      createdBy: `dev${Math.floor(r() * 500)}@example.com`,
      ...(r() < 0.1 && {
        maintainer: `dev${Math.floor(r() * 500)}@example.com`,
      }),
      environments: [
        {
          environment: 'production',
          type: 'production',
          enabled: r() < 0.8,
          lastEvaluatedAt,
          ...(servesEveryone && { servesEveryone, servingSince }),
        },
        {
          environment: 'staging',
          type: 'development',
          enabled: true,
          lastEvaluatedAt,
          ...(servesEveryone && { servesEveryone, servingSince }),
        },
      ],
      updatedAt: new Date(
        createdAt.getTime() + r() * (now - createdAt.getTime()),
      ),
      lifecycle: 'live',
      tags: [`team:${teamName(i)}`],
      archived: false,
      url: `https://flags.example.com/projects/${serviceName(
        i,
      )}/features/${word}-${j}`,
    });
  }
  return flags;
}

/**
 * A flag provider that pages like a real one: the request's targets' flags
 * one after the other, `pageSize` a page, the cursor the offset of the
 * next. Counts its pages and notes when a listing's first and last pages
 * were asked for.
 */
class BenchFlagProvider implements FlagProvider {
  readonly id = PROVIDER;
  pages = 0;
  firstPageAt = 0;
  lastPageAt = 0;
  private readonly flags = new Map<string, ObservedFlag[]>();

  constructor(now: number) {
    for (let i = 0; i < services; i++) {
      this.flags.set(serviceName(i), serviceFlags(i, now));
    }
  }

  async listFlags(request: FlagListRequest): Promise<FlagPage> {
    const start = request.cursor ? Number(request.cursor) : 0;
    if (!Number.isInteger(start) || start < 0) {
      throw new Error(`bad cursor "${request.cursor}"`);
    }
    if (start === 0) this.firstPageAt = performance.now();
    this.pages += 1;
    const end = start + request.pageSize;
    const items: ObservedFlags[] = [];
    let offset = 0;
    for (const target of request.targets) {
      const list = this.flags.get(target.ref) ?? [];
      const from = Math.max(start, offset);
      const to = Math.min(end, offset + list.length);
      if (from < to) {
        items.push({
          entityRef: target.entityRef,
          ref: target.ref,
          flags: list.slice(from - offset, to - offset),
        });
      }
      offset += list.length;
    }
    this.lastPageAt = performance.now();
    return { items, ...(end < offset && { nextCursor: String(end) }) };
  }
}

function summarise(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    p50Ms: quantile(sorted, 0.5),
    p95Ms: quantile(sorted, 0.95),
    p99Ms: quantile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1],
  };
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function benchDatabase(database: 'sqlite' | 'postgres', dir: string) {
  const log = (line: string) => console.log(`[flags ${database}] ${line}`);
  const catalogFile = resolve(dir, `catalog-${database}.yaml`);
  writeFileSync(catalogFile, catalogYaml());
  const provider = new BenchFlagProvider(Date.now());
  const prefix = `glidepath_flags_bench_${process.pid}_`;
  const backend = await startBenchBackend({
    dir: resolve(dir, database),
    database,
    prefix,
    catalogFile,
    glidepath: {
      ...QUIET_GLIDEPATH,
      flags: {
        // Only when the bench triggers it.
        sync: {
          schedule: {
            frequency: { trigger: 'manual' },
            timeout: { minutes: 10 },
          },
          pageSize,
        },
        cleanup: { enabled: false },
      },
    },
    features: [
      createBackendModule({
        pluginId: 'glidepath',
        moduleId: 'flags-bench-provider',
        register(reg) {
          reg.registerInit({
            deps: { flags: glidepathFlagProvidersExtensionPoint },
            async init({ flags }) {
              flags.addFlagProvider(provider);
            },
          });
        },
      }),
    ],
  });
  const { baseUrl, headers } = backend;
  const call = async (method: string, path: string) => {
    const res = await fetch(`${baseUrl}${path}`, { method, headers });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const syncTask = async () => {
    const { tasks } = await call(
      'GET',
      '/api/glidepath/.backstage/scheduler/v1/tasks',
    );
    const task = tasks.find((t: { taskId: string }) => t.taskId === SYNC_TASK);
    if (!task) throw new Error(`No task ${SYNC_TASK} in the scheduler`);
    return task;
  };
  /** Triggers the sync and times its worker's run (polled every 10 ms). */
  const sync = async () => {
    const before = (await syncTask()).taskState?.lastRunEndedAt;
    const pagesBefore = provider.pages;
    await call(
      'POST',
      `/api/glidepath/.backstage/scheduler/v1/tasks/${SYNC_TASK}/trigger`,
    );
    let started: number | undefined;
    for (const deadline = Date.now() + 15 * 60_000; Date.now() < deadline; ) {
      const task = await syncTask();
      const at = performance.now();
      if (task.workerState?.status === 'running') {
        started ??= at;
      } else if (
        task.taskState?.lastRunEndedAt &&
        task.taskState.lastRunEndedAt !== before
      ) {
        if (started === undefined) {
          throw new Error('The sync ran between two polls; cannot time it');
        }
        if (task.taskState.lastRunError) {
          throw new Error(`The sync failed: ${task.taskState.lastRunError}`);
        }
        return {
          ms: at - started,
          providerMs: provider.lastPageAt - provider.firstPageAt,
          pages: provider.pages - pagesBefore,
        };
      }
      await sleep(10);
    }
    throw new Error('The sync did not end within 15 minutes');
  };
  try {
    const expected = services + TEAMS;
    for (;;) {
      const { totalItems } = await call(
        'GET',
        '/api/catalog/entities/by-query?limit=1&filter=kind=component&filter=kind=group',
      );
      if (totalItems >= expected) break;
      await sleep(1000);
    }
    log(`catalog of ${expected} entities loaded`);

    log(`load average (1 min) ${loadavg()[0].toFixed(1)} before the sync`);
    const cold = await sync();
    const summary = await call('GET', '/api/glidepath/flags/summary');
    if (summary.total !== flagCount) {
      throw new Error(
        `The inventory has ${summary.total} flags after the sync, not ${flagCount}`,
      );
    }
    log(
      `cold sync: ${(cold.ms / 1000).toFixed(2)} s (${cold.pages} pages, ${
        summary.total
      } flags: ${JSON.stringify(summary.counts)})`,
    );
    const again = await sync();
    log(`unchanged sync: ${(again.ms / 1000).toFixed(2)} s`);

    const team = `group:default/${teamName(7)}`;
    const endpoints = [
      { name: 'summary', path: '/api/glidepath/flags/summary' },
      { name: 'first page', path: `/api/glidepath/flags?limit=${limit}` },
      {
        name: 'one team',
        path: `/api/glidepath/flags?owner=${encodeURIComponent(
          team,
        )}&limit=${limit}`,
      },
      { name: 'default page (1,000)', path: '/api/glidepath/flags' },
    ];
    const firstPage = await call('GET', endpoints[1].path);
    const teamPage = await call('GET', endpoints[2].path);
    if (firstPage.total !== flagCount || firstPage.items.length !== limit) {
      throw new Error(`GET /flags gave ${firstPage.items.length} flags`);
    }
    log(
      `${team}: ${teamPage.total} flags; first page of ${firstPage.items.length}, next offset ${firstPage.nextOffset}`,
    );
    // Others' work on the machine shows in the figures: say how busy it was.
    const loadBefore = loadavg()[0];
    const results: Array<{
      name: string;
      path: string;
      times: number[];
      bytes: number;
      wallMs: number;
    }> = await new Promise((done, fail) => {
      const worker = new Worker(resolve(__dirname, 'driver.mjs'), {
        workerData: {
          baseUrl,
          headers,
          endpoints,
          concurrency,
          requests,
          warmup,
        },
      });
      worker.once('message', done);
      worker.once('error', fail);
    });
    const loadAfter = loadavg()[0];
    log(
      `load average (1 min) ${loadBefore.toFixed(
        1,
      )} before the requests, ${loadAfter.toFixed(1)} after`,
    );
    const api = results.map(r => ({
      name: r.name,
      path: r.path,
      bytes: r.bytes,
      perSecond: r.times.length / (r.wallMs / 1000),
      ...summarise(r.times),
    }));
    for (const a of api) {
      log(
        `${a.name}: p50 ${a.p50Ms.toFixed(1)} ms, p95 ${a.p95Ms.toFixed(
          1,
        )} ms, p99 ${a.p99Ms.toFixed(1)} ms (${Math.round(
          a.perSecond,
        )}/s, ${Math.round(a.bytes / 1024)} KiB)`,
      );
    }
    return {
      database,
      flags: summary.total,
      teamFlags: teamPage.total,
      counts: summary.counts,
      coldSync: cold,
      unchangedSync: again,
      loadAverage: { beforeRequests: loadBefore, afterRequests: loadAfter },
      api,
    };
  } finally {
    await backend.stop().catch(error => console.error(error));
    await backend.dropDatabases().catch(error => console.error(error));
  }
}

async function main() {
  const dir = mkdtempSync(
    resolve(
      process.platform === 'linux' ? '/dev/shm' : tmpdir(),
      'glidepath-flags-bench-',
    ),
  );
  const results = [];
  try {
    for (const database of databases) {
      results.push(await benchDatabase(database, dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `\nFlags bench: ${flagCount} flags across ${services} services (${TEAMS} teams), provider pages of ${pageSize}; ${requests} timed requests per endpoint after ${warmup}, ${concurrency} in flight; ${
      cpus().length
    } CPUs\n`,
  );
  console.log(
    '| database | cold sync | unchanged sync | summary p50 / p95 / p99 | first page p50 / p95 / p99 | one team p50 / p95 / p99 | default page (1,000) p50 / p95 / p99 |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const q = r.api.map(
      a =>
        `${a.p50Ms.toFixed(0)} / ${a.p95Ms.toFixed(0)} / ${a.p99Ms.toFixed(
          0,
        )} ms`,
    );
    console.log(
      `| ${r.database} | ${(r.coldSync.ms / 1000).toFixed(2)} s | ${(
        r.unchangedSync.ms / 1000
      ).toFixed(2)} s | ${q.join(' | ')} |`,
    );
  }
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(results, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
