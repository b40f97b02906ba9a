/**
 * A real Prometheus for tests: instrumented HTTP services, generated load,
 * and a Prometheus server process that scrapes them.
 *
 * ```ts
 * describeWithPrometheus('my test', () => {
 *   let stable: InstrumentedService, canary: InstrumentedService;
 *   let load: Load, prometheus: RunningPrometheus;
 *   beforeAll(async () => {
 *     stable = await startInstrumentedService({ version: '1.0.0' });
 *     canary = await startInstrumentedService({ version: '1.1.0', errorRate: 0.2 });
 *     load = startLoad({ urls: [stable.url, canary.url], rps: 40 });
 *     prometheus = await startPrometheus({ targets: [stable.url, canary.url] });
 *     await prometheus.waitForScrapes(3);
 *   });
 *   afterAll(async () => {
 *     await load?.stop();
 *     await prometheus?.stop();
 *     await Promise.all([stable?.stop(), canary?.stop()]);
 *   });
 *   // query with a selector such as job="glidepath-test" (TEST_JOB)
 * });
 * ```
 *
 * Every series carries `job="glidepath-test"`, `instance="127.0.0.1:<port>"`
 * and the service's own `version` label. Nothing here is global: each
 * service has its own prom-client Registry, and every process started is
 * killed by `stop()` (and, as a last resort, when the test process exits).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Counter, Histogram, Registry } from 'prom-client';

/** Where the tests expect Prometheus (Debian's `prometheus` package). */
export const PROMETHEUS_BIN = '/usr/bin/prometheus';
/** The `job` label of every scraped series. */
export const TEST_JOB = 'glidepath-test';
/** The buckets of `http_request_duration_seconds`, in seconds. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const REQUIRED = process.env.GLIDEPATH_REQUIRE_PROMETHEUS === '1';
const MISSING = `${PROMETHEUS_BIN} is missing: run scripts/ensure-prometheus.sh (it installs Debian's prometheus package)`;

/**
 * `describe` when `/usr/bin/prometheus` exists; without it `describe.skip`,
 * after a console message. With `GLIDEPATH_REQUIRE_PROMETHEUS=1` (CI) it is
 * always `describe`, so that the suite fails: `startPrometheus` then throws,
 * saying how to install Prometheus.
 */
export const describeWithPrometheus: jest.Describe = (() => {
  if (existsSync(PROMETHEUS_BIN) || REQUIRED) return describe;
  // eslint-disable-next-line no-console
  console.warn(`Skipping the tests that need Prometheus: ${MISSING}`);
  return describe.skip;
})();

/** How an instrumented service misbehaves. */
export type Fault = {
  /** The share of requests answered 500, 0 to 1 (spread evenly). */
  errorRate: number;
  /** Added to every request's handling time. */
  addedLatencyMs: number;
};

