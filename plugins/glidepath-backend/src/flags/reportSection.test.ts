import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Flag, FlagCoverage } from '@glidepath/backstage-plugin-common';
import type {
  FlagProvider,
  ObservedFlag,
} from '@glidepath/backstage-plugin-node';
import { DatabaseDoraStore } from '../dora/DatabaseDoraStore';
import { deployment } from '../dora/store/__testUtils__/doraStoreTesting';
import { ProviderRegistry } from '../releases/ProviderRegistry';
import { openGlidepathDatabase } from '../shared/database';
import { DatabaseFlagStore } from './DatabaseFlagStore';
import { FakeFlagProvider } from './__testUtils__/FakeFlagProvider';
import { FlagCleanup } from './FlagCleanup';
import { FlagService } from './FlagService';
import type { FlagAnnouncement } from './FlagStore';
import { FlagSync } from './FlagSync';
import {
  FlagReportSection,
  flagsReportSection,
  REPORT_STALE_FLAGS,
} from './reportSection';
import { DEFAULT_FLAG_RULES } from './rules';

jest.setTimeout(60_000);

const DAY = 24 * 60 * 60 * 1000;
const CART = 'group:default/team-cart';
const CHECKOUT = 'component:default/checkout';

function staleFlag(name: string, patch: Partial<Flag> = {}): Flag {
  return {
    id: name,
    entityRef: CHECKOUT,
    provider: 'unleash',
    simulated: false,
    key: `checkout/${name}`,
    name,
    project: null,
    description: null,
    type: 'release',
    temporary: true,
    createdAt: '2026-09-01T00:00:00.000Z',
    createdBy: null,
    ageDays: 90,
    owner: CART,
    ownerSource: 'catalog',
    environments: [],
    lastEvaluatedAt: null,
    evaluationKnown: true,
    lifecycle: null,
    providerStale: false,
    tags: [],
    url: null,
    state: 'stale',
    stateReason: `${name} is a release flag older than 40 days`,
    staleAt: '2026-10-11T00:00:00.000Z',
    keep: null,
    inventoryStale: false,
    readAt: null,
    ...patch,
  };
}

function announcement(
  name: string,
  dueAt: string,
  dryRun = false,
): FlagAnnouncement {
  return {
    entityRef: CHECKOUT,
    provider: 'unleash',
    flagKey: `checkout/${name}`,
    owner: CART,
    dryRun,
    announcedAt: new Date(Date.parse(dueAt) - 14 * DAY),
    dueAt: new Date(dueAt),
  };
}

const coverage: FlagCoverage = {
  from: '2026-11-23T00:00:00.000Z',
  to: '2026-11-30T00:00:00.000Z',
  target: 0.8,
  organisation: { releases: 10, behindFlags: 4, share: 0.4 },
  teams: [
    {
      owner: 'group:default/team-pay',
      title: 'Payments',
      releases: 6,
      behindFlags: 1,
      share: 1 / 6,
    },
    { owner: CART, title: null, releases: 4, behindFlags: 3, share: 0.75 },
  ],
};

