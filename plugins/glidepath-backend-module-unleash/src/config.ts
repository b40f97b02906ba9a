import type { Config } from '@backstage/config';
import {
  invalidConfig,
  readConfigDurationMs,
  readConfigHttpUrl,
} from '@glidepath/backstage-plugin-node';

/** The settings read from `glidepath.unleash`. @public */
export type UnleashConfig = {
  /** Unleash's URL, without `/api` and without a trailing slash. */
  baseUrl: string;
  /** The Admin API token, sent as the `Authorization` header. */
  token: string;
  /** How long one request may take. */
  timeoutMs: number;
};

/** Where the module's config sits. */
export const UNLEASH_CONFIG_PREFIX = 'glidepath.unleash';
const PREFIX = UNLEASH_CONFIG_PREFIX;

/** The default of `glidepath.unleash.timeout`. @public */
export const UNLEASH_DEFAULT_TIMEOUT_MS = 30_000;

function missing(key: string, example: string): Error {
  return new Error(
    `The Glidepath Unleash module is installed but '${PREFIX}.${key}' is not set: set it to ${example}`,
  );
}

/**
 * Reads and checks `glidepath.unleash`: `baseUrl` and `token` are required;
 * a bad value fails with a message that names the key.
 * @public
 */
export function readUnleashConfig(root: Config): UnleashConfig {
  const config = root.getOptionalConfig(PREFIX);
  const baseUrl =
    config && readConfigHttpUrl(config, 'baseUrl', { prefix: PREFIX });
  if (!config || !baseUrl) {
    throw missing(
      'baseUrl',
      "your Unleash's URL, e.g. https://unleash.example.com",
    );
  }
  if (/\/api$/.test(new URL(baseUrl).pathname)) {
    throw invalidConfig(
      PREFIX,
      'baseUrl',
      `give Unleash's URL without /api (Glidepath adds /api/admin/...), got "${baseUrl}"`,
    );
  }
  const token = config.getOptionalString('token')?.trim();
  if (!token) {
    throw missing(
      'token',
      'an Unleash Admin API token (a personal access token or a service account token), e.g. ${UNLEASH_TOKEN}',
    );
  }
  return {
    baseUrl,
    token,
    timeoutMs: readConfigDurationMs(config, 'timeout', {
      prefix: PREFIX,
      fallbackMs: UNLEASH_DEFAULT_TIMEOUT_MS,
    }),
  };
}
