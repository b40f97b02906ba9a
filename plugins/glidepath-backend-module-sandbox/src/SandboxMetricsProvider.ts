import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import type {
  ArmMetrics,
  MetricsProvider,
  MetricsQuery,
  MetricsReading,
  ServiceErrorsQuery,
  ServiceErrorsReading,
} from '@glidepath/backstage-plugin-node';
import { createRandom } from './random';
import {
  parseSandboxReleaseId,
  type SandboxFleet,
  type SandboxReleaseSimulation,
} from './fleet';
import {
  LATENCY_BUCKETS_SECONDS,
  MAX_TRAFFIC_WINDOWS,
  simulateTraffic,
  type TrafficSample,
  type TrafficWindow,
} from './traffic';

/** @public */
export type SandboxMetricsProviderOptions = {
  /** The fleet whose releases' traffic is read; the rollout provider's. */
  fleet: SandboxFleet;
  /** The seed of the simulated traffic. */
  seed: string;
  /** The clock; the system clock unless given. */
  now?: () => Date;
  /**
   * Catches the fleet up with what other replicas did before each reading
   * (the rollout provider's `refresh` when it keeps the fleet in a database).
   */
  refresh?: () => Promise<void>;
};

const WINDOW_SECONDS = 10;
const WINDOW_MS = WINDOW_SECONDS * 1000;

/**
 * Glidepath's embedded metrics provider: the simulated traffic of the
 * sandbox's releases, canary and baseline, with the releases' injected faults.
 * Get the one that shares the rollout provider's fleet with
 * `SandboxRolloutProvider#metricsProvider()`.
 *
 * `readMetrics` sums the whole 10 s windows of simulated traffic within
 * `[from, min(to, now))` (see `simulateTraffic`). It reads `no_data` for a
 * release of another rollout provider, for a sandbox release it has not
 * listed (yet), and for a range without a whole window in the past. A canary
 * that served nothing in the range (no traffic sent to it yet, or any more)
 * reads `ok` with zero canary requests: the simulated series exist and are
 * current, the canary just has no traffic; Glidepath's judge treats zero
 * canary requests as no data.
 * @public
 */
export class SandboxMetricsProvider implements MetricsProvider {
  readonly id = 'sandbox';
  readonly simulated = true;

  private readonly fleet: SandboxFleet;
  private readonly seed: string;
  private readonly now: () => Date;
  private readonly refresh?: () => Promise<void>;
  private outage: string | null = null;
  private errorRatios: Record<string, number> = {};

  constructor(options: SandboxMetricsProviderOptions) {
    this.fleet = options.fleet;
    this.seed = options.seed;
    this.now = options.now ?? (() => new Date());
    this.refresh = options.refresh;
  }

  /**
   * A testing aid: with a message, every `readMetrics` throws it, as a
   * metrics backend that cannot be reached would; with null, reads work
   * again.
   */
  setMetricsOutage(message: string | null): void {
    this.outage = message;
  }

  /**
   * The simulated error ratio of services' traffic over long ranges (the
   * error budget's 28 days), by service name, from
   * `glidepath.sandbox.errorRatioByService`; the others get a small one
   * drawn from the seed (0.01% to 0.08%).
   */
  setErrorRatios(byService: Record<string, number>): void {
    this.errorRatios = { ...byService };
  }

  /**
   * A service's simulated requests and server errors in the range (up to
   * now), every version together: a steady rate drawn from the seed (5 to
   * 50 requests a second) and the service's error ratio. Not the sum of its
   * canaries' traffic (simulating 28 days window by window would take too
   * long): a made-up history, as the DORA one is.
   */
  async readServiceErrors(
    query: ServiceErrorsQuery,
  ): Promise<ServiceErrorsReading> {
    if (query.signal?.aborted) {
      const error = new Error(
        `Cancelled before the sandbox could read the errors of ${query.entityRef}`,
      );
      error.name = 'AbortError';
      throw error;
    }
    if (this.outage !== null) {
      throw new ServiceUnavailableError(this.outage);
    }
    if (query.rolloutProvider !== this.id) {
      return {
        status: 'no_data',
        reason: `The sandbox simulates metrics for its own services only; ${query.entityRef} is released by "${query.rolloutProvider}"`,
      };
    }
    const service = query.selector.trim();
    if (!service) {
      return {
        status: 'no_data',
        reason: `${query.entityRef} names no sandbox service`,
      };
    }
    const to = Math.min(query.to.getTime(), this.now().getTime());
    const seconds = Math.max(0, (to - query.from.getTime()) / 1000);
    const random = createRandom(this.seed, service, 'error-budget');
    const rate = 5 + random() * 45;
    const ratio = this.errorRatios[service] ?? 0.0001 + random() * 0.0007;
    const requests = Math.round(rate * seconds);
    return { status: 'ok', requests, errors: Math.round(requests * ratio) };
  }

