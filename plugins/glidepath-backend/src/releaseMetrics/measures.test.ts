import {
  deliveryOf,
  measureReleases,
  ProductionReleaseFact,
  releaseMetricsSeries,
  RollbackFact,
  rollbackFinishedAt,
} from './measures';

const T0 = Date.UTC(2026, 5, 1); // a Monday
const DAY = 86_400_000;

const release = (
  over: Partial<ProductionReleaseFact> = {},
): ProductionReleaseFact => ({
  deployedAt: T0,
  strategy: 'canary',
  tested: false,
  simulated: false,
  ...over,
});

const rollback = (
  seconds: number | null,
  over: Partial<RollbackFact> = {},
): RollbackFact => ({
  requestedAt: T0,
  automatic: true,
  finishedAt: seconds === null ? null : T0 + seconds * 1000,
  unfinished: seconds === null,
  ...over,
});

describe('deliveryOf', () => {
  it.each([
    ['canary', 'progressive'],
    ['blue_green', 'progressive'],
    ['rolling', 'allAtOnce'],
    ['recreate', 'allAtOnce'],
    [null, 'unknown'],
    ['shadow', 'unknown'],
    ['Canary', 'unknown'],
  ] as const)('%p counts as %p', (strategy, expected) => {
    expect(deliveryOf(strategy)).toBe(expected);
  });
});

describe('rollbackFinishedAt', () => {
  const requestedAt = T0;
  it.each([
    [
      'the observation when the provider gives no finish',
      {
        releasePhase: 'rolled_back',
        releaseFinishedAt: null,
        seen: T0 + 50_000,
      },
      T0 + 50_000,
    ],
    [
      "the provider's finish when it is earlier than the observation",
      {
        releasePhase: 'rolled_back',
        releaseFinishedAt: T0 + 40_000,
        seen: T0 + 70_000,
      },
      T0 + 40_000,
    ],
    [
      'the observation when the provider dates the finish before the request',
      {
        releasePhase: 'rolled_back',
        releaseFinishedAt: T0 - 5_000,
        seen: T0 + 30_000,
      },
      T0 + 30_000,
    ],
    [
      'no finish of a release in another phase',
      { releasePhase: 'failed', releaseFinishedAt: T0 + 10_000, seen: null },
      null,
    ],
    [
      'no finish when the release was rolled back before the request',
      {
        releasePhase: 'rolled_back',
        releaseFinishedAt: T0 - 60_000,
        seen: T0 - 50_000,
      },
      null,
    ],
    [
      'the request itself when the rollback was seen at once',
      { releasePhase: 'rolled_back', releaseFinishedAt: null, seen: T0 },
      T0,
    ],
  ])('%s', (_, given, expected) => {
    expect(
      rollbackFinishedAt({
        requestedAt,
        releasePhase: given.releasePhase,
        releaseFinishedAt: given.releaseFinishedAt,
        rolledBackObservedAt: given.seen,
      }),
    ).toBe(expected);
  });
});

describe('measureReleases', () => {
  it('is empty without releases or rollbacks: no share, no times', () => {
    const measures = measureReleases([], []);
    expect(measures.productionReleases).toBe(0);
    expect(measures.rollbackTested).toEqual({
      releases: 0,
      tested: 0,
      share: null,
    });
    expect(measures.progressiveDelivery.share).toBeNull();
    expect(measures.rollbackTime.automatic).toEqual({
      rollbacks: 0,
      medianMs: null,
      p90Ms: null,
      withinTarget: 0,
      unfinished: 0,
    });
  });

  it.each([
    ['none tested', [false, false, false, false], 0, 0],
    ['three of four tested', [true, true, true, false], 3, 0.75],
    ['all tested', [true, true], 2, 1],
  ])('the rollback-tested share: %s', (_, tested, count, share) => {
    const measures = measureReleases(
      tested.map(t => release({ tested: t })),
      [],
    );
    expect(measures.rollbackTested).toEqual({
      releases: tested.length,
      tested: count,
      share,
    });
  });

  it.each([
    [
      'canary and blue-green against rolling and recreate',
      ['canary', 'blue_green', 'canary', 'rolling', 'recreate'],
      { progressive: 3, allAtOnce: 2, unknown: 0, share: 0.6 },
    ],
    [
      'unknown strategies counted apart, out of the share',
      ['canary', null, null, 'rolling', 'mystery'],
      { progressive: 1, allAtOnce: 1, unknown: 3, share: 0.5 },
    ],
    [
      'only unknown: no share',
      [null, null],
      { progressive: 0, allAtOnce: 0, unknown: 2, share: null },
    ],
  ])('progressive delivery: %s', (_, strategies, expected) => {
    const measures = measureReleases(
      strategies.map(strategy => release({ strategy })),
      [],
    );
    expect(measures.progressiveDelivery).toMatchObject(expected);
    expect(measures.productionReleases).toBe(strategies.length);
  });

  it('counts a fact standing for several releases as many', () => {
    const measures = measureReleases(
      [
        release({ strategy: 'canary', tested: true, count: 3 }),
        release({ strategy: 'recreate', count: 2 }),
        release({ strategy: null }),
      ],
      [],
    );
    expect(measures.productionReleases).toBe(6);
    expect(measures.rollbackTested).toEqual({
      releases: 6,
      tested: 3,
      share: 0.5,
    });
    expect(measures.progressiveDelivery).toMatchObject({
      progressive: 3,
      allAtOnce: 2,
      unknown: 1,
      share: 0.6,
      strategies: { canary: 3, blue_green: 0, rolling: 0, recreate: 2 },
    });
  });

  it('counts releases per known strategy', () => {
    const measures = measureReleases(
      ['canary', 'canary', 'blue_green', 'recreate', null].map(strategy =>
        release({ strategy }),
      ),
      [],
    );
    expect(measures.progressiveDelivery.strategies).toEqual({
      canary: 2,
      blue_green: 1,
      rolling: 0,
      recreate: 1,
    });
  });

  it.each([
    [
      'one rollback: its time is the median and the p90',
      [45],
      { rollbacks: 1, medianMs: 45_000, p90Ms: 45_000, withinTarget: 1 },
    ],
    [
      'an even count interpolates the median as percentile_cont does',
      [30, 60, 90, 300],
      {
        rollbacks: 4,
        medianMs: 75_000,
        p90Ms: expect.closeTo(237_000),
        withinTarget: 3,
      },
    ],
    [
      'exactly two minutes is within the target',
      [120, 121],
      { rollbacks: 2, withinTarget: 1 },
    ],
  ])('rollback time: %s', (_, seconds, expected) => {
    const measures = measureReleases(
      [],
      seconds.map(s => rollback(s)),
    );
    expect(measures.rollbackTime.automatic).toMatchObject(expected);
    expect(measures.rollbackTime.manual.rollbacks).toBe(0);
  });

  it('keeps automatic and manual rollbacks apart, unfinished ones out of the times', () => {
    const measures = measureReleases(
      [],
      [
        rollback(20),
        rollback(40),
        rollback(null),
        rollback(200, { automatic: false }),
        rollback(null, { automatic: false }),
        // Succeeded without a rollback of its own: the release was rolled
        // back already. Neither a time nor unfinished.
        rollback(null, { automatic: false, unfinished: false }),
      ],
    );
    expect(measures.rollbackTime.automatic).toEqual({
      rollbacks: 2,
      medianMs: 30_000,
      p90Ms: 38_000,
      withinTarget: 2,
      unfinished: 1,
    });
    expect(measures.rollbackTime.manual).toEqual({
      rollbacks: 1,
      medianMs: 200_000,
      p90Ms: 200_000,
      withinTarget: 0,
      unfinished: 1,
    });
  });
});

