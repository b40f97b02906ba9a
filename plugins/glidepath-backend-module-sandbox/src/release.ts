import type {
  Actor,
  ReleasePhase,
  StepStatus,
} from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import type { SandboxFault } from './faults';
import { awaitsPromotion, formatDuration, type ReleasePlan } from './steps';

/** Who starts sandbox releases. @public */
export const SANDBOX_RELEASE_TRAIN: Actor = {
  kind: 'provider',
  ref: 'sandbox',
  displayName: 'Sandbox release train',
};

/** How a release that ended before the sandbox first saw it ended. */
export type ScriptedEnding = {
  phase: 'aborted' | 'rolled_back';
  at: number;
  message: string;
};

/**
 * Why a release was started by someone rather than the train: a `restore`
 * of the version before a succeeded release that was rolled back (Argo
 * Rollouts' undo), or a roll `forward` to the version of such a release,
 * after a rollback test (`of` is that release's id); or a `start` of any
 * version on request (a release plan's, see `startOnRequest`), with the
 * request's idempotency key.
 */
export type Redeploy =
  | { kind: 'restore' | 'forward'; of: string }
  | { kind: 'start'; key: string };

/** One release as the sandbox keeps it; times in epoch milliseconds. */
export type ReleaseRecord = {
  /** The release's slot in its service's train. */
  slot: number;
  id: string;
  version: string;
  previousVersion: string;
  plan: ReleasePlan;
  fault: SandboxFault | null;
  commit: string;
  phase: ReleasePhase;
  /**
   * The running step while the release is active; where it stopped once it
   * was aborted or rolled back; `steps.length` once every step completed.
   */
  stepIndex: number;
  /** When the running step started, moved on by the time spent paused. */
  stepStartedAt: number;
  pausedAt: number | null;
  /** When a promote, resume or retry last set the release going. */
  actedAt: number | null;
  message: string | null;
  weights: Array<{ at: number; weight: number }>;
  startedAt: number;
  updatedAt: number;
  finishedAt: number | null;
  /** How a release that ended before the sandbox first saw it ended. */
  scripted: ScriptedEnding | null;
  /** The train, or whoever's rollback or roll forward started it. */
  startedBy: Actor;
  /**
   * What it runs an earlier version again for, or the request that started
   * it; null for the train's.
   */
  redeploy: Redeploy | null;
  /**
   * When it first succeeded, kept when it is rolled back afterwards (a
   * rollback test): a staging twin's completed versions go to production.
   */
  completedAt?: number;
  /**
   * When it first ended without having completed (aborted, rolled back,
   * failed), kept when it is retried: a staging twin's version that did so
   * is never promoted, so production need not wait for a retry.
   */
  rejectedAt?: number;
};

/** What a release that succeeds changes: the service's stable version. */
export type StableVersion = { stableVersion: string };

export function isActive(release: ReleaseRecord): boolean {
  return release.phase === 'progressing' || release.phase === 'paused';
}

/** Whether the release's pods crash on start (a restore that fails). */
export function neverReady(release: ReleaseRecord): boolean {
  return release.fault?.kind === 'crash-loop';
}

/** Whether the release waits on a pause step that only a promote ends. */
export function waitsForPromote(release: ReleaseRecord): boolean {
  return (
    release.phase === 'paused' &&
    release.pausedAt === null &&
    awaitsPromotion(release.plan.steps[release.stepIndex])
  );
}

function actorName(actor: Actor): string {
  return actor.displayName || actor.ref;
}

/** `Paused by Ada Lovelace: checking the dashboards`. */
export function byWhom(past: string, actor: Actor, reason: string): string {
  const why = reason.trim();
  return `${past} by ${actorName(actor)}${why ? `: ${why}` : ''}`;
}

/** `step 2 of 7 (Wait 30s)`: the release's running step. */
export function stepLabel(release: ReleaseRecord): string {
  return `step ${release.stepIndex + 1} of ${release.plan.steps.length} (${
    release.plan.steps[release.stepIndex].description
  })`;
}

function setWeight(release: ReleaseRecord, weight: number, at: number): void {
  const current = release.weights.length
    ? release.weights[release.weights.length - 1].weight
    : 0;
  if (current !== weight) release.weights.push({ at, weight });
}

