import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

/** Game days, `glidepath.gameDays`. */
export type GameDaysConfig = {
  /** How often due game days start their drills and drills are measured. */
  schedule: SchedulerServiceTaskScheduleDefinition;
};

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 10 },
  timeout: { minutes: 1 },
  initialDelay: { seconds: 5 },
};

/** Reads `glidepath.gameDays` (the root config's). */
export function readGameDaysConfig(rootConfig: Config): GameDaysConfig {
  const config = rootConfig.getOptionalConfig('glidepath.gameDays');
  return {
    schedule: config?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
  };
}