describe('flagsReportSection', () => {
  const base = {
    ownerRef: CART,
    inventoryReadAt: new Date('2026-11-30T06:50:00.000Z'),
    flags: 7,
    staleTotal: 3,
    coverage,
    current: true,
    // Written on Monday 30 November; the grace period is 14 days.
    now: new Date('2026-11-30T07:00:00.000Z'),
    graceDays: 14,
  };
  // A flag not announced yet is due 14 days after the next run at the earliest.
  const EARLIEST = '2026-12-14T07:00:00.000Z';

  it("lists the team's stale flags, longest stale first, with the day each is due (as announced, or the earliest when not yet), and a holding keep instead", () => {
    const section = flagsReportSection({
      ...base,
      cleanup: 'archives',
      stale: [
        staleFlag('new-stale', { staleAt: '2026-11-20T00:00:00.000Z' }),
        staleFlag('unknown-since', { staleAt: null }),
        staleFlag('old-stale', { staleAt: '2026-09-01T00:00:00.000Z' }),
        staleFlag('kept', {
          staleAt: '2026-10-01T00:00:00.000Z',
          keep: {
            reason: 'Checkout experiment until the sale',
            expiresAt: '2027-01-10T00:00:00.000Z',
            expired: false,
            decidedBy: { kind: 'user', ref: 'user:default/ann' },
            decidedAt: '2026-11-01T00:00:00.000Z',
          },
        }),
        staleFlag('keep-expired', {
          staleAt: '2026-10-05T00:00:00.000Z',
          keep: {
            reason: 'Until November',
            expiresAt: '2026-11-15T00:00:00.000Z',
            expired: true,
            decidedBy: { kind: 'user', ref: 'user:default/ann' },
            decidedAt: '2026-10-06T00:00:00.000Z',
          },
        }),
      ],
      announcements: [
        announcement('old-stale', '2026-12-10T08:00:00.000Z'),
        announcement('keep-expired', '2026-12-12T08:00:00.000Z'),
        // Announced before the keep decision: the keep holds.
        announcement('kept', '2026-12-01T08:00:00.000Z'),
        // A dry run's announcement was never sent.
        announcement('new-stale', '2026-12-20T08:00:00.000Z', true),
      ],
    });
    expect(
      section.staleFlags!.map(f => [
        f.name,
        f.dueAt,
        f.announced,
        f.keptUntil,
        f.keepReason,
      ]),
    ).toEqual([
      ['old-stale', '2026-12-10T08:00:00.000Z', true, null, null],
      [
        'kept',
        null,
        false,
        '2027-01-10T00:00:00.000Z',
        'Checkout experiment until the sale',
      ],
      ['keep-expired', '2026-12-12T08:00:00.000Z', true, null, null],
      ['new-stale', EARLIEST, false, null, null],
      ['unknown-since', EARLIEST, false, null, null],
    ]);
    expect(section.staleFlags![0]).toEqual({
      entityRef: CHECKOUT,
      provider: 'unleash',
      key: 'checkout/old-stale',
      name: 'old-stale',
      staleAt: '2026-09-01T00:00:00.000Z',
      reason: 'old-stale is a release flag older than 40 days',
      dueAt: '2026-12-10T08:00:00.000Z',
      announced: true,
      keptUntil: null,
      keepReason: null,
    });
    expect(section).toMatchObject({
      inventoryReadAt: '2026-11-30T06:50:00.000Z',
      flags: 7,
      staleTotal: 3,
      cleanup: 'archives',
    });
  });

  it.each([
    ['dry_run', '2026-12-20T08:00:00.000Z', true],
    ['archives', EARLIEST, false],
    ['off', null, false],
  ] as const)(
    'gives the due day of the announcements of the cleanup as it runs (%s)',
    (cleanup, dueAt, announced) => {
      const section = flagsReportSection({
        ...base,
        cleanup,
        stale: [staleFlag('new-stale')],
        announcements: [
          announcement('new-stale', '2026-12-20T08:00:00.000Z', true),
        ],
      });
      expect(section.cleanup).toBe(cleanup);
      expect(section.staleFlags![0].dueAt).toBe(dueAt);
      expect(section.staleFlags![0].announced).toBe(announced);
    },
  );

  it(`lists at most ${REPORT_STALE_FLAGS} stale flags, and none in a report written for a past week`, () => {
    const many = Array.from({ length: REPORT_STALE_FLAGS + 5 }, (_, i) =>
      staleFlag(`flag-${String(i).padStart(2, '0')}`),
    );
    const now = flagsReportSection({
      ...base,
      staleTotal: many.length,
      cleanup: 'archives',
      stale: many,
      announcements: [],
    });
    expect(now.staleFlags).toHaveLength(REPORT_STALE_FLAGS);
    expect(now.staleTotal).toBe(REPORT_STALE_FLAGS + 5);
    const past = flagsReportSection({
      ...base,
      cleanup: 'archives',
      stale: many,
      announcements: [],
      current: false,
    });
    expect(past.staleFlags).toBeNull();
  });

  it.each([
    [CART, { releases: 4, behindFlags: 3, share: 0.75 }],
    ['group:default/team-quiet', { releases: 0, behindFlags: 0, share: null }],
  ])(
    "gives %s's share behind flags and the organisation's against the target",
    (ownerRef, team) => {
      const section = flagsReportSection({
        ...base,
        ownerRef,
        cleanup: 'archives',
        stale: [],
        announcements: [],
      });
      expect(section.coverage).toEqual({
        target: 0.8,
        team,
        organisation: { releases: 10, behindFlags: 4, share: 0.4 },
      });
    },
  );
});

