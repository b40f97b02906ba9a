import type {
  AnalysisRule,
  ArmEvidence,
} from '@glidepath/backstage-plugin-common';
import {
  formatArmCounts,
  formatBounds,
  formatEValue,
  formatExcess,
  formatObserved,
  formatThreshold,
  MetricUnit,
  ruleLabel,
} from './format';

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
