import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { AnalysisEngine } from './AnalysisEngine';

/** The analysis engine, once across replicas on its configured schedule. */
export async function scheduleAnalysis(options: {
  scheduler: SchedulerService;
  schedule: SchedulerServiceTaskScheduleDefinition;
  engine: AnalysisEngine;
  logger: LoggerService;
}) {
  const { scheduler, schedule, engine, logger } = options;
  await scheduler.scheduleTask({
    id: 'glidepath-release-analysis',
    scope: 'global',
    ...schedule,
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
