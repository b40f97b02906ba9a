import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type {
  ArmMetrics,
  MetricsQuery,
  MetricsReading,
} from '@glidepath/backstage-plugin-node';
import type { JsonObject } from '@backstage/types';
import { readPrometheusConfig } from './config';
import { PrometheusMetricsProvider } from './PrometheusMetricsProvider';
import {
  startStubServer,
  vectorAnswer,
  type StubAnswer,
} from './__testUtils__/stubServer';
import {
  describeWithPrometheus,
  LATENCY_BUCKETS,
  startInstrumentedService,
  startLoad,
  startPrometheus,
  TEST_JOB,
  type InstrumentedService,
  type Load,
  type RunningPrometheus,
} from './__testUtils__/prometheusHarness';

// Generous safety bounds; the suite takes about 20 s.
jest.setTimeout(30_000);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const RANGE_MS = 11_000;

function metricsQuery(
  options: {
    selector: string;
    version: string;
    previousVersion: string | null;
    from: Date;
    to: Date;
  },
  signal = new AbortController().signal,
): MetricsQuery {
  const { selector, version, previousVersion, from, to } = options;
  return {
    target: {
      entityRef: 'component:default/checkout',
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'checkout' },
      },
      selector,
      rolloutProvider: 'sandbox',
      providerReleaseId: 'checkout/1',
      version,
      previousVersion,
    },
    from,
    to,
    signal,
  };
}

function ok(reading: MetricsReading) {
  if (reading.status !== 'ok') {
    throw new Error(`expected ok, got ${JSON.stringify(reading)}`);
  }
  return reading;
}

function providerFor(baseUrl: string, config: JsonObject = {}) {
  return new PrometheusMetricsProvider(
    readPrometheusConfig(
      new ConfigReader({ glidepath: { prometheus: { baseUrl, ...config } } }),
    ),
  );
}

