/**
 * Emulations of three other canary judges on the same recordings, each with
 * the configuration its documentation gives, querying the recording as a
 * Prometheus TSDB (see prometheus.ts). Sources and exact settings are in
 * bench/canary/README.md; where a value is our choice it says so.
 *
 * These are emulations of the analysis logic (queries, thresholds, counters
 * and timing), not the tools themselves: every judge sees the same
 * recording, whatever traffic weight its own process would have set.
 */
import type { Recording } from './corpus';
import type { JudgeOutcome } from './glidepath';
import { hashString } from './random';
import {
  PromView,
  lastTwoIncrease,
  quantileOf,
  rangeIncrease,
  type Series,
} from './prometheus';
import { normalQuantile } from './stats';

// ---------------------------------------------------------------- Flagger

/**
 * Flagger's documented defaults: `analysis.interval: 1m`, `threshold: 5`,
 * `stepWeight: 10`, `maxWeight: 50`, the builtin `request-success-rate`
 * (min 99, over 1m) and `request-duration` (max 500 ms P99, over 1m).
 */
export const FLAGGER = {
  intervalSeconds: 60,
  threshold: 5,
  stepWeight: 10,
  maxWeight: 50,
  metricIntervalSeconds: 60,
  minSuccessRatePercent: 99,
  maxDurationP99Ms: 500,
} as const;

type CheckResult = 'pass' | 'fail' | 'no_data';

/** One run of Flagger's builtin checks at time t (runBuiltinMetricChecks). */
function flaggerCheck(view: PromView, t: number): CheckResult {
  // A failed Prometheus query and "no values found" both halt advancement
  // and count as a failed check.
  if (view.queryFails(t)) return 'no_data';
  const inc = rangeIncrease(view.canary, t, FLAGGER.metricIntervalSeconds);
  if (!inc || !(inc.requests > 0)) return 'no_data';
  const successRate = 100 * (1 - inc.errors / inc.requests);
  if (successRate < FLAGGER.minSuccessRatePercent) return 'fail';
  const p99 = quantileOf(0.99, inc);
  if (Number.isNaN(p99)) return 'no_data';
  if (p99 * 1000 > FLAGGER.maxDurationP99Ms) return 'fail';
  return 'pass';
}

/**
 * Flagger's scheduler (advanceCanary): every interval, roll back if the
 * failed checks reached the threshold, else run the checks; a failed check
 * increments the (never reset) counter and holds the weight, a passing one
 * adds `stepWeight`; at `maxWeight` a passing check promotes and the
 * analysis ends. The canary got its first weight at t = 0; the ticks fall
 * at a random phase of the scrapes.
 */
export function runFlagger(recording: Recording): JudgeOutcome {
  const view = new PromView(recording);
  const phase = (hashString(`${recording.id}/flagger`) % 60000) / 1000;
  const end = recording.durationSeconds;
  const passesToPromote = FLAGGER.maxWeight / FLAGGER.stepWeight;
  let failed = 0;
  let failedOnMetrics = 0;
  let passes = 0;
  for (
    let t = FLAGGER.intervalSeconds + phase;
    t <= end;
    t += FLAGGER.intervalSeconds
  ) {
    if (failed >= FLAGGER.threshold) {
      return {
        rollbackAt: t,
        cause:
          failedOnMetrics >= FLAGGER.threshold ? 'metrics' : 'missing_data',
        promoteAt: null,
        watchEnd: t,
      };
    }
    const result = flaggerCheck(view, t);
    if (result === 'pass') {
      passes++;
      if (passes >= passesToPromote) {
        return { rollbackAt: null, cause: null, promoteAt: t, watchEnd: t };
      }
    } else {
      failed++;
      if (result === 'fail') failedOnMetrics++;
    }
  }
  return { rollbackAt: null, cause: null, promoteAt: null, watchEnd: end };
}

// ----------------------------------------------------------- Argo Rollouts

