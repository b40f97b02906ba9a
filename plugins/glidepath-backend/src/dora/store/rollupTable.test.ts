import { computeDora, doraReportOf } from '@glidepath/backstage-plugin-common';
import path from 'node:path';
import { Knex } from 'knex';
import { DatabaseDoraStore } from '../DatabaseDoraStore';
import type { DeploymentRecord } from '../DoraStore';
import {
  CHECKOUT,
  deployment,
  doraStoreDatabases,
  PAYMENTS,
  round,
  setupStore,
} from './__testUtils__/doraStoreTesting';

jest.setTimeout(60_000);

describe('DatabaseDoraStore', () => {
  const { databases } = doraStoreDatabases();

  describe('the rollup (PostgreSQL)', () => {
    const postgres = databases
      .eachSupportedId()
      .filter(([id]) => id.startsWith('POSTGRES'));
    const DAY = 24 * 3_600_000;
    const weekly = {
      // Thursday 29 October to Wednesday 2 December 2026: four whole weeks
      // (from Monday 2 November) and two ends.
      from: new Date(Date.UTC(2026, 9, 29, 7)),
      to: new Date(Date.UTC(2026, 11, 2, 17)),
    };

    /** Deployments of both entities over five weeks, a few failed by outcome. */
    function history(prefix = 'h') {
      const out: DeploymentRecord[] = [];
      for (let n = 0; n < 60; n++) {
        const at = Date.UTC(2026, 9, 27) + n * 0.63 * DAY;
        out.push(
          deployment(`${prefix}${n}`, 0, {
            entityRef: n % 3 ? CHECKOUT : PAYMENTS,
            version: `2.${n}.0`,
            deployedAt: new Date(at),
            firstCommitAt: new Date(at - ((n * 7919) % 97) * 3_600_000),
            ...(n % 11 === 0 && {
              outcome: 'rolled_back' as const,
              finishedAt: new Date(at + ((n * 31) % 7) * 600_000),
            }),
          }),
        );
      }
      return out;
    }

    async function expectRollupExact(store: DatabaseDoraStore, knex: Knex) {
      for (const bucket of ['week', 'month'] as const) {
        for (const range of [
          weekly,
          { from: new Date(Date.UTC(2026, 9, 1)), to: weekly.to },
        ]) {
          const options = {
            from: range.from.getTime(),
            to: range.to.getTime(),
            bucket,
            now: range.to.getTime(),
          };
          const direct = await store.aggregate({
            ...range,
            bucket,
            direct: true,
          });
          const rollup = await store.aggregate({ ...range, bucket });
          // Read twice: computed, then from the stored rows.
          const again = await store.aggregate({ ...range, bucket });
          expect(rollup).toEqual(direct);
          expect(again).toEqual(direct);
          expect(round(doraReportOf(rollup!, options))).toEqual(
            round(computeDora(await store.listFacts(range), options)),
          );
        }
      }
      // The whole weeks read are stored and no write is pending on them.
      const stored = await knex('dora_rollup')
        .where('bucket', 'week')
        .andWhere('start', '>=', weekly.from)
        .andWhere('start', '<', weekly.to);
      expect(stored.length).toBeGreaterThanOrEqual(4);
      const pending = await knex('dora_rollup_stale')
        .where('bucket', 'week')
        .whereIn(
          'start',
          stored.map(r => r.start),
        );
      expect(pending).toEqual([]);
    }

    it.each(postgres)(
      'gives what one scan gives, through duplicates, late and moved events, releases and prunes (%p)',
      async databaseId => {
        const { knex, store } = await setupStore(databases, databaseId);
        await store.recordDeployments(history());
        await expectRollupExact(store, knex);
        const rollupBefore = await store.aggregate({
          ...weekly,
          bucket: 'week',
        });

        // The same events again: unchanged, and so are the measures.
        expect(new Set(await store.recordDeployments(history()))).toEqual(
          new Set(['unchanged']),
        );
        expect(await store.aggregate({ ...weekly, bucket: 'week' })).toEqual(
          rollupBefore,
        );

        // A resolve before its create, then the create: a failed change
        // with a recovery time, in a bucket already stored.
        await store.recordIncidents([
          { id: 'PD-r', resolvedAt: new Date(Date.UTC(2026, 10, 11, 9)) },
        ]);
        await expectRollupExact(store, knex);
        await store.recordIncidents([
          {
            id: 'PD-r',
            entityRef: CHECKOUT,
            openedAt: new Date(Date.UTC(2026, 10, 11, 3)),
            matched: true,
          },
          {
            id: 'PD-open',
            entityRef: PAYMENTS,
            openedAt: new Date(Date.UTC(2026, 10, 19, 3)),
            matched: true,
          },
        ]);
        await expectRollupExact(store, knex);
        expect(
          (await store.aggregate({ ...weekly, bucket: 'week' }))!.summary,
        ).not.toEqual(rollupBefore!.summary);

        // A deployment moved to another week, and one turned non-production.
        const moved = history()[20];
        await store.recordDeployments([
          { ...moved, deployedAt: new Date(Date.UTC(2026, 10, 27, 12)) },
          { ...history()[30], production: false, environment: 'staging' },
        ]);
        await expectRollupExact(store, knex);

        // Releases of a provider feed the same table (and simulated ones count).
        await store.recordDeployments([
          deployment('release:r1', 0, {
            source: 'release',
            simulated: true,
            deployedAt: new Date(Date.UTC(2026, 10, 17, 10)),
            firstCommitAt: null,
            outcome: 'rolled_back',
            finishedAt: new Date(Date.UTC(2026, 10, 17, 10, 30)),
          }),
        ]);
        await expectRollupExact(store, knex);
        expect(
          (await store.aggregate({ ...weekly, bucket: 'week' }))!.simulated,
        ).toBe(1);

        // A history source's later reading deletes what it no longer reports.
        const imported = history('history:sandbox:').map(d => ({
          ...d,
          source: 'history' as const,
        }));
        await store.recordDeployments(imported);
        await expectRollupExact(store, knex);
        await store.pruneHistory({
          prefix: 'history:sandbox:',
          from: new Date(Date.UTC(2026, 9, 1)),
          to: weekly.to,
          keepDeployments: new Set(imported.slice(0, 25).map(d => d.id)),
          keepIncidents: new Set(),
        });
        await expectRollupExact(store, knex);
      },
    );

    it.each(postgres)(
      'counts the deployments stored before the rollup existed (%p)',
      async databaseId => {
        const knex = await databases.init(databaseId);
        const directory = path.resolve(__dirname, '../../../migrations');
        // Up to the migration before the rollup's.
        for (;;) {
          const [done] = await knex.migrate.list({ directory });
          if (
            done.some(
              (m: { name: string }) =>
                m.name === '20261203000000_checklists.js',
            )
          ) {
            break;
          }
          await knex.migrate.up({ directory });
        }
        const store = new DatabaseDoraStore(knex);
        await store.recordDeployments(history());
        await store.recordIncidents([
          {
            id: 'PD-1',
            entityRef: CHECKOUT,
            openedAt: new Date(Date.UTC(2026, 10, 12, 3)),
            resolvedAt: new Date(Date.UTC(2026, 10, 12, 5)),
            matched: true,
          },
        ]);
        const before = await store.aggregate({
          ...weekly,
          bucket: 'week',
          direct: true,
        });
        await knex.migrate.latest({ directory });
        expect(await store.aggregate({ ...weekly, bucket: 'week' })).toEqual(
          before,
        );
        await expectRollupExact(store, knex);
      },
    );
  });
});
