import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { FlagSync } from './FlagSync';

/** The id of the flag inventory sync among the scheduler's tasks. */
export const FLAG_SYNC_TASK = 'glidepath-flag-sync';

/**
 * The flag inventory sync on its configured schedule, once across all
 * replicas (the scheduler's global scope: it runs every few minutes, so a
 * takeover after a crash may wait for the task's timeout).
 */
export async function scheduleFlagSync(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  sync: FlagSync;
}) {
  const { scheduler, logger, sync } = options;
  await scheduler.scheduleTask({
    ...options.schedule,
    id: FLAG_SYNC_TASK,
    scope: 'global',
    fn: async () => {
      const started = Date.now();
      const report = await sync.syncAll();
      const failed = report.failedTargets.length
        ? `; failed: ${report.failedTargets.join(', ')}`
        : '';
      logger.info(
        `Glidepath flag sync: ${report.flags} flags of ${
          report.entities
        } entities in ${Date.now() - started} ms${failed}`,
      );
    },
  });
}
