import {
  attributeIncidents,
  bucketsOf,
  computeDora,
  DeploymentFacts,
  deploymentFacts,
  DORA_2024_LEVELS,
  doraCsv,
  DoraDeployment,
  DoraIncident,
  DoraLevel,
  doraLevel,
  DoraMeasure,
  DoraMeasures,
  IncidentAttribution,
  quantile,
} from './dora';

const H = 3_600_000;
const D = 24 * H;
const h = (hours: number) => hours * H;
const utc = (iso: string) => Date.parse(iso);

const A = 'component:default/a';
const B = 'component:default/b';
const C = 'component:default/c';

function deployment(
  id: string,
  entityRef: string,
  deployedAt: number,
  fields: Partial<DoraDeployment> = {},
): DoraDeployment {
  return {
    id,
    entityRef,
    version: null,
    deployedAt,
    firstCommitAt: null,
    outcome: 'succeeded',
    finishedAt: null,
    ...fields,
  };
}

function incident(id: string, fields: Partial<DoraIncident>): DoraIncident {
  return {
    id,
    entityRef: A,
    openedAt: null,
    resolvedAt: null,
    deploymentId: null,
    version: null,
    ...fields,
  };
}

describe('attributeIncidents', () => {
  const deployments = [
    deployment('a1', A, 100, { version: '1.0' }),
    deployment('a2', A, 200, { version: '1.1' }),
    deployment('a3', A, 300, { version: '1.0' }),
    // Two deployments at the same time: the greater id is the later.
    deployment('a4a', A, 400, { version: '2.0' }),
    deployment('a4b', A, 400, { version: '2.0' }),
    deployment('b1', B, 150, { version: '1.0' }),
  ];

  const linked = (deploymentId: string) => ({
    deploymentId,
    rule: 'linked-incident' as const,
  });
  const latest = (deploymentId: string) => ({
    deploymentId,
    rule: 'latest-release' as const,
  });
  const none = (unattributed: IncidentAttribution['unattributed']) => ({
    deploymentId: null,
    rule: null,
    unattributed,
  });

  const cases: Array<
    [string, Partial<DoraIncident>, Omit<IncidentAttribution, 'incidentId'>]
  > = [
    ['not opened yet', { openedAt: null }, none('not-opened')],
    [
      'not opened yet, even when linked',
      { openedAt: null, deploymentId: 'a2' },
      none('not-opened'),
    ],
    [
      'linked by deployment id',
      { openedAt: 1000, deploymentId: 'a2' },
      linked('a2'),
    ],
    [
      'linked by deployment id, opened before it',
      { openedAt: 50, deploymentId: 'a2' },
      linked('a2'),
    ],
    [
      'linked by deployment id of another entity',
      { openedAt: 1000, entityRef: B, deploymentId: 'a2' },
      linked('a2'),
    ],
    [
      'linked by deployment id, no entity yet',
      { openedAt: 1000, entityRef: null, deploymentId: 'a2' },
      linked('a2'),
    ],
    [
      'linked to an unknown deployment id',
      { openedAt: 1000, deploymentId: 'zz' },
      none('unknown-link'),
    ],
    [
      'linked to an unknown deployment id, the version not tried',
      { openedAt: 1000, deploymentId: 'zz', version: '1.0' },
      none('unknown-link'),
    ],
    [
      'linked by version: its latest deployment before the incident',
      { openedAt: 250, version: '1.0' },
      linked('a1'),
    ],
    [
      'linked by version: deployed at the very time it opened',
      { openedAt: 300, version: '1.0' },
      linked('a3'),
    ],
    [
      'linked by version deployed only later: its earliest deployment',
      { openedAt: 50, version: '1.0' },
      linked('a1'),
    ],
    [
      'linked by version, tie: the greater id',
      { openedAt: 500, version: '2.0' },
      linked('a4b'),
    ],
    [
      'linked by version deployed only later, tie: the greater id',
      { openedAt: 10, version: '2.0' },
      linked('a4b'),
    ],
    [
      'linked by version of its own entity only',
      { openedAt: 1000, entityRef: B, version: '1.0' },
      linked('b1'),
    ],
    [
      'linked to an unknown version',
      { openedAt: 1000, version: '9.9' },
      none('unknown-link'),
    ],
    [
      'linked by version of an entity never deployed',
      { openedAt: 1000, entityRef: C, version: '1.0' },
      none('unknown-link'),
    ],
    [
      'linked by version without an entity',
      { openedAt: 1000, entityRef: null, version: '1.0' },
      none('no-entity'),
    ],
    [
      'no link and no entity',
      { openedAt: 1000, entityRef: null },
      none('no-entity'),
    ],
    ['no link: the latest release before', { openedAt: 250 }, latest('a2')],
    [
      'no link: released at the very time it opened',
      { openedAt: 200 },
      latest('a2'),
    ],
    [
      'no link: a millisecond before a release',
      { openedAt: 199 },
      latest('a1'),
    ],
    ['no link, tie: the greater id', { openedAt: 400 }, latest('a4b')],
    ['no link, long after', { openedAt: 1e12 }, latest('a4b')],
    ['no link, another entity', { openedAt: 1000, entityRef: B }, latest('b1')],
    [
      'no link, before any release',
      { openedAt: 99 },
      none('no-earlier-deployment'),
    ],
    [
      'no link, an entity never deployed',
      { openedAt: 1000, entityRef: C },
      none('no-earlier-deployment'),
    ],
  ];

  it.each(cases)('%s', (_, fields, expected) => {
    expect(attributeIncidents(deployments, [incident('i', fields)])).toEqual([
      { incidentId: 'i', ...expected },
    ]);
  });

  const allIncidents = cases.map(([, fields], i) => incident(`i${i}`, fields));
  const inOrder = attributeIncidents(deployments, allIncidents);

  it.each([
    ['reversed', [...deployments].reverse()],
    ['rotated', [...deployments.slice(3), ...deployments.slice(0, 3)]],
    [
      'ties swapped',
      [
        ...deployments.slice(0, 3),
        deployments[4],
        deployments[3],
        deployments[5],
      ],
    ],
  ])('does not depend on the order of the deployments (%s)', (_, order) => {
    expect(attributeIncidents(order, allIncidents)).toEqual(inOrder);
  });

  it('returns one attribution per incident, in their order', () => {
    const reversed = [...allIncidents].reverse();
    expect(attributeIncidents(deployments, reversed)).toEqual(
      [...inOrder].reverse(),
    );
    expect(attributeIncidents([], [])).toEqual([]);
  });
});

