import type { Entity } from '@backstage/catalog-model';

/**
 * A cumulative latency histogram bucket, as in a Prometheus histogram:
 * requests that took at most `le` seconds.
 * @public
 */
export type LatencyBucket = {
  /** The upper bound in seconds; `Infinity` for the `+Inf` bucket. */
  le: number;
  count: number;
};

/** What one side (canary or baseline) served over a time range. @public */
export type ArmMetrics = {
  /** Requests served. */
  requests: number;
  /** Requests answered with a server error. */
  errors: number;
  /**
   * Cumulative latency buckets, ascending by `le`, the last one `+Inf`;
   * empty when the provider has no latency histogram for this service.
   */
  latencyBuckets: LatencyBucket[];
  /** Health-check results; absent when the provider has none. */
  healthChecks?: { passed: number; failed: number };
};

/** The release being analysed, as the metrics provider needs it. @public */
export type MetricsTarget = {
  /** e.g. `component:default/checkout-service`. */
  entityRef: string;
  /** The entity, for providers that read more of it. */
  entity: Entity;
  /**
   * The part of `glidepath.dev/metrics` after `<provider>:`; for an entity
   * without that annotation, the part of `glidepath.dev/rollout` after
   * `<provider>:` (when the rollout provider also serves metrics).
   */
  selector: string;
  /** The rollout provider's id and its id for the release. */
  rolloutProvider: string;
  providerReleaseId: string;
  /** The canary's version and the baseline's (stable) version. */
  version: string;
  previousVersion: string | null;
};

/** A request for the canary's and the baseline's metrics. @public */
export type MetricsQuery = {
  target: MetricsTarget;
  /** The range, `from` inclusive, `to` exclusive; at most a few hours. */
  from: Date;
  to: Date;
  /** Aborted when Glidepath stops waiting. */
  signal: AbortSignal;
};

/**
 * What a provider could read. The distinct outcomes matter: the judge holds
 * on anything but `ok`, and says which of these it was.
 * @public
 */
export type MetricsReading =
  | {
      status: 'ok';
      canary: ArmMetrics;
      baseline: ArmMetrics;
      /** The newest sample the numbers include, when the provider knows. */
      latestSampleAt?: Date;
    }
  | {
      /** The series do not exist (yet) for the canary or the baseline. */
      status: 'no_data';
      reason: string;
    }
  | {
      /** The series exist but stopped being updated. */
      status: 'stale';
      reason: string;
      latestSampleAt: Date;
    };

/**
 * A request for what a service served over a long range, all versions
 * together: the requests and server errors its SLO's error budget is
 * measured on (Glidepath asks for the last 28 days).
 * @public
 */
export type ServiceErrorsQuery = {
  /** e.g. `component:default/checkout-service`. */
  entityRef: string;
  entity: Entity;
  /**
   * As in {@link MetricsTarget}: the part of `glidepath.dev/metrics` after
   * `<provider>:`, else the part of the production environment's
   * `glidepath.dev/rollout` after `<provider>:`.
   */
  selector: string;
  /** The rollout provider of the entity's production target. */
  rolloutProvider: string;
  /** The environment whose traffic is read (the production one). */
  environment: string;
  /** The range, `from` inclusive, `to` exclusive (days, not minutes). */
  from: Date;
  to: Date;
  /** Aborted when Glidepath stops waiting. */
  signal: AbortSignal;
};

/**
 * What a provider could read of a service's traffic over a long range.
 * Throw for an unreachable or failing backend, as `readMetrics` does.
 * @public
 */
export type ServiceErrorsReading =
  | {
      status: 'ok';
      /** Requests served in the range, every version together. */
      requests: number;
      /** Those answered with a server error. */
      errors: number;
    }
  | {
      /** No series for the service in the range. */
      status: 'no_data';
      reason: string;
    };

/**
 * A source of canary and baseline metrics: the sandbox, Prometheus, ...
 * Registered by backend modules through
 * `glidepathMetricsProvidersExtensionPoint`.
 *
 * An unreachable or failing backend (a Prometheus error, a timeout) is
 * reported by throwing with the reason: Glidepath records it as an outage and
 * holds the release, never judges it.
 * @public
 */
export interface MetricsProvider {
  /** The id used in `glidepath.dev/metrics: <id>:<selector>`. */
  readonly id: string;
  /** True for simulations; the UI labels their analyses as simulated. */
  readonly simulated?: boolean;
  /** The canary's and the baseline's counts over `[from, to)`. */
  readMetrics(query: MetricsQuery): Promise<MetricsReading>;
  /**
   * Optional: the service's requests and server errors over `[from, to)`,
   * every version together, for the error-budget policy (the calendar
   * freezes a service whose SLO's 28-day budget is spent). A provider
   * without it leaves the budget unknown, and nothing frozen by it.
   */
  readServiceErrors?(query: ServiceErrorsQuery): Promise<ServiceErrorsReading>;
}
