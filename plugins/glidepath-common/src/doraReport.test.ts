import { DeploymentFacts } from './dora';
import { computeDora } from './doraAggregate';
import { compareDoraMeasures, doraTrend, DoraTrend } from './doraReport';

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
