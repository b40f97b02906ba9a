/*
 * Two replicas of the real demo backend, as separate processes on one
 * PostgreSQL database. The one running the release sync and the canary
 * analysis is killed with SIGKILL (no shutdown, no lease given up); the
 * other must take both over within 15 s (issue 25: 107 s before).
 */
import { Client } from 'pg';
import {
  postgresUrl,
  RunningBackend,
  startBackend,
} from './__testUtils__/backendProcess';
import { waitFor } from './__testUtils__/waitFor';

jest.setTimeout(240_000);

const pgUrl = postgresUrl();
const prefix = `glidepath_replicas_${process.pid}_`;
const TASKS = ['glidepath-release-sync', 'glidepath-release-analysis'];

/** The pid in a lease owner (`host:pid:id`). */
const pidOf = (owner: string) => Number(owner.split(':')[1]);

(pgUrl ? describe : describe.skip)('two replicas on PostgreSQL', () => {
  const replicas: RunningBackend[] = [];
  let db: Client;

  beforeAll(async () => {
    const database = { client: 'pg', connection: pgUrl, prefix };
    // One after the other: the first creates the databases and migrates.
    replicas.push(await startBackend(database));
    replicas.push(await startBackend(database));
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
