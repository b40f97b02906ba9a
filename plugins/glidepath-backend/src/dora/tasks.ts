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
  /**
   * Right after a start the catalog may not have its entities yet: how
   * often and how long the history import waits for a provider that
   * reports history to have some, before it tries again the next day.
   */
  targetsWait?: { intervalMs: number; attempts: number };
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
        await historyTargets(options),
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

/**
 * The targets whose history to import: once a provider that reports
 * history (`readHistory`) has entities in the catalog, or, after waiting
 * for one a while (`targetsWait`, 5 minutes unless given: the catalog may
 * still be reading its locations right after a start, and the next import
 * is a day later), the targets as they are then.
 */
export async function historyTargets(options: {
  targetsByProvider: () => Promise<ProviderTargets[]>;
  targetsWait?: { intervalMs: number; attempts: number };
}): Promise<ProviderTargets[]> {
  const { intervalMs, attempts } = options.targetsWait ?? {
    intervalMs: 10_000,
    attempts: 30,
  };
  let groups = await options.targetsByProvider();
  const ready = () =>
    groups.some(g => g.provider.readHistory && g.targets.length > 0);
  for (let attempt = 0; attempt < attempts && !ready(); attempt++) {
    await new Promise(resolve => setTimeout(resolve, intervalMs));
    groups = await options.targetsByProvider();
  }
  return groups;
}
