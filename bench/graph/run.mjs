/*
 * The dependency-graph bench: generated catalogs of 500 and 5,000 graph
 * nodes in a real catalog backend; the graph API's latency and catalog
 * round trips; the time to a usable graph in Chromium; and catalog-graph's
 * time on the same root, in the same app, on the same catalog.
 *
 *   bash bench/graph.sh [--sizes 500,5000] [--runs 50] [--warmup 5]
 *     [--browser-runs 5] [--cg-runs 3] [--cg-timeout 180]
 *     [--browser-sizes 5000] [--skip-browser] [--skip-no-snapshot]
 *     [--database sqlite|postgres] [--seed glidepath] [--app built|dev]
 *     [--app-port 3100]
 *     [--backend-port 7107] [--tmp DIR] [--json out.json]
 *
 * Per size: generate.ts writes the catalog to a temp directory (on tmpfs
 * when there is one); api.ts starts the backend in its own process
 * (createBackend with the demo portal's features minus the sandbox), loads
 * the catalog, writes the releases and times the API, then once more with
 * the graph's catalog snapshot off, on the same databases. Then, for the browser sizes, the demo portal
 * (`yarn dev`, e2e/portal.mjs) starts on other ports than the browser
 * tests' over the same, already loaded databases, and playwright-core
 * drives Debian's Chromium. Every process and the temp directory are
 * cleaned up on exit, on failure and on Ctrl-C.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { resolve } from 'node:path';
import knexFactory from 'knex';
import { chromium } from 'playwright-core';
import { stringify } from 'yaml';
import {
  CHROMIUM_ARGS,
  findChromium,
  repoRoot,
  startPortal,
} from '../../e2e/portal.mjs';

// ---------------------------------------------------------------- options
function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const flag = name => process.argv.includes(`--${name}`);
const sizes = arg('sizes', '500,5000').split(',').map(Number);
const runs = Number(arg('runs', '50'));
const warmup = Number(arg('warmup', '5'));
const browserRuns = Number(arg('browser-runs', '5'));
const cgRuns = Number(arg('cg-runs', '3'));
const cgTimeoutMs = Number(arg('cg-timeout', '180')) * 1000;
const skipBrowser = flag('skip-browser');
const skipNoSnapshot = flag('skip-no-snapshot');
const browserSizes = arg('browser-sizes', String(Math.max(...sizes)))
  .split(',')
  .map(Number)
  .filter(s => sizes.includes(s));
const database = arg('database', 'sqlite');
const seed = arg('seed', 'glidepath');
// built: the production bundle served by the backend, as a deployed portal
// serves it; dev: the webpack dev server of `yarn dev` (unminified, slower
// to start).
const appMode = arg('app', 'built');
if (!['built', 'dev'].includes(appMode)) {
  throw new Error(`--app must be built or dev, not ${appMode}`);
}
const builtApp = appMode === 'built';
const appPort = Number(arg('app-port', '3100'));
const backendPort = Number(arg('backend-port', '7107'));
const jsonOut = arg('json');
const POSTGRES_URL =
  process.env.GLIDEPATH_TEST_POSTGRES_URL ??
  'postgresql://postgres@127.0.0.1:5432';
if (!['sqlite', 'postgres'].includes(database)) {
  throw new Error(`--database sqlite|postgres, not ${database}`);
}

/** The promise's value, or `TIMED_OUT` after `ms`. */
const TIMED_OUT = Symbol('timed out');
function timeout(promise, ms) {
  let timer;
  return Promise.race([
    Promise.resolve(promise),
    new Promise(r => {
      timer = setTimeout(() => r(TIMED_OUT), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- cleanup
// SQLite files on tmpfs when there is one: the catalog writes each entity in
// its own transaction, and on this machine's disk every fsync waits.
const tmpBase = arg('tmp') ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const tmp = mkdtempSync(resolve(tmpBase, 'glidepath-graph-bench-'));
const dbPrefix = `glidepath_graph_bench_${process.pid}_`;
const children = new Set();
let portal;
let portalStarting;
const portalAbort = new AbortController();
let browser;

async function dropDatabases() {
  if (database !== 'postgres') return;
  const admin = knexFactory({
    client: 'pg',
    connection: `${POSTGRES_URL}/postgres`,
  });
  try {
    const { rows } = await admin.raw(
      'select datname from pg_database where datname like ?',
      [`${dbPrefix}%`],
    );
    for (const { datname } of rows) {
      await admin.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await admin.destroy();
  }
}

async function cleanupOnce() {
  await timeout(browser?.close(), 15_000).catch(() => {});
  portalAbort.abort();
  await timeout(
    portalStarting?.catch(() => {}),
    20_000,
  );
  await timeout(portal?.stop(), 20_000).catch(() => {});
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  }
  if (children.size) await new Promise(r => setTimeout(r, 3000));
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  }
  await dropDatabases().catch(error =>
    console.error(`could not drop the bench databases: ${error.message}`),
  );
  rmSync(tmp, { recursive: true, force: true });
}
let cleaning;
const cleanup = () => (cleaning ??= cleanupOnce());
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    cleanup().finally(() => process.exit(130));
  });
}

/** Runs a TypeScript file of this folder in a child process. */
function runTs(script, args) {
  return new Promise((ok, fail) => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        '@backstage/cli-node/config/nodeTransform.cjs',
        resolve(repoRoot, 'bench/graph', script),
        ...args,
      ],
      { cwd: repoRoot, stdio: 'inherit', detached: true },
    );
    children.add(child);
    child.on('exit', code => {
      children.delete(child);
      if (code === 0) ok();
      else fail(new Error(`${script} ${args.join(' ')} exited with ${code}`));
    });
  });
}

