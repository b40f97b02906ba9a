import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { LeasedTaskServices, scheduleLeasedTask } from '../shared/leasedTask';
import type { AnalysisEngine } from './AnalysisEngine';

/**
 * The analysis engine on its configured schedule, by one replica at a time
 * with a quick takeover (see scheduleLeasedTask): automatic rollback is
 * blind only for seconds when a replica dies.
 */
export async function scheduleAnalysis(
  services: LeasedTaskServices,
  options: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    engine: AnalysisEngine;
  },
) {
  const { logger } = services;
  const { engine } = options;
  await scheduleLeasedTask(services, {
    id: 'glidepath-release-analysis',
    schedule: options.schedule,
    fn: async () => {
      const report = await engine.evaluateAll();
      if (report.evaluated || report.skipped) {
        logger.debug(
          `Glidepath analysis: ${
            report.evaluated
          } releases judged (${JSON.stringify(report.decisions)}), ${
            report.skipped
          } skipped`,
        );
      }
    },
  });
}
