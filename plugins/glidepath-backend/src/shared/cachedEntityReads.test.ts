import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { ENTITY_READ_TTL_MS, withCachedEntityReads } from './cachedEntityReads';

const cart: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'cart' },
};

function fakeCatalog(answer: () => Promise<Entity | undefined>) {
  return {
    getEntityByRef: jest.fn(answer),
    getEntitiesByRefs: jest.fn(async () => ({ items: [cart] })),
  } as unknown as CatalogService & {
    getEntityByRef: jest.Mock;
    getEntitiesByRefs: jest.Mock;
  };
}

describe('withCachedEntityReads', () => {
  const alice = mockCredentials.user('user:default/alice');
  const bob = mockCredentials.user('user:default/bob');

  it("keeps a person's read for a few seconds, apart from anyone else's", async () => {
    let now = 0;
    const catalog = fakeCatalog(async () => cart);
    const cached = withCachedEntityReads(catalog, { now: () => now });
    const read = (credentials: typeof alice, ref = 'component:default/cart') =>
      cached.getEntityByRef(ref, { credentials });

    await expect(read(alice)).resolves.toBe(cart);
    await expect(read(alice, 'Component:default/Cart')).resolves.toBe(cart);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);
    await read(bob);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);
    expect(catalog.getEntityByRef).toHaveBeenLastCalledWith(
      'component:default/cart',
      { credentials: bob },
    );
    now += ENTITY_READ_TTL_MS;
    await read(alice);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(3);
    // Other methods are the catalog's own.
    await cached.getEntitiesByRefs({ entityRefs: [] }, { credentials: alice });
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(1);
  });

  it('shares one request among reads asked at once, and keeps no miss or failure', async () => {
    let answer: (entity: Entity | undefined) => void = () => {};
    const catalog = fakeCatalog(
      () => new Promise<Entity | undefined>(resolve => (answer = resolve)),
    );
    const cached = withCachedEntityReads(catalog);
    const reads = [1, 2, 3].map(() =>
      cached.getEntityByRef('component:default/cart', { credentials: alice }),
    );
    answer(undefined);
    await expect(Promise.all(reads)).resolves.toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(1);

    const again = cached.getEntityByRef('component:default/cart', {
      credentials: alice,
    });
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);
    answer(cart);
    await expect(again).resolves.toBe(cart);

    const failing = fakeCatalog(async () => {
      throw new Error('catalog down');
    });
    const cachedFailing = withCachedEntityReads(failing);
    const read = () =>
      cachedFailing.getEntityByRef('component:default/cart', {
        credentials: alice,
      });
    await expect(read()).rejects.toThrow('catalog down');
    await expect(read()).rejects.toThrow('catalog down');
    expect(failing.getEntityByRef).toHaveBeenCalledTimes(2);
  });

  it('does not keep reads of callers that are neither a user nor a service', async () => {
    const catalog = fakeCatalog(async () => cart);
    const cached = withCachedEntityReads(catalog);
    const credentials = mockCredentials.none();
    await cached.getEntityByRef('component:default/cart', { credentials });
    await cached.getEntityByRef('component:default/cart', { credentials });
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);
  });
});
