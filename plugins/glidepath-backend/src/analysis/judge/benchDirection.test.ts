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
  evaluateRecording,
  figures,
  type RunResult,
} from '../../../../../bench/canary/evaluate';
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
    // Every gross regression beyond the default policy's limits is caught.
    const beyond = gross.filter(r => r.exceedsDefaultPolicy);
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
