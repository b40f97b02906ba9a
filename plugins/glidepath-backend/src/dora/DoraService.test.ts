import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { FakeRolloutProvider } from '../__testUtils__/FakeRolloutProvider';
import {
  component,
  startGlidepathTestBackend,
} from '../__testUtils__/glidepathTestBackend';

const ci = mockCredentials.service.header();
const user = mockCredentials.user.header('user:default/priya');

const HOUR = 3_600_000;
// One "now" for the whole file: two times computed from Date.now() a
// millisecond apart made a 5-hour lead time 4:59:59.999.
const NOW = Date.now();
const at = (hoursAgo: number) => new Date(NOW - hoursAgo * HOUR).toISOString();

function owned(name: string, owner: string, system?: string): Entity {
  const entity = component(name, owner, {});
  entity.spec = { ...entity.spec, ...(system && { system }) };
  entity.relations = [
    { type: 'ownedBy', targetRef: owner },
    ...(system
      ? [{ type: 'partOf', targetRef: `system:default/${system}` }]
      : []),
  ];
  return entity;
}

const entities: Entity[] = [
  owned('checkout-service', 'group:default/team-checkout', 'shop'),
  owned('cart-service', 'group:default/team-checkout', 'shop'),
  owned('payments-service', 'group:default/team-payments'),
  ...['team-empty', 'team-payments'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  })),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-checkout', namespace: 'default' },
    spec: { type: 'team', profile: { displayName: 'Checkout' }, children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'shop', namespace: 'default' },
    spec: { owner: 'group:default/team-checkout' },
  },
];

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

async function setup(
  options: { allowEvents?: boolean; provider?: FakeRolloutProvider } = {},
) {
  const harness = await startGlidepathTestBackend({
    providers: options.provider ? [options.provider] : [],
    entities: options.provider
      ? [
          ...entities,
          {
            ...owned('rolled', 'group:default/team-payments'),
            metadata: {
              name: 'rolled',
              namespace: 'default',
              annotations: { 'glidepath.dev/rollout': 'fake:rolled' },
            },
          },
        ]
      : entities,
    allow: (_user, _resource, permission) =>
      permission !== 'glidepath.events.create' || options.allowEvents !== false,
  });
  running.push(harness.stop);
  const post = (type: 'deployments' | 'incidents', body: object, as = ci) =>
    request(harness.server)
      .post(`/api/glidepath/events/${type}`)
      .set('Authorization', as)
      .send(body);
  const dora = (query: Record<string, string>) =>
    request(harness.server)
      .get('/api/glidepath/dora')
      .query(query)
      .set('Authorization', user);
  return { ...harness, post, dora };
}

const deploy = (id: string, name: string, hoursAgo: number, extra = {}) => ({
  id,
  entityRef: name,
  environment: 'production',
  version: `1.0.${hoursAgo}`,
  deployedAt: at(hoursAgo),
  firstCommitAt: at(hoursAgo + 5),
  ...extra,
});

