import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import { versionOfTemplate } from '../objects';
import type { AnalysisRun } from '../resources/analysisRun';
import type { ReplicaSet } from '../resources/replicaSet';
import type { Rollout } from '../resources/rollout';
import {
  analysisRunsByRelease,
  attachAnalysisRuns,
  type AnalysisRunView,
} from './analysisRuns';
import {
  experimentAnalysisRuns,
  experimentsBySteps,
  type ExperimentParts,
} from './experiments';
import {
  earlierReleases,
  revisionViews,
  versionOf,
  type RevisionView,
} from './history';
import { abortMessage, pauseReasons, rolloutPhase } from './phase';
import {
  ARGO_ROLLOUTS_ACTOR,
  releaseId,
  type RolloutLocation,
} from './releaseIds';
import { releaseSteps } from './steps';
import { date, latest } from './time';
import { actualCanaryWeight } from './weights';

/** Everything Glidepath reads from one Rollout. @public */
export type RolloutView = {
  location: RolloutLocation;
  releases: ObservedRelease[];
  revisions: RevisionView[];
  /** The analysis runs per release id. */
  analysisRuns: Record<string, AnalysisRunView[]>;
  /** Why the rollout is paused: `spec.paused` and the pause conditions. */
  pauseReasons: string[];
  abortMessage: string | null;
  /** The revision being rolled out (the newest). */
  currentRevision: number;
  /** The stable revision, if there is one. */
  stableRevision: number | null;
  /** True when the stable ReplicaSet is the newest: nothing is in progress. */
  fullyPromoted: boolean;
};

/**
 * Maps one Rollout, with its ReplicaSets, AnalysisRuns and Experiments, to
 * Glidepath's releases: one per revision it still has a ReplicaSet for,
 * newest first. ReplicaSets, AnalysisRuns and Experiments that the Rollout
 * does not control are ignored, so the caller may pass a namespace's worth.
 * An experiment step of the current release carries its Experiment, and the
 * Experiment's AnalysisRuns go with the release's own.
 * @public
 */
export function mapRollout(options: {
  cluster: string;
  environment: string;
  rollout: Rollout;
  replicaSets: ReplicaSet[];
  analysisRuns: AnalysisRun[];
  /** The Experiments with the ReplicaSets and AnalysisRuns each controls. */
  experiments?: ExperimentParts[];
  /**
   * When the current revision began, if the reader saw it begin
   * (`RevisionStarts`): the start of a revision whose ReplicaSet was reused
   * (a rollback, a roll forward), which keeps its first creation time.
   */
  currentRevisionStartedAt?: Date | null;
}): RolloutView {
  const { rollout, cluster, environment } = options;
  const location = {
    cluster,
    namespace: rollout.meta.namespace,
    name: rollout.meta.name,
  };
  const ownedBy = (uid: string | null, name: string | null) =>
    rollout.meta.uid ? uid === rollout.meta.uid : name === rollout.meta.name;
  const replicaSets = options.replicaSets
    .filter(rs => ownedBy(rs.rolloutUid, rs.rolloutName))
    .filter(rs => rs.revision !== null)
    .sort((a, b) => b.revision! - a.revision!);
  const experiments = (options.experiments ?? []).filter(parts =>
    ownedBy(parts.experiment.rolloutUid, null),
  );
  const runs = [
    ...options.analysisRuns.filter(run => ownedBy(run.rolloutUid, null)),
    ...experimentAnalysisRuns(experiments),
  ];
  const { status } = rollout;
  const byHash = (hash: string | null) =>
    hash === null
      ? null
      : replicaSets.find(rs => rs.podTemplateHash === hash) ?? null;
  const currentRS = byHash(status.currentPodHash);
  const stableRS = byHash(status.stableRS);
  const fullyPromoted =
    status.stableRS !== null && status.stableRS === status.currentPodHash;

  const currentRevision =
    rollout.revision ??
    currentRS?.revision ??
    (replicaSets.length ? replicaSets[0].revision! + 1 : 1);
  const fallbackVersion = `revision ${currentRevision}`;
  const currentVersion =
    (currentRS && versionOfTemplate(currentRS.templateSummary)) ??
    versionOfTemplate(rollout.templateSummary) ??
    fallbackVersion;

  const older = replicaSets.filter(rs => rs.revision! < currentRevision);
  const previousOfCurrent =
    stableRS && !fullyPromoted && stableRS.revision !== currentRevision
      ? stableRS
      : older[0] ?? null;

  const { phase, message } = rolloutPhase(rollout, runs);
  const now = new Date(0);
  const created = date(
    currentRS?.meta.creationTimestamp ?? rollout.meta.creationTimestamp,
    now,
  );
  const seenBegin = options.currentRevisionStartedAt ?? null;
  const reused = currentRS !== null && currentRS.revisionHistory.length > 0;
  const startedAt =
    reused && seenBegin && seenBegin.getTime() > created.getTime()
      ? seenBegin
      : created;
  const updatedAt = date(
    latest([
      ...status.conditions.map(c => c.lastUpdateTime),
      ...status.conditions.map(c => c.lastTransitionTime),
      ...status.pauseConditions.map(c => c.startTime),
      status.abortedAt,
      currentRS?.meta.creationTimestamp,
      rollout.meta.creationTimestamp,
    ]),
    startedAt,
  );

  let finishedAt: Date | null = null;
  if (phase === 'aborted') {
    finishedAt = date(status.abortedAt, updatedAt);
  } else if (phase === 'failed' || phase === 'succeeded') {
    const progressing = status.conditions.find(c => c.type === 'Progressing');
    finishedAt = date(progressing?.lastTransitionTime ?? null, updatedAt);
  }

  const { steps, strategy, currentStepIndex } = releaseSteps({
    rollout,
    version: currentVersion,
    currentRS,
    phase,
    fullyPromoted,
  });
  const stepExperiments = experimentsBySteps(
    rollout,
    experiments,
    currentRevision,
    status.currentPodHash,
  );
  const stepsWithExperiments = steps.map((step, i) => {
    const experiment = stepExperiments.get(i);
    return experiment ? { ...step, experiment } : step;
  });

  const current: ObservedRelease = {
    providerReleaseId: releaseId(location, currentRevision),
    version: currentVersion,
    previousVersion: previousOfCurrent
      ? versionOf(previousOfCurrent, `revision ${previousOfCurrent.revision}`)
      : null,
    environment,
    strategy,
    phase,
    steps: stepsWithExperiments,
    currentStepIndex,
    canaryWeight: actualCanaryWeight(rollout, currentRS),
    message,
    startedBy: ARGO_ROLLOUTS_ACTOR,
    commit: currentRS?.templateSummary.commit ?? rollout.templateSummary.commit,
    startedAt,
    updatedAt,
    finishedAt,
  };

  const releases: ObservedRelease[] = [
    current,
    ...earlierReleases({
      location,
      environment,
      strategy,
      replicaSets,
      older,
      runs,
      currentRS,
      stableRS,
      currentRevision,
      fullyPromoted,
      startedAt,
    }),
  ];

  const analysisRuns = analysisRunsByRelease(location, runs, replicaSets);
  attachAnalysisRuns(releases, analysisRuns);

  return {
    location,
    releases,
    revisions: revisionViews(rollout, replicaSets),
    analysisRuns,
    pauseReasons: pauseReasons(rollout, runs),
    abortMessage: abortMessage(rollout),
    currentRevision,
    stableRevision: stableRS?.revision ?? null,
    fullyPromoted,
  };
}
