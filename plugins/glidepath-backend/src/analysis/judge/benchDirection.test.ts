/*
 * The direction of bench/canary on a small, fixed slice of its corpus:
 * Glidepath's judge against the emulations of Flagger's defaults and Argo
 * Rollouts' documented example analysis (Kayenta's 3-hour lifetime does not
 * fit a unit test; the full bench has it). The full figures are in
 * bench/README.md; this only checks that the judge keeps beating the
 * emulations where it should.
 */
/* eslint-disable @backstage/no-relative-monorepo-imports -- the bench lives
   outside the workspaces, in bench/canary, and only jest runs it here */
import {
  generateRecording,
  generateScenarios,
} from '../../../../../bench/canary/corpus';
import { mannWhitney } from '../../../../../bench/canary/emulations';
import {
  checkTargets,
  evaluateRecording,
  figures,
  type RunResult,
} from '../../../../../bench/canary/evaluate';
import { minus, runGlidepath } from '../../../../../bench/canary/glidepath';
import { parseScenarioFile } from '../../../../../bench/canary/scenarioFile';
import { quantile, wilsonInterval } from '../../../../../bench/canary/stats';

const SEED = 'direction';

describe('canary bench: direction on a fixed slice', () => {
  let runs: RunResult[] = [];

  beforeAll(() => {
    const scenarios = generateScenarios({
      seed: SEED,
      durationSeconds: 45 * 60,
      sizes: {
        healthy: 60,
        gross: 30,
        outage: 18,
        stale: 9,
        no_canary_traffic: 6,
      },
    });
    runs = scenarios.map(params =>
      evaluateRecording(generateRecording(params, SEED), [
        'glidepath',
        'flagger',
        'argo',
      ]),
    );
  }, 120_000);

  const category = (name: string) => runs.filter(r => r.category === name);

  it('never rolls back a clean run, and never on missing data', () => {
    const clean = runs.filter(r => !r.regression);
    expect(clean.length).toBe(93);
    const glidepath = figures(clean, 'glidepath');
    expect(glidepath.falseRollbacks).toBe(0);
    expect(figures(runs, 'glidepath').missingDataRollbacks).toBe(0);
    // The emulations do worse on the same runs.
    expect(figures(clean, 'flagger').falseRollbacks).toBeGreaterThan(0);
    expect(figures(clean, 'argo').falseRollbacks).toBeGreaterThan(0);
  });

  it('rolls back gross regressions as often as the emulations or more, and sooner', () => {
    const gross = category('gross').filter(r => r.onsetSeconds === 0);
    expect(gross.length).toBeGreaterThanOrEqual(15);
    const glidepath = figures(gross, 'glidepath');
    const flagger = figures(gross, 'flagger');
    const argo = figures(gross, 'argo');
    expect(glidepath.missed).toBeLessThanOrEqual(argo.missed);
    expect(glidepath.timeToRollback.median!).toBeLessThan(
      flagger.timeToRollback.median!,
    );
    expect(glidepath.timeToRollback.median!).toBeLessThan(
      argo.timeToRollback.median ?? Infinity,
    );
    // Every gross error regression and crash loop beyond the default
    // policy's limits is caught. Latency ones of about 2x (beyond the
    // policy's 1.75x) whose p95 stays below the histogram's next bucket
    // bound can be missed: the buckets cannot show them (bench/README.md).
    const beyond = gross.filter(
      r => r.exceedsDefaultPolicy && r.kind !== 'latency',
    );
    expect(beyond.length).toBeGreaterThan(0);
    expect(figures(beyond, 'glidepath').missed).toBe(0);
  });

  it("holds through outages, where Flagger's and Argo Rollouts' emulations roll back", () => {
    const outages = category('outage');
    expect(figures(outages, 'glidepath').falseRollbacks).toBe(0);
    // Their known weakness: a failed query counts against the canary.
    const onMissingData = (judge: 'flagger' | 'argo') =>
      outages.filter(r => r.outcomes[judge].cause === 'missing_data').length;
    expect(onMissingData('flagger')).toBeGreaterThan(0);
    expect(onMissingData('argo')).toBeGreaterThan(0);
  });
});

describe("canary bench: the issue's shapes, a few runs each", () => {
  let runs: RunResult[] = [];

  beforeAll(() => {
    const scenarios = generateScenarios({
      seed: SEED,
      durationSeconds: 45 * 60,
      sizes: {
        shared_outage: 6,
        error_offset: 6,
        latency_offset: 6,
        latency_creep: 6,
        warmup: 6,
        very_low_traffic: 6,
      },
    });
    runs = scenarios.map(params =>
      evaluateRecording(generateRecording(params, SEED), ['glidepath']),
    );
  }, 120_000);

  const category = (name: string) => runs.filter(r => r.category === name);

  it.each(['shared_outage', 'error_offset', 'latency_offset', 'warmup'])(
    'never rolls back a canary of %s (within the policy or not to blame)',
    name => {
      expect(category(name)).toHaveLength(6);
      expect(figures(category(name), 'glidepath').falseRollbacks).toBe(0);
    },
  );

  it('rolls a latency creep back only once its p95 is past the limit', () => {
    const creeps = figures(category('latency_creep'), 'glidepath');
    expect(creeps.rolledBackBeforeOnset).toBe(0);
    expect(creeps.falseRollbacks).toBe(0);
  });

  it('at very low traffic, rolls back or escalates every regression within the warm-up and the deadline', () => {
    const quiet = figures(category('very_low_traffic'), 'glidepath');
    expect(quiet.regressions).toBe(4);
    expect(quiet.falseRollbacks).toBe(0);
    expect(quiet.undecided).toBe(0);
    expect(quiet.timeToDecide.max!).toBeLessThanOrEqual(60 + 5 * 60 + 60);
  });
});

