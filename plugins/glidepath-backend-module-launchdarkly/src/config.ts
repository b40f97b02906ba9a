import type { Config } from '@backstage/config';
import {
  invalidConfig,
  invalidConfigValue,
  readConfigDurationMs,
  readConfigHttpUrl,
} from '@glidepath/backstage-plugin-node';

/** The settings read from `glidepath.launchdarkly`. @public */
export type LaunchDarklyConfig = {
  /** LaunchDarkly's URL, without `/api/v2` and without a trailing slash. */
  baseUrl: string;
  /** The API access token, sent as the `Authorization` header. */
  token: string;
  /** The environments to read; absent for every one of a project's. */
  environments?: string[];
  /** How long one request may take. */
  timeoutMs: number;
};

const PREFIX = 'glidepath.launchdarkly';

/** The defaults of the optional `glidepath.launchdarkly` keys. @public */
export const LAUNCHDARKLY_DEFAULTS = {
  baseUrl: 'https://app.launchdarkly.com',
  timeoutMs: 30_000,
} as const;

const KEY = /^[A-Za-z0-9._-]+$/;

/**
 * Reads and checks `glidepath.launchdarkly`: `token` is required; a bad
 * value fails with a message that names the key.
 * @public
 */
export function readLaunchDarklyConfig(root: Config): LaunchDarklyConfig {
  const config = root.getOptionalConfig(PREFIX);
  const token = config?.getOptionalString('token')?.trim();
  if (!config || !token) {
    throw new Error(
      `The Glidepath LaunchDarkly module is installed but '${PREFIX}.token' is not set: set it to a LaunchDarkly API access token, e.g. \${LAUNCHDARKLY_TOKEN}`,
    );
  }
  const baseUrl =
    readConfigHttpUrl(config, 'baseUrl', { prefix: PREFIX }) ??
    LAUNCHDARKLY_DEFAULTS.baseUrl;
  if (/\/api(\/v2)?$/.test(new URL(baseUrl).pathname)) {
    throw invalidConfig(
      PREFIX,
      'baseUrl',
      `give LaunchDarkly's URL without /api/v2 (Glidepath adds it), got "${baseUrl}"`,
    );
  }
  let environments: string[] | undefined;
  if (config.has('environments')) {
    const value = config.getOptional('environments');
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      !value.every(v => typeof v === 'string' && KEY.test(v))
    ) {
      throw invalidConfigValue(
        PREFIX,
        'environments',
        'a non-empty list of environment keys such as ["production", "staging"]',
        value,
      );
    }
    environments = [...new Set(value as string[])];
  }
  return {
    baseUrl,
    token,
    ...(environments && { environments }),
    timeoutMs: readConfigDurationMs(config, 'timeout', {
      prefix: PREFIX,
      fallbackMs: LAUNCHDARKLY_DEFAULTS.timeoutMs,
    }),
  };
}
