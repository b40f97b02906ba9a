/**
 * Glidepath metrics from Prometheus: the canary's and the baseline's
 * requests, server errors, latency histogram and health checks over PromQL,
 * for the automated rollback judge.
 *
 * @packageDocumentation
 */
export { glidepathModulePrometheus as default } from './module';
export { PrometheusMetricsProvider } from './PrometheusMetricsProvider';
export {
  readPrometheusConfig,
  PROMETHEUS_DEFAULTS,
  type PrometheusConfig,
  type PrometheusQueries,
} from './config';
