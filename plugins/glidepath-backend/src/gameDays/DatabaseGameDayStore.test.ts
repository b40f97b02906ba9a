import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseReleaseStore } from '../releases/DatabaseReleaseStore';
import { DatabaseGameDayStore } from './DatabaseGameDayStore';
import type { NewDrill, NewGameDay } from './GameDayStore';

jest.setTimeout(60_000);

const ada = { kind: 'user' as const, ref: 'user:default/ada' };

function newGameDay(overrides: Partial<NewGameDay> = {}): NewGameDay {
  return {
    title: 'Checkout game day',
    facilitator: 'user:default/ada',
    participants: ['user:default/bo'],
    services: ['component:default/cart'],
    faults: [
      {
        service: 'component:default/cart',
        fault: 'latency',
        environment: null,
      },
    ],
    hypothesis: 'rolled back within 2 minutes',
    scheduledAt: '2026-12-06T10:00:00.000Z',
    productionOverride: null,
    createdBy: ada,
    createdAt: new Date('2026-12-05T10:00:00.000Z'),
    idempotencyKey: 'user:ada|k1',
    ...overrides,
  };
}

function newDrill(overrides: Partial<NewDrill> = {}): NewDrill {
  return {
    entityRef: 'component:default/cart',
    ownerRef: 'group:default/team-checkout',
    environment: 'staging',
    fault: 'latency',
    provider: 'sandbox',
    simulated: true,
    reason: 'game day',
    requestedBy: ada,
    requestedAt: new Date('2026-12-06T10:00:01.000Z'),
    productionOverride: null,
    state: 'waiting',
    stateReason: null,
    ...overrides,
  };
}

describe('DatabaseGameDayStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    await DatabaseReleaseStore.create({
      database: mockServices.database({ knex }),
    });
    return new DatabaseGameDayStore(knex);
  }

  it.each(databases.eachSupportedId())(
    'keeps one game day per request key, lists due ones once, and keeps its outcome, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const first = await store.createGameDay(newGameDay());
      expect(first.created).toBe(true);
      expect(first.gameDay).toMatchObject({
        title: 'Checkout game day',
        participants: ['user:default/bo'],
        faults: [
          {
            service: 'component:default/cart',
            fault: 'latency',
            environment: null,
          },
        ],
        scheduledAt: '2026-12-06T10:00:00.000Z',
        createdAt: '2026-12-05T10:00:00.000Z',
        createdBy: ada,
        drillsScheduledAt: null,
        outcome: null,
      });
      const again = await store.createGameDay(newGameDay({ title: 'x' }));
      expect(again).toEqual({ gameDay: first.gameDay, created: false });
      const later = await store.createGameDay(
        newGameDay({
          idempotencyKey: 'user:ada|k2',
          scheduledAt: '2026-12-07T10:00:00.000Z',
        }),
      );

      const due = await store.listDueGameDays(
        new Date('2026-12-06T12:00:00.000Z'),
      );
      expect(due.map(g => g.id)).toEqual([first.gameDay.id]);
      const at = new Date('2026-12-06T12:00:00.000Z');
      await expect(
        store.markDrillsScheduled(first.gameDay.id, at),
      ).resolves.toBe(true);
      await expect(
        store.markDrillsScheduled(first.gameDay.id, at),
      ).resolves.toBe(false);
      await expect(
        store.listDueGameDays(new Date('2026-12-08T00:00:00.000Z')),
      ).resolves.toEqual([expect.objectContaining({ id: later.gameDay.id })]);

      const outcome = {
        learnt: 'fast',
        followUps: [{ title: 'a', url: 'https://x/1' }],
        by: ada,
        at: '2026-12-06T13:00:00.000Z',
      };
      await store.setOutcome(first.gameDay.id, outcome);
      const read = await store.getGameDay(first.gameDay.id);
      expect(read).toMatchObject({
        outcome,
        drillsScheduledAt: at.toISOString(),
      });
      const listed = await store.listGameDays({ limit: 10 });
      expect(listed.map(g => g.id)).toEqual([
        later.gameDay.id,
        first.gameDay.id,
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'records one drill per game day fault and writes timings over the revision read, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const gameDay = { id: 'g1', faultIndex: 1 };
      const first = await store.createDrill(newDrill({ gameDay }));
      const again = await store.createDrill(newDrill({ gameDay }));
      expect(first.created).toBe(true);
      expect(again).toEqual({ drill: first.drill, created: false });
      expect(first.drill).toMatchObject({
        gameDayId: 'g1',
        gameDayFaultIndex: 1,
        state: 'waiting',
        requestedAt: '2026-12-06T10:00:01.000Z',
        timeToDetectSeconds: null,
      });
      const alone = await store.createDrill(
        newDrill({ requestedAt: new Date('2026-12-06T11:00:00.000Z') }),
      );
      const refused = await store.createDrill(
        newDrill({
          entityRef: 'component:default/other',
          state: 'refused',
          stateReason: 'production',
        }),
      );
      expect(refused.drill.finishedAt).toBe('2026-12-06T10:00:01.000Z');

      const timings = {
        state: 'recovered' as const,
        stateReason: '2.4.0 was rolled back',
        releaseId: 'r2',
        version: '2.4.0',
        injectedAt: '2026-12-06T10:01:00.000Z',
        detectedAt: '2026-12-06T10:01:30.500Z',
        rollbackDecidedAt: '2026-12-06T10:01:40.000Z',
        rolledBackAt: '2026-12-06T10:02:00.000Z',
        healthyAt: '2026-12-06T10:02:10.000Z',
        notifiedAt: '2026-12-06T10:01:40.000Z',
        finishedAt: '2026-12-06T10:02:10.000Z',
      };
      await expect(
        store.updateDrill(first.drill.id, first.drill.revision, timings),
      ).resolves.toBe(true);
      await expect(
        store.updateDrill(first.drill.id, first.drill.revision, timings),
      ).resolves.toBe(false);
      const read = await store.getDrill(first.drill.id);
      expect(read).toMatchObject({
        ...timings,
        timeToDetectSeconds: 30.5,
        timeToRecoverSeconds: 70,
        revision: 1,
      });

      const unfinished = await store.listUnfinishedDrills();
      expect(unfinished.map(d => d.id)).toEqual([alone.drill.id]);
      const ofCart = await store.listDrills({
        entityRef: 'component:default/cart',
        limit: 10,
      });
      expect(ofCart.map(d => d.id)).toEqual([alone.drill.id, first.drill.id]);
      const ofGameDay = await store.listDrills({
        gameDayIds: ['g1'],
        limit: 10,
      });
      expect(ofGameDay.map(d => d.id)).toEqual([first.drill.id]);
      const since = await store.listDrills({
        since: new Date('2026-12-06T10:30:00.000Z'),
        limit: 10,
      });
      expect(since.map(d => d.id)).toEqual([alone.drill.id]);
      await expect(
        store.listDrills({ gameDayIds: [], limit: 10 }),
      ).resolves.toEqual([]);
    },
  );
});
