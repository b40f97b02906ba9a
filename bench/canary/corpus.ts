/**
 * The labelled corpus of synthetic canary runs: scenario parameters drawn
 * from a seed, and the recording each scenario gives (the scrapes a metrics
 * provider would have returned, cumulative since the canary started).
 *
 * Pure and seeded: the same seed and sizes always give the same corpus.
 * See bench/canary/README.md for the model and the JSON format.
 */
import type {
  ArmMetrics,
  LatencyBucket,
} from '@glidepath/backstage-plugin-node';
import { Rng } from './random';
import { normalCdf, normalQuantile } from './stats';

/** Prometheus client libraries' default histogram buckets, in seconds. */
export const DEFAULT_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

export const CATEGORIES = [
  'healthy',
  'subtle',
  'gross',
  'low_traffic',
  'no_canary_traffic',
  'outage',
  'stale',
  'target_error',
  'shared_outage',
  'error_offset',
  'latency_offset',
  'latency_creep',
  'warmup',
  'very_low_traffic',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** What goes wrong with the canary, from `onsetSeconds` on. */
export type RegressionParams = {
  /** When the regression starts, in seconds since the canary started. */
  onsetSeconds: number;
  /** The canary's error probability is the baseline's times this (at most 1). */
  errorMultiplier?: number;
  /** Every canary request takes this many times longer. */
  latencyMultiplier?: number;
  /** Only the slowest `fraction` of canary requests take `multiplier` times longer. */
  tail?: { fraction: number; multiplier: number };
  /**
   * The canary crashes every `periodSeconds` and stays down `downSeconds`:
   * every request it gets meanwhile fails, and its metrics are missing from
   * the scrapes of that time.
   */
  crashLoop?: { periodSeconds: number; downSeconds: number };
};

/**
 * A difference between the arms that the default policy allows (so the
 * label stays "no regression"): pods in another zone, a dependency a little
 * slower from there. From the canary's start.
 */
export type CanaryOffsetParams = {
  /** Added to the canary's error probability (0.003: +0.3 pp). */
  errorPoints?: number;
  /** Every canary request takes this many times longer. */
  latencyMultiplier?: number;
};

/**
 * A latency creep: every canary request takes `secondsPerMinute` longer
 * for each minute since the canary started (a leak, a growing cache). It
 * becomes a regression once the canary's true p95 passes the default
 * policy's limit; the recording's onset is that moment.
 */
export type LatencyCreepParams = { secondsPerMinute: number };

/**
 * The canary's warm-up: for its first `seconds`, its error probability is
 * `errorRate` (if higher than its own) and its requests take
 * `latencyMultiplier` times longer; then it is like the baseline.
 */
export type WarmupParams = {
  seconds: number;
  errorRate: number;
  latencyMultiplier: number;
};

/**
 * A downstream outage both arms share: from `fromSeconds` to `toSeconds`
 * each arm's requests fail with probability `errorRate` on top of their
 * own, and take `latencyMultiplier` times longer.
 */
export type SharedIncidentParams = {
  fromSeconds: number;
  toSeconds: number;
  errorRate: number;
  latencyMultiplier: number;
};

/**
 * Health checks of each arm: `perSecond` checks a second (all its pods
 * together), each failing with probability `failureRate`, and every one
 * failing while the canary is down in a crash loop.
 */
export type HealthCheckParams = { perSecond: number; failureRate: number };

/** AR(1) multiplicative noise: a log-scale sigma shared by both arms and one per arm. */
export type NoiseParams = {
  /** The noise's correlation time (the AR(1) coefficient is exp(-dt/tau)). */
  tauSeconds: number;
  traffic: { shared: number; perArm: number };
  errors: { shared: number; perArm: number };
  latency: { shared: number; perArm: number };
};

/**
 * One scenario. `rps` is the canary's request rate; the baseline serves the
 * same rate (Kayenta's canary/baseline pair: two deployments of the same
 * size taking the same share of traffic). Times are in seconds since the
 * canary started taking traffic.
 */
export type ScenarioParams = {
  id: string;
  category: string;
  /** The seed of this scenario's random numbers (default: `<corpus seed>/<id>`). */
  seed?: string;
  durationSeconds: number;
  scrapeIntervalSeconds: number;
  rps: number;
  baselineErrorRate: number;
  /** Log-normal request latency: its median and the sigma of its log. */
  latency: { medianSeconds: number; sigma: number };
  /** The daily traffic cycle both arms share: rate x (1 + amplitude sin(2 pi (t/86400 + phase))). */
  dailyCycle: { amplitude: number; phase: number };
  noise: NoiseParams;
  /**
   * Bursty traffic (both arms): a fraction `onFraction` of the time the rate
   * is `onMultiplier` times the mean, and lower the rest of the time, in
   * bursts of `meanOnSeconds` on average.
   */
  burst?: { onFraction: number; onMultiplier: number; meanOnSeconds: number };
  regression?: RegressionParams;
  /** `absent`: the canary's series do not exist; `zero`: they stay at 0. */
  canaryTraffic?: 'normal' | 'absent' | 'zero';
  /** Metrics provider outages: no scrape, and every query fails. */
  outages?: Array<{ fromSeconds: number; toSeconds: number }>;
  /** Stale data: the scrapes repeat the last sample (the counters stop advancing). */
  stale?: Array<{ fromSeconds: number; toSeconds: number }>;
  /** The entity's availability SLO in percent (turns the burn-rate rules on); null: none. */
  sloPercent?: number | null;
  /** Histogram bucket bounds in seconds (default: DEFAULT_BUCKETS). */
  buckets?: number[];
  /** A difference the default policy allows (not a regression). */
  canaryOffset?: CanaryOffsetParams;
  /** A latency creep; a regression once it passes the policy's limit. */
  latencyCreep?: LatencyCreepParams;
  /** Errors and slowness while the canary warms up (not a regression). */
  warmup?: WarmupParams;
  /** Downstream outages both arms share (not a regression). */
  sharedIncidents?: SharedIncidentParams[];
  /** Health checks on both arms (absent: the scrapes carry none). */
  healthChecks?: HealthCheckParams;
};

export type ScrapeStatus = 'ok' | 'no_data' | 'stale' | 'outage';

/**
 * One scrape as the metrics provider returns it: cumulative counts since
 * the canary started. `ok` has both arms; `stale` repeats the previous
 * sample; `no_data` lacks an arm's series (the one present, if any, is
 * given); `outage` is a failed query with no data at all.
 */
export type Scrape = {
  t: number;
  status: ScrapeStatus;
  canary?: ArmMetrics;
  baseline?: ArmMetrics;
};

/** A recording: the scrapes of one canary run and its label. */
export type Recording = {
  id: string;
  category: string;
  /** The label: is the canary worse than its baseline (from `onsetSeconds` on)? */
  regression: boolean;
  onsetSeconds: number | null;
  /** errors | latency | tail | crash_loop | mixed | none: for the breakdowns. */
  kind: string;
  scrapeIntervalSeconds: number;
  durationSeconds: number;
  /** The canary's request rate, when known. */
  rps: number | null;
  sloPercent?: number;
  scrapes: Scrape[];
  /** Ground truth, for generated scenarios. */
  truth?: {
    /**
     * At each scrape, the canary's bad requests (errors, or slower than the
     * baseline's p99) beyond what the baseline's rates would have given,
     * cumulative since the onset: the harm of not rolling back yet.
     */
    excessBad: number[];
    /** Does the regression exceed the default policy's limits (+1 pp of errors; a p95 1.75x or +500 ms worse, whichever is less)? */
    exceedsDefaultPolicy: boolean;
  };
};

/** How many scenarios of each category; missing ones are 0. */
export type CorpusSizes = Partial<Record<Category, number>>;

export const DEFAULT_SIZES: Required<CorpusSizes> = {
  healthy: 3000,
  subtle: 400,
  gross: 600,
  low_traffic: 300,
  no_canary_traffic: 150,
  outage: 300,
  stale: 300,
  target_error: 300,
  // 400 runs: with none rolled back, the 95% upper bound is under 1%.
  shared_outage: 400,
  error_offset: 400,
  latency_offset: 400,
  latency_creep: 400,
  warmup: 400,
  very_low_traffic: 1200,
};

export type CorpusOptions = {
  seed: string;
  sizes: CorpusSizes;
  /** Run length (default 3 h: Kayenta's recommended canary lifetime). */
  durationSeconds?: number;
  /** 'auto' (an SLO the baseline meets with room), 'off', or a percentage. */
  slo?: 'auto' | 'off' | number;
  /** Scales the per-arm noise (default 1; 0: the arms differ only by chance). */
  armNoise?: number;
};

export const DEFAULT_DURATION_SECONDS = 3 * 3600;
export const SCRAPE_INTERVALS: readonly number[] = [5, 15, 60];

/**
 * The SLO a service with this baseline error rate would plausibly have:
 * the tightest usual objective whose error budget is at least twice the
 * baseline's error rate (so the healthy service burns at most half its
 * budget).
 */
export function autoSlo(baselineErrorRate: number): number {
  for (const slo of [99.9, 99.5, 99, 98, 95, 90]) {
    if (1 - slo / 100 >= 2 * baselineErrorRate) return slo;
  }
  return 80;
}

/** The scenario parameters of the corpus, in a fixed order. */
export function generateScenarios(options: CorpusOptions): ScenarioParams[] {
  const scenarios: ScenarioParams[] = [];
  for (const category of CATEGORIES) {
    const count = options.sizes[category] ?? 0;
    for (let index = 0; index < count; index++) {
      scenarios.push(sampleScenario(category, index, options));
    }
  }
  return scenarios;
}

/**
 * Draws the parameters of one scenario of `category` from the corpus seed.
 * The `index`-th scenario of a category is the same whatever the sizes of
 * the others.
 */
export function sampleScenario(
  category: Category,
  index: number,
  options: Pick<CorpusOptions, 'seed' | 'durationSeconds' | 'slo' | 'armNoise'>,
): ScenarioParams {
  const id = `${category}-${String(index).padStart(4, '0')}`;
  const rng = new Rng(`${options.seed}/params/${id}`);
  const duration = options.durationSeconds ?? DEFAULT_DURATION_SECONDS;
  const armNoise = options.armNoise ?? 1;
  const scenario: ScenarioParams = {
    id,
    category,
    seed: `${options.seed}/${id}`,
    durationSeconds: duration,
    // Cycle through the scrape intervals so each gets a third of a category.
    scrapeIntervalSeconds: SCRAPE_INTERVALS[index % SCRAPE_INTERVALS.length],
    rps: rng.logUniform(5, 500),
    baselineErrorRate: rng.logUniform(0.001, 0.02),
    latency: {
      medianSeconds: rng.logUniform(0.05, 0.3),
      sigma: rng.uniform(0.3, 0.7),
    },
    dailyCycle: { amplitude: rng.uniform(0, 0.5), phase: rng.next() },
    noise: {
      tauSeconds: rng.logUniform(60, 900),
      traffic: { shared: 0.15, perArm: 0.05 * armNoise },
      errors: { shared: 0.3, perArm: 0.1 * armNoise },
      latency: { shared: 0.1, perArm: 0.03 * armNoise },
    },
  };
  const partWay = () => Math.round(rng.uniform(5, 60)) * 60;

  switch (category) {
    case 'healthy':
      break;
    case 'subtle': {
      const onsetSeconds = rng.chance(0.4) ? partWay() : 0;
      const kind = rng.pick(['errors', 'latency', 'tail'] as const);
      if (kind === 'errors') {
        scenario.regression = {
          onsetSeconds,
          errorMultiplier: rng.uniform(2, 3),
        };
      } else if (kind === 'latency') {
        // Log-normal: p95 scales with the whole distribution.
        scenario.regression = {
          onsetSeconds,
          latencyMultiplier: rng.uniform(1.1, 1.5),
        };
      } else {
        scenario.regression = {
          onsetSeconds,
          tail: {
            fraction: rng.uniform(0.02, 0.05),
            multiplier: rng.uniform(2, 5),
          },
        };
      }
      break;
    }
    case 'gross': {
      scenario.rps = rng.logUniform(2, 500);
      const onsetSeconds = rng.chance(0.3) ? partWay() : 0;
      scenario.regression = grossRegression(rng, onsetSeconds);
      break;
    }
    case 'low_traffic': {
      scenario.rps = rng.logUniform(0.1, 5);
      if (rng.chance(0.5)) {
        scenario.burst = {
          onFraction: rng.uniform(0.1, 0.3),
          onMultiplier: rng.uniform(2.5, 3),
          meanOnSeconds: rng.uniform(30, 120),
        };
      }
      if (index % 3 === 2) {
        scenario.regression = grossRegression(rng, 0);
      }
      break;
    }
    case 'no_canary_traffic':
      scenario.canaryTraffic = index % 2 === 0 ? 'absent' : 'zero';
      break;
    case 'outage': {
      const count = 1 + Math.floor(rng.next() * 3);
      scenario.outages = stretches(rng, count, duration, 60, 15 * 60);
      break;
    }
    case 'stale': {
      const count = 1 + Math.floor(rng.next() * 3);
      scenario.stale = stretches(rng, count, duration, 2 * 60, 20 * 60);
      break;
    }
    case 'target_error':
      // The issue's target: error rate 0.5% -> 1.5% at 100 rps (no daily
      // cycle: the rate is the target's; the noise stays).
      scenario.rps = 100;
      scenario.dailyCycle = { amplitude: 0, phase: 0 };
      scenario.baselineErrorRate = 0.005;
      scenario.regression = { onsetSeconds: 0, errorMultiplier: 3 };
      break;
    case 'shared_outage': {
      // A/A: a downstream outage hits both arms alike, from a few percent
      // of errors to most requests, for minutes to an hour, sometimes
      // slower too.
      const count = 1 + Math.floor(rng.next() * 3);
      scenario.sharedIncidents = stretches(rng, count, duration, 0, 0).map(
        ({ fromSeconds }) => ({
          fromSeconds,
          toSeconds: Math.min(
            duration,
            fromSeconds + Math.round(rng.logUniform(120, 3600)),
          ),
          errorRate: rng.logUniform(0.02, 0.6),
          latencyMultiplier: rng.chance(0.5) ? 1 : rng.uniform(1.2, 3),
        }),
      );
      scenario.healthChecks = maybeHealthChecks(rng);
      break;
    }
    case 'error_offset':
      // Canary pods in another zone: a constant +0.1 to +0.4 pp of errors,
      // within the default policy's +1 pp.
      scenario.canaryOffset = { errorPoints: rng.uniform(0.001, 0.004) };
      scenario.healthChecks = maybeHealthChecks(rng);
      break;
    case 'latency_offset': {
      // A constant latency shift within the default policy (up to 80% of
      // its allowance: 1.75x or +500 ms), the baseline's p95 placed just
      // under a bucket bound so that the shift straddles it.
      const edge = rng.pick([0.05, 0.1, 0.25, 0.5, 1]);
      const p95 = edge * rng.uniform(0.7, 1);
      const sigma = scenario.latency.sigma;
      scenario.latency.medianSeconds = p95 / Math.exp(1.645 * sigma);
      const allowance = Math.min(0.5 / p95, 0.75);
      scenario.canaryOffset = {
        latencyMultiplier: 1 + allowance * rng.uniform(0.15, 0.8),
      };
      break;
    }
    case 'latency_creep':
      // +2 to +30 ms per minute: a regression once the canary's p95
      // passes the policy's limit, minutes or hours in.
      scenario.latencyCreep = {
        secondsPerMinute: rng.logUniform(0.002, 0.03),
      };
      break;
    case 'warmup':
      // Errors and slowness while the canary warms up (10-60 s), then the
      // same as the baseline.
      scenario.warmup = {
        seconds: Math.round(rng.uniform(10, 60)),
        errorRate: rng.logUniform(0.05, 0.5),
        latencyMultiplier: rng.uniform(1, 4),
      };
      scenario.healthChecks = maybeHealthChecks(rng);
      break;
    case 'very_low_traffic':
      // 0.01-0.1 rps (a request every 10-100 s); two thirds with a gross
      // regression: the judge may not be able to decide, and must then
      // escalate to the owners.
      scenario.rps = rng.logUniform(0.01, 0.1);
      if (index % 3 !== 0) scenario.regression = grossRegression(rng, 0);
      scenario.healthChecks = maybeHealthChecks(rng);
      break;
    default:
      break;
  }

  if (options.slo === 'off') scenario.sloPercent = null;
  else if (typeof options.slo === 'number') scenario.sloPercent = options.slo;
  else scenario.sloPercent = autoSlo(scenario.baselineErrorRate);
  return scenario;
}

/** Health checks on half of the runs: 0.1-1 a second, 0-0.5% failing. */
function maybeHealthChecks(rng: Rng): HealthCheckParams | undefined {
  if (!rng.chance(0.5)) return undefined;
  return {
    perSecond: rng.logUniform(0.1, 1),
    failureRate: rng.uniform(0, 0.005),
  };
}

function grossRegression(rng: Rng, onsetSeconds: number): RegressionParams {
  const kind = rng.pick(['errors', 'latency', 'crash_loop'] as const);
  if (kind === 'errors') {
    return { onsetSeconds, errorMultiplier: rng.logUniform(10, 50) };
  }
  if (kind === 'latency') {
    return { onsetSeconds, latencyMultiplier: rng.uniform(2, 4) };
  }
  return {
    onsetSeconds,
    crashLoop: {
      periodSeconds: rng.uniform(60, 300),
      downSeconds: rng.uniform(15, 60),
    },
  };
}

/**
 * `count` stretches of `min`-`max` seconds, the first starting in the first
 * 45 minutes (within every judge's watch), the others anywhere in the first
 * two hours.
 */
function stretches(
  rng: Rng,
  count: number,
  duration: number,
  min: number,
  max: number,
): Array<{ fromSeconds: number; toSeconds: number }> {
  const result = [];
  for (let i = 0; i < count; i++) {
    const from = Math.round(rng.uniform(0, i === 0 ? 45 * 60 : 120 * 60));
    const to = Math.min(duration, from + Math.round(rng.uniform(min, max)));
    result.push({ fromSeconds: Math.min(from, duration), toSeconds: to });
  }
  return result;
}

/** The kind of regression a scenario has, for the breakdowns. */
export function regressionKind(params: ScenarioParams): string {
  if (params.latencyCreep) return 'creep';
  const r = params.regression;
  if (!r) return 'none';
  const kinds = [
    r.errorMultiplier !== undefined && r.errorMultiplier !== 1
      ? 'errors'
      : null,
    r.latencyMultiplier !== undefined && r.latencyMultiplier !== 1
      ? 'latency'
      : null,
    r.tail ? 'tail' : null,
    r.crashLoop ? 'crash_loop' : null,
  ].filter(Boolean);
  if (kinds.length === 0) return 'none';
  return kinds.length === 1 ? (kinds[0] as string) : 'mixed';
}

/** The latency distribution of one arm at one moment. */
type LatencyShape = {
  /** Median of the unslowed log-normal. */
  median: number;
  sigma: number;
  /** Slowest fraction slowed by `tailMultiplier` (0: none). */
  tailFraction: number;
  tailMultiplier: number;
  /** Seconds added to every request (a creep). */
  shift?: number;
};

/** P(latency <= bound) for a latency shape. */
function latencyCdf(bound: number, shape: LatencyShape): number {
  if (shape.shift) {
    return latencyCdf(bound - shape.shift, { ...shape, shift: 0 });
  }
  if (!(bound > 0)) return 0;
  const z = Math.log(bound / shape.median) / shape.sigma;
  if (!(shape.tailFraction > 0)) return normalCdf(z);
  const zq = normalQuantile(1 - shape.tailFraction);
  const zSlow =
    Math.log(bound / (shape.median * shape.tailMultiplier)) / shape.sigma;
  return (
    normalCdf(Math.min(z, zq)) + Math.max(0, normalCdf(zSlow) - normalCdf(zq))
  );
}

/** The q-quantile of a latency shape (bisection on the log scale). */
export function latencyQuantile(q: number, shape: LatencyShape): number {
  let lo = Math.log(1e-6);
  let hi = Math.log(1e4);
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (latencyCdf(Math.exp(mid), shape) < q) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/** One arm's running state while a recording is generated. */
type ArmState = {
  requests: number;
  errors: number;
  /** Per-bucket (non-cumulative) counts, the last one +Inf. */
  buckets: number[];
  trafficNoise: number;
  errorNoise: number;
  latencyNoise: number;
  checksPassed: number;
  checksFailed: number;
};

function newArm(bucketCount: number): ArmState {
  return {
    requests: 0,
    errors: 0,
    checksPassed: 0,
    checksFailed: 0,
    buckets: new Array(bucketCount + 1).fill(0),
    trafficNoise: 0,
    errorNoise: 0,
    latencyNoise: 0,
  };
}

function snapshot(
  arm: ArmState,
  bounds: readonly number[],
  withChecks = false,
): ArmMetrics {
  const latencyBuckets: LatencyBucket[] = [];
  let cumulative = 0;
  for (let i = 0; i < arm.buckets.length; i++) {
    cumulative += arm.buckets[i];
    latencyBuckets.push({
      le: i < bounds.length ? bounds[i] : Infinity,
      count: cumulative,
    });
  }
  return {
    requests: arm.requests,
    errors: arm.errors,
    latencyBuckets,
    ...(withChecks
      ? {
          healthChecks: {
            passed: arm.checksPassed,
            failed: arm.checksFailed,
          },
        }
      : {}),
  };
}

function zeroMetrics(
  bounds: readonly number[],
  withChecks: boolean,
): ArmMetrics {
  return snapshot(newArm(bounds.length), bounds, withChecks);
}

function inStretch(
  t: number,
  stretchList: Array<{ fromSeconds: number; toSeconds: number }> | undefined,
): boolean {
  if (!stretchList) return false;
  return stretchList.some(s => t > s.fromSeconds && t <= s.toSeconds);
}

/** The simulation's time step: traffic and noise change every 5 s. */
const STEP_SECONDS = 5;

/**
 * Simulates a scenario: every 5 s, each arm's requests (Poisson), errors
 * (binomial) and latency histogram (multinomial) from the rates of that
 * moment, with the daily cycle, the bursts and the AR(1) noise; every
 * scrape interval, a scrape of the cumulative counts.
 */
export function generateRecording(
  params: ScenarioParams,
  corpusSeed = 'glidepath',
): Recording {
  const rng = new Rng(params.seed ?? `${corpusSeed}/${params.id}`);
  const bounds = params.buckets ?? DEFAULT_BUCKETS;
  const dt = STEP_SECONDS;
  const scrapeEvery = params.scrapeIntervalSeconds;
  const duration = params.durationSeconds;
  const regression = params.regression;
  const onset = regression ? regression.onsetSeconds : Infinity;
  const noise = params.noise;
  const phi = Math.exp(-dt / noise.tauSeconds);
  const innovation = Math.sqrt(1 - phi * phi);
  const canary = newArm(bounds.length);
  const baseline = newArm(bounds.length);
  let sharedTraffic = rng.normal() * noise.traffic.shared;
  let sharedErrors = rng.normal() * noise.errors.shared;
  let sharedLatency = rng.normal() * noise.latency.shared;
  for (const arm of [canary, baseline]) {
    arm.trafficNoise = rng.normal() * noise.traffic.perArm;
    arm.errorNoise = rng.normal() * noise.errors.perArm;
    arm.latencyNoise = rng.normal() * noise.latency.perArm;
  }

  // Bursts: a two-state Markov chain shared by both arms.
  const burst = params.burst;
  let burstOn = burst ? rng.chance(burst.onFraction) : false;
  const offMultiplier = burst
    ? Math.max(
        0,
        (1 - burst.onFraction * burst.onMultiplier) / (1 - burst.onFraction),
      )
    : 1;

  // Crash loop: the first crash comes at the onset.
  const crash = regression?.crashLoop;
  const crashDown = (t: number) =>
    crash !== undefined &&
    t > onset &&
    (t - onset) % crash.periodSeconds < crash.downSeconds;

  // Noise-free shapes, for the ground truth.
  const base: LatencyShape = {
    median: params.latency.medianSeconds,
    sigma: params.latency.sigma,
    tailFraction: 0,
    tailMultiplier: 1,
  };
  const regressed: LatencyShape = {
    median: base.median * (regression?.latencyMultiplier ?? 1),
    sigma: base.sigma,
    tailFraction: regression?.tail?.fraction ?? 0,
    tailMultiplier: regression?.tail?.multiplier ?? 1,
  };
  const slowBound = latencyQuantile(0.99, base);
  const baselineBad =
    params.baselineErrorRate + (1 - params.baselineErrorRate) * 0.01;
  const regressedErrorRate = Math.min(
    1,
    params.baselineErrorRate * (regression?.errorMultiplier ?? 1),
  );
  const regressedSlow = 1 - latencyCdf(slowBound, regressed);
  const excessPerRequest = (down: boolean) => {
    const p = down ? 1 : regressedErrorRate;
    return Math.max(0, p + (1 - p) * regressedSlow - baselineBad);
  };
  const crashShare = crash ? crash.downSeconds / crash.periodSeconds : 0;
  // A creep is a regression from the moment the canary's p95 passes the
  // default policy's limit (+500 ms or 1.75x, whichever is less) over the
  // baseline's p95 as the service serves then: the load that makes both
  // arms slower or faster (the shared latency noise) moves the limit with
  // it, an added delay does not move. The arms' own wander (the per-arm
  // noise) is left out: the policy tolerates it. Set in the loop below.
  const creep = params.latencyCreep;
  const baseP95 = latencyQuantile(0.95, base);
  // The default policy's allowance over a baseline p95.
  const allowance = (p95: number) => Math.min(0.5, 0.75 * p95);
  let creepOnset = Infinity;
  const creepShift = (t: number) =>
    creep ? (creep.secondsPerMinute * t) / 60 : 0;
  const creepExcess = (t: number) =>
    Math.max(
      0,
      1 -
        latencyCdf(slowBound, { ...base, shift: creepShift(t) }) -
        0.01 * (1 - params.baselineErrorRate),
    );
  const regressionExceedsPolicy =
    regression !== undefined &&
    (regressedErrorRate +
      crashShare * (1 - regressedErrorRate) -
      params.baselineErrorRate >=
      0.01 ||
      latencyQuantile(0.95, regressed) - baseP95 >= allowance(baseP95));

  const scrapes: Scrape[] = [];
  const excessBad: number[] = [];
  let excess = 0;
  const checks = params.healthChecks;
  // Health checks draw from their own numbers, so that adding them leaves
  // the rest of a recording as it was.
  const checkRng = new Rng(
    `${params.seed ?? `${corpusSeed}/${params.id}`}/checks`,
  );
  let previous: { canary?: ArmMetrics; baseline?: ArmMetrics } = {
    canary: zeroMetrics(bounds, checks !== undefined),
    baseline: zeroMetrics(bounds, checks !== undefined),
  };
  const warmup = params.warmup;
  const offset = params.canaryOffset;
  const incidentAt = (t: number) =>
    params.sharedIncidents?.find(i => t > i.fromSeconds && t <= i.toSeconds);
  const canaryTraffic = params.canaryTraffic ?? 'normal';
  const probabilities = new Array(bounds.length + 1).fill(0);

  const stepArm = (arm: ArmState, isCanary: boolean, t: number) => {
    const cycle =
      1 +
      params.dailyCycle.amplitude *
        Math.sin(2 * Math.PI * (t / 86400 + params.dailyCycle.phase));
    const burstFactor = burst
      ? burstOn
        ? burst.onMultiplier
        : offMultiplier
      : 1;
    const trafficSigma2 = noise.traffic.shared ** 2 + noise.traffic.perArm ** 2;
    const rate =
      params.rps *
      cycle *
      burstFactor *
      Math.exp(sharedTraffic + arm.trafficNoise - trafficSigma2 / 2);
    if (isCanary && canaryTraffic !== 'normal') return 0;
    const n = rng.poisson(rate * dt);
    const regressed = isCanary && t > onset;
    const down = isCanary && crashDown(t);
    const warming = isCanary && warmup !== undefined && t <= warmup.seconds;
    const incident = incidentAt(t);
    const errorSigma2 = noise.errors.shared ** 2 + noise.errors.perArm ** 2;
    let p =
      params.baselineErrorRate *
      Math.exp(sharedErrors + arm.errorNoise - errorSigma2 / 2);
    if (regressed) p *= regression?.errorMultiplier ?? 1;
    if (isCanary && offset?.errorPoints) p += offset.errorPoints;
    if (warming) p = Math.max(p, warmup.errorRate);
    if (incident) p += (1 - Math.min(1, p)) * incident.errorRate;
    if (down) p = 1;
    const errors = rng.binomial(n, Math.min(1, p));
    if (checks) {
      const count = checkRng.poisson(checks.perSecond * dt);
      let q = checks.failureRate;
      if (warming) q = Math.max(q, warmup.errorRate);
      if (down) q = 1;
      const failed = checkRng.binomial(count, Math.min(1, q));
      arm.checksFailed += failed;
      arm.checksPassed += count - failed;
    }
    const shape: LatencyShape = {
      median:
        params.latency.medianSeconds *
        Math.exp(sharedLatency + arm.latencyNoise) *
        (regressed ? regression?.latencyMultiplier ?? 1 : 1) *
        (isCanary ? offset?.latencyMultiplier ?? 1 : 1) *
        (warming ? warmup.latencyMultiplier : 1) *
        (incident ? incident.latencyMultiplier : 1),
      sigma: params.latency.sigma,
      tailFraction: regressed ? regression?.tail?.fraction ?? 0 : 0,
      tailMultiplier: regressed ? regression?.tail?.multiplier ?? 1 : 1,
      shift: isCanary ? creepShift(t) : 0,
    };
    let below = 0;
    for (let i = 0; i < bounds.length; i++) {
      const cdf = latencyCdf(bounds[i], shape);
      probabilities[i] = Math.max(0, cdf - below);
      below = Math.max(below, cdf);
    }
    probabilities[bounds.length] = Math.max(0, 1 - below);
    let remaining = n;
    let mass = 1;
    for (let i = 0; i < probabilities.length && remaining > 0; i++) {
      const share =
        i === probabilities.length - 1 ? 1 : probabilities[i] / mass;
      const k = rng.binomial(remaining, Math.min(1, Math.max(0, share)));
      arm.buckets[i] += k;
      remaining -= k;
      mass -= probabilities[i];
      if (!(mass > 0)) mass = 1e-12;
    }
    if (remaining > 0) arm.buckets[arm.buckets.length - 1] += remaining;
    arm.requests += n;
    arm.errors += errors;
    return n;
  };

  const steps = Math.floor(duration / dt);
  const ar = (value: number, sigma: number) =>
    phi * value + innovation * sigma * rng.normal();
  let nextScrape = scrapeEvery;
  for (let step = 1; step <= steps; step++) {
    const t = step * dt;
    sharedTraffic = ar(sharedTraffic, noise.traffic.shared);
    sharedErrors = ar(sharedErrors, noise.errors.shared);
    sharedLatency = ar(sharedLatency, noise.latency.shared);
    if (
      creep &&
      creepOnset === Infinity &&
      creepShift(t) >= allowance(baseP95 * Math.exp(sharedLatency))
    ) {
      creepOnset = t;
    }
    for (const arm of [canary, baseline]) {
      arm.trafficNoise = ar(arm.trafficNoise, noise.traffic.perArm);
      arm.errorNoise = ar(arm.errorNoise, noise.errors.perArm);
      arm.latencyNoise = ar(arm.latencyNoise, noise.latency.perArm);
    }
    if (burst) {
      // Switch with the rates that keep the on-fraction and the mean burst.
      const leave = burstOn
        ? dt / burst.meanOnSeconds
        : (dt / burst.meanOnSeconds) *
          (burst.onFraction / (1 - burst.onFraction));
      if (rng.chance(Math.min(1, leave))) burstOn = !burstOn;
    }
    const canaryRequests = stepArm(canary, true, t);
    stepArm(baseline, false, t);
    if (t > onset) excess += canaryRequests * excessPerRequest(crashDown(t));
    if (t > creepOnset) excess += canaryRequests * creepExcess(t);

    while (nextScrape <= t + 1e-9) {
      const ts = nextScrape;
      nextScrape += scrapeEvery;
      let scrape: Scrape;
      if (inStretch(ts, params.outages)) {
        scrape = { t: ts, status: 'outage' };
      } else if (inStretch(ts, params.stale)) {
        scrape = {
          t: ts,
          status: 'stale',
          canary: previous.canary,
          baseline: previous.baseline,
        };
      } else {
        const baselineNow = snapshot(baseline, bounds, checks !== undefined);
        if (canaryTraffic === 'absent' || crashDown(ts)) {
          scrape = { t: ts, status: 'no_data', baseline: baselineNow };
        } else {
          scrape = {
            t: ts,
            status: 'ok',
            canary: snapshot(canary, bounds, checks !== undefined),
            baseline: baselineNow,
          };
        }
        previous = {
          canary: scrape.canary ?? previous.canary,
          baseline: baselineNow,
        };
      }
      scrapes.push(scrape);
      excessBad.push(excess);
    }
  }

  let sloPercent: number | undefined;
  if (params.sloPercent !== null) {
    sloPercent = params.sloPercent ?? autoSlo(params.baselineErrorRate);
  }
  return {
    id: params.id,
    category: params.category,
    regression: regression !== undefined || creepOnset < duration,
    onsetSeconds: regression
      ? regression.onsetSeconds
      : creepOnset < duration
      ? Math.round(creepOnset)
      : null,
    kind: regressionKind(params),
    scrapeIntervalSeconds: scrapeEvery,
    durationSeconds: duration,
    rps: params.rps,
    sloPercent,
    scrapes,
    truth: {
      excessBad,
      exceedsDefaultPolicy: creepOnset < duration || regressionExceedsPolicy,
    },
  };
}
