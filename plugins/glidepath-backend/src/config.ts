import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  invalidConfigValue,
  readConfigDurationMs,
} from '@glidepath/backstage-plugin-node';
import { DEFAULT_POLICY, JudgePolicy } from './analysis/judge';
import { FlagsConfig, readFlagsConfig } from './flags/config';
import type { EnvironmentDefinition } from '@glidepath/backstage-plugin-common';
import { readEnvironmentsConfig } from './environments/config';
import {
  readRollbackTestsConfig,
  RollbackTestsConfig,
} from './rollbackTests/config';

/** The analysis engine's settings. */
export type AnalysisConfig = {
  enabled: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  metricsTimeoutMs: number;
  /** The policies by name; always has `default`. */
  policies: Map<string, JudgePolicy>;
};

/** Glidepath backend settings, read once at startup. */
export type GlidepathBackendConfig = {
  syncSchedule: SchedulerServiceTaskScheduleDefinition;
  providerTimeoutMs: number;
  actionTimeoutMs: number;
  /** Service principals (subjects) that may steer releases without a user. */
  releaseControlServices: string[];
  /**
   * How old the shared catalog snapshot of the dependency graph may be
   * before a request refreshes it; 0 reads the catalog on every request.
   */
  graphCatalogCacheMs: number;
  /** The organisation's environments, in promotion order. */
  environments: EnvironmentDefinition[];
  analysis: AnalysisConfig;
  dora: DoraConfig;
  flags: FlagsConfig;
  rollbackTests: RollbackTestsConfig;
};

/** DORA's settings. */
export type DoraConfig = {
  /** Lower case. */
  productionEnvironments: string[];
  /** How far back provider history (readHistory) is read. */
  historyDays: number;
  /** Whether releases of simulated providers count. */
  countSimulatedReleases: boolean;
  weeklyReport: {
    enabled: boolean;
    schedule: SchedulerServiceTaskScheduleDefinition;
    backfillWeeks: number;
  };
};

const DEFAULT_WEEKLY_REPORT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { cron: '0 7 * * 1' },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 30 },
};

const GLIDEPATH = 'glidepath';
const ANALYSIS = 'glidepath.analysis';
const DORA = 'glidepath.dora';

function readDoraConfig(
  config: Config | undefined,
  environments: EnvironmentDefinition[],
): DoraConfig {
  const productionEnvironments =
    config?.getOptionalStringArray('productionEnvironments') ??
    environments.filter(e => e.production).map(e => e.name);
  if (
    productionEnvironments.length === 0 ||
    productionEnvironments.some(e => !e.trim())
  ) {
    throw invalidConfigValue(
      DORA,
      'productionEnvironments',
      'a non-empty list of environment names',
      productionEnvironments,
    );
  }
  const report = config?.getOptionalConfig('weeklyReport');
  const backfillWeeks = report?.getOptionalNumber('backfillWeeks') ?? 8;
  if (
    !Number.isInteger(backfillWeeks) ||
    backfillWeeks < 1 ||
    backfillWeeks > 52
  ) {
    throw invalidConfigValue(
      DORA,
      'weeklyReport.backfillWeeks',
      'a whole number from 1 to 52',
      backfillWeeks,
    );
  }
  const historyDays = config?.getOptionalNumber('historyDays') ?? 190;
  if (!Number.isInteger(historyDays) || historyDays < 1 || historyDays > 731) {
    throw invalidConfigValue(
      DORA,
      'historyDays',
      'a whole number from 1 to 731',
      historyDays,
    );
  }
  return {
    productionEnvironments: productionEnvironments.map(e =>
      e.trim().toLowerCase(),
    ),
    historyDays,
    countSimulatedReleases:
      config?.getOptionalBoolean('countSimulatedReleases') ?? false,
    weeklyReport: {
      enabled: report?.getOptionalBoolean('enabled') ?? true,
      schedule: report?.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            report.getConfig('schedule'),
          )
        : DEFAULT_WEEKLY_REPORT_SCHEDULE,
      backfillWeeks,
    },
  };
}

