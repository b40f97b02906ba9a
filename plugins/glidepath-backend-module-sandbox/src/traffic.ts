import { InputError } from '@backstage/errors';
import type { LatencyBucket } from '@glidepath/backstage-plugin-node';
import type { SandboxReleaseSimulation } from './fleet';
import { binomial, createRandom, type Random } from './random';

/**
 * The upper bounds of the latency histogram buckets, in seconds, as in a
 * Prometheus histogram; a last `+Inf` bucket counts every request.
 * @public
 */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/**
 * A cumulative histogram bucket: requests that took at most `le` seconds.
 * Glidepath's own type, re-exported where the sandbox always exported it.
 */
export type { LatencyBucket };

/** The traffic of one side (canary or baseline) in one window. @public */
export type TrafficSample = {
  requests: number;
  /** Requests answered with a server error. */
  errors: number;
  /** Cumulative, one per `LATENCY_BUCKETS_SECONDS` bound and a last `+Inf`. */
  latencyBuckets: LatencyBucket[];
  latencySumSeconds: number;
  /** Readiness probes of the side's pods, every 10 s per pod. */
  healthChecks: { passed: number; failed: number };
};

/** The simulated traffic of one window. @public */
export type TrafficWindow = {
  start: Date;
  end: Date;
  /** The release's average canary weight over the window. */
  canaryWeight: number;
  /** Requests served by the new version. */
  canary: TrafficSample;
  /** Requests served by the stable version. */
  baseline: TrafficSample;
};

/** @public */
export type SimulateTrafficOptions = {
  seed: string;
  release: SandboxReleaseSimulation;
  from: Date;
  to: Date;
  /** The window length; 10 s unless given. */
  windowSeconds?: number;
};

/** No more windows than this in one call (a day of 10 s windows). */
export const MAX_TRAFFIC_WINDOWS = 8640;
const HEALTH_CHECK_SECONDS = 10;
const HEALTHY_CHECK_FAILURE = 0.002;
const LATENCY_SIGMA = 0.5;

type ServiceProfile = {
  requestsPerSecond: number;
  errorRate: number;
  medianLatencySeconds: number;
  replicas: number;
};

function serviceProfile(seed: string, service: string): ServiceProfile {
  const random = createRandom(seed, service, 'traffic-profile');
  return {
    requestsPerSecond: 20 + random() * 80,
    errorRate: 0.003 + random() * 0.004,
    medianLatencySeconds: 0.06 + random() * 0.08,
    replicas: 4 + Math.floor(random() * 9),
  };
}

/**
 * The simulated traffic of a sandbox release between `from` and `to`, in
 * whole windows aligned on multiples of the window length: for each window,
 * the requests, errors, latency histogram and health checks of the canary
 * (the release's version, sent its share of traffic by the canary weight) and
 * of the baseline (the stable version, the rest).
 *
 * A healthy canary behaves like the baseline, give or take noise: an error
 * rate of 0.3 to 0.7% and a median latency of 60 to 140 ms, both per
 * service. A release's fault hurts its canary only: an error-rate fault makes
 * 3 to 8% of its requests fail, a latency fault adds 300 to 800 ms to each;
 * either makes some health checks fail. A crash-loop fault (a restore whose
 * old version no longer starts) fails every canary request and every canary
 * health check.
 *
 * Deterministic: the same seed, release and window give the same numbers,
 * whichever range they are asked as part of.
 * @public
 */
