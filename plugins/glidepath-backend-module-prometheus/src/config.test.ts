import { ConfigReader } from '@backstage/config';
import {
  displayUrl,
  PROMETHEUS_DEFAULTS,
  readPrometheusConfig,
} from './config';

function read(prometheus: unknown) {
  return readPrometheusConfig(
    new ConfigReader({ glidepath: { prometheus } } as any),
  );
}

describe('readPrometheusConfig', () => {
  it('needs only baseUrl, and has defaults for the rest', () => {
    expect(read({ baseUrl: 'http://prometheus:9090/' })).toEqual({
      baseUrl: 'http://prometheus:9090',
      headers: {},
      ...PROMETHEUS_DEFAULTS,
    });
    expect(PROMETHEUS_DEFAULTS).toEqual({
      timeoutMs: 10_000,
      versionLabel: 'version',
      staleAfterMs: 120_000,
      queries: {
        requests: 'sum(increase(http_requests_total{$selector}[$range]))',
        errors:
          'sum(increase(http_requests_total{$selector,code=~"5.."}[$range]))',
        latencyBuckets:
          'sum by (le) (increase(http_request_duration_seconds_bucket{$selector}[$range]))',
        freshness: 'http_requests_total{$selector}',
      },
    });
  });

  it('reads every key', () => {
    const queries = {
      requests: 'sum(increase(requests{$selector}[$range]))',
      errors: 'sum(increase(requests{$selector,status=~"5.."}[$range]))',
      latencyBuckets:
        'sum by (le) (increase(latency_bucket{$selector}[$range]))',
      freshness: 'requests{$selector}',
      healthChecks: {
        passed: 'sum(sum_over_time(probe_success{$selector}[$range]))',
        failed:
          'sum(count_over_time(probe_success{$selector}[$range])) - sum(sum_over_time(probe_success{$selector}[$range]))',
      },
    };
    expect(
      read({
        baseUrl: 'https://mimir.example.com/prometheus',
        headers: { Authorization: 'Bearer s3cret', 'X-Scope-OrgID': 'shop' },
        timeout: '30s',
        versionLabel: 'app_version',
        staleAfter: { minutes: 5 },
        queries,
      }),
    ).toEqual({
      baseUrl: 'https://mimir.example.com/prometheus',
      headers: { Authorization: 'Bearer s3cret', 'X-Scope-OrgID': 'shop' },
      timeoutMs: 30_000,
      versionLabel: 'app_version',
      staleAfterMs: 300_000,
      queries,
    });
  });

  it.each([
    [
      undefined,
      "The Glidepath Prometheus module is installed but 'glidepath.prometheus.baseUrl' is not set",
    ],
    [
      {},
      "The Glidepath Prometheus module is installed but 'glidepath.prometheus.baseUrl' is not set",
    ],
    [
      { baseUrl: ' ' },
      "'glidepath.prometheus.baseUrl' is not set: set it to your Prometheus server's URL",
    ],
    [
      { baseUrl: 'prometheus:9090' },
      "Invalid config at 'glidepath.prometheus.baseUrl': expected an http or https URL",
    ],
    [
      { baseUrl: 'not a url' },
      'Invalid config at \'glidepath.prometheus.baseUrl\': "not a url" is not a URL',
    ],
    [
      { baseUrl: 'http://p', timeout: 'soon' },
      "Invalid config at 'glidepath.prometheus.timeout'",
    ],
    [
      { baseUrl: 'http://p', staleAfter: '0s' },
      "Invalid config at 'glidepath.prometheus.staleAfter': expected a duration above zero",
    ],
    [
      { baseUrl: 'http://p', versionLabel: 'app-version' },
      'Invalid config at \'glidepath.prometheus.versionLabel\': "app-version" is not a Prometheus label name',
    ],
    [
      { baseUrl: 'http://p', queries: { requests: 'sum(x)' } },
      "Invalid config at 'glidepath.prometheus.queries.requests': the query must contain $selector",
    ],
    [
      {
        baseUrl: 'http://p',
        queries: { freshness: 'rate(x{$selector}[1m])' },
      },
      "Invalid config at 'glidepath.prometheus.queries.freshness': expected a plain series selector",
    ],
    [
      {
        baseUrl: 'http://p',
        queries: { healthChecks: { passed: 'sum(up{$selector})' } },
      },
      "Invalid config at 'glidepath.prometheus.queries.healthChecks': set both passed and failed",
    ],
  ])('rejects %j', (prometheus, message) => {
    expect(() => read(prometheus)).toThrow(message);
  });
});

describe('displayUrl', () => {
  it.each([
    ['http://prometheus:9090', 'http://prometheus:9090'],
    [
      'https://user:pw@prom.example.com/api/prom',
      'https://prom.example.com/api/prom',
    ],
    ['https://token@prom.example.com', 'https://prom.example.com'],
  ])('%s', (url, shown) => {
    expect(displayUrl(url)).toBe(shown);
  });
});