/** The graph's default catalog snapshot age. */
export const DEFAULT_GRAPH_CATALOG_CACHE_MS = 30_000;

const DEFAULT_ANALYSIS_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 10 },
  timeout: { minutes: 1 },
  initialDelay: { seconds: 5 },
};

const DEFAULT_SYNC_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 10 },
  timeout: { minutes: 1 },
  initialDelay: { seconds: 2 },
};

export function readGlidepathBackendConfig(
  rootConfig: Config,
): GlidepathBackendConfig {
  const config = rootConfig.getOptionalConfig('glidepath');
  const environments = readEnvironmentsConfig(config);
  if (!config) {
    return {
      environments,
      syncSchedule: DEFAULT_SYNC_SCHEDULE,
      providerTimeoutMs: 20_000,
      actionTimeoutMs: 30_000,
      releaseControlServices: [],
      graphCatalogCacheMs: DEFAULT_GRAPH_CATALOG_CACHE_MS,
      analysis: readAnalysisConfig(undefined),
      dora: readDoraConfig(undefined, environments),
      flags: readFlagsConfig(undefined),
      rollbackTests: readRollbackTestsConfig(undefined),
    };
  }
  return {
    analysis: readAnalysisConfig(config.getOptionalConfig('analysis')),
    environments,
    dora: readDoraConfig(config.getOptionalConfig('dora'), environments),
    flags: readFlagsConfig(config.getOptionalConfig('flags')),
    rollbackTests: readRollbackTestsConfig(
      config.getOptionalConfig('rollbackTests'),
    ),
    syncSchedule: config.has('sync.schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('sync.schedule'),
        )
      : DEFAULT_SYNC_SCHEDULE,
    providerTimeoutMs: readConfigDurationMs(config, 'sync.providerTimeout', {
      prefix: GLIDEPATH,
      fallbackMs: 20_000,
      minMs: 0,
    }),
    actionTimeoutMs: readConfigDurationMs(config, 'actions.timeout', {
      prefix: GLIDEPATH,
      fallbackMs: 30_000,
      minMs: 0,
    }),
    releaseControlServices:
      config.getOptionalStringArray('actions.allowedServices') ?? [],
    graphCatalogCacheMs: readConfigDurationMs(config, 'graph.catalogCache', {
      prefix: GLIDEPATH,
      fallbackMs: DEFAULT_GRAPH_CATALOG_CACHE_MS,
      minMs: 0,
    }),
  };
}

function readNumber(
  config: Config,
  path: { prefix: string; key: string },
  fallback: number,
  range: { min: number; max: number; exclusiveMin?: boolean },
): number {
  if (!config.has(path.key)) return fallback;
  const value = config.get(path.key);
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (range.exclusiveMin ? value > range.min : value >= range.min) &&
    value <= range.max;
  if (!ok) {
    throw invalidConfigValue(
      ANALYSIS,
      `${path.prefix}${path.key}`,
      `a number ${range.exclusiveMin ? 'above' : 'from'} ${range.min} ${
        range.exclusiveMin ? 'and at most' : 'to'
      } ${range.max}`,
      value,
    );
  }
  return value as number;
}

