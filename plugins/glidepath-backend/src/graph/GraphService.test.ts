import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  catalogWithRelations,
  EntitySketch,
} from '../__testUtils__/catalogWithRelations';
import { FakeRolloutProvider } from '../__testUtils__/FakeRolloutProvider';
import { startGlidepathTestBackend } from '../__testUtils__/glidepathTestBackend';
import { CatalogSnapshot } from './CatalogSnapshot';
import type { LatestRelease } from '../releases/ReleaseStore';
import { GraphService } from './GraphService';

const c = (name: string) => `component:default/${name}`;
const user = mockCredentials.user.header('user:default/someone');

/** A ring of services, each depending on the next two, in one system. */
function ring(size: number): EntitySketch[] {
  return [
    { kind: 'System', name: 'ring' },
    { kind: 'Group', name: 'team-a' },
    ...Array.from({ length: size }, (_, i) => ({
      name: `s${i}`,
      system: 'ring',
      dependsOn: i + 2 < size ? [`s${i + 1}`, `s${i + 2}`] : [],
      providesApis: [`api${i}`],
      consumesApis: i + 1 < size ? [`api${i + 1}`] : [],
    })),
    ...Array.from({ length: size }, (_, i) => ({
      kind: 'API' as const,
      name: `api${i}`,
    })),
  ];
}

const SHOP: EntitySketch[] = [
  { kind: 'Group', name: 'team-a' },
  { kind: 'Group', name: 'team-b' },
  { kind: 'System', name: 'shop' },
  { kind: 'Domain', name: 'commerce' },
  {
    name: 'checkout',
    system: 'shop',
    consumesApis: ['payments-api'],
    requires: 'payments@>=2.3.0 <3, ledger@^1',
    annotations: { 'glidepath.dev/rollout': 'fake:checkout' },
  },
  {
    name: 'payments',
    system: 'shop',
    owner: 'team-b',
    providesApis: ['payments-api'],
    annotations: { 'glidepath.dev/rollout': 'fake:payments' },
  },
  // Only a requirement links ledger to checkout: no catalog relation.
  { name: 'ledger', owner: 'team-b' },
  {
    name: 'broken',
    requires: 'payments@>=2, ledger@two',
    dependsOn: ['payments'],
  },
  { kind: 'API', name: 'payments-api' },
];

