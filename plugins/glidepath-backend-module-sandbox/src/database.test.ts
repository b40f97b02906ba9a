import type { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type {
  ObservedRelease,
  RolloutActionRequest,
  RolloutTarget,
} from '@glidepath/backstage-plugin-node';
import type { Knex } from 'knex';
import path from 'node:path';
import { SANDBOX_DEFAULTS } from './config';
import {
  SANDBOX_MIGRATIONS_TABLE,
  sandboxMigrationsDirectory,
} from './journal';
import { SandboxRolloutProvider } from './SandboxRolloutProvider';

/*
 * The sandbox on a database: replicas share one fleet, and a restarted
 * backend carries on with what people did to it.
 */

jest.setTimeout(60_000);

const T0 = Date.parse('2026-03-02T10:00:00Z');
const S = 1000;
const MINUTE = 60 * S;
const HOUR = 60 * MINUTE;

function target(ref: string): RolloutTarget {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: ref },
    spec: { owner: 'team-a' },
  };
  return { entityRef: `component:default/${ref}`, ref, entity };
}

const TABLES = [
  'glidepath_sandbox_services',
  'glidepath_sandbox_events',
  'glidepath_sandbox_flag_archives',
];

describe('the sandbox on a database', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  /** Providers (replicas) on one database, on one clock the test moves. */
  async function setup(
    databaseId: Parameters<typeof databases.init>[0],
    faultRate = 0,
    overrides: Partial<typeof SANDBOX_DEFAULTS> = {},
  ) {
    const knex = await databases.init(databaseId);
    const database: DatabaseService = { getClient: async () => knex };
    let now = T0;
    const replica = () =>
      new SandboxRolloutProvider({
        ...SANDBOX_DEFAULTS,
        seed: 'shared',
        faultRate,
        ...overrides,
        now: () => new Date(now),
        database,
      });
    const setNow = (time: number) => {
      now = time;
    };
    const releases = async (
      provider: SandboxRolloutProvider,
      ref = 'checkout',
    ) => {
      const [rollout] = await provider.listRollouts([target(ref)]);
      if (!('releases' in rollout)) throw new Error(rollout.error);
      return rollout.releases;
    };
    const find = async (provider: SandboxRolloutProvider, id: string) => {
      const release = (await releases(provider)).find(
        r => r.providerReleaseId === id,
      );
      if (!release) throw new Error(`${id} is not reported`);
      return release;
    };
    const act = (
      provider: SandboxRolloutProvider,
      release: ObservedRelease,
      action: RolloutActionRequest['action'],
    ) =>
      provider.performAction({
        target: target('checkout'),
        providerReleaseId: release.providerReleaseId,
        action,
        reason: 'testing',
        actor: { kind: 'user', ref: 'user:default/ada' },
        signal: new AbortController().signal,
      });
    /** Moves the clock 40 s into the next release, in its first pause. */
    const duringTheNextRelease = async (provider: SandboxRolloutProvider) => {
      const all = await releases(provider);
      const latest = all[all.length - 1];
      setNow(
        latest.startedAt.getTime() +
          SANDBOX_DEFAULTS.releaseIntervalMs +
          40 * S,
      );
      const after = await releases(provider);
      return after[after.length - 1];
    };
    return { knex, replica, setNow, releases, find, act, duringTheNextRelease };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('shares a rollback between replicas, and it stays', async () => {
      const { replica, setNow, releases, find, act, duringTheNextRelease } =
        await setup(databaseId);
      const a = replica();
      const b = replica();
      const release = await duringTheNextRelease(a);
      expect(release.phase).toBe('progressing');
      // b has seen the release move on before a's rollback reaches it
      const start = release.startedAt.getTime();
      setNow(start + 50 * S);
      await releases(b);
      setNow(start + 45 * S);
      await expect(act(a, release, 'rollback')).resolves.toEqual({
        message: expect.stringMatching(/^Rolled back/),
      });

      for (const offset of [50 * S, 3 * MINUTE, 10 * MINUTE, 35 * MINUTE]) {
        setNow(start + offset);
        for (const provider of [a, b]) {
          expect(await find(provider, release.providerReleaseId)).toMatchObject(
            {
              phase: 'rolled_back',
              finishedAt: new Date(start + 45 * S),
              message: 'Rolled back by user:default/ada: testing',
            },
          );
        }
        expect(await releases(b)).toEqual(await releases(a));
      }
    });

    it('keeps the rollback across a restart', async () => {
      const { replica, setNow, find, act, releases, duringTheNextRelease } =
        await setup(databaseId);
      const before = replica();
      const release = await duringTheNextRelease(before);
      await act(before, release, 'rollback');
      const start = release.startedAt.getTime();

      setNow(start + 30 * MINUTE);
      const restarted = replica();
      expect(await find(restarted, release.providerReleaseId)).toMatchObject({
        phase: 'rolled_back',
      });
      expect(await releases(restarted)).toEqual(await releases(before));
    });

    it('reports the same releases on a replica that starts a day later', async () => {
      // Every release faulty: the history the seed gives (mostly rolled back)
      // is not what ran live (all succeeded, nobody acted).
      const { replica, setNow, releases } = await setup(databaseId, 1);
      const first = replica();
      await releases(first);
      setNow(T0 + 25 * HOUR);
      expect(await releases(replica())).toEqual(await releases(first));
    });

    it('does a repeated action once', async () => {
      const { replica, act, find, knex, duringTheNextRelease } = await setup(
        databaseId,
      );
      const a = replica();
      const b = replica();
      const release = await duringTheNextRelease(a);
      await act(a, release, 'rollback');
      await expect(act(b, release, 'rollback')).resolves.toEqual({
        message: `${release.providerReleaseId} was already rolled back; nothing to do`,
      });
      await expect(act(a, release, 'rollback')).resolves.toEqual({
        message: expect.stringMatching(/already rolled back/),
      });
      expect(await find(b, release.providerReleaseId)).toMatchObject({
        phase: 'rolled_back',
      });
      const [{ n }] = await knex('glidepath_sandbox_events').count({ n: '*' });
      expect(Number(n)).toBe(1);
    });

    /**
     * Replicas a and b; the next release of checkout succeeded and rolled
     * back by a, whose restore ends as `ending` on every replica.
     */
    async function rolledBackOnTwoReplicas(share: number, ending: string) {
      const context = await setup(databaseId, 0, {
        rollbackFailureShareByService: { checkout: share },
      });
      const { replica, setNow, releases, act } = context;
      const a = replica();
      const b = replica();
      const all = await releases(a);
      const start =
        all[all.length - 1].startedAt.getTime() +
        SANDBOX_DEFAULTS.releaseIntervalMs;
      setNow(start + 2 * MINUTE);
      const release = (await releases(a)).pop()!;
      expect(release.phase).toBe('succeeded');
      await act(a, release, 'rollback');
      const restoreId = `checkout@${release.previousVersion}+restore.1`;
      const latest = async (provider: SandboxRolloutProvider) =>
        (await releases(provider)).pop()!;
      for (const provider of [a, b]) {
        expect(await latest(provider)).toMatchObject({
          providerReleaseId: restoreId,
          phase: 'progressing',
          startedBy: { kind: 'user', ref: 'user:default/ada' },
        });
      }
      setNow(start + 3 * MINUTE);
      const ended = await latest(b);
      expect(ended).toMatchObject({
        providerReleaseId: restoreId,
        phase: ending,
      });
      expect(await latest(a)).toEqual(ended);
      expect(await latest(replica())).toEqual(ended);
      const forward = (provider: SandboxRolloutProvider) =>
        provider.rollForward({
          target: target('checkout'),
          providerReleaseId: release.providerReleaseId,
          version: release.version,
          reason: 'rollback test',
          actor: { kind: 'user', ref: 'user:default/ada' },
          signal: new AbortController().signal,
        });
      const events = () =>
        context
          .knex('glidepath_sandbox_events')
          .orderBy('id')
          .select('kind', 'release_id');
      return { ...context, a, b, start, release, latest, forward, events };
    }

    it('restores a rolled-back release on every replica and after a restart, and rolls forward once', async () => {
      const context = await rolledBackOnTwoReplicas(0, 'succeeded');
      const { a, b, start, release, latest, forward, events } = context;
      const forwardId = `checkout@${release.version}+forward.2`;
      expect((await forward(b)).message).toMatch(/^Rolling forward to /);
      expect((await forward(a)).message).toBe(
        `${forwardId} is already on its way to ${release.version}; nothing to do`,
      );
      expect(await events()).toEqual([
        { kind: 'action', release_id: release.providerReleaseId },
        { kind: 'forward', release_id: release.providerReleaseId },
      ]);
      context.setNow(start + 3 * MINUTE + 50 * S);
      const restarted = context.replica();
      expect(await latest(restarted)).toMatchObject({
        providerReleaseId: forwardId,
        version: release.version,
        phase: 'succeeded',
      });
      expect(await context.releases(restarted)).toEqual(
        await context.releases(a),
      );
      // and the train carries on from it
      context.setNow(start + SANDBOX_DEFAULTS.releaseIntervalMs + 10 * S);
      expect(await latest(restarted)).toMatchObject({
        previousVersion: release.version,
        startedBy: { ref: 'sandbox' },
      });
      expect(await context.releases(b)).toEqual(
        await context.releases(restarted),
      );
    });

    it('keeps a failed restore on every replica and after a restart, with nothing to roll forward', async () => {
      const context = await rolledBackOnTwoReplicas(1, 'failed');
      const { a, b, release, latest, forward, events } = context;
      // the rolled-back version never stopped running
      for (const provider of [b, a]) {
        expect(await forward(provider)).toEqual({
          message: `checkout already runs ${release.version}; nothing to do`,
        });
      }
      expect(await events()).toEqual([
        { kind: 'action', release_id: release.providerReleaseId },
      ]);
      expect((await latest(context.replica())).message).toMatch(
        new RegExp(
          `no longer starts.*\\(simulated\\): its pods never became ready; ${release.version.replace(
            /\./g,
            '\\.',
          )} still serves all traffic$`,
        ),
      );
    });

    it('refuses on one replica what another made impossible', async () => {
      const { replica, act, duringTheNextRelease } = await setup(databaseId);
      const a = replica();
      const b = replica();
      const release = await duringTheNextRelease(a);
      await act(b, release, 'abort');
      await expect(act(a, release, 'promote')).rejects.toThrow(
        /aborted release cannot be promoted/,
      );
    });

    it('shares a drill fault between replicas', async () => {
      const { replica, setNow, releases } = await setup(databaseId);
      const a = replica();
      const b = replica();
      await releases(b);
      await a.injectFault({
        target: target('checkout'),
        fault: 'latency',
        reason: 'game day',
        actor: { kind: 'user', ref: 'user:default/ada' },
      });
      const all = await releases(a);
      const next =
        all[all.length - 1].startedAt.getTime() +
        SANDBOX_DEFAULTS.releaseIntervalMs;
      setNow(next + 10 * S);
      for (const provider of [b, a, replica()]) {
        const latest = (await releases(provider)).pop()!;
        expect(latest.startedAt.getTime()).toBe(next);
        expect(provider.getSimulation(latest.providerReleaseId).fault).toEqual({
          kind: 'latency',
          addedLatencyMs: 500,
        });
      }
    });

    it('reads metrics after what another replica did', async () => {
      const { replica, setNow, act, releases, duringTheNextRelease } =
        await setup(databaseId);
      const a = replica();
      const b = replica();
      const release = await duringTheNextRelease(a);
      await releases(b);
      await act(a, release, 'abort');
      const start = release.startedAt.getTime();
      setNow(start + 2 * MINUTE);
      const reading = await b.metricsProvider().readMetrics({
        target: {
          entityRef: 'component:default/checkout',
          rolloutProvider: 'sandbox',
          providerReleaseId: release.providerReleaseId,
          selector: 'checkout',
        },
        from: new Date(start + 60 * S),
        to: new Date(start + 2 * MINUTE),
      } as any);
      expect(reading).toMatchObject({ status: 'ok', canary: { requests: 0 } });
    });

    it('walks its migrations up and down, apart from the backend', async () => {
      const knex: Knex = await databases.init(databaseId);
      const directory = sandboxMigrationsDirectory();
      // (The Glidepath backend's own migrations, from the monorepo.)
      const backend = path.resolve(
        __dirname,
        '../../glidepath-backend/migrations',
      );
      // The Glidepath backend migrated first, with knex's default table.
      await knex.migrate.latest({ directory: backend });
      const config = { directory, tableName: SANDBOX_MIGRATIONS_TABLE };
      const exist = () => Promise.all(TABLES.map(t => knex.schema.hasTable(t)));
      await expect(exist()).resolves.toEqual(TABLES.map(() => false));
      await knex.migrate.latest(config);
      await expect(exist()).resolves.toEqual(TABLES.map(() => true));
      const [, pending] = await knex.migrate.list(config);
      expect(pending).toEqual([]);
      // and the backend's migrations still see only theirs
      await knex.migrate.latest({ directory: backend });
      const [, theirs] = await knex.migrate.list({ directory: backend });
      expect(theirs).toEqual([]);
      await knex.migrate.rollback(config, true);
      await expect(exist()).resolves.toEqual(TABLES.map(() => false));
      await knex.migrate.latest(config);
      await expect(exist()).resolves.toEqual(TABLES.map(() => true));
    });

    it('leaves the tables alone when the backend skips migrations', async () => {
      const knex: Knex = await databases.init(databaseId);
      const provider = new SandboxRolloutProvider({
        ...SANDBOX_DEFAULTS,
        database: { getClient: async () => knex, migrations: { skip: true } },
      });
      await provider.ready();
      await expect(
        knex.schema.hasTable('glidepath_sandbox_events'),
      ).resolves.toBe(false);
    });
  });
});
