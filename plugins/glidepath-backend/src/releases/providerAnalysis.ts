import type {
  ProviderAnalysisMeasurement,
  ProviderAnalysisMetric,
  ProviderAnalysisRun,
  Verdict,
} from '@glidepath/backstage-plugin-common';

/** Measurements kept per metric: the latest ones (Argo keeps 10 by default). */
export const MAX_PROVIDER_MEASUREMENTS = 20;
/** Runs kept per release: the latest ones. */
export const MAX_PROVIDER_RUNS = 50;

const VERDICTS: ReadonlySet<string> = new Set<Verdict>([
  'pass',
  'fail',
  'inconclusive',
  'no_data',
]);

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value)
    ? Math.max(0, Math.trunc(value))
    : 0;
}

function verdict(value: unknown): Verdict | null {
  return typeof value === 'string' && VERDICTS.has(value)
    ? (value as Verdict)
    : null;
}

/** A time as ISO 8601, or null when it is missing or does not parse. */
function time(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function latest<T>(items: readonly T[] | undefined, max: number): T[] {
  if (!Array.isArray(items)) return [];
  return items.length > max ? items.slice(items.length - max) : [...items];
}

function measurement(
  m: ProviderAnalysisMeasurement,
): ProviderAnalysisMeasurement {
  return {
    phase: text(m.phase) ?? 'Unknown',
    verdict: verdict(m.verdict),
    value: text(m.value),
    message: text(m.message),
    startedAt: time(m.startedAt),
    finishedAt: time(m.finishedAt),
  };
}

function metric(m: ProviderAnalysisMetric): ProviderAnalysisMetric {
  return {
    name: text(m.name) ?? '(unnamed metric)',
    phase: text(m.phase) ?? 'Unknown',
    verdict: verdict(m.verdict),
    count: count(m.count),
    successful: count(m.successful),
    failed: count(m.failed),
    inconclusive: count(m.inconclusive),
    error: count(m.error),
    message: text(m.message),
    successCondition: text(m.successCondition),
    failureCondition: text(m.failureCondition),
    failureLimit:
      typeof m.failureLimit === 'number' && Number.isFinite(m.failureLimit)
        ? m.failureLimit
        : null,
    measurements: latest(m.measurements, MAX_PROVIDER_MEASUREMENTS).map(
      measurement,
    ),
  };
}

/**
 * What Glidepath keeps of a provider's analysis runs: exactly the fields of
 * the API (a provider's extra fields are dropped), times as ISO 8601, counts
 * as non-negative integers, unknown verdicts as none, and the latest
 * {@link MAX_PROVIDER_RUNS} runs with the latest
 * {@link MAX_PROVIDER_MEASUREMENTS} measurements per metric, so a long-running
 * background analysis cannot grow a release without bound.
 */
export function normaliseProviderAnalysis(
  runs: readonly ProviderAnalysisRun[],
): ProviderAnalysisRun[] {
  return latest(runs, MAX_PROVIDER_RUNS).map(run => ({
    name: text(run.name) ?? '(unnamed run)',
    kind: text(run.kind),
    phase: text(run.phase) ?? 'Unknown',
    verdict: verdict(run.verdict),
    message: text(run.message),
    startedAt: time(run.startedAt),
    metrics: (Array.isArray(run.metrics) ? run.metrics : []).map(metric),
  }));
}
