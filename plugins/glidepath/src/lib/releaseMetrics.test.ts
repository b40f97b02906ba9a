import type { RollbackTimeMeasure } from '@glidepath/backstage-plugin-common';
import {
  describePlanned,
  describeRollbackTime,
  formatShare,
  shareAgainstTarget,
  trendPoints,
} from './releaseMetrics';

describe('shareAgainstTarget', () => {
  it.each([
    [null, 'no data'],
    [0.7, 'on target'],
    [0.95, 'on target'],
    [0.6999, 'just below'],
    [0.69, '1 point below'],
    [0.4, '30 points below'],
  ])('%p against 70%% is %p', (share, words) => {
    expect(shareAgainstTarget(share, 0.7)).toBe(words);
  });
});

describe('formatShare', () => {
  it.each([
    [null, '—'],
    [0, '0%'],
    [1 / 362, '<1%'],
    [0.005, '1%'],
    [0.7, '70%'],
    [361 / 362, '>99%'],
    [1, '100%'],
  ])('%p is %p', (share, words) => {
    expect(formatShare(share)).toBe(words);
  });
});

describe('describeRollbackTime', () => {
  const time = (over: Partial<RollbackTimeMeasure>): RollbackTimeMeasure => ({
    rollbacks: 0,
    medianMs: null,
    p90Ms: null,
    withinTarget: 0,
    unfinished: 0,
    ...over,
  });
  it.each([
    [time({}), 'no finished rollbacks'],
    [time({ unfinished: 2 }), 'no finished rollbacks; 2 did not finish'],
    [
      time({ rollbacks: 1, medianMs: 41_000, p90Ms: 41_000, withinTarget: 1 }),
      'median 41s, p90 41s (1 rollback, 1 within target)',
    ],
  ])('%#: %p', (measure, words) => {
    expect(describeRollbackTime(measure)).toBe(words);
  });
});

describe('trendPoints', () => {
  it('gives shares in percent and times in minutes, null where a week has none', () => {
    const empty = {
      rollbacks: 0,
      medianMs: null,
      p90Ms: null,
      withinTarget: 0,
      unfinished: 0,
    };
    const points = trendPoints([
      {
        start: '2026-11-30T00:00:00.000Z',
        end: '2026-12-07T00:00:00.000Z',
        measures: {
          productionReleases: 3,
          rollbackTested: { releases: 3, tested: 2, share: 2 / 3 },
          progressiveDelivery: {
            progressive: 0,
            allAtOnce: 0,
            unknown: 3,
            share: null,
            strategies: { canary: 0, blue_green: 0, rolling: 0, recreate: 0 },
          },
          rollbackTime: {
            automatic: { ...empty, rollbacks: 1, medianMs: 90_000 },
            manual: empty,
          },
        },
      },
    ]);
    expect(points).toEqual([
      {
        time: Date.parse('2026-11-30T00:00:00.000Z'),
        tested: 66.7,
        progressive: null,
        automaticMinutes: 1.5,
        manualMinutes: null,
        planned: null,
      },
    ]);
  });
});

describe('describePlanned', () => {
  const base = {
    productionReleases: 0,
    rollbackTested: { releases: 0, tested: 0, share: null },
    progressiveDelivery: {
      progressive: 0,
      allAtOnce: 0,
      unknown: 0,
      share: null,
      strategies: { canary: 0, blue_green: 0, rolling: 0, recreate: 0 },
    },
    rollbackTime: {
      automatic: {
        rollbacks: 0,
        medianMs: null,
        p90Ms: null,
        withinTarget: 0,
        unfinished: 0,
      },
      manual: {
        rollbacks: 0,
        medianMs: null,
        p90Ms: null,
        withinTarget: 0,
        unfinished: 0,
      },
    },
  };
  it.each([
    [undefined, 'No cross-service releases'],
    [
      { crossServiceReleases: 0, planned: 0, share: null },
      'No cross-service releases',
    ],
    [
      { crossServiceReleases: 1, planned: 1, share: 1 },
      '1 of 1 cross-service release through a release plan',
    ],
    [
      { crossServiceReleases: 5, planned: 3, share: 0.6 },
      '3 of 5 cross-service releases through a release plan',
    ],
  ])('%p: %p', (plannedCrossService, words) => {
    expect(describePlanned({ ...base, plannedCrossService })).toBe(words);
  });
});
