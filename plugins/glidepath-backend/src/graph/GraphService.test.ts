import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  catalogWithRelations,
  EntitySketch,
} from '../__testUtils__/catalogWithRelations';
import { c, SERVICE_SHOP } from './__testUtils__/graphFixtures';
import { GraphService } from './GraphService';

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
    const { graphService, callers } = service(
      catalogWithRelations(SERVICE_SHOP),
    );
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
    const { graphService } = service(catalogWithRelations(SERVICE_SHOP), [
      'payments',
    ]);
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
    const { graphService } = service(catalogWithRelations(SERVICE_SHOP));
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
    const { graphService } = service(catalogWithRelations(SERVICE_SHOP));
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
