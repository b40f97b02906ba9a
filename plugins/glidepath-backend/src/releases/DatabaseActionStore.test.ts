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
  },
);
