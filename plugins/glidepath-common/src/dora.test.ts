import {
  bucketsOf,
  DORA_2024_LEVELS,
  DoraLevel,
  doraLevel,
  DoraMeasure,
} from './dora';
import { D, H, utc } from './doraFixtures';

describe('bucketsOf', () => {
  it.each<[string, string, string, 'week' | 'month', Array<[string, string]>]>([
    [
      'a Wednesday is in the week from its Monday',
      '2024-03-06T12:00:00.000Z',
      '2024-03-07T00:00:00.000Z',
      'week',
      [['2024-03-04T00:00:00.000Z', '2024-03-11T00:00:00.000Z']],
    ],
    [
      'Monday 00:00 starts a week',
      '2024-03-11T00:00:00.000Z',
      '2024-03-11T00:00:00.001Z',
      'week',
      [['2024-03-11T00:00:00.000Z', '2024-03-18T00:00:00.000Z']],
    ],
    [
      'Sunday 23:59:59.999 is in the week before',
      '2024-03-10T23:59:59.999Z',
      '2024-03-11T00:00:00.000Z',
      'week',
      [['2024-03-04T00:00:00.000Z', '2024-03-11T00:00:00.000Z']],
    ],
    [
      'to on a Monday: the last week is the one before it',
      '2024-03-04T00:00:00.000Z',
      '2024-03-18T00:00:00.000Z',
      'week',
      [
        ['2024-03-04T00:00:00.000Z', '2024-03-11T00:00:00.000Z'],
        ['2024-03-11T00:00:00.000Z', '2024-03-18T00:00:00.000Z'],
      ],
    ],
    [
      'to a millisecond after a Monday: one more week',
      '2024-03-10T23:59:59.999Z',
      '2024-03-18T00:00:00.001Z',
      'week',
      [
        ['2024-03-04T00:00:00.000Z', '2024-03-11T00:00:00.000Z'],
        ['2024-03-11T00:00:00.000Z', '2024-03-18T00:00:00.000Z'],
        ['2024-03-18T00:00:00.000Z', '2024-03-25T00:00:00.000Z'],
      ],
    ],
    [
      'a week across the new year',
      '2025-01-01T00:00:00.000Z',
      '2025-01-02T00:00:00.000Z',
      'week',
      [['2024-12-30T00:00:00.000Z', '2025-01-06T00:00:00.000Z']],
    ],
    [
      'a week before 1970',
      '1969-12-31T12:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      'week',
      [['1969-12-29T00:00:00.000Z', '1970-01-05T00:00:00.000Z']],
    ],
    [
      'the 1st 00:00 starts a month',
      '2024-03-01T00:00:00.000Z',
      '2024-03-01T00:00:00.001Z',
      'month',
      [['2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z']],
    ],
    [
      'the last millisecond of a month is in it',
      '2024-01-31T23:59:59.999Z',
      '2024-02-01T00:00:00.000Z',
      'month',
      [['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z']],
    ],
    [
      'leap February has 29 days',
      '2024-02-10T00:00:00.000Z',
      '2024-03-10T00:00:00.000Z',
      'month',
      [
        ['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
        ['2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'],
      ],
    ],
    [
      'February 29th 2024 is in February',
      '2024-02-29T23:59:59.999Z',
      '2024-03-01T00:00:00.000Z',
      'month',
      [['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z']],
    ],
    [
      'a month across the new year',
      '2024-12-31T23:59:59.999Z',
      '2025-01-01T00:00:00.001Z',
      'month',
      [
        ['2024-12-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
        ['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'],
      ],
    ],
  ])('%s', (_, from, to, bucket, expected) => {
    expect(bucketsOf(utc(from), utc(to), bucket)).toEqual(
      expected.map(([start, end]) => ({ start: utc(start), end: utc(end) })),
    );
  });

  it.each<[string, 'week' | 'month', number]>([
    ['2023-02-01T00:00:00.000Z', 'month', 28 * D],
    ['2024-02-01T00:00:00.000Z', 'month', 29 * D],
    ['2024-03-01T00:00:00.000Z', 'month', 31 * D],
    ['2024-03-04T00:00:00.000Z', 'week', 7 * D],
  ])('the %s %s lasts %d ms', (start, bucket, length) => {
    const [only] = bucketsOf(utc(start), utc(start) + 1, bucket);
    expect(only.end - only.start).toBe(length);
  });

  const monday = utc('2024-01-01T00:00:00.000Z');
  it.each<[string, number, number, 'week' | 'month', RegExp]>([
    ['an empty range', monday, monday, 'week', /before/],
    ['a reversed range', monday, monday - 1, 'month', /before/],
    ['NaN', NaN, monday, 'week', /before/],
    ['601 weeks', monday, monday + 601 * 7 * D, 'week', /more than 600/],
    [
      '601 months',
      utc('2000-01-01T00:00:00.000Z'),
      utc('2050-02-01T00:00:00.000Z'),
      'month',
      /more than 600/,
    ],
  ])('throws for %s', (_, from, to, bucket, message) => {
    expect(() => bucketsOf(from, to, bucket)).toThrow(message);
  });

  it.each<[number, number, 'week' | 'month']>([
    [monday, monday + 600 * 7 * D, 'week'],
    [utc('2000-01-01T00:00:00.000Z'), utc('2050-01-01T00:00:00.000Z'), 'month'],
  ])('accepts exactly 600 buckets (%d to %d by %s)', (from, to, bucket) => {
    expect(bucketsOf(from, to, bucket)).toHaveLength(600);
  });
});

describe('doraLevel', () => {
  const EPSILON = 1e-9;
  it.each<[DoraMeasure, number | null, DoraLevel | null]>([
    ['deploymentFrequency', null, null],
    ['deploymentFrequency', NaN, null],
    ['deploymentFrequency', 10, 'elite'],
    ['deploymentFrequency', 1, 'elite'],
    ['deploymentFrequency', 1 - EPSILON, 'high'],
    ['deploymentFrequency', 1 / 7, 'high'],
    ['deploymentFrequency', 4 / 28, 'high'],
    ['deploymentFrequency', 1 / 7 - EPSILON, 'medium'],
    ['deploymentFrequency', 1 / 30, 'medium'],
    ['deploymentFrequency', 1 / 30 - EPSILON, 'low'],
    ['deploymentFrequency', 0, 'low'],
    ['leadTime', null, null],
    ['leadTime', 0, 'elite'],
    ['leadTime', D - 1, 'elite'],
    ['leadTime', D, 'high'],
    ['leadTime', 7 * D - 1, 'high'],
    ['leadTime', 7 * D, 'medium'],
    ['leadTime', 30 * D - 1, 'medium'],
    ['leadTime', 30 * D, 'low'],
    ['leadTime', 365 * D, 'low'],
    ['changeFailureRate', null, null],
    ['changeFailureRate', 0, 'elite'],
    ['changeFailureRate', 0.05, 'elite'],
    ['changeFailureRate', 0.075, 'elite'],
    ['changeFailureRate', 3 / 40, 'elite'],
    ['changeFailureRate', 0.075 + EPSILON, 'medium'],
    ['changeFailureRate', 0.1, 'medium'],
    ['changeFailureRate', 0.15, 'medium'],
    ['changeFailureRate', 3 / 20, 'medium'],
    ['changeFailureRate', 0.15 + EPSILON, 'high'],
    ['changeFailureRate', 0.2, 'high'],
    ['changeFailureRate', 0.3, 'high'],
    ['changeFailureRate', 3 / 10, 'high'],
    ['changeFailureRate', 0.3 + EPSILON, 'low'],
    ['changeFailureRate', 0.4, 'low'],
    ['changeFailureRate', 1, 'low'],
    ['recoveryTime', null, null],
    ['recoveryTime', 0, 'elite'],
    ['recoveryTime', H - 1, 'elite'],
    ['recoveryTime', H, 'high'],
    ['recoveryTime', D - 1, 'high'],
    ['recoveryTime', D, 'medium'],
    ['recoveryTime', 7 * D - 1, 'medium'],
    ['recoveryTime', 7 * D, 'low'],
    ['recoveryTime', 30 * D, 'low'],
  ])('%s %p -> %p', (measure, value, level) => {
    expect(doraLevel(measure, value)).toBe(level);
  });

  it('reads the change failure rate as the nearest cluster of the report', () => {
    const clusters: Array<[DoraLevel, number]> = [
      ['elite', 0.05],
      ['medium', 0.1],
      ['high', 0.2],
      ['low', 0.4],
    ];
    const mismatches: number[] = [];
    for (let permille = 0; permille <= 1000; permille++) {
      const rate = permille / 1000;
      // The better cluster at a midpoint: the first one strictly farther.
      let nearest = clusters[0];
      for (const cluster of clusters) {
        if (Math.abs(cluster[1] - rate) < Math.abs(nearest[1] - rate) - 1e-12) {
          nearest = cluster;
        }
      }
      if (doraLevel('changeFailureRate', rate) !== nearest[0]) {
        mismatches.push(rate);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('keeps the report wording next to each reading', () => {
    for (const table of Object.values(DORA_2024_LEVELS)) {
      expect(Object.keys(table.report).sort()).toEqual(
        ['elite', 'high', 'low', 'medium'].sort(),
      );
      expect(table.bands[table.bands.length - 1]).toEqual({ level: 'low' });
    }
  });
});
