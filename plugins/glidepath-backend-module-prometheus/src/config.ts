import type { Config } from '@backstage/config';
import {
  invalidConfig,
  readConfigDurationMs,
} from '@glidepath/backstage-plugin-node';

/** The PromQL templates, with `$selector` and `$range` placeholders. @public */
export type PrometheusQueries = {
  /** The requests a side served over `$range`: one number. */
  requests: string;
  /** The requests a side answered with a server error: one number. */
  errors: string;
  /** Cumulative latency bucket counts, one series per `le`. */
  latencyBuckets: string;
  /**
   * A plain series selector whose newest sample tells how current the data
   * is; the series the requests query counts.
   */
  freshness: string;
  /** Health-check results; none by default. */
  healthChecks?: { passed: string; failed: string };
};

/** The settings read from `glidepath.prometheus`. @public */
export type PrometheusConfig = {
  /** The server's URL, without `/api/v1`. */
  baseUrl: string;
  /** Extra request headers, e.g. `Authorization`. */
  headers: Record<string, string>;
  timeoutMs: number;
  versionLabel: string;
  staleAfterMs: number;
  queries: PrometheusQueries;
};

const PREFIX = 'glidepath.prometheus';

/** The defaults of the optional `glidepath.prometheus` keys. @public */
export const PROMETHEUS_DEFAULTS: Readonly<
  Omit<PrometheusConfig, 'baseUrl' | 'headers'>
> = {
  timeoutMs: 10_000,
  versionLabel: 'version',
  staleAfterMs: 2 * 60_000,
  queries: {
    requests: 'sum(increase(http_requests_total{$selector}[$range]))',
    errors: 'sum(increase(http_requests_total{$selector,code=~"5.."}[$range]))',
    latencyBuckets:
      'sum by (le) (increase(http_request_duration_seconds_bucket{$selector}[$range]))',
    freshness: 'http_requests_total{$selector}',
  },
};

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** `metric{...}` or `{...}`: what `timestamp()` reads sample times from. */
const SERIES_SELECTOR = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{[^]*\}$/;

function readTemplate(config: Config, key: string, fallback?: string) {
  const value = config.getOptionalString(key);
  if (value === undefined) return fallback;
  if (!value.includes('$selector')) {
    throw invalidConfig(
      PREFIX,
      key,
      `the query must contain $selector, where the entity's selector and the version matcher go; got ${JSON.stringify(
        value,
      )}`,
    );
  }
  return value.trim();
}

function missingBaseUrl(): Error {
  return new Error(
    `The Glidepath Prometheus module is installed but '${PREFIX}.baseUrl' is not set: set it to your Prometheus server's URL, e.g. http://prometheus:9090`,
  );
}

function readBaseUrl(config: Config): string {
  const value = config.getOptionalString('baseUrl')?.trim();
  if (!value) throw missingBaseUrl();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidConfig(PREFIX, 'baseUrl', `"${value}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidConfig(
      PREFIX,
      'baseUrl',
      `expected an http or https URL, got "${value}"`,
    );
  }
  return value.replace(/\/+$/, '');
}

/**
 * Reads and checks `glidepath.prometheus`. `baseUrl` is required; a bad
 * value fails with a message that names the key.
 * @public
 */
export function readPrometheusConfig(root: Config): PrometheusConfig {
  const config = root.getOptionalConfig(PREFIX);
  if (!config) throw missingBaseUrl();
  const baseUrl = readBaseUrl(config);

  const headers: Record<string, string> = {};
  const headersConfig = config.getOptionalConfig('headers');
  for (const name of headersConfig?.keys() ?? []) {
    headers[name] = headersConfig!.getString(name);
  }

  const versionLabel =
    config.getOptionalString('versionLabel')?.trim() ??
    PROMETHEUS_DEFAULTS.versionLabel;
  if (!LABEL_NAME.test(versionLabel)) {
    throw invalidConfig(
      PREFIX,
      'versionLabel',
      `"${versionLabel}" is not a Prometheus label name`,
    );
  }

  const defaults = PROMETHEUS_DEFAULTS.queries;
  const queries: PrometheusQueries = {
    requests: readTemplate(config, 'queries.requests', defaults.requests)!,
    errors: readTemplate(config, 'queries.errors', defaults.errors)!,
    latencyBuckets: readTemplate(
      config,
      'queries.latencyBuckets',
      defaults.latencyBuckets,
    )!,
    freshness: readTemplate(config, 'queries.freshness', defaults.freshness)!,
  };
  if (!SERIES_SELECTOR.test(queries.freshness)) {
    throw invalidConfig(
      PREFIX,
      'queries.freshness',
      `expected a plain series selector such as http_requests_total{$selector} (timestamp() reads sample times only from those), got ${JSON.stringify(
        queries.freshness,
      )}`,
    );
  }
  if (config.has('queries.healthChecks')) {
    const passed = readTemplate(config, 'queries.healthChecks.passed');
    const failed = readTemplate(config, 'queries.healthChecks.failed');
    if (!passed || !failed) {
      throw invalidConfig(
        PREFIX,
        'queries.healthChecks',
        'set both passed and failed, or neither',
      );
    }
    queries.healthChecks = { passed, failed };
  }

  return {
    baseUrl,
    headers,
    timeoutMs: readConfigDurationMs(config, 'timeout', {
      prefix: PREFIX,
      fallbackMs: PROMETHEUS_DEFAULTS.timeoutMs,
    }),
    versionLabel,
    staleAfterMs: readConfigDurationMs(config, 'staleAfter', {
      prefix: PREFIX,
      fallbackMs: PROMETHEUS_DEFAULTS.staleAfterMs,
    }),
    queries,
  };
}

/** The URL without credentials, for messages and logs. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
}
