import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { DoraConfig } from '../config';
import type { ProviderTargets } from '../releases/ReleaseSync';
import type { DoraIngestion } from './DoraIngestion';
import type { DoraWeeklyReports } from './DoraWeeklyReports';

const WEEKLY_REPORT_TASK = 'glidepath-dora-weekly-report';

/**
 * DORA's scheduled work, once across replicas: the weekly reports (when
 * enabled) and the daily import of the providers' deployment history,
 * which then writes any weekly report that is due.
 */
export async function scheduleDoraTasks(options: {
  scheduler: SchedulerService;
  settings: DoraConfig;
  ingestion: DoraIngestion;
  reports: DoraWeeklyReports;
  /** The entities of each rollout provider, whose history is imported. */
  targetsByProvider: () => Promise<ProviderTargets[]>;
  logger: LoggerService;
}) {
  const { scheduler, settings, ingestion, reports, logger } = options;
  const reportsEnabled = settings.weeklyReport.enabled;
  if (reportsEnabled) {
    await scheduler.scheduleTask({
      id: WEEKLY_REPORT_TASK,
      scope: 'global',
      ...settings.weeklyReport.schedule,
      fn: async () => {
        const { written, notified } = await reports.run();
        if (written) {
          logger.info(
            `Glidepath weekly reports: ${written} written, ${notified} teams notified`,
          );
        }
      },
    });
  }

  await scheduler.scheduleTask({
    id: 'glidepath-dora-history',
    scope: 'global',
    frequency: { hours: 24 },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 5 },
    fn: async () => {
      const imported = await ingestion.importHistory(
        await options.targetsByProvider(),
        settings.historyDays,
      );
      if (imported.created || imported.updated || imported.deleted) {
        logger.info(
          `Glidepath DORA history: ${imported.created} events recorded, ${imported.updated} updated, ${imported.deleted} deleted, from ${imported.providers} providers`,
        );
      }
      // Then the weekly reports, once: a week missed while the backend
      // was down (or a new installation's past weeks, with the history
      // just read) is written without waiting for Monday. Writing is
      // idempotent per team and week.
      if (reportsEnabled) {
        await Promise.resolve()
          .then(() => scheduler.triggerTask(WEEKLY_REPORT_TASK))
          .catch(error =>
            logger.debug(`Glidepath weekly reports not triggered: ${error}`),
          );
      }
    },
  });
}
