import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type {
  ServiceErrorsQuery,
  ServiceErrorsReading,
} from '@glidepath/backstage-plugin-node';
import { readPrometheusConfig } from './config';
import { PrometheusMetricsProvider } from './PrometheusMetricsProvider';
import {
  describeWithPrometheus,
  startInstrumentedService,
  startLoad,
  startPrometheus,
  TEST_JOB,
  type InstrumentedService,
  type Load,
  type RunningPrometheus,
} from './__testUtils__/prometheusHarness';

jest.setTimeout(30_000);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const DAY_MS = 86_400_000;

function query(
  selector: string,
  to = new Date(),
  days = 28,
): ServiceErrorsQuery {
  return {
    entityRef: 'component:default/checkout',
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'checkout' },
    },
    selector,
    rolloutProvider: 'argo-rollouts',
    environment: 'production',
    from: new Date(to.getTime() - days * DAY_MS),
    to,
    signal: new AbortController().signal,
  };
}

function ok(reading: ServiceErrorsReading) {
  if (reading.status !== 'ok') {
    throw new Error(`expected ok, got ${JSON.stringify(reading)}`);
  }
  return reading;
}

describeWithPrometheus(
  "PrometheusMetricsProvider's error-budget reading with a real Prometheus",
  () => {
    let stable: InstrumentedService; // 1.0.0, 2% errors
    let canary: InstrumentedService; // 1.1.0, 10% errors
    let load: Load | undefined;
    let prometheus: RunningPrometheus | undefined;
    let provider: PrometheusMetricsProvider;

    beforeAll(async () => {
      stable = await startInstrumentedService({
        version: '1.0.0',
        errorRate: 0.02,
      });
      canary = await startInstrumentedService({
        version: '1.1.0',
        errorRate: 0.1,
      });
      load = startLoad({ urls: [stable.url, canary.url], rps: 50 });
      prometheus = await startPrometheus({
        targets: [stable.url, canary.url],
        scrapeInterval: '1s',
      });
      await prometheus.waitForScrapes(2);
      await sleep(5000);
      provider = new PrometheusMetricsProvider(
        readPrometheusConfig(
          new ConfigReader({
            glidepath: { prometheus: { baseUrl: prometheus.url } },
          }),
        ),
      );
    }, 60_000);

    afterAll(async () => {
      await load?.stop();
      await prometheus?.stop();
      await Promise.all([stable?.stop(), canary?.stop()]);
    });

    it('counts every version together over 28 days: requests, server errors and their ratio', async () => {
      const reading = ok(
        await provider.readServiceErrors(query(`job="${TEST_JOB}"`)),
      );
      const served = [stable, canary].map(s => s.served());
      const total = served.reduce((sum, s) => sum + s.requests, 0);
      // What Prometheus saw: from its first scrape on, so at most what
      // was served, and most of it.
      expect(reading.requests).toBeGreaterThan(0.5 * total);
      expect(reading.requests).toBeLessThanOrEqual(total * 1.05);
      // Half the traffic at 2%, half at 10%.
      expect(reading.errors / reading.requests).toBeGreaterThan(0.05);
      expect(reading.errors / reading.requests).toBeLessThan(0.07);
    });

    it("narrows to the entity's own series by its selector", async () => {
      const instance = canary.url.replace('http://', '');
      const reading = ok(
        await provider.readServiceErrors(
          query(`job="${TEST_JOB}",instance="${instance}"`),
        ),
      );
      expect(reading.errors / reading.requests).toBeGreaterThan(0.08);
      expect(reading.errors / reading.requests).toBeLessThan(0.12);
    });

    it('reports no_data for a selector that matches no series', async () => {
      const reading = await provider.readServiceErrors(query('job="nope"'));
      expect(reading).toEqual({
        status: 'no_data',
        reason:
          'Prometheus has no series for {job="nope"} in the range: sum(increase(http_requests_total{job="nope"}[2419200s])) returned nothing',
      });
    });

    it('counts no errors for a service without any 5xx series', async () => {
      const healthy = await startInstrumentedService({ version: '2.0.0' });
      const own = startLoad({ urls: [healthy.url], rps: 20 });
      const ownPrometheus = await startPrometheus({
        targets: [healthy.url],
        scrapeInterval: '1s',
      });
      try {
        await ownPrometheus.waitForScrapes(3);
        const reading = ok(
          await new PrometheusMetricsProvider(
            readPrometheusConfig(
              new ConfigReader({
                glidepath: { prometheus: { baseUrl: ownPrometheus.url } },
              }),
            ),
          ).readServiceErrors(query(`job="${TEST_JOB}"`)),
        );
        expect(reading.requests).toBeGreaterThan(0);
        expect(reading.errors).toBe(0);
      } finally {
        await own.stop();
        await ownPrometheus.stop();
        await healthy.stop();
      }
    });

    it('refuses a selector on the version label, and a bad one, with an InputError', async () => {
      await expect(
        provider.readServiceErrors(query('version="1.0.0"')),
      ).rejects.toThrow(InputError);
      await expect(
        provider.readServiceErrors(query('job=checkout')),
      ).rejects.toThrow(/must be quoted/);
    });
  },
);
