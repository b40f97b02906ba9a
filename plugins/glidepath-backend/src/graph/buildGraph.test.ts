import type { GraphScope } from '@glidepath/backstage-plugin-common';
import type { LatestRelease } from '../releases/ReleaseStore';
import { c, graph, indexOf, latest, SHOP } from './__testUtils__/graphFixtures';
import { buildGraph } from './buildGraph';
import { serializeGraph } from './serializeGraph';

describe('buildGraph', () => {
  it('turns dependsOn, consumed APIs and requirements into edges', () => {
    const g = graph(SHOP, { roots: [c('checkout')] });
    const edges = Object.fromEntries(
      g.edges.map(e => [`${e.from} -> ${e.to}`, [e.relations, e.apis]]),
    );
    expect(edges).toEqual({
      'component:default/checkout -> component:default/payments': [
        ['consumesApi', 'requires'],
        ['api:default/payments-api'],
      ],
      'component:default/checkout -> resource:default/orders-db': [
        ['requires'],
        [],
      ],
      'component:default/web -> component:default/checkout': [
        ['consumesApi'],
        ['api:default/checkout-api'],
      ],
      'component:default/web -> component:default/gateway': [['dependsOn'], []],
      'component:default/gateway -> component:default/identity': [
        ['dependsOn'],
        [],
      ],
      'component:default/identity -> resource:default/identity-db': [
        ['dependsOn'],
        [],
      ],
    });
    // APIs and systems are not nodes.
    expect(g.nodes.map(n => n.entityRef)).not.toContain(
      'api:default/payments-api',
    );
  });

  it.each([
    ['both', 1, ['checkout', 'payments', 'web', 'orders-db']],
    ['dependencies', 5, ['checkout', 'payments', 'orders-db']],
    ['dependents', 5, ['checkout', 'web']],
    ['both', 0, ['checkout']],
    ['both', 2, ['checkout', 'payments', 'web', 'orders-db', 'gateway']],
  ] as const)('direction %s depth %d', (direction, depth, names) => {
    const g = graph(SHOP, { roots: [c('checkout')], direction, depth });
    expect(g.nodes.map(n => n.name).sort()).toEqual([...names].sort());
  });

  it('filters by kind and lifecycle but keeps the entity it is drawn around', () => {
    const sketches = SHOP.map(s =>
      s.name === 'payments' ? { ...s, lifecycle: 'experimental' } : s,
    );
    const byKind = graph(sketches, {
      roots: [c('checkout')],
      kinds: ['resource'],
    });
    expect(byKind.nodes.map(n => n.name).sort()).toEqual([
      'checkout',
      'identity-db',
      'orders-db',
    ]);
    const byLifecycle = graph(sketches, {
      roots: [c('checkout')],
      lifecycles: ['experimental'],
    });
    expect(byLifecycle.nodes.map(n => n.name).sort()).toEqual([
      'checkout',
      'payments',
    ]);
  });

  it('gives the release order, or the cycles instead of it', () => {
    expect(
      graph(SHOP, { roots: [c('checkout')], depth: 1 }).releaseOrder,
    ).toEqual({
      layers: [
        ['component:default/payments', 'resource:default/orders-db'],
        ['component:default/checkout'],
        ['component:default/web'],
      ],
      cycles: [],
    });
    const cyclic = graph(
      [
        { name: 'a', dependsOn: ['b'] },
        { name: 'b', dependsOn: ['c'] },
        { name: 'c', dependsOn: ['a'] },
      ],
      { roots: [c('a')] },
    );
    expect(cyclic.releaseOrder).toEqual({
      layers: null,
      cycles: [[c('a'), c('b'), c('c')]],
    });
    expect(cyclic.nodes).toHaveLength(3);
  });

  it('reports a malformed requirement on its entity and serves the rest', () => {
    const g = graph(
      [
        { name: 'a', requires: 'b@>=1, c@not-a-range' },
        { name: 'b' },
        { name: 'c' },
      ],
      { roots: [c('a')] },
    );
    expect(g.nodes.find(n => n.name === 'a')!.problems).toEqual([
      expect.objectContaining({
        annotation: 'glidepath.dev/requires',
        value: 'c@not-a-range',
      }),
    ]);
    expect(g.edges.map(e => e.to)).toEqual([c('b')]);
  });

  it('lists targets the catalog did not return as missing', () => {
    const g = graph([{ name: 'a', dependsOn: ['ghost'], requires: 'b@1' }], {
      roots: [c('a')],
      missing: [c('hidden')],
    });
    expect(g.missing).toEqual([c('b'), c('ghost'), c('hidden')]);
    expect(
      g.missingDetails!.map(m => [m.entityRef, m.reason, m.relations]),
    ).toEqual([
      [c('b'), 'not-found', ['requires']],
      [c('ghost'), 'not-found', ['dependsOn']],
      // Not returned by the catalog while loading; no node's relation here.
      [c('hidden'), 'not-found', []],
    ]);
    expect(g.edges).toEqual([]);
  });

  it('checks requirements against what runs and what is being released', () => {
    const g = graph(SHOP, {
      roots: [c('checkout')],
      depth: 1,
      latest: [
        latest('payments', '3.0.0', 'progressing', {
          previousVersion: '2.4.1',
        }),
        latest('orders-db', '14.2.0', 'succeeded', {
          entityRef: 'resource:default/orders-db',
        }),
      ],
    });
    const requirement = (to: string) =>
      g.edges.find(e => e.to === to)!.requirement;
    expect(requirement(c('payments'))).toEqual({
      range: '>=2.3.0 <3',
      text: 'payments@>=2.3.0 <3',
      status: 'broken',
      checks: [
        {
          environment: 'production',
          version: '2.4.1',
          releasing: false,
          status: 'satisfied',
          message: null,
        },
        {
          environment: 'production',
          version: '3.0.0',
          releasing: true,
          status: 'broken',
          message: 'the release in progress: 3.0.0 does not satisfy >=2.3.0 <3',
        },
      ],
    });
    expect(requirement('resource:default/orders-db')!.status).toBe('satisfied');
    const payments = g.nodes.find(n => n.name === 'payments')!;
    expect(payments.phase).toBe('progressing');
    expect(payments.deployments).toEqual([
      expect.objectContaining({ version: '2.4.1', releasingVersion: '3.0.0' }),
    ]);
  });

  it('lays dependencies out left of their dependents', () => {
    const g = graph(SHOP, { roots: [c('web')] });
    const layer = (name: string) =>
      g.nodes.find(n => n.name === name)!.layout.layer;
    expect(layer('identity-db')).toBeLessThan(layer('identity'));
    expect(layer('identity')).toBeLessThan(layer('gateway'));
    expect(layer('gateway')).toBeLessThan(layer('web'));
  });
});

