import type {
  ArmMetrics,
  LatencyBucket,
} from '@glidepath/backstage-plugin-node';
import {
  histogramQuantile,
  histogramQuantileSmooth,
  histogramShareSlowerThan,
} from './histogram';
import { normalCdf, normalQuantile } from './normal';
import { judgeCanary } from './judge';
import { DEFAULT_POLICY, JudgePolicy } from './policy';
import { testAboveRate, testDifference } from './rateTests';
import { confidenceHalfWidth, eValueAboveZero } from './sequential';

const BOUNDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, Infinity];

/** A cumulative histogram from per-bucket counts. */
function buckets(perBucket: number[]): LatencyBucket[] {
  let total = 0;
  return BOUNDS.map((le, i) => ({ le, count: (total += perBucket[i] ?? 0) }));
}

function arm(
  requests: number,
  errors: number,
  perBucket: number[] = [],
): ArmMetrics {
  return {
    requests,
    errors,
    latencyBuckets: perBucket.length ? buckets(perBucket) : [],
  };
}

const errorsOnly: JudgePolicy = {
  ...DEFAULT_POLICY,
  latency: { ...DEFAULT_POLICY.latency, enabled: false },
};

describe('histogram', () => {
  it.each([
    // q, per-bucket counts, expected quantile
    [0.5, [0, 100], 0.075],
    [0.95, [50, 40, 10], 0.175],
    [0.99, [0, 0, 0, 0, 0, 0, 0, 10], 5],
  ])('quantile %p of %j is %p', (q, perBucket, expected) => {
    expect(histogramQuantile(q, buckets(perBucket))).toBeCloseTo(expected, 6);
  });

  it('has no quantile without requests', () => {
    expect(histogramQuantile(0.5, buckets([]))).toBeNull();
  });

  it.each([
    [0, 0.5],
    [1.6448536, 0.95],
    [-1.959964, 0.025],
    [3.0902323, 0.999],
  ])('normal distribution: %p <-> %p', (z, p) => {
    expect(normalCdf(z)).toBeCloseTo(p, 6);
    expect(normalQuantile(p)).toBeCloseTo(z, 5);
  });

  /**
   * The cumulative counts of `n` requests from a log-normal distribution
   * (plus `shift` seconds on every request), at the bounds.
   */
  function logNormal(n: number, median: number, sigma: number, shift = 0) {
    const below = (le: number) => {
      if (le === Infinity) return n;
      if (le <= shift) return 0;
      return Math.round(n * normalCdf(Math.log((le - shift) / median) / sigma));
    };
    return BOUNDS.map(le => ({ le, count: below(le) }));
  }

  it.each([
    // median, sigma, shift: the true p95 is shift + median * exp(1.645 sigma)
    [0.04, 0.6, 0],
    [0.06, 0.4, 0],
    [0.09, 0.5, 0],
    [0.3, 0.8, 0],
    // An added call: every request 60 ms slower.
    [0.1, 0.5, 0.06],
  ])(
    'reads the p95 of a log-normal inside a wide bucket (median %p s, sigma %p, shift %p s) within 2%, and the share slower than it, 5%',
    (median, sigma, shift) => {
      const histogram = logNormal(1_000_000, median, sigma, shift);
      const truth = shift + median * Math.exp(1.6448536 * sigma);
      expect(
        Math.abs(histogramQuantileSmooth(0.95, histogram)! / truth - 1),
      ).toBeLessThan(0.02);
      expect(histogramShareSlowerThan(truth, histogram)!).toBeCloseTo(0.05, 2);
      // Linear interpolation, for comparison, is off by more.
      expect(
        Math.abs(histogramQuantile(0.95, histogram)! / truth - 1),
      ).toBeGreaterThan(0.02);
    },
  );

  it('never overstates the share of slow requests where the counts cannot show the shape', () => {
    // Every request of a narrow distribution 70 ms slower: nothing under
    // 50 ms, 11% under 100 ms, all but 0.1% under 250 ms. No three bounds
    // have requests on both sides; the share slower than 175 ms is taken
    // as the least a power-law tail allows, under the truth (3.9%).
    const histogram = logNormal(5000, 0.035, 0.3, 0.07);
    const truth = 1 - normalCdf(Math.log((0.175 - 0.07) / 0.035) / 0.3);
    const share = histogramShareSlowerThan(0.175, histogram)!;
    expect(share).toBeLessThanOrEqual(truth);
    expect(share).toBeGreaterThanOrEqual(1 - histogram[2].count / 5000);
  });

  it.each([
    // The baseline's median and sigma; the canary the baseline x a + b s;
    // the point read. A creep 460 ms in: the canary in 500 ms - 1 s and
    // a few requests above, no three bounds with requests on both sides.
    [0.216, 0.42, 1, 0.46, 0.9],
    // 550 ms in: all but 2% in 500 ms - 1 s, only the upper bound tells.
    [0.216, 0.42, 1, 0.55, 0.87],
    // 576 ms in: 17% above 1 s, none above 2.5 s, only the lower one.
    [0.295, 0.52, 1, 0.576, 1.15],
  ])(
    "reads the share slower inside a bucket the canary's counts cannot shape on the baseline's curve, nearer the truth and not over it (baseline median %p s, sigma %p; canary x%p + %p s; at %p s)",
    (median, sigma, a, b, seconds) => {
      const baseline = logNormal(100_000, median, sigma);
      const canary = logNormal(100_000, median * a, sigma, b);
      const truth =
        1 - normalCdf(Math.log((seconds - b) / (median * a)) / sigma);
      const alone = histogramShareSlowerThan(seconds, canary)!;
      const shaped = histogramShareSlowerThan(seconds, canary, baseline)!;
      // Without the baseline, the least the counts allow: far under.
      expect(alone).toBeLessThan(truth / 2);
      expect(shaped).toBeLessThanOrEqual(truth * 1.05);
      expect(shaped).toBeGreaterThan(truth * 0.4);
    },
  );

  it("falls back to the least the counts allow where the baseline's own counts cannot shape the point either", () => {
    // Both narrow (sigma 0.2), the canary twice as slow: the baseline's
    // point (200 ms) lies in a bucket its own counts cannot shape.
    const baseline = logNormal(100_000, 0.15, 0.2);
    const canary = logNormal(100_000, 0.3, 0.2);
    const truth = 1 - normalCdf(Math.log(0.4 / 0.3) / 0.2);
    const shaped = histogramShareSlowerThan(0.4, canary, baseline)!;
    expect(shaped).toBeLessThanOrEqual(truth);
    expect(shaped).toBeGreaterThanOrEqual(1 - canary[3].count / 100_000);
  });

  it("keeps to the canary's own counts when the baseline is too small to lend its shape", () => {
    const canary = logNormal(100_000, 0.216, 0.42, 0.55);
    const small = logNormal(150, 0.216, 0.42);
    expect(histogramShareSlowerThan(0.87, canary, small)).toBe(
      histogramShareSlowerThan(0.87, canary),
    );
  });

  it('cannot tell beyond the highest finite bound, and has nothing to say of an empty histogram', () => {
    const histogram = buckets([50, 40, 10, 0, 0, 0, 0, 7]);
    expect(histogramShareSlowerThan(7, histogram)).toBeNull();
    expect(histogramQuantileSmooth(0.99, histogram)).toBe(5);
    expect(histogramShareSlowerThan(0.1, buckets([]))).toBeNull();
    expect(histogramQuantileSmooth(0.5, buckets([]))).toBeNull();
  });
});

