/**
 * A Rollout's history: the releases of its earlier revisions and the part
 * each ReplicaSet plays.
 */
import type { ReleasePhase } from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import { versionOfTemplate } from '../objects';
import type { AnalysisRun } from '../resources/analysisRun';
import type { ReplicaSet } from '../resources/replicaSet';
import type { Rollout } from '../resources/rollout';
import {
  ARGO_ROLLOUTS_ACTOR,
  releaseId,
  type RolloutLocation,
} from './releaseIds';
import { date } from './time';

/** One ReplicaSet of a Rollout and the part it plays. @public */
export type RevisionView = {
  revision: number;
  replicaSet: string;
  podTemplateHash: string | null;
  role: 'canary' | 'stable' | 'preview' | 'active' | 'old';
  images: string[];
  version: string | null;
  replicas: number;
  availableReplicas: number;
};

/** A ReplicaSet's version; `fallback` without one. */
export function versionOf(rs: ReplicaSet | null, fallback: string): string {
  return (rs && versionOfTemplate(rs.templateSummary)) ?? fallback;
}

/**
 * The releases of the revisions before the current one that still have a
 * ReplicaSet, newest first: the stable one, one whose analysis failed, one
 * a rollback brought an older template back over, or else one superseded by
 * the next.
 */
export function earlierReleases(options: {
  location: RolloutLocation;
  environment: string;
  strategy: ObservedRelease['strategy'];
  /** The Rollout's ReplicaSets with a revision, newest first. */
  replicaSets: ReplicaSet[];
  /** Those older than the current revision. */
  older: ReplicaSet[];
  /** The Rollout's AnalysisRuns. */
  runs: AnalysisRun[];
  currentRS: ReplicaSet | null;
  stableRS: ReplicaSet | null;
  currentRevision: number;
  fullyPromoted: boolean;
  /** When the current revision started. */
  startedAt: Date;
}): ObservedRelease[] {
  const {
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
  } = options;
  const releases: ObservedRelease[] = [];
  const seen = new Set([currentRevision]);
  older.forEach((rs, i) => {
    const revision = rs.revision!;
    if (seen.has(revision)) return;
    seen.add(revision);
    const newer = replicaSets.filter(other => other.revision! > revision);
    const next =
      [...newer].sort((a, b) => a.revision! - b.revision!)[0] ?? currentRS;
    const before = older[i + 1] ?? null;
    const failedRun = runs.find(
      run =>
        (run.revision === revision ||
          (run.podTemplateHash !== null &&
            run.podTemplateHash === rs.podTemplateHash)) &&
        (run.phase === 'Failed' || run.phase === 'Error'),
    );
    const restorer = newer.find(other =>
      other.revisionHistory.some(h => h < revision),
    );
    let olderPhase: ReleasePhase;
    let olderMessage: string;
    if (rs === stableRS) {
      olderPhase = 'succeeded';
      olderMessage = fullyPromoted
        ? 'Stable'
        : `Stable: serving while revision ${currentRevision} rolls out`;
    } else if (failedRun) {
      olderPhase = 'aborted';
      olderMessage = `Aborted: analysis ${failedRun.meta.name} ${
        failedRun.phase
      }${failedRun.message ? `: ${failedRun.message}` : ''}`;
    } else if (restorer) {
      const restored = restorer.revisionHistory.filter(h => h < revision);
      olderPhase = 'rolled_back';
      olderMessage = `Rolled back: revision ${
        restorer.revision
      } brought back the template of revision ${restored[restored.length - 1]}`;
    } else {
      olderPhase = 'succeeded';
      olderMessage = `Superseded by revision ${
        next?.revision ?? currentRevision
      }`;
    }
    const olderStarted = date(rs.meta.creationTimestamp, startedAt);
    const nextStarted = next
      ? date(next.meta.creationTimestamp, startedAt)
      : startedAt;
    const olderFinished =
      nextStarted.getTime() >= olderStarted.getTime()
        ? nextStarted
        : olderStarted;
    releases.push({
      providerReleaseId: releaseId(location, revision),
      version: versionOf(rs, `revision ${revision}`),
      previousVersion: before
        ? versionOf(before, `revision ${before.revision}`)
        : null,
      environment,
      strategy,
      phase: olderPhase,
      steps: [],
      currentStepIndex: null,
      canaryWeight: olderPhase === 'succeeded' ? 100 : 0,
      message: olderMessage,
      startedBy: ARGO_ROLLOUTS_ACTOR,
      commit: rs.templateSummary.commit,
      startedAt: olderStarted,
      updatedAt: olderFinished,
      finishedAt: olderFinished,
    });
  });
  return releases;
}

/** The part each ReplicaSet plays: canary, stable, preview, active or old. */
export function revisionViews(
  rollout: Rollout,
  replicaSets: ReplicaSet[],
): RevisionView[] {
  const { status } = rollout;
  return replicaSets.map(rs => {
    let role: RevisionView['role'] = 'old';
    const hash = rs.podTemplateHash;
    if (rollout.strategy.type === 'blueGreen') {
      if (hash !== null && hash === status.activeSelector) role = 'active';
      else if (hash !== null && hash === status.previewSelector)
        role = 'preview';
      else if (hash !== null && hash === status.stableRS) role = 'stable';
    } else if (hash !== null && hash === status.stableRS) {
      role = 'stable';
    } else if (hash !== null && hash === status.currentPodHash) {
      role = 'canary';
    }
    return {
      revision: rs.revision!,
      replicaSet: rs.meta.name,
      podTemplateHash: hash,
      role,
      images: rs.templateSummary.images,
      version: versionOfTemplate(rs.templateSummary),
      replicas: rs.replicas,
      availableReplicas: rs.availableReplicas,
    };
  });
}
