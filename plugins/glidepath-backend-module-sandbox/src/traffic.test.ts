import type { SandboxReleaseSimulation } from './fleet';
import type { SandboxFault } from './faults';
import {
  LATENCY_BUCKETS_SECONDS,
  simulateTraffic,
  type TrafficSample,
  type TrafficWindow,
} from './traffic';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const HOUR = 3600_000;

function release(
  weight: number,
  fault: SandboxFault | null = null,
): SandboxReleaseSimulation {
  return {
    providerReleaseId: 'checkout@2.3.4',
    service: 'checkout',
    version: '2.3.4',
    fault,
    weights: weight ? [{ at: new Date(T0), weight }] : [],
  };
}

function hourOf(simulation: SandboxReleaseSimulation, seed = 'test-seed') {
  return simulateTraffic({
    seed,
    release: simulation,
    from: new Date(T0),
    to: new Date(T0 + HOUR),
  });
}

type Side = 'canary' | 'baseline';

function total(windows: TrafficWindow[], side: Side) {
  const sum = (pick: (s: TrafficSample) => number) =>
    windows.reduce((acc, w) => acc + pick(w[side]), 0);
  return {
    requests: sum(s => s.requests),
    errors: sum(s => s.errors),
    latencySum: sum(s => s.latencySumSeconds),
    fast: sum(s => s.latencyBuckets[2].count), // le 0.25
    checks: sum(s => s.healthChecks.passed + s.healthChecks.failed),
    failedChecks: sum(s => s.healthChecks.failed),
  };
}

function errorRate(windows: TrafficWindow[], side: Side) {
  const t = total(windows, side);
  return t.errors / t.requests;
}

function meanLatency(windows: TrafficWindow[], side: Side) {
  const t = total(windows, side);
  return t.latencySum / t.requests;
}

describe('simulateTraffic', () => {
  it('is deterministic, whatever range a window is asked as part of', () => {
    const hour = hourOf(release(25));
    expect(hourOf(release(25))).toEqual(hour);
    const part = simulateTraffic({
      seed: 'test-seed',
      release: release(25),
      from: new Date(T0 + 600_000),
      to: new Date(T0 + 660_000),
    });
    expect(part).toEqual(hour.slice(60, 66));
    expect(hourOf(release(25), 'another-seed')).not.toEqual(hour);
  });

  it('reports whole windows aligned on the window length', () => {
    const windows = simulateTraffic({
      seed: 'test-seed',
      release: release(10),
      from: new Date(T0 + 3_000),
      to: new Date(T0 + 65_000),
      windowSeconds: 20,
    });
    expect(windows.map(w => [w.start, w.end])).toEqual([
      [new Date(T0 + 20_000), new Date(T0 + 40_000)],
      [new Date(T0 + 40_000), new Date(T0 + 60_000)],
    ]);
  });

  it('counts consistently: cumulative buckets end at the request count', () => {
    for (const window of hourOf(
      release(50, { kind: 'latency', addedLatencyMs: 500 }),
    )) {
      for (const side of [window.canary, window.baseline]) {
        const counts = side.latencyBuckets.map(b => b.count);
        expect(side.latencyBuckets.map(b => b.le)).toEqual([
          ...LATENCY_BUCKETS_SECONDS,
          Infinity,
        ]);
        expect([...counts].sort((a, b) => a - b)).toEqual(counts);
        expect(counts[counts.length - 1]).toBe(side.requests);
        expect(side.errors).toBeLessThanOrEqual(side.requests);
        expect(side.errors).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('sends the canary its share of the traffic', () => {
    const at10 = total(hourOf(release(10)), 'canary').requests;
    const at50 = total(hourOf(release(50)), 'canary').requests;
    expect(at50 / at10).toBeGreaterThan(4.5);
    expect(at50 / at10).toBeLessThan(5.5);

    const none = hourOf(release(0));
    expect(total(none, 'canary').requests).toBe(0);
    expect(total(none, 'canary').checks).toBe(0);
    expect(total(none, 'baseline').requests).toBeGreaterThan(0);

    const all = hourOf(release(100));
    expect(total(all, 'baseline').requests).toBe(0);
    expect(total(all, 'canary').requests).toBeGreaterThan(0);
  });

  it('follows the weight as it changes within a window', () => {
    const simulation = {
      ...release(0),
      weights: [
        { at: new Date(T0 + 5_000), weight: 50 },
        { at: new Date(T0 + 10_000), weight: 0 },
      ],
    };
    const [first, second] = simulateTraffic({
      seed: 'test-seed',
      release: simulation,
      from: new Date(T0),
      to: new Date(T0 + 20_000),
    });
    expect(first.canaryWeight).toBe(25);
    expect(second.canaryWeight).toBe(0);
    expect(second.canary.requests).toBe(0);
  });

  it('keeps a healthy canary close to the baseline', () => {
    const windows = hourOf(release(50));
    const canary = errorRate(windows, 'canary');
    const baseline = errorRate(windows, 'baseline');
    expect(baseline).toBeGreaterThan(0.002);
    expect(baseline).toBeLessThan(0.008);
    expect(canary / baseline).toBeGreaterThan(0.7);
    expect(canary / baseline).toBeLessThan(1.4);
    expect(
      meanLatency(windows, 'canary') / meanLatency(windows, 'baseline'),
    ).toBeCloseTo(1, 1);
  });

  it('raises the error rate of a canary with an error-rate fault', () => {
    const windows = hourOf(
      release(10, { kind: 'error-rate', errorRate: 0.05 }),
    );
    expect(errorRate(windows, 'canary')).toBeGreaterThan(0.04);
    expect(errorRate(windows, 'canary')).toBeLessThan(0.06);
    expect(errorRate(windows, 'canary')).toBeGreaterThan(
      5 * errorRate(windows, 'baseline'),
    );
    const checks = total(windows, 'canary');
    const healthy = total(hourOf(release(10)), 'canary');
    expect(checks.failedChecks / checks.checks).toBeGreaterThan(
      3 * (healthy.failedChecks / healthy.checks + 0.01),
    );
  });

  it('slows a canary with a latency fault', () => {
    const windows = hourOf(
      release(25, { kind: 'latency', addedLatencyMs: 400 }),
    );
    expect(
      meanLatency(windows, 'canary') - meanLatency(windows, 'baseline'),
    ).toBeCloseTo(0.4, 1);
    const canary = total(windows, 'canary');
    const baseline = total(windows, 'baseline');
    // hardly any canary request finishes within 250 ms any more
    expect(canary.fast / canary.requests).toBeLessThan(0.05);
    expect(baseline.fast / baseline.requests).toBeGreaterThan(0.8);
    // the error rate is untouched
    expect(errorRate(windows, 'canary')).toBeLessThan(0.01);
  });

  it('refuses bad windows and ranges that are too long', () => {
    const ask = (windowSeconds: number, hours: number) =>
      simulateTraffic({
        seed: 'test-seed',
        release: release(10),
        from: new Date(T0),
        to: new Date(T0 + hours * HOUR),
        windowSeconds,
      });
    expect(() => ask(0, 1)).toThrow(/whole number of seconds/);
    expect(() => ask(2.5, 1)).toThrow(/whole number of seconds/);
    expect(() => ask(10, 48)).toThrow(/at most 8640/);
    expect(ask(60, 48)).toHaveLength(2880);
  });
});
