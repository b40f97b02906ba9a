import type { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import type {
  ObservedRelease,
  RolloutTarget,
  StartReleaseRequest,
} from '@glidepath/backstage-plugin-node';
import { SANDBOX_DEFAULTS } from './config';
import { SandboxRolloutProvider } from './SandboxRolloutProvider';

/*
 * `startRelease` on a database: what replicas and a restarted backend see
 * of a release started on request, and that a key is spent for good.
 */

jest.setTimeout(60_000);

const T0 = Date.parse('2026-03-02T10:00:00Z');
const S = 1000;
const MINUTE = 60 * S;

const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout' },
  spec: { owner: 'team-a' },
};

function target(ref = 'checkout'): RolloutTarget {
  return {
    entityRef: 'component:default/checkout',
    ref,
    environment: 'production',
    entity: ENTITY,
  };
}

describe('starting sandbox releases on a database', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      const database: DatabaseService = { getClient: async () => knex };
      let now = T0;
      const replica = () =>
        new SandboxRolloutProvider({
          ...SANDBOX_DEFAULTS,
          seed: 'starts',
          faultRate: 0,
          now: () => new Date(now),
          database,
        });
      const releases = async (provider: SandboxRolloutProvider) => {
        const [rollout] = await provider.listRollouts([target()]);
        if (!('releases' in rollout)) throw new Error(rollout.error);
        return rollout.releases;
      };
      const latest = async (provider: SandboxRolloutProvider) => {
        const all = await releases(provider);
        return all[all.length - 1];
      };
      const start = (
        provider: SandboxRolloutProvider,
        overrides: Partial<StartReleaseRequest> = {},
      ) =>
        provider.startRelease({
          target: target(),
          version: '7.0.0',
          idempotencyKey: 'plan-9/member-checkout/start',
          reason: 'release plan 9, wave 1',
          actor: { kind: 'user', ref: 'user:default/ada' },
          signal: new AbortController().signal,
          ...overrides,
        });
      const setNow = (time: number) => {
        now = time;
      };
      return { knex, replica, releases, latest, start, setNow };
    }

    it('starts a release that every replica reports, and a restarted backend too', async () => {
      const { replica, releases, latest, start, setNow } = await setup();
      const a = replica();
      const b = replica();
      await releases(a);
      await releases(b);
      setNow(T0 + 30 * S);
      await expect(start(a)).resolves.toEqual({
        message: expect.stringMatching(
          /^Started 7\.0\.0 as checkout@7\.0\.0\+start\.1/,
        ),
      });
      const started: ObservedRelease = await latest(b);
      expect(started).toMatchObject({
        providerReleaseId: 'checkout@7.0.0+start.1',
        version: '7.0.0',
        phase: 'progressing',
        startedAt: new Date(T0 + 30 * S),
        startedBy: { kind: 'user', ref: 'user:default/ada' },
      });
      for (const offset of [45 * S, 10 * MINUTE, 50 * MINUTE]) {
        setNow(T0 + offset);
        const restarted = replica();
        expect(await releases(restarted)).toEqual(await releases(a));
        expect(await releases(b)).toEqual(await releases(a));
      }
      // It succeeded; the train left checkout alone for the hour after.
      expect(await latest(a)).toMatchObject({
        providerReleaseId: 'checkout@7.0.0+start.1',
        phase: 'succeeded',
      });
    });

    it('starts once per key, on any replica, after a restart', async () => {
      const { knex, replica, releases, start, setNow } = await setup();
      const a = replica();
      await releases(a);
      setNow(T0 + 30 * S);
      await start(a);
      // Long after, the version moved on: a retry with the key after a
      // restart, on another replica, starts nothing.
      setNow(T0 + 3 * 60 * MINUTE);
      const restarted = replica();
      await expect(start(restarted, { version: '7.0.1' })).resolves.toEqual({
        message:
          'A start with the idempotency key "plan-9/member-checkout/start" was done before; nothing to do',
      });
      await expect(start(replica(), { version: '7.0.1' })).resolves.toEqual({
        message: expect.stringMatching(/was done before; nothing to do$/),
      });
      const all = await releases(restarted);
      expect(all.filter(r => r.version === '7.0.1')).toEqual([]);
      const rows = await knex('glidepath_sandbox_events')
        .where({ kind: 'start' })
        .select('idempotency_key', 'release_id');
      expect(rows).toEqual([
        { idempotency_key: 'plan-9/member-checkout/start', release_id: null },
      ]);
      // The key is unique in the journal: a second row cannot be written.
      const duplicate = await knex('glidepath_sandbox_events')
        .insert({
          seed: 'starts',
          service: 'checkout',
          kind: 'start',
          payload: '{}',
          at: T0,
          idempotency_key: 'plan-9/member-checkout/start',
        })
        .then(
          () => 'written',
          (error: unknown) => String(error),
        );
      expect(duplicate).toMatch(/unique|duplicate/i);
    });

    it('starts concurrently asked keys once each', async () => {
      const { replica, releases, start, setNow } = await setup();
      const a = replica();
      const b = replica();
      await releases(a);
      setNow(T0 + 30 * S);
      const results = await Promise.all([start(a), start(b), start(a)]);
      expect(
        results.filter(r => r.message!.startsWith('Started')),
      ).toHaveLength(1);
      expect(
        (await releases(b)).filter(r => r.providerReleaseId.includes('+start')),
      ).toHaveLength(1);
    });

    it("gives a drill's fault for the next release to the started one", async () => {
      const { replica, releases, start, setNow } = await setup();
      const a = replica();
      await releases(a);
      setNow(T0 + 10 * S);
      await a.injectFault({
        target: target(),
        fault: 'latency',
        reason: 'game day: wave 2 fails',
        actor: { kind: 'user', ref: 'user:default/ada' },
      });
      setNow(T0 + 20 * S);
      await start(a);
      setNow(T0 + 40 * S);
      const restarted = replica();
      await releases(restarted);
      expect(restarted.getSimulation('checkout@7.0.0+start.1').fault).toEqual({
        kind: 'latency',
        addedLatencyMs: 500,
      });
    });

    it('refuses a bad version or key with InputError, writing nothing', async () => {
      const { knex, replica, releases, start } = await setup();
      const a = replica();
      await releases(a);
      await expect(start(a, { version: '1.0.0 beta' })).rejects.toThrow(
        InputError,
      );
      await expect(start(a, { idempotencyKey: ' ' })).rejects.toThrow(
        'The idempotency key must be 1 to 255 characters, not blank',
      );
      await expect(
        a.startRelease({
          target: target('Not A Name'),
          version: '1.0.0',
          idempotencyKey: 'k',
          reason: '',
          actor: { kind: 'user', ref: 'user:default/ada' },
          signal: new AbortController().signal,
        }),
      ).rejects.toThrow(/is not a sandbox service name/);
      const [{ n }] = await knex('glidepath_sandbox_events').count({ n: '*' });
      expect(Number(n)).toBe(0);
    });
  });
});