describeWithPrometheus(
  'PrometheusMetricsProvider with a real Prometheus',
  () => {
    const selector = `job="${TEST_JOB}"`;
    let stable: InstrumentedService; // 1.0.0, 2% errors
    let canary: InstrumentedService; // 1.1.0, 25% errors and +300 ms
    let restarted: InstrumentedService; // 1.2.0, restarted mid-range
    let stopped: InstrumentedService; // 1.3.0, stopped mid-range
    let services: InstrumentedService[] = [];
    let load: Load | undefined;
    let prometheus: RunningPrometheus | undefined;
    let from: Date;
    let to: Date;
    let stoppedAt: Date;

    beforeAll(async () => {
      stable = await startInstrumentedService({
        version: '1.0.0',
        errorRate: 0.02,
      });
      canary = await startInstrumentedService({ version: '1.1.0' });
      canary.setFault({ errorRate: 0.25, addedLatencyMs: 300 });
      restarted = await startInstrumentedService({
        version: '1.2.0',
        errorRate: 0.1,
      });
      stopped = await startInstrumentedService({ version: '1.3.0' });
      services = [stable, canary, restarted, stopped];
      load = startLoad({ urls: services.map(s => s.url), rps: 40 });
      prometheus = await startPrometheus({
        targets: services.map(s => s.url),
        scrapeInterval: '1s',
      });
      await prometheus.waitForScrapes(2);

      // The range under test: traffic throughout, a counter reset of 1.2.0
      // after 4 s, 1.3.0 gone after 5 s.
      const start = Date.now();
      await sleep(4000);
      await restarted.restart();
      await sleep(1000);
      await stopped.stop();
      stoppedAt = new Date();
      await sleep(start + RANGE_MS - Date.now());
      to = new Date();
      from = new Date(to.getTime() - RANGE_MS);
    }, 60_000);

    afterAll(async () => {
      await load?.stop();
      await prometheus?.stop();
      await Promise.all(services.map(s => s.stop()));
    });

    const provider = (config: JsonObject = {}) =>
      providerFor(prometheus!.url, config);

    const query = (
      version: string,
      previousVersion: string | null,
      overrides: { selector?: string } = {},
    ) =>
      metricsQuery({
        selector: overrides.selector ?? selector,
        version,
        previousVersion,
        from,
        to,
      });

    /** Within 20% (increase() extrapolates to the range's ends), or 3. */
    function expectClose(actual: number, expected: number) {
      expect(actual).toBeGreaterThanOrEqual(0);
      expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
        Math.max(0.2 * expected, 3),
      );
    }

    function expectServed(arm: ArmMetrics, service: InstrumentedService) {
      const served = service.served(from, to);
      expect(served.requests).toBeGreaterThan(300); // the load really ran
      expectClose(arm.requests, served.requests);
      expectClose(arm.errors, served.errors);
    }

    it('counts what each side served, requests and server errors', async () => {
      const reading = ok(await provider().readMetrics(query('1.1.0', '1.0.0')));
      expectServed(reading.canary, canary);
      expectServed(reading.baseline, stable);
      expect(reading.canary.errors / reading.canary.requests).toBeGreaterThan(
        0.15,
      );
      expect(reading.baseline.errors / reading.baseline.requests).toBeLessThan(
        0.06,
      );
      expect(reading.canary.healthChecks).toBeUndefined();
      expect(reading.latestSampleAt!.getTime()).toBeLessThanOrEqual(
        to.getTime(),
      );
      expect(reading.latestSampleAt!.getTime()).toBeGreaterThan(
        to.getTime() - 3000,
      );
    });

    it("reads the latency histogram, and the canary's added latency shifts it up", async () => {
      const reading = ok(await provider().readMetrics(query('1.1.0', '1.0.0')));
      for (const arm of [reading.canary, reading.baseline]) {
        expect(arm.latencyBuckets.map(b => b.le)).toEqual([
          ...LATENCY_BUCKETS,
          Infinity,
        ]);
        const counts = arm.latencyBuckets.map(b => b.count);
        expect(counts).toEqual([...counts].sort((a, b) => a - b));
        expectClose(arm.latencyBuckets.at(-1)!.count, arm.requests);
      }
      const share = (arm: ArmMetrics, le: number) =>
        arm.latencyBuckets.find(b => b.le === le)!.count /
        arm.latencyBuckets.at(-1)!.count;
      // +300 ms: hardly a canary request within 250 ms, nearly all within 500 ms.
      expect(share(reading.canary, 0.25)).toBeLessThan(0.1);
      expect(share(reading.canary, 0.5)).toBeGreaterThan(0.9);
      expect(share(reading.baseline, 0.25)).toBeGreaterThan(0.9);
    });

    it('reads health checks when queries for them are configured', async () => {
      // Any pair of counts will do; here: answered requests pass, errors fail.
      const reading = ok(
        await provider({
          queries: {
            healthChecks: {
              passed:
                'sum(increase(http_requests_total{$selector,code="200"}[$range]))',
              failed:
                'sum(increase(http_requests_total{$selector,code="500"}[$range]))',
            },
          },
        }).readMetrics(query('1.1.0', '1.0.0')),
      );
      const served = canary.served(from, to);
      expectClose(
        reading.canary.healthChecks!.passed,
        served.requests - served.errors,
      );
      expectClose(reading.canary.healthChecks!.failed, served.errors);
      expect(reading.baseline.healthChecks).toEqual({
        passed: expect.any(Number),
        failed: expect.any(Number),
      });
    });

    it('keeps counting across a counter reset (a restart mid-range)', async () => {
      // The raw counter fell when the service restarted: a reset is in range.
      const [raw] = await prometheus!.query(
        `sum(http_requests_total{${selector},version="1.2.0"})`,
        to,
      );
      const served = restarted.served(from, to);
      expect(raw.value).toBeLessThan(0.8 * served.requests);

      const reading = ok(await provider().readMetrics(query('1.2.0', '1.0.0')));
      expectServed(reading.canary, restarted);
      expect(reading.canary.latencyBuckets.at(-1)!.count).toBeGreaterThan(
        0.8 * served.requests,
      );
    });

    it('reports no_data naming the side whose series are missing', async () => {
      const unknown = await provider().readMetrics(
        query('1.1.0', '1.0.0', { selector: 'job="no-such-job"' }),
      );
      expect(unknown).toEqual({
        status: 'no_data',
        reason: expect.stringMatching(
          /no series for the canary \(version="1\.1\.0"\).*job="no-such-job"/,
        ),
      });

      const noBaseline = await provider().readMetrics(query('1.1.0', '0.9.0'));
      expect(noBaseline).toEqual({
        status: 'no_data',
        reason: expect.stringContaining(
          'no series for the baseline (version="0.9.0")',
        ),
      });

      const firstRelease = await provider().readMetrics(query('1.1.0', null));
      expect(firstRelease).toEqual({
        status: 'no_data',
        reason: expect.stringContaining('no previous version'),
      });
    });

    it('reports stale data once the newest sample is older than staleAfter', async () => {
      const short = provider({ staleAfter: '3s' });
      const reading = await short.readMetrics(query('1.3.0', '1.0.0'));
      expect(reading).toEqual({
        status: 'stale',
        reason: expect.stringContaining('the newest sample for the canary'),
        latestSampleAt: expect.any(Date),
      });
      const latest = (reading as { latestSampleAt: Date }).latestSampleAt;
      // The last scrape before the service stopped.
      expect(latest.getTime()).toBeLessThanOrEqual(stoppedAt.getTime());
      expect(latest.getTime()).toBeGreaterThan(stoppedAt.getTime() - 3000);

      // The live services are fresh with the same setting.
      ok(await short.readMetrics(query('1.1.0', '1.0.0')));
    });

    it("throws Prometheus's parse error for a malformed query template", async () => {
      const broken = provider({
        queries: {
          requests: 'sum(increase(http_requests_total{$selector}[$range])',
        },
      });
      await expect(broken.readMetrics(query('1.1.0', '1.0.0'))).rejects.toThrow(
        new RegExp(
          `Prometheus at ${
            prometheus!.url
          } answered 400 Bad Request: bad_data: .*parse error`,
        ),
      );
    });

    it('rejects a bad selector with an InputError', async () => {
      const reading = provider().readMetrics(
        query('1.1.0', '1.0.0', { selector: 'job="checkout' }),
      );
      await expect(reading).rejects.toThrow(InputError);
      await expect(reading).rejects.toThrow(
        `Invalid Prometheus selector 'job="checkout': the value of job has no closing "`,
      );
    });

    // Last: it stops Prometheus, then restarts it on its kept data.
    it('throws naming the server while Prometheus is down, and reads again once it is back', async () => {
      const before = ok(await provider().readMetrics(query('1.1.0', '1.0.0')));
      await prometheus!.stop({ keepData: true });
      await expect(
        provider().readMetrics(query('1.1.0', '1.0.0')),
      ).rejects.toThrow(
        `Prometheus at ${
          prometheus!.url
        } could not be reached: connect ECONNREFUSED`,
      );

      await prometheus!.restart();
      const after = ok(await provider().readMetrics(query('1.1.0', '1.0.0')));
      expect(after.canary).toEqual(before.canary);
      expect(after.baseline).toEqual(before.baseline);
    });
  },
);

