import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { LeasedTaskServices, scheduleLeasedTask } from '../shared/leasedTask';
import type { ReleaseSync } from './ReleaseSync';

/**
 * The release sync on its configured schedule, by one replica at a time
 * with a quick takeover (see scheduleLeasedTask).
 */
export async function scheduleReleaseSync(
  services: LeasedTaskServices,
  options: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    sync: ReleaseSync;
  },
) {
  const { logger } = services;
  const { sync } = options;
  await scheduleLeasedTask(services, {
    id: 'glidepath-release-sync',
    schedule: options.schedule,
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
