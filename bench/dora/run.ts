/*
 * The DORA bench: 1,000 services over six months (about 300,000
 * deployments and 30,000 incidents) posted to a real backend's
 * /api/glidepath/events endpoints, then the analytics queries timed.
 *
 *   bash bench/dora.sh [--services 1000] [--days 182] [--database sqlite,postgres]
 *     [--runs 30] [--warmup 3] [--batch 1000] [--seed glidepath] [--json out.json]
 *
 * Per database: the backend (bench/lib/backend.ts: the demo portal's
 * backend without the sandbox) starts on fresh databases with a generated
 * catalog (100 teams, 50 systems, the services); the history is posted in
 * batches of `--batch` events, a service's history at a time (a backfill),
 * deployments first, then incidents; then, one request at a time:
 *   - the organisation page: GET /dora for 26 weeks by week, and the teams
 *     ranked over four weeks (groupBy=owner);
 *   - one team's page: GET /dora?owner= for 26 weeks, and its services
 *     ranked (groupBy=entity).
 * Targets (issue 6): the organisation query under 300 ms at p95 on
 * PostgreSQL; the whole history ingested in under a minute.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { QUIET_GLIDEPATH, quantile, startBenchBackend } from '../lib/backend';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const services = Number(arg('services', '1000'));
const days = Number(arg('days', '182'));
const databases = arg('database', 'sqlite,postgres').split(',') as Array<
  'sqlite' | 'postgres'
>;
const runs = Number(arg('runs', '30'));
const warmup = Number(arg('warmup', '3'));
const batchSize = Number(arg('batch', '1000'));
const seed = arg('seed', 'glidepath');
const jsonOut = process.argv.includes('--json') ? arg('json', '') : undefined;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TEAMS = Math.max(1, Math.round(services / 10));
const SYSTEMS = Math.max(1, Math.round(services / 20));

/** mulberry32 over a string hash: the same seed, the same history. */
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
  for (let s = 0; s < SYSTEMS; s++) {
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: `sys-${pad(s, 2)}` },
      spec: { owner: `team-${pad(s % TEAMS, 3)}` },
    });
  }
  for (let i = 0; i < services; i++) {
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: serviceName(i) },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: teamName(i),
        system: `sys-${pad(i % SYSTEMS, 2)}`,
      },
    });
  }
  return docs.map(d => stringify(d)).join('---\n');
}

type Event = Record<string, unknown>;

/** One service's deployments and incidents over [now - days, now). */
function history(i: number, now: number) {
  const r = random(seed, serviceName(i));
  const from = now - days * DAY;
  const count = Math.round(300 * (days / 182) * (0.5 + r()));
  const deployments: Event[] = [];
  const times = Array.from({ length: count }, () => from + r() * days * DAY)
    .map(t => Math.floor(t))
    .sort((a, b) => a - b);
  times.forEach((t, n) => {
    const rolledBack = r() < 0.05;
    deployments.push({
      id: `${serviceName(i)}-d${n}`,
      entityRef: `component:default/${serviceName(i)}`,
      environment: 'production',
      version: `1.${Math.floor(n / 10)}.${n % 10}`,
      deployedAt: new Date(t).toISOString(),
      firstCommitAt: new Date(t - logNormal(r, DAY, 1)).toISOString(),
      outcome: rolledBack ? 'rolled_back' : 'succeeded',
      ...(rolledBack && {
        finishedAt: new Date(t + 20 * 60_000).toISOString(),
      }),
    });
  });
  const incidents: Event[] = [];
  for (let n = 0; n < Math.round(count / 10); n++) {
    const opened = Math.floor(from + r() * days * DAY);
    const resolved = opened + logNormal(r, 2 * HOUR, 1);
    const before = times.filter(t => t <= opened).length;
    incidents.push({
      id: `${serviceName(i)}-i${n}`,
      entityRef: `component:default/${serviceName(i)}`,
      openedAt: new Date(opened).toISOString(),
      ...(resolved < now && {
        resolvedAt: new Date(Math.floor(resolved)).toISOString(),
      }),
      title: 'Generated incident',
      ...(before > 0 &&
        r() < 0.5 && { deploymentId: `${serviceName(i)}-d${before - 1}` }),
    });
  }
  return { deployments, incidents };
}

function summarise(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    medianMs: quantile(sorted, 0.5),
    p95Ms: quantile(sorted, 0.95),
    maxMs: sorted[sorted.length - 1],
  };
}