describe('sequential tests', () => {
  it('gives no evidence for a non-positive estimate and grows with it', () => {
    expect(eValueAboveZero(0, 1e-4, 0.01)).toBe(1);
    expect(eValueAboveZero(-0.02, 1e-4, 0.01)).toBe(1);
    const small = eValueAboveZero(0.01, 1e-4, 0.01);
    const large = eValueAboveZero(0.05, 1e-4, 0.01);
    expect(small).toBeGreaterThan(0);
    expect(large).toBeGreaterThan(small);
    expect(Number.isFinite(eValueAboveZero(1, 1e-12, 0.01))).toBe(true);
  });

  it('narrows the confidence sequence as evidence accumulates, and widens it for a smaller alpha', () => {
    const wide = confidenceHalfWidth(1e-4, 0.01, 0.001);
    expect(confidenceHalfWidth(1e-6, 0.01, 0.001)).toBeLessThan(wide);
    expect(confidenceHalfWidth(1e-4, 0.01, 0.0001)).toBeGreaterThan(wide);
  });

  it.each([
    // canary errors/requests, baseline errors/requests, verdict
    [0, 0, 0, 0, 'no_data'],
    [5, 1000, 5, 1000, 'inconclusive'],
    [25, 5000, 100, 20000, 'pass'],
    [80, 1000, 5, 1000, 'fail'],
    // worse than baseline with confidence, but surely by less than the limit
    [700, 100000, 500, 100000, 'pass'],
    // gross but too few bad events to act on yet
    [4, 10, 0, 1000, 'inconclusive'],
  ])('difference %p/%p vs %p/%p: %p', (ec, nc, eb, nb, verdict) => {
    expect(
      testDifference({
        canaryEvents: ec,
        canaryTrials: nc,
        baselineEvents: eb,
        baselineTrials: nb,
        limit: 0.01,
        alpha: 0.001,
        minEvents: 5,
      }).verdict,
    ).toBe(verdict);
  });

  it.each([
    // canary errors, baseline errors (30,000 requests each), armSpread, verdict
    // Arms at 2% wander apart by a point for minutes: 3.2% against 2% is
    // significant and, on sampling error alone, material.
    [960, 600, 0, 'fail'],
    [960, 600, 0.25, 'inconclusive'],
    // 0.5% -> 1.5%: the spread of a low rate is small, still a fail.
    [450, 150, 0, 'fail'],
    [450, 150, 0.25, 'fail'],
  ])(
    'materiality with the arms spread: %p vs %p errors, spread %p: %p',
    (ec, eb, armSpread, verdict) => {
      expect(
        testDifference({
          canaryEvents: ec,
          canaryTrials: 30000,
          baselineEvents: eb,
          baselineTrials: 30000,
          limit: 0.01,
          alpha: 0.001,
          minEvents: 5,
          materialShare: DEFAULT_POLICY.materialShare,
          materialRatio: DEFAULT_POLICY.materialRatio,
          relativeMargin: DEFAULT_POLICY.relativeMargin,
          armSpread,
        }).verdict,
      ).toBe(verdict);
    },
  );

  it.each([
    [0, 0, 'no_data'],
    [2, 1000, 'pass'],
    [60, 1000, 'inconclusive'],
    [150, 1000, 'fail'],
  ])('%p of %p above a 5%% rate: %p', (events, trials, verdict) => {
    expect(
      testAboveRate({ events, trials, rate: 0.05, alpha: 0.001, minEvents: 5 })
        .verdict,
    ).toBe(verdict);
  });
});

