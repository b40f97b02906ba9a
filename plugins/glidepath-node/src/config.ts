import { readDurationFromConfig, type Config } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/**
 * The error for a bad value at the config key `prefix.key`, in the form
 * every Glidepath config reader uses: `Invalid config at 'prefix.key':
 * problem`. `prefix` is where the reader's config sits, e.g.
 * `glidepath.prometheus`; `key` is relative to it.
 * @public
 */
export function invalidConfig(
  prefix: string,
  key: string,
  problem: string,
): Error {
  return new Error(`Invalid config at '${prefix}.${key}': ${problem}`);
}

/**
 * `invalidConfig` for a value that is not what was expected: `Invalid
 * config at 'prefix.key': expected <expected>, got <the value as JSON>`.
 * @public
 */
export function invalidConfigValue(
  prefix: string,
  key: string,
  expected: string,
  value: unknown,
): Error {
  return invalidConfig(
    prefix,
    key,
    `expected ${expected}, got ${JSON.stringify(value)}`,
  );
}

/**
 * Reads a duration from a module's config (`'10s'`, ISO 8601 `'PT10S'` or
 * `{ seconds: 10 }`) in milliseconds: `fallbackMs` when the key is not set,
 * otherwise at least `minMs` (default: above zero; 0 allows zero), with an
 * error that names the full key (`prefix.key`) and what is wrong.
 * @public
 */
export function readConfigDurationMs(
  config: Config,
  key: string,
  options: { prefix: string; fallbackMs: number; minMs?: number },
): number {
  const { prefix, minMs } = options;
  if (!config.has(key)) return options.fallbackMs;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw invalidConfig(
      prefix,
      key,
      `${
        (error as Error).message
      }. Use a duration such as '10s', 'PT10S' or { seconds: 10 }`,
    );
  }
  let expected: string | undefined;
  if (minMs === undefined) {
    if (!Number.isFinite(ms) || ms <= 0) expected = 'a duration above zero';
  } else if (!Number.isFinite(ms) || ms < minMs) {
    expected =
      minMs === 0
        ? 'a duration of zero or more'
        : `a duration of at least ${minMs} ms`;
  }
  if (expected !== undefined) {
    throw invalidConfigValue(prefix, key, expected, config.get(key));
  }
  return ms;
}

/**
 * Reads an http or https URL from a module's config, without its trailing
 * slashes: `undefined` when the key is not set (or blank), otherwise the
 * URL, or an error that names the full key (`prefix.key`) when the value is
 * not a URL or not http(s).
 * @public
 */
export function readConfigHttpUrl(
  config: Config,
  key: string,
  options: { prefix: string },
): string | undefined {
  const { prefix } = options;
  const value = config.getOptionalString(key)?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidConfig(prefix, key, `"${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidConfig(
      prefix,
      key,
      `expected an http or https URL, got "${value}"`,
    );
  }
  return value.replace(/\/+$/, '');
}