/** Starts the release's step `stepIndex` at `at`. */
export function enterStep(release: ReleaseRecord, at: number): void {
  const step = release.plan.steps[release.stepIndex];
  if (step.weight !== null) setWeight(release, step.weight, at);
  if (awaitsPromotion(step)) {
    // As Argo Rollouts reports a canary on an indefinite pause step.
    release.phase = 'paused';
    release.pausedAt = null;
    release.message = `Waiting for a promote at step ${
      release.stepIndex + 1
    } of ${release.plan.steps.length}`;
  }
}

/**
 * Completes the running step at `at` and enters the next one; after the
 * last, the release succeeds and its version becomes the stable one.
 */
export function completeStep(
  service: StableVersion,
  release: ReleaseRecord,
  at: number,
): void {
  release.stepIndex += 1;
  release.updatedAt = at;
  if (release.stepIndex >= release.plan.steps.length) {
    release.phase = 'succeeded';
    release.finishedAt = at;
    release.completedAt ??= at;
    setWeight(release, 100, at);
    service.stableVersion = release.version;
    if (release.redeploy && release.redeploy.kind !== 'start') {
      release.message = `${
        release.redeploy.kind === 'restore' ? 'Restored' : 'Rolled forward to'
      } ${release.version} in ${formatDuration(
        at - release.startedAt,
      )} (simulated): it serves all traffic`;
    }
    return;
  }
  release.stepStartedAt = at;
  enterStep(release, at);
}

/** Ends the release at `at`, all traffic back on the stable version. */
export function stop(
  release: ReleaseRecord,
  phase: 'aborted' | 'rolled_back' | 'failed',
  at: number,
  message: string,
): void {
  release.phase = phase;
  release.finishedAt = at;
  if (release.completedAt === undefined) release.rejectedAt ??= at;
  release.updatedAt = at;
  release.pausedAt = null;
  release.message = message;
  setWeight(release, 0, at);
}

/** Sets a paused release going, its running step moved on by the pause. */
export function resume(release: ReleaseRecord, at: number): void {
  if (release.pausedAt !== null) {
    release.stepStartedAt += at - release.pausedAt;
  }
  release.pausedAt = null;
  release.phase = 'progressing';
}

/**
 * Moves a progressing release through its steps up to `to`, ending it where
 * its scripted ending says. A release whose pods crash on start fails at the
 * end of its first pause (its pods never became ready in the time they
 * had, Argo Rollouts' progress deadline), all traffic back on the stable
 * version.
 */
export function advanceRelease(
  service: StableVersion,
  release: ReleaseRecord,
  to: number,
): void {
  while (release.phase === 'progressing') {
    const step = release.plan.steps[release.stepIndex];
    const end = release.stepStartedAt + step.durationMs;
    const scripted = release.scripted;
    if (scripted && scripted.at <= to && scripted.at < end) {
      release.scripted = null;
      stop(release, scripted.phase, scripted.at, scripted.message);
      return;
    }
    if (end > to) return;
    if (step.kind === 'pause' && release.fault?.kind === 'crash-loop') {
      stop(
        release,
        'failed',
        end,
        `${release.fault.reason} (simulated): its pods never became ready; ${release.previousVersion} still serves all traffic`,
      );
      return;
    }
    completeStep(service, release, end);
  }
}

function stepStatus(release: ReleaseRecord, index: number): StepStatus {
  if (index < release.stepIndex) return 'completed';
  if (isActive(release)) {
    return index === release.stepIndex ? 'running' : 'pending';
  }
  return release.phase === 'succeeded' ? 'completed' : 'skipped';
}

/** The release as the sandbox reports it. */
export function toObserved(
  release: ReleaseRecord,
  environment: string,
): ObservedRelease {
  const active = isActive(release);
  const lastWeight = release.weights[release.weights.length - 1];
  return {
    providerReleaseId: release.id,
    version: release.version,
    previousVersion: release.previousVersion,
    environment,
    strategy: release.plan.strategy,
    phase: release.phase,
    steps: release.plan.steps.map((step, index) => ({
      kind: step.kind,
      weight: step.weight,
      durationSeconds: step.durationSeconds,
      description: step.description,
      status: stepStatus(release, index),
    })),
    currentStepIndex: active ? release.stepIndex : null,
    canaryWeight: lastWeight ? lastWeight.weight : 0,
    message: release.message,
    startedBy: release.startedBy,
    commit: release.commit,
    startedAt: new Date(release.startedAt),
    updatedAt: new Date(release.updatedAt),
    finishedAt:
      release.finishedAt === null ? null : new Date(release.finishedAt),
  };
}