describe('judgeCanary', () => {
  it.each([
    ['healthy', arm(10000, 50), arm(40000, 200), 'pass'],
    ['error rate 8% vs 0.5%', arm(2000, 160), arm(8000, 40), 'fail'],
    ['too early to tell', arm(50, 0), arm(200, 1), 'inconclusive'],
    ['no canary traffic', arm(0, 0), arm(5000, 20), 'no_data'],
    ['no baseline traffic', arm(100, 0), arm(0, 0), 'no_data'],
  ])('%s: %p', (_name, canary, baseline, verdict) => {
    const judgement = judgeCanary({ canary, baseline }, errorsOnly);
    expect(judgement.verdict).toBe(verdict);
    expect(judgement.metrics.map(m => m.rule)).toEqual(['error_rate']);
  });

  it("fails a canary whose p95 is 1.75x the baseline's (before 500 ms worse), with the boundary as evidence", () => {
    const baseline = arm(10000, 10, [4000, 5000, 900, 100]);
    const slow = arm(2000, 2, [0, 0, 0, 0, 1000, 1000]);
    const judgement = judgeCanary({ canary: slow, baseline }, DEFAULT_POLICY);
    const latency = judgement.metrics.find(m => m.rule === 'latency_p95')!;
    expect(judgement.verdict).toBe('fail');
    expect(latency.verdict).toBe('fail');
    // The baseline's p95 between the 100 ms (90%) and 250 ms (99%) bounds,
    // on the log-normal curve through them: 138 ms (linear interpolation:
    // 183 ms). The limit: 1.75x, and a fifth of the allowance more.
    const p95 = histogramQuantileSmooth(0.95, baseline.latencyBuckets)!;
    expect(p95).toBeGreaterThan(0.125);
    expect(p95).toBeLessThan(0.14);
    expect(latency.threshold).toBeCloseTo(p95 * 0.75, 9);
    expect(latency.boundarySeconds).toBeCloseTo(p95 * 1.9, 9);
    expect(latency.summary).toMatch(/vs baseline 138 ms/);
    expect(latency.canary.events).toBe(2000);

    const same = judgeCanary(
      { canary: arm(2500, 2, [1000, 1250, 225, 25]), baseline },
      DEFAULT_POLICY,
    );
    expect(same.metrics.find(m => m.rule === 'latency_p95')!.verdict).toBe(
      'pass',
    );
  });

  it.each([
    // canary per-bucket counts (50 ms, 100, 250, 500, 1 s, ...), verdict
    [
      // The run: the baseline's p95 105 ms, the canary's 131 ms
      // (x1.25, within 1.75x). Linear interpolation in the 100-250 ms
      // bucket counted 7.5% of the canary slower than a 199 ms limit: a
      // fail. On the log-normal curve: 3.6% slower than 181 ms.
      'p95 x1.25 across the 100 ms bound',
      [1500, 6500, 1900, 100],
      'pass',
    ],
    ['30% slower than 250 ms', [0, 2000, 5000, 3000], 'fail'],
    // x2.2 inside the 100-250 ms bucket: 8% slower than the 181 ms limit.
    ['p95 x2.2 inside one bucket', [1000, 6000, 2700, 300], 'fail'],
    ['as the baseline', [3000, 6450, 540, 10], 'pass'],
  ])('latency between the bounds, %s: %p', (_name, perBucket, verdict) => {
    const baseline = arm(10000, 10, [3000, 6450, 540, 10]);
    const judgement = judgeCanary(
      { canary: arm(10000, 10, perBucket), baseline },
      DEFAULT_POLICY,
    );
    const latency = judgement.metrics.find(m => m.rule === 'latency_p95')!;
    expect(latency.verdict).toBe(verdict);
    // 1.75x the baseline's 103 ms p95, and a fifth of the allowance more.
    expect(latency.boundarySeconds).toBeCloseTo(0.1955, 3);
  });

  it('cannot fail on latency when the limit is beyond the highest finite bound, and says so', () => {
    const baseline = arm(10000, 10, [0, 0, 0, 0, 0, 0, 9000, 1000]);
    const judgement = judgeCanary(
      { canary: arm(1000, 1, [0, 0, 0, 0, 0, 0, 0, 1000]), baseline },
      DEFAULT_POLICY,
    );
    const latency = judgement.metrics.find(m => m.rule === 'latency_p95')!;
    expect(latency.verdict).toBe('no_data');
    expect(latency.summary).toMatch(/beyond the histogram's highest bucket/);
  });

  it.each([
    // canary errors/requests, baseline errors/requests, verdict
    [
      // A downstream outage both arms share: 13.5% vs 12.7% on 600,000
      // requests a side is significant, and no more than the arms' slightly
      // different shares of the outage's traffic make it. It failed.
      'a shared outage',
      [80_052, 592_525],
      [75_696, 596_317],
      'inconclusive',
    ],
    [
      // +0.64 pp measured early, 5x a 0.16% baseline (canary pods in
      // another zone, 0.3 pp worse, within +1 pp): the "twice the
      // baseline" rule failed it on the noisy estimate.
      'an early, noisy estimate of a small offset',
      [40, 5000],
      [8, 5000],
      'inconclusive',
    ],
    ['0.5% -> 1.5%', [150, 10_000], [50, 10_000], 'fail'],
    ['0.5% -> 1.5%, 3x, early', [90, 6000], [30, 6000], 'fail'],
  ])(
    'an error rate excess is material before it fails, %s: %p',
    (_name, [ec, nc], [eb, nb], verdict) => {
      const judgement = judgeCanary(
        { canary: arm(nc, ec), baseline: arm(nb, eb) },
        errorsOnly,
      );
      expect(judgement.metrics[0].verdict).toBe(verdict);
    },
  );

  it('judges health checks on the totals when the recent window has none', () => {
    const withChecks = (failed: number): ArmMetrics => ({
      ...arm(20_000, 20),
      healthChecks: { passed: 2000 - failed, failed },
    });
    // A provider's short window may come back without health checks (the
    // bench's own recent window dropped them and crashed).
    const judge = (canaryFailed: number) =>
      judgeCanary(
        {
          canary: withChecks(canaryFailed),
          baseline: withChecks(10),
          recent: { canary: arm(2000, 2), baseline: arm(2000, 2), index: 3 },
        },
        errorsOnly,
      ).metrics.find(m => m.rule === 'health_checks')!;
    expect(judge(10).verdict).toBe('pass');
    expect(judge(10).summary).toMatch(/^Canary health checks failing 0\.50%/);
    expect(judge(400).verdict).toBe('fail');
  });

  it('does not blame the canary for a burn both arms share', () => {
    // Burning 44.2x and 43.2x a 99.9% SLO's budget over 6 hours: a shared
    // downstream outage. The slow burn rule failed the canary.
    const canary = arm(200_000, 8840);
    const baseline = arm(200_000, 8640);
    const judgement = judgeCanary(
      {
        canary,
        baseline,
        sloPercent: 99.9,
        windows: {
          300: { canary: arm(10_000, 440), baseline: arm(10_000, 430) },
          1800: { canary: arm(30_000, 1320), baseline: arm(30_000, 1300) },
          3600: { canary, baseline },
          21600: { canary, baseline },
        },
      },
      { ...errorsOnly, errorRate: { enabled: false, maxIncrease: 0.01 } },
    );
    expect(judgement.metrics.map(m => [m.rule, m.verdict === 'fail'])).toEqual([
      ['burn_rate_fast', false],
      ['burn_rate_slow', false],
    ]);
  });

  it('catches a regression that starts late in the recent window, where the totals dilute it', () => {
    // Two hours of a healthy canary, then five minutes at 6% errors.
    const before = { canary: arm(720_000, 3600), baseline: arm(720_000, 3600) };
    const late = { canary: arm(30_000, 1800), baseline: arm(30_000, 150) };
    const totals = {
      canary: arm(750_000, 5400),
      baseline: arm(750_000, 3750),
    };
    expect(before.canary.errors / before.canary.requests).toBe(0.005);
    const overallOnly = judgeCanary(totals, errorsOnly);
    expect(overallOnly.verdict).not.toBe('fail');
    const withRecent = judgeCanary(
      { ...totals, recent: { ...late, index: 24 } },
      errorsOnly,
    );
    expect(withRecent.verdict).toBe('fail');
    expect(withRecent.metrics[0].summary).toMatch(
      /^Since 2 h into the canary: Canary error rate 6\.00%/,
    );
  });

  it('splits the false-rollback budget between the rules that apply', () => {
    const judgement = judgeCanary(
      {
        canary: arm(100, 1, [100]),
        baseline: arm(100, 1, [100]),
        sloPercent: 99.9,
        windows: {},
      },
      DEFAULT_POLICY,
    );
    // Shares by weight: error rate 4, latency 3, each burn rate 1; the
    // counts since the start get three quarters of a share, the recent
    // windows the rest.
    expect(judgement.metrics.map(m => m.rule)).toEqual([
      'error_rate',
      'latency_p95',
      'burn_rate_fast',
      'burn_rate_slow',
    ]);
    const alphas = judgement.metrics.map(m => m.alpha);
    [(4 / 9) * 0.75, (3 / 9) * 0.75, 1 / 9, 1 / 9].forEach((share, i) =>
      expect(alphas[i]).toBeCloseTo(0.002 * share, 12),
    );
    // No window counts: the burn rules have no data, the verdict waits.
    expect(
      judgement.metrics
        .filter(m => m.rule.startsWith('burn'))
        .map(m => m.verdict),
    ).toEqual(['no_data', 'no_data']);
  });

  it.each([
    // long canary, short canary, long baseline, verdict of the fast burn rule
    [
      'burning on both windows',
      arm(20000, 600),
      arm(2000, 60),
      arm(20000, 10),
      'fail',
    ],
    [
      'burnt but recovered',
      arm(20000, 600),
      arm(2000, 1),
      arm(20000, 10),
      'inconclusive',
    ],
    [
      'baseline burns as much',
      arm(20000, 600),
      arm(2000, 60),
      arm(20000, 700),
      'inconclusive',
    ],
    ['within budget', arm(20000, 20), arm(2000, 2), arm(20000, 20), 'pass'],
  ])(
    'burn rate against a 99.9%% SLO, %s: %p',
    (_name, long, short, baseLong, verdict) => {
      const judgement = judgeCanary(
        {
          canary: long,
          baseline: baseLong,
          sloPercent: 99.9,
          windows: {
            300: { canary: short, baseline: arm(2000, 2) },
            3600: { canary: long, baseline: baseLong },
            1800: { canary: short, baseline: arm(2000, 2) },
            21600: { canary: long, baseline: baseLong },
          },
        },
        { ...errorsOnly, errorRate: { enabled: false, maxIncrease: 0.01 } },
      );
      const fast = judgement.metrics.find(m => m.rule === 'burn_rate_fast')!;
      expect(fast.verdict).toBe(verdict);
      expect(fast.threshold).toBe(14.4);
    },
  );

  it('never fails an A/A canary across many seeded runs at every look', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let failures = 0;
    for (let run = 0; run < 200; run++) {
      const canary = arm(0, 0);
      const baseline = arm(0, 0);
      for (let look = 0; look < 60; look++) {
        for (let i = 0; i < 150; i++) {
          canary.requests += 1;
          baseline.requests += 1;
          if (random() < 0.01) canary.errors += 1;
          if (random() < 0.01) baseline.errors += 1;
        }
        if (judgeCanary({ canary, baseline }, errorsOnly).verdict === 'fail') {
          failures += 1;
          break;
        }
      }
    }
    expect(failures).toBe(0);
  });
});
