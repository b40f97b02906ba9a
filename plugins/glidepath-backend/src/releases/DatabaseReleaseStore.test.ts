import { TestDatabases } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import { Knex } from 'knex';
import { DatabaseReleaseStore } from './DatabaseReleaseStore';
import {
  at,
  clearReleaseTables,
  entityRef,
  observed,
  openReleaseStore,
  upserter,
} from './__testUtils__/releaseFixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'DatabaseReleaseStore (%s)',
  databaseId => {
    let knex: Knex;
    let store: DatabaseReleaseStore;
    beforeAll(async () => {
      ({ knex, store } = await openReleaseStore(databases, databaseId));
    });
    afterEach(() => clearReleaseTables(knex));
    const upsert = upserter(() => store);

    describe('listReleases', () => {
      it('pages through the history newest first with a cursor', async () => {
        // Seven releases; two pairs share a startedAt so the id breaks ties.
        const startOffsets = [0, 60, 60, 120, 180, 180, 240];
        const ids: string[] = [];
        for (const [i, offset] of startOffsets.entries()) {
          const { release } = await upsert(
            observed({ providerReleaseId: `rev-${i}`, startedAt: at(offset) }),
            at(offset + 1),
          );
          ids.push(release.id);
        }
        // And one of another entity, which must not show up.
        await store.upsertObservedRelease({
          entityRef: 'component:default/payments',
          provider: 'sandbox',
          simulated: true,
          observed: observed({ providerReleaseId: 'other', startedAt: at(90) }),
          observedAt: at(91),
        });

        const expected = startOffsets
          .map((offset, i) => ({ offset, id: ids[i] }))
          .sort((x, y) => y.offset - x.offset || y.id.localeCompare(x.id))
          .map(x => x.id);

        const seen: string[] = [];
        const pageSizes: number[] = [];
        const cursors: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.listReleases({
            entityRef,
            limit: 3,
            cursor,
          });
          pageSizes.push(page.items.length);
          seen.push(...page.items.map(r => r.id));
          cursor = page.nextCursor ?? undefined;
          cursors.push(page.nextCursor ?? 'none');
        } while (cursor);

        expect(pageSizes).toEqual([3, 3, 1]);
        expect(cursors).toEqual([
          expect.stringMatching(/^[A-Za-z0-9_-]+$/),
          expect.stringMatching(/^[A-Za-z0-9_-]+$/),
          'none',
        ]);
        expect(seen).toEqual(expected);
        const first = await store.listReleases({ entityRef, limit: 10 });
        expect(first.nextCursor).toBeNull();
        expect(first.items.map(r => r.id)).toEqual(expected);
        expect(first.items[0].steps).toHaveLength(3);
      });

      it('gives an empty last page no cursor when the history divides evenly', async () => {
        for (const i of [0, 1]) {
          await upsert(
            observed({ providerReleaseId: `rev-${i}`, startedAt: at(i) }),
            at(i),
          );
        }
        const page = await store.listReleases({ entityRef, limit: 2 });
        expect(page.items).toHaveLength(2);
        expect(page.nextCursor).toBeNull();
      });

      it.each([
        ['not base64url', 'not a cursor!'],
        ['not JSON', Buffer.from('hello').toString('base64url')],
        [
          'the wrong shape',
          Buffer.from(JSON.stringify({ id: 'x' })).toString('base64url'),
        ],
        [
          'a non-integer time',
          Buffer.from(JSON.stringify(['soon', 'x'])).toString('base64url'),
        ],
      ])('rejects a cursor that is %s', async (_name, cursor) => {
        const result = store.listReleases({ entityRef, limit: 3, cursor });
        await expect(result).rejects.toThrow(InputError);
        await expect(result).rejects.toThrow('The cursor is invalid');
      });
    });

    describe('releasesVersion', () => {
      it('moves with every recorded release and change, and not otherwise', async () => {
        const empty = await store.releasesVersion();
        await upsert(observed(), at(2));
        const one = await store.releasesVersion();
        expect(one).not.toBe(empty);
        await upsert(observed(), at(3));
        expect(await store.releasesVersion()).toBe(one);
        await upsert(
          observed({ canaryWeight: 50, currentStepIndex: 2 }),
          at(4),
        );
        const moved = await store.releasesVersion();
        expect(moved).not.toBe(one);
        await upsert(
          observed({ providerReleaseId: 'checkout-service/rev-43' }),
          at(4),
        );
        expect(await store.releasesVersion()).not.toBe(moved);
      });
    });

    describe('listLatestReleases', () => {
      it('gives the most recent release per entity and environment', async () => {
        const put = (
          ref: string,
          id: string,
          offset: number,
          extra: Partial<ObservedRelease> = {},
        ) =>
          store.upsertObservedRelease({
            entityRef: ref,
            provider: 'sandbox',
            simulated: true,
            observed: observed({
              providerReleaseId: id,
              startedAt: at(offset),
              ...extra,
            }),
            observedAt: at(offset),
          });
        await put(entityRef, 'old', 0, {
          version: '2.2.0',
          phase: 'succeeded',
        });
        await put(entityRef, 'new', 60, {
          version: '2.3.0',
          previousVersion: '2.2.0',
          phase: 'rolled_back',
        });
        await put(entityRef, 'staging', 30, {
          version: '2.4.0',
          environment: 'staging',
        });
        await put('component:default/payments', 'p1', 10, { version: '9.0.0' });

        const all = await store.listLatestReleases();
        const key = (r: { entityRef: string; environment: string }) =>
          `${r.entityRef} ${r.environment}`;
        expect(
          Object.fromEntries(
            all.map(r => [key(r), [r.version, r.previousVersion, r.phase]]),
          ),
        ).toEqual({
          [`${entityRef} production`]: ['2.3.0', '2.2.0', 'rolled_back'],
          [`${entityRef} staging`]: ['2.4.0', expect.anything(), 'progressing'],
          'component:default/payments production': [
            '9.0.0',
            expect.anything(),
            'progressing',
          ],
        });
        const some = await store.listLatestReleases([
          'component:default/payments',
          'component:default/unknown',
        ]);
        expect(some.map(r => r.version)).toEqual(['9.0.0']);
        expect(some[0]).toEqual(
          expect.objectContaining({
            entityRef: 'component:default/payments',
            simulated: true,
            startedAt: at(10),
          }),
        );
        expect(await store.listLatestReleases([])).toEqual([]);
      });
    });

    describe('stale observations', () => {
      it('writes nothing for a reading older than the stored one', async () => {
        const first = await upsert(observed(), at(2));
        await upsert(
          observed({ currentStepIndex: 2, canaryWeight: 50 }),
          at(4),
        );
        const late = await upsert(observed(), at(3));
        expect(late.changed).toBe(false);
        expect(late.events).toEqual([]);
        expect(await store.getRelease(first.release.id)).toMatchObject({
          currentStepIndex: 2,
          canaryWeight: 50,
        });
      });

      it('writes nothing read before the provider changed under an action', async () => {
        const { release } = await upsert(observed(), at(2));
        await store.markProviderChanged(release.id, at(5));
        const before = await upsert(
          observed({ currentStepIndex: 2, canaryWeight: 50 }),
          at(4),
        );
        expect(before.changed).toBe(false);
        const after = await upsert(
          observed({ currentStepIndex: 2, canaryWeight: 50 }),
          at(5),
        );
        expect(after.changed).toBe(true);
        // Never backwards: an older mark leaves the newer reading in place.
        await store.markProviderChanged(release.id, at(1));
        expect(
          (await upsert(observed({ canaryWeight: 60 }), at(5))).changed,
        ).toBe(true);
      });
    });

    describe('sync state', () => {
      it('records failures and successes of syncing an entity', async () => {
        await expect(store.getSyncState(entityRef)).resolves.toBeUndefined();

        await store.recordSyncAttempt({
          entityRef,
          provider: 'sandbox',
          at: at(1),
          error: 'connect ECONNREFUSED',
        });
        await expect(store.getSyncState(entityRef)).resolves.toEqual({
          entityRef,
          provider: 'sandbox',
          lastAttemptAt: at(1),
          lastSuccessAt: null,
          error: 'connect ECONNREFUSED',
        });

        await store.recordSyncAttempt({
          entityRef,
          provider: 'sandbox',
          at: at(2),
        });
        await expect(store.getSyncState(entityRef)).resolves.toEqual({
          entityRef,
          provider: 'sandbox',
          lastAttemptAt: at(2),
          lastSuccessAt: at(2),
          error: null,
        });

        // A later failure keeps the time of the last success.
        await store.recordSyncAttempt({
          entityRef,
          provider: 'sandbox',
          at: at(3),
          error: 'timeout',
        });
        await expect(store.getSyncState(entityRef)).resolves.toEqual({
          entityRef,
          provider: 'sandbox',
          lastAttemptAt: at(3),
          lastSuccessAt: at(2),
          error: 'timeout',
        });
      });
    });

    it('keeps milliseconds on every timestamp', async () => {
      const ms = (n: number) => new Date(Date.UTC(2026, 0, 2, 3, 4, 5, n));
      const { release } = await upsert(
        observed({
          startedAt: ms(1),
          updatedAt: ms(2),
          finishedAt: ms(3),
          phase: 'succeeded',
        }),
        ms(4),
      );
      const stored = await store.getRelease(release.id);
      expect(stored).toMatchObject({
        startedAt: ms(1).toISOString(),
        updatedAt: ms(2).toISOString(),
        finishedAt: ms(3).toISOString(),
      });
      const [event] = await store.listEvents(release.id);
      expect(event.occurredAt).toBe(ms(4).toISOString());

      await store.recordSyncAttempt({
        entityRef,
        provider: 'sandbox',
        at: ms(6),
      });
      expect((await store.getSyncState(entityRef))?.lastSuccessAt).toEqual(
        ms(6),
      );
    });
  },
);