describe('GraphService', () => {
  const credentials = mockCredentials.user();

  function service(entities: Entity[], hidden: string[] = []) {
    const catalog = catalogServiceMock({ entities });
    const calls: string[] = [];
    const callers: unknown[] = [];
    // Entities in `hidden` are not readable by the caller, as a permission
    // policy would make them: the catalog leaves them out.
    const visible = (e: Entity | undefined) =>
      e && !hidden.includes(e.metadata.name) ? e : undefined;
    const wrapped = {
      ...catalog,
      getEntities: async (req: any, opts: any) => {
        calls.push('getEntities');
        callers.push(opts.credentials);
        const res = await catalog.getEntities(req, opts);
        return { items: res.items.filter(e => visible(e)) };
      },
      getEntitiesByRefs: async (req: any, opts: any) => {
        calls.push(`getEntitiesByRefs(${req.entityRefs.length})`);
        callers.push(opts.credentials);
        const res = await catalog.getEntitiesByRefs(req, opts);
        return { items: res.items.map(visible) };
      },
      getEntityByRef: async (ref: any, opts: any) => {
        calls.push('getEntityByRef');
        return visible(await catalog.getEntityByRef(ref, opts));
      },
    } as any;
    const graphService = new GraphService({
      catalog: wrapped,
      store: { listLatestReleases: async () => [] },
    });
    return { graphService, calls, callers, catalog, wrapped };
  }

  it("reads the catalog with the caller's credentials, every call", async () => {
    const { graphService, callers } = service(catalogWithRelations(SHOP));
    await graphService.getGraph({ entity: c('checkout') }, credentials);
    await graphService.getGraph({}, credentials);
    expect(callers.length).toBeGreaterThan(2);
    expect(callers.every(x => x === credentials)).toBe(true);
  });

  it.each([10, 100, 1000])(
    'reads a neighbourhood of a %d-service catalog in calls bounded by the depth',
    async size => {
      const { graphService, calls } = service(catalogWithRelations(ring(size)));
      const { graph, timing } = await graphService.getGraph(
        { entity: c(`s${Math.floor(size / 2)}`), depth: 3 },
        credentials,
      );
      // Three hops each way along a two-wide chain.
      expect(graph.nodes).toHaveLength(Math.min(size, 13));
      expect(timing.catalogCalls).toBe(calls.length);
      expect(calls.length).toBeLessThanOrEqual(3 + 2 * 3);
    },
  );

  it.each([10, 100, 1000])(
    'reads the whole %d-service catalog in one call',
    async size => {
      const { graphService, calls } = service(catalogWithRelations(ring(size)));
      const { graph } = await graphService.getGraph({}, credentials);
      expect(graph.nodes).toHaveLength(size);
      expect(calls).toEqual(['getEntities']);
      expect(graph.releaseOrder.layers).toHaveLength(size);
    },
  );

  it('leaves out entities the caller may not read and names them missing', async () => {
    const { graphService } = service(catalogWithRelations(SHOP), ['payments']);
    const { graph } = await graphService.getGraph(
      { entity: c('checkout') },
      credentials,
    );
    expect(graph.nodes.map(n => n.name).sort()).toEqual(['checkout', 'ledger']);
    expect(graph.missing).toEqual([c('payments')]);
    const whole = await graphService.getGraph({}, credentials);
    expect(whole.graph.nodes.map(n => n.name)).not.toContain('payments');
  });

  it('finds dependents that only a requirement links', async () => {
    const { graphService } = service(catalogWithRelations(SHOP));
    const { graph } = await graphService.getGraph(
      { entity: c('ledger'), direction: 'dependents' },
      credentials,
    );
    // broken's requirement on ledger does not parse, so it is no edge.
    expect(graph.nodes.map(n => n.name).sort()).toEqual(['checkout', 'ledger']);
  });

  it.each([
    [{ system: 'shop' }, ['checkout', 'payments'], ['checkout', 'payments']],
    [
      { system: 'shop', depth: 1 },
      ['broken', 'checkout', 'ledger', 'payments'],
      ['checkout', 'payments'],
    ],
    [
      { owner: 'team-b', depth: 0 },
      ['ledger', 'payments'],
      ['ledger', 'payments'],
    ],
  ])('serves the scope %j', async (query, names, inScope) => {
    const { graphService } = service(catalogWithRelations(SHOP));
    const { graph } = await graphService.getGraph(
      { depth: 0, ...query },
      credentials,
    );
    expect(graph.nodes.map(n => n.name)).toEqual(names);
    expect(graph.nodes.filter(n => n.inScope).map(n => n.name)).toEqual(
      inScope,
    );
  });
});

