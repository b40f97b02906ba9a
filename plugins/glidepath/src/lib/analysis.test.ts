import type {
  Analysis,
  AnalysisRule,
  ArmEvidence,
  MetricEvidence,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import {
  buildMetricCharts,
  evidenceRow,
  failingEvidence,
  findAutomaticRollback,
  formatArmCounts,
  formatBounds,
  formatChartValue,
  formatEValue,
  formatExcess,
  formatObserved,
  formatThreshold,
  latestAnalysis,
  MetricUnit,
  newestFirst,
  noAnalysisMessage,
  PROVIDER_MEASUREMENTS_SHOWN,
  providerMetricRow,
  ruleLabel,
} from './analysis';
import {
  escalationAnalysis,
  holdAnalysis,
  makeAction,
  makeAnalysis,
  makeMetric,
  makeProviderMetric,
  passingAnalyses,
  policyRollbackAction,
  ROLLBACK_REASON,
  rollbackAnalyses,
} from '../__testUtils__/fixtures';

describe('ruleLabel', () => {
  it.each<[AnalysisRule, string]>([
    ['error_rate', 'Error rate'],
    ['latency_p95', 'p95 latency'],
    ['health_checks', 'Health checks'],
    ['burn_rate_fast', 'Error budget burn (1 h / 5 min)'],
    ['burn_rate_slow', 'Error budget burn (6 h / 30 min)'],
  ])('%s is %s', (rule, label) => {
    expect(ruleLabel(rule)).toBe(label);
  });
});

describe('formatObserved', () => {
  it.each<[number | null, MetricUnit, string]>([
    [0.0704, 'ratio', '7.04%'],
    [0.0049, 'ratio', '0.49%'],
    [0, 'ratio', '0.00%'],
    [1, 'ratio', '100.00%'],
    [0.231, 'seconds', '231 ms'],
    [0.5, 'seconds', '500 ms'],
    [1.2345, 'seconds', '1,235 ms'],
    [0.0042, 'seconds', '4.2 ms'],
    [0.004, 'seconds', '4 ms'],
    [14.4, 'burn_rate', '14.4x'],
    [7.04, 'burn_rate', '7.0x'],
    [0.35, 'burn_rate', '0.35x'],
    [0.5, 'burn_rate', '0.5x'],
    [0, 'burn_rate', '0.0x'],
    [null, 'ratio', 'no data'],
    [null, 'seconds', 'no data'],
  ])('%p in %s is %s', (value, unit, text) => {
    expect(formatObserved(value, unit)).toBe(text);
  });
});

describe('formatExcess and formatBounds', () => {
  it.each<[number | null, string]>([
    [0.0655, '+6.55 pp'],
    [-0.0242, '-2.42 pp'],
    [0, '0.00 pp'],
    [0.00002, '+0.0020 pp'],
    [null, '—'],
  ])('excess %p is %s', (value, text) => {
    expect(formatExcess(value)).toBe(text);
  });

  it.each<[number | null, number | null, string]>([
    [0.0372, 0.0938, '+3.72 to +9.38 pp'],
    [-0.031, 0.033, '-3.10 to +3.30 pp'],
    [null, 0.01, 'no bounds yet'],
    [null, null, 'no bounds yet'],
  ])('bounds %p, %p are %s', (lower, upper, text) => {
    expect(formatBounds(lower, upper)).toBe(text);
  });
});

describe('formatEValue', () => {
  it.each<[number | null, string]>([
    [1.2e5, '1.2e5'],
    [4000, '4000'],
    [6.1, '6.1'],
    [0.2137, '0.214'],
    [1, '1'],
    [99_600, '1.0e5'],
    [1e300, '1.0e300'],
    [Number.POSITIVE_INFINITY, '∞'],
    [null, '—'],
  ])('%p is %s', (value, text) => {
    expect(formatEValue(value)).toBe(text);
  });
});

describe('formatThreshold', () => {
  it.each<[MetricUnit, number, string]>([
    ['ratio', 0.01, '+1.00 pp over the baseline'],
    ['ratio', 0.005, '+0.50 pp over the baseline'],
    ['seconds', 0.5, '+500 ms over the baseline p95'],
    ['burn_rate', 14.4, '14.4x'],
    ['burn_rate', 6, '6.0x'],
  ])('%s %p is %s', (unit, threshold, text) => {
    expect(formatThreshold({ unit, threshold })).toBe(text);
  });
});

describe('formatArmCounts', () => {
  it.each<[AnalysisRule, number | null, ArmEvidence, string]>([
    [
      'error_rate',
      null,
      { trials: 412, events: 29, observed: 0.0704 },
      '29 of 412 requests failed',
    ],
    [
      'error_rate',
      null,
      { trials: 3911, events: 19, observed: 0.0049 },
      '19 of 3,911 requests failed',
    ],
    [
      'latency_p95',
      0.812,
      { trials: 412, events: 37, observed: 0.9 },
      '37 of 412 requests slower than 812 ms',
    ],
    [
      'latency_p95',
      null,
      { trials: 0, events: 0, observed: null },
      '0 of 0 requests slower than the boundary',
    ],
    [
      'health_checks',
      null,
      { trials: 120, events: 2, observed: 0.0167 },
      '2 of 120 health checks failed',
    ],
    [
      'burn_rate_fast',
      null,
      { trials: 1, events: 1, observed: 100 },
      '1 of 1 request failed',
    ],
    [
      'error_rate',
      null,
      { trials: 1204.6, events: 6.2, observed: 0.005 },
      '6 of 1,205 requests failed',
    ],
  ])('%s', (rule, boundarySeconds, arm, text) => {
    expect(formatArmCounts({ rule, boundarySeconds }, arm)).toBe(text);
  });
});

describe('formatChartValue', () => {
  it.each<[number, MetricUnit, string]>([
    [7.04, 'ratio', '7.04%'],
    [231, 'seconds', '231 ms'],
    [14.4, 'burn_rate', '14.4x'],
  ])('%p in %s is %s', (value, unit, text) => {
    expect(formatChartValue(value, unit)).toBe(text);
  });
});

describe('newestFirst and latestAnalysis', () => {
  it('orders by evaluation time, whatever the input order', () => {
    const [a, b, c] = passingAnalyses;
    expect(newestFirst([b, c, a]).map(x => x.id)).toEqual([
      'an-pass-3',
      'an-pass-2',
      'an-pass-1',
    ]);
    expect(latestAnalysis([c, a, b])?.id).toBe('an-pass-3');
    expect(latestAnalysis([])).toBeUndefined();
  });

  it('does not reorder its input', () => {
    const input = [...passingAnalyses];
    newestFirst(input);
    expect(input.map(x => x.id)).toEqual(passingAnalyses.map(x => x.id));
  });
});

describe('failingEvidence', () => {
  it('picks the failing rules in display order', () => {
    const analysis = makeAnalysis({
      metrics: [
        makeMetric('burn_rate_fast', { verdict: 'fail' }),
        makeMetric('latency_p95'),
        makeMetric('error_rate', { verdict: 'fail' }),
        makeMetric('health_checks', { verdict: 'inconclusive' }),
      ],
    });
    expect(failingEvidence(analysis).map(m => m.rule)).toEqual([
      'error_rate',
      'burn_rate_fast',
    ]);
    expect(failingEvidence(passingAnalyses[2])).toEqual([]);
  });
});

describe('findAutomaticRollback', () => {
  const userRollback = makeAction({
    id: 'act-user',
    requestedAt: '2025-03-01T10:20:00.000Z',
  });

  it.each<
    [
      string,
      Analysis[],
      ReleaseAction[],
      {
        reason: string;
        analysis?: string;
        action?: string;
        evidence: AnalysisRule[];
      } | null,
    ]
  >([
    [
      'a latest analysis that decided to roll back',
      rollbackAnalyses,
      [],
      {
        reason: ROLLBACK_REASON,
        analysis: 'an-rb-2',
        evidence: ['error_rate'],
      },
    ],
    [
      'the policy action and the analysis that requested it',
      rollbackAnalyses,
      [policyRollbackAction],
      {
        reason: ROLLBACK_REASON,
        analysis: 'an-rb-2',
        action: 'act-rb-1',
        evidence: ['error_rate'],
      },
    ],
    [
      'the policy action, though later analyses did not roll back',
      [...rollbackAnalyses, holdAnalysis],
      [policyRollbackAction],
      {
        reason: ROLLBACK_REASON,
        analysis: 'an-rb-2',
        action: 'act-rb-1',
        evidence: ['error_rate'],
      },
    ],
    [
      'the policy action alone, when its analysis is not among those loaded',
      [],
      [policyRollbackAction],
      { reason: ROLLBACK_REASON, action: 'act-rb-1', evidence: [] },
    ],
    ['a passing canary', passingAnalyses, [], null],
    [
      'a rollback a person asked for',
      passingAnalyses,
      [{ ...userRollback, reason: 'customers complain' }],
      null,
    ],
    [
      'a rollback decision followed by holds',
      [...rollbackAnalyses, holdAnalysis],
      [],
      {
        reason: ROLLBACK_REASON,
        analysis: 'an-rb-2',
        evidence: ['error_rate'],
      },
    ],
    [
      'a rollback the canary went on from (retried, then passing)',
      [
        ...rollbackAnalyses,
        makeAnalysis({ id: 'an-retry', evaluatedAt: '2025-03-01T10:30:00Z' }),
      ],
      [policyRollbackAction],
      null,
    ],
    ['nothing', [], [], null],
  ])('%s', (_name, analyses, actions, expected) => {
    const found = findAutomaticRollback({ analyses, actions });
    expect(
      found && {
        reason: found.reason,
        analysis: found.analysis?.id,
        action: found.action?.id,
        evidence: found.evidence.map(m => m.rule),
      },
    ).toEqual(
      expected === null
        ? undefined
        : { analysis: undefined, action: undefined, ...expected },
    );
  });
});

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

describe('buildMetricCharts', () => {
  it('draws one chart per rule present, in display order', () => {
    const charts = buildMetricCharts(passingAnalyses);
    expect(charts.map(c => [c.rule, c.title, c.unitLabel])).toEqual([
      ['error_rate', 'Error rate', 'Percent of requests failed'],
      ['latency_p95', 'p95 latency', '95th percentile, milliseconds'],
      [
        'burn_rate_fast',
        'Error budget burn (1 h / 5 min)',
        'Multiple of the sustainable burn rate',
      ],
    ]);
    expect(buildMetricCharts([])).toEqual([]);
  });

  it('puts the points oldest first, in percent, with the baseline plus the limit', () => {
    const [errorRate] = buildMetricCharts([...rollbackAnalyses].reverse());
    expect(errorRate.points).toEqual([
      {
        time: Date.parse('2025-03-01T10:02:00.000Z'),
        canary: 3.13,
        baseline: 0.45,
        limit: 1.45,
      },
      {
        time: Date.parse('2025-03-01T10:04:00.000Z'),
        canary: 7.04,
        baseline: 0.49,
        limit: 1.49,
      },
    ]);
    expect(errorRate.limitSeries).toBe(true);
    expect(errorRate.referenceLine).toBeNull();
    expect(errorRate.summary).toBe(
      'Error rate, 2 evaluations: latest canary 7.04%, baseline 0.49%, baseline + limit 1.49%. Canary ranged from 3.13% to 7.04%.',
    );
  });

  it('draws latency in ms against the slow-request boundary', () => {
    const latency = buildMetricCharts(passingAnalyses)[1];
    expect(latency.points.map(p => [p.canary, p.baseline, p.limit])).toEqual([
      [231, 214, 714],
      [226, 214, 714],
      [221, 214, 714],
    ]);
  });

  it('draws burn rates against a fixed threshold', () => {
    const burn = buildMetricCharts(rollbackAnalyses).find(
      c => c.rule === 'burn_rate_slow',
    )!;
    expect(burn.limitSeries).toBe(false);
    expect(burn.referenceLine).toEqual({ value: 6, label: 'Threshold 6.0x' });
    expect(burn.points).toEqual([
      {
        time: Date.parse('2025-03-01T10:04:00.000Z'),
        canary: 7.04,
        baseline: 0.49,
        limit: null,
      },
    ]);
    expect(burn.summary).toBe(
      'Error budget burn (6 h / 30 min), 1 evaluation: latest canary 7.0x, baseline 0.49x, threshold 6.0x.',
    );
  });

  it('leaves gaps where there was no data, and marks simulated points', () => {
    const charts = buildMetricCharts([
      makeAnalysis({ ...passingAnalyses[0], simulated: true }),
      holdAnalysis,
      escalationAnalysis,
    ]);
    const errorRate = charts[0];
    expect(errorRate.points.map(p => [p.canary, p.baseline, p.limit])).toEqual([
      [0.56, 0.49, 1.49],
      [null, null, null],
      [null, null, null],
    ]);
    expect(errorRate.simulated).toBe(true);
    expect(charts.map(c => c.rule)).toEqual([
      'error_rate',
      'latency_p95',
      'health_checks',
      'burn_rate_fast',
      'burn_rate_slow',
    ]);
    expect(charts[2].summary).toBe(
      'Health checks, 2 evaluations: latest canary no data, baseline no data, baseline + limit no data.',
    );
  });
});

describe('noAnalysisMessage', () => {
  const notYet =
    'No analysis yet: Glidepath judges a canary once it takes traffic.';
  const never =
    'Glidepath did not judge this release: it ended without an evaluation of its canary.';
  const blueGreen =
    'Glidepath does not analyse blue-green releases: traffic switches all at once, so there is no canary traffic to compare with the baseline.';
  it.each([
    ['canary', 'progressing', notYet],
    ['canary', 'paused', notYet],
    ['rolling', 'pending', notYet],
    ['canary', 'aborted', never],
    ['canary', 'succeeded', never],
    ['rolling', 'rolled_back', never],
    ['blue_green', 'progressing', blueGreen],
    ['blue_green', 'succeeded', blueGreen],
  ] as const)('%s, %s', (strategy, phase, message) => {
    expect(noAnalysisMessage({ strategy, phase })).toBe(message);
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