/** Reads one policy's overrides on top of `base`. */
function readPolicy(
  name: string,
  config: Config,
  base: JudgePolicy,
): JudgePolicy {
  const prefix = `policies.${name}.`;
  const num = (
    key: string,
    fallback: number,
    range: { min: number; max: number; exclusiveMin?: boolean },
  ) => readNumber(config, { prefix, key }, fallback, range);
  const duration = (key: string, fallbackMs: number) =>
    readConfigDurationMs(config, key, {
      prefix: `${ANALYSIS}.policies.${name}`,
      fallbackMs,
      minMs: 0,
    });
  const flag = (key: string, fallback: boolean) =>
    config.getOptionalBoolean(key) ?? fallback;
  const fast = base.burnRate.windows.find(w => w.rule === 'burn_rate_fast')!;
  const slow = base.burnRate.windows.find(w => w.rule === 'burn_rate_slow')!;
  return {
    name,
    falseRollbackBudget: num('falseRollbackBudget', base.falseRollbackBudget, {
      min: 0,
      max: 0.2,
      exclusiveMin: true,
    }),
    minCanaryEvents: num('minCanaryEvents', base.minCanaryEvents, {
      min: 1,
      max: 1000,
    }),
    holdDeadlineMs: duration('holdDeadline', base.holdDeadlineMs),
    warmupSeconds: duration('warmup', base.warmupSeconds * 1000) / 1000,
    materialShare: num('materialShare', base.materialShare, {
      min: 0,
      max: 1,
    }),
    materialRatio: num('materialRatio', base.materialRatio, {
      min: 1,
      max: 1000,
      exclusiveMin: true,
    }),
    relativeMargin: num('relativeMargin', base.relativeMargin, {
      min: 0,
      max: 100,
    }),
    armSpread: num('armSpread', base.armSpread, { min: 0, max: 100 }),
    recentRelativeMargin: num(
      'recentRelativeMargin',
      base.recentRelativeMargin,
      { min: 0, max: 100 },
    ),
    recentWindowSeconds:
      duration('recentWindow', base.recentWindowSeconds * 1000) / 1000,
    errorRate: {
      enabled: flag('errorRate.enabled', base.errorRate.enabled),
      maxIncrease:
        num(
          'errorRate.maxIncreasePercentagePoints',
          base.errorRate.maxIncrease * 100,
          { min: 0, max: 100, exclusiveMin: true },
        ) / 100,
    },
    latency: {
      enabled: flag('latency.enabled', base.latency.enabled),
      maxP95IncreaseSeconds:
        duration(
          'latency.maxP95Increase',
          base.latency.maxP95IncreaseSeconds * 1000,
        ) / 1000,
      maxP95Ratio: num('latency.maxP95Ratio', base.latency.maxP95Ratio, {
        min: 1,
        max: 100,
        exclusiveMin: true,
      }),
      marginShare: num('latency.marginShare', base.latency.marginShare, {
        min: 0,
        max: 10,
      }),
    },
    healthChecks: {
      enabled: flag('healthChecks.enabled', base.healthChecks.enabled),
      maxFailureIncrease:
        num(
          'healthChecks.maxFailureIncreasePercentagePoints',
          base.healthChecks.maxFailureIncrease * 100,
          { min: 0, max: 100, exclusiveMin: true },
        ) / 100,
    },
    burnRate: {
      enabled: flag('burnRate.enabled', base.burnRate.enabled),
      windows: [
        {
          ...fast,
          factor: num('burnRate.fastFactor', fast.factor, {
            min: 1,
            max: 1000,
          }),
        },
        {
          ...slow,
          factor: num('burnRate.slowFactor', slow.factor, {
            min: 1,
            max: 1000,
          }),
        },
      ],
    },
  };
}

/**
 * Reads `glidepath.analysis`: the engine's schedule and the rollback
 * policies. `policies.default` overrides the built-in defaults; every other
 * named policy overrides the default policy.
 */
export function readAnalysisConfig(config: Config | undefined): AnalysisConfig {
  const policies = new Map<string, JudgePolicy>();
  const policiesConfig = config?.getOptionalConfig('policies');
  const defaultPolicy = policiesConfig?.has('default')
    ? readPolicy('default', policiesConfig.getConfig('default'), DEFAULT_POLICY)
    : DEFAULT_POLICY;
  policies.set('default', defaultPolicy);
  for (const name of policiesConfig?.keys() ?? []) {
    if (name === 'default') continue;
    policies.set(
      name,
      readPolicy(name, policiesConfig!.getConfig(name), defaultPolicy),
    );
  }
  return {
    enabled: config?.getOptionalBoolean('enabled') ?? true,
    schedule: config?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        )
      : DEFAULT_ANALYSIS_SCHEDULE,
    metricsTimeoutMs: config
      ? readConfigDurationMs(config, 'metricsTimeout', {
          prefix: ANALYSIS,
          fallbackMs: 10_000,
          minMs: 0,
        })
      : 10_000,
    policies,
  };
}
