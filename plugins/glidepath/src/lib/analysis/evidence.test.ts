import type {
  AnalysisRule,
  MetricEvidence,
} from '@glidepath/backstage-plugin-common';
import {
  evidenceRow,
  PROVIDER_MEASUREMENTS_SHOWN,
  providerMetricRow,
} from './evidence';
import {
  makeMetric,
  makeProviderMetric,
  rollbackAnalyses,
} from '../../__testUtils__/analysis';

describe('evidenceRow', () => {
  it('formats the failing error-rate evidence', () => {
    const metric = rollbackAnalyses[1].metrics[0];
    expect(evidenceRow(metric)).toEqual({
      rule: 'error_rate',
      label: 'Error rate',
      verdict: 'fail',
      summary: metric.summary,
      canary: { observed: '7.04%', counts: '29 of 412 requests failed' },
      baseline: { observed: '0.49%', counts: '19 of 3,911 requests failed' },
      excess: '+6.55 pp',
      bounds: '+3.72 to +9.38 pp',
      tolerated: '+1.00 pp',
      eValue: '1.2e5',
      eValueThreshold: '4000',
      threshold: '+1.00 pp over the baseline',
    });
  });

  it.each<[AnalysisRule, Partial<MetricEvidence>, string, string, string]>([
    ['latency_p95', {}, '221 ms', '214 ms', '+500 ms over the baseline p95'],
    ['burn_rate_fast', {}, '0.5x', '0.5x', '14.4x'],
    ['burn_rate_slow', {}, '0.5x', '0.5x', '6.0x'],
    [
      'health_checks',
      { canary: { trials: 0, events: 0, observed: null } },
      'no data',
      '0.09%',
      '+1.00 pp over the baseline',
    ],
  ])('%s in its unit', (rule, overrides, canary, baseline, threshold) => {
    const row = evidenceRow(makeMetric(rule, overrides));
    expect([row.canary.observed, row.baseline.observed, row.threshold]).toEqual(
      [canary, baseline, threshold],
    );
  });
});

describe('providerMetricRow', () => {
  const many = Array.from({ length: 8 }, (_, i) => ({
    phase: 'Successful',
    verdict: 'pass' as const,
    value: `0.9${i}`,
    message: null,
    startedAt: null,
    finishedAt: null,
  }));
  it.each([
    [
      'counts only what happened, the success condition and the failure limit',
      makeProviderMetric(),
      {
        counts: '3 measurements: 2 successful, 1 failed',
        condition:
          'passes when result[0] >= 0.95; fails after more than 0 failed measurements',
        earlier: 0,
      },
    ],
    [
      'no measurement yet, no conditions',
      makeProviderMetric({
        count: 0,
        successful: 0,
        failed: 0,
        successCondition: null,
        failureLimit: null,
        measurements: [],
      }),
      { counts: '0 measurements', condition: '—', latest: [], earlier: 0 },
    ],
    [
      'errored and inconclusive measurements, a failure condition, a limit of one',
      makeProviderMetric({
        count: 1,
        successful: 0,
        failed: 0,
        inconclusive: 1,
        error: 2,
        successCondition: null,
        failureCondition: 'result > 5',
        failureLimit: 1,
      }),
      {
        counts: '1 measurement: 1 inconclusive, 2 errored',
        condition:
          'fails when result > 5; fails after more than 1 failed measurement',
      },
    ],
    [
      `only the latest ${PROVIDER_MEASUREMENTS_SHOWN} measurements, with how many are not shown`,
      makeProviderMetric({ count: 8, measurements: many }),
      {
        latest: many
          .slice(-PROVIDER_MEASUREMENTS_SHOWN)
          .map(m => ({ value: m.value, verdict: 'pass', at: null })),
        earlier: 8 - PROVIDER_MEASUREMENTS_SHOWN,
      },
    ],
    [
      'a measurement without a value shows its phase, at when it finished',
      makeProviderMetric({
        measurements: [
          {
            phase: 'Error',
            verdict: 'no_data',
            value: null,
            message: 'connection refused',
            startedAt: '2026-11-27T10:00:00.000Z',
            finishedAt: '2026-11-27T10:00:02.000Z',
          },
        ],
      }),
      {
        latest: [
          {
            value: 'Error',
            verdict: 'no_data',
            at: '2026-11-27T10:00:02.000Z',
          },
        ],
      },
    ],
  ])('%s', (_name, metric, expected) => {
    expect(providerMetricRow(metric)).toMatchObject(expected);
  });
});
