import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { ObservedFlag } from '@glidepath/backstage-plugin-node';
import { ProviderRegistry } from '../releases/ProviderRegistry';
import { DatabaseFlagStore } from './DatabaseFlagStore';
import { FakeFlagProvider } from './__testUtils__/FakeFlagProvider';
import { FlagSync } from './FlagSync';
import { DEFAULT_FLAG_RULES } from './rules';
import type { FlagProvider } from '@glidepath/backstage-plugin-node';

jest.setTimeout(60_000);

const NOW = new Date('2026-12-01T12:00:00Z');
const daysAgo = (days: number) =>
  new Date(NOW.getTime() - days * 24 * 60 * 60 * 1000);

function component(
  name: string,
  flags: string | undefined,
  owner?: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: flags ? { 'glidepath.dev/flags': flags } : {},
    },
    spec: { type: 'service', lifecycle: 'production', ...(owner && { owner }) },
    relations: owner
      ? [{ type: 'ownedBy', targetRef: `group:default/${owner}` }]
      : [],
  };
}

function observed(
  name: string,
  overrides: Partial<ObservedFlag> = {},
): ObservedFlag {
  return {
    key: `p/${name}`,
    name,
    type: 'release',
    createdAt: daysAgo(10),
    environments: [
      {
        environment: 'production',
        enabled: true,
        lastEvaluatedAt: daysAgo(0.1),
      },
    ],
    tags: [],
    archived: false,
    ...overrides,
  };
}

