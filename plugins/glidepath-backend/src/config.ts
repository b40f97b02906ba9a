import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/** Glidepath backend settings, read once at startup. */
export type GlidepathBackendConfig = {
  syncSchedule: SchedulerServiceTaskScheduleDefinition;
  providerTimeoutMs: number;
  actionTimeoutMs: number;
};

const DEFAULT_SYNC_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 10 },
  timeout: { minutes: 1 },
  initialDelay: { seconds: 2 },
};

function readDurationMs(
  config: Config,
  key: string,
  fallback: HumanDuration,
): number {
  return durationToMilliseconds(
    config.has(key) ? readDurationFromConfig(config, { key }) : fallback,
  );
}

export function readGlidepathBackendConfig(
  rootConfig: Config,
): GlidepathBackendConfig {
  const config = rootConfig.getOptionalConfig('glidepath');
  if (!config) {
    return {
      syncSchedule: DEFAULT_SYNC_SCHEDULE,
      providerTimeoutMs: 20_000,
      actionTimeoutMs: 30_000,
    };
  }
  return {
    syncSchedule: config.has('sync.schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('sync.schedule'),
        )
      : DEFAULT_SYNC_SCHEDULE,
    providerTimeoutMs: readDurationMs(config, 'sync.providerTimeout', {
      seconds: 20,
    }),
    actionTimeoutMs: readDurationMs(config, 'actions.timeout', {
      seconds: 30,
    }),
  };
}