describe('DORA over HTTP', () => {
  it('takes deployments from a service, once per id, and counts them', async () => {
    const { post, dora, auditEvents } = await setup();
    const d1 = deploy('d1', 'checkout-service', 30);
    const first = await post('deployments', {
      events: [
        d1,
        deploy('d2', 'checkout-service', 20),
        deploy('s1', 'checkout-service', 25, { environment: 'staging' }),
      ],
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      received: 3,
      created: 3,
      unchanged: 0,
      unmatched: [],
    });
    const again = await post('deployments', d1);
    expect(again.body).toMatchObject({ created: 0, unchanged: 1 });
    expect(auditEvents.filter(e => e.eventId === 'dora-events')).toEqual([
      expect.objectContaining({ outcome: 'success' }),
      expect.objectContaining({ outcome: 'success' }),
    ]);

    const res = await dora({ entity: 'checkout-service' });
    expect(res.status).toBe(200);
    expect(res.body.scope).toEqual({
      type: 'entity',
      ref: 'component:default/checkout-service',
    });
    // Staging does not count; d1 is not counted twice.
    expect(res.body.summary).toMatchObject({
      deployments: 2,
      leadTime: { count: 2, medianMs: 5 * HOUR },
      changeFailureRate: { failures: 0, rate: 0 },
    });
    expect(res.body.series.length).toBeGreaterThanOrEqual(26);
  });

  it('attributes incidents, including a resolve that arrives first, and lists the failures with their rule', async () => {
    const { post, dora } = await setup();
    await post('deployments', {
      events: [
        deploy('d1', 'checkout-service', 30),
        deploy('d2', 'checkout-service', 10, {
          outcome: 'rolled_back',
          finishedAt: at(9),
        }),
        deploy('p1', 'payments-service', 40),
      ],
    });
    await post('incidents', { id: 'PD-1', resolvedAt: at(20) });
    await post('incidents', {
      id: 'PD-1',
      entityRef: 'checkout-service',
      openedAt: at(22),
      title: 'Checkout 500s',
    });
    await post('incidents', {
      id: 'PD-2',
      entityRef: 'checkout-service',
      openedAt: at(35),
      deploymentId: 'p1',
    });
    const res = await dora({ owner: 'team-checkout' });
    expect(res.status).toBe(200);
    expect(res.body.summary.changeFailureRate).toMatchObject({
      failures: 2,
      deployments: 2,
      rate: 1,
    });
    expect(
      res.body.failures.map((f: any) => [
        f.deploymentId,
        f.rule,
        f.incidents.map((i: any) => i.title),
      ]),
    ).toEqual([
      ['d2', 'rolled-back', []],
      ['d1', 'latest-release', ['Checkout 500s']],
    ]);
    const payments = await dora({ entity: 'payments-service' });
    expect(payments.body.failures).toEqual([
      expect.objectContaining({ deploymentId: 'p1', rule: 'linked-incident' }),
    ]);
    expect(payments.body.summary.recoveryTime).toMatchObject({ open: 1 });
  });

  it('counts an incident opened after a rollback against the release serving again', async () => {
    const { post, dora } = await setup();
    await post('deployments', {
      events: [
        deploy('d1', 'checkout-service', 40),
        // Rolled back at 29 h ago: d1's version serves again.
        deploy('d2', 'checkout-service', 30, {
          outcome: 'rolled_back',
          finishedAt: at(29),
        }),
      ],
    });
    // No link, opened 11 h after the rollback, resolved 6 h later.
    await post('incidents', {
      id: 'PD-7',
      entityRef: 'checkout-service',
      openedAt: at(18),
      resolvedAt: at(12),
    });
    const res = await dora({ entity: 'checkout-service' });
    const hours = (f: any) =>
      (Date.parse(f.restoredAt) - Date.parse(f.failureStartedAt)) / HOUR;
    expect(
      res.body.failures
        .map((f: any) => [
          f.deploymentId,
          f.rule,
          hours(f),
          f.incidents.map((i: any) => i.id),
        ])
        .sort(),
    ).toEqual([
      // 6 h, not the 18 h from d2's deployment to the incident's end.
      ['d1', 'latest-release', 6, ['PD-7']],
      ['d2', 'rolled-back', 1, []],
    ]);
    expect(res.body.summary.changeFailureRate).toMatchObject({
      failures: 2,
      deployments: 2,
    });
    expect(res.body.summary.recoveryTime).toMatchObject({ count: 2, open: 0 });
  });

  it('takes a deployment whose first commit is after it (clock skew) without a lead time, says so, and counts the batch', async () => {
    const { post, dora } = await setup();
    const res = await post('deployments', {
      events: [
        deploy('d1', 'checkout-service', 30),
        deploy('d2', 'checkout-service', 20, { firstCommitAt: at(19) }),
        deploy('d3', 'checkout-service', 10),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: 3, created: 3 });
    expect(res.body.results).toEqual([
      { id: 'd1', status: 'created', matched: true },
      {
        id: 'd2',
        status: 'created',
        matched: true,
        warnings: [
          {
            field: 'firstCommitAt',
            message: expect.stringContaining('is after deployedAt'),
          },
        ],
      },
      { id: 'd3', status: 'created', matched: true },
    ]);
    const after = await dora({ entity: 'checkout-service' });
    expect(after.body.summary).toMatchObject({
      deployments: 3,
      leadTime: { count: 2, medianMs: 5 * HOUR },
    });
  });

  it('keeps events of unknown entities and reports them as unmatched', async () => {
    const { post, server } = await setup();
    const res = await post('deployments', deploy('g1', 'ghost-service', 3));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      created: 1,
      results: [{ id: 'g1', status: 'created', matched: false }],
      unmatched: ['component:default/ghost-service'],
    });
    const list = await request(server)
      .get('/api/glidepath/events/unmatched')
      .set('Authorization', user);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        type: 'deployment',
        id: 'g1',
        entityRef: 'component:default/ghost-service',
      }),
    ]);
  });

  it.each<[string, 'deployments' | 'incidents', object, string]>([
    [
      'a malformed timestamp',
      'deployments',
      deploy('d1', 'checkout-service', 3, { deployedAt: '28/11/2026' }),
      'deployedAt: "28/11/2026" is not an RFC 3339 date-time',
    ],
    [
      'a malformed version, in a batch',
      'deployments',
      {
        events: [
          deploy('d1', 'checkout-service', 3),
          deploy('d2', 'checkout-service', 2, { version: 'new one' }),
        ],
      },
      'events[1].version: "new one" is not a version',
    ],
    [
      'a malformed entity ref, in a batch',
      'deployments',
      {
        events: [
          deploy('d1', 'checkout-service', 3),
          deploy('d2', 'not a ref!', 2),
        ],
      },
      'events[1].entityRef: "not a ref!" is not an entity reference',
    ],
    [
      'the same id twice in a batch',
      'deployments',
      {
        events: [
          deploy('d1', 'checkout-service', 3),
          deploy('d1', 'checkout-service', 2),
        ],
      },
      'events[1].id: "d1" appears twice in this request',
    ],
    [
      'a malformed entity ref of an incident',
      'incidents',
      { id: 'PD-9', entityRef: 'not a ref!', openedAt: at(2) },
      'entityRef: "not a ref!" is not an entity reference',
    ],
    [
      'an incident resolved before it opened',
      'incidents',
      {
        id: 'PD-9',
        entityRef: 'checkout-service',
        openedAt: at(2),
        resolvedAt: at(3),
      },
      'resolvedAt: must not be before openedAt',
    ],
  ])(
    'refuses %s with a 400 naming the field, storing nothing',
    async (_, type, body, message) => {
      const { post, dora } = await setup();
      const res = await post(type, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
      const after = await dora({});
      expect(after.body.summary.deployments).toBe(0);
    },
  );

  it('takes events only from services allowed to post them', async () => {
    const { post } = await setup({ allowEvents: false });
    const asUser = await post(
      'deployments',
      deploy('d1', 'checkout-service', 3),
      user,
    );
    expect(asUser.status).toBe(403);
    const denied = await post(
      'deployments',
      deploy('d1', 'checkout-service', 3),
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('glidepath.events.create');
  });

  it.each<[string, Record<string, string>, number, string]>([
    [
      'an unknown entity',
      { entity: 'nobody' },
      404,
      'No entity component:default/nobody',
    ],
    [
      'an unknown owner',
      { owner: 'team-nobody' },
      404,
      'No owner group:default/team-nobody',
    ],
    [
      'two scopes',
      { entity: 'a', owner: 'b' },
      400,
      'Give at most one of entity, owner and system',
    ],
    [
      'a bad bucket',
      { bucket: 'day' },
      400,
      'must be equal to one of the allowed values',
    ],
    [
      'a bad date',
      { from: 'last week' },
      400,
      'from "last week" is not a date',
    ],
    [
      'from after to',
      { from: '2026-06-02', to: '2026-06-01' },
      400,
      'must be before to',
    ],
    [
      'a period too long',
      { from: '2020-01-01', to: '2026-01-01' },
      400,
      'at most 731 days',
    ],
    [
      'an owner that is a component',
      { owner: 'component:default/x' },
      400,
      'must be a group or user reference',
    ],
  ])('answers %s with %p', async (_, query, status, message) => {
    const { dora } = await setup();
    const res = await dora(query);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(message);
  });

  it('answers an owner with nothing yet with empty measures, not an error', async () => {
    const { dora } = await setup();
    const res = await dora({ owner: 'team-empty' });
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({
      deployments: 0,
      changeFailureRate: { rate: null },
    });
  });

  it('ranks teams, covers a system, and exports CSV', async () => {
    const { post, dora } = await setup();
    await post('deployments', {
      events: [
        deploy('c1', 'checkout-service', 30),
        deploy('c2', 'cart-service', 20),
        deploy('c3', 'cart-service', 10),
        deploy('p1', 'payments-service', 40),
      ],
    });
    const teams = await dora({ groupBy: 'owner' });
    expect(
      teams.body.groups.map((g: any) => [
        g.ref,
        g.title,
        g.entities,
        g.summary.deployments,
      ]),
    ).toEqual([
      // Teams by their display name, when they have one.
      ['group:default/team-checkout', 'Checkout', 2, 3],
      ['group:default/team-payments', null, 1, 1],
    ]);
    const shop = await dora({ system: 'shop', groupBy: 'entity' });
    expect(shop.body.summary.deployments).toBe(3);
    expect(shop.body.groups.map((g: any) => g.ref)).toEqual([
      'component:default/cart-service',
      'component:default/checkout-service',
    ]);
    const csv = await dora({ owner: 'team-checkout', format: 'csv' });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(
      'dora-group_default_team-checkout-week.csv',
    );
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toMatch(/^scope,bucket_start,bucket_end,deployments,/);
    expect(lines.length).toBeGreaterThanOrEqual(27);
    const total = lines
      .slice(1)
      .reduce((sum, line) => sum + Number(line.split(',')[3]), 0);
    expect(total).toBe(3);
  });

  it('records releases Glidepath observed once they end', async () => {
    const provider = new FakeRolloutProvider();
    provider.setRelease('rolled', {
      phase: 'rolled_back',
      startedAt: new Date(NOW - 3 * HOUR),
      finishedAt: new Date(NOW - 2 * HOUR),
    });
    const { sync, dora } = await setup({ provider });
    await sync();
    const res = await dora({ entity: 'rolled' });
    expect(res.body.summary).toMatchObject({
      deployments: 1,
      changeFailureRate: { failures: 1 },
      recoveryTime: { count: 1, medianMs: HOUR },
    });
    expect(res.body.failures[0]).toMatchObject({
      deploymentId: expect.stringMatching(/^release:/),
      rule: 'rolled-back',
    });
  });

  it('reads the history providers report, labels it simulated, and writes the weekly reports from it', async () => {
    let readings = 0;
    const provider = Object.assign(new FakeRolloutProvider(), {
      simulated: true,
      readHistory: async () => ({
        // The second reading no longer has the deployment of 10 days ago.
        deployments: (++readings === 1
          ? [1, 2, 3, 8, 9, 10]
          : [1, 2, 3, 8, 9]
        ).map(days => ({
          id: `h${days}`,
          entityRef: 'component:default/rolled',
          environment: 'production',
          version: `1.0.${days}`,
          deployedAt: new Date(NOW - days * 24 * HOUR),
          firstCommitAt: new Date(NOW - days * 24 * HOUR - 2 * HOUR),
          commit: null,
          outcome: 'succeeded' as const,
          finishedAt: null,
        })),
        incidents: [
          {
            id: 'i1',
            entityRef: 'component:default/rolled',
            title: 'Made-up outage',
            openedAt: new Date(NOW - 8 * 24 * HOUR + HOUR),
            resolvedAt: new Date(NOW - 8 * 24 * HOUR + 2 * HOUR),
            deploymentId: 'h8',
          },
        ],
      }),
    });
    // A finished release of the simulated provider: not counted by default.
    provider.setRelease('rolled', {
      phase: 'succeeded',
      startedAt: new Date(NOW - 3 * HOUR),
      finishedAt: new Date(NOW - 2 * HOUR),
    });
    const { runTask, dora, server, sync } = await setup({ provider });
    await sync();
    await runTask('glidepath-dora-history');
    expect((await dora({ entity: 'rolled' })).body.summary.deployments).toBe(6);
    // Again: nothing is counted twice, and what the provider no longer
    // reports is gone.
    await runTask('glidepath-dora-history');
    const res = await dora({ entity: 'rolled' });
    expect(res.body).toMatchObject({
      summary: { deployments: 5, changeFailureRate: { failures: 1 } },
      simulatedDeployments: 5,
    });
    expect(res.body.failures[0]).toMatchObject({
      deploymentId: 'history:fake:h8',
      rule: 'linked-incident',
      incidents: [{ title: 'Made-up outage' }],
    });

    await runTask('glidepath-dora-weekly-report');
    const list = await request(server)
      .get('/api/glidepath/dora/reports')
      .query({ owner: 'team-payments' })
      .set('Authorization', user);
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(1);
    const report = await request(server)
      .get(`/api/glidepath/dora/reports/${list.body.items[0].id}`)
      .set('Authorization', user);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      ownerRef: 'group:default/team-payments',
      // The last complete week has some of h1..h10, all of rolled's.
      services: [
        expect.objectContaining({ entityRef: 'component:default/rolled' }),
      ],
      changes: expect.any(Array),
    });
    const missing = await request(server)
      .get('/api/glidepath/dora/reports/nope')
      .set('Authorization', user);
    expect(missing.status).toBe(404);
  });
});
