import {
  buildMetricCharts,
  ChartUnit,
  formatChartTick,
  formatChartValue,
} from './charts';
import {
  escalationAnalysis,
  holdAnalysis,
  makeAnalysis,
  passingAnalyses,
  rollbackAnalyses,
} from '../../__testUtils__/analysis';

describe('formatChartValue', () => {
  it.each<[number, ChartUnit, string]>([
    [6.55, 'points', '+6.55 pp'],
    [-0.5, 'points', '-0.50 pp'],
    [7.04, 'percent', '7.04%'],
    [14.4, 'multiple', '14.4x'],
  ])('%p in %s is %s', (value, unit, text) => {
    expect(formatChartValue(value, unit)).toBe(text);
  });
});

describe('formatChartTick', () => {
  it.each<[number, ChartUnit, string]>([
    [3, 'points', '+3 pp'],
    [-2.5, 'points', '-2.5 pp'],
    [0, 'points', '0 pp'],
    [0.125, 'percent', '0.13%'],
    [14.4, 'multiple', '14.4x'],
  ])('%p in %s is %s', (value, unit, text) => {
    expect(formatChartTick(value, unit)).toBe(text);
  });
});

describe('buildMetricCharts', () => {
  it('draws one chart per rule present, in display order', () => {
    const charts = buildMetricCharts(passingAnalyses);
    expect(charts.map(c => [c.rule, c.title, c.unit])).toEqual([
      ['error_rate', 'Error rate', 'points'],
      ['latency_p95', 'p95 latency', 'percent'],
      ['burn_rate_fast', 'Error budget burn (1 h / 5 min)', 'multiple'],
    ]);
    expect(buildMetricCharts([])).toEqual([]);
  });

  it('draws what the judge tests: the excess with its confidence range against the limit, oldest first', () => {
    const [errorRate] = buildMetricCharts([...rollbackAnalyses].reverse());
    expect(errorRate.points).toEqual([
      {
        time: Date.parse('2025-03-01T10:02:00.000Z'),
        value: 2.68,
        range: [-2, 7.4],
        limit: 1,
      },
      {
        time: Date.parse('2025-03-01T10:04:00.000Z'),
        value: 6.55,
        range: [3.72, 9.38],
        limit: 1,
      },
    ]);
    expect(errorRate.unitLabel).toMatch(/minus the baseline's/);
    expect(errorRate.summary).toBe(
      'Error rate, 2 evaluations: latest +6.55 pp (range +3.72 pp to +9.38 pp) against a limit of +1.00 pp.',
    );
  });

  it('draws latency as the share of slow canary requests against 5%', () => {
    const latency = buildMetricCharts(passingAnalyses)[1];
    const last = latency.points[latency.points.length - 1];
    expect(last.limit).toBe(5);
    expect(last.value).toBeCloseTo(2.58, 10);
    expect(last.range![0]).toBeCloseTo(0.9, 10);
    expect(last.range![1]).toBeCloseTo(4.26, 10);
    expect(latency.howToRead).toMatch(/at most 5%/);
  });

  it('draws burn rates against their threshold, without a range', () => {
    const burn = buildMetricCharts(rollbackAnalyses).find(
      c => c.rule === 'burn_rate_slow',
    )!;
    expect(burn.points).toEqual([
      {
        time: Date.parse('2025-03-01T10:04:00.000Z'),
        value: 7.04,
        range: null,
        limit: 6,
      },
    ]);
    expect(burn.summary).toBe(
      'Error budget burn (6 h / 30 min), 1 evaluation: latest 7.0x against a limit of 6.0x.',
    );
  });

  it('leaves gaps where there was no data, and marks simulated points', () => {
    const charts = buildMetricCharts([
      makeAnalysis({ ...passingAnalyses[0], simulated: true }),
      holdAnalysis,
      escalationAnalysis,
    ]);
    const errorRate = charts[0];
    expect(errorRate.points.map(p => [p.value, p.range])).toEqual([
      [0.07, [-3.1, 3.3]],
      [null, null],
      [null, null],
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
      'Health checks, 2 evaluations: latest no data against a limit of +1.00 pp.',
    );
  });
});
