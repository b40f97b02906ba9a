import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import { DatabaseChecklistStore } from './DatabaseChecklistStore';
import { DatabaseReleaseStore } from '../releases/DatabaseReleaseStore';

jest.setTimeout(60_000);

const entityRef = 'component:default/checkout';
const alice = { kind: 'user' as const, ref: 'user:default/alice' };
const bob = { kind: 'user' as const, ref: 'user:default/bob' };

function observed(version: string, startedAt: Date): ObservedRelease {
  return {
    providerReleaseId: `checkout@${version}`,
    version,
    previousVersion: '1.0.0',
    environment: 'production',
    strategy: 'canary',
    phase: 'progressing',
    steps: [],
    currentStepIndex: null,
    canaryWeight: 10,
    message: null,
    startedBy: { kind: 'provider', ref: 'fake' },
    commit: null,
    startedAt,
    updatedAt: startedAt,
    finishedAt: null,
  };
}

describe('DatabaseChecklistStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const releases = await DatabaseReleaseStore.create({
      database: mockServices.database({ knex }),
    });
    const release = async (version: string, startedAt: Date) =>
      (
        await releases.upsertObservedRelease({
          entityRef,
          provider: 'fake',
          simulated: false,
          observedAt: startedAt,
          observed: observed(version, startedAt),
        })
      ).release;
    return { store: new DatabaseChecklistStore(releases.client), release };
  }

  const items = [
    { title: 'Rollback plan verified', required: true },
    { title: 'Feature flags set', required: false, owner: 'group:default/web' },
  ];

  it.each(databases.eachSupportedId())(
    'stores a checklist once per idempotency key, and one per release, on %p',
    async databaseId => {
      const { store, release } = await setup(databaseId);
      const current = await release('2.0.0', new Date());
      const first = await store.createChecklist({
        entityRef,
        releaseId: current.id,
        title: 'Release 2.0.0',
        createdBy: alice,
        idempotencyKey: 'k1',
        items,
      });
      expect(first.created).toBe(true);
      expect(first.checklist).toEqual(
        expect.objectContaining({
          entityRef,
          releaseId: current.id,
          title: 'Release 2.0.0',
          createdBy: alice,
          gate: {
            blocking: true,
            openRequired: ['Rollback plan verified'],
            reason: expect.stringContaining('Rollback plan verified'),
          },
        }),
      );
      expect(
        first.checklist.items.map(i => [i.title, i.required, i.owner]),
      ).toEqual([
        ['Rollback plan verified', true, null],
        ['Feature flags set', false, 'group:default/web'],
      ]);

      const again = await store.createChecklist({
        entityRef,
        releaseId: current.id,
        title: 'Release 2.0.0',
        createdBy: alice,
        idempotencyKey: 'k1',
        items,
      });
      expect(again).toEqual({ checklist: first.checklist, created: false });

      await expect(
        store.createChecklist({
          entityRef,
          releaseId: current.id,
          title: 'Another',
          createdBy: alice,
          idempotencyKey: 'k2',
          items,
        }),
      ).rejects.toThrow(/already has the checklist "Release 2.0.0"/);
      await expect(
        store.createChecklist({
          entityRef,
          releaseId: 'no-such-release',
          title: 'Another',
          createdBy: alice,
          idempotencyKey: 'k3',
          items,
        }),
      ).rejects.toThrow('No release with id no-such-release');
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the rules when requests race: one checklist per key, one waiting per entity, on %p',
    async databaseId => {
      const { store } = await setup(databaseId);
      const create = (idempotencyKey: string) =>
        store.createChecklist({
          entityRef,
          releaseId: null,
          title: 'Next release',
          createdBy: alice,
          idempotencyKey,
          items,
        });

      // Four people at once for the same next release, each request sent
      // twice (a client retrying): one person wins, and both of their
      // requests get the one checklist; the others are told which is waiting.
      const keys = ['k0', 'k1', 'k2', 'k3', 'k0', 'k1', 'k2', 'k3'];
      const racing = await Promise.allSettled(keys.map(create));
      const won = racing.flatMap((r, i) =>
        r.status === 'fulfilled' ? [{ key: keys[i], ...r.value }] : [],
      );
      expect(won).toHaveLength(2);
      expect(won[0].key).toBe(won[1].key);
      expect(won[0].checklist.id).toBe(won[1].checklist.id);
      expect(won.map(w => w.created).sort()).toEqual([false, true]);
      const lost = racing.filter(r => r.status === 'rejected');
      expect(lost).toHaveLength(6);
      for (const result of lost) {
        expect(result).toMatchObject({
          reason: expect.objectContaining({
            name: 'ConflictError',
            message: `${entityRef} already has the checklist "Next release" (${won[0].checklist.id}) waiting for its next release`,
          }),
        });
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps who checked and unchecked an item, and when, on %p',
    async databaseId => {
      const { store, release } = await setup(databaseId);
      const current = await release('2.0.0', new Date());
      const { checklist } = await store.createChecklist({
        entityRef,
        releaseId: current.id,
        title: 'Release 2.0.0',
        createdBy: alice,
        idempotencyKey: 'k1',
        items,
      });
      const itemId = checklist.items[0].id;
      const at1 = new Date('2026-12-03T10:00:00.123Z');
      const at2 = new Date('2026-12-03T10:05:00.000Z');
      const ticked = await store.setItem({
        checklistId: checklist.id,
        itemId,
        checked: true,
        actor: alice,
        note: ' tried on staging ',
        at: at1,
      });
      expect(ticked.changed).toBe(true);
      expect(ticked.checklist.gate.blocking).toBe(false);
      expect(ticked.checklist.items[0]).toEqual(
        expect.objectContaining({
          checked: true,
          checkedBy: alice,
          checkedAt: at1.toISOString(),
        }),
      );
      // The same state again records nothing.
      const repeat = await store.setItem({
        checklistId: checklist.id,
        itemId,
        checked: true,
        actor: bob,
      });
      expect(repeat.changed).toBe(false);
      expect(repeat.checklist.items[0].checkedBy).toEqual(alice);

      const unticked = await store.setItem({
        checklistId: checklist.id,
        itemId,
        checked: false,
        actor: bob,
        at: at2,
      });
      expect(unticked.checklist.gate.blocking).toBe(true);
      expect(unticked.checklist.items[0]).toEqual(
        expect.objectContaining({
          checked: false,
          checkedBy: null,
          checkedAt: null,
        }),
      );
      expect(unticked.checklist.items[0].history).toEqual([
        {
          checked: true,
          by: alice,
          at: at1.toISOString(),
          note: 'tried on staging',
        },
        { checked: false, by: bob, at: at2.toISOString(), note: null },
      ]);

      await expect(
        store.setItem({
          checklistId: checklist.id,
          itemId: 'nope',
          checked: true,
          actor: alice,
        }),
      ).rejects.toThrow(`Checklist ${checklist.id} has no item with id nope`);
    },
  );

  it.each(databases.eachSupportedId())(
    'gives a checklist for the next release to the first release that starts after it, on %p',
    async databaseId => {
      const { store, release } = await setup(databaseId);
      const before = await release('2.0.0', new Date(Date.now() - 60_000));
      const { checklist } = await store.createChecklist({
        entityRef,
        releaseId: null,
        title: 'Next release',
        createdBy: alice,
        idempotencyKey: 'k1',
        items,
      });
      expect(checklist.releaseId).toBeNull();
      expect((await store.waitingChecklist(entityRef))?.id).toBe(checklist.id);
      await expect(
        store.createChecklist({
          entityRef,
          releaseId: null,
          title: 'Second',
          createdBy: alice,
          idempotencyKey: 'k2',
          items,
        }),
      ).rejects.toThrow(/waiting for its next release/);

      // A release that started before the checklist does not take it.
      expect(await store.checklistForRelease(before)).toBeUndefined();
      const next = await release('2.1.0', new Date(Date.now() + 1000));
      const bound = await store.checklistForRelease(next);
      expect(bound).toEqual(
        expect.objectContaining({ id: checklist.id, releaseId: next.id }),
      );
      expect(await store.waitingChecklist(entityRef)).toBeUndefined();
      // Bound once: a later release does not take it away.
      const later = await release('2.2.0', new Date(Date.now() + 2000));
      expect(await store.checklistForRelease(later)).toBeUndefined();
      expect((await store.checklistForRelease(next))?.id).toBe(checklist.id);
    },
  );
});
