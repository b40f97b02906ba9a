import type { HumanDuration } from '@backstage/types';

export interface Config {
  glidepath?: {
    /**
     * Glidepath's `prometheus` metrics provider. Entities opt in with the
     * annotation `glidepath.dev/metrics: prometheus:<selector>`, where the
     * selector is a PromQL label-matcher list such as
     * `job="checkout",namespace="shop"`.
     */
    prometheus?: {
      /**
       * The Prometheus server's URL, without `/api/v1`, e.g.
       * "http://prometheus.monitoring:9090". Any server with Prometheus's
       * query API works (Thanos, Mimir, VictoriaMetrics). Required when the
       * module is installed.
       */
      baseUrl: string;
      /**
       * Extra headers sent with every query, e.g. { Authorization: "Bearer
       * ${PROMETHEUS_TOKEN}" } or a tenant header such as X-Scope-OrgID.
       * @deepVisibility secret
       */
      headers?: {
        /** @visibility secret */
        [name: string]: string;
      };
      /**
       * How long one reading may take, e.g. "10s" or { seconds: 10 }.
       * Defaults to 10 seconds.
       */
      timeout?: HumanDuration | string;
      /**
       * The label that tells the canary's series from the baseline's: the
       * canary's have `<versionLabel>="<new version>"`, the baseline's
       * `<versionLabel>="<previous version>"`. Defaults to "version".
       */
      versionLabel?: string;
      /**
       * When the newest sample of a side is older than this, relative to the
       * end of the range, the reading is stale and Glidepath holds.
       * Defaults to 2 minutes.
       */
      staleAfter?: HumanDuration | string;
      /**
       * The PromQL queries, as templates: `$selector` is replaced by the
       * entity's selector plus the version matcher, `$range` by the range in
       * whole seconds (e.g. `600s`). Each is evaluated as an instant query
       * at the end of the range.
       */
      queries?: {
        /**
         * Requests served over the range, one number. Defaults to
         * `sum(increase(http_requests_total{$selector}[$range]))`.
         */
        requests?: string;
        /**
         * Requests answered with a server error over the range, one number.
         * Defaults to
         * `sum(increase(http_requests_total{$selector,code=~"5.."}[$range]))`.
         */
        errors?: string;
        /**
         * Cumulative latency histogram counts over the range, one series per
         * `le` label (in seconds). Defaults to
         * `sum by (le) (increase(http_request_duration_seconds_bucket{$selector}[$range]))`.
         */
        latencyBuckets?: string;
        /**
         * A plain series selector (no function around it) whose newest
         * sample tells how current a side's data is: the series the
         * requests query counts. Defaults to `http_requests_total{$selector}`.
         */
        freshness?: string;
        /**
         * Health-check results over the range, each one number. None by
         * default. For blackbox probes, for example: passed
         * `sum(sum_over_time(probe_success{$selector}[$range]))`, failed
         * `sum(count_over_time(probe_success{$selector}[$range])) - sum(sum_over_time(probe_success{$selector}[$range]))`.
         */
        healthChecks?: {
          passed: string;
          failed: string;
        };
      };
    };
  };
}
