import { quantile } from '@glidepath/backstage-plugin-common';
import {
  HISTOGRAM_BOUNDS,
  Histogram,
  interpolateRanks,
  locateRank,
  mergeHistograms,
  quantileRanks,
  splitRange,
} from './rollup';

/** The histogram of some values by HISTOGRAM_BOUNDS (as width_bucket). */
function histogramOf(values: number[]): Histogram {
  const out: Histogram = new Map();
  for (const value of values) {
    let bin = 0;
    while (bin < HISTOGRAM_BOUNDS.length && HISTOGRAM_BOUNDS[bin] <= value) {
      bin++;
    }
    out.set(bin, (out.get(bin) ?? 0) + 1);
  }
  return out;
}

describe('HISTOGRAM_BOUNDS', () => {
  it('starts at 0, rises strictly, one ms per bin below 64 ms, under 2% wide from a second', () => {
    expect(HISTOGRAM_BOUNDS[0]).toBe(0);
    expect(HISTOGRAM_BOUNDS.slice(0, 65)).toEqual(
      Array.from({ length: 65 }, (_, i) => i),
    );
    const steps = HISTOGRAM_BOUNDS.slice(1).map((bound, i) => ({
      from: HISTOGRAM_BOUNDS[i],
      ratio: bound / HISTOGRAM_BOUNDS[i],
      rises: bound > HISTOGRAM_BOUNDS[i],
    }));
    expect(steps.filter(step => !step.rises)).toEqual([]);
    expect(
      steps.filter(step => step.from >= 1000 && step.ratio >= 1.02),
    ).toEqual([]);
    expect(HISTOGRAM_BOUNDS[HISTOGRAM_BOUNDS.length - 1]).toBeGreaterThan(1e13);
  });
});

describe('locateRank', () => {
  // Values 5, 5, 100, 101, 3_600_000 in bins 6, 6, b(100), b(101), b(1h).
  const values = [5, 5, 100, 101, 3_600_000];
  const histogram = histogramOf(values);
  it.each([
    [0, 5, 0],
    [1, 5, 1],
    [2, 100, 0],
    [4, 3_600_000, 0],
  ])(
    'rank %p is at or after value %p, %p into its bin',
    (rank, value, offset) => {
      const at = locateRank(histogram, rank)!;
      // The bin's lower bound is at most the value and above the values before.
      expect(at.from).toBeLessThanOrEqual(value);
      expect(
        values.filter(v => v >= at.from).sort((a, b) => a - b)[at.offset],
      ).toBe(value);
      expect(at.offset).toBe(offset);
    },
  );

  it('is undefined past the last value', () => {
    expect(locateRank(histogram, 5)).toBeUndefined();
    expect(locateRank(new Map(), 0)).toBeUndefined();
  });
});

describe('quantileRanks and interpolateRanks', () => {
  it.each([
    [[7], 0.5],
    [[1, 2], 0.5],
    [[1, 2, 3, 10], 0.9],
    [[3, 3, 3, 8, 9, 1000, 1001], 0.5],
    [[3, 3, 3, 8, 9, 1000, 1001], 0.9],
  ])('give quantile() of %p at %p', (values, q) => {
    const ranks = quantileRanks(values.length, q)!;
    const picked = [values[ranks.below], values[ranks.above]].slice(
      0,
      ranks.above === ranks.below ? 1 : 2,
    );
    expect(interpolateRanks(ranks, picked)).toBe(quantile(values, q));
  });

  it('has no ranks for no values', () => {
    expect(quantileRanks(0, 0.5)).toBeUndefined();
  });
});

describe('mergeHistograms', () => {
  it('adds the counts of the same bins', () => {
    expect(
      mergeHistograms([
        new Map([
          [1, 2],
          [5, 1],
        ]),
        new Map([[5, 3]]),
        new Map(),
      ]),
    ).toEqual(
      new Map([
        [1, 2],
        [5, 4],
      ]),
    );
  });

  it('of buckets locates the same values as the histogram of all', () => {
    const a = [10, 500, 86_400_000, 90_000_000];
    const b = [11, 499, 86_400_001];
    const merged = mergeHistograms([histogramOf(a), histogramOf(b)]);
    expect(merged).toEqual(histogramOf([...a, ...b]));
  });
});

const D = (day: number, hour = 0) => Date.UTC(2026, 10, day, hour);

describe('splitRange', () => {
  it.each([
    [
      'mid-week to mid-week: whole weeks inside, two ends',
      D(4, 12),
      D(25, 6),
      'week',
      [
        [D(9), D(16)],
        [D(16), D(23)],
      ],
      [
        [D(4, 12), D(9)],
        [D(23), D(25, 6)],
      ],
    ],
    [
      'Monday to Monday: only whole weeks',
      D(2),
      D(16),
      'week',
      [
        [D(2), D(9)],
        [D(9), D(16)],
      ],
      [],
    ],
    [
      'inside one week: all read directly',
      D(3),
      D(5),
      'week',
      [],
      [[D(3), D(5)]],
    ],
    [
      'months',
      Date.UTC(2026, 9, 15),
      Date.UTC(2027, 0, 1),
      'month',
      [
        [Date.UTC(2026, 10, 1), Date.UTC(2026, 11, 1)],
        [Date.UTC(2026, 11, 1), Date.UTC(2027, 0, 1)],
      ],
      [[Date.UTC(2026, 9, 15), Date.UTC(2026, 10, 1)]],
    ],
  ] as const)('%s', (_, from, to, bucket, whole, parts) => {
    const split = splitRange(from, to, bucket);
    expect(split.whole.map(b => [b.start, b.end])).toEqual(whole);
    expect(split.parts.map(p => [p.from, p.to])).toEqual(parts);
  });
});