export function simulateTraffic(
  options: SimulateTrafficOptions,
): TrafficWindow[] {
  const { seed, release } = options;
  const windowSeconds = options.windowSeconds ?? 10;
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
    throw new InputError(
      `The window length must be a whole number of seconds, at least 1; got ${windowSeconds}`,
    );
  }
  const windowMs = windowSeconds * 1000;
  const from = options.from.getTime();
  const to = options.to.getTime();
  const first = Math.ceil(from / windowMs) * windowMs;
  const count = Math.max(0, Math.floor((to - first) / windowMs));
  if (count > MAX_TRAFFIC_WINDOWS) {
    throw new InputError(
      `Asked for ${count} traffic windows; ask for at most ${MAX_TRAFFIC_WINDOWS} at a time`,
    );
  }

  const profile = serviceProfile(seed, release.service);
  const fault = release.fault;
  let canaryErrorRate = profile.errorRate;
  let canaryLatencyShift = 0;
  let canaryCheckFailure = HEALTHY_CHECK_FAILURE;
  if (fault?.kind === 'error-rate') {
    canaryErrorRate = fault.errorRate;
    canaryCheckFailure = Math.min(0.5, fault.errorRate * 3);
  } else if (fault?.kind === 'latency') {
    canaryLatencyShift = fault.addedLatencyMs / 1000;
    canaryCheckFailure = Math.min(0.5, (fault.addedLatencyMs / 1000) * 0.15);
  } else if (fault?.kind === 'crash-loop') {
    // No pod is ever ready: what reaches them fails, and every probe.
    canaryErrorRate = 1;
    canaryCheckFailure = 1;
  }
  const checksPerPod = Math.max(
    1,
    Math.round(windowSeconds / HEALTH_CHECK_SECONDS),
  );

  const windows: TrafficWindow[] = [];
  for (let i = 0; i < count; i++) {
    const start = first + i * windowMs;
    const end = start + windowMs;
    const weight = averageWeight(release, start, end);

    const totalRandom = createRandom(seed, release.service, start, 'total');
    const total = Math.round(
      profile.requestsPerSecond * windowSeconds * (0.9 + 0.2 * totalRandom()),
    );
    const canaryRequests = binomial(totalRandom, total, weight / 100);
    const canaryPods =
      weight > 0
        ? Math.max(1, Math.round((profile.replicas * weight) / 100))
        : 0;
    const baselinePods =
      weight < 100
        ? Math.max(1, Math.round((profile.replicas * (100 - weight)) / 100))
        : 0;

    windows.push({
      start: new Date(start),
      end: new Date(end),
      canaryWeight: Math.round(weight * 100) / 100,
      canary: sample(
        createRandom(
          seed,
          release.service,
          release.providerReleaseId,
          start,
          'canary',
        ),
        {
          requests: canaryRequests,
          errorRate: canaryErrorRate,
          medianLatencySeconds: profile.medianLatencySeconds,
          latencyShiftSeconds: canaryLatencyShift,
          healthChecks: canaryPods * checksPerPod,
          healthCheckFailure: canaryCheckFailure,
        },
      ),
      baseline: sample(createRandom(seed, release.service, start, 'baseline'), {
        requests: total - canaryRequests,
        errorRate: profile.errorRate,
        medianLatencySeconds: profile.medianLatencySeconds,
        latencyShiftSeconds: 0,
        healthChecks: baselinePods * checksPerPod,
        healthCheckFailure: HEALTHY_CHECK_FAILURE,
      }),
    });
  }
  return windows;
}

/** The time-weighted canary weight of the release over [start, end). */
function averageWeight(
  release: SandboxReleaseSimulation,
  start: number,
  end: number,
): number {
  let weight = 0;
  let cursor = start;
  let sum = 0;
  for (const change of release.weights) {
    const at = change.at.getTime();
    if (at >= end) break;
    if (at > cursor) {
      sum += weight * (at - cursor);
      cursor = at;
    }
    weight = change.weight;
  }
  sum += weight * (end - cursor);
  return sum / (end - start);
}

function sample(
  random: Random,
  side: {
    requests: number;
    errorRate: number;
    medianLatencySeconds: number;
    latencyShiftSeconds: number;
    healthChecks: number;
    healthCheckFailure: number;
  },
): TrafficSample {
  const { requests } = side;
  const errors = binomial(random, requests, side.errorRate);
  const median = side.medianLatencySeconds * (0.95 + 0.1 * random());
  const shift = side.latencyShiftSeconds;
  const cdf = (x: number) =>
    x <= shift
      ? 0
      : normalCdf((Math.log(x - shift) - Math.log(median)) / LATENCY_SIGMA);

  const bounds = [...LATENCY_BUCKETS_SECONDS, Infinity];
  const shares = bounds.map((le, i) => {
    const below = i === 0 ? 0 : cdf(bounds[i - 1]);
    return (le === Infinity ? 1 : cdf(le)) - below;
  });
  const counts = apportion(requests, shares);
  let cumulative = 0;
  const latencyBuckets = bounds.map((le, i) => {
    cumulative += counts[i];
    return { le, count: cumulative };
  });
  const meanLatency =
    median * Math.exp((LATENCY_SIGMA * LATENCY_SIGMA) / 2) + shift;
  const failed = binomial(random, side.healthChecks, side.healthCheckFailure);
  return {
    requests,
    errors,
    latencyBuckets,
    latencySumSeconds: Math.round(requests * meanLatency * 1000) / 1000,
    healthChecks: { passed: side.healthChecks - failed, failed },
  };
}

/** Splits `total` into whole parts by `shares` (largest remainder). */
function apportion(total: number, shares: number[]): number[] {
  const exact = shares.map(share => Math.max(0, share) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, i) => ({ i, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) {
    counts[order[k].i] += 1;
  }
  return counts;
}

/** The standard normal CDF (Abramowitz and Stegun 7.1.26, error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 +
      t *
        (-0.284496736 +
          t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
