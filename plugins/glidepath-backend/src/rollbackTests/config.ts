import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  ROLLBACK_GATE_MODES,
  ROLLBACK_TEST_POLICIES,
  RollbackGateMode,
  RollbackTestPolicy,
} from '@glidepath/backstage-plugin-common';
import {
  invalidConfigValue,
  readConfigDurationMs,
} from '@glidepath/backstage-plugin-node';

/** Rollback tests and the production gate, `glidepath.rollbackTests`. */
export type RollbackTestsConfig = {
  /** Whether completed non-production releases are tested (per entity: `glidepath.dev/rollback-test`). */
  policy: RollbackTestPolicy;
  /** What production releases without a passed test do (per entity: `glidepath.dev/rollback-gate`). */
  gate: RollbackGateMode;
  /** How long the previous version may take to be healthy again. */
  healthyWithinMs: number;
  /** How long rolling the version forward again may take. */
  forwardWithinMs: number;
  /** Releases that completed longer ago than this are not tested by the policy. */
  completedWithinMs: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
};

const ROLLBACK_TESTS = 'glidepath.rollbackTests';

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 10 },
  timeout: { minutes: 2 },
  initialDelay: { seconds: 5 },
};

function readChoice<T extends string>(
  config: Config | undefined,
  key: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = config?.getOptionalString(key);
  if (value === undefined) return fallback;
  const choice = choices.find(c => c === value);
  if (!choice) {
    throw invalidConfigValue(
      ROLLBACK_TESTS,
      key,
      `one of ${choices.join(', ')}`,
      value,
    );
  }
  return choice;
}

/**
 * Reads `glidepath.rollbackTests`. Off by default (a test rolls a
 * non-production environment back and forward, which a platform team turns
 * on knowingly); the gate is advisory by default: it says when a production
 * release's version was not rollback-tested, and holds nothing.
 */
export function readRollbackTestsConfig(
  config: Config | undefined,
): RollbackTestsConfig {
  const duration = (key: string, fallbackMs: number) =>
    config
      ? readConfigDurationMs(config, key, {
          prefix: ROLLBACK_TESTS,
          fallbackMs,
          minMs: 1_000,
        })
      : fallbackMs;
  return {
    policy: readChoice(config, 'policy', ROLLBACK_TEST_POLICIES, 'off'),
    gate: readChoice(config, 'gate', ROLLBACK_GATE_MODES, 'advisory'),
    healthyWithinMs: duration('healthyWithin', 15 * 60_000),
    forwardWithinMs: duration('forwardWithin', 15 * 60_000),
    completedWithinMs: duration('completedWithin', 24 * 60 * 60_000),
    schedule: config?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
  };
}