// ---------------------------------------------------------------- printing
const ms = v =>
  Number.isFinite(v)
    ? v >= 1000
      ? `${(v / 1000).toFixed(2)} s`
      : `${v.toFixed(1)} ms`
    : 'n/a';
function table(headers, rows) {
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map(r => String(r[i]).length)),
  );
  const line = cells =>
    `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [
    line(headers),
    `| ${widths.map(w => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}
function quantile(sorted, q) {
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}
const sortNum = values => [...values].sort((a, b) => a - b);
const medianOf = values => {
  const finite = sortNum(values.filter(Number.isFinite));
  return finite.length ? quantile(finite, 0.5) : NaN;
};

/**
 * Median and max of runs' `total`, and the medians of its parts: start-up
 * (to the first data request), data (first request's start to the last
 * one's end) and drawing (from there to usable).
 */
function summariseRuns(results) {
  const done = results.filter(r => !r.timedOut);
  const totals = sortNum(done.map(r => r.total));
  const complete = done.length === results.length;
  return {
    runs: results.length,
    timedOut: results.length - done.length,
    medianMs: complete ? quantile(totals, 0.5) : Infinity,
    maxMs: complete ? totals[totals.length - 1] : Infinity,
    startupMs: medianOf(done.map(r => r.requestStart)),
    dataMs: medianOf(done.map(r => r.responseEnd - r.requestStart)),
    drawMs: medianOf(done.map(r => r.total - r.responseEnd)),
    nodesDrawn: [
      ...new Set(results.map(r => r.nodes).filter(n => n !== undefined)),
    ],
    times: results.map(r => (r.timedOut ? null : r.total)),
  };
}

// ---------------------------------------------------------------- browser
const CG_RELATIONS = [
  'dependsOn',
  'dependencyOf',
  'consumesApi',
  'apiConsumedBy',
  'providesApi',
  'apiProvidedBy',
];

function catalogGraphUrl(appUrl, root, maxDepth) {
  const params = new URLSearchParams();
  params.append('rootEntityRefs[]', root);
  params.set('maxDepth', String(maxDepth));
  for (const kind of ['component', 'resource', 'api']) {
    params.append('selectedKinds[]', kind);
  }
  for (const relation of CG_RELATIONS) {
    params.append('selectedRelations[]', relation);
  }
  return `${appUrl}/catalog-graph?${params}`;
}

/**
 * Installed in every page. Keeps every resource timing, and offers
 * __watchCatalogGraph(): notes each time the number of nodes catalog-graph
 * draws, or their layout (a sample of their transforms), changes. Starts it
 * on its own on a page loaded at /catalog-graph.
 */
function installWatchers() {
  performance.setResourceTimingBufferSize(100_000);
  window.__watchCatalogGraph = () => {
    clearInterval(window.__catalogGraphTimer);
    const state = {
      count: 0,
      signature: '',
      changedAt: performance.now(),
      changes: 0,
    };
    window.__catalogGraphWatch = state;
    window.__catalogGraphTimer = setInterval(() => {
      const nodes = document.querySelectorAll('svg g[data-testid="node"]');
      let signature = `${nodes.length}`;
      const step = Math.max(1, Math.floor(nodes.length / 25));
      for (let i = 0; i < nodes.length; i += step) {
        signature += `|${nodes[i].getAttribute('transform')}`;
      }
      if (signature !== state.signature) {
        state.signature = signature;
        state.count = nodes.length;
        state.changedAt = performance.now();
        state.changes++;
      }
    }, 100);
  };
  if (location.pathname.startsWith('/catalog-graph')) {
    window.__watchCatalogGraph();
  }
}

/**
 * In the page: waits until the Glidepath graph has `expected` nodes, then
 * two animation frames (painted); returns the times from `since` (a
 * performance.now() value; 0 = the navigation's start) of that, and of the
 * first graph request's start and the last one's end.
 */
function waitForGlidepathGraph({ expected, since }) {
  return new Promise((resolveWait, rejectWait) => {
    const check = () => {
      const svg = document.querySelector('[data-testid="glidepath-graph"]');
      if (
        svg?.getAttribute('data-node-count') === String(expected) &&
        svg.querySelectorAll('[data-testid="glidepath-graph-node"]').length ===
          expected
      ) {
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const painted = performance.now();
            const requests = performance
              .getEntriesByType('resource')
              .filter(
                e =>
                  e.name.includes('/api/glidepath/graph') &&
                  e.startTime >= since,
              );
            resolveWait({
              painted: painted - since,
              requestStart: requests.length
                ? requests[0].startTime - since
                : NaN,
              responseEnd: requests.length
                ? requests[requests.length - 1].responseEnd - since
                : NaN,
              requests: requests.length,
            });
          }),
        );
      } else if (performance.now() - since > 180_000) {
        rejectWait(new Error(`no graph of ${expected} nodes after 180 s`));
      } else setTimeout(check, 20);
    };
    check();
  });
}