/**
 * The documented background-analysis example: the Rollout's steps
 * (setWeight 20/40/60/80 with a 10-minute pause after each), the analysis
 * starting at step 2, and the `success-rate` AnalysisTemplate (interval
 * 5m, `successCondition: result[0] >= 0.95`, `failureLimit: 3`, irate over
 * [5m]); `consecutiveErrorLimit` at its default, 4, and errors retried
 * after 10 s (DefaultErrorRetryInterval).
 */
export const ARGO = {
  analysisStartSeconds: 600,
  rolloutEndSeconds: 2400,
  intervalSeconds: 300,
  rangeSeconds: 300,
  successThreshold: 0.95,
  failureLimit: 3,
  consecutiveErrorLimit: 4,
  errorRetrySeconds: 10,
} as const;

type Measurement = 'Successful' | 'Failed' | 'Error';

function argoMeasure(
  view: PromView,
  t: number,
): { phase: Measurement; nan: boolean } {
  if (view.queryFails(t)) return { phase: 'Error', nan: false };
  const inc = lastTwoIncrease(view.canary, t, ARGO.rangeSeconds);
  // An empty vector: `result[0]` cannot be evaluated.
  if (!inc) return { phase: 'Error', nan: false };
  // 0 / 0 is NaN, and NaN >= 0.95 is false: a failed measurement.
  if (!(inc.requests > 0)) return { phase: 'Failed', nan: true };
  const successRate = 1 - inc.errors / inc.requests;
  return {
    phase: successRate >= ARGO.successThreshold ? 'Successful' : 'Failed',
    nan: false,
  };
}

/**
 * The AnalysisRun (analysis.go): Failed once failed measurements exceed
 * failureLimit, Error once consecutive errors exceed consecutiveErrorLimit;
 * either aborts the rollout. It completes when the last step's pause ends.
 */
export function runArgo(recording: Recording): JudgeOutcome {
  const view = new PromView(recording);
  const end = Math.min(recording.durationSeconds, ARGO.rolloutEndSeconds);
  let failed = 0;
  let failedOnMetrics = 0;
  let consecutiveErrors = 0;
  let t = ARGO.analysisStartSeconds;
  while (t < end) {
    const { phase, nan } = argoMeasure(view, t);
    if (phase === 'Error') {
      consecutiveErrors++;
      if (consecutiveErrors > ARGO.consecutiveErrorLimit) {
        return {
          rollbackAt: t,
          cause: 'missing_data',
          promoteAt: null,
          watchEnd: t,
        };
      }
      t += ARGO.errorRetrySeconds;
      continue;
    }
    consecutiveErrors = 0;
    if (phase === 'Failed') {
      failed++;
      if (!nan) failedOnMetrics++;
      if (failed > ARGO.failureLimit) {
        return {
          rollbackAt: t,
          cause:
            failedOnMetrics > ARGO.failureLimit ? 'metrics' : 'missing_data',
          promoteAt: null,
          watchEnd: t,
        };
      }
    }
    t += ARGO.intervalSeconds;
  }
  const completed = recording.durationSeconds >= ARGO.rolloutEndSeconds;
  return {
    rollbackAt: null,
    cause: null,
    promoteAt: completed ? ARGO.rolloutEndSeconds : null,
    watchEnd: end,
  };
}

// ------------------------------------------------------------------ Kayenta

/**
 * Spinnaker's "Best practices for configuring canary": lifetime 3 h,
 * interval 1 h, no warm-up, no lookback, marginal 75, pass 95. The
 * NetflixACAJudge's classifier (Mann-Whitney, confidence 0.98, tolerance
 * 0.25, effect size 1.0, NaN strategy remove, IQR outlier removal). The
 * canary config is ours: two groups of one metric each (error ratio and
 * p95 latency, "fail on increase"), 50/50 weights, 60 s steps.
 */
export const KAYENTA = {
  lifetimeSeconds: 3 * 3600,
  intervalSeconds: 3600,
  stepSeconds: 60,
  marginal: 75,
  pass: 95,
  confidence: 0.98,
  tolerance: 0.25,
  allowedIncrease: 1.0,
  outlierFactor: 3,
} as const;

