import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readConfigDurationMs } from '@glidepath/backstage-plugin-node';

/** Release plans, `glidepath.plans`. */
export type PlansConfig = {
  /** How long a release the provider accepted may take to show up. */
  startTimeoutMs: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
};

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 2 },
  timeout: { minutes: 2 },
  initialDelay: { seconds: 3 },
};

/** Reads `glidepath.plans`. */
export function readPlansConfig(config: Config | undefined): PlansConfig {
  return {
    startTimeoutMs: config
      ? readConfigDurationMs(config, 'startTimeout', {
          prefix: 'glidepath.plans',
          fallbackMs: 10 * 60_000,
          minMs: 1_000,
        })
      : 10 * 60_000,
    schedule: config?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
  };
}