/** In the page: a client-side navigation, as a link click does. */
function navigateInApp(path) {
  const since = performance.now();
  history.pushState({}, '', path);
  dispatchEvent(new PopStateEvent('popstate', { state: {} }));
  return since;
}

/** Waits for an in-app page to be up before the next run. */
async function neutralPage(page) {
  await page.evaluate(navigateInApp, '/settings');
  await page.getByText('Profile').first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(300);
}

/**
 * Glidepath's graph, either from a new navigation in a new tab (`page`
 * undefined; the time runs from page.goto, the app's start-up included) or
 * from a client-side navigation in an app already loaded. `before` runs
 * once the navigation started (the depth selection).
 */
async function timeGlidepath(context, view, page) {
  const own = !page;
  page = page ?? (await context.newPage());
  try {
    let since = 0;
    let wallStart = Date.now();
    if (own) {
      await page.goto(view.url, { waitUntil: 'commit' });
    } else {
      wallStart = Date.now();
      since = await page.evaluate(navigateInApp, view.path);
    }
    const waiting = (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await page.evaluate(waitForGlidepathGraph, {
            expected: view.nodes,
            since,
          });
        } catch (error) {
          // The document may still be replaced right after the commit.
          if (attempt > 20 || !/context|destroyed|navigat/i.test(error.message))
            throw error;
          await page.waitForTimeout(50);
        }
      }
    })();
    if (view.before) await view.before(page);
    const timing = await timeout(waiting, 200_000);
    if (timing === TIMED_OUT) {
      throw new Error(`no graph of ${view.nodes} nodes after 200 s`);
    }
    return { ms: Date.now() - wallStart, ...timing, page };
  } catch (error) {
    if (process.env.GRAPH_BENCH_SHOTS) {
      await page
        .screenshot({
          path: resolve(process.env.GRAPH_BENCH_SHOTS, 'failed.png'),
          fullPage: true,
        })
        .catch(() => {});
    }
    if (own) await page.close().catch(() => {});
    throw error;
  }
}

/** Zoom in clicks on a drawn graph: click to the second frame after. */
async function timeZoom(page, clicks) {
  const times = [];
  for (let i = 0; i < clicks; i++) {
    times.push(
      await page.evaluate(
        () =>
          new Promise(resolveZoom => {
            const button = document.querySelector(
              'button[aria-label="Zoom in"]',
            );
            const group = document.querySelector(
              '[data-testid="glidepath-graph"] > g',
            );
            const before = group.getAttribute('transform');
            const t0 = performance.now();
            button.click();
            requestAnimationFrame(() =>
              requestAnimationFrame(() => {
                if (group.getAttribute('transform') === before) {
                  resolveZoom(NaN);
                } else resolveZoom(performance.now() - t0);
              }),
            );
          }),
      ),
    );
    await page.waitForTimeout(200);
  }
  return times;
}

/**
 * catalog-graph, from a new navigation in a new tab or a client-side one in
 * `page`, until its drawn nodes stop changing (count and layout) for 2 s;
 * the time is that of the last change. Also the first entity request's
 * start and the last one's end.
 */
