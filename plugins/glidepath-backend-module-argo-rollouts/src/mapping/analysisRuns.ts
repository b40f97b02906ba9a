/**
 * AnalysisRuns as Glidepath shows them: verdicts, metrics with their
 * measurements, and which release each run belongs to.
 */
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import type {
  ProviderAnalysisMeasurement,
  ProviderAnalysisMetric,
  ProviderAnalysisRun,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import type { AnalysisRun } from '../resources/analysisRun';
import type { ReplicaSet } from '../resources/replicaSet';
import { releaseId, type RolloutLocation } from './releaseIds';

/** A measurement of an analysis metric with Glidepath's reading of it. @public */
export type MeasurementView = ProviderAnalysisMeasurement;

/** An analysis run's metric with its measurements. @public */
export type MetricView = ProviderAnalysisMetric;

/** An AnalysisRun of a release, and the revision it analysed. @public */
export type AnalysisRunView = ProviderAnalysisRun & {
  revision: number | null;
};

/**
 * Argo's analysis phases as Glidepath verdicts: Successful is a pass, Failed
 * a fail, Inconclusive inconclusive; Error (the measurement itself failed,
 * e.g. the metrics server was down) is no data; Pending and Running have no
 * verdict yet.
 * @public
 */
export function verdictOf(phase: string): Verdict | null {
  switch (phase) {
    case 'Successful':
      return 'pass';
    case 'Failed':
      return 'fail';
    case 'Inconclusive':
      return 'inconclusive';
    case 'Error':
      return 'no_data';
    default:
      return null;
  }
}

/** The phases in which an analysis has finished. */
export const COMPLETED_ANALYSIS = new Set([
  'Successful',
  'Failed',
  'Error',
  'Inconclusive',
]);

/** Maps an AnalysisRun. @public */
export function mapAnalysisRun(run: AnalysisRun): AnalysisRunView {
  return {
    name: run.meta.name,
    revision: run.revision,
    kind: run.rolloutType,
    phase: run.phase,
    verdict: verdictOf(run.phase),
    message: run.message,
    startedAt: run.startedAt,
    metrics: run.metrics.map(metric => ({
      name: metric.name,
      phase: metric.phase,
      verdict: verdictOf(metric.phase),
      count: metric.count,
      successful: metric.successful,
      failed: metric.failed,
      inconclusive: metric.inconclusive,
      error: metric.error,
      message: metric.message,
      successCondition: metric.successCondition,
      failureCondition: metric.failureCondition,
      failureLimit: metric.failureLimit,
      measurements: metric.measurements.map(m => ({
        phase: m.phase,
        verdict: verdictOf(m.phase),
        value: m.value,
        message: m.message,
        startedAt: m.startedAt,
        finishedAt: m.finishedAt,
      })),
    })),
  };
}

/** A run as Glidepath stores it with the release (the release is the revision). */
function withoutRevision(run: AnalysisRunView): ProviderAnalysisRun {
  const { revision: _revision, ...rest } = run;
  return rest;
}

/**
 * A Rollout's analysis runs per release id, oldest first. A run belongs to
 * the revision it names, or else to the ReplicaSet with its pod template
 * hash; a run with neither is left out.
 */
export function analysisRunsByRelease(
  location: RolloutLocation,
  runs: AnalysisRun[],
  replicaSets: ReplicaSet[],
): Record<string, AnalysisRunView[]> {
  const analysisRuns: Record<string, AnalysisRunView[]> = {};
  for (const run of runs) {
    const revision =
      run.revision ??
      replicaSets.find(rs => rs.podTemplateHash === run.podTemplateHash)
        ?.revision ??
      null;
    if (revision === null) continue;
    const id = releaseId(location, revision);
    (analysisRuns[id] ??= []).push(mapAnalysisRun(run));
  }
  for (const list of Object.values(analysisRuns)) {
    list.sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
  }
  return analysisRuns;
}

/** Gives each release its analysis runs, for Glidepath to store with it. */
export function attachAnalysisRuns(
  releases: ObservedRelease[],
  analysisRuns: Record<string, AnalysisRunView[]>,
): void {
  for (const release of releases) {
    const ofRelease = analysisRuns[release.providerReleaseId];
    if (ofRelease) release.providerAnalysis = ofRelease.map(withoutRevision);
  }
}
