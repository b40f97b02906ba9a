import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { LeasedTaskServices, scheduleLeasedTask } from '../shared/leasedTask';
import type { GameDayService } from './GameDayService';

/**
 * Game days on their schedule (every 10 s by default), by one replica at a
 * time: the faults of the game days whose time has come become drills (once
 * each, keyed on the game day and fault), and the unfinished drills' timings
 * are read again from the stored releases, analyses and actions, written
 * conditionally. The times come from those records, so a takeover does not
 * skew them.
 */
export async function scheduleGameDays(
  services: LeasedTaskServices,
  options: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    gameDays: GameDayService;
  },
) {
  const { logger } = services;
  await scheduleLeasedTask(services, {
    id: 'glidepath-game-days',
    schedule: options.schedule,
    fn: async () => {
      const report = await options.gameDays.runOnce();
      if (report.started || report.measured) {
        logger.debug(
          `Glidepath game days: ${report.started} drills started, ${report.measured} measured`,
        );
      }
    },
  });
}
