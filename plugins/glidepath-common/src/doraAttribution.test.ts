import { DeploymentFacts, DoraDeployment, DoraIncident } from './dora';
import {
  attributeIncidents,
  deploymentFacts,
  IncidentAttribution,
} from './doraAttribution';
import { A, B, C, deployment, h, incident } from './doraFixtures';

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

describe('attributeIncidents after a rollback', () => {
  // a2 rolled back, restored at 250; a3 aborted, its restore not known; a4
  // failed, restored at 450. c2 and c3 both rolled back before 400.
  const deployments = [
    deployment('a1', A, 100),
    deployment('a2', A, 200, { outcome: 'rolled_back', finishedAt: 250 }),
    deployment('a3', A, 300, { outcome: 'aborted' }),
    deployment('a4', A, 400, { outcome: 'failed', finishedAt: 450 }),
    deployment('b1', B, 100, { outcome: 'rolled_back', finishedAt: 110 }),
    deployment('c1', C, 100),
    deployment('c2', C, 200, { outcome: 'rolled_back', finishedAt: 210 }),
    deployment('c3', C, 300, { outcome: 'rolled_back', finishedAt: 310 }),
  ];
  const latest = (deploymentId: string) => ({
    deploymentId,
    rule: 'latest-release' as const,
  });

  it.each<[string, Partial<DoraIncident>, object]>([
    ['opened while the rollback ran', { openedAt: 220 }, latest('a2')],
    ['opened as the rollback ended', { openedAt: 250 }, latest('a1')],
    [
      'opened after the rollback: the release serving again',
      { openedAt: 260 },
      latest('a1'),
    ],
    [
      'opened after an abort whose restore is not known: still the abort',
      { openedAt: 350 },
      latest('a3'),
    ],
    ['opened before a failure was restored', { openedAt: 420 }, latest('a4')],
    [
      'opened after a failure was restored: the one before it',
      { openedAt: 460 },
      latest('a3'),
    ],
    [
      'opened after two rollbacks: the release before both',
      { openedAt: 400, entityRef: C },
      latest('c1'),
    ],
    [
      'opened after the only deployment was rolled back',
      { openedAt: 120, entityRef: B },
      {
        deploymentId: null,
        rule: null,
        unattributed: 'no-earlier-deployment',
      },
    ],
    [
      'linked explicitly to the rolled back deployment: the link wins',
      { openedAt: 260, deploymentId: 'a2' },
      { deploymentId: 'a2', rule: 'linked-incident' },
    ],
  ])('%s', (_, fields, expected) => {
    expect(attributeIncidents(deployments, [incident('i', fields)])).toEqual([
      { incidentId: 'i', ...expected },
    ]);
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

  it('counts an incident after a rollback against the release serving again', () => {
    // v2 is rolled back at 11h (v1 serving again); an incident opens at 12h
    // and is resolved at 18h: v1's failure, restored in 6 h, not v2's in
    // 8 h from its deployment.
    const [v1, v2] = deploymentFacts(
      [
        before,
        d({ outcome: 'rolled_back', finishedAt: h(11), firstCommitAt: null }),
      ],
      [incident('i1', { openedAt: h(12), resolvedAt: h(18) })],
    );
    expect(v1).toEqual({
      id: 'before',
      entityRef: A,
      deployedAt: h(5),
      leadTimeMs: null,
      failed: true,
      failureRule: 'latest-release',
      failureStartedAt: h(12),
      restoredAt: h(18),
      incidentIds: ['i1'],
    });
    expect(v2).toEqual({
      ...notFailed,
      leadTimeMs: null,
      failed: true,
      failureRule: 'rolled-back',
      failureStartedAt: h(10),
      restoredAt: h(11),
    });
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
