import type { ArmMetrics } from '@glidepath/backstage-plugin-node';
import { DEFAULT_POLICY } from './policy';
import { judgeWarmup } from './warmup';

function arm(
  requests: number,
  errors: number,
  checks?: { passed: number; failed: number },
): ArmMetrics {
  return {
    requests,
    errors,
    latencyBuckets: [],
    ...(checks ? { healthChecks: checks } : {}),
  };
}

describe('judgeWarmup', () => {
  it.each([
    // name, canary, baseline, verdict, error rule's verdict
    // The bench's warm-up bursts: up to half the requests failing.
    [
      'a warm-up burst of 50% at 100 rps for 60 s',
      arm(6_000, 3_000),
      arm(24_000, 120),
      'inconclusive',
      'inconclusive',
    ],
    [
      'a warm-up burst of 60% on a 10% baseline',
      arm(6_000, 3_600),
      arm(24_000, 2_400),
      'inconclusive',
      'inconclusive',
    ],
    // A crash loop's first crash: every request failed while the pod was
    // down, and the counts since the start show it.
    [
      'a crash: 95% of 2,000 failing',
      arm(2_000, 1_900),
      arm(8_000, 40),
      'fail',
      'fail',
    ],
    [
      'a crash at 10 rps, 15 s in: 140 of 150 failing',
      arm(150, 140),
      arm(600, 3),
      'fail',
      'fail',
    ],
    // A shared outage fails both arms alike: not the canary's doing.
    [
      'a shared outage: 90% against 45%',
      arm(2_000, 1_800),
      arm(8_000, 3_600),
      'inconclusive',
      'inconclusive',
    ],
    [
      'too few requests to tell: 4 of 4',
      arm(4, 4),
      arm(16, 0),
      'inconclusive',
      'inconclusive',
    ],
    [
      'a baseline failing half its requests: nothing to beat',
      arm(2_000, 2_000),
      arm(8_000, 4_000),
      'inconclusive',
      'no_data',
    ],
    [
      'no baseline requests',
      arm(2_000, 1_900),
      arm(0, 0),
      'no_data',
      'no_data',
    ],
  ] as const)('%s: %s', (_name, canary, baseline, verdict, errorVerdict) => {
    const judgement = judgeWarmup({ canary, baseline }, DEFAULT_POLICY);
    expect(judgement.verdict).toBe(verdict);
    expect(judgement.metrics[0]).toMatchObject({
      rule: 'error_rate',
      verdict: errorVerdict,
    });
  });

  it.each([
    // name, canary checks, baseline checks, verdict
    [
      'every check failing (a crash loop)',
      { passed: 0, failed: 30 },
      { passed: 120, failed: 0 },
      'fail',
    ],
    [
      'half the checks failing (a warm-up burst)',
      { passed: 30, failed: 30 },
      { passed: 240, failed: 0 },
      'inconclusive',
    ],
  ] as const)(
    'health checks, %s: %s',
    (_name, canaryChecks, baselineChecks, verdict) => {
      const judgement = judgeWarmup(
        {
          canary: arm(600, 3, canaryChecks),
          baseline: arm(2_400, 12, baselineChecks),
        },
        DEFAULT_POLICY,
      );
      expect(judgement.verdict).toBe(verdict);
      expect(judgement.metrics.map(m => [m.rule, m.verdict])).toEqual([
        ['error_rate', 'inconclusive'],
        ['health_checks', verdict],
      ]);
    },
  );

  it('reports the excess over the baseline, as the other ratio rules', () => {
    const [errors] = judgeWarmup(
      { canary: arm(2_000, 1_900), baseline: arm(8_000, 40) },
      DEFAULT_POLICY,
    ).metrics;
    expect(errors.estimate).toBeCloseTo(0.945, 6);
    expect(errors.limit).toBe(0.5);
    expect(errors.lowerBound!).toBeGreaterThan(0.5);
    expect(errors.summary).toBe(
      'Canary error rate 95.00% (1,900 of 2,000) vs baseline 0.50% (40 of 8,000) during the warm-up: failing more requests than any warm-up (+50.00 pp above the baseline).',
    );
  });

  it('judges nothing of a rule the policy turns off', () => {
    const judgement = judgeWarmup(
      { canary: arm(2_000, 1_900), baseline: arm(8_000, 40) },
      { ...DEFAULT_POLICY, errorRate: { enabled: false, maxIncrease: 0.01 } },
    );
    expect(judgement).toEqual({ verdict: 'inconclusive', metrics: [] });
  });
});
