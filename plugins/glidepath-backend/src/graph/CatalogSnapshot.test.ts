import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  catalogWithRelations,
  EntitySketch,
} from '../__testUtils__/catalogWithRelations';
import type { LatestRelease } from '../releases/ReleaseStore';
import { c, SERVICE_SHOP } from './__testUtils__/graphFixtures';
import { CatalogSnapshot } from './CatalogSnapshot';
import { GraphService } from './GraphService';

describe('GraphService with the shared catalog snapshot', () => {
  const credentials = mockCredentials.user();

  function setup(decision: 'ALLOW' | 'CONDITIONAL') {
    let now = 1_000_000;
    let entities = catalogWithRelations(SERVICE_SHOP);
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
        entities = catalogWithRelations([...SERVICE_SHOP, sketch]);
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
