import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { FlagCleanup } from './FlagCleanup';

/** The id of the flag cleanup among the scheduler's tasks. */
export const FLAG_CLEANUP_TASK = 'glidepath-flag-cleanup';

/** The automated flag cleanup on its schedule, once across replicas. */
export async function scheduleFlagCleanup(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  cleanup: FlagCleanup;
}) {
  const { scheduler, logger, cleanup } = options;
  await scheduler.scheduleTask({
    ...options.schedule,
    id: FLAG_CLEANUP_TASK,
    scope: 'global',
    fn: async () => {
      const report = await cleanup.run();
      const would = report.dryRun ? 'would have ' : '';
      logger.info(
        `Glidepath flag cleanup${
          report.dryRun ? ' (dry run)' : ''
        }: ${would}announced ${report.announced.length} stale flags (${
          report.notified.length
        } owners told), ${would}archived ${report.archived.length}${
          report.archived.length ? ` (${report.archived.join(', ')})` : ''
        }; ${report.waiting} in their grace period, ${
          report.skipped.length
        } left alone, ${report.failed.length} failed${
          report.failed.length
            ? ` (${report.failed
                .map(f => `${f.flag}: ${f.reason}`)
                .join('; ')})`
            : ''
        }`,
      );
    },
  });
}
