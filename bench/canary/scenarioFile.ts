/**
 * Reads user scenarios from JSON (format in bench/canary/README.md): either
 * scenario parameters, completed from the seed like the corpus's own, or
 * raw recordings of scrapes.
 */
import type { ArmMetrics } from '@glidepath/backstage-plugin-node';
import {
  autoSlo,
  CATEGORIES,
  sampleScenario,
  type Category,
  type CorpusOptions,
  type Recording,
  type ScenarioParams,
  type Scrape,
} from './corpus';

type Json = Record<string, any>;

function fail(where: string, message: string): never {
  throw new Error(`scenario file, ${where}: ${message}`);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Scenario parameters: the category's sampled scenario, overridden field by field. */
function toScenario(
  entry: Json,
  index: number,
  options: Pick<CorpusOptions, 'seed' | 'durationSeconds' | 'slo' | 'armNoise'>,
): ScenarioParams {
  const category = String(entry.category ?? 'healthy');
  const base = sampleScenario(
    (CATEGORIES as readonly string[]).includes(category)
      ? (category as Category)
      : 'healthy',
    index,
    { ...options, seed: `${options.seed}/file` },
  );
  const id = String(entry.id ?? `file-${category}-${index}`);
  const merged: ScenarioParams = {
    ...base,
    ...entry,
    id,
    category,
    seed: entry.seed ?? `${options.seed}/file/${id}`,
    latency: { ...base.latency, ...(entry.latency ?? {}) },
    dailyCycle: { ...base.dailyCycle, ...(entry.dailyCycle ?? {}) },
    noise: {
      ...base.noise,
      ...(entry.noise ?? {}),
    },
  } as ScenarioParams;
  // null removes what the category drew.
  for (const key of [
    'regression',
    'healthChecks',
    'canaryOffset',
    'latencyCreep',
    'warmup',
    'sharedIncidents',
  ] as const) {
    if (key in entry && entry[key] === null) delete merged[key];
  }
  // The drawn SLO was chosen for the drawn baseline: a new baseline error
  // rate without an SLO gets the one the corpus would give it.
  if (
    !('sloPercent' in entry) &&
    'baselineErrorRate' in entry &&
    (options.slo ?? 'auto') === 'auto'
  ) {
    merged.sloPercent = autoSlo(merged.baselineErrorRate);
  }
  if (!(merged.durationSeconds > 0))
    fail(id, 'durationSeconds must be positive');
  if (!(merged.scrapeIntervalSeconds > 0))
    fail(id, 'scrapeIntervalSeconds must be positive');
  if (!(merged.rps >= 0)) fail(id, 'rps must be >= 0');
  return merged;
}

function toArm(value: unknown, where: string): ArmMetrics | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) fail(where, 'an arm must be an object');
  const buckets = Array.isArray(value.latencyBuckets)
    ? value.latencyBuckets
    : [];
  return {
    requests: Number(value.requests),
    errors: Number(value.errors),
    latencyBuckets: buckets.map((b: Json, i: number) => {
      const le =
        b.le === null ||
        b.le === '+Inf' ||
        b.le === 'Infinity' ||
        b.le === 'inf'
          ? Infinity
          : Number(b.le);
      if (Number.isNaN(le)) fail(where, `bucket ${i} has no numeric le`);
      return { le, count: Number(b.count) };
    }),
    ...(isObject(value.healthChecks)
      ? {
          healthChecks: {
            passed: Number(value.healthChecks.passed),
            failed: Number(value.healthChecks.failed),
          },
        }
      : {}),
  };
}

function toRecording(entry: Json, index: number): Recording {
  const id = String(entry.id ?? `recording-${index}`);
  if (typeof entry.regression !== 'boolean') {
    fail(id, '"regression" (true or false) is required: it is the label');
  }
  const scrapes: Scrape[] = (entry.scrapes as Json[]).map((s, i) => {
    const where = `${id}, scrape ${i}`;
    const status = String(s.status ?? 'ok');
    if (!['ok', 'no_data', 'stale', 'outage'].includes(status)) {
      fail(where, `unknown status "${status}"`);
    }
    const scrape: Scrape = {
      t: Number(s.t),
      status: status as Scrape['status'],
      canary: toArm(s.canary, where),
      baseline: toArm(s.baseline, where),
    };
    if (scrape.status === 'ok' && (!scrape.canary || !scrape.baseline)) {
      fail(where, 'an ok scrape needs both canary and baseline');
    }
    return scrape;
  });
  scrapes.sort((a, b) => a.t - b.t);
  const gaps = scrapes
    .slice(1)
    .map((s, i) => s.t - scrapes[i].t)
    .sort((a, b) => a - b);
  return {
    id,
    category: String(entry.category ?? 'recorded'),
    regression: entry.regression,
    onsetSeconds: entry.regression ? Number(entry.onsetSeconds ?? 0) : null,
    kind: String(entry.kind ?? (entry.regression ? 'recorded' : 'none')),
    scrapeIntervalSeconds: Number(
      entry.scrapeIntervalSeconds ?? gaps[Math.floor(gaps.length / 2)] ?? 15,
    ),
    durationSeconds: Number(
      entry.durationSeconds ?? scrapes[scrapes.length - 1]?.t ?? 0,
    ),
    rps: entry.rps === undefined ? null : Number(entry.rps),
    sloPercent:
      entry.sloPercent === undefined || entry.sloPercent === null
        ? undefined
        : Number(entry.sloPercent),
    scrapes,
  };
}

/**
 * Parses a scenario file: `{ "scenarios": [...], "recordings": [...] }` or
 * one array of both (an entry with `scrapes` is a recording).
 */
export function parseScenarioFile(
  text: string,
  options: Pick<CorpusOptions, 'seed' | 'durationSeconds' | 'slo' | 'armNoise'>,
): { scenarios: ScenarioParams[]; recordings: Recording[] } {
  const data = JSON.parse(text);
  const entries: Json[] = Array.isArray(data)
    ? data
    : [...(data.scenarios ?? []), ...(data.recordings ?? [])];
  const seed =
    !Array.isArray(data) && typeof data.seed === 'string'
      ? data.seed
      : options.seed;
  const scenarios: ScenarioParams[] = [];
  const recordings: Recording[] = [];
  entries.forEach((entry, i) => {
    if (!isObject(entry)) fail(`entry ${i}`, 'must be an object');
    if (Array.isArray(entry.scrapes)) recordings.push(toRecording(entry, i));
    else scenarios.push(toScenario(entry, i, { ...options, seed }));
  });
  return { scenarios, recordings };
}
