import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DEFAULT_ENVIRONMENTS,
  type FreezeWindow,
} from '@glidepath/backstage-plugin-common';
import type {
  MetricsProvider,
  ServiceErrorsReading,
} from '@glidepath/backstage-plugin-node';
import { CalendarService } from '../calendar/CalendarService';
import { DatabaseCalendarStore } from '../calendar/DatabaseCalendarStore';
import { DatabaseReleaseStore } from '../releases/DatabaseReleaseStore';
import { ERROR_BUDGET_DEFAULTS } from './config';
import { ErrorBudgetService } from './ErrorBudgetService';
import { ReleaseFixStore } from './ReleaseFixStore';

jest.setTimeout(60_000);

const ada = { kind: 'user' as const, ref: 'user:default/ada' };
const credentials = mockCredentials.user('user:default/ada');

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: {
      'glidepath.dev/rollout':
        'staging=fake:checkout-staging; production=fake:checkout',
      'glidepath.dev/slo': '99.5',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-checkout' },
};

/** Counts the 28-day reads; each answers after a tick, as a server would. */
function budgetProvider(reading: ServiceErrorsReading) {
  const provider = {
    id: 'fake',
    reads: 0,
    reading,
    readMetrics: async () => ({ status: 'no_data' as const, reason: 'none' }),
    async readServiceErrors() {
      provider.reads++;
      await new Promise(r => setTimeout(r, 20));
      return provider.reading;
    },
  };
  return provider;
}

describe('the error-budget freeze of a release plan’s next wave (freezeFor)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(
    databaseId: Parameters<typeof databases.init>[0],
    options: { windows?: FreezeWindow[]; reading?: ServiceErrorsReading } = {},
  ) {
    const knex = await databases.init(databaseId);
    const releases = await DatabaseReleaseStore.create({
      database: mockServices.database({ knex }),
    });
    const provider = budgetProvider(
      options.reading ?? { status: 'ok', requests: 100_000, errors: 560 },
    );
    const catalog = catalogServiceMock({ entities: [checkout] });
    const fixes = new ReleaseFixStore(knex);
    const errorBudget = new ErrorBudgetService({
      config: ERROR_BUDGET_DEFAULTS,
      metricsProviders: {
        get: id => (id === 'fake' ? (provider as MetricsProvider) : undefined),
      },
      environments: DEFAULT_ENVIRONMENTS,
      fixes,
      releases,
      catalog,
      permissions: mockServices.permissions(),
      auditor: mockServices.auditor.mock(),
    });
    const calendar = new CalendarService({
      store: new DatabaseCalendarStore(knex),
      releases,
      catalog,
      permissions: mockServices.permissions(),
      auditor: mockServices.auditor.mock(),
      environments: [...DEFAULT_ENVIRONMENTS],
      configWindows: options.windows,
      errorBudget,
    });
    return { calendar, errorBudget, provider, fixes };
  }

  it.each(databases.eachSupportedId())(
    'closes production for anything but a fix while the budget is spent, never staging, on %p',
    async databaseId => {
      const { calendar, provider } = await setup(databaseId);
      const frozen = await calendar.freezeFor(checkout, 'production', {
        fix: false,
        credentials,
      });
      expect(frozen).toEqual({
        closed: true,
        reason: expect.stringMatching(
          /^The error budget of its 99.5% SLO is spent: 112% of the 28-day budget burned/,
        ),
        windowId: null,
        nextOpen: null,
        nextClose: null,
        nextCloseReason: null,
      });
      const fix = await calendar.freezeFor(checkout, 'production', {
        fix: true,
        credentials,
      });
      expect(fix.closed).toBe(false);
      const staging = await calendar.freezeFor(checkout, 'staging', {
        fix: false,
        credentials,
      });
      expect(staging.closed).toBe(false);
      // Three asks, one read (cached).
      expect(provider.reads).toBe(1);

      // Recovered below 100%: open, once the cache is read again.
      provider.reading = { status: 'ok', requests: 100_000, errors: 499 };
      expect(
        (
          await calendar.freezeFor(checkout, 'production', {
            fix: false,
            credentials,
          })
        ).closed,
      ).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps a freeze window’s state (it holds fixes too), on %p',
    async databaseId => {
      const window: FreezeWindow = {
        id: 'config-1',
        title: 'Holidays',
        effect: 'deny',
        scope: { kind: 'organisation' },
        reason: 'Holiday freeze',
        timezone: 'UTC',
        start: '2026-01-01T00:00',
        end: '2099-01-01T00:00',
        createdBy: ada,
        createdAt: '2026-01-01T00:00:00.000Z',
        definedIn: 'app-config',
      };
      const { calendar } = await setup(databaseId, { windows: [window] });
      for (const fix of [false, true]) {
        const state = await calendar.freezeFor(checkout, 'production', {
          fix,
          credentials,
        });
        expect(state).toMatchObject({
          closed: true,
          reason: 'Holiday freeze',
          windowId: 'config-1',
        });
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'reads the provider once for concurrent asks, and leaves an unknown budget open, on %p',
    async databaseId => {
      const { calendar, errorBudget, provider } = await setup(databaseId, {
        reading: { status: 'no_data', reason: 'no series' },
      });
      const budgets = await Promise.all(
        Array.from({ length: 5 }, () => errorBudget.budgetFor(checkout)),
      );
      expect(provider.reads).toBe(1);
      expect(budgets.map(b => b.status)).toEqual(Array(5).fill('unknown'));
      expect(budgets[0].environments).toEqual(['production']);
      const state = await calendar.freezeFor(checkout, 'production', {
        fix: false,
        credentials,
      });
      expect(state.closed).toBe(false);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the first mark of a release as a fix, on %p',
    async databaseId => {
      const { fixes } = await setup(databaseId);
      const mark = {
        releaseId: 'r1',
        entityRef: 'component:default/checkout',
        environment: 'production',
        version: '2.0.0',
        by: ada,
        reason: 'Fixes INC-7',
        at: new Date('2026-12-07T01:00:00.000Z'),
      };
      const [first, second] = await Promise.all([
        fixes.markFix(mark),
        fixes.markFix({ ...mark, reason: 'Other' }),
      ]);
      expect([first.created, second.created].sort()).toEqual([false, true]);
      expect(first.fix).toEqual(second.fix);
      expect(await fixes.getFix('r1')).toEqual({
        releaseId: 'r1',
        entityRef: 'component:default/checkout',
        environment: 'production',
        version: '2.0.0',
        by: ada,
        reason: first.fix.reason,
        at: '2026-12-07T01:00:00.000Z',
      });
      expect(await fixes.listFixes(['r1', 'r2'])).toEqual([first.fix]);
      expect(await fixes.listFixes([])).toEqual([]);
      expect(await fixes.getFix('r2')).toBeNull();
    },
  );
});
