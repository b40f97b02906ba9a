/*
 * The graph API on a real catalog: starts the backend in this process
 * (createBackend from @backstage/backend-defaults with the demo portal's
 * features minus the sandbox provider), loads a generated catalog from a
 * file location, writes the generated releases into Glidepath's database,
 * then times GET /api/glidepath/graph one request at a time.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs \
 *     bench/graph/api.ts --catalog DIR [--database sqlite|postgres]
 *     [--runs 50] [--warmup 5] [--out result.json] [--db-prefix NAME_]
 *     [--keep-databases] [--catalog-cache default|0] [--reuse]
 *
 * --catalog-cache 0 turns off the graph's shared catalog snapshot
 * (glidepath.graph.catalogCache), so that every request reads the catalog
 * with its caller's credentials, as for callers with conditional read
 * access; --reuse starts on databases an earlier run loaded (the releases
 * are there already).
 *
 * DIR holds catalog.yaml and catalog.json from generate.ts; the backend's
 * SQLite files go to DIR/backend. Run by bench/graph/run.mjs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { QUIET_GLIDEPATH, quantile, startBenchBackend } from '../lib/backend';
import type { GeneratedCatalog } from './generate';
import { writeReleases } from './releases';

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const median = (values: readonly number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

type Sample = {
  totalMs: number;
  catalogMs: number;
  catalogCalls: number;
  storeMs: number;
  buildMs: number;
  bytes: number;
  /** The response's Content-Encoding ('identity' when none). */
  encoding: string;
  nodes: number;
  edges: number;
  cycles: number;
  expected?: number;
  expectedEdges?: number;
  /** Answered from the graph cache (Server-Timing `cache;desc="hit"`). */
  cached: boolean;
};

export type CaseResult = {
  name: string;
  requests: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Medians of the Server-Timing parts, and of the rest (HTTP, auth, JSON). */
  catalogMs: number;
  storeMs: number;
  buildMs: number;
  otherMs: number;
  /** The distinct numbers of catalog calls seen. */
  catalogCalls: number[];
  /** Requests answered from the graph cache (no release changed since). */
  cachedRequests: number;
  /** How many requests made each number of catalog calls. */
  catalogCallCounts: Record<string, number>;
  nodes: { median: number; min: number; max: number };
  edges: { median: number; min: number; max: number };
  cycles: number;
  responseKiB: number;
  /** The Content-Encodings the responses came with. */
  encodings: string[];
  /** Responses whose node count differed from the generator's. */
  mismatches: number;
  /** Responses whose edge count differed from the generator's. */
  edgeMismatches: number;
  /** Edges the generator has and those responses lacked, in total. */
  edgesShort: number;
};

/** Parses `catalog;dur=1.2;desc="3 calls", store;dur=0.4, build;dur=5.1`. */
function parseServerTiming(header: string | null) {
  const out = { catalogMs: NaN, catalogCalls: NaN, storeMs: NaN, buildMs: NaN };
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().split(';');
    const dur = Number(
      params.find(p => p.startsWith('dur='))?.slice(4) ?? 'NaN',
    );
    if (name === 'catalog') {
      out.catalogMs = dur;
      const desc = params.find(p => p.startsWith('desc='));
      out.catalogCalls = Number(desc?.match(/(\d+) call/)?.[1] ?? 'NaN');
    } else if (name === 'store') out.storeMs = dur;
    else if (name === 'build') out.buildMs = dur;
  }
  return out;
}

function summarise(name: string, samples: Sample[]): CaseResult {
  const totals = samples.map(s => s.totalMs).sort((a, b) => a - b);
  const range = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      median: quantile(sorted, 0.5),
      min: sorted[0],
      max: sorted[sorted.length - 1],
    };
  };
  return {
    name,
    requests: samples.length,
    medianMs: quantile(totals, 0.5),
    p95Ms: quantile(totals, 0.95),
    maxMs: totals[totals.length - 1],
    catalogMs: median(samples.map(s => s.catalogMs)),
    storeMs: median(samples.map(s => s.storeMs)),
    buildMs: median(samples.map(s => s.buildMs)),
    otherMs: median(
      samples.map(s => s.totalMs - s.catalogMs - s.storeMs - s.buildMs),
    ),
    cachedRequests: samples.filter(s => s.cached).length,
    catalogCalls: [...new Set(samples.map(s => s.catalogCalls))].sort(
      (a, b) => a - b,
    ),
    catalogCallCounts: samples.reduce((counts, s) => {
      counts[s.catalogCalls] = (counts[s.catalogCalls] ?? 0) + 1;
      return counts;
    }, {} as Record<string, number>),
    nodes: range(samples.map(s => s.nodes)),
    edges: range(samples.map(s => s.edges)),
    cycles: median(samples.map(s => s.cycles)),
    responseKiB: median(samples.map(s => s.bytes)) / 1024,
    encodings: [...new Set(samples.map(s => s.encoding))],
    mismatches: samples.filter(
      s => s.expected !== undefined && s.expected !== s.nodes,
    ).length,
    edgeMismatches: samples.filter(
      s => s.expectedEdges !== undefined && s.expectedEdges !== s.edges,
    ).length,
    edgesShort: samples.reduce(
      (sum, s) =>
        sum +
        (s.expectedEdges === undefined
          ? 0
          : Math.max(0, s.expectedEdges - s.edges)),
      0,
    ),
  };
}