describe('FlagReportSection', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  // Tuesday 1 December 2026: the report's week is 23 to 30 November.
  const T0 = Date.parse('2026-12-01T08:00:00Z');
  const WEEK = {
    from: new Date('2026-11-23T00:00:00Z'),
    to: new Date('2026-11-30T00:00:00Z'),
  };
  const daysAgo = (days: number) => new Date(T0 - days * DAY);

  function entity(name: string, team: string, flags?: string): Entity {
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: flags ? { 'glidepath.dev/flags': flags } : {},
      },
      spec: { owner: team },
      relations: [{ type: 'ownedBy', targetRef: `group:default/${team}` }],
    };
  }

  const observed = (
    name: string,
    createdDaysAgo: number,
    patch: Partial<ObservedFlag> = {},
  ): ObservedFlag => ({
    key: `p/${name}`,
    name,
    type: 'release',
    createdAt: daysAgo(createdDaysAgo),
    environments: [
      { environment: 'production', enabled: true, lastEvaluatedAt: daysAgo(0) },
    ],
    tags: [],
    archived: false,
    ...patch,
  });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const db = await openGlidepathDatabase({
      database: mockServices.database({ knex }),
    });
    const store = new DatabaseFlagStore(db);
    const dora = new DatabaseDoraStore(db);
    const clock = () => new Date(T0);
    const provider = new FakeFlagProvider('fake-flags');
    provider.flags.set('checkout', [
      observed('older-promo', 100),
      observed('old-banner', 60),
      observed('kept-banner', 70),
      // Made during checkout's change of 25 to 27 November.
      observed('new-cart', 5),
    ]);
    provider.flags.set('payments', [observed('split-pay', 50)]);
    const providers = new ProviderRegistry<FlagProvider>('flag');
    providers.add(provider);
    const catalog = catalogServiceMock({
      entities: [
        entity('checkout', 'team-cart', 'fake-flags:checkout'),
        entity('payments', 'team-pay', 'fake-flags:payments'),
        entity('ledger', 'team-ledger'),
      ],
    });
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
    await sync.syncAll();
    // The team keeps one stale flag; the cleanup announces the others.
    await store.setKeep({
      entityRef: CHECKOUT,
      provider: 'fake-flags',
      flagKey: 'p/kept-banner',
      keep: {
        reason: 'Until the January sale',
        expiresAt: new Date('2027-01-15T00:00:00Z'),
        decidedBy: { kind: 'user', ref: 'user:default/ann' },
        decidedAt: daysAgo(1),
      },
    });
    await new FlagCleanup({
      store,
      providers,
      sync,
      actionTimeoutMs: 5_000,
      now: clock,
      catalog,
      auth,
      auditor: mockServices.auditor.mock(),
      notifications: { send: async () => {} } as any,
      logger: mockServices.logger.mock(),
      graceDays: 14,
      dryRun: false,
    }).run();
    const at = (iso: string) => new Date(iso);
    await dora.recordDeployments([
      deployment('c1', 0, {
        entityRef: CHECKOUT,
        deployedAt: at('2026-11-27T10:00:00Z'),
        firstCommitAt: at('2026-11-25T10:00:00Z'),
      }),
      deployment('c2', 0, {
        entityRef: CHECKOUT,
        deployedAt: at('2026-11-24T10:00:00Z'),
        firstCommitAt: at('2026-11-23T10:00:00Z'),
      }),
      deployment('p1', 0, {
        entityRef: 'component:default/payments',
        deployedAt: at('2026-11-25T10:00:00Z'),
        firstCommitAt: at('2026-11-24T10:00:00Z'),
      }),
      deployment('l1', 0, {
        entityRef: 'component:default/ledger',
        deployedAt: at('2026-11-26T10:00:00Z'),
        firstCommitAt: at('2026-11-26T08:00:00Z'),
      }),
    ]);
    const flags = new FlagService({
      store,
      catalog,
      permissions: mockServices.permissions(),
      auditor: mockServices.auditor.mock(),
      providers,
      sync,
      actionTimeoutMs: 5_000,
      dora,
      now: clock,
    });
    const coverageReads = jest.spyOn(flags, 'coverage');
    const section = (
      cleanup = { enabled: true, dryRun: false, gracePeriodDays: 14 },
    ) =>
      new FlagReportSection({
        flags,
        inventory: store,
        auth,
        cleanup,
        now: clock,
      });
    // An inventory whose only source was never read completely.
    const unread = new FlagReportSection({
      flags,
      inventory: {
        listAnnouncements: async () => [],
        listTargets: async () => [
          {
            entityRef: CHECKOUT,
            provider: 'fake-flags',
            ref: 'checkout',
            simulated: false,
            readAt: null,
            attemptedAt: new Date(T0),
            error: 'the provider did not answer',
          },
        ],
      },
      auth,
      cleanup: { enabled: true, dryRun: false, gracePeriodDays: 14 },
      now: clock,
    });
    return { section, coverageReads, unread };
  }

  it.each(databases.eachSupportedId())(
    "gives a team its stale flags with their due days and its week's share behind flags, on %p",
    async databaseId => {
      const { section, coverageReads, unread } = await setup(databaseId);
      const reports = section();
      const cart = await reports.forTeam({
        ownerRef: CART,
        ...WEEK,
        current: true,
      });
      const due = new Date(T0 + 14 * DAY).toISOString();
      expect(cart).toEqual({
        inventoryReadAt: new Date(T0).toISOString(),
        flags: 4,
        staleTotal: 3,
        cleanup: 'archives',
        staleFlags: [
          expect.objectContaining({
            name: 'older-promo',
            entityRef: CHECKOUT,
            provider: 'fake-flags',
            staleAt: daysAgo(60).toISOString(),
            dueAt: due,
            announced: true,
            keptUntil: null,
          }),
          expect.objectContaining({
            name: 'kept-banner',
            dueAt: null,
            keptUntil: '2027-01-15T00:00:00.000Z',
            keepReason: 'Until the January sale',
          }),
          expect.objectContaining({
            name: 'old-banner',
            staleAt: daysAgo(20).toISOString(),
            dueAt: due,
          }),
        ],
        coverage: {
          target: 0.8,
          team: { releases: 2, behindFlags: 1, share: 0.5 },
          organisation: { releases: 4, behindFlags: 1, share: 0.25 },
        },
      });

      // A team without flags: none tracked, its releases not behind any.
      const ledger = await reports.forTeam({
        ownerRef: 'group:default/team-ledger',
        ...WEEK,
        current: true,
      });
      expect(ledger).toEqual({
        inventoryReadAt: new Date(T0).toISOString(),
        flags: 0,
        staleTotal: 0,
        staleFlags: [],
        cleanup: 'archives',
        coverage: {
          target: 0.8,
          team: { releases: 1, behindFlags: 0, share: 0 },
          organisation: { releases: 4, behindFlags: 1, share: 0.25 },
        },
      });
      // The week's share was read once for both teams.
      expect(coverageReads).toHaveBeenCalledTimes(1);

      // A past week, written afterwards: no stale flags of today.
      const past = await reports.forTeam({
        ownerRef: CART,
        from: new Date(WEEK.from.getTime() - 7 * DAY),
        to: WEEK.from,
        current: false,
      });
      expect(past.staleFlags).toBeNull();
      expect(past.coverage.team).toEqual({
        releases: 0,
        behindFlags: 0,
        share: null,
      });

      // In a dry run, the real run's announcements do not count.
      const dry = await section({
        enabled: true,
        dryRun: true,
        gracePeriodDays: 14,
      }).forTeam({
        ownerRef: CART,
        ...WEEK,
        current: true,
      });
      expect(dry.cleanup).toBe('dry_run');
      // Before the inventory was ever read, the report says so.
      expect(
        (await unread.forTeam({ ownerRef: CART, ...WEEK, current: true }))
          .inventoryReadAt,
      ).toBeNull();

      // Not announced in a dry run yet: the earliest day they can be due.
      expect(dry.staleFlags!.map(f => [f.dueAt, f.announced])).toEqual([
        [due, false],
        [null, false],
        [due, false],
      ]);
    },
  );
});
