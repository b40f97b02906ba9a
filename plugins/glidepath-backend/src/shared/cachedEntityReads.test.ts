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
    getEntities: jest.fn(async () => ({ items: [cart] })),
  } as unknown as CatalogService & {
    getEntityByRef: jest.Mock;
    getEntitiesByRefs: jest.Mock;
    getEntities: jest.Mock;
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
    await cached.getEntities({}, { credentials: alice });
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
  });

  it('answers several refs at once from memory and asks the catalog once for the others', async () => {
    let now = 0;
    const shop: Entity = { ...cart, metadata: { name: 'shop' } };
    const byRef: Record<string, Entity> = {
      'component:default/cart': cart,
      'component:default/shop': shop,
    };
    const catalog = fakeCatalog(async () => cart);
    catalog.getEntitiesByRefs.mockImplementation(
      async ({ entityRefs }: { entityRefs: string[] }) => ({
        items: entityRefs.map(ref => byRef[ref.toLocaleLowerCase('en-US')]),
      }),
    );
    const cached = withCachedEntityReads(catalog, { now: () => now });
    const read = (
      entityRefs: string[],
      credentials = alice,
      fields?: string[],
    ) => cached.getEntitiesByRefs({ entityRefs, fields }, { credentials });
    const FIELDS = ['kind', 'metadata.name'];

    await expect(
      read(['component:default/cart', 'component:default/gone'], alice, FIELDS),
    ).resolves.toEqual({ items: [cart, undefined] });
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(1);
    // Cart from memory (any case, fields in any order); the miss and the
    // new ref asked again, in one request; each ref answered in its place.
    await expect(
      read(
        [
          'component:default/shop',
          'Component:default/Cart',
          'component:default/gone',
          'component:default/shop',
        ],
        alice,
        [...FIELDS].reverse(),
      ),
    ).resolves.toEqual({ items: [shop, cart, undefined, shop] });
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(2);
    expect(catalog.getEntitiesByRefs).toHaveBeenLastCalledWith(
      {
        entityRefs: ['component:default/shop', 'component:default/gone'],
        fields: ['metadata.name', 'kind'],
      },
      { credentials: alice },
    );
    // Someone else's reads, or other fields, are not shared.
    await read(['component:default/cart'], bob, FIELDS);
    await read(['component:default/cart'], alice);
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(4);
    // Kept a few seconds.
    await read(
      ['component:default/cart', 'component:default/shop'],
      alice,
      FIELDS,
    );
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(4);
    now += ENTITY_READ_TTL_MS;
    await read(['component:default/cart'], alice, FIELDS);
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(5);
    // A filter goes to the catalog as it is; a failure is not kept.
    await cached.getEntitiesByRefs(
      { entityRefs: ['component:default/cart'], filter: { kind: 'Component' } },
      { credentials: alice },
    );
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(6);
    catalog.getEntitiesByRefs.mockRejectedValueOnce(new Error('catalog down'));
    now += ENTITY_READ_TTL_MS;
    await expect(
      read(['component:default/cart'], alice, FIELDS),
    ).rejects.toThrow('catalog down');
    await expect(
      read(['component:default/cart'], alice, FIELDS),
    ).resolves.toEqual({ items: [cart] });
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(8);
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