describe('releaseMetricsSeries', () => {
  it('puts releases in the week they started and rollbacks in the week they were asked for', () => {
    const { summary, series } = releaseMetricsSeries(
      [
        release({ deployedAt: T0 + DAY, tested: true }),
        release({ deployedAt: T0 + 8 * DAY, strategy: 'rolling' }),
        release({ deployedAt: T0 + 9 * DAY, tested: true }),
        // Outside the range.
        release({ deployedAt: T0 - DAY, tested: true }),
        release({ deployedAt: T0 + 14 * DAY }),
      ],
      [
        rollback(90, {
          requestedAt: T0 + 2 * DAY,
          finishedAt: T0 + 2 * DAY + 90_000,
        }),
        rollback(null, { requestedAt: T0 + 20 * DAY }),
      ],
      { from: T0, to: T0 + 14 * DAY, bucket: 'week' },
    );
    expect(summary.productionReleases).toBe(3);
    expect(summary.rollbackTested.share).toBeCloseTo(2 / 3);
    expect(summary.rollbackTime.automatic.rollbacks).toBe(1);
    expect(summary.rollbackTime.automatic.unfinished).toBe(0);
    expect(series.map(b => b.start)).toEqual([T0, T0 + 7 * DAY]);
    expect(series.map(b => b.measures.productionReleases)).toEqual([1, 2]);
    expect(series.map(b => b.measures.rollbackTested.share)).toEqual([1, 0.5]);
    expect(series.map(b => b.measures.progressiveDelivery.share)).toEqual([
      1, 0.5,
    ]);
    expect(series[0].measures.rollbackTime.automatic.medianMs).toBe(90_000);
    expect(series[1].measures.rollbackTime.automatic.medianMs).toBeNull();
  });

  it('uses calendar months like the DORA series', () => {
    const from = Date.UTC(2026, 0, 15);
    const { series } = releaseMetricsSeries(
      [
        release({ deployedAt: Date.UTC(2026, 0, 31, 23, 59) }),
        release({ deployedAt: Date.UTC(2026, 1, 1) }),
      ],
      [],
      { from, to: Date.UTC(2026, 2, 1), bucket: 'month' },
    );
    expect(series.map(b => new Date(b.start).toISOString())).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
    ]);
    expect(series.map(b => b.measures.productionReleases)).toEqual([1, 1]);
  });
});

describe('releaseMetricsSeries with cross-service releases', () => {
  it('counts each in the bucket of its first release, and only when given', () => {
    const crossService = [
      { startedAt: T0 + DAY, planned: true },
      { startedAt: T0 + 2 * DAY, planned: false },
      { startedAt: T0 + 8 * DAY, planned: true },
      // Outside the range.
      { startedAt: T0 - DAY, planned: false },
    ];
    const { summary, series } = releaseMetricsSeries([], [], {
      from: T0,
      to: T0 + 14 * DAY,
      bucket: 'week',
      crossService,
    });
    expect(summary.plannedCrossService).toEqual({
      crossServiceReleases: 3,
      planned: 2,
      share: 2 / 3,
    });
    expect(series.map(b => b.measures.plannedCrossService)).toEqual([
      { crossServiceReleases: 2, planned: 1, share: 0.5 },
      { crossServiceReleases: 1, planned: 1, share: 1 },
    ]);
    const without = releaseMetricsSeries([], [], {
      from: T0,
      to: T0 + 14 * DAY,
      bucket: 'week',
    });
    expect(without.summary.plannedCrossService).toBeUndefined();
  });
});