  async readMetrics(query: MetricsQuery): Promise<MetricsReading> {
    const { target, signal } = query;
    if (signal?.aborted) {
      const error = new Error(
        `Cancelled before the sandbox could read the metrics of ${target.providerReleaseId}`,
      );
      error.name = 'AbortError';
      throw error;
    }
    if (this.outage !== null) {
      throw new ServiceUnavailableError(this.outage);
    }
    if (target.rolloutProvider !== this.id) {
      return noData(
        `The sandbox simulates metrics for its own releases only; ${target.providerReleaseId} of ${target.entityRef} comes from the rollout provider "${target.rolloutProvider}"`,
      );
    }
    const parsed = parseSandboxReleaseId(target.providerReleaseId);
    if (!parsed) {
      return noData(
        `"${target.providerReleaseId}" is not a sandbox release id (<service>@<version>)`,
      );
    }
    // The selector defaults to the entity's production target; a release of
    // its staging twin is the same entity's too.
    if (
      target.selector &&
      target.selector !== parsed.service &&
      target.selector !== this.fleet.lineageOf(parsed.service)
    ) {
      return noData(
        `The sandbox simulates the metrics of a release's own service: ${target.providerReleaseId} is a release of "${parsed.service}", not of "${target.selector}"`,
      );
    }

    await this.refresh?.();
    const now = this.now();
    let release: SandboxReleaseSimulation;
    try {
      release = this.fleet.simulation(target.providerReleaseId, now);
    } catch (error) {
      if (error instanceof NotFoundError) {
        return noData(
          `${error.message}: it has not listed the release (yet), or no longer keeps it`,
        );
      }
      throw error;
    }

    const from = query.from.getTime();
    const to = Math.min(query.to.getTime(), now.getTime());
    const windows = this.windows(release, from, to);
    if (!windows.length) {
      return noData(
        `No whole ${WINDOW_SECONDS}s window of simulated traffic yet in the ${Math.round(
          Math.max(0, to - from) / 1000,
        )} s since the canary started`,
      );
    }
    return {
      status: 'ok',
      canary: sum(windows.map(w => w.canary)),
      baseline: sum(windows.map(w => w.baseline)),
      latestSampleAt: windows[windows.length - 1].end,
    };
  }

  /** The whole windows in [from, to), asked for a day at a time. */
  private windows(
    release: SandboxReleaseSimulation,
    from: number,
    to: number,
  ): TrafficWindow[] {
    const windows: TrafficWindow[] = [];
    const chunkMs = MAX_TRAFFIC_WINDOWS * WINDOW_MS;
    for (
      let cursor = Math.ceil(from / WINDOW_MS) * WINDOW_MS;
      cursor + WINDOW_MS <= to;
      cursor += chunkMs
    ) {
      windows.push(
        ...simulateTraffic({
          seed: this.seed,
          release,
          from: new Date(cursor),
          to: new Date(Math.min(to, cursor + chunkMs)),
          windowSeconds: WINDOW_SECONDS,
        }),
      );
    }
    return windows;
  }
}

function noData(reason: string): MetricsReading {
  return { status: 'no_data', reason };
}

/** Adds up samples; the buckets stay cumulative, the last one `+Inf`. */
function sum(samples: TrafficSample[]): ArmMetrics {
  const latencyBuckets = [...LATENCY_BUCKETS_SECONDS, Infinity].map(le => ({
    le,
    count: 0,
  }));
  const total: ArmMetrics & {
    healthChecks: { passed: number; failed: number };
  } = {
    requests: 0,
    errors: 0,
    latencyBuckets,
    healthChecks: { passed: 0, failed: 0 },
  };
  for (const sample of samples) {
    total.requests += sample.requests;
    total.errors += sample.errors;
    sample.latencyBuckets.forEach((bucket, i) => {
      latencyBuckets[i].count += bucket.count;
    });
    total.healthChecks.passed += sample.healthChecks.passed;
    total.healthChecks.failed += sample.healthChecks.failed;
  }
  return total;
}