describe('canary bench: recordings and scenario files', () => {
  const bucketsOf = (count: number) => [
    { le: 0.1, count },
    { le: Infinity, count },
  ];
  const side = (requests: number, errors: number, failed: number) => ({
    requests,
    errors,
    latencyBuckets: bucketsOf(requests),
    healthChecks: { passed: requests / 10 - failed, failed },
  });

  it('keeps health checks in the counts of a later range', () => {
    expect(minus(side(1000, 5, 10), side(400, 2, 3))).toEqual({
      requests: 600,
      errors: 3,
      latencyBuckets: bucketsOf(600),
      healthChecks: { passed: 53, failed: 7 },
    });
  });

  it('judges a recording whose scrapes carry health checks, to the end', () => {
    const scrapes = Array.from({ length: 120 }, (_, i) => {
      const t = (i + 1) * 15;
      // From 10 minutes on, the canary fails half its health checks.
      const failed = t > 600 ? (t - 600) / 3 : 0;
      return {
        t,
        status: 'ok' as const,
        canary: side(t * 20, t / 10, failed),
        baseline: side(t * 20, t / 10, 0),
      };
    });
    const outcome = runGlidepath({
      id: 'checks',
      category: 'recorded',
      regression: true,
      onsetSeconds: 600,
      kind: 'recorded',
      scrapeIntervalSeconds: 15,
      durationSeconds: 1800,
      rps: 20,
      scrapes,
    });
    expect(outcome.failedRules).toEqual(['health_checks']);
    expect(outcome.rollbackAt).toBeGreaterThan(600);
  });

  it("gives a scenario that sets its baseline error rate without an SLO the SLO for that rate, not the drawn one's", () => {
    const { scenarios } = parseScenarioFile(
      JSON.stringify([
        { id: 'lossy', category: 'healthy', baselineErrorRate: 0.04 },
        {
          id: 'set',
          category: 'healthy',
          baselineErrorRate: 0.04,
          sloPercent: 99,
        },
      ]),
      { seed: SEED },
    );
    expect(scenarios.map(s => s.sloPercent)).toEqual([90, 99]);
  });

  it('removes what a scenario file sets to null', () => {
    const { scenarios } = parseScenarioFile(
      JSON.stringify([
        { id: 'burst', category: 'warmup' },
        { id: 'no-burst', category: 'warmup', warmup: null },
      ]),
      { seed: SEED },
    );
    expect(scenarios[0].warmup).toBeDefined();
    expect(scenarios[1].warmup).toBeUndefined();
    expect(scenarios[1].category).toBe('warmup');
  });

  it('checks no target on runs that have none of its category (--only-file)', () => {
    const recording = {
      id: 'mine',
      category: 'recorded',
      regression: false,
      onsetSeconds: null,
      kind: 'none',
      scrapeIntervalSeconds: 15,
      durationSeconds: 30,
      rps: null,
      scrapes: [
        {
          t: 15,
          status: 'ok' as const,
          canary: side(300, 1, 0),
          baseline: side(300, 1, 0),
        },
      ],
    };
    expect(checkTargets([evaluateRecording(recording)], 'glidepath')).toEqual(
      [],
    );
  });
});

describe('canary bench: statistics helpers', () => {
  it.each([
    [0, 3000, 0, 0.0012788],
    [7, 3000, 0.0011307, 0.0048088],
    [5, 10, 0.2365931, 0.7634069],
    [10, 10, 0.7224672, 1],
  ])('Wilson 95%% interval of %i of %i is [%f, %f]', (k, n, low, high) => {
    const interval = wilsonInterval(k, n);
    expect(interval.low).toBeCloseTo(low, 6);
    expect(interval.high).toBeCloseTo(high, 6);
  });

  it.each([
    [[1, 2, 3, 4, 10], 0.9, 7.6],
    [[3, 1, 2], 0.5, 2],
    [[5], 0.9, 5],
  ])('quantile of %j at %f is %f (type 7)', (values, q, expected) => {
    expect(quantile(values, q)).toBeCloseTo(expected, 9);
  });

  it("finds a shift with Mann-Whitney's interval", () => {
    const baseline = Array.from({ length: 40 }, (_, i) => Math.sin(i) * 3);
    const canary = baseline.map(v => v + 1);
    const result = mannWhitney(canary, baseline, 0.98);
    expect(result.estimate).toBeCloseTo(1, 1);
    expect(result.lower).toBeLessThan(1);
    expect(result.upper).toBeGreaterThan(1);
    expect(mannWhitney(baseline, baseline, 0.98).estimate).toBeCloseTo(0, 6);
  });
});
