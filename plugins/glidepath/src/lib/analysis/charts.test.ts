import type { MetricUnit } from './format';
import { buildMetricCharts, formatChartValue } from './charts';
import {
  escalationAnalysis,
  holdAnalysis,
  makeAnalysis,
  passingAnalyses,
  rollbackAnalyses,
} from '../../__testUtils__/analysis';

describe('formatChartValue', () => {
  it.each<[number, MetricUnit, string]>([
    [7.04, 'ratio', '7.04%'],
    [231, 'seconds', '231 ms'],
    [14.4, 'burn_rate', '14.4x'],
  ])('%p in %s is %s', (value, unit, text) => {
    expect(formatChartValue(value, unit)).toBe(text);
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
