import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  LifecycleServiceShutdownHook,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { openGlidepathDatabase } from './database';
import { scheduleLeasedTask } from './leasedTask';
import { DatabaseTaskLeases } from './taskLeases';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('task leases (%s)', databaseId => {
  let knex: Knex;
  beforeAll(async () => {
    knex = await openGlidepathDatabase({
      database: mockServices.database({
        knex: await databases.init(databaseId),
        migrations: { skip: false },
      }),
    });
  });
  afterEach(async () => {
    await knex('glidepath_task_leases').delete();
  });

  it('lets one replica hold a task, and another take it once the holder stops renewing', async () => {
    let now = Date.parse('2026-12-06T10:00:00.000Z');
    const clock = () => new Date(now);
    const a = new DatabaseTaskLeases(knex, 'replica-a', clock);
    const b = new DatabaseTaskLeases(knex, 'replica-b', clock);
    const at = (ms: number) => {
      now = Date.parse('2026-12-06T10:00:00.000Z') + ms;
    };

    expect(await a.acquire('sync', 4_000)).toBe(true);
    at(1_000);
    expect(await b.acquire('sync', 4_000)).toBe(false);
    at(3_000);
    expect(await a.renew('sync', 4_000)).toBe(true); // until 7 s
    expect(await a.acquire('sync', 4_000)).toBe(true); // the holder keeps it
    at(6_000);
    expect(await b.acquire('sync', 4_000)).toBe(false);
    expect(await a.holder('sync')).toBe('replica-a');
    // replica-a dies at 6 s: its lease runs out at 10 s.
    at(10_001);
    expect(await a.holder('sync')).toBeUndefined();
    expect(await b.acquire('sync', 4_000)).toBe(true);
    // Back from the dead, replica-a has lost it.
    at(10_500);
    expect(await a.renew('sync', 4_000)).toBe(false);
    expect(await a.acquire('sync', 4_000)).toBe(false);
    // Leases of other tasks are their own.
    expect(await a.acquire('analysis', 4_000)).toBe(true);
    // replica-b shuts down and gives it up: replica-a takes it at once.
    await b.release('sync');
    expect(await a.acquire('sync', 4_000)).toBe(true);
  });

  it('runs scheduled work on the replica holding the lease only, and hands it over on shutdown', async () => {
    const ran: string[] = [];
    const replica = async (name: string) => {
      let tick: SchedulerServiceTaskFunction | undefined;
      const hooks: LifecycleServiceShutdownHook[] = [];
      await scheduleLeasedTask(
        {
          scheduler: mockServices.scheduler.mock({
            scheduleTask: async task => {
              expect(task.scope).toBe('local');
              tick = task.fn as SchedulerServiceTaskFunction;
            },
          }),
          lifecycle: {
            addStartupHook: () => {},
            addShutdownHook: (hook: LifecycleServiceShutdownHook) => {
              hooks.push(hook);
            },
          } as any,
          leases: new DatabaseTaskLeases(knex, name),
          logger: mockServices.logger.mock(),
        },
        {
          id: 'glidepath-release-sync',
          schedule: { frequency: { seconds: 10 }, timeout: { minutes: 1 } },
          fn: async () => {
            ran.push(name);
          },
        },
      );
      return {
        tick: () => tick!(new AbortController().signal),
        shutdown: () => Promise.all(hooks.map(h => (h as () => void)())),
      };
    };
    const a = await replica('replica-a');
    const b = await replica('replica-b');
    await a.tick();
    await b.tick();
    await a.tick();
    await b.tick();
    expect(ran).toEqual(['replica-a', 'replica-a']);
    await a.shutdown();
    await b.tick();
    await a.tick(); // replica-b holds it now
    expect(ran).toEqual(['replica-a', 'replica-a', 'replica-b']);
    await b.shutdown();
  });
});