describe('buildGraph from a previous answer', () => {
  const index = indexOf(SHOP);
  const scope: GraphScope = {
    type: 'all',
    ref: null,
    depth: null,
    direction: 'both',
  };
  const build = (
    releases: LatestRelease[],
    previous?: ReturnType<typeof buildGraph>,
  ) =>
    buildGraph(index, {
      scope,
      roots: index.nodeRefs(),
      depth: Infinity,
      direction: 'both',
      latest: releases,
      now: new Date('2026-11-27T00:00:00Z'),
      previous,
    });
  const before = [
    latest('payments', '2.4.1'),
    latest('gateway', '1.0.0'),
    latest('orders-db', '14.2.0', 'succeeded', {
      entityRef: 'resource:default/orders-db',
    }),
  ];

  it.each([
    ['nothing changed', before, []],
    [
      'payments is rolling out 3.0.0',
      [
        latest('payments', '3.0.0', 'progressing', {
          previousVersion: '2.4.1',
        }),
        ...before.slice(1),
      ],
      [c('payments')],
    ],
    [
      'gateway got its first release in staging',
      [
        ...before,
        latest('gateway', '1.1.0', 'succeeded', { environment: 'staging' }),
      ],
      [c('gateway')],
    ],
    [
      'every release is gone',
      [],
      [c('payments'), c('gateway'), 'resource:default/orders-db'],
    ],
  ])(
    '%s: the same answer as a build from nothing, reusing what did not change',
    (_, after, changed) => {
      const first = build(before);
      const fresh = build(after);
      const next = build(after, first);
      expect(next).toEqual(fresh);
      expect(serializeGraph(next)).toBe(JSON.stringify(fresh));
      for (const node of next.nodes) {
        const old = first.nodes.find(n => n.entityRef === node.entityRef);
        expect([node.entityRef, node === old]).toEqual([
          node.entityRef,
          !changed.includes(node.entityRef),
        ]);
      }
      next.edges.forEach((edge, i) => {
        // Only the requirements on a changed entity are checked again.
        const rechecked =
          Boolean(edge.requirement) && changed.includes(edge.to);
        expect([edge.from, edge.to, edge === first.edges[i]]).toEqual([
          edge.from,
          edge.to,
          !rechecked,
        ]);
      });
    },
  );
});