describe('GraphService with the shared catalog snapshot', () => {
  const credentials = mockCredentials.user();

  function setup(decision: 'ALLOW' | 'CONDITIONAL') {
    let now = 1_000_000;
    let entities = catalogWithRelations(SHOP);
    const callers: unknown[] = [];
    const catalog = {
      getEntities: async (req: any, opts: any) => {
        callers.push(opts.credentials);
        return catalogServiceMock({ entities }).getEntities(req, opts);
      },
      getEntitiesByRefs: async (req: any, opts: any) => {
        callers.push(opts.credentials);
        return catalogServiceMock({ entities }).getEntitiesByRefs(req, opts);
      },
      getEntityByRef: async (ref: any, opts: any) => {
        callers.push(opts.credentials);
        return catalogServiceMock({ entities }).getEntityByRef(ref, opts);
      },
    } as any;
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map(asked => {
          expect(asked.permission.name).toBe('catalog.entity.read');
          return decision === 'ALLOW'
            ? { result: AuthorizeResult.ALLOW }
            : {
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'catalog',
                resourceType: 'catalog-entity',
                conditions: {
                  rule: 'IS_ENTITY_OWNER',
                  resourceType: 'catalog-entity',
                  params: { claims: [] },
                },
              };
        }) as any,
    });
    // Releases that change: a version moves with every change, as the
    // store's does.
    const releases = { latest: [] as LatestRelease[], version: 0, reads: 0 };
    const service = new GraphService({
      catalog,
      store: {
        listLatestReleases: async () => {
          releases.reads += 1;
          return releases.latest;
        },
        releasesVersion: async () => String(releases.version),
      },
      permissions,
      snapshot: new CatalogSnapshot({
        catalog,
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        maxAgeMs: 30_000,
        now: () => now,
      }),
      now: () => new Date(now),
    });
    return {
      service,
      callers,
      releases,
      advance: (ms: number) => {
        now += ms;
      },
      addEntity: (sketch: EntitySketch) => {
        entities = catalogWithRelations([...SHOP, sketch]);
      },
    };
  }

  it('serves callers who may read everything from one snapshot, read as the backend', async () => {
    const { service, callers } = setup('ALLOW');
    const first = await service.getGraph({}, credentials);
    expect(first.timing.catalogCalls).toBe(1);
    const again = await service.getGraph(
      { entity: c('checkout') },
      credentials,
    );
    expect(again.timing.catalogCalls).toBe(0);
    expect(again.graph.nodes.map(n => n.name).sort()).toEqual([
      'broken',
      'checkout',
      'ledger',
      'payments',
    ]);
    const system = await service.getGraph({ system: 'shop' }, credentials);
    expect(system.timing.catalogCalls).toBe(0);
    expect(callers).toHaveLength(1);
    expect(callers[0]).not.toBe(credentials);
    expect((callers[0] as any).principal.type).toBe('service');
  });

  it('answers the same graph of the same snapshot again until a release changes, and never from a cache for other callers', async () => {
    const { service, releases, advance, addEntity } = setup('ALLOW');
    const first = await service.getGraph({}, credentials);
    expect(first.timing.cached).toBeUndefined();
    const again = await service.getGraph({}, credentials);
    expect(again.timing.cached).toBe(true);
    expect(again.body).toBe(first.body);
    expect(releases.reads).toBe(1);

    // Another query is another answer; filters in another order are not.
    const shop = await service.getGraph({ system: 'shop' }, credentials);
    expect(shop.timing.cached).toBeUndefined();
    const kinds = await service.getGraph(
      { kind: ['component', 'resource'] },
      credentials,
    );
    const reordered = await service.getGraph(
      { kind: ['resource', 'component'] },
      credentials,
    );
    expect(reordered.body).toBe(kinds.body);

    // A release changes: built again, with it.
    releases.latest = [
      {
        id: 'r1',
        entityRef: c('checkout'),
        environment: 'production',
        version: '9.9.9',
        previousVersion: '9.9.8',
        phase: 'progressing',
        simulated: false,
        startedAt: new Date(1_000_000),
      },
    ];
    releases.version += 1;
    const changed = await service.getGraph({}, credentials);
    expect(changed.timing.cached).toBeUndefined();
    expect(
      changed.graph.nodes.find(n => n.entityRef === c('checkout'))?.deployments,
    ).toEqual([expect.objectContaining({ releasingVersion: '9.9.9' })]);

    // A new snapshot (the catalog changed): built again.
    addEntity({ name: 'newcomer' });
    advance(301_000);
    const refreshed = await service.getGraph({}, credentials);
    expect(refreshed.timing.cached).toBeUndefined();
    expect(refreshed.graph.nodes.map(n => n.name)).toContain('newcomer');
  });

  it('keeps nothing for callers who read the catalog as themselves', async () => {
    const { service, releases } = setup('CONDITIONAL');
    await service.getGraph({}, credentials);
    const again = await service.getGraph({}, credentials);
    expect(again.timing.cached).toBeUndefined();
    expect(releases.reads).toBe(2);
  });

  it('reads the catalog as the caller when their read access is conditional', async () => {
    const { service, callers } = setup('CONDITIONAL');
    await service.getGraph({}, credentials);
    await service.getGraph({}, credentials);
    expect(callers).toEqual([credentials, credentials]);
  });

  it('refreshes a snapshot older than its age in the background, and waits for a very old one', async () => {
    const { service, advance, addEntity } = setup('ALLOW');
    await service.getGraph({}, credentials);
    addEntity({ name: 'newcomer' });
    advance(20_000);
    const young = await service.getGraph({}, credentials);
    expect(young.graph.nodes.map(n => n.name)).not.toContain('newcomer');
    advance(20_000);
    // Stale: served as it is while a refresh runs.
    const stale = await service.getGraph({}, credentials);
    expect(stale.timing.catalogCalls).toBe(0);
    expect(stale.timing.snapshotAgeMs).toBe(40_000);
    await new Promise(r => setTimeout(r, 10));
    const refreshed = await service.getGraph({}, credentials);
    expect(refreshed.graph.nodes.map(n => n.name)).toContain('newcomer');
    expect(refreshed.timing.snapshotAgeMs).toBe(0);

    addEntity({ name: 'latecomer' });
    advance(301_000);
    const waited = await service.getGraph({}, credentials);
    expect(waited.timing.catalogCalls).toBe(1);
    expect(waited.graph.nodes.map(n => n.name)).toContain('latecomer');
  });

  it.each([
    ['both', 1],
    ['both', 2],
    ['both', 3],
    ['dependencies', 2],
    ['dependents', 2],
  ] as const)(
    'draws the same %s neighbourhood at depth %d from the snapshot as read hop by hop',
    async (direction, depth) => {
      // An irregular catalog: each service depends on up to three earlier
      // ones, through dependsOn, a consumed API or a requirement.
      let seed = 7;
      const random = () => {
        seed = (seed * 48271) % 2147483647;
        return seed / 2147483647;
      };
      const sketches: EntitySketch[] = [{ kind: 'Group', name: 'team-a' }];
      for (let i = 0; i < 60; i++) {
        const targets = [
          ...new Set([0, 1, 2].map(() => Math.floor(random() * i))),
        ].filter(t => t < i && random() < 0.8);
        sketches.push({
          name: `s${i}`,
          providesApis: [`a${i}`],
          dependsOn: targets.filter(t => t % 3 === 0).map(t => `s${t}`),
          consumesApis: targets.filter(t => t % 3 === 1).map(t => `a${t}`),
          requires:
            targets
              .filter(t => t % 3 === 2)
              .map(t => `s${t}@>=1`)
              .join(', ') || undefined,
        });
        sketches.push({ kind: 'API', name: `a${i}` });
      }
      const entities = catalogWithRelations(sketches);
      const hopByHop = new GraphService({
        catalog: catalogServiceMock({ entities }),
        store: { listLatestReleases: async () => [] },
      });
      const snapshotted = new GraphService({
        catalog: catalogServiceMock({ entities }),
        store: { listLatestReleases: async () => [] },
        permissions: mockServices.permissions.mock({
          authorizeConditional: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
        }),
        snapshot: new CatalogSnapshot({
          catalog: catalogServiceMock({ entities }),
          auth: mockServices.auth(),
          logger: mockServices.logger.mock(),
          maxAgeMs: 30_000,
        }),
      });
      let drawn = 0;
      for (const root of ['s5', 's30', 's59']) {
        const query = { entity: c(root), depth, direction };
        const a = (await hopByHop.getGraph(query, credentials)).graph;
        const b = (await snapshotted.getGraph(query, credentials)).graph;
        expect(a.nodes.map(n => n.entityRef)).toEqual(
          b.nodes.map(n => n.entityRef),
        );
        expect(a.edges).toEqual(b.edges);
        drawn += a.nodes.length;
      }
      expect(drawn).toBeGreaterThan(6);
    },
  );

  it('reads an entity registered since the snapshot as the caller', async () => {
    const { service, addEntity } = setup('ALLOW');
    await service.getGraph({}, credentials);
    addEntity({ name: 'newcomer', dependsOn: ['payments'] });
    const { graph, timing } = await service.getGraph(
      { entity: c('newcomer') },
      credentials,
    );
    expect(timing.catalogCalls).toBeGreaterThan(0);
    expect(graph.nodes.map(n => n.name)).toContain('payments');
  });
});

