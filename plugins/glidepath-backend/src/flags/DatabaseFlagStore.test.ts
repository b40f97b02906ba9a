import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseFlagStore } from './DatabaseFlagStore';
import type { NewFlagRecord } from './FlagStore';

jest.setTimeout(60_000);

const checkout = 'component:default/checkout';
const payments = 'component:default/payments';
const target = {
  entityRef: checkout,
  provider: 'unleash',
  ref: 'checkout?tags=cart',
  simulated: false,
};
const alice = { kind: 'user' as const, ref: 'user:default/alice' };

function flag(key: string, overrides: Partial<NewFlagRecord> = {}) {
  const record: NewFlagRecord = {
    key,
    name: key.split('/').pop()!,
    project: 'checkout',
    description: null,
    type: 'release',
    temporary: null,
    createdAt: new Date('2026-10-01T08:00:00Z'),
    createdBy: 'ann@example.com',
    maintainer: null,
    owner: 'group:default/team-cart',
    ownerSource: 'catalog',
    environments: [
      {
        environment: 'production',
        type: 'production',
        enabled: true,
        lastEvaluatedAt: '2026-12-01T10:00:00.000Z',
        servesEveryone: 'true',
        servingSince: '2026-11-01T00:00:00.000Z',
      },
      { environment: 'development', enabled: false, lastEvaluatedAt: null },
    ],
    lastEvaluatedAt: new Date('2026-12-01T10:00:00Z'),
    evaluationKnown: true,
    changedAt: null,
    lifecycle: 'live',
    providerStale: false,
    tags: ['simple:cart'],
    url: 'https://unleash.example.com/projects/checkout/features/x',
    state: 'stale',
    stateReason: 'release flag, 61 days old, past its lifetime of 40 days',
    staleAt: new Date('2026-11-10T08:00:00Z'),
    ...overrides,
  };
  return record;
}