describe('PrometheusMetricsProvider with a stub server', () => {
  // For answers a real Prometheus gives only in rare cases.
  let answer: (query: string) => StubAnswer;
  let stub: Awaited<ReturnType<typeof startStubServer>>;
  const to = new Date();
  const from = new Date(to.getTime() - 600_000);
  const query = (signal?: AbortSignal) =>
    metricsQuery(
      {
        selector: 'job="checkout"',
        version: '2.0.0',
        previousVersion: '1.9.0',
        from,
        to,
      },
      signal,
    );

  beforeAll(async () => {
    stub = await startStubServer(request =>
      answer(request.form.get('query') ?? ''),
    );
  });
  afterAll(() => stub.stop());

  /** Answers by query: newest sample now, the given counts otherwise. */
  const counts =
    (values: { requests: string; errors: string }) => (promql: string) => {
      if (promql.startsWith('max(timestamp(')) {
        return vectorAnswer({ value: String(to.getTime() / 1000) });
      }
      if (promql.includes('_bucket')) return vectorAnswer();
      return vectorAnswer({
        value: promql.includes('code=~') ? values.errors : values.requests,
      });
    };

  it('reads NaN as 0 for a side that served no requests (0/0)', async () => {
    answer = counts({ requests: '0', errors: 'NaN' });
    const reading = ok(await providerFor(stub.url).readMetrics(query()));
    expect(reading.canary).toEqual({
      requests: 0,
      errors: 0,
      latencyBuckets: [],
    });
  });

  it('throws for NaN anywhere else', async () => {
    answer = counts({ requests: '120.5', errors: 'NaN' });
    await expect(providerFor(stub.url).readMetrics(query())).rejects.toThrow(
      `Prometheus at ${stub.url} returned an unusable result: the query returned NaN, which is not a count (NaN is only read as 0 when the side served no requests, where it comes from 0/0) (query: sum(increase(http_requests_total{job="checkout",version="2.0.0",code=~"5.."}[600s])))`,
    );
  });

  it('throws naming the server when one query fails', async () => {
    answer = promql =>
      promql.includes('_bucket')
        ? {
            status: 503,
            body: {
              status: 'error',
              errorType: 'unavailable',
              error: 'too many queries',
            },
          }
        : counts({ requests: '10', errors: '1' })(promql);
    await expect(providerFor(stub.url).readMetrics(query())).rejects.toThrow(
      `Prometheus at ${stub.url} answered 503 Service Unavailable: unavailable: too many queries`,
    );
  });

  it('throws after the configured timeout', async () => {
    answer = () => 'hang';
    await expect(
      providerFor(stub.url, { timeout: '300ms' }).readMetrics(query()),
    ).rejects.toThrow(`Prometheus at ${stub.url} did not answer within 0.3s`);
  });

  it("stops when Glidepath's signal aborts", async () => {
    answer = () => 'hang';
    const controller = new AbortController();
    const reading = providerFor(stub.url).readMetrics(query(controller.signal));
    setTimeout(() => controller.abort(), 50);
    await expect(reading).rejects.toThrow('the query was aborted');
  });

  it('rejects a selector that matches on the version label', async () => {
    answer = counts({ requests: '1', errors: '0' });
    await expect(
      providerFor(stub.url).readMetrics(
        metricsQuery({
          selector: 'job="checkout",version="1.0.0"',
          version: '2.0.0',
          previousVersion: '1.9.0',
          from,
          to,
        }),
      ),
    ).rejects.toThrow(
      /Invalid Prometheus selector .*must not match on the version label version/,
    );
  });
});
