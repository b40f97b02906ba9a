import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  invalidConfigValue,
  readConfigDurationMs,
} from '@glidepath/backstage-plugin-node';
import { DEFAULT_FLAG_LIFETIMES, DEFAULT_FLAG_RULES, FlagRules } from './rules';

/** Feature-flag governance settings, `glidepath.flags`. */
export type FlagsConfig = {
  rules: FlagRules;
  sync: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    /** How long one provider may take for one page. */
    providerTimeoutMs: number;
    /** Flags asked for per page. */
    pageSize: number;
  };
  cleanup: {
    enabled: boolean;
    /** Only report: nothing is announced or archived. */
    dryRun: boolean;
    /** Days between a stale flag's announcement and its archiving. */
    gracePeriodDays: number;
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
};

const FLAGS = 'glidepath.flags';

const DEFAULT_FLAG_CLEANUP_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { cron: '0 8 * * *' },
  timeout: { minutes: 30 },
  initialDelay: { minutes: 2 },
};

const DEFAULT_FLAG_SYNC_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 10 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 15 },
};

function readWholeNumber(
  config: Config | undefined,
  key: string,
  fallback: number,
  range: { min: number; max: number },
): number {
  if (!config?.has(key)) return fallback;
  const value = config.get(key);
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < range.min ||
    value > range.max
  ) {
    throw invalidConfigValue(
      FLAGS,
      key,
      `a whole number from ${range.min} to ${range.max}`,
      value,
    );
  }
  return value;
}

function readLifetimes(
  config: Config | undefined,
): ReadonlyMap<string, number | null> {
  const lifetimes = new Map(DEFAULT_FLAG_LIFETIMES);
  const section = config?.getOptionalConfig('lifetimes');
  for (const type of section?.keys() ?? []) {
    const value = section!.get(type);
    const key = `lifetimes.${type}`;
    if (value === 'permanent') {
      lifetimes.set(type.toLowerCase(), null);
    } else if (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= 1 &&
      value <= 3650
    ) {
      lifetimes.set(type.toLowerCase(), value);
    } else {
      throw invalidConfigValue(
        FLAGS,
        key,
        "a number of days from 1 to 3650, or 'permanent'",
        value,
      );
    }
  }
  return lifetimes;
}

/** Reads `glidepath.flags`, every value defaulted. */
export function readFlagsConfig(config: Config | undefined): FlagsConfig {
  const rules: FlagRules = {
    lifetimes: readLifetimes(config),
    temporaryLifetimeDays: readWholeNumber(
      config,
      'temporaryLifetimeDays',
      DEFAULT_FLAG_RULES.temporaryLifetimeDays,
      { min: 1, max: 3650 },
    ),
    dueSoonDays: readWholeNumber(
      config,
      'dueSoonDays',
      DEFAULT_FLAG_RULES.dueSoonDays,
      { min: 0, max: 365 },
    ),
    launchedAfterDays: readWholeNumber(
      config,
      'launchedAfterDays',
      DEFAULT_FLAG_RULES.launchedAfterDays,
      { min: 1, max: 365 },
    ),
    inactiveAfterDays: readWholeNumber(
      config,
      'inactiveAfterDays',
      DEFAULT_FLAG_RULES.inactiveAfterDays,
      { min: 1, max: 365 },
    ),
  };
  const sync = config?.getOptionalConfig('sync');
  const cleanup = config?.getOptionalConfig('cleanup');
  return {
    rules,
    cleanup: {
      enabled: cleanup?.getOptionalBoolean('enabled') ?? true,
      dryRun: cleanup?.getOptionalBoolean('dryRun') ?? true,
      gracePeriodDays: readWholeNumber(config, 'cleanup.gracePeriodDays', 14, {
        min: 1,
        max: 365,
      }),
      schedule: cleanup?.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            cleanup.getConfig('schedule'),
          )
        : DEFAULT_FLAG_CLEANUP_SCHEDULE,
    },
    sync: {
      schedule: sync?.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            sync.getConfig('schedule'),
          )
        : DEFAULT_FLAG_SYNC_SCHEDULE,
      providerTimeoutMs: sync
        ? readConfigDurationMs(sync, 'providerTimeout', {
            prefix: `${FLAGS}.sync`,
            fallbackMs: 30_000,
          })
        : 30_000,
      pageSize: readWholeNumber(config, 'sync.pageSize', 500, {
        min: 1,
        max: 10_000,
      }),
    },
  };
}
