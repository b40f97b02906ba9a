import type {
  LifecycleService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskFunction,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { renewLeaseEvery } from './renewLease';
import type { DatabaseTaskLeases } from './taskLeases';

/** What leased tasks are scheduled with. */
export type LeasedTaskServices = {
  scheduler: SchedulerService;
  lifecycle: LifecycleService;
  leases: DatabaseTaskLeases;
  logger: LoggerService;
};

/**
 * How long a replica's lease on a task lasts without renewal: a replica
 * that dies leaves its tasks to the others after this much, plus at most
 * one period of the task.
 */
export const TASK_LEASE_MS = 4_000;

/**
 * Schedules frequent work that one replica does at a time, with a quick
 * takeover when that replica dies. Every replica runs the task's timer on
 * the configured schedule (local scope); at each run, the replica that holds
 * the task's lease (or takes it, when nobody holds a live one) does the
 * work, and a holder keeps its lease fresh in the background while it
 * lives. So after a crash the next replica takes over within the lease
 * (4 s) plus one period (10 s by default), where Backstage's global tasks
 * wait for their timeout and the scheduler's one-minute janitor. On a
 * normal shutdown the holder gives the lease up at once.
 */
export async function scheduleLeasedTask(
  services: LeasedTaskServices,
  options: {
    id: string;
    schedule: SchedulerServiceTaskScheduleDefinition;
    fn: SchedulerServiceTaskFunction;
    leaseMs?: number;
  },
): Promise<void> {
  const { scheduler, leases, logger, lifecycle } = services;
  const { id } = options;
  const leaseMs = options.leaseMs ?? TASK_LEASE_MS;
  let held = false;
  const stopRenewing = renewLeaseEvery({
    leaseMs,
    renew: async () => held && leases.renew(id, leaseMs),
    onLost: () => {
      held = false;
    },
    what: id,
    logger,
  });
  lifecycle.addShutdownHook(async () => {
    stopRenewing();
    if (held) {
      held = false;
      await leases.release(id).catch(() => {
        // The lease runs out by itself.
      });
    }
  });

  await scheduler.scheduleTask({
    ...options.schedule,
    id,
    scope: 'local',
    fn: async signal => {
      held = await leases.acquire(id, leaseMs);
      if (!held) return;
      await options.fn(signal);
    },
  });
}
