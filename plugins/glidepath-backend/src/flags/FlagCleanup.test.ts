import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type {
  FlagProvider,
  ObservedFlag,
  ObservedFlagEnvironment,
} from '@glidepath/backstage-plugin-node';
import { ProviderRegistry } from '../releases/ProviderRegistry';
import { DatabaseFlagStore } from './DatabaseFlagStore';
import { FakeFlagProvider } from './__testUtils__/FakeFlagProvider';
import { FlagCleanup } from './FlagCleanup';
import { FlagSync } from './FlagSync';
import { DEFAULT_FLAG_RULES } from './rules';

jest.setTimeout(60_000);

const T0 = new Date('2026-12-01T08:00:00Z').getTime();
const DAY = 24 * 60 * 60 * 1000;

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: { 'glidepath.dev/flags': 'fake-flags:checkout' },
  },
  spec: { owner: 'team-cart' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-cart' }],
};

describe('FlagCleanup', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseFlagStore.create({
      database: mockServices.database({ knex }),
    });
    let now = T0;
    const clock = () => new Date(now);
    const daysAgo = (days: number) => new Date(T0 - days * DAY);
    const everywhere = (variation: string | undefined, since: Date) =>
      ['staging', 'production'].map(
        (environment): ObservedFlagEnvironment => ({
          environment,
          enabled: variation !== 'false',
          lastEvaluatedAt: clock(),
          servesEveryone: variation,
          servingSince: variation ? since : undefined,
        }),
      );
    const observed = (
      name: string,
      patch: Partial<ObservedFlag>,
    ): ObservedFlag => ({
      key: `checkout/${name}`,
      name,
      type: 'release',
      createdAt: daysAgo(60),
      environments: everywhere('true', daysAgo(50)),
      tags: [],
      archived: false,
      ...patch,
    });
    const provider = new FakeFlagProvider('fake-flags');
    provider.flags.set('checkout', [
      observed('old-launched', {}),
      observed('old-rollout', {
        environments: everywhere(undefined, daysAgo(50)),
      }),
      observed('old-kill', {
        type: 'kill-switch',
        temporary: true,
        createdAt: daysAgo(120),
      }),
      observed('fresh-one', {
        createdAt: daysAgo(5),
        environments: everywhere(undefined, daysAgo(5)),
      }),
    ]);
    const providers = new ProviderRegistry<FlagProvider>('flag');
    providers.add(provider);
    const catalog = catalogServiceMock({ entities: [checkout] });
    const auth = mockServices.auth();
    const sync = new FlagSync({
      catalog,
      auth,
      store,
      providers,
      logger: mockServices.logger.mock(),
      rules: DEFAULT_FLAG_RULES,
      pageSize: 100,
      providerTimeoutMs: 5_000,
      now: clock,
    });
    const notifications: NotificationSendOptions[] = [];
    const auditor = mockServices.auditor.mock();
    const outcomes: string[] = [];
    auditor.createEvent.mockImplementation(async ({ eventId }) => ({
      success: async () => {
        outcomes.push(`${eventId}:success`);
      },
      fail: async () => {
        outcomes.push(`${eventId}:fail`);
      },
    }));
    const cleanup = (dryRun: boolean) =>
      new FlagCleanup({
        store,
        providers,
        sync,
        actionTimeoutMs: 5_000,
        now: clock,
        catalog,
        auth,
        auditor,
        notifications: {
          send: async (n: NotificationSendOptions) => {
            notifications.push(n);
          },
        } as any,
        logger: mockServices.logger.mock(),
        graceDays: 14,
        dryRun,
      });
    return {
      store,
      provider,
      sync,
      cleanup,
      notifications,
      outcomes,
      advance: (days: number) => {
        now += days * DAY;
      },
    };
  }

  it.each(databases.eachSupportedId())(
    'announces stale flags to their team, waits out the grace period, then archives only those launched or off everywhere, on %p',
    async databaseId => {
      const h = await setup(databaseId);
      await h.sync.syncAll();
      const first = await h.cleanup(false).run();
      expect(first.announced.sort()).toEqual([
        'component:default/checkout old-kill',
        'component:default/checkout old-launched',
        'component:default/checkout old-rollout',
      ]);
      expect(h.notifications).toEqual([
        expect.objectContaining({
          recipients: { type: 'entity', entityRef: 'group:default/team-cart' },
          payload: expect.objectContaining({
            title: '3 stale feature flags to clean up by 2026-12-15',
            link: '/catalog/default/component/checkout/feature-flags',
            topic: 'Glidepath stale feature flags',
          }),
        }),
      ]);
      expect(first.archived).toEqual([]);

      // The same day again: nothing new to say.
      const again = await h.cleanup(false).run();
      expect(again).toMatchObject({ announced: [], archived: [], waiting: 3 });
      expect(h.notifications).toHaveLength(1);

      // After the grace period.
      h.advance(15);
      await h.sync.syncAll();
      const due = await h.cleanup(false).run();
      expect(due.archived).toEqual(['component:default/checkout old-launched']);
      expect(due.skipped.map(s => s.reason)).toEqual(
        expect.arrayContaining([
          expect.stringContaining(
            'old-rollout still serves different variations',
          ),
          expect.stringContaining('old-kill is a kill switch'),
        ]),
      );
      expect(h.provider.archiveCalls).toEqual([
        expect.objectContaining({
          flagKey: 'checkout/old-launched',
          actor: expect.objectContaining({
            kind: 'policy',
            ref: 'flag-cleanup',
          }),
        }),
      ]);
      expect(h.outcomes).toEqual(['flag-archive:success']);
      expect((await h.store.listFlags({})).map(f => f.name).sort()).toEqual([
        'fresh-one',
        'old-kill',
        'old-rollout',
      ]);
      expect(await h.store.listActions('component:default/checkout')).toEqual([
        expect.objectContaining({
          action: 'archive',
          status: 'succeeded',
          flagName: 'old-launched',
        }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'in a dry run tells nobody and archives nothing, and what it announced does not count later, on %p',
    async databaseId => {
      const h = await setup(databaseId);
      await h.sync.syncAll();
      const dry = await h.cleanup(true).run();
      expect(dry).toMatchObject({ dryRun: true, notified: [], archived: [] });
      expect(dry.announced).toHaveLength(3);
      h.advance(15);
      await h.sync.syncAll();
      const dryDue = await h.cleanup(true).run();
      expect(dryDue.archived).toEqual([
        'component:default/checkout old-launched',
      ]);
      expect(h.provider.archiveCalls).toEqual([]);
      expect(h.notifications).toEqual([]);

      // For real now: the owners are told first, nothing archived today.
      const real = await h.cleanup(false).run();
      expect(real.announced).toHaveLength(3);
      expect(real.archived).toEqual([]);
      expect(h.notifications).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'leaves kept flags and flags of a provider that could not be read alone, on %p',
    async databaseId => {
      const h = await setup(databaseId);
      await h.sync.syncAll();
      await h.cleanup(false).run();
      const [launched] = (await h.store.listFlags({})).filter(
        f => f.name === 'old-launched',
      );
      await h.store.setKeep({
        entityRef: launched.entityRef,
        provider: launched.provider,
        flagKey: launched.key,
        keep: {
          reason: 'Holiday rollback path',
          expiresAt: new Date(T0 + 30 * DAY),
          decidedBy: { kind: 'user', ref: 'user:default/alice' },
          decidedAt: new Date(T0),
        },
      });
      h.advance(15);
      await h.sync.syncAll();
      const kept = await h.cleanup(false).run();
      expect(kept.archived).toEqual([]);
      expect(kept.skipped.map(s => s.reason)).toEqual(
        expect.arrayContaining([
          expect.stringContaining('old-launched is kept until 2026-12-31'),
        ]),
      );

      // The keep expires; but the provider cannot be read: nothing either.
      h.advance(20);
      h.provider.listFailure = new Error('connect ECONNREFUSED');
      await h.sync.syncAll();
      const unread = await h.cleanup(false).run();
      expect(unread.archived).toEqual([]);
      expect(unread.skipped.map(s => s.reason)).toEqual([
        expect.stringContaining('nothing is decided on stale inventory'),
        expect.stringContaining('nothing is decided on stale inventory'),
        expect.stringContaining('nothing is decided on stale inventory'),
      ]);
      expect(h.provider.archiveCalls).toEqual([]);
    },
  );
});
