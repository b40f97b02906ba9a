import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import type { SandboxFleetOptions } from './fleet';

/** The sandbox's settings, read from `glidepath.sandbox`. @public */
export type SandboxConfig = SandboxFleetOptions & {
  /** False turns the sandbox off: no provider is registered. */
  enabled: boolean;
  /** How long the simulated provider takes to perform an action. */
  actionLatencyMs: number;
  /** Canary pauses wait for a promote. */
  awaitPromotion: boolean;
};

const PREFIX = 'glidepath.sandbox';

/** The defaults of every `glidepath.sandbox` key. @public */
export const SANDBOX_DEFAULTS: Readonly<SandboxConfig> = {
  enabled: true,
  seed: 'glidepath',
  releaseIntervalMs: 4 * 60_000,
  stepDurationMs: 30_000,
  faultRate: 0.2,
  faultRateByService: {},
  environment: 'production',
  historySize: 10,
  actionLatencyMs: 0,
  awaitPromotion: false,
};

function invalid(key: string, expected: string, value: unknown): Error {
  return new Error(
    `Invalid config at '${PREFIX}.${key}': expected ${expected}, got ${JSON.stringify(
      value,
    )}`,
  );
}

function readDuration(
  config: Config,
  key: string,
  fallbackMs: number,
  minimumMs: number,
): number {
  if (!config.has(key)) return fallbackMs;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new Error(
      `Invalid config at '${PREFIX}.${key}': ${error.message}. Use a duration such as '4m', 'PT30S' or { minutes: 4 }`,
    );
  }
  if (!Number.isFinite(ms) || ms < minimumMs) {
    throw invalid(
      key,
      minimumMs === 0
        ? 'a duration of zero or more'
        : `a duration of at least ${minimumMs / 1000}s`,
      config.get(key),
    );
  }
  return ms;
}

function readText(config: Config, key: string, fallback: string): string {
  const value = config.getOptionalString(key);
  if (value === undefined) return fallback;
  if (!value.trim()) throw invalid(key, 'a non-empty string', value);
  return value.trim();
}

/**
 * Reads and checks `glidepath.sandbox`. Every key is optional; a bad value
 * fails with a message that names the key and the value.
 * @public
 */
export function readSandboxConfig(root: Config): SandboxConfig {
  const config = root.getOptionalConfig(PREFIX);
  if (!config) return { ...SANDBOX_DEFAULTS, faultRateByService: {} };

  const enabled = config.getOptionalBoolean('enabled') ?? true;
  const awaitPromotion =
    config.getOptionalBoolean('awaitPromotion') ??
    SANDBOX_DEFAULTS.awaitPromotion;

  const faultRate = config.getOptionalNumber('faultRate');
  if (
    faultRate !== undefined &&
    !(Number.isFinite(faultRate) && faultRate >= 0 && faultRate <= 1)
  ) {
    throw invalid('faultRate', 'a number from 0 to 1', faultRate);
  }

  const faultRateByService: Record<string, number> = {};
  const byService = config.getOptionalConfig('faultRateByService');
  for (const service of byService?.keys() ?? []) {
    const rate = byService!.get(service);
    if (
      !(
        typeof rate === 'number' &&
        Number.isFinite(rate) &&
        rate >= 0 &&
        rate <= 1
      )
    ) {
      throw invalid(
        `faultRateByService.${service}`,
        'a number from 0 to 1',
        rate,
      );
    }
    faultRateByService[service] = rate;
  }

  const historySize = config.getOptionalNumber('historySize');
  if (
    historySize !== undefined &&
    !(Number.isInteger(historySize) && historySize >= 1 && historySize <= 1000)
  ) {
    throw invalid('historySize', 'a whole number from 1 to 1000', historySize);
  }

  return {
    enabled,
    seed: readText(config, 'seed', SANDBOX_DEFAULTS.seed),
    releaseIntervalMs: readDuration(
      config,
      'releaseInterval',
      SANDBOX_DEFAULTS.releaseIntervalMs,
      1000,
    ),
    stepDurationMs: readDuration(
      config,
      'stepDuration',
      SANDBOX_DEFAULTS.stepDurationMs,
      1000,
    ),
    faultRate: faultRate ?? SANDBOX_DEFAULTS.faultRate,
    faultRateByService,
    environment: readText(config, 'environment', SANDBOX_DEFAULTS.environment),
    historySize: historySize ?? SANDBOX_DEFAULTS.historySize,
    actionLatencyMs: readDuration(
      config,
      'actionLatency',
      SANDBOX_DEFAULTS.actionLatencyMs,
      0,
    ),
    awaitPromotion,
  };
}
