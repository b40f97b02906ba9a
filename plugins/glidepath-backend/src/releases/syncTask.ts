import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { ReleaseSync } from './ReleaseSync';

/** The release sync, once across replicas on its configured schedule. */
export async function scheduleReleaseSync(options: {
  scheduler: SchedulerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  sync: ReleaseSync;
  logger: LoggerService;
}) {
  const { scheduler, schedule, sync, logger } = options;
  await scheduler.scheduleTask({
    id: 'glidepath-release-sync',
    scope: 'global',
    ...schedule,
    fn: async () => {
      const report = await sync.syncAll();
      if (report.failedProviders.length || report.releasesChanged) {
        logger.debug(
          `Glidepath sync: ${report.entities} entities, ${
            report.releasesChanged
          } releases changed, failed providers: ${
            report.failedProviders.join(', ') || 'none'
          }`,
        );
      }
    },
  });
}
