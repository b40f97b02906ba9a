import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseReleaseStore } from '../releases/DatabaseReleaseStore';
import { DatabaseCalendarStore } from './DatabaseCalendarStore';

jest.setTimeout(60_000);

const ada = { kind: 'user' as const, ref: 'user:default/ada' };
const at = new Date('2026-12-06T10:00:00.000Z');

describe('DatabaseCalendarStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await DatabaseReleaseStore.create({
      database: mockServices.database({ knex }),
    });
    return new DatabaseCalendarStore(knex);
  }

  it.each(databases.eachSupportedId())(
    'keeps windows and trains as given, once per key, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const weekend = {
        title: 'Weekend',
        effect: 'deny' as const,
        scope: { kind: 'environment' as const, name: 'production' },
        reason: 'No releases at the weekend',
        timezone: 'Europe/Berlin',
        start: '2026-01-02T16:00',
        rrule: 'FREQ=WEEKLY;BYDAY=FR',
        durationMinutes: 3840,
      };
      const first = await store.createWindow({
        request: weekend,
        by: ada,
        at,
        idempotencyKey: 'k1',
      });
      const again = await store.createWindow({
        request: { ...weekend, title: 'Other' },
        by: ada,
        at,
        idempotencyKey: 'k1',
      });
      expect(first.created).toBe(true);
      expect(again).toEqual({ window: first.window, created: false });
      expect(first.window).toEqual({
        ...weekend,
        id: first.window.id,
        createdBy: ada,
        createdAt: at.toISOString(),
      });
      const holidays = await store.createWindow({
        request: {
          title: 'Holidays',
          effect: 'deny',
          scope: { kind: 'system', ref: 'system:default/shop' },
          reason: 'Holidays',
          timezone: 'UTC',
          start: '2026-12-24T00:00',
          end: '2027-01-04T00:00',
        },
        by: ada,
        at: new Date(at.getTime() + 1000),
        idempotencyKey: 'k2',
      });
      expect((await store.listWindows()).map(w => w.title)).toEqual([
        'Weekend',
        'Holidays',
      ]);
      expect(holidays.window.end).toBe('2027-01-04T00:00');
      expect(holidays.window.rrule).toBeUndefined();
      expect(await store.deleteWindow(first.window.id)).toBe(true);
      expect(await store.deleteWindow(first.window.id)).toBe(false);

      const { train } = await store.createTrain({
        request: {
          title: 'Checkout train',
          scope: { kind: 'organisation' },
          timezone: 'Europe/Berlin',
          start: '2026-01-06T10:00',
          rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
        },
        by: ada,
        at,
        idempotencyKey: 't1',
      });
      expect(await store.listTrains()).toEqual([train]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the first break-glass override of a release, and lists those of some releases, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const first = await store.setOverride({
        releaseId: 'r1',
        entityRef: 'component:default/cart',
        by: ada,
        reason: 'Hotfix',
        windowId: 'w1',
        at,
      });
      const second = await store.setOverride({
        releaseId: 'r1',
        entityRef: 'component:default/cart',
        by: ada,
        reason: 'Other',
        windowId: null,
        at: new Date(),
      });
      expect(first).toEqual({
        releaseId: 'r1',
        by: ada,
        reason: 'Hotfix',
        windowId: 'w1',
        at: at.toISOString(),
      });
      expect(second).toEqual(first);
      expect(await store.getOverride('r2')).toBeNull();
      await store.setOverride({
        releaseId: 'r3',
        entityRef: 'component:default/cart',
        by: ada,
        reason: 'Migration done early',
        windowId: null,
        at: new Date('2026-12-06T11:00:00.000Z'),
      });
      // Only the releases asked for, those that have one, oldest first.
      expect(await store.listOverrides(['r3', 'r2', 'r1'])).toEqual([
        first,
        expect.objectContaining({ releaseId: 'r3', windowId: null }),
      ]);
      expect(await store.listOverrides(['r2'])).toEqual([]);
      expect(await store.listOverrides([])).toEqual([]);
    },
  );
});
