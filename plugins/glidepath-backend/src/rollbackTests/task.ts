import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { LeasedTaskServices, scheduleLeasedTask } from '../shared/leasedTask';
import type { RollbackTestService } from './RollbackTestService';

/**
 * Rollback tests on their schedule (every 10 s by default), by one replica
 * at a time with a quick takeover: a test's timings are read from the
 * provider's release times, so a takeover does not skew them, and every
 * step is written conditionally.
 */
export async function scheduleRollbackTests(
  services: LeasedTaskServices,
  options: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    tests: RollbackTestService;
  },
) {
  const { logger } = services;
  await scheduleLeasedTask(services, {
    id: 'glidepath-rollback-tests',
    schedule: options.schedule,
    fn: async () => {
      const report = await options.tests.runOnce();
      if (report.started || report.advanced) {
        logger.debug(
          `Glidepath rollback tests: ${report.started} started, ${report.advanced} moved on`,
        );
      }
    },
  });
}