async function main() {
  const dir = resolve(arg('catalog')!);
  const databaseKind = arg('database', 'sqlite')!;
  const runs = Number(arg('runs', '50'));
  const warmup = Number(arg('warmup', '5'));
  const out = arg('out');
  const catalogCache = arg('catalog-cache', 'default');
  const reuse = process.argv.includes('--reuse');
  const mode =
    catalogCache === 'default' ? 'snapshot' : `catalogCache ${catalogCache}`;
  const prefix =
    arg('db-prefix') ?? `glidepath_graph_bench_${process.pid}_${Date.now()}_`;
  const meta: GeneratedCatalog = JSON.parse(
    readFileSync(resolve(dir, 'catalog.json'), 'utf8'),
  );
  const catalogFile = resolve(dir, 'catalog.yaml');
  const backendDir = resolve(dir, 'backend');
  mkdirSync(backendDir, { recursive: true });
  const log = (line: string) => console.log(`[${meta.size}, ${mode}] ${line}`);
  let glidepathDb: Knex | undefined;
  const started = performance.now();
  const backend = await startBenchBackend({
    dir: backendDir,
    database: databaseKind as 'sqlite' | 'postgres',
    prefix,
    catalogFile,
    // Nothing but the graph reads the releases: no analysis, no reports, a
    // rare sync.
    glidepath: {
      ...(catalogCache === 'default'
        ? {}
        : { graph: { catalogCache: { milliseconds: Number(catalogCache) } } }),
      ...QUIET_GLIDEPATH,
    },
  });
  const { baseUrl } = backend;
  // run.mjs keeps the databases for the portal and drops them at the end.
  const dropDatabases = async () => {
    if (!process.argv.includes('--keep-databases')) {
      await backend.dropDatabases();
    }
  };
  const startMs = performance.now() - started;
  try {
    log(
      `backend started in ${(startMs / 1000).toFixed(
        1,
      )} s (${databaseKind}); loading ${
        meta.entities
      } entities from ${catalogFile}`,
    );
    const { headers } = backend;
    const getJson = async (path: string) => {
      const res = await fetch(`${baseUrl}${path}`, { headers });
      if (!res.ok) {
        throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      }
      return res.json();
    };

    // 1. The catalog: every generated entity stitched ...
    const kindsFilter = Object.keys(meta.kinds)
      .map(k => `filter=kind=${k.toLocaleLowerCase('en-US')}`)
      .join('&');
    let lastReport = 0;
    let loadedMs = NaN;
    for (;;) {
      const { totalItems } = await getJson(
        `/api/catalog/entities/by-query?limit=1&${kindsFilter}`,
      );
      const elapsed = performance.now() - started;
      if (totalItems >= meta.entities) {
        loadedMs = elapsed;
        break;
      }
      if (elapsed - lastReport > 15_000) {
        lastReport = elapsed;
        log(
          `  ${totalItems}/${meta.entities} entities after ${(
            elapsed / 1000
          ).toFixed(0)} s`,
        );
      }
      if (elapsed > 30 * 60_000) throw new Error('the catalog did not load');
      await new Promise(r => setTimeout(r, 1000));
    }
    // ... and every relation stitched into both ends: the whole graph has
    // all its edges and the large neighbourhood all its nodes.
    let relationsMs = NaN;
    for (;;) {
      const whole = await getJson('/api/glidepath/graph');
      const large = await getJson(
        `/api/glidepath/graph?entity=${encodeURIComponent(
          meta.large.root,
        )}&depth=${meta.large.depth}`,
      );
      const elapsed = performance.now() - started;
      if (
        whole.nodes.length === meta.nodes &&
        whole.edges.length === meta.edges &&
        large.nodes.length === meta.large.nodes
      ) {
        relationsMs = elapsed;
        break;
      }
      if (elapsed - lastReport > 15_000) {
        lastReport = elapsed;
        log(
          `  relations: ${whole.edges.length}/${
            meta.edges
          } edges, large neighbourhood ${large.nodes.length}/${
            meta.large.nodes
          } nodes after ${(elapsed / 1000).toFixed(0)} s`,
        );
      }
      if (elapsed > 30 * 60_000) throw new Error('relations did not settle');
      await new Promise(r => setTimeout(r, 2000));
    }
    log(
      `catalog loaded: all ${meta.entities} entities after ${(
        loadedMs / 1000
      ).toFixed(1)} s, all relations after ${(relationsMs / 1000).toFixed(
        1,
      )} s (from backend start)`,
    );

    // 2. The releases, straight into Glidepath's database.
    let written = meta.releases.length;
    if (!reuse) {
      glidepathDb = backend.glidepathDatabase();
      written = await writeReleases(glidepathDb, meta.releases);
      await glidepathDb.destroy();
      glidepathDb = undefined;
      log(`wrote ${written} releases to the glidepath database`);
    }
    // A release that changes, as a sync records it: its observed_at moves
    // (what the graph cache watches). Untimed, before a request.
    const touchRelease = async (i: number) => {
      glidepathDb ??= backend.glidepathDatabase();
      const ids = await glidepathDb('releases')
        .select('id')
        .orderBy('id')
        .offset(i % 1000)
        .limit(1);
      await glidepathDb('releases')
        .where('id', ids[0].id)
        .update({ observed_at: new Date(Date.now() + i) });
    };

    // 3. The measurements, one request at a time.
    type Expected = { nodes?: number; edges?: number };
    const request = async (
      path: string,
      expected: Expected,
      extraHeaders: Record<string, string> = {},
    ) => {
      const t0 = performance.now();
      const res = await fetch(`${baseUrl}${path}`, {
        headers: { ...headers, ...extraHeaders },
      });
      const text = await res.text();
      const totalMs = performance.now() - t0;
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${text}`);
      const body = JSON.parse(text);
      return {
        totalMs,
        ...parseServerTiming(res.headers.get('server-timing')),
        cached: (res.headers.get('server-timing') ?? '').includes(
          'cache;desc="hit"',
        ),
        bytes: text.length,
        encoding: res.headers.get('content-encoding') ?? 'identity',
        nodes: body.nodes.length,
        edges: body.edges.length,
        cycles: body.releaseOrder.cycles.length,
        expected: expected.nodes,
        expectedEdges: expected.edges,
      } as Sample;
    };
    const measure = async (
      name: string,
      next: (i: number) => {
        path: string;
        expected: Expected;
        headers?: Record<string, string>;
        /** Untimed, before the request. */
        before?: () => Promise<void>;
      },
    ) => {
      for (let i = 0; i < warmup; i++) {
        const { path, expected, headers: extra, before } = next(i);
        await before?.();
        await request(path, expected, extra);
      }
      const samples: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        const { path, expected, headers: extra, before } = next(warmup + i);
        await before?.();
        samples.push(await request(path, expected, extra));
      }
      return summarise(name, samples);
    };
    const entity = (ref: string, depth: number) =>
      `/api/glidepath/graph?entity=${encodeURIComponent(ref)}&depth=${depth}`;
    const cases: CaseResult[] = [];
    cases.push(
      await measure('whole catalog', () => ({
        path: '/api/glidepath/graph',
        expected: { nodes: meta.nodes, edges: meta.edges },
      })),
    );
    // The same when a release changed before each request: nothing can be
    // answered from the cache, the graph is built, serialised and
    // compressed every time.
    cases.push(
      await measure('whole catalog, a release changed before each', i => ({
        path: '/api/glidepath/graph',
        expected: { nodes: meta.nodes, edges: meta.edges },
        before: () => touchRelease(i),
      })),
    );
    // The same without gzip (the backend compresses what the client
    // accepts; fetch and browsers accept gzip): how much of the rest is
    // compression.
    cases.push(
      await measure('whole catalog, not compressed', () => ({
        path: '/api/glidepath/graph',
        expected: { nodes: meta.nodes, edges: meta.edges },
        headers: { 'Accept-Encoding': 'identity' },
      })),
    );
    cases.push(
      await measure(`entity, depth 2 (${runs + warmup} roots)`, i => {
        const r = meta.randomRoots[i % meta.randomRoots.length];
        return {
          path: entity(r.root, 2),
          expected: { nodes: r.nodes, edges: r.edges },
        };
      }),
    );
    cases.push(
      await measure(`entity ~1,000 (depth ${meta.large.depth})`, () => ({
        path: entity(meta.large.root, meta.large.depth),
        expected: { nodes: meta.large.nodes, edges: meta.large.edges },
      })),
    );
    cases.push(
      await measure(`system of ${meta.bigSystem.members}, depth 0`, () => ({
        path: `/api/glidepath/graph?system=${encodeURIComponent(
          meta.bigSystem.ref,
        )}&depth=0`,
        expected: { nodes: meta.bigSystem.members },
      })),
    );

    const result = {
      size: meta.size,
      mode,
      catalogCache,
      database: databaseKind,
      entities: meta.entities,
      backendStartMs: startMs,
      loadedMs,
      relationsMs,
      releases: written,
      runs,
      warmup,
      cases,
    };
    if (out) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await glidepathDb?.destroy().catch(() => {});
    await backend.stop().catch(error => console.error(error));
    await dropDatabases().catch(error => console.error(error));
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    error => {
      console.error(error);
      process.exit(1);
    },
  );
}