async function timeCatalogGraph(context, url, timeoutMs, page) {
  const own = !page;
  page = page ?? (await context.newPage());
  try {
    let since = 0;
    const wallStart = Date.now();
    if (own) {
      await page.goto(url, { waitUntil: 'commit' });
    } else {
      since = await page.evaluate(path => {
        window.__watchCatalogGraph();
        const t = performance.now();
        history.pushState({}, '', path);
        dispatchEvent(new PopStateEvent('popstate', { state: {} }));
        return t;
      }, url.slice(url.indexOf('/catalog-graph')));
    }
    let last;
    for (;;) {
      await page.waitForTimeout(500);
      // The page's main thread may be busy for minutes (layout): never
      // wait on it past the deadline.
      const left = Math.max(1000, timeoutMs - (Date.now() - wallStart));
      const answer = await timeout(
        page
          .evaluate(from => {
            const watch = window.__catalogGraphWatch;
            if (!watch) return null;
            const requests = performance
              .getEntriesByType('resource')
              .filter(
                e =>
                  e.name.includes('/api/catalog/entities/by-refs') &&
                  e.startTime >= from,
              );
            return {
              count: watch.count,
              changedAt: watch.changedAt - from,
              sinceChange: performance.now() - watch.changedAt,
              requests: requests.length,
              requestStart: requests.length
                ? requests[0].startTime - from
                : NaN,
              responseEnd: requests.length
                ? Math.max(...requests.map(e => e.responseEnd)) - from
                : NaN,
            };
          }, since)
          .catch(() => null),
        left,
      );
      const state = answer === TIMED_OUT ? null : answer;
      if (state) last = state;
      if (state && state.count > 0 && state.sinceChange >= 2000) {
        return {
          ms: state.changedAt,
          nodes: state.count,
          timedOut: false,
          ...state,
        };
      }
      if (Date.now() - wallStart > timeoutMs) {
        return { ms: NaN, nodes: last?.count ?? 0, timedOut: true };
      }
    }
  } finally {
    if (own) {
      await timeout(
        page.close({ runBeforeUnload: false }).catch(() => {}),
        15_000,
      );
    }
  }
}

async function waitForGraph(backendUrl, token, meta, timeoutMs) {
  const headers = { Authorization: `Bearer ${token}` };
  const started = Date.now();
  let last = '';
  for (;;) {
    try {
      const whole = await (
        await fetch(`${backendUrl}/api/glidepath/graph`, { headers })
      ).json();
      const large = await (
        await fetch(
          `${backendUrl}/api/glidepath/graph?entity=${encodeURIComponent(
            meta.large.root,
          )}&depth=${meta.large.depth}`,
          { headers },
        )
      ).json();
      last = `${whole.nodes?.length}/${meta.nodes} nodes, ${whole.edges?.length}/${meta.edges} edges, neighbourhood ${large.nodes?.length}/${meta.large.nodes}`;
      if (
        whole.nodes?.length === meta.nodes &&
        whole.edges?.length === meta.edges &&
        large.nodes?.length === meta.large.nodes
      ) {
        return Date.now() - started;
      }
    } catch (error) {
      last = error.message;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`the portal's catalog is not complete: ${last}`);
    }
    await new Promise(r => setTimeout(r, 2000));
  }
}