describe('FlagSync', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(
    databaseId: Parameters<typeof databases.init>[0],
    entities: Entity[],
  ) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseFlagStore.create({
      database: mockServices.database({ knex }),
    });
    const provider = new FakeFlagProvider('fake-flags');
    const providers = new ProviderRegistry<FlagProvider>('flag');
    providers.add(provider);
    const catalog = { current: catalogServiceMock({ entities }) };
    const sync = new FlagSync({
      catalog: {
        getEntities: (req: any, opts: any) =>
          catalog.current.getEntities(req, opts),
      } as any,
      auth: mockServices.auth(),
      store,
      providers,
      logger: mockServices.logger.mock(),
      rules: DEFAULT_FLAG_RULES,
      pageSize: 2,
      providerTimeoutMs: 5_000,
      now: () => NOW,
    });
    const setEntities = (list: Entity[]) => {
      catalog.current = catalogServiceMock({ entities: list });
    };
    return { store, provider, sync, setEntities };
  }

  it.each(databases.eachSupportedId())(
    'reads every annotated entity a page at a time, with state and owner, on %p',
    async databaseId => {
      const { store, provider, sync } = await setup(databaseId, [
        component('checkout', 'fake-flags:checkout?tags=cart', 'team-cart'),
        component('orphan', 'fake-flags:orphan'),
        component('plain', undefined, 'team-cart'),
      ]);
      provider.flags.set('checkout?tags=cart', [
        observed('new-cart'),
        observed('old-banner', { createdAt: daysAgo(60) }),
        observed('kill-payments', {
          type: 'kill-switch',
          createdAt: daysAgo(400),
        }),
      ]);
      provider.flags.set('orphan', [
        observed('orphan-flag', {
          maintainer: 'ann@example.com',
          type: undefined,
          temporary: true,
          createdAt: daysAgo(95),
        }),
        observed('archived-one', { archived: true }),
      ]);

      const report = await sync.syncAll();

      expect(report).toEqual({
        entities: 2,
        targets: 2,
        flags: 4,
        failedProviders: [],
        failedTargets: [],
      });
      // 5 flags, 2 a page.
      expect(provider.listCalls.map(c => c.cursor)).toEqual([
        undefined,
        'page:1',
        'page:2',
      ]);
      const flags = await store.listFlags({});
      expect(
        flags.map(f => [f.entityRef, f.name, f.state, f.owner, f.ownerSource]),
      ).toEqual([
        [
          'component:default/checkout',
          'kill-payments',
          'permanent',
          'group:default/team-cart',
          'catalog',
        ],
        [
          'component:default/orphan',
          'orphan-flag',
          'stale',
          'ann@example.com',
          'provider',
        ],
        [
          'component:default/checkout',
          'old-banner',
          'stale',
          'group:default/team-cart',
          'catalog',
        ],
        [
          'component:default/checkout',
          'new-cart',
          'fresh',
          'group:default/team-cart',
          'catalog',
        ],
      ]);
      expect(flags[1].stateReason).toContain('past its lifetime of 90 days');
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the last inventory of an unreachable provider, marked with the error, on %p',
    async databaseId => {
      const { store, provider, sync } = await setup(databaseId, [
        component('checkout', 'fake-flags:checkout', 'team-cart'),
      ]);
      provider.flags.set('checkout', [
        observed('a'),
        observed('b'),
        observed('c'),
      ]);
      await sync.syncAll();

      // The first page (a, b) reads; the second fails: nothing of it counts.
      provider.failFromPage = 1;
      provider.flags.set('checkout', [
        observed('a'),
        observed('b'),
        observed('d'),
      ]);
      const report = await sync.syncAll();

      expect(report.failedProviders).toEqual(['fake-flags']);
      expect((await store.listFlags({})).map(f => f.name).sort()).toEqual([
        'a',
        'b',
        'c',
      ]);
      expect(await store.listTargets()).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/checkout',
          readAt: NOW,
          error: 'The flag provider "fake-flags" failed: page 1 failed',
        }),
      ]);

      provider.failFromPage = undefined;
      provider.listFailure = new Error('connect ECONNREFUSED 127.0.0.1:4242');
      await sync.syncAll();
      expect((await store.listTargets())[0].error).toContain('ECONNREFUSED');
      expect(await store.listFlags({})).toHaveLength(3);

      // Back: the flags deleted meanwhile are gone, without an error.
      provider.listFailure = undefined;
      provider.flags.set('checkout', [observed('a')]);
      expect(await sync.syncAll()).toMatchObject({
        failedProviders: [],
        failedTargets: [],
      });
      expect((await store.listFlags({})).map(f => f.name)).toEqual(['a']);
      expect((await store.listTargets())[0].error).toBeNull();
    },
  );

  it.each(databases.eachSupportedId())(
    "fails one target on the provider's problem with it, and an unknown provider by name, on %p",
    async databaseId => {
      const { store, provider, sync } = await setup(databaseId, [
        component(
          'checkout',
          'fake-flags:checkout, fake-flags:missing, unleash:checkout',
          'team-cart',
        ),
      ]);
      provider.flags.set('checkout', [observed('a')]);
      provider.refProblems.set(
        'missing',
        'the project "missing" does not exist',
      );

      const report = await sync.syncAll();

      expect(report.failedTargets.sort()).toEqual([
        'component:default/checkout fake-flags:missing',
        'component:default/checkout unleash:checkout',
      ]);
      const targets = await store.listTargets();
      expect(
        Object.fromEntries(
          targets.map(t => [`${t.provider}:${t.ref}`, t.error]),
        ),
      ).toEqual({
        'fake-flags:checkout': null,
        'fake-flags:missing': 'the project "missing" does not exist',
        'unleash:checkout':
          'no flag provider "unleash" is installed in this Backstage backend (installed: fake-flags)',
      });
      expect((await store.listFlags({})).map(f => f.name)).toEqual(['a']);
    },
  );

  it.each(databases.eachSupportedId())(
    'forgets an entity whose annotation is gone, and refuses an unusable flag, on %p',
    async databaseId => {
      const { store, provider, sync, setEntities } = await setup(databaseId, [
        component('checkout', 'fake-flags:checkout', 'team-cart'),
        component('payments', 'fake-flags:payments', 'team-pay'),
      ]);
      provider.flags.set('checkout', [observed('a')]);
      provider.flags.set('payments', [observed('b')]);
      await sync.syncAll();
      expect(await store.listFlags({})).toHaveLength(2);

      setEntities([component('checkout', 'fake-flags:checkout', 'team-cart')]);
      provider.flags.set('checkout', [
        observed('a'),
        observed('bad', { createdAt: new Date('nonsense') }),
      ]);
      const report = await sync.syncAll();

      expect(report.failedTargets).toEqual([
        'component:default/checkout fake-flags:checkout',
      ]);
      expect(
        (await store.listTargets()).map(t => [t.entityRef, t.error]),
      ).toEqual([
        [
          'component:default/checkout',
          'The flag provider "fake-flags" gave the flag "p/bad" has no valid creation time',
        ],
      ]);
      expect((await store.listFlags({})).map(f => f.name)).toEqual(['a']);
    },
  );

  it.each(databases.eachSupportedId())(
    'stops a listing that does not end, on %p',
    async databaseId => {
      const { store, provider, sync } = await setup(databaseId, [
        component('checkout', 'fake-flags:checkout', 'team-cart'),
      ]);
      provider.flags.set('checkout', [
        observed('a'),
        observed('b'),
        observed('c'),
      ]);
      const list = provider.listFlags.bind(provider);
      provider.listFlags = async request => ({
        ...(await list({ ...request, cursor: undefined })),
        nextCursor: 'again',
      });
      const report = await sync.syncAll();
      expect(report.failedProviders).toEqual(['fake-flags']);
      expect((await store.listTargets())[0].error).toContain(
        'gave the cursor "again" again after 2 pages',
      );
    },
  );
});