/** Apache Commons Math's default percentile (the R-6 estimate). */
function commonsPercentile(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 1) return sorted[0];
  const pos = (p * (n + 1)) / 100;
  if (pos < 1) return sorted[0];
  if (pos >= n) return sorted[n - 1];
  const lower = sorted[Math.floor(pos) - 1];
  const upper = sorted[Math.floor(pos)];
  return lower + (pos - Math.floor(pos)) * (upper - lower);
}

/** IQRDetector(factor = 3, reduceSensitivity = true): drops the outliers. */
export function removeOutliers(
  values: number[],
  factor = KAYENTA.outlierFactor,
): number[] {
  if (values.length === 0) return values;
  const sorted = [...values].sort((a, b) => a - b);
  const p25 = commonsPercentile(sorted, 25);
  const p75 = commonsPercentile(sorted, 75);
  const iqr = p75 - p25;
  const lower = Math.min(commonsPercentile(sorted, 1), p25 - factor * iqr);
  const upper = Math.max(commonsPercentile(sorted, 99), p75 + factor * iqr);
  return values.filter(v => v >= lower && v <= upper);
}

/**
 * The Wilcoxon statistic of `x - mu` against `y` (both sorted), normalised
 * as R's wilcox.test does for its asymptotic confidence interval (ties and
 * continuity corrected), as Kayenta's MannWhitney.scala ports it.
 */
function wilcoxonZ(
  x: readonly number[],
  y: readonly number[],
  mu: number,
): number {
  const nx = x.length;
  const ny = y.length;
  let i = 0;
  let j = 0;
  let rank = 0;
  let rankSumX = 0;
  let ties = 0;
  while (i < nx || j < ny) {
    const value = Math.min(
      i < nx ? x[i] - mu : Infinity,
      j < ny ? y[j] : Infinity,
    );
    let gx = 0;
    let gy = 0;
    while (i < nx && x[i] - mu === value) {
      gx++;
      i++;
    }
    while (j < ny && y[j] === value) {
      gy++;
      j++;
    }
    const g = gx + gy;
    rankSumX += gx * (rank + (g + 1) / 2);
    rank += g;
    ties += g * g * g - g;
  }
  const dz = rankSumX - (nx * (nx + 1)) / 2 - (nx * ny) / 2;
  const correction = Math.sign(dz) * 0.5;
  const n = nx + ny;
  const sigma = Math.sqrt(((nx * ny) / 12) * (n + 1 - ties / (n * (n - 1))));
  if (!(sigma > 0)) return 0;
  return (dz - correction) / sigma;
}