async function browserBench(meta, dir) {
  const log = line => console.log(`[browser ${meta.size}] ${line}`);
  const token = randomBytes(24).toString('hex');
  const portalDir = resolve(dir, 'portal');
  mkdirSync(portalDir, { recursive: true });
  const kinds = [
    'Component',
    'System',
    'API',
    'Resource',
    'Location',
    'Domain',
    'Group',
    'User',
  ];
  // The databases api.ts loaded: the catalog is there already.
  const config = {
    app: {
      baseUrl: `http://localhost:${builtApp ? backendPort : appPort}`,
    },
    backend: {
      baseUrl: `http://localhost:${backendPort}`,
      listen: { port: backendPort },
      cors: { origin: `http://localhost:${builtApp ? backendPort : appPort}` },
      database:
        database === 'postgres'
          ? {
              client: 'pg',
              connection: POSTGRES_URL,
              prefix: `${dbPrefix}${meta.size}_`,
            }
          : {
              client: 'better-sqlite3',
              connection: { directory: resolve(dir, 'backend', 'sqlite') },
            },
      auth: {
        externalAccess: [
          { type: 'static', options: { token, subject: 'bench' } },
        ],
      },
    },
    catalog: {
      rules: [{ allow: kinds }],
      locations: [{ type: 'file', target: resolve(dir, 'catalog.yaml') }],
      processingInterval: { minutes: 30 },
    },
    // Nothing else at work while the graph is timed.
    glidepath: {
      analysis: { enabled: false },
      dora: { weeklyReport: { enabled: false } },
    },
  };
  const configPath = resolve(portalDir, 'app-config.graph-bench.yaml');
  writeFileSync(configPath, stringify(config));
  const portalStarted = Date.now();
  portalStarting = startPortal({
    configs: [configPath],
    appPort,
    backendPort,
    logFile: resolve(portalDir, 'portal.log'),
    label: 'bench',
    signal: portalAbort.signal,
    builtApp,
  });
  portal = await portalStarting;
  const portalUpMs = Date.now() - portalStarted;
  const { appUrl, backendUrl } = portal;
  const readyMs = await waitForGraph(backendUrl, token, meta, 10 * 60_000);
  log(
    `portal up in ${(portalUpMs / 1000).toFixed(
      1,
    )} s, its graph API complete ${(readyMs / 1000).toFixed(1)} s later`,
  );

  browser = await chromium.launch({
    executablePath: findChromium(),
    // This script closes the browser on a signal, after which it cleans up.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  await context.addInitScript(installWatchers);
  const signIn = await context.newPage();
  signIn.setDefaultTimeout(120_000);
  await signIn.goto(appUrl);
  await signIn.getByText('Glidepath demo portal').first().waitFor();
  await signIn.getByRole('button', { name: 'Enter' }).click();
  await signIn
    .getByRole('link', { name: /catalog/i })
    .first()
    .waitFor();
  await signIn.close();

  const root = meta.large.root;
  const rootName = root.split('/')[1];
  // The tab opens at depth 2; another depth is chosen once it shows, as a
  // person would, and that is part of the time.
  const selectDepth =
    meta.large.depth === 2
      ? undefined
      : async page => {
          await page
            .getByTestId('glidepath-graph')
            .waitFor({ timeout: 120_000 });
          await page.getByRole('button', { name: /Depth/ }).click();
          await page
            .getByRole('option', {
              name: `${meta.large.depth} hops`,
              exact: true,
            })
            .click();
        };
  const views = [
    {
      name: `system of ${meta.bigSystem.members}: Dependencies page, depth 0`,
      path: `/glidepath/dependencies?system=${encodeURIComponent(
        meta.bigSystem.ref,
      )}&depth=0&view=graph`,
      nodes: meta.bigSystem.members,
    },
    {
      name: `${rootName}'s Dependencies tab, depth ${meta.large.depth}${
        selectDepth ? ' (selected in the run)' : ''
      }`,
      path: `/catalog/default/component/${rootName}/dependencies`,
      nodes: meta.large.nodes,
      before: selectDepth,
      zoom: true,
    },
    {
      name: `whole catalog: Dependencies page`,
      path: `/glidepath/dependencies?view=graph`,
      nodes: meta.nodes,
    },
  ].map(v => ({ ...v, url: `${appUrl}${v.path}` }));

  // One untimed visit of each page: the dev server builds chunks on first
  // use (and with the built app, the browser's cache is warm as for a
  // returning user).
  log('warming up (untimed visits)');
  for (const view of views) {
    const { page } = await timeGlidepath(context, view);
    await page.close();
  }
  const small = meta.randomRoots.find(r => r.nodes < 50) ?? meta.randomRoots[0];
  await timeCatalogGraph(
    context,
    catalogGraphUrl(appUrl, small.root, 1),
    60_000,
  );
  const inApp = await context.newPage();
  inApp.setDefaultTimeout(120_000);
  await inApp.goto(`${appUrl}/settings`);
  await inApp.getByText('Profile').first().waitFor();

  const glidepath = [];
  for (const view of views) {
    const reload = [];
    const zooms = [];
    for (let i = 0; i < browserRuns; i++) {
      const r = await timeGlidepath(context, view);
      reload.push({ ...r, total: r.ms, page: undefined });
      if (view.zoom) zooms.push(...(await timeZoom(r.page, 3)));
      await r.page.close();
    }
    const client = [];
    for (let i = 0; i < browserRuns; i++) {
      await neutralPage(inApp);
      const r = await timeGlidepath(context, view, inApp);
      client.push({ ...r, total: r.painted, page: undefined });
    }
    const entry = {
      name: view.name,
      nodes: view.nodes,
      path: view.path,
      reload: summariseRuns(reload),
      inApp: summariseRuns(client),
    };
    if (view.zoom) {
      const z = sortNum(zooms.filter(Number.isFinite));
      entry.zoom = {
        clicks: zooms.length,
        painted: z.length,
        medianMs: quantile(z, 0.5),
        maxMs: z[z.length - 1],
        times: zooms,
      };
    }
    glidepath.push(entry);
    log(
      `${view.name}: new navigation median ${ms(
        entry.reload.medianMs,
      )}, in-app median ${ms(entry.inApp.medianMs)}`,
    );
  }

  // catalog-graph: the depth whose size is closest to Glidepath's
  // neighbourhood, and the hop-for-hop equivalent (API entities are hops of
  // their own: twice the depth), from a new navigation; the first also
  // in-app.
  const cgCases = [meta.catalogGraphSameSize, meta.catalogGraph].filter(
    (c, i, all) => all.findIndex(o => o.maxDepth === c.maxDepth) === i,
  );
  const catalogGraph = [];
  for (const [index, expectation] of cgCases.entries()) {
    const url = catalogGraphUrl(appUrl, root, expectation.maxDepth);
    const entry = {
      maxDepth: expectation.maxDepth,
      expected: expectation,
      url,
    };
    for (const mode of index === 0 ? ['reload', 'inApp'] : ['reload']) {
      const results = [];
      for (let i = 0; i < cgRuns; i++) {
        if (mode === 'inApp') await neutralPage(inApp);
        const r = await timeCatalogGraph(
          context,
          url,
          cgTimeoutMs,
          mode === 'inApp' ? inApp : undefined,
        );
        results.push({ ...r, total: r.ms });
        log(
          `catalog-graph maxDepth ${expectation.maxDepth}, ${
            mode === 'inApp' ? 'in-app' : 'new navigation'
          }, run ${i + 1}: ${
            r.timedOut ? `>${cgTimeoutMs / 1000} s` : ms(r.ms)
          }, ${r.nodes} nodes drawn (its data: ${expectation.total})`,
        );
        // One run past the timeout is enough to know.
        if (r.timedOut) break;
      }
      entry[mode] = summariseRuns(results);
      if (entry[mode].timedOut) break;
    }
    catalogGraph.push(entry);
  }
  await inApp.close();
  await browser.close();
  browser = undefined;
  await portal.stop();
  portal = undefined;
  return { portalUpMs, glidepath, catalogGraph };
}

// ---------------------------------------------------------------- main
async function main() {
  const startedAt = new Date();
  const t0 = Date.now();
  console.log(
    `Dependency graph bench: sizes ${sizes.join(
      ', ',
    )}, seed ${seed}, ${database}, ${cpus().length} cores, Node ${
      process.version
    }; temp ${tmp}`,
  );
  // What was measured: the commit, and whether the product's folders had
  // changes on top of it.
  const git = args =>
    spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).stdout.trim();
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--', 'plugins', 'packages']);
  console.log(
    `product: commit ${commit}${
      dirty
        ? ` with uncommitted changes in ${
            dirty.split('\n').length
          } files of plugins/ and packages/`
        : ''
    }`,
  );
  const results = {
    commit,
    uncommittedProductChanges: dirty ? dirty.split('\n') : [],
    startedAt: startedAt.toISOString(),
    seed,
    database,
    sizes: {},
  };
  for (const size of sizes) {
    const dir = resolve(tmp, String(size));
    await runTs('generate.ts', [
      '--size',
      String(size),
      '--seed',
      seed,
      '--out',
      dir,
    ]);
    const meta = JSON.parse(readFileSync(resolve(dir, 'catalog.json'), 'utf8'));
    // With the graph's shared catalog snapshot (the default), then with it
    // off (every request reads the catalog as its caller, as for callers
    // with conditional read access) on the same databases.
    const api = {};
    for (const mode of skipNoSnapshot
      ? ['snapshot']
      : ['snapshot', 'noSnapshot']) {
      const apiOut = resolve(dir, `api-${mode}.json`);
      await runTs('api.ts', [
        '--catalog',
        dir,
        '--database',
        database,
        '--runs',
        String(runs),
        '--warmup',
        String(warmup),
        '--out',
        apiOut,
        '--db-prefix',
        `${dbPrefix}${size}_`,
        '--keep-databases',
        ...(mode === 'snapshot' ? [] : ['--catalog-cache', '0', '--reuse']),
      ]);
      api[mode] = JSON.parse(readFileSync(apiOut, 'utf8'));
    }
    const { releases, randomRoots, ...catalog } = meta;
    results.sizes[size] = {
      catalog: {
        ...catalog,
        randomRootNodes: randomRoots.map(r => r.nodes),
        releases: releases.length,
      },
      api,
    };
    printApi(meta, api);
    if (!skipBrowser && browserSizes.includes(size)) {
      results.sizes[size].browser = await browserBench(meta, dir);
      printBrowser(meta, results.sizes[size].browser);
    }
  }
  results.totalSeconds = (Date.now() - t0) / 1000;
  results.targets = targets(results);
  console.log('\nTargets:');
  for (const t of results.targets) {
    console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.detail}`);
  }
  console.log(`\nwhole bench: ${(results.totalSeconds / 60).toFixed(1)} min`);
  if (jsonOut) {
    writeFileSync(jsonOut, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`figures written to ${jsonOut}`);
  }
}

const callsText = c =>
  Object.entries(c.catalogCallCounts ?? {})
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([calls, n]) => (n === c.requests ? calls : `${calls} (x${n})`))
    .join(', ');

function printApi(meta, byMode) {
  const first = byMode.snapshot;
  console.log(
    `\nGraph API, catalog of ${meta.size} nodes (${meta.entities} entities, ${
      first.database
    }): all entities in the catalog ${(first.loadedMs / 1000).toFixed(
      1,
    )} s after the backend started, the complete graph (every relation) from the API after ${(
      first.relationsMs / 1000
    ).toFixed(1)} s; ${first.runs} sequential requests after ${
      first.warmup
    } warm-ups each`,
  );
  for (const [mode, api] of Object.entries(byMode)) {
    console.log(
      `\n${
        mode === 'snapshot'
          ? 'With the shared catalog snapshot (default glidepath.graph.catalogCache, 30 s): the bench token may read every entity'
          : 'Snapshot off (glidepath.graph.catalogCache: 0): every request reads the catalog as its caller, as for callers with conditional read access'
      }\n`,
    );
    console.log(
      table(
        [
          'request',
          'nodes',
          'edges',
          'catalog calls',
          'from cache',
          'median',
          'p95',
          'max',
          'at the median: catalog / store / build / rest',
          'response (JSON), encoding',
        ],
        api.cases.map(c => [
          c.name,
          c.nodes.min === c.nodes.max
            ? c.nodes.median
            : `${c.nodes.min}-${c.nodes.max} (med ${c.nodes.median})`,
          c.edges.min === c.edges.max
            ? c.edges.median
            : `${c.edges.min}-${c.edges.max}`,
          callsText(c),
          `${c.cachedRequests ?? 0}/${c.requests}`,
          ms(c.medianMs),
          ms(c.p95Ms),
          ms(c.maxMs),
          `${c.catalogMs.toFixed(0)} / ${c.storeMs.toFixed(
            0,
          )} / ${c.buildMs.toFixed(0)} / ${c.otherMs.toFixed(0)} ms`,
          `${Math.round(c.responseKiB)} KiB${
            c.encodings?.length ? `, ${c.encodings.join('/')}` : ''
          }`,
        ]),
      ),
    );
    for (const c of api.cases.filter(x => x.mismatches)) {
      console.log(
        `WARNING: ${c.name}: ${c.mismatches} of ${c.requests} responses with another node count than the generated catalog has`,
      );
    }
    for (const c of api.cases.filter(x => x.edgeMismatches)) {
      console.log(
        `WARNING: ${c.name}: ${c.edgeMismatches} of ${c.requests} responses with another edge count than the generated catalog has (${c.edgesShort} edges missing in all)`,
      );
    }
  }
}

const medMax = r =>
  r.timedOut
    ? `>${cgTimeoutMs / 1000} s (${r.runs} run)`
    : `${ms(r.medianMs)} / ${ms(r.maxMs)}`;
const parts = (r, startup = true) =>
  r.timedOut
    ? 'n/a'
    : `${startup ? `${ms(r.startupMs)} / ` : ''}${ms(r.dataMs)} / ${ms(
        r.drawMs,
      )}`;
const ratio = (cg, ours) =>
  cg.timedOut ? cgTimeoutMs / ours.medianMs : cg.medianMs / ours.medianMs;
const ratioText = (cg, ours) =>
  `${cg.timedOut ? '>' : ''}${ratio(cg, ours).toFixed(1)}x`;

function printBrowser(meta, b) {
  console.log(
    `\nChromium (headless, 1440x900) on the demo portal (${
      builtApp
        ? 'the production app bundle served by the backend'
        : 'yarn dev: the app dev server'
    }, backend with the catalog loaded), catalog of ${
      meta.size
    } nodes; the portal came up in ${(b.portalUpMs / 1000).toFixed(
      1,
    )} s. Time to the graph drawn with all its nodes and painted (two frames), from a new navigation in a new tab (the app's start-up included) and from an in-app navigation (as a link does, the app loaded); ${browserRuns} runs each, median / max; start-up = to the graph request, data = the request, drawing = from its response to painted (medians)\n`,
  );
  console.log(
    table(
      [
        'view',
        'nodes',
        'new navigation',
        'start-up / data / drawing',
        'in-app',
        'data / drawing',
      ],
      b.glidepath.map(v => [
        v.name,
        v.nodes,
        medMax(v.reload),
        parts(v.reload),
        medMax(v.inApp),
        parts(v.inApp, false),
      ]),
    ),
  );
  const ours = b.glidepath.find(v => v.zoom);
  if (ours.zoom) {
    console.log(
      `\nZoom in on the ${
        ours.nodes
      }-node graph (click to the second frame after): median ${ms(
        ours.zoom.medianMs,
      )}, max ${ms(ours.zoom.maxMs)} over ${ours.zoom.clicks} clicks${
        ours.zoom.painted < ours.zoom.clicks
          ? ` (${ours.zoom.clicks - ours.zoom.painted} not painted)`
          : ''
      }`,
    );
  }
  console.log(
    `\ncatalog-graph's page in the same app on the same catalog, root ${
      meta.large.root
    }, kinds component/resource/api, relations ${CG_RELATIONS.join(
      '/',
    )}: until its drawn nodes stop changing (count and layout) for 2 s; data = its entity requests (one per hop)\n`,
  );
  console.log(
    table(
      [
        'maxDepth',
        'entities its data implies',
        'drawn',
        'new navigation',
        'start-up / data / drawing',
        'in-app',
        'data / drawing',
        'vs Glidepath (new nav. / in-app)',
      ],
      b.catalogGraph.map(c => [
        c.maxDepth,
        `${c.expected.total} (${c.expected.components} comp., ${c.expected.resources} res., ${c.expected.apis} APIs)`,
        c.reload.nodesDrawn.join(', '),
        medMax(c.reload),
        parts(c.reload),
        c.inApp ? medMax(c.inApp) : 'not run',
        c.inApp ? parts(c.inApp, false) : '',
        `${ratioText(c.reload, ours.reload)} / ${
          c.inApp ? ratioText(c.inApp, ours.inApp) : '-'
        }`,
      ]),
    ),
  );
}

function targets(results) {
  const out = [];
  const biggest = Math.max(...sizes);
  const wholeOf = (size, mode) => results.sizes[size].api[mode]?.cases[0];
  const whole = wholeOf(biggest, 'snapshot');
  // Constant: the most catalog calls a whole-catalog request made is the
  // same at every size.
  const most = mode =>
    Object.keys(results.sizes).map(size =>
      Math.max(...wholeOf(size, mode).catalogCalls),
    );
  const constant = new Set(most('snapshot')).size === 1;
  const describeWhole = (c, mode) =>
    `p95 ${ms(c.p95Ms)} (median ${ms(
      c.medianMs,
    )}; at the median: catalog ${c.catalogMs.toFixed(
      0,
    )} ms, store ${c.storeMs.toFixed(0)} ms, build ${c.buildMs.toFixed(
      0,
    )} ms, rest ${c.otherMs.toFixed(
      0,
    )} ms); catalog calls per request: ${Object.keys(results.sizes)
      .map(size => `${callsText(wholeOf(size, mode))} at ${size}`)
      .join(', ')}`;
  out.push({
    name: `whole ${biggest.toLocaleString(
      'en-US',
    )}-node graph from the API in under 200 ms at p95 with a constant number of catalog calls`,
    pass: whole.p95Ms < 200 && constant,
    detail: describeWhole(whole, 'snapshot'),
  });
  const changed = results.sizes[biggest].api.snapshot?.cases.find(c =>
    c.name.startsWith('whole catalog, a release changed'),
  );
  if (changed) {
    out.push({
      name: `the same when a release changed before each request (no answer from the cache: built, serialised and compressed every time)`,
      pass: changed.p95Ms < 200,
      detail: describeWhole(changed, 'snapshot').replace(
        /; catalog calls per request.*$/,
        '',
      ),
    });
  }
  const off = wholeOf(biggest, 'noSnapshot');
  if (off) {
    out.push({
      name: `the same with the snapshot off (callers with conditional read access)`,
      pass: off.p95Ms < 200 && new Set(most('noSnapshot')).size === 1,
      detail: describeWhole(off, 'noSnapshot'),
    });
  }
  const b = results.sizes[biggest].browser;
  if (!b) return out;
  const ours = b.glidepath.find(v => v.zoom);
  for (const mode of ['reload', 'inApp']) {
    const label =
      mode === 'reload'
        ? 'new navigation, app start-up included'
        : 'in-app navigation';
    out.push({
      name: `${ours.nodes} nodes usable in under 1.5 s (${label})`,
      pass: ours[mode].medianMs < 1500,
      detail: `median ${ms(ours[mode].medianMs)}, max ${ms(
        ours[mode].maxMs,
      )} over ${ours[mode].runs} runs`,
    });
  }
  for (const c of b.catalogGraph) {
    for (const mode of ['reload', 'inApp']) {
      if (!c[mode]) continue;
      const label = mode === 'reload' ? 'new navigation' : 'in-app';
      out.push({
        name: `at least 5 times faster than catalog-graph at maxDepth ${c.maxDepth} (${c.expected.total} entities; ${label})`,
        pass: ratio(c[mode], ours[mode]) >= 5,
        detail: `catalog-graph ${
          c[mode].timedOut ? `>${cgTimeoutMs / 1000} s` : ms(c[mode].medianMs)
        } / Glidepath ${ms(ours[mode].medianMs)} = ${ratioText(
          c[mode],
          ours[mode],
        )}`,
      });
    }
  }
  return out;
}

try {
  await main();
} catch (error) {
  console.error(error?.stack ?? error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);