async function benchDatabase(database: 'sqlite' | 'postgres', dir: string) {
  const log = (line: string) => console.log(`[dora ${database}] ${line}`);
  const catalogFile = resolve(dir, 'catalog.yaml');
  writeFileSync(catalogFile, catalogYaml());
  const prefix = `glidepath_dora_bench_${process.pid}_`;
  const backend = await startBenchBackend({
    dir: resolve(dir, database),
    database,
    prefix,
    catalogFile,
    glidepath: QUIET_GLIDEPATH,
  });
  const { baseUrl, headers } = backend;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    }
    return res.json();
  };
  try {
    // The catalog first: events of unknown entities would be "unmatched".
    const expected = services + TEAMS + SYSTEMS;
    for (;;) {
      const { totalItems } = await call(
        'GET',
        '/api/catalog/entities/by-query?limit=1&filter=kind=component&filter=kind=group&filter=kind=system',
      );
      if (totalItems >= expected) break;
      await new Promise(r => setTimeout(r, 1000));
    }
    log(`catalog of ${expected} entities loaded`);

    // The history, a service's at a time, deployments then incidents.
    const now = Date.now();
    const all = Array.from({ length: services }, (_, i) => history(i, now));
    const deployments = all.flatMap(h => h.deployments);
    const incidents = all.flatMap(h => h.incidents);
    const ingest = async (type: string, events: Event[]) => {
      const t0 = performance.now();
      let unmatched = 0;
      for (let i = 0; i < events.length; i += batchSize) {
        const result = await call('POST', `/api/glidepath/events/${type}`, {
          events: events.slice(i, i + batchSize),
        });
        unmatched += result.unmatched.length;
      }
      const ms = performance.now() - t0;
      return {
        events: events.length,
        ms,
        perSecond: events.length / (ms / 1000),
        unmatched,
      };
    };
    const ingestDeployments = await ingest('deployments', deployments);
    log(
      `${deployments.length} deployments in ${(
        ingestDeployments.ms / 1000
      ).toFixed(1)} s (${Math.round(ingestDeployments.perSecond)}/s)`,
    );
    const ingestIncidents = await ingest('incidents', incidents);
    log(
      `${incidents.length} incidents in ${(ingestIncidents.ms / 1000).toFixed(
        1,
      )} s (${Math.round(ingestIncidents.perSecond)}/s)`,
    );
    // Idempotence: the same batch again changes nothing.
    const resent = deployments.slice(0, batchSize);
    const again = await call('POST', '/api/glidepath/events/deployments', {
      events: resent,
    });
    if (again.unchanged !== resent.length || again.created !== 0) {
      throw new Error(
        `A batch posted again should change nothing; got ${JSON.stringify({
          created: again.created,
          updated: again.updated,
          unchanged: again.unchanged,
        })}`,
      );
    }

    // The pages' queries, one request at a time.
    const week = encodeURIComponent(new Date(now - 182 * DAY).toISOString());
    const month = encodeURIComponent(new Date(now - 28 * DAY).toISOString());
    const team = `group:default/${teamName(0)}`;
    const queries = [
      [
        'organisation, 26 weeks by week',
        `/api/glidepath/dora?from=${week}&bucket=week`,
      ],
      [
        'organisation, teams ranked (4 weeks)',
        `/api/glidepath/dora?from=${month}&groupBy=owner`,
      ],
      [
        'one team, 26 weeks by week',
        `/api/glidepath/dora?owner=${encodeURIComponent(
          team,
        )}&from=${week}&bucket=week`,
      ],
      [
        'one team, services ranked (4 weeks)',
        `/api/glidepath/dora?owner=${encodeURIComponent(
          team,
        )}&from=${month}&groupBy=entity`,
      ],
    ] as const;
    const results = [];
    for (const [name, path] of queries) {
      const times: number[] = [];
      let body: any;
      for (let i = 0; i < warmup + runs; i++) {
        const t0 = performance.now();
        body = await call('GET', path);
        if (i >= warmup) times.push(performance.now() - t0);
      }
      const summary = summarise(times);
      results.push({
        name,
        ...summary,
        deployments: body.summary.deployments,
        groups: body.groups?.length ?? null,
      });
      log(
        `${name}: median ${summary.medianMs.toFixed(
          1,
        )} ms, p95 ${summary.p95Ms.toFixed(1)} ms (${
          body.summary.deployments
        } deployments)`,
      );
    }
    return {
      database,
      deployments: deployments.length,
      incidents: incidents.length,
      ingestDeployments,
      ingestIncidents,
      ingestTotalMs: ingestDeployments.ms + ingestIncidents.ms,
      resendUnchanged: again.unchanged,
      queries: results,
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
      'glidepath-dora-bench-',
    ),
  );
  mkdirSync(dir, { recursive: true });
  const results = [];
  try {
    for (const database of databases) {
      results.push(await benchDatabase(database, dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `\nDORA bench: ${services} services, ${days} days, batches of ${batchSize}; ${runs} timed requests per query after ${warmup} untimed\n`,
  );
  console.log(
    '| database | deployments | incidents | ingestion (all events) | events/s | org 26 weeks median / p95 | org teams ranked median / p95 | team 26 weeks median / p95 | team services median / p95 |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    const q = r.queries.map(
      x => `${x.medianMs.toFixed(0)} / ${x.p95Ms.toFixed(0)} ms`,
    );
    const events = r.deployments + r.incidents;
    console.log(
      `| ${r.database} | ${r.deployments} | ${r.incidents} | ${(
        r.ingestTotalMs / 1000
      ).toFixed(1)} s | ${Math.round(
        events / (r.ingestTotalMs / 1000),
      )} | ${q.join(' | ')} |`,
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