describe('deploymentFacts', () => {
  // `d` is deployed at 10h; `before` at 5h, on the same entity.
  const before = deployment('before', A, h(5), { version: '0' });
  const d = (fields: Partial<DoraDeployment> = {}) =>
    deployment('d', A, h(10), {
      version: '1',
      firstCommitAt: h(4),
      ...fields,
    });
  const notFailed = {
    id: 'd',
    entityRef: A,
    deployedAt: h(10),
    leadTimeMs: h(6),
    failed: false,
    failureRule: null,
    failureStartedAt: null,
    restoredAt: null,
    incidentIds: [],
  };

  it.each<[string, DoraDeployment, DoraIncident[], Partial<DeploymentFacts>]>([
    ['succeeded, no incident', d(), [], {}],
    [
      'no first commit: no lead time',
      d({ firstCommitAt: null }),
      [],
      { leadTimeMs: null },
    ],
    [
      'first commit after the deployment: no lead time, not negative',
      d({ firstCommitAt: h(11) }),
      [],
      { leadTimeMs: null },
    ],
    [
      'first commit at the deployment: zero lead time',
      d({ firstCommitAt: h(10) }),
      [],
      { leadTimeMs: 0 },
    ],
    [
      'rolled back and restored',
      d({ outcome: 'rolled_back', finishedAt: h(11) }),
      [],
      {
        leadTimeMs: null,
        failed: true,
        failureRule: 'rolled-back',
        failureStartedAt: h(10),
        restoredAt: h(11),
      },
    ],
    [
      'aborted, restore not known: open',
      d({ outcome: 'aborted' }),
      [],
      {
        leadTimeMs: null,
        failed: true,
        failureRule: 'rolled-back',
        failureStartedAt: h(10),
        restoredAt: null,
      },
    ],
    [
      'failed, restore reported before the deployment: restored at once',
      d({ outcome: 'failed', finishedAt: h(9) }),
      [],
      {
        leadTimeMs: null,
        failed: true,
        failureRule: 'rolled-back',
        failureStartedAt: h(10),
        restoredAt: h(10),
      },
    ],
    [
      'rolled back wins over a linked incident; latest restore',
      d({ outcome: 'rolled_back', finishedAt: h(11) }),
      [
        incident('i1', {
          openedAt: h(12),
          resolvedAt: h(15),
          deploymentId: 'd',
        }),
      ],
      {
        leadTimeMs: null,
        failed: true,
        failureRule: 'rolled-back',
        failureStartedAt: h(10),
        restoredAt: h(15),
        incidentIds: ['i1'],
      },
    ],
    [
      'rolled back and restored, an incident still open: open',
      d({ outcome: 'rolled_back', finishedAt: h(11) }),
      [incident('i1', { openedAt: h(12), deploymentId: 'd' })],
      {
        leadTimeMs: null,
        failed: true,
        failureRule: 'rolled-back',
        failureStartedAt: h(10),
        restoredAt: null,
        incidentIds: ['i1'],
      },
    ],
    [
      'succeeded, then an incident on its entity: latest release',
      d(),
      [incident('i1', { openedAt: h(12), resolvedAt: h(13) })],
      {
        failed: true,
        failureRule: 'latest-release',
        failureStartedAt: h(12),
        restoredAt: h(13),
        incidentIds: ['i1'],
      },
    ],
    [
      'one incident by latest release, one linked by version: linked',
      d(),
      [
        incident('i1', { openedAt: h(12), resolvedAt: h(13) }),
        incident('i2', { openedAt: h(14), resolvedAt: h(15), version: '1' }),
      ],
      {
        failed: true,
        failureRule: 'linked-incident',
        failureStartedAt: h(12),
        restoredAt: h(15),
        incidentIds: ['i1', 'i2'],
      },
    ],
    [
      'several incidents: earliest start, latest restore, ids sorted',
      d(),
      [
        incident('i2', { openedAt: h(14), resolvedAt: h(20) }),
        incident('i10', { openedAt: h(12), resolvedAt: h(13) }),
        incident('i1', { openedAt: h(16), resolvedAt: h(17) }),
      ],
      {
        failed: true,
        failureRule: 'latest-release',
        failureStartedAt: h(12),
        restoredAt: h(20),
        incidentIds: ['i1', 'i10', 'i2'],
      },
    ],
    [
      'several incidents, one still open: open',
      d(),
      [
        incident('i1', { openedAt: h(12), resolvedAt: h(13) }),
        incident('i2', { openedAt: h(14) }),
      ],
      {
        failed: true,
        failureRule: 'latest-release',
        failureStartedAt: h(12),
        restoredAt: null,
        incidentIds: ['i1', 'i2'],
      },
    ],
    [
      'incident resolved before it was opened: restored at its start',
      d(),
      [incident('i1', { openedAt: h(12), resolvedAt: h(11) })],
      {
        failed: true,
        failureRule: 'latest-release',
        failureStartedAt: h(12),
        restoredAt: h(12),
        incidentIds: ['i1'],
      },
    ],
    [
      'linked incident opened before the deployment: starts when opened',
      d(),
      [
        incident('i1', {
          openedAt: h(8),
          resolvedAt: h(12),
          deploymentId: 'd',
        }),
      ],
      {
        failed: true,
        failureRule: 'linked-incident',
        failureStartedAt: h(8),
        restoredAt: h(12),
        incidentIds: ['i1'],
      },
    ],
    [
      'incident without its create event: not counted',
      d(),
      [incident('i1', { resolvedAt: h(13), deploymentId: 'd' })],
      {},
    ],
    [
      'incident before it: counts against the release before',
      d(),
      [incident('i1', { openedAt: h(9), resolvedAt: h(13) })],
      {},
    ],
  ])('%s', (_, subject, incidents, expected) => {
    const facts = deploymentFacts([before, subject], incidents);
    expect(facts[1]).toEqual({ ...notFailed, ...expected });
  });

  it('returns one result per deployment, in their order', () => {
    const deployments = [
      deployment('x', B, h(3), { outcome: 'rolled_back', finishedAt: h(4) }),
      before,
      deployment('y', C, h(1)),
    ];
    expect(deploymentFacts(deployments, []).map(f => f.id)).toEqual([
      'x',
      'before',
      'y',
    ]);
  });
});

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

