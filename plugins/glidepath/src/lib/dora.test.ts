import {
  basisOf,
  chartValue,
  completeWeeks,
  formatDoraDuration,
  formatFrequency,
  formatMeasure,
  formatRate,
  levelOf,
  p90Of,
  trendOf,
} from './dora';
import { makeDoraMeasures } from '../__testUtils__/dora';

const HOUR = 3_600_000;

const measures = makeDoraMeasures();

describe('DORA formatting', () => {
  it.each([
    [3.4, '3.4 / day'],
    [1, '1.0 / day'],
    [12.2, '12 / day'],
    [0.5, '3.5 / week'],
    [1 / 7, '1.0 / week'],
    [0.1, '3.0 / month'],
    [0, '0.0 / month'],
  ])('frequency %p per day reads %p', (perDay, text) => {
    expect(formatFrequency(perDay)).toBe(text);
  });

  it.each([
    [0.25, '25%'],
    [0, '0%'],
    [0.004, '0.4%'],
    [1, '100%'],
  ])('rate %p reads %p', (rate, text) => {
    expect(formatRate(rate)).toBe(text);
  });

  it.each([
    ['deploymentFrequency', 2, '2.0 / day'],
    ['leadTime', 5 * HOUR, '5h'],
    ['changeFailureRate', 0.1, '10%'],
    ['recoveryTime', 90 * 60_000 + 31_000, '1h 31m'],
    ['recoveryTime', 5 * 60_000 + 31_000, '5m 31s'],
    ['leadTime', null, '—'],
  ] as const)('%s %p reads %p', (measure, value, text) => {
    expect(formatMeasure(measure, value)).toBe(text);
  });

  it('reads levels, p90s and what each measure was computed from', () => {
    expect(levelOf(measures, 'leadTime')).toBe('elite');
    expect(levelOf(measures, 'deploymentFrequency')).toBe('high');
    expect(p90Of(measures, 'leadTime')).toBe(30 * HOUR);
    expect(p90Of(measures, 'changeFailureRate')).toBeNull();
    expect(basisOf(measures, 'deploymentFrequency')).toBe('12 deployments');
    expect(basisOf(measures, 'changeFailureRate')).toBe('3 of 12 failed');
    expect(basisOf(measures, 'recoveryTime')).toBe('2 restored, 1 open');
  });

  it('turns a series into chart points, with gaps where there is no value', () => {
    const series = [
      {
        start: '2026-11-16T00:00:00.000Z',
        end: '2026-11-23T00:00:00.000Z',
        measures,
      },
      {
        start: '2026-11-23T00:00:00.000Z',
        end: '2026-11-30T00:00:00.000Z',
        measures: {
          ...measures,
          leadTime: { ...measures.leadTime, medianMs: null },
        },
      },
    ];
    expect(trendOf(series, 'leadTime')).toEqual([
      { time: Date.parse('2026-11-16T00:00:00.000Z'), value: 5 * HOUR },
      { time: Date.parse('2026-11-23T00:00:00.000Z'), value: null },
    ]);
    expect(chartValue('leadTime', 5 * HOUR)).toBe(5);
    expect(chartValue('deploymentFrequency', 1)).toBe(7);
    expect(chartValue('changeFailureRate', 0.25)).toBe(25);
  });
});

describe('DORA periods', () => {
  it('gives the last complete weeks, Monday to Monday', () => {
    // Saturday 28 November 2026
    expect(completeWeeks(2, Date.parse('2026-11-28T04:00:00Z'))).toEqual({
      from: '2026-11-09T00:00:00.000Z',
      to: '2026-11-23T00:00:00.000Z',
    });
    // On a Monday, the week that just started is not complete.
    expect(completeWeeks(1, Date.parse('2026-11-23T00:00:00Z'))).toEqual({
      from: '2026-11-16T00:00:00.000Z',
      to: '2026-11-23T00:00:00.000Z',
    });
  });

  it('rounds durations to the minute from ten minutes up', () => {
    expect(formatDoraDuration(57 * 60_000 + 1_000)).toBe('57m');
    expect(formatDoraDuration(9 * 60_000 + 30_000)).toBe('9m 30s');
  });
});
