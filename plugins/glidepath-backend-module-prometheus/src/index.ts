/**
 * Glidepath metrics from Prometheus.
 *
 * @packageDocumentation
 */
export {};
