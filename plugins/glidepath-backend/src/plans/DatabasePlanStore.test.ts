import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseReleaseStore } from '../releases/DatabaseReleaseStore';
import { DatabasePlanStore } from './DatabasePlanStore';
import type { NewPlan } from './PlanStore';

jest.setTimeout(60_000);

const ada = { kind: 'user' as const, ref: 'user:default/ada' };

function newPlan(overrides: Partial<NewPlan> = {}): NewPlan {
  return {
    title: 'Checkout 2.0',
    failurePolicy: 'rollback-all',
    gates: {
      soakMinutes: 5,
      analysisPassed: true,
      checklistItems: ['Release notes'],
      rollbackTestPassed: false,
    },
    startAt: new Date('2026-12-08T09:00:00.000Z'),
    trainId: null,
    createdBy: ada,
    createdAt: new Date('2026-12-07T09:00:00.000Z'),
    override: null,
    simulated: true,
    idempotencyKey: 'ada|k1',
    waveCount: 2,
    members: [
      {
        entityRef: 'component:default/db',
        version: '2.0.0',
        environment: 'production',
        fix: false,
        wave: 0,
        mode: 'provider',
        provider: 'sandbox',
      },
      {
        entityRef: 'component:default/api',
        version: '2.0.0',
        environment: 'production',
        fix: true,
        wave: 1,
        mode: 'manual',
        provider: 'argo-rollouts',
      },
    ],
    ...overrides,
  };
}

describe('DatabasePlanStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    // The release store runs the migrations.
    await DatabaseReleaseStore.create({
      database: mockServices.database({ knex }),
    });
    return new DatabasePlanStore(knex);
  }

  it.each(databases.eachSupportedId())(
    'records a plan once per key, with its waves, members, claims and first event, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const first = await store.createPlan(newPlan());
      if (!('plan' in first)) throw new Error('conflict');
      expect(first.created).toBe(true);
      const { plan } = first;
      expect(plan).toMatchObject({
        title: 'Checkout 2.0',
        state: 'scheduled',
        failurePolicy: 'rollback-all',
        gates: newPlan().gates,
        startAt: '2026-12-08T09:00:00.000Z',
        createdBy: ada,
        simulated: true,
        revision: 0,
        currentWave: null,
        override: null,
      });
      expect(plan.waves.map(w => [w.index, w.state])).toEqual([
        [0, 'pending'],
        [1, 'pending'],
      ]);
      expect(
        plan.members.map(m => [m.entityRef, m.wave, m.fix, m.mode]),
      ).toEqual([
        ['component:default/db', 0, false, 'provider'],
        ['component:default/api', 1, true, 'manual'],
      ]);
      expect(await store.createPlan(newPlan({ title: 'again' }))).toEqual({
        plan,
        created: false,
      });
      // Another plan on the same entity and environment: refused, naming it.
      const clash = await store.createPlan(
        newPlan({
          idempotencyKey: 'ada|k2',
          members: [{ ...newPlan().members[1], version: '2.0.1' }],
          waveCount: 1,
        }),
      );
      expect(clash).toEqual({
        conflict: {
          planId: plan.id,
          entityRef: 'component:default/api',
          environment: 'production',
        },
      });
      // Another environment is free.
      const staging = await store.createPlan(
        newPlan({
          idempotencyKey: 'ada|k3',
          members: [{ ...newPlan().members[1], environment: 'staging' }],
          waveCount: 1,
        }),
      );
      expect('plan' in staging && staging.created).toBe(true);
      const events = await store.listEvents(plan.id, 10);
      expect(events).toEqual([
        expect.objectContaining({
          kind: 'created',
          actor: ada,
          // Its start in words, not as an ISO string.
          message:
            'Planned 2 releases in 2 waves, from Tue, 08 Dec 2026 09:00 UTC',
        }),
      ]);
      expect(
        (await store.listPlans({ limit: 10 })).map(p => p.id),
      ).toHaveLength(2);
      expect(
        (
          await store.listPlans({
            entityRef: 'component:default/db',
            limit: 10,
          })
        ).map(p => p.id),
      ).toEqual([plan.id]);
    },
  );

  it.each(databases.eachSupportedId())(
    'writes only on the revision it read, and frees the claims when the plan ends, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const created = await store.createPlan(newPlan());
      if (!('plan' in created)) throw new Error('conflict');
      const { plan } = created;
      const at = new Date('2026-12-08T09:00:01.000Z');
      expect(
        await store.writePlan(plan.id, 0, {
          plan: { state: 'running', startedAt: at, currentWave: 0 },
          waves: [{ index: 0, patch: { state: 'releasing', startedAt: at } }],
          members: [
            {
              idx: 0,
              patch: {
                state: 'starting',
                startKey: 'plan:x:member:0:start',
                knownReleaseIds: ['r1'],
              },
            },
          ],
          events: [{ kind: 'started', message: 'Started', wave: 0 }],
        }),
      ).toBe(true);
      // A stale writer (it read revision 0) writes nothing.
      expect(
        await store.writePlan(plan.id, 0, {
          plan: { state: 'aborted' },
          events: [{ kind: 'aborted', message: 'stale' }],
        }),
      ).toBe(false);
      let read = (await store.getPlan(plan.id))!;
      expect(read).toMatchObject({
        state: 'running',
        revision: 1,
        currentWave: 0,
        startedAt: at.toISOString(),
      });
      expect(read.waves[0]).toMatchObject({ state: 'releasing' });
      expect(read.members[0]).toMatchObject({
        state: 'starting',
        startKey: 'plan:x:member:0:start',
        knownReleaseIds: ['r1'],
        startCalledAt: null,
      });
      expect((await store.listEvents(plan.id, 10)).map(e => e.message)).toEqual(
        [expect.stringContaining('Planned'), 'Started'],
      );
      // The call's record only for the key it was made with, once.
      await store.markStartCalled(plan.id, 0, 'another key', at);
      expect(
        (await store.getPlan(plan.id))!.members[0].startCalledAt,
      ).toBeNull();
      await store.markStartCalled(plan.id, 0, 'plan:x:member:0:start', at);
      await store.markStartCalled(
        plan.id,
        0,
        'plan:x:member:0:start',
        new Date('2026-12-09T00:00:00.000Z'),
      );
      read = (await store.getPlan(plan.id))!;
      expect(read.members[0].startCalledAt).toBe(at.toISOString());
      expect((await store.listMoving()).map(p => p.id)).toEqual([plan.id]);

      expect(
        await store.writePlan(plan.id, 1, {
          plan: { state: 'succeeded', finishedAt: at },
          releaseClaims: true,
        }),
      ).toBe(true);
      expect(await store.listMoving()).toEqual([]);
      const next = await store.createPlan(
        newPlan({ idempotencyKey: 'ada|k9' }),
      );
      expect('plan' in next && next.created).toBe(true);
    },
  );
});