/** The root in mu of wilcoxonZ(mu) = q, as Kayenta's findRoot does. */
function wilcoxonRoot(
  x: readonly number[],
  y: readonly number[],
  q: number,
  bracket: boolean,
): number {
  let lo = x[0] - y[y.length - 1];
  let hi = x[x.length - 1] - y[0];
  if (bracket) {
    if (wilcoxonZ(x, y, lo) - q <= 0) return lo;
    if (wilcoxonZ(x, y, hi) - q >= 0) return hi;
  }
  for (let k = 0; k < 80; k++) {
    const mid = (lo + hi) / 2;
    if (wilcoxonZ(x, y, mid) - q > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Mann-Whitney's confidence interval and Hodges-Lehmann-like estimate of canary - baseline. */
export function mannWhitney(
  canary: readonly number[],
  baseline: readonly number[],
  confidence: number,
): { lower: number; upper: number; estimate: number } {
  const x = [...canary].sort((a, b) => a - b);
  const y = [...baseline].sort((a, b) => a - b);
  const zq = normalQuantile((1 - confidence) / 2);
  return {
    lower: wilcoxonRoot(x, y, -zq, true),
    upper: wilcoxonRoot(x, y, zq, true),
    estimate: wilcoxonRoot(x, y, 0, false),
  };
}

export type KayentaClass = 'Pass' | 'High' | 'Low' | 'Nodata';

/** MannWhitneyClassifier.classify, direction "increase". */
export function classifyMetric(
  canaryValues: number[],
  baselineValues: number[],
): KayentaClass {
  const experiment = removeOutliers(canaryValues.filter(v => !Number.isNaN(v)));
  const control = removeOutliers(baselineValues.filter(v => !Number.isNaN(v)));
  if (experiment.length === 0 || control.length === 0) return 'Nodata';
  const se = [...experiment].sort((a, b) => a - b);
  const sc = [...control].sort((a, b) => a - b);
  if (se.length === sc.length && se.every((v, i) => v === sc[i])) return 'Pass';
  if (new Set([...se, ...sc]).size === 1) return 'Pass';
  const mw = mannWhitney(experiment, control, KAYENTA.confidence);
  const bound = KAYENTA.tolerance * Math.abs(mw.estimate);
  const meanOf = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const controlMean = meanOf(control);
  const deviation = controlMean === 0 ? 1 : meanOf(experiment) / controlMean;
  if (mw.lower > bound && deviation >= KAYENTA.allowedIncrease) return 'High';
  return 'Pass';
}

/** The per-step values of one arm over (from, to]: error ratio and p95 latency. */
function stepValues(
  series: Series,
  from: number,
  to: number,
  scrapeSeconds: number,
) {
  const errors: number[] = [];
  const p95: number[] = [];
  // The PromQL range of each step: two steps (rate(...[2m]) at 1m steps),
  // and at least two scrapes, so that no increase falls between two ranges.
  const range = Math.max(2 * KAYENTA.stepSeconds, 2 * scrapeSeconds);
  for (
    let s = from + KAYENTA.stepSeconds;
    s <= to + 1e-9;
    s += KAYENTA.stepSeconds
  ) {
    const inc = rangeIncrease(series, s, range);
    if (!inc || !(inc.requests > 0)) {
      errors.push(NaN);
      p95.push(NaN);
      continue;
    }
    errors.push(inc.errors / inc.requests);
    p95.push(quantileOf(0.95, inc));
  }
  return { errors, p95 };
}

/**
 * Kayenta's canary analysis stage: a judgement at the end of each interval
 * over that interval's data; a score under `marginal` fails the canary at
 * once, and the last one must reach `pass`. A metrics fetch that fails (the
 * provider is down when the interval ends) fails the stage.
 */
export function runKayenta(recording: Recording): JudgeOutcome {
  const view = new PromView(recording);
  const end = Math.min(recording.durationSeconds, KAYENTA.lifetimeSeconds);
  const last = Math.floor(KAYENTA.lifetimeSeconds / KAYENTA.intervalSeconds);
  for (let i = 1; i <= last; i++) {
    const at = i * KAYENTA.intervalSeconds;
    if (at > end) break;
    if (view.queryFails(at)) {
      return {
        rollbackAt: at,
        cause: 'missing_data',
        promoteAt: null,
        watchEnd: at,
      };
    }
    const from = at - KAYENTA.intervalSeconds;
    const c = stepValues(
      view.canary,
      from,
      at,
      recording.scrapeIntervalSeconds,
    );
    const b = stepValues(
      view.baseline,
      from,
      at,
      recording.scrapeIntervalSeconds,
    );
    const groups = [
      classifyMetric(c.errors, b.errors),
      classifyMetric(c.p95, b.p95),
    ];
    let score = 0;
    let noData = 0;
    for (const label of groups) {
      if (label === 'Pass') score += 50;
      if (label === 'Nodata') noData++;
    }
    const failed =
      score < KAYENTA.marginal || (i === last && score < KAYENTA.pass);
    if (failed) {
      const withData = score + 50 * noData;
      const threshold = i === last ? KAYENTA.pass : KAYENTA.marginal;
      return {
        rollbackAt: at,
        cause: noData > 0 && withData >= threshold ? 'missing_data' : 'metrics',
        promoteAt: null,
        watchEnd: at,
      };
    }
    if (i === last) {
      return { rollbackAt: null, cause: null, promoteAt: at, watchEnd: at };
    }
  }
  return { rollbackAt: null, cause: null, promoteAt: null, watchEnd: end };
}
