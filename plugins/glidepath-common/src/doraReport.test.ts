import { DeploymentFacts } from './dora';
import { computeDora } from './doraAggregate';
import { DoraLevel, DoraMeasure, doraLevel } from './dora';
import {
  compareDoraMeasures,
  doraLevelDescription,
  doraLevelRange,
  doraTrend,
  DoraTrend,
  doraTrendWords,
} from './doraReport';

const HOUR = 3_600_000;

describe('doraTrend', () => {
  it.each<
    [Parameters<typeof doraTrend>[0], number | null, number | null, DoraTrend]
  >([
    ['deploymentFrequency', 2, 1, 'better'],
    ['deploymentFrequency', 1, 2, 'worse'],
    ['deploymentFrequency', 1.04, 1, 'same'],
    ['deploymentFrequency', 1.06, 1, 'better'],
    ['deploymentFrequency', 0, 0, 'same'],
    ['deploymentFrequency', 0.1, 0, 'better'],
    ['leadTime', 2 * HOUR, 4 * HOUR, 'better'],
    ['leadTime', 4 * HOUR, 2 * HOUR, 'worse'],
    ['leadTime', null, 2 * HOUR, 'no-data'],
    ['leadTime', 2 * HOUR, null, 'no-data'],
    ['changeFailureRate', 0.1, 0.2, 'better'],
    ['changeFailureRate', 0.3, 0.2, 'worse'],
    // points, not relative: 0.02 -> 0.06 is four points
    ['changeFailureRate', 0.06, 0.02, 'same'],
    ['changeFailureRate', 0.08, 0.02, 'worse'],
    ['recoveryTime', HOUR, 10 * HOUR, 'better'],
    ['recoveryTime', 10 * HOUR, HOUR, 'worse'],
  ])(
    '%s from %p to ... previous %p: %s',
    (measure, current, previous, trend) => {
      expect(doraTrend(measure, current, previous)).toBe(trend);
    },
  );
});

describe('compareDoraMeasures', () => {
  it('compares the four measures of two weeks', () => {
    const week = (start: number, failed: boolean[]): DeploymentFacts[] =>
      failed.map((f, i) => ({
        id: `${start}-${i}`,
        entityRef: 'component:default/a',
        deployedAt: start + i * HOUR,
        leadTimeMs: (i + 1) * HOUR,
        failed: f,
        failureRule: f ? 'rolled-back' : null,
        failureStartedAt: f ? start + i * HOUR : null,
        restoredAt: f ? start + i * HOUR + HOUR : null,
        incidentIds: [],
      }));
    const previousStart = Date.UTC(2026, 10, 16);
    const currentStart = Date.UTC(2026, 10, 23);
    const options = (from: number) => ({
      from,
      to: from + 7 * 24 * HOUR,
      bucket: 'week' as const,
      now: Date.UTC(2026, 11, 1),
    });
    const previous = computeDora(
      week(previousStart, [true, false, false, false]),
      options(previousStart),
    ).summary;
    const current = computeDora(
      week(currentStart, [
        false,
        false,
        false,
        false,
        false,
        false,
        false,
        false,
      ]),
      options(currentStart),
    ).summary;
    expect(compareDoraMeasures(current, previous)).toEqual([
      {
        measure: 'deploymentFrequency',
        current: 8 / 7,
        previous: 4 / 7,
        trend: 'better',
      },
      {
        measure: 'leadTime',
        current: 4.5 * HOUR,
        previous: 2.5 * HOUR,
        trend: 'worse',
      },
      {
        measure: 'changeFailureRate',
        current: 0,
        previous: 0.25,
        trend: 'better',
      },
      {
        measure: 'recoveryTime',
        current: null,
        previous: HOUR,
        trend: 'no-data',
      },
    ]);
  });
});

describe('doraTrendWords', () => {
  it.each<[DoraTrend, string]>([
    ['better', 'better than the week before'],
    ['worse', 'worse than the week before'],
    ['same', 'about the same as the week before'],
    ['no-data', 'no data to compare with the week before'],
  ])('%s: %s', (trend, words) => {
    expect(doraTrendWords(trend)).toBe(words);
  });

  it('names another period', () => {
    expect(doraTrendWords('same', 'last month')).toBe(
      'about the same as last month',
    );
  });
});

describe('doraLevelRange', () => {
  it.each<[DoraMeasure, DoraLevel, string]>([
    ['deploymentFrequency', 'elite', 'at least once a day'],
    [
      'deploymentFrequency',
      'high',
      'at least once a week, less than once a day',
    ],
    [
      'deploymentFrequency',
      'medium',
      'at least once in 30 days, less than once a week',
    ],
    ['deploymentFrequency', 'low', 'less than once in 30 days'],
    ['leadTime', 'elite', 'under 1 day'],
    ['leadTime', 'high', '1 to 7 days'],
    ['leadTime', 'medium', '7 to 30 days'],
    ['leadTime', 'low', '30 days or more'],
    ['changeFailureRate', 'elite', 'up to 7.5%'],
    ['changeFailureRate', 'medium', 'above 7.5%, up to 15%'],
    ['changeFailureRate', 'high', 'above 15%, up to 30%'],
    ['changeFailureRate', 'low', 'above 30%'],
    ['recoveryTime', 'elite', 'under 1 hour'],
    ['recoveryTime', 'high', '1 hour to 1 day'],
    ['recoveryTime', 'medium', '1 to 7 days'],
    ['recoveryTime', 'low', '7 days or more'],
  ])('%s %s: %s', (measure, level, range) => {
    expect(doraLevelRange(measure, level)).toBe(range);
  });

  it.each<[DoraMeasure, number, DoraLevel]>([
    ['changeFailureRate', 0.08, 'medium'],
    ['changeFailureRate', 0.28, 'high'],
    ['leadTime', 3 * 24 * HOUR, 'high'],
  ])('agrees with doraLevel: %s %p is %s', (measure, value, level) => {
    expect(doraLevel(measure, value)).toBe(level);
  });
});

describe('doraLevelDescription', () => {
  it.each<[DoraMeasure, DoraLevel, string]>([
    [
      'changeFailureRate',
      'high',
      "High: change failure rate above 15%, up to 30% (DORA 2024 bands). Typical of the report's high cluster: 20%. For change failure rate, medium is better than high: the report's medium cluster had the lower value (10% against 20%).",
    ],
    [
      'changeFailureRate',
      'medium',
      "Medium: change failure rate above 7.5%, up to 15% (DORA 2024 bands). Typical of the report's medium cluster: 10%. For change failure rate, medium is better than high: the report's medium cluster had the lower value (10% against 20%).",
    ],
    [
      'changeFailureRate',
      'elite',
      "Elite: change failure rate up to 7.5% (DORA 2024 bands). Typical of the report's elite cluster: 5%.",
    ],
    [
      'deploymentFrequency',
      'high',
      "High: deployment frequency at least once a week, less than once a day (DORA 2024 bands). Typical of the report's high cluster: between once per day and once per week.",
    ],
    [
      'recoveryTime',
      'low',
      "Low: recovery time 7 days or more (DORA 2024 bands). Typical of the report's low cluster: between one week and one month.",
    ],
  ])('%s %s', (measure, level, description) => {
    expect(doraLevelDescription(measure, level)).toBe(description);
  });
});
