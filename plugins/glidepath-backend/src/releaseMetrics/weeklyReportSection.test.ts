import { measureReleases } from './measures';
import { describeReleaseMetrics, durationWords } from './weeklyReportSection';

const targets = { rollbackTestedShare: 0.7, rollbackTimeMs: 120_000 };
const T0 = Date.UTC(2026, 10, 30);

describe('durationWords', () => {
  it.each([
    [0, '0 s'],
    [40_400, '40 s'],
    [120_000, '2 min'],
    [125_000, '2 min 5 s'],
  ])('%p ms is %p', (ms, words) => {
    expect(durationWords(ms)).toBe(words);
  });
});

describe('describeReleaseMetrics', () => {
  it.each([
    ['a week with nothing', measureReleases([], []), ''],
    [
      'one untested release of unknown strategy',
      measureReleases(
        [{ deployedAt: T0, strategy: null, tested: false, simulated: false }],
        [],
      ),
      '0 of 1 production release rollback-tested first (0%, target 70%).',
    ],
    [
      'rollbacks of both kinds',
      measureReleases(
        [
          {
            deployedAt: T0,
            strategy: 'canary',
            tested: true,
            simulated: false,
          },
        ],
        [
          {
            requestedAt: T0,
            automatic: true,
            finishedAt: T0 + 40_000,
            unfinished: false,
          },
          {
            requestedAt: T0,
            automatic: false,
            finishedAt: T0 + 185_000,
            unfinished: false,
          },
        ],
      ),
      '1 of 1 production release rollback-tested first (100%, target 70%); 1 of 1 progressive (canary or blue-green); automatic rollbacks took 40 s at the median (target 2 min); rollbacks by hand took 3 min 5 s at the median (target 2 min).',
    ],
    [
      'cross-service releases, some through a plan',
      measureReleases([], [], undefined, [
        { startedAt: T0, planned: true },
        { startedAt: T0, planned: false },
        { startedAt: T0, planned: true },
      ]),
      '2 of 3 cross-service releases through a release plan (67%, target 70%).',
    ],
    [
      'no cross-service release: nothing said of it',
      measureReleases([], [], undefined, []),
      '',
    ],
  ])('%s', (_, measures, sentence) => {
    expect(
      describeReleaseMetrics({
        measures,
        targets: { ...targets, plannedShare: 0.7 },
      }),
    ).toBe(sentence);
  });

  it('a report made before the target existed says the share without it', () => {
    expect(
      describeReleaseMetrics({
        measures: measureReleases([], [], undefined, [
          { startedAt: T0, planned: true },
        ]),
        targets,
      }),
    ).toBe('1 of 1 cross-service release through a release plan (100%).');
  });
});
