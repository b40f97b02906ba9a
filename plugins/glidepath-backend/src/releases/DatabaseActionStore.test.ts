import { TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { DatabaseActionStore } from './DatabaseActionStore';
import { DatabaseReleaseStore } from './DatabaseReleaseStore';
import {
  alice,
  at,
  bob,
  clearReleaseTables,
  entityRef,
  FAKE_DATE_ONLY,
  observed,
  openReleaseStore,
  upserter,
} from './__testUtils__/releaseFixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'DatabaseActionStore (%s)',
  databaseId => {
    let knex: Knex;
    let store: DatabaseReleaseStore;
    let actions: DatabaseActionStore;

    beforeAll(async () => {
      ({ knex, store } = await openReleaseStore(databases, databaseId));
      actions = new DatabaseActionStore(knex);
    });
    afterEach(() => clearReleaseTables(knex));
    const upsert = upserter(() => store);

    let releaseId: string;
    beforeEach(async () => {
      releaseId = (await upsert(observed(), at(2))).release.id;
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    const rollback = (
      overrides: Partial<
        Parameters<DatabaseActionStore['createAction']>[0]
      > = {},
    ) =>
      actions.createAction({
        releaseId,
        entityRef,
        action: 'rollback',
        reason: 'Error rate is up',
        requestedBy: alice,
        idempotencyKey: 'key-1',
        ...overrides,
      });

    it('creates an action once per idempotency key', async () => {
      const first = await rollback();
      expect(first.created).toBe(true);
      expect(first.action).toEqual({
        id: expect.any(String),
        releaseId,
        entityRef,
        action: 'rollback',
        reason: 'Error rate is up',
        state: 'requested',
        requestedBy: alice,
        requestedAt: expect.any(String),
        startedAt: null,
        finishedAt: null,
        error: null,
      });

      // The same request again (a retried click): the same action.
      const second = await rollback({ reason: 'Retried' });
      expect(second).toEqual({ action: first.action, created: false });

      await expect(actions.getAction(first.action.id)).resolves.toEqual(
        first.action,
      );
      await expect(
        actions.findActionByIdempotencyKey('key-1'),
      ).resolves.toEqual(first.action);
      await expect(
        actions.findActionByIdempotencyKey('key-2'),
      ).resolves.toBeUndefined();
      await expect(
        actions.listActions({ releaseId, limit: 10 }),
      ).resolves.toEqual([first.action]);
    });

    it.each([
      ['another requester', { requestedBy: bob }],
      ['another action', { action: 'promote' as const }],
    ])('refuses a key already used by %s', async (_name, overrides) => {
      await rollback();
      const result = rollback(overrides);
      await expect(result).rejects.toThrow(ConflictError);
      await expect(result).rejects.toThrow(
        'Idempotency-Key was already used for a different request',
      );
    });

    it('refuses a key already used for another release', async () => {
      await rollback();
      const other = await upsert(
        observed({ providerReleaseId: 'rev-other' }),
        at(3),
      );
      await expect(rollback({ releaseId: other.release.id })).rejects.toThrow(
        ConflictError,
      );
    });

    it('creates exactly one action of 50 concurrent requests with one key', async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, () => rollback({ idempotencyKey: 'k-50' })),
      );
      expect(results.filter(r => r.created)).toHaveLength(1);
      expect(new Set(results.map(r => r.action.id)).size).toBe(1);
      await expect(
        knex('release_actions').where('idempotency_key', 'k-50'),
      ).resolves.toHaveLength(1);
    });

    it('moves an action through its states with their times', async () => {
      const { action } = await rollback();

      const running = await actions.updateActionState(action.id, 'running', {
        at: at(100),
      });
      expect(running).toMatchObject({
        state: 'running',
        startedAt: at(100).toISOString(),
        finishedAt: null,
        error: null,
      });

      const failed = await actions.updateActionState(action.id, 'failed', {
        at: at(105),
        error: 'The provider refused: rollout is not paused',
      });
      expect(failed).toEqual({
        ...action,
        state: 'failed',
        startedAt: at(100).toISOString(),
        finishedAt: at(105).toISOString(),
        error: 'The provider refused: rollout is not paused',
      });
      await expect(actions.getAction(action.id)).resolves.toEqual(failed);
    });

    it('gives an action that succeeds without running a start time', async () => {
      const { action } = await rollback();
      const done = await actions.updateActionState(action.id, 'succeeded', {
        at: at(7),
      });
      expect(done).toMatchObject({
        state: 'succeeded',
        startedAt: at(7).toISOString(),
        finishedAt: at(7).toISOString(),
        error: null,
      });
    });

    it('says an unknown action is not found', async () => {
      await expect(
        actions.updateActionState('no-such-action', 'running'),
      ).rejects.toThrow(NotFoundError);
      await expect(
        actions.getAction('no-such-action'),
      ).resolves.toBeUndefined();
    });

    it('lists actions newest first, by release or by entity', async () => {
      const other = await upsert(
        observed({ providerReleaseId: 'rev-other' }),
        at(3),
      );
      jest.useFakeTimers(FAKE_DATE_ONLY);
      jest.setSystemTime(at(10));
      const a = await rollback({ idempotencyKey: 'a' });
      jest.setSystemTime(at(20));
      const b = await rollback({
        idempotencyKey: 'b',
        releaseId: other.release.id,
        action: 'promote',
      });
      jest.setSystemTime(at(30));
      const c = await rollback({ idempotencyKey: 'c', action: 'pause' });
      jest.useRealTimers();

      expect(c.action.requestedAt).toBe(at(30).toISOString());

      const forRelease = await actions.listActions({ releaseId, limit: 10 });
      expect(forRelease.map(x => x.id)).toEqual([c.action.id, a.action.id]);
      const forEntity = await actions.listActions({ entityRef, limit: 2 });
      expect(forEntity.map(x => x.id)).toEqual([c.action.id, b.action.id]);
    });

    it('keeps milliseconds on action timestamps', async () => {
      const ms = (n: number) => new Date(Date.UTC(2026, 0, 2, 3, 4, 5, n));
      const { release } = await upsert(observed(), ms(4));
      const { action } = await actions.createAction({
        releaseId: release.id,
        entityRef,
        action: 'retry',
        reason: 'Flaky',
        requestedBy: alice,
        idempotencyKey: 'ms',
      });
      expect(action.requestedAt).toMatch(/\.\d{3}Z$/);
      await actions.updateActionState(action.id, 'running', { at: ms(5) });
      const finished = await actions.updateActionState(action.id, 'succeeded', {
        at: ms(999),
      });
      expect(finished.startedAt).toBe(ms(5).toISOString());
      expect((await actions.getAction(action.id))?.finishedAt).toBe(
        ms(999).toISOString(),
      );
    });

    describe('leases', () => {
      // Seconds after the test began (actions are requested at the real time).
      let began = 0;
      beforeEach(() => {
        began = Date.now();
      });
      const t = (seconds: number) => new Date(began + seconds * 1000);
      const claim = (owner: string, now: Date, id?: string) =>
        rollback().then(({ action }) =>
          actions.claimAction({
            id: id ?? action.id,
            owner,
            leaseMs: 10_000,
            now,
          }),
        );

      it('lets one runner take an action up, and another only once its lease ran out', async () => {
        const first = await claim('runner-a', t(0));
        expect(first).toMatchObject({
          state: 'running',
          attempts: 1,
          stepIndex: null,
        });
        expect(await claim('runner-b', t(5))).toBeUndefined();
        // runner-a renews at 8 s: held until 18 s.
        expect(
          await actions.renewLease({
            id: first!.id,
            owner: 'runner-a',
            leaseMs: 10_000,
            now: t(8),
          }),
        ).toBe(true);
        expect(await claim('runner-b', t(15))).toBeUndefined();
        // runner-a died: at 19 s the lease has run out.
        const takeover = await claim('runner-b', t(19));
        expect(takeover).toMatchObject({ state: 'running', attempts: 2 });
        expect(takeover!.startedAt).toBe(first!.startedAt);
        // The dead runner can neither renew nor finish it any more.
        expect(
          await actions.renewLease({
            id: first!.id,
            owner: 'runner-a',
            leaseMs: 10_000,
            now: t(20),
          }),
        ).toBe(false);
        expect(
          await actions.finishAction({
            id: first!.id,
            owner: 'runner-a',
            state: 'failed',
          }),
        ).toBeUndefined();
        const done = await actions.finishAction({
          id: first!.id,
          owner: 'runner-b',
          state: 'succeeded',
          at: t(21),
        });
        expect(done).toMatchObject({
          state: 'succeeded',
          finishedAt: t(21).toISOString(),
          error: null,
        });
        // Finished: nobody takes it up again.
        expect(await claim('runner-c', t(60))).toBeUndefined();
      });

      it('runs one action of a release at a time, across runners', async () => {
        const { action: first } = await rollback();
        const { action: second } = await rollback({
          idempotencyKey: 'key-2',
          requestedBy: bob,
        });
        expect(
          await actions.claimAction({
            id: first.id,
            owner: 'runner-a',
            leaseMs: 10_000,
            now: t(0),
          }),
        ).toBeDefined();
        expect(
          await actions.claimAction({
            id: second.id,
            owner: 'runner-b',
            leaseMs: 10_000,
            now: t(1),
          }),
        ).toBeUndefined();
        await actions.finishAction({
          id: first.id,
          owner: 'runner-a',
          state: 'succeeded',
        });
        expect(
          await actions.claimAction({
            id: second.id,
            owner: 'runner-b',
            leaseMs: 10_000,
            now: t(2),
          }),
        ).toMatchObject({ id: second.id, attempts: 1 });
      });

      it('keeps the step an action was requested on', async () => {
        const { action } = await rollback({ stepIndex: 3 });
        expect(
          await actions.claimAction({
            id: action.id,
            owner: 'runner-a',
            leaseMs: 10_000,
            now: t(0),
          }),
        ).toMatchObject({ stepIndex: 3 });
      });

      it('lists the actions nobody is running', async () => {
        const { action: waiting } = await rollback();
        const { action: held } = await rollback({
          idempotencyKey: 'key-2',
          action: 'pause',
        });
        await actions.claimAction({
          id: held.id,
          owner: 'runner-a',
          leaseMs: 10_000,
          now: t(0),
        });
        const list = (now: Date, requestedBefore: Date) =>
          actions
            .listUnfinishedActions({ now, requestedBefore, limit: 10 })
            .then(items => items.map(a => a.id));
        // The new one is left to the replica that accepted it for a while.
        expect(await list(t(5), new Date(0))).toEqual([]);
        expect(await list(t(5), t(5))).toEqual([waiting.id]);
        // The held one once its lease ran out.
        expect((await list(t(11), t(11))).sort()).toEqual(
          [waiting.id, held.id].sort(),
        );
      });
    });
  },
);
