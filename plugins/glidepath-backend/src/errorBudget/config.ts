import type { Config } from '@backstage/config';
import { readConfigDurationMs } from '@glidepath/backstage-plugin-node';

/** The error-budget policy's settings, `glidepath.calendar.errorBudget`. */
export type ErrorBudgetConfig = {
  /** False turns the policy off: no budget is read, nothing is frozen by it. */
  enabled: boolean;
  /** How long a reading of the metrics provider is used before it is read again. */
  cacheTtlMs: number;
  /** How long a failed or empty reading is kept (shorter, to recover soon). */
  failureTtlMs: number;
  /** How long one reading may take before it counts as failed. */
  timeoutMs: number;
};

const PREFIX = 'glidepath.calendar.errorBudget';

/** The defaults of `glidepath.calendar.errorBudget`. */
export const ERROR_BUDGET_DEFAULTS: Readonly<ErrorBudgetConfig> = {
  enabled: true,
  cacheTtlMs: 5 * 60_000,
  failureTtlMs: 60_000,
  timeoutMs: 10_000,
};

/** Reads `glidepath.calendar.errorBudget` (the root config's); every key is optional. */
export function readErrorBudgetConfig(root: Config): ErrorBudgetConfig {
  const config = root.getOptionalConfig(PREFIX);
  if (!config) return { ...ERROR_BUDGET_DEFAULTS };
  const cacheTtlMs = readConfigDurationMs(config, 'cacheTtl', {
    prefix: PREFIX,
    fallbackMs: ERROR_BUDGET_DEFAULTS.cacheTtlMs,
    minMs: 1000,
  });
  return {
    enabled: config.getOptionalBoolean('enabled') ?? true,
    cacheTtlMs,
    failureTtlMs: Math.min(cacheTtlMs, ERROR_BUDGET_DEFAULTS.failureTtlMs),
    timeoutMs: readConfigDurationMs(config, 'timeout', {
      prefix: PREFIX,
      fallbackMs: ERROR_BUDGET_DEFAULTS.timeoutMs,
      minMs: 100,
    }),
  };
}
