import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import {
  aggregateFacts,
  computeDora,
  doraReportOf,
} from '@glidepath/backstage-plugin-common';
import path from 'node:path';
import { Knex } from 'knex';
import { DatabaseDoraStore, DeploymentRecord } from './DatabaseDoraStore';
import { DatabaseReleaseStore } from '../releases/DatabaseReleaseStore';

jest.setTimeout(60_000);

const T = (hour: number) => new Date(Date.UTC(2026, 10, 2, hour));
const CHECKOUT = 'component:default/checkout-service';
const PAYMENTS = 'component:default/payments-service';

function deployment(
  id: string,
  hour: number,
  patch: Partial<DeploymentRecord> = {},
): DeploymentRecord {
  return {
    id,
    entityRef: CHECKOUT,
    environment: 'production',
    version: `1.${hour}.0`,
    deployedAt: T(hour),
    firstCommitAt: T(hour - 2),
    commit: null,
    outcome: 'succeeded',
    finishedAt: null,
    url: null,
    source: 'api',
    matched: true,
    production: true,
    ...patch,
  };
}

describe('DatabaseDoraStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const releases = await DatabaseReleaseStore.create({
      database: mockServices.database({ knex }),
    });
    const store = new DatabaseDoraStore(releases.client);
    const facts = async (entityRefs?: string[]) =>
      Object.fromEntries(
        (await store.listFacts({ entityRefs, from: T(-100), to: T(100) })).map(
          f => [
            f.id,
            {
              lead: f.leadTimeMs,
              failed: f.failed,
              rule: f.failureRule,
              start: f.failureStartedAt,
              restored: f.restoredAt,
            },
          ],
        ),
      );
    return { store, facts };
  }

  it.each(databases.eachSupportedId())(
    'records a deployment once per id, replaces it on change, derives lead time (%p)',
    async databaseId => {
      const { store, facts } = await setup(databaseId);
      expect(
        await store.recordDeployments([
          deployment('d1', 10),
          deployment('d2', 12),
        ]),
      ).toEqual(['created', 'created']);
      expect(await store.recordDeployments([deployment('d1', 10)])).toEqual([
        'unchanged',
      ]);
      expect(
        await store.recordDeployments([
          deployment('d1', 10, { firstCommitAt: T(4) }),
        ]),
      ).toEqual(['updated']);
      expect(await facts()).toEqual({
        d1: {
          lead: 6 * 3_600_000,
          failed: false,
          rule: null,
          start: null,
          restored: null,
        },
        d2: {
          lead: 2 * 3_600_000,
          failed: false,
          rule: null,
          start: null,
          restored: null,
        },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps a resolve that arrives before its create, and attributes the incident when it opens (%p)',
    async databaseId => {
      const { store, facts } = await setup(databaseId);
      await store.recordDeployments([
        deployment('d1', 10),
        deployment('d2', 20),
      ]);
      expect(
        await store.recordIncidents([{ id: 'PD-1', resolvedAt: T(14) }]),
      ).toEqual(['created']);
      expect(await store.getIncident('PD-1')).toMatchObject({
        openedAt: null,
        resolvedAt: T(14).getTime(),
        attributedTo: null,
        unattributed: 'not-opened',
      });
      expect((await facts()).d1.failed).toBe(false);

      expect(
        await store.recordIncidents([
          { id: 'PD-1', entityRef: CHECKOUT, openedAt: T(12), matched: true },
        ]),
      ).toEqual(['updated']);
      expect(await store.getIncident('PD-1')).toMatchObject({
        openedAt: T(12).getTime(),
        resolvedAt: T(14).getTime(),
        attributedTo: 'd1',
        rule: 'latest-release',
      });
      expect((await facts()).d1).toEqual({
        lead: 2 * 3_600_000,
        failed: true,
        rule: 'latest-release',
        start: T(12).getTime(),
        restored: T(14).getTime(),
      });
      // The same events again change nothing.
      expect(
        await store.recordIncidents([
          { id: 'PD-1', entityRef: CHECKOUT, openedAt: T(12), matched: true },
        ]),
      ).toEqual(['unchanged']);
    },
  );

  it.each(databases.eachSupportedId())(
    'moves an incident to a deployment that arrives late, and back on reopen keeps it open (%p)',
    async databaseId => {
      const { store, facts } = await setup(databaseId);
      await store.recordDeployments([deployment('d1', 10)]);
      await store.recordIncidents([
        { id: 'PD-2', entityRef: CHECKOUT, openedAt: T(15), matched: true },
      ]);
      expect((await facts()).d1.failed).toBe(true);
      // d2 went out at 13:00 but its event arrives after the incident.
      await store.recordDeployments([deployment('d2', 13)]);
      const after = await facts();
      expect(after.d1.failed).toBe(false);
      expect(after.d2).toMatchObject({
        failed: true,
        rule: 'latest-release',
        start: T(15).getTime(),
        restored: null,
      });
      await store.recordIncidents([{ id: 'PD-2', resolvedAt: T(16) }]);
      expect((await facts()).d2.restored).toBe(T(16).getTime());
      await store.recordIncidents([{ id: 'PD-2', resolvedAt: null }]);
      expect((await facts()).d2.restored).toBeNull();
    },
  );

  it.each(databases.eachSupportedId())(
    'follows explicit links, across entities and to deployments that arrive later (%p)',
    async databaseId => {
      const { store, facts } = await setup(databaseId);
      await store.recordDeployments([deployment('c1', 10)]);
      // Checkout's incident, caused by a payments deployment not yet received.
      await store.recordIncidents([
        {
          id: 'PD-3',
          entityRef: CHECKOUT,
          openedAt: T(12),
          deploymentId: 'p1',
          matched: true,
        },
      ]);
      expect(await store.getIncident('PD-3')).toMatchObject({
        attributedTo: null,
        unattributed: 'unknown-link',
      });
      expect((await facts()).c1.failed).toBe(false);
      await store.recordDeployments([
        deployment('p1', 11, { entityRef: PAYMENTS }),
      ]);
      expect(await store.getIncident('PD-3')).toMatchObject({
        attributedTo: 'p1',
        rule: 'linked-incident',
      });
      expect(await facts([PAYMENTS])).toEqual({
        p1: {
          lead: 2 * 3_600_000,
          failed: true,
          rule: 'linked-incident',
          start: T(12).getTime(),
          restored: null,
        },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'counts a rolled-back deployment as failed until its rollback finished; ignores other environments (%p)',
    async databaseId => {
      const { store, facts } = await setup(databaseId);
      await store.recordDeployments([
        deployment('d1', 10, { outcome: 'rolled_back', finishedAt: T(11) }),
        deployment('s1', 12, {
          environment: 'staging',
          production: false,
        }),
      ]);
      await store.recordIncidents([
        { id: 'PD-4', entityRef: CHECKOUT, openedAt: T(13), matched: true },
      ]);
      expect(await facts()).toEqual({
        d1: {
          lead: null,
          failed: true,
          rule: 'rolled-back',
          start: T(10).getTime(),
          restored: null,
        },
      });
      const failures = await store.listFailures({
        from: T(0),
        to: T(24),
        limit: 10,
      });
      expect(failures.map(f => [f.id, f.failureRule, f.incidentIds])).toEqual([
        ['d1', 'rolled-back', ['PD-4']],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'stores text as sent, whatever characters it holds (%p)',
    async databaseId => {
      const { store } = await setup(databaseId);
      // What an array literal or a list of values would have to escape.
      const awkward = 'a "quoted", {braced} back\\slash\nNULL ünï';
      const record = deployment('d "1", {x}', 10, {
        version: awkward,
        commit: 'NULL',
        url: 'https://ci.example.com/run?a=1,2&b={3}',
        outcome: 'rolled_back',
        finishedAt: T(11),
      });
      expect(await store.recordDeployments([record])).toEqual(['created']);
      await store.recordIncidents([
        {
          id: 'PD-"8"',
          entityRef: CHECKOUT,
          openedAt: T(10),
          title: awkward,
          url: 'https://pager.example.com/i/8?x="y"',
          matched: true,
        },
      ]);
      // Stored as received: the same event again changes nothing.
      expect(await store.recordDeployments([record])).toEqual(['unchanged']);
      const [failure] = await store.listFailures({
        from: T(0),
        to: T(24),
        limit: 10,
      });
      expect(failure).toMatchObject({
        id: 'd "1", {x}',
        version: awkward,
        incidents: [
          {
            id: 'PD-"8"',
            title: awkward,
            url: 'https://pager.example.com/i/8?x="y"',
          },
        ],
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'lists facts by range and entity, and the events of unknown entities (%p)',
    async databaseId => {
      const { store } = await setup(databaseId);
      await store.recordDeployments([
        deployment('d1', 10),
        deployment('d2', 30),
        deployment('p1', 11, { entityRef: PAYMENTS }),
        deployment('x1', 12, {
          entityRef: 'component:default/ghost',
          matched: false,
        }),
      ]);
      await store.recordIncidents([
        {
          id: 'PD-5',
          entityRef: 'component:default/ghost',
          openedAt: T(13),
          matched: false,
        },
      ]);
      const ids = async (options: { entityRefs?: string[]; to: Date }) =>
        (await store.listFacts({ from: T(0), ...options }))
          .map(f => f.id)
          .sort();
      expect(await ids({ to: T(24) })).toEqual(['d1', 'p1', 'x1']);
      expect(await ids({ to: T(48), entityRefs: [CHECKOUT] })).toEqual([
        'd1',
        'd2',
      ]);
      expect(await store.countUnmatched()).toBe(2);
      expect(
        (await store.listUnmatched(10)).map(e => [e.type, e.id]).sort(),
      ).toEqual([
        ['deployment', 'x1'],
        ['incident', 'PD-5'],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'refuses an incident resolved before it opened, and stores nothing of the batch (%p)',
    async databaseId => {
      const { store } = await setup(databaseId);
      await store.recordIncidents([
        { id: 'PD-6', entityRef: CHECKOUT, openedAt: T(12), matched: true },
      ]);
      await expect(
        store.recordIncidents([
          { id: 'PD-7', entityRef: CHECKOUT, openedAt: T(12), matched: true },
          { id: 'PD-6', resolvedAt: T(11) },
        ]),
      ).rejects.toThrow(/incident PD-6: resolvedAt .* is before its openedAt/);
      expect(await store.getIncident('PD-7')).toBeUndefined();
      expect(await store.getIncident('PD-6')).toMatchObject({
        resolvedAt: null,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'aggregates in the database to the same report as the facts aggregated in JS (%p)',
    async databaseId => {
      const { store } = await setup(databaseId);
      const records: DeploymentRecord[] = [];
      // Three weeks of deployments of two services, some rolled back (one
      // not restored yet), different lead times.
      for (let i = 0; i < 40; i++) {
        const hour = -400 + i * 13;
        records.push(
          deployment(`d${i}`, hour, {
            entityRef: i % 3 ? CHECKOUT : PAYMENTS,
            firstCommitAt: T(hour - 1 - (i % 7) * 5),
            ...(i % 6 === 0 && {
              outcome: 'rolled_back' as const,
              finishedAt: i === 36 ? null : T(hour + 1 + (i % 4)),
            }),
          }),
        );
      }
      await store.recordDeployments(records);
      await store.recordIncidents([
        {
          id: 'PD-A',
          entityRef: CHECKOUT,
          openedAt: T(-100),
          resolvedAt: T(-90),
          matched: true,
        },
        { id: 'PD-B', entityRef: PAYMENTS, openedAt: T(-50), matched: true },
      ]);
      const options = {
        from: T(-420).getTime(),
        to: T(120).getTime(),
        bucket: 'week' as const,
        now: T(100).getTime(),
      };
      const range = { from: new Date(options.from), to: new Date(options.to) };
      const round = (report: unknown) =>
        JSON.parse(
          JSON.stringify(report, (_, v) =>
            typeof v === 'number' ? Math.round(v * 1000) / 1000 : v,
          ),
        );
      for (const entityRefs of [undefined, [CHECKOUT]]) {
        const inJs = computeDora(
          await store.listFacts({ entityRefs, ...range }),
          options,
        );
        const aggregates = await store.aggregate({
          entityRefs,
          ...range,
          bucket: 'week',
        });
        // SQLite has no percentile_cont: the service aggregates the facts.
        expect(
          aggregates ? round(doraReportOf(aggregates, options)) : 'in JS',
        ).toEqual(databaseId === 'SQLITE_3' ? 'in JS' : round(inJs));
        expect(inJs.summary.changeFailureRate.failures).toBeGreaterThan(0);
      }
      // Groups: a team of both services, and one of checkout alone.
      const members = [
        { entityRef: CHECKOUT, group: 'both' },
        { entityRef: PAYMENTS, group: 'both' },
        { entityRef: CHECKOUT, group: 'checkout' },
      ];
      const facts = await store.listFacts(range);
      const inJs = {
        both: aggregateFacts(facts),
        checkout: aggregateFacts(facts.filter(f => f.entityRef === CHECKOUT)),
      };
      const groups = await store.aggregateGroups({ ...range, members });
      expect(groups ? round(Object.fromEntries(groups)) : 'in JS').toEqual(
        databaseId === 'SQLITE_3' ? 'in JS' : round(inJs),
      );
    },
  );

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
    const round = (value: unknown) =>
      JSON.parse(
        JSON.stringify(value, (_, v) =>
          typeof v === 'number' ? Math.round(v * 1000) / 1000 : v,
        ),
      );

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
        const knex = await databases.init(databaseId);
        const releases = await DatabaseReleaseStore.create({
          database: mockServices.database({ knex }),
        });
        const store = new DatabaseDoraStore(releases.client);
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
        const directory = path.resolve(__dirname, '../../migrations');
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