describe('GET /graph and POST /graph/check', () => {
  const running: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map(stop => stop()));
  });

  async function setup() {
    const provider = new FakeRolloutProvider();
    provider.setRelease('payments', {
      version: '2.3.0',
      previousVersion: '2.2.0',
      phase: 'succeeded',
    });
    provider.setRelease('checkout');
    const harness = await startGlidepathTestBackend({
      providers: [provider],
      entities: catalogWithRelations(SHOP),
    });
    running.push(harness.stop);
    await harness.sync();
    return { ...harness, provider };
  }

  it('sends the same graph again, compressed once, until a release changes', async () => {
    const harness = await setup();
    const get = (encoding: string) =>
      request(harness.server)
        .get('/api/glidepath/graph')
        .set('Authorization', user)
        .set('Accept-Encoding', encoding);
    const first = await get('gzip, deflate, br');
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers['content-type']).toMatch(/^application\/json/);
    expect(first.headers['server-timing']).not.toContain('cache');

    const again = await get('gzip');
    expect(again.headers['server-timing']).toContain('cache;desc="hit"');
    expect(again.body).toEqual(first.body);

    const plain = await get('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.text)).toEqual(first.body);

    harness.provider.setRelease('payments', {
      providerReleaseId: 'payments@3',
      // Later than payments@2 (the fake starts every release at one time):
      // the head release is the latest started.
      startedAt: new Date('2026-11-28T10:00:00.000Z'),
      updatedAt: new Date('2026-11-28T10:00:00.000Z'),
      version: '2.4.0',
      previousVersion: '2.3.0',
      phase: 'progressing',
    });
    await harness.sync();
    const changed = await get('gzip');
    expect(changed.headers['server-timing']).not.toContain('cache');
    const payments = changed.body.nodes.find((n: any) => n.name === 'payments');
    expect(payments.deployments).toEqual([
      expect.objectContaining({ releasingVersion: '2.4.0' }),
    ]);
  });

  it('serves the graph with versions, requirement checks and its cost', async () => {
    const { server } = await setup();
    const res = await request(server)
      .get('/api/glidepath/graph')
      .query({ entity: 'checkout', depth: 1 })
      .set('Authorization', user);
    expect(res.status).toBe(200);
    expect(res.headers['server-timing']).toMatch(
      /catalog;dur=[\d.]+;desc="\d+ calls"/,
    );
    const payments = res.body.nodes.find((n: any) => n.name === 'payments');
    expect(payments.deployments).toEqual([
      expect.objectContaining({ environment: 'production', version: '2.3.0' }),
    ]);
    const edge = res.body.edges.find((e: any) => e.to === c('payments'));
    expect(edge).toEqual(
      expect.objectContaining({
        relations: ['consumesApi', 'requires'],
        requirement: expect.objectContaining({ status: 'satisfied' }),
      }),
    );
    const ledger = res.body.edges.find((e: any) => e.to === c('ledger'));
    expect(ledger.requirement.status).toBe('unknown');
    const broken = await request(server)
      .get('/api/glidepath/graph')
      .query({ entity: 'broken' })
      .set('Authorization', user);
    expect(
      broken.body.nodes.find((n: any) => n.name === 'broken').problems,
    ).toEqual([expect.objectContaining({ value: 'ledger@two' })]);
  });

  it.each([
    [
      { entity: 'nothing-here' },
      404,
      'No entity component:default/nothing-here',
    ],
    [{ system: 'nowhere' }, 404, 'No system system:default/nowhere'],
    [{ entity: 'checkout', depth: 11 }, 400, '10'],
    [{ entity: 'checkout', depth: -1 }, 400, '0'],
    [{ entity: 'checkout', direction: 'sideways' }, 400, 'direction'],
    [
      { entity: 'checkout', system: 'shop' },
      400,
      'at most one of entity, system, domain and owner',
    ],
    [{ entity: 'api:payments-api' }, 400, 'around a component or a resource'],
    [{ owner: 'component:checkout' }, 400, 'must be a group or user reference'],
    [{ kind: 'api' }, 400, 'kind'],
  ])('answers %j with %d', async (query, status, message) => {
    const { server } = await setup();
    const res = await request(server)
      .get('/api/glidepath/graph')
      .query(query)
      .set('Authorization', user);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(message);
  });

  it('says what a rollback would break', async () => {
    const { server } = await setup();
    const res = await request(server)
      .post('/api/glidepath/graph/check')
      .send({
        changes: [
          { entityRef: 'component:default/payments', version: '2.2.0' },
        ],
      })
      .set('Authorization', user);
    expect(res.status).toBe(200);
    expect(res.body.broken).toEqual([
      expect.objectContaining({
        from: c('checkout'),
        proposedVersion: '2.2.0',
        currentVersion: '2.3.0',
        alreadyBroken: false,
      }),
    ]);
    expect(res.body.blastRadius).toEqual([c('broken'), c('checkout')]);
  });

  it.each([
    [{}, 'changes'],
    [{ changes: [] }, 'changes'],
    [{ changes: [{ entityRef: 'payments' }] }, 'version'],
    [
      { changes: [{ entityRef: 'a:b:c:d', version: '1.0.0' }] },
      'changes[0].entityRef',
    ],
  ])('refuses the check %j', async (body, message) => {
    const { server } = await setup();
    const res = await request(server)
      .post('/api/glidepath/graph/check')
      .send(body)
      .set('Authorization', user);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
  });
});
