import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseReleaseStore } from '../releases/DatabaseReleaseStore';
import { DatabaseRollbackTestStore } from './DatabaseRollbackTestStore';
import type { NewRollbackTest } from './RollbackTestStore';

jest.setTimeout(60_000);

const policyActor = { kind: 'policy' as const, ref: 'rollback-test' };
const ada = { kind: 'user' as const, ref: 'user:default/ada' };

function newTest(overrides: Partial<NewRollbackTest> = {}): NewRollbackTest {
  return {
    entityRef: 'component:default/cart',
    environment: 'staging',
    version: '2.4.0',
    previousVersion: '2.3.1',
    releaseId: 'r1',
    provider: 'sandbox',
    simulated: true,
    trigger: 'policy',
    requestedBy: policyActor,
    reason: '2.4.0 completed in staging',
    requestedAt: new Date('2026-12-06T10:00:00.000Z'),
    knownReleaseIds: ['r0', 'r1'],
    ...overrides,
  };
}

describe('DatabaseRollbackTestStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    // The release store runs the migrations.
    await DatabaseReleaseStore.create({
      database: mockServices.database({ knex }),
    });
    return new DatabaseRollbackTestStore(knex);
  }

  it.each(databases.eachSupportedId())(
    'records one policy test per entity, environment and version, and one per request key, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const first = await store.createTest(newTest());
      const again = await store.createTest(newTest({ releaseId: 'r2' }));
      expect(first.created).toBe(true);
      expect(again).toEqual({ test: first.test, created: false });
      const otherEnvironment = await store.createTest(
        newTest({ environment: 'qa' }),
      );
      expect(otherEnvironment.created).toBe(true);

      const manual = newTest({
        trigger: 'manual',
        requestedBy: ada,
        idempotencyKey: 'k1',
        reason: 'before the train',
      });
      const m1 = await store.createTest(manual);
      const m2 = await store.createTest(manual);
      const m3 = await store.createTest({ ...manual, idempotencyKey: 'k2' });
      expect([m1.created, m2.created, m3.created]).toEqual([true, false, true]);
      expect(m2.test.id).toBe(m1.test.id);
      expect(m1.test).toMatchObject({
        state: 'pending',
        requestedBy: ada,
        trigger: 'manual',
        simulated: true,
        rolledBackAt: null,
        rollbackSeconds: null,
        revision: 0,
      });
      expect(
        await store.policyKeysTaken([
          'component:default/cart|staging|2.4.0',
          'component:default/cart|staging|2.5.0',
        ]),
      ).toEqual(new Set(['component:default/cart|staging|2.4.0']));
    },
  );

  it.each(databases.eachSupportedId())(
    'writes a step only over the revision it read, and derives the timings, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const { test } = await store.createTest(newTest());
      expect(
        await store.updateTest(test.id, 0, {
          state: 'rolling_back',
          rollbackActionId: 'a1',
        }),
      ).toBe(true);
      // A run that read revision 0 is too late.
      expect(await store.updateTest(test.id, 0, { state: 'not_run' })).toBe(
        false,
      );
      await store.updateTest(test.id, 1, {
        state: 'restoring',
        rolledBackAt: new Date('2026-12-06T10:00:41.000Z'),
      });
      await store.updateTest(test.id, 2, {
        state: 'passed',
        healthyAt: new Date('2026-12-06T10:01:10.000Z'),
        finishedAt: new Date('2026-12-06T10:02:00.000Z'),
        stateReason: null,
      });
      const stored = await store.getTest(test.id);
      expect(stored).toMatchObject({
        state: 'passed',
        rollbackActionId: 'a1',
        knownReleaseIds: ['r0', 'r1'],
        rollbackSeconds: 41,
        healthySeconds: 70,
        finishedAt: '2026-12-06T10:02:00.000Z',
        revision: 3,
      });
      expect(await store.listUnfinished()).toEqual([]);
      expect(
        await store.listTests({
          entityRef: 'component:default/cart',
          environment: 'staging',
          limit: 5,
        }),
      ).toEqual([stored]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the first override of a gate, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      expect(await store.getOverride('p1')).toBeNull();
      const at = new Date('2026-12-06T11:00:00.000Z');
      const first = await store.setOverride({
        releaseId: 'p1',
        entityRef: 'component:default/cart',
        by: ada,
        reason: 'Hotfix',
        at,
      });
      const second = await store.setOverride({
        releaseId: 'p1',
        entityRef: 'component:default/cart',
        by: policyActor,
        reason: 'Other',
        at: new Date(),
      });
      expect(first).toEqual({
        by: ada,
        reason: 'Hotfix',
        at: at.toISOString(),
      });
      expect(second).toEqual(first);
    },
  );
});
