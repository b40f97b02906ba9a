/*
 * Two replicas of the real demo backend, as separate processes on one
 * PostgreSQL database (issue 25). Rollbacks of one release sent to both with
 * different Idempotency-Keys reach the sandbox once. Then the replica
 * running the release sync and the canary analysis is killed with SIGKILL
 * (no shutdown, no lease given up); the other must take both over within
 * 15 s (107 s before).
 */
import { randomUUID } from 'crypto';
import { Client } from 'pg';
import {
  postgresUrl,
  RunningBackend,
  signInGuest,
  startBackend,
} from './__testUtils__/backendProcess';
import {
  glidepathApi,
  journalRollbacks,
  postRollback,
} from './__testUtils__/glidepathApi';
import { waitFor } from './__testUtils__/waitFor';

jest.setTimeout(240_000);

const pgUrl = postgresUrl();
const prefix = `glidepath_replicas_${process.pid}_`;
const TASKS = ['glidepath-release-sync', 'glidepath-release-analysis'];

/*
 * These services' trains are pinned (one succeeded release each that can be
 * rolled back and does not move by itself); the guest's team may act on
 * them. One round of rollbacks each.
 */
const PINNED = [
  'cart-service',
  'checkout-service',
  'inventory-service',
  'order-service',
  'pricing-service',
];
const config = {
  permission: {
    adminGroups: [
      'group:default/release-admins',
      'group:default/team-checkout',
    ],
  },
  glidepath: {
    sandbox: {
      pinnedReleases: Object.fromEntries(
        PINNED.map(name => [name, ['1.0.0', '1.1.0']]),
      ),
      history: { enabled: false },
    },
  },
};

/** The pid in a lease owner (`host:pid:id`). */
const pidOf = (owner: string) => Number(owner.split(':')[1]);

(pgUrl ? describe : describe.skip)('two replicas on PostgreSQL', () => {
  const replicas: RunningBackend[] = [];
  let db: Client;

  beforeAll(async () => {
    const database = { client: 'pg', connection: pgUrl, prefix };
    // One after the other: the first creates the databases and migrates.
    replicas.push(await startBackend(database, { config }));
    replicas.push(await startBackend(database, { config }));
    // Glidepath's database, as the backend names it (prefix + plugin id).
    const url = new URL(pgUrl!);
    url.pathname = `/${prefix}glidepath`;
    db = new Client({ connectionString: url.toString() });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await Promise.all(replicas.map(r => r.stop()));
    if (!pgUrl) return;
    const admin = new Client({ connectionString: pgUrl });
    await admin.connect();
    const { rows } = await admin.query(
      'select datname from pg_database where datname like $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.query(`drop database if exists "${datname}" with (force)`);
    }
    await admin.end();
  });

  /** Each task's holder now, by pid, as the lease table says. */
  async function holders(): Promise<Map<string, number>> {
    const { rows } = await db.query(
      'select name, owner from glidepath_task_leases where owner is not null and expires_at >= now()',
    );
    return new Map(rows.map(r => [r.name as string, pidOf(r.owner)]));
  }

  it('reaches the provider once for rollbacks sent to both replicas with different keys', async () => {
    const tokens = await Promise.all(replicas.map(r => signInGuest(r)));
    const api = (i: number, path: string) =>
      glidepathApi(replicas[i], tokens[i], path);
    const outcomes: string[] = [];
    for (const name of PINNED) {
      const summary = await replicas[0].waitUntil(
        `${name}'s pinned release`,
        async () => {
          const { body } = await api(0, `/entities/component/default/${name}`);
          return body.allowedActions?.includes('rollback') ? body : undefined;
        },
      );
      const release = summary.current;
      const answers = await Promise.all(
        replicas.map((replica, i) =>
          postRollback(replica, tokens[i], release.id, randomUUID()),
        ),
      );
      // The later request is refused when the release is rolled back by
      // then, or accepted and done without a second call when it is not.
      const accepted = answers.filter(a => a.status === 202);
      expect(accepted.length).toBeGreaterThan(0);
      for (const refused of answers.filter(a => a.status !== 202)) {
        expect(refused.status).toBe(409);
        expect(refused.body.error.message).toMatch(/rolled back/);
      }
      const ended = await Promise.all(
        accepted.map(a =>
          replicas[0].waitUntil(`action ${a.body.id} to end`, async () => {
            const { body } = await api(0, `/actions/${a.body.id}`);
            return ['succeeded', 'failed'].includes(body.state)
              ? body.state
              : undefined;
          }),
        ),
      );
      expect(ended).toEqual(accepted.map(() => 'succeeded'));
      expect(await journalRollbacks(db, release.providerRef)).toBe(1);
      outcomes.push(answers.map(a => a.status).join('+'));
    }
    // eslint-disable-next-line no-console
    console.log(
      `Glidepath replicas: rollbacks through both replicas (${outcomes.join(
        ', ',
      )}), one provider call each`,
    );
  });

  it('takes the sync and the analysis over within 15 s of the holder being killed', async () => {
    const pids = replicas.map(r => r.child.pid!);
    // Both tasks are held, by one of the two.
    const before = await waitFor('both tasks held', async () => {
      const now = await holders();
      return TASKS.every(t => pids.includes(now.get(t)!)) ? now : undefined;
    });
    const victimPid = before.get('glidepath-release-sync')!;
    const victim = replicas.find(r => r.child.pid === victimPid)!;
    const survivorPid = pids.find(p => p !== victimPid)!;

    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    const tookOver = await waitFor(
      'the survivor holding both tasks and syncing',
      async () => {
        const now = await holders();
        if (!TASKS.every(t => now.get(t) === survivorPid)) return undefined;
        const { rows } = await db.query(
          'select max(last_attempt_at) as at from entity_sync_state',
        );
        return new Date(rows[0].at).getTime() > killedAt
          ? Date.now()
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const seconds = (tookOver - killedAt) / 1000;
    // eslint-disable-next-line no-console
    console.log(
      `Glidepath replicas: sync and analysis taken over ${seconds.toFixed(
        1,
      )} s after SIGKILL`,
    );
    expect(seconds).toBeLessThan(15);
  });
});