/** A running instrumented service. */
export interface InstrumentedService {
  readonly version: string;
  /** `http://127.0.0.1:<port>`; any path but `/metrics` is a request. */
  readonly url: string;
  /** Changes how the service behaves from now on. */
  setFault(fault: Partial<Fault>): void;
  /**
   * What the service answered in `[from, to)` (default: ever), by the time
   * each response was counted, across restarts.
   */
  served(from?: Date, to?: Date): { requests: number; errors: number };
  /**
   * Stops and starts the service on the same port with new, zeroed
   * counters, as a process restart would (a counter reset).
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise(resolve => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Starts an HTTP service on 127.0.0.1 instrumented with prom-client:
 * `http_requests_total{version,code}` and
 * `http_request_duration_seconds{version}` (buckets {@link LATENCY_BUCKETS}),
 * exposed on `/metrics`. Other paths answer 200 or 500 after the fault's
 * added latency.
 */
export async function startInstrumentedService(
  options: { version: string; port?: number } & Partial<Fault>,
): Promise<InstrumentedService> {
  const { version } = options;
  const fault: Fault = {
    errorRate: options.errorRate ?? 0,
    addedLatencyMs: options.addedLatencyMs ?? 0,
  };
  const log: Array<{ at: number; error: boolean }> = [];
  const pending = new Set<NodeJS.Timeout>();
  let errorDebt = 0;

  const instrument = () => {
    const registry = new Registry();
    return {
      registry,
      requests: new Counter({
        name: 'http_requests_total',
        help: 'Requests served, by version and status code.',
        labelNames: ['version', 'code'],
        registers: [registry],
      }),
      duration: new Histogram({
        name: 'http_request_duration_seconds',
        help: 'Request handling time in seconds, by version.',
        labelNames: ['version'],
        buckets: LATENCY_BUCKETS,
        registers: [registry],
      }),
    };
  };

  const createServer = () => {
    const metrics = instrument();
    return http.createServer((req, res) => {
      if (req.url === '/metrics') {
        metrics.registry.metrics().then(
          text => {
            res.setHeader('Content-Type', metrics.registry.contentType);
            res.end(text);
          },
          error => {
            res.statusCode = 500;
            res.end(String(error));
          },
        );
        return;
      }
      const started = performance.now();
      errorDebt += fault.errorRate;
      const error = errorDebt >= 1;
      if (error) errorDebt -= 1;
      let timer: NodeJS.Timeout | undefined = undefined;
      const answer = () => {
        pending.delete(timer!);
        const code = error ? 500 : 200;
        metrics.requests.inc({ version, code: String(code) });
        metrics.duration.observe(
          { version },
          (performance.now() - started) / 1000,
        );
        log.push({ at: Date.now(), error });
        res.statusCode = code;
        res.end(error ? 'injected fault' : 'ok');
      };
      timer = setTimeout(answer, fault.addedLatencyMs);
      pending.add(timer);
    });
  };

  let server = createServer();
  const port = await listen(server, options.port ?? 0);

  const shutdown = async () => {
    for (const timer of pending) clearTimeout(timer);
    pending.clear();
    await close(server);
  };

  return {
    version,
    url: `http://127.0.0.1:${port}`,
    setFault(change) {
      Object.assign(fault, change);
    },
    served(from, to) {
      const start = from?.getTime() ?? -Infinity;
      const end = to?.getTime() ?? Infinity;
      let requests = 0;
      let errors = 0;
      for (const entry of log) {
        if (entry.at >= start && entry.at < end) {
          requests++;
          if (entry.error) errors++;
        }
      }
      return { requests, errors };
    },
    async restart() {
      await shutdown();
      server = createServer();
      await listen(server, port);
    },
    stop: shutdown,
  };
}

/** Generated load. */
export interface Load {
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

/**
 * Sends real HTTP GET requests to every URL at `rps` requests per second
 * each, evenly over time, until stopped. Failed requests (a stopped service)
 * are ignored.
 */
export function startLoad(options: { urls: string[]; rps: number }): Load {
  const { urls, rps } = options;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const inFlight = new Set<Promise<void>>();
  const started = Date.now();
  let sent = 0;

  const send = (url: string) => {
    const request = new Promise<void>(resolve => {
      const req = http.get(url, { agent, timeout: 10_000 }, res => {
        res.resume();
        res.on('end', resolve);
        res.on('error', () => resolve());
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve());
    });
    inFlight.add(request);
    request.finally(() => inFlight.delete(request));
  };

  const tick = () => {
    const due = Math.floor(((Date.now() - started) / 1000) * rps);
    for (; sent < due; sent++) urls.forEach(send);
  };
  const interval = setInterval(tick, 10);

  return {
    async stop() {
      clearInterval(interval);
      await Promise.all(inFlight);
      agent.destroy();
    },
  };
}

/** A running Prometheus server. */
export interface RunningPrometheus {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** An instant query (at `time`, default now): the vector's samples. */
  query(
    promql: string,
    time?: Date,
  ): Promise<Array<{ labels: Record<string, string>; value: number }>>;
  /**
   * Waits (up to `timeoutMs`, default 30 s) until every target has been
   * scraped successfully at least `count` times.
   */
  waitForScrapes(count: number, timeoutMs?: number): Promise<void>;
  /**
   * Stops the server (if it runs) and starts it again on the same port with
   * the same data directory.
   */
  restart(): Promise<void>;
  /**
   * Stops the server and deletes its data directory, unless `keepData`
   * (to `restart()` it later). Safe to call more than once.
   */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

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

function hostPort(target: string): string {
  return target.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

/** Kills a child: SIGTERM, then SIGKILL after `graceMs`. */
async function kill(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts `/usr/bin/prometheus` on a free port of 127.0.0.1, with its data in
 * a new temporary directory, scraping every target (`http://host:port` or
 * `host:port`, path `/metrics`) every `scrapeInterval` (default `1s`) as job
 * {@link TEST_JOB}. Resolves once `/-/ready` answers.
 */
export async function startPrometheus(options: {
  targets: string[];
  scrapeInterval?: string;
}): Promise<RunningPrometheus> {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error(
      REQUIRED ? `GLIDEPATH_REQUIRE_PROMETHEUS=1 but ${MISSING}` : MISSING,
    );
  }
  const interval = options.scrapeInterval ?? '1s';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glidepath-prometheus-'));
  const configFile = path.join(dir, 'prometheus.yml');
  const dataDir = path.join(dir, 'data');
  const targets = options.targets.map(hostPort);
  await writeFile(
    configFile,
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  scrape_timeout: ${interval}`,
      `  evaluation_interval: ${interval}`,
      'scrape_configs:',
      `  - job_name: ${TEST_JOB}`,
      '    static_configs:',
      `      - targets: ${JSON.stringify(targets)}`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');

  const start = async () => {
    const stderr: string[] = [];
    const proc = spawn(
      PROMETHEUS_BIN,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child = proc;
    process.once('exit', killOnExit);
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (chunk: string) => {
      stderr.push(chunk);
      if (stderr.length > 50) stderr.shift();
    });
    proc.once('exit', () => process.off('exit', killOnExit));

    const failure = (problem: string) =>
      new Error(
        `Prometheus (${PROMETHEUS_BIN}) ${problem}; its log:\n${stderr
          .join('')
          .slice(-4000)}`,
      );
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw failure(`exited (${proc.exitCode ?? proc.signalCode})`);
      }
      try {
        const res = await fetch(`${url}/-/ready`);
        await res.text();
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await kill(proc);
        throw failure('was not ready within 30 s');
      }
      await sleep(100);
    }
  };

  const stopProcess = async () => {
    if (child) await kill(child);
  };

  const query: RunningPrometheus['query'] = async (promql, time) => {
    const res = await fetch(`${url}/api/v1/query`, {
      method: 'POST',
      body: new URLSearchParams({
        query: promql,
        time: ((time?.getTime() ?? Date.now()) / 1000).toFixed(3),
      }),
    });
    const json = (await res.json()) as {
      status: string;
      error?: string;
      data?: {
        result: Array<{
          metric: Record<string, string>;
          value: [number, string];
        }>;
      };
    };
    if (json.status !== 'success' || !json.data) {
      throw new Error(`Prometheus query ${promql} failed: ${json.error}`);
    }
    return json.data.result.map(r => ({
      labels: r.metric,
      value: Number(r.value[1]),
    }));
  };

  try {
    await start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    query,
    async waitForScrapes(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const promql = `sum_over_time(up{job="${TEST_JOB}"}[1h])`;
      for (;;) {
        const scrapes = await query(promql).catch(() => []);
        if (
          scrapes.length === targets.length &&
          scrapes.every(s => s.value >= count)
        ) {
          return;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `Prometheus did not scrape every target ${count} times within ${timeoutMs} ms: ${JSON.stringify(
              scrapes,
            )}`,
          );
        }
        await sleep(250);
      }
    },
    async restart() {
      await stopProcess();
      await start();
    },
    async stop(stopOptions) {
      await stopProcess();
      if (!stopOptions?.keepData) {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