describe('DatabaseFlagStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    return DatabaseFlagStore.create({
      database: mockServices.database({ knex }),
    });
  }

  it.each(databases.eachSupportedId())(
    'keeps what a reading lists, with the same id, and drops what it no longer lists, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const t1 = new Date('2026-12-01T12:00:00Z');
      await store.recordRead({
        target,
        at: t1,
        flags: [flag('checkout/new-cart'), flag('checkout/old-banner')],
      });
      const first = await store.listFlags({});
      expect(first.map(f => f.key)).toEqual([
        'checkout/new-cart',
        'checkout/old-banner',
      ]);
      expect(first[0]).toEqual({
        ...flag('checkout/new-cart'),
        id: expect.any(String),
        entityRef: checkout,
        provider: 'unleash',
        targetRef: 'checkout?tags=cart',
        firstSeenAt: t1,
        seenAt: t1,
        keep: null,
      });

      const t2 = new Date('2026-12-01T12:10:00Z');
      await store.recordRead({
        target,
        at: t2,
        flags: [
          flag('checkout/new-cart', { state: 'launched', temporary: true }),
        ],
      });
      const second = await store.listFlags({});
      expect(second).toEqual([
        expect.objectContaining({
          id: first[0].id,
          key: 'checkout/new-cart',
          state: 'launched',
          temporary: true,
          firstSeenAt: t1,
          seenAt: t2,
        }),
      ]);
      expect(await store.listTargets()).toEqual([
        { ...target, readAt: t2, attemptedAt: t2, error: null },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the last inventory when a reading fails, marked with the error, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const t1 = new Date('2026-12-01T12:00:00Z');
      await store.recordRead({ target, at: t1, flags: [flag('checkout/a')] });
      const t2 = new Date('2026-12-01T12:10:00Z');
      await store.recordFailure({
        target,
        at: t2,
        error: 'connect ECONNREFUSED 127.0.0.1:4242',
      });
      expect(await store.listTargets([checkout])).toEqual([
        {
          ...target,
          readAt: t1,
          attemptedAt: t2,
          error: 'connect ECONNREFUSED 127.0.0.1:4242',
        },
      ]);
      expect((await store.listFlags({})).map(f => f.key)).toEqual([
        'checkout/a',
      ]);
      // A target that never read anything has no read time.
      await store.recordFailure({
        target: { ...target, entityRef: payments },
        at: t2,
        error: 'project "payments" does not exist',
      });
      expect(await store.listTargets([payments])).toEqual([
        expect.objectContaining({
          readAt: null,
          error: 'project "payments" does not exist',
        }),
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'narrows by entity, owner and state, and forgets targets no longer annotated, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const at = new Date('2026-12-01T12:00:00Z');
      await store.recordRead({
        target,
        at,
        flags: [
          flag('checkout/a'),
          flag('checkout/b', {
            state: 'fresh',
            owner: 'ann@example.com',
            ownerSource: 'provider',
          }),
        ],
      });
      const paymentsTarget = {
        ...target,
        entityRef: payments,
        ref: 'payments',
        simulated: true,
      };
      await store.recordRead({
        target: paymentsTarget,
        at,
        flags: [flag('payments/c', { owner: 'group:default/team-pay' })],
      });
      const keys = async (query: Parameters<typeof store.listFlags>[0]) =>
        (await store.listFlags(query)).map(f => f.key).sort();
      expect(await keys({ entityRefs: [checkout] })).toEqual([
        'checkout/a',
        'checkout/b',
      ]);
      expect(
        await keys({ owners: ['group:default/team-pay', 'ann@example.com'] }),
      ).toEqual(['checkout/b', 'payments/c']);
      expect(await keys({ states: ['stale'] })).toEqual([
        'checkout/a',
        'payments/c',
      ]);
      expect(await keys({ entityRefs: [checkout], states: ['stale'] })).toEqual(
        ['checkout/a'],
      );
      expect(await keys({ entityRefs: [] })).toEqual([]);

      expect(await store.listFlagEntityRefs()).toEqual([checkout, payments]);
      const facts = await store.listFlagFacts([payments, checkout]);
      expect(
        facts
          .filter(f => f.entityRef === payments)
          .map(f => [f.owner, f.state, f.createdAt, f.staleAt, f.simulated]),
      ).toEqual([
        [
          'group:default/team-pay',
          'stale',
          new Date('2026-10-01T08:00:00Z'),
          new Date('2026-11-10T08:00:00Z'),
          // Its target is a simulated provider's.
          true,
        ],
      ]);
      expect(
        facts.filter(f => f.entityRef === checkout).map(f => f.simulated),
      ).toEqual([false, false]);
      await store.removeTargets([paymentsTarget]);
      expect(await keys({})).toEqual(['checkout/a', 'checkout/b']);
      expect((await store.listTargets()).map(t => t.entityRef)).toEqual([
        checkout,
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'does not bring back a flag archived after the provider was read, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const t1 = new Date('2026-12-01T12:00:00Z');
      const t2 = new Date('2026-12-01T12:00:05Z');
      const t3 = new Date('2026-12-01T12:00:10Z');
      const t4 = new Date('2026-12-01T12:01:00Z');
      await store.recordRead({
        target,
        at: t1,
        flags: [flag('checkout/a'), flag('checkout/b')],
      });
      const a = (await store.listFlags({})).find(f => f.key === 'checkout/a')!;
      // A sync reads the provider at t2; meanwhile a is archived (t3).
      await store.recordAction({
        entityRef: checkout,
        provider: target.provider,
        flagKey: 'checkout/a',
        flagName: 'a',
        action: 'archive',
        reason: 'stale',
        actor: alice,
        status: 'succeeded',
        message: 'archived',
        at: t3,
      });
      await store.removeFlag(a.id);
      await store.recordRead({
        target,
        at: t2,
        flags: [flag('checkout/a'), flag('checkout/b')],
      });
      const keys = async () =>
        (await store.listFlags({})).map(f => f.key).sort();
      expect(await keys()).toEqual(['checkout/b']);
      // A reading after the archive that lists it again (restored in the
      // provider) is taken.
      await store.recordRead({
        target,
        at: t4,
        flags: [flag('checkout/a'), flag('checkout/b')],
      });
      expect(await keys()).toEqual(['checkout/a', 'checkout/b']);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps a keep decision across readings, and records actions, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const at = new Date('2026-12-01T12:00:00Z');
      await store.recordRead({ target, at, flags: [flag('checkout/a')] });
      const [stored] = await store.listFlags({});
      const keep = {
        reason: 'Kept for the Black Friday rollback path',
        expiresAt: new Date('2027-01-15T00:00:00Z'),
        decidedBy: alice,
        decidedAt: at,
      };
      await store.setKeep({
        entityRef: checkout,
        provider: 'unleash',
        flagKey: 'checkout/a',
        keep,
      });
      await store.recordRead({
        target,
        at: new Date(at.getTime() + 60_000),
        flags: [flag('checkout/a')],
      });
      expect((await store.getFlag(stored.id))?.keep).toEqual(keep);
      expect((await store.listFlags({}))[0].keep).toEqual(keep);

      const action = await store.recordAction({
        entityRef: checkout,
        provider: 'unleash',
        flagKey: 'checkout/a',
        flagName: 'a',
        action: 'archive',
        reason: 'Stale',
        actor: alice,
        status: 'failed',
        message: 'Unleash refused: the flag has dependents',
        at,
      });
      expect(await store.listActions(checkout)).toEqual([action]);

      await store.removeFlag(stored.id);
      expect(await store.getFlag(stored.id)).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'writes a large reading in chunks, on %p',
    async databaseId => {
      const store = await setup(databaseId);
      const flags = Array.from({ length: 250 }, (_, i) =>
        flag(`checkout/f${i}`),
      );
      await store.recordRead({ target, at: new Date(), flags });
      expect(await store.listFlags({})).toHaveLength(250);
    },
  );
});