describe('quantile', () => {
  // Values of PostgreSQL's percentile_cont(q) WITHIN GROUP (ORDER BY v).
  it.each<[number[], number, number | null]>([
    [[], 0.5, null],
    [[5], 0.5, 5],
    [[5], 0.9, 5],
    [[1, 3], 0.5, 2],
    [[1, 3], 0.9, 2.8],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4], 0.9, 3.7],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 0.5, 5.5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 0.9, 18.1],
    [[10, 20, 30], 0, 10],
    [[10, 20, 30], 1, 30],
    [[7, 7, 7, 7], 0.9, 7],
  ])('%j at %d -> %p', (values, q, expected) => {
    const value = quantile(values, q);
    expect(value === null ? null : Number(value.toFixed(9))).toBe(expected);
  });

  it.each([-0.1, 1.1, NaN])('throws for q = %d', q => {
    expect(() => quantile([1], q)).toThrow(/between 0 and 1/);
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

/**
 * Two weeks from Monday 2024-03-04, three entities. `at(day, hour)` counts
 * from that Monday.
 */
const W0 = utc('2024-03-04T00:00:00.000Z');
const at = (day: number, hour = 0) => W0 + day * D + hour * H;
const PAYMENTS = 'component:default/payments';
const SEARCH = 'component:default/search';
const WEB = 'component:default/web';

const DATASET_DEPLOYMENTS: DoraDeployment[] = [
  // Before the range.
  deployment('w0', WEB, at(-1), { version: 'v0', firstCommitAt: at(-2) }),
  // Week 1.
  deployment('p1', PAYMENTS, at(0, 10), {
    version: 'v1',
    firstCommitAt: at(0, 4),
  }),
  deployment('s1', SEARCH, at(1), {
    version: 'v1',
    firstCommitAt: at(0),
    outcome: 'rolled_back',
    finishedAt: at(1, 1),
  }),
  deployment('p2', PAYMENTS, at(2, 10), {
    version: 'v2',
    firstCommitAt: at(1, 10),
  }),
  deployment('s2', SEARCH, at(4), { version: 'v2', firstCommitAt: at(3, 12) }),
  // Week 2.
  deployment('s3', SEARCH, at(7), { version: 'v3' }),
  deployment('w1', WEB, at(9), { version: 'v1', firstCommitAt: at(2) }),
  deployment('w2', WEB, at(10), { version: 'v2', firstCommitAt: at(10, 1) }),
  deployment('p4', PAYMENTS, at(11), {
    version: 'v4',
    firstCommitAt: at(10),
    outcome: 'aborted',
  }),
  // After the range.
  deployment('p3', PAYMENTS, at(15), { version: 'v3', firstCommitAt: at(14) }),
];

const DATASET_INCIDENTS: DoraIncident[] = [
  incident('i1', {
    entityRef: PAYMENTS,
    openedAt: at(3),
    resolvedAt: at(3, 2),
  }),
  // s3 is the latest search release, but the incident names v2.
  incident('i2', {
    entityRef: SEARCH,
    openedAt: at(8),
    resolvedAt: at(8, 6),
    version: 'v2',
  }),
  incident('i3', { entityRef: WEB, openedAt: at(9, 1), deploymentId: 'w1' }),
  incident('i4', { entityRef: WEB, openedAt: at(8), resolvedAt: at(8, 1) }),
  // Resolved before its create event arrived.
  incident('i5', { entityRef: null, resolvedAt: at(5) }),
  incident('i6', {
    entityRef: PAYMENTS,
    openedAt: at(11, 2),
    resolvedAt: at(11, 3),
  }),
];

const DATASET_FACTS = deploymentFacts(DATASET_DEPLOYMENTS, DATASET_INCIDENTS);

describe('the two-week dataset', () => {
  it('attributes each incident by its rule', () => {
    expect(
      attributeIncidents(DATASET_DEPLOYMENTS, DATASET_INCIDENTS).map(a => [
        a.incidentId,
        a.deploymentId,
        a.rule ?? a.unattributed,
      ]),
    ).toEqual([
      ['i1', 'p2', 'latest-release'],
      ['i2', 's2', 'linked-incident'],
      ['i3', 'w1', 'linked-incident'],
      ['i4', 'w0', 'latest-release'],
      ['i5', null, 'not-opened'],
      ['i6', 'p4', 'latest-release'],
    ]);
  });

  it('marks the failed changes', () => {
    expect(
      DATASET_FACTS.filter(f => f.failed).map(f => [
        f.id,
        f.failureRule,
        f.restoredAt === null
          ? 'open'
          : (f.restoredAt - f.failureStartedAt!) / H,
      ]),
    ).toEqual([
      ['w0', 'latest-release', 1],
      ['s1', 'rolled-back', 1],
      ['p2', 'latest-release', 2],
      ['s2', 'linked-incident', 6],
      ['w1', 'linked-incident', 'open'],
      ['p4', 'rolled-back', 'open'],
    ]);
  });
});

function emptyMeasures(deploymentsPerDay = 0): DoraMeasures {
  return {
    deployments: 0,
    deploymentsPerDay,
    deploymentFrequencyLevel: 'low',
    leadTime: { count: 0, medianMs: null, p90Ms: null, level: null },
    changeFailureRate: {
      failures: 0,
      deployments: 0,
      rate: null,
      level: null,
    },
    recoveryTime: {
      count: 0,
      open: 0,
      medianMs: null,
      p90Ms: null,
      level: null,
    },
  };
}

describe('computeDora', () => {
  const twoWeeks = { from: at(0), to: at(14), bucket: 'week' as const };

  it('computes the two-week dataset by hand', () => {
    // Week 1: p1, s1, p2, s2. Lead times 6h (p1), 24h (p2), 12h (s2); s1
    // was rolled back. Failed: s1 (rolled back, 1h), p2 (i1, 2h), s2 (i2,
    // linked by version, 6h).
    const week1: DoraMeasures = {
      deployments: 4,
      deploymentsPerDay: 4 / 7,
      deploymentFrequencyLevel: 'high',
      leadTime: {
        count: 3,
        medianMs: h(12),
        p90Ms: expect.closeTo(h(21.6), 0),
        level: 'elite',
      },
      changeFailureRate: {
        failures: 3,
        deployments: 4,
        rate: 0.75,
        level: 'low',
      },
      recoveryTime: {
        count: 3,
        open: 0,
        medianMs: h(2),
        p90Ms: expect.closeTo(h(5.2), 0),
        level: 'high',
      },
    };
    // Week 2: s3 (no first commit), w1 (7 days), w2 (first commit after the
    // deployment), p4 (aborted). Failed and open: w1 (i3), p4 (aborted).
    const week2: DoraMeasures = {
      deployments: 4,
      deploymentsPerDay: 4 / 7,
      deploymentFrequencyLevel: 'high',
      leadTime: { count: 1, medianMs: 7 * D, p90Ms: 7 * D, level: 'medium' },
      changeFailureRate: {
        failures: 2,
        deployments: 4,
        rate: 0.5,
        level: 'low',
      },
      recoveryTime: {
        count: 0,
        open: 2,
        medianMs: null,
        p90Ms: null,
        level: null,
      },
    };
    // w0 (failed by i4) and p3 are outside the range.
    const summary: DoraMeasures = {
      deployments: 8,
      deploymentsPerDay: 8 / 14,
      deploymentFrequencyLevel: 'high',
      leadTime: {
        count: 4,
        medianMs: h(18),
        p90Ms: expect.closeTo(h(124.8), 0),
        level: 'elite',
      },
      changeFailureRate: {
        failures: 5,
        deployments: 8,
        rate: 0.625,
        level: 'low',
      },
      recoveryTime: {
        count: 3,
        open: 2,
        medianMs: h(2),
        p90Ms: expect.closeTo(h(5.2), 0),
        level: 'high',
      },
    };
    expect(computeDora(DATASET_FACTS, { ...twoWeeks, now: at(20) })).toEqual({
      from: at(0),
      to: at(14),
      bucket: 'week',
      summary,
      series: [
        { start: at(0), end: at(7), measures: week1 },
        { start: at(7), end: at(14), measures: week2 },
      ],
    });
  });

  it('clips the periods to the range and to now, and leaves out buckets not started', () => {
    const report = computeDora(
      DATASET_FACTS.filter(f => f.id !== 'p3'),
      { from: at(3), to: at(21), bucket: 'week', now: at(12) },
    );
    expect(
      report.series.map(s => [
        s.start,
        s.measures.deployments,
        s.measures.deploymentsPerDay,
      ]),
    ).toEqual([
      // From Thursday: s2 in 4 days.
      [at(0), 1, 1 / 4],
      // To now: s3, w1, w2, p4 in 5 days.
      [at(7), 4, 4 / 5],
    ]);
    expect(report.summary.deployments).toBe(5);
    expect(report.summary.deploymentsPerDay).toBeCloseTo(5 / 9, 12);
  });

  it('counts a period just begun as an hour', () => {
    const facts = deploymentFacts([deployment('x', A, at(0))], []);
    const report = computeDora(facts, {
      from: at(0),
      to: at(7),
      bucket: 'week',
      now: at(0) + 60_000,
    });
    expect(report.summary.deploymentsPerDay).toBe(24);
    expect(report.series[0].measures.deploymentsPerDay).toBe(24);
  });

  it('gives low frequency and no other level without deployments', () => {
    expect(computeDora([], { ...twoWeeks, now: at(20) })).toEqual({
      ...twoWeeks,
      summary: emptyMeasures(),
      series: [
        { start: at(0), end: at(7), measures: emptyMeasures() },
        { start: at(7), end: at(14), measures: emptyMeasures() },
      ],
    });
  });

  it('has no series before the first bucket starts', () => {
    expect(
      computeDora(DATASET_FACTS, { ...twoWeeks, now: at(-1) }).series,
    ).toEqual([]);
  });

  it('gives a month bucket covering the range the summary measures', () => {
    const report = computeDora(DATASET_FACTS, {
      ...twoWeeks,
      bucket: 'month',
      now: at(20),
    });
    expect(report.series).toEqual([
      {
        start: utc('2024-03-01T00:00:00.000Z'),
        end: utc('2024-04-01T00:00:00.000Z'),
        measures: report.summary,
      },
    ]);
  });
});

describe('doraCsv', () => {
  const report = computeDora(DATASET_FACTS, {
    from: at(0),
    to: at(14),
    bucket: 'week',
    now: at(20),
  });
  const header =
    'scope,bucket_start,bucket_end,deployments,deployments_per_day,' +
    'lead_time_median_hours,lead_time_p90_hours,change_failure_rate,' +
    'failures,recovery_median_hours,recovery_p90_hours,open_failures,' +
    'deployment_frequency_level,lead_time_level,' +
    'change_failure_rate_level,recovery_time_level';

  it('writes a header and one row per bucket', () => {
    expect(doraCsv(report, 'group:default/team-a')).toBe(
      [
        header,
        'group:default/team-a,2024-03-04T00:00:00.000Z,2024-03-11T00:00:00.000Z,' +
          '4,0.571,12,21.6,0.75,3,2,5.2,0,high,elite,low,high',
        'group:default/team-a,2024-03-11T00:00:00.000Z,2024-03-18T00:00:00.000Z,' +
          '4,0.571,168,168,0.5,2,,,2,high,medium,low,',
        '',
      ].join('\r\n'),
    );
  });

  it('writes only the header for an empty series', () => {
    const empty = computeDora([], {
      from: at(0),
      to: at(14),
      bucket: 'week',
      now: at(-1),
    });
    expect(doraCsv(empty, 'all')).toBe(`${header}\r\n`);
  });

  it.each([
    ['group:default/team-a', 'group:default/team-a'],
    ['team a', 'team a'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['two\nlines', '"two\nlines"'],
    ['two\r\nlines', '"two\r\nlines"'],
  ])('writes the scope %j as %j', (scope, field) => {
    const csv = doraCsv(report, scope);
    const rows = csv.slice(header.length + 2);
    expect(rows.startsWith(`${field},2024-03-04T00:00:00.000Z,`)).toBe(true);
    expect(rows.split(`${field},`)).toHaveLength(3);
  });
});

/** A small seeded PRNG (mulberry32): the same numbers on every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('at scale', () => {
  it('attributes 30,000 incidents to 300,000 deployments of 1,000 entities', () => {
    const random = mulberry32(20240304);
    const int = (n: number) => Math.floor(random() * n);
    const from = utc('2024-01-01T00:00:00.000Z');
    const to = from + 26 * 7 * D;
    // Deployments from two weeks before the range to two weeks after it,
    // on whole minutes so that some share a time.
    const start = from - 14 * D;
    const minutes = (to + 14 * D - start) / 60_000;
    const entities = Array.from(
      { length: 1000 },
      (_, i) => `component:default/service-${i}`,
    );

    const deployments: DoraDeployment[] = Array.from(
      { length: 300_000 },
      (_, i) => {
        const deployedAt = start + int(minutes) * 60_000;
        const roll = random();
        let outcome: DoraDeployment['outcome'] = 'succeeded';
        if (roll < 0.05) outcome = 'rolled_back';
        else if (roll < 0.06) outcome = 'aborted';
        else if (roll < 0.07) outcome = 'failed';
        return {
          id: `d${i}`,
          entityRef: entities[int(entities.length)],
          version: `v${int(50)}`,
          deployedAt,
          firstCommitAt: random() < 0.1 ? null : deployedAt - int(10 * D),
          outcome,
          finishedAt: random() < 0.2 ? null : deployedAt + int(4 * H),
        };
      },
    );
    const incidents: DoraIncident[] = Array.from({ length: 30_000 }, (_, i) => {
      const openedAt = random() < 0.1 ? null : start + int(minutes) * 60_000;
      const link = random();
      return {
        id: `i${i}`,
        entityRef: openedAt === null ? null : entities[int(entities.length)],
        openedAt,
        resolvedAt:
          openedAt === null || random() < 0.1 ? null : openedAt + int(3 * D),
        deploymentId: link < 0.1 ? `d${int(310_000)}` : null,
        version: link >= 0.1 && link < 0.2 ? `v${int(60)}` : null,
      };
    });

    const attributions = attributeIncidents(deployments, incidents);
    const facts = deploymentFacts(deployments, incidents);
    const report = computeDora(facts, {
      from,
      to,
      bucket: 'week',
      now: to + D,
    });

    expect(attributions).toHaveLength(incidents.length);
    expect(facts).toHaveLength(deployments.length);
    expect(report.series).toHaveLength(26);

    const { summary, series } = report;
    const sum = (f: (m: DoraMeasures) => number) =>
      series.reduce((total, s) => total + f(s.measures), 0);
    expect(sum(m => m.deployments)).toBe(summary.deployments);
    expect(sum(m => m.changeFailureRate.failures)).toBe(
      summary.changeFailureRate.failures,
    );
    expect(sum(m => m.recoveryTime.open)).toBe(summary.recoveryTime.open);
    expect(summary.deployments).toBe(
      deployments.filter(d => d.deployedAt >= from && d.deployedAt < to).length,
    );
    const inconsistent = [summary, ...series.map(s => s.measures)].filter(
      m =>
        m.changeFailureRate.failures > m.deployments ||
        m.recoveryTime.count + m.recoveryTime.open !==
          m.changeFailureRate.failures ||
        m.leadTime.count > m.deployments,
    );
    expect(inconsistent).toEqual([]);

    // Every latest-release attribution checked against a plain scan, for a
    // sample of incidents.
    const wrong: string[] = [];
    let checked = 0;
    attributions.slice(0, 200).forEach((attribution, i) => {
      const { entityRef, openedAt } = incidents[i];
      if (attribution.rule !== 'latest-release') return;
      checked++;
      let best: DoraDeployment | undefined;
      for (const d of deployments) {
        if (d.entityRef !== entityRef || d.deployedAt > openedAt!) continue;
        if (
          !best ||
          d.deployedAt > best.deployedAt ||
          (d.deployedAt === best.deployedAt && d.id > best.id)
        ) {
          best = d;
        }
      }
      if (best?.id !== attribution.deploymentId) wrong.push(incidents[i].id);
    });
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  }, 20_000);
});
