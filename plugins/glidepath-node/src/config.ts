import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/**
 * Reads a duration from a module's config (`'10s'`, ISO 8601 `'PT10S'` or
 * `{ seconds: 10 }`) in milliseconds: `fallbackMs` when the key is not set,
 * otherwise at least `minMs` (default: above zero), with an error that names
 * the full key (`prefix.key`) and what is wrong.
 * @public
 */
export function readConfigDurationMs(
  config: Config,
  key: string,
  options: { prefix: string; fallbackMs: number; minMs?: number },
): number {
  const at = `Invalid config at '${options.prefix}.${key}'`;
  if (!config.has(key)) return options.fallbackMs;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new Error(
      `${at}: ${
        (error as Error).message
      }. Use a duration such as '10s', 'PT10S' or { seconds: 10 }`,
    );
  }
  const got = JSON.stringify(config.get(key));
  if (options.minMs !== undefined) {
    if (!Number.isFinite(ms) || ms < options.minMs) {
      throw new Error(
        `${at}: expected a duration of at least ${options.minMs} ms, got ${got}`,
      );
    }
  } else if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(`${at}: expected a duration above zero, got ${got}`);
  }
  return ms;
}
