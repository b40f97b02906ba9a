import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import type {
  ArmMetrics,
  MetricsReading,
  MetricsTarget,
  RolloutTarget,
} from '@glidepath/backstage-plugin-node';
import type { SandboxFault } from './faults';
import { SandboxRolloutProvider } from './SandboxRolloutProvider';
import { LATENCY_BUCKETS_SECONDS, simulateTraffic } from './traffic';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const S = 1000;
const MIN = 60 * S;
/** Long enough for a canary to serve a few thousand requests at 10%. */
const INTERVAL = 30 * MIN;

function entity(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: { 'glidepath.dev/rollout': `sandbox:${name}` },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

function rolloutTarget(name: string): RolloutTarget {
  return {
    entityRef: `component:default/${name}`,
    ref: name,
    entity: entity(name),
  };
}

function metricsTarget(
  name: string,
  providerReleaseId: string,
  overrides: Partial<MetricsTarget> = {},
): MetricsTarget {
  const [, version] = providerReleaseId.split('@');
  return {
    entityRef: `component:default/${name}`,
    entity: entity(name),
    selector: name,
    rolloutProvider: 'sandbox',
    providerReleaseId,
    version,
    previousVersion: null,
    ...overrides,
  };
}

/**
 * A sandbox whose canaries wait for a promote, on a clock the test moves, and
 * the release of `name` that starts after T0. The clock stands `waitMs`
 * after that start: the canary has had 10% of the traffic since 5 s in.
 */
async function canaryOf(
  name: string,
  sandbox: Record<string, unknown> = {},
  waitMs = 20 * MIN,
) {
  let now = T0;
  const config = {
    seed: 'test',
    releaseInterval: { minutes: INTERVAL / MIN },
    awaitPromotion: true,
    ...sandbox,
  };
  const rollouts = SandboxRolloutProvider.fromConfig(
    new ConfigReader({ glidepath: { sandbox: config } }),
    { now: () => new Date(now) },
  );
  const metrics = rollouts.metricsProvider();
  const latest = async () => {
    const [rollout] = await rollouts.listRollouts([rolloutTarget(name)]);
    if (!('releases' in rollout)) throw new Error(rollout.error);
    return rollout.releases[rollout.releases.length - 1];
  };
  const seen = await latest();
  const start = seen.startedAt.getTime() + INTERVAL;
  now = start + waitMs;
  const release = await latest();
  expect(release.startedAt).toEqual(new Date(start));
  const id = release.providerReleaseId;
  const read = (
    from: number,
    to: number,
    overrides: Partial<MetricsTarget> = {},
    signal = new AbortController().signal,
  ) =>
    metrics.readMetrics({
      target: metricsTarget(name, id, overrides),
      from: new Date(from),
      to: new Date(to),
      signal,
    });
  return {
    rollouts,
    metrics,
    release,
    id,
    start,
    now: () => now,
    setNow: (time: number) => {
      now = time;
    },
    read,
    /** The canary since it started, until now. */
    readAll: () => read(start, now),
  };
}

/** The first of the services svc-0, svc-1, ... whose next release has `kind`. */
async function faultyCanary(kind: SandboxFault['kind']) {
  for (let i = 0; i < 40; i++) {
    const canary = await canaryOf(`svc-${i}`, { faultRate: 1 });
    if (canary.rollouts.getSimulation(canary.id).fault?.kind === kind) {
      return canary;
    }
  }
  throw new Error(`No release with a ${kind} fault`);
}

function ok(reading: MetricsReading) {
  if (reading.status !== 'ok') {
    throw new Error(`${reading.status}: ${reading.reason}`);
  }
  return reading;
}

const errorRatio = (arm: ArmMetrics) => arm.errors / arm.requests;
/** The share of requests that took at most 250 ms. */
const fastShare = (arm: ArmMetrics) =>
  arm.latencyBuckets.find(b => b.le === 0.25)!.count / arm.requests;

describe('SandboxMetricsProvider', () => {
  it('is the simulated "sandbox" metrics provider of the rollout provider', async () => {
    const { rollouts, metrics } = await canaryOf('checkout');
    expect(metrics.id).toBe('sandbox');
    expect(metrics.simulated).toBe(true);
    expect(rollouts.metricsProvider()).toBe(metrics);
  });

  it('shows an error-rate fault on the canary only', async () => {
    const { readAll } = await faultyCanary('error-rate');
    const { canary, baseline } = ok(await readAll());
    expect(canary.requests).toBeGreaterThan(1000);
    expect(baseline.requests).toBeGreaterThan(8 * canary.requests);
    expect(errorRatio(canary)).toBeGreaterThanOrEqual(0.025);
    expect(errorRatio(baseline)).toBeLessThan(0.008);
    expect(errorRatio(canary)).toBeGreaterThan(4 * errorRatio(baseline));
    expect(canary.healthChecks!.failed).toBeGreaterThan(
      baseline.healthChecks!.failed,
    );
  });

  it('shows a latency fault as a canary histogram shifted up', async () => {
    const { readAll } = await faultyCanary('latency');
    const { canary, baseline } = ok(await readAll());
    expect(fastShare(canary)).toBeLessThan(0.05);
    expect(fastShare(baseline)).toBeGreaterThan(0.8);
    // below 0.25 s nothing, above it the canary's requests
    const le = (arm: ArmMetrics, bound: number) =>
      arm.latencyBuckets.find(b => b.le === bound)!.count;
    expect(le(canary, 0.1)).toBe(0);
    expect(le(canary, 1) / canary.requests).toBeGreaterThan(0.5);
    expect(errorRatio(canary)).toBeLessThan(0.015);
  });

  it('keeps a healthy canary close to the baseline', async () => {
    const { readAll } = await canaryOf('checkout', { faultRate: 0 });
    const { canary, baseline } = ok(await readAll());
    expect(canary.requests).toBeGreaterThan(1000);
    expect(errorRatio(canary)).toBeLessThan(0.012);
    expect(errorRatio(canary) / errorRatio(baseline)).toBeGreaterThan(0.4);
    expect(errorRatio(canary) / errorRatio(baseline)).toBeLessThan(2.5);
    expect(Math.abs(fastShare(canary) - fastShare(baseline))).toBeLessThan(
      0.05,
    );
  });

  it('sums the whole 10 s windows of the simulated traffic up to now', async () => {
    const { rollouts, id, start, now, read } = await canaryOf('checkout');
    const from = start + 3 * S; // windows start on multiples of 10 s
    const reading = ok(await read(from, now() + 3_600_000));
    const windows = simulateTraffic({
      seed: 'test',
      release: rollouts.getSimulation(id),
      from: new Date(from),
      to: new Date(now()),
    });
    expect(windows[0].start.getTime() - from).toBeGreaterThan(0);
    expect(windows[0].start.getTime() - from).toBeLessThan(10 * S);
    const total = (side: 'canary' | 'baseline'): ArmMetrics => ({
      requests: windows.reduce((a, w) => a + w[side].requests, 0),
      errors: windows.reduce((a, w) => a + w[side].errors, 0),
      latencyBuckets: [...LATENCY_BUCKETS_SECONDS, Infinity].map((le, i) => ({
        le,
        count: windows.reduce((a, w) => a + w[side].latencyBuckets[i].count, 0),
      })),
      healthChecks: {
        passed: windows.reduce((a, w) => a + w[side].healthChecks.passed, 0),
        failed: windows.reduce((a, w) => a + w[side].healthChecks.failed, 0),
      },
    });
    expect(reading).toEqual({
      status: 'ok',
      canary: total('canary'),
      baseline: total('baseline'),
      latestSampleAt: windows[windows.length - 1].end,
    });
    const buckets = reading.canary.latencyBuckets;
    expect(buckets[buckets.length - 1]).toEqual({
      le: Infinity,
      count: reading.canary.requests,
    });
    expect(reading.latestSampleAt!.getTime()).toBeLessThanOrEqual(now());
  });

  it('splits ranges longer than a day of windows', async () => {
    const { rollouts, id, now, read } = await canaryOf('checkout');
    const from = now() - 30 * 3_600_000;
    const reading = ok(await read(from, now()));
    const release = rollouts.getSimulation(id);
    const part = (a: number, b: number) =>
      simulateTraffic({
        seed: 'test',
        release,
        from: new Date(a),
        to: new Date(b),
      });
    // a window boundary, so that the parts hold every window of the range
    const middle = Math.ceil((from + 20 * 3_600_000) / (10 * S)) * 10 * S;
    const windows = [...part(from, middle), ...part(middle, now())];
    expect(windows.length).toBeGreaterThan(8640);
    expect(reading.baseline.requests).toBe(
      windows.reduce((a, w) => a + w.baseline.requests, 0),
    );
    expect(reading.canary.errors).toBe(
      windows.reduce((a, w) => a + w.canary.errors, 0),
    );
  });

  it('reads ok with zero canary requests while the canary has no traffic', async () => {
    const { start, read } = await canaryOf('checkout');
    const reading = ok(await read(start - 10 * MIN, start));
    expect(reading.canary).toEqual({
      requests: 0,
      errors: 0,
      latencyBuckets: [...LATENCY_BUCKETS_SECONDS, Infinity].map(le => ({
        le,
        count: 0,
      })),
      healthChecks: { passed: 0, failed: 0 },
    });
    expect(reading.baseline.requests).toBeGreaterThan(0);
  });

  it('is deterministic', async () => {
    const a = await canaryOf('checkout', { faultRate: 0.5 });
    const b = await canaryOf('checkout', { faultRate: 0.5 });
    const first = await a.readAll();
    expect(await a.readAll()).toEqual(first);
    expect(await b.readAll()).toEqual(first);
    const other = await canaryOf('checkout', {
      faultRate: 0.5,
      seed: 'another',
    });
    expect(ok(await other.readAll()).baseline).not.toEqual(ok(first).baseline);
  });

  it.each<[string, Partial<MetricsTarget>, RegExp]>([
    [
      'a release of another rollout provider',
      { rolloutProvider: 'argo-rollouts' },
      /comes from the rollout provider "argo-rollouts"/,
    ],
    [
      'a release the sandbox does not know',
      { providerReleaseId: 'checkout@9.9.9' },
      /no release "checkout@9\.9\.9" of checkout/,
    ],
    [
      'a service the sandbox has not listed',
      { providerReleaseId: 'payments@1.0.0', selector: 'payments' },
      /no release "payments@1\.0\.0".*not listed the release \(yet\)/,
    ],
    [
      'another service than the selector',
      { selector: 'payments' },
      /is a release of "checkout", not of "payments"/,
    ],
    [
      'a release id that is not one',
      { providerReleaseId: 'checkout' },
      /not a sandbox release id/,
    ],
  ])('reads no_data for %s', async (_name, overrides, reason) => {
    const { readAll, read, start, now } = await canaryOf('checkout');
    await expect(readAll()).resolves.toMatchObject({ status: 'ok' });
    await expect(read(start, now(), overrides)).resolves.toEqual({
      status: 'no_data',
      reason: expect.stringMatching(reason),
    });
  });

  it('reads no_data for a range without a whole window in the past', async () => {
    const { read, now } = await canaryOf('checkout');
    for (const [from, to] of [
      [now() + MIN, now() + 2 * MIN],
      [now() - 5 * S, now() + MIN],
      [now() - MIN, now() - 2 * MIN],
    ]) {
      await expect(read(from, to)).resolves.toEqual({
        status: 'no_data',
        reason: expect.stringMatching(
          /^No whole 10s window of simulated traffic/,
        ),
      });
    }
  });

  it('throws during a simulated metrics outage, and reads again after it', async () => {
    const { metrics, readAll } = await canaryOf('checkout');
    metrics.setMetricsOutage('Prometheus at prometheus:9090 is unreachable');
    await expect(readAll()).rejects.toThrow(
      expect.objectContaining({
        name: 'ServiceUnavailableError',
        message: 'Prometheus at prometheus:9090 is unreachable',
      }),
    );
    metrics.setMetricsOutage(null);
    await expect(readAll()).resolves.toMatchObject({ status: 'ok' });
  });

  it('gives up when the query is already cancelled', async () => {
    const { read, start, now } = await canaryOf('checkout');
    const controller = new AbortController();
    controller.abort();
    await expect(read(start, now(), {}, controller.signal)).rejects.toThrow(
      expect.objectContaining({ name: 'AbortError' }),
    );
  });

  it('follows the canary weight as the release is promoted', async () => {
    const { rollouts, id, start, setNow, read } = await canaryOf(
      'checkout',
      { faultRate: 0 },
      MIN,
    );
    await rollouts.performAction({
      target: rolloutTarget('checkout'),
      providerReleaseId: id,
      action: 'promote',
      reason: 'analysis passed',
      actor: { kind: 'provider', ref: 'glidepath' },
      signal: new AbortController().signal,
    });
    setNow(start + 11 * MIN);
    const at10 = ok(await read(start + 10 * S, start + MIN));
    const at25 = ok(await read(start + MIN + 10 * S, start + 11 * MIN));
    const share = (r: typeof at10) =>
      r.canary.requests / (r.canary.requests + r.baseline.requests);
    expect(share(at10)).toBeGreaterThan(0.07);
    expect(share(at10)).toBeLessThan(0.13);
    expect(share(at25)).toBeGreaterThan(0.22);
    expect(share(at25)).toBeLessThan(0.28);
  });
});
