import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  actionRefusal,
  type ActionType,
} from '@glidepath/backstage-plugin-common';
import type { SandboxAction, SandboxFleetOptions } from './fleet';
import {
  byWhom,
  completeStep,
  enterStep,
  isActive,
  resume,
  stepLabel,
  stop,
  waitsForPromote,
  type ReleaseRecord,
} from './release';
import { awaitingPromotion } from './steps';
import { activeRelease, type ServiceState } from './train';

/*
 * The actions people and policies take on a sandbox release (promote,
 * pause, resume, abort, retry, rollback), with Argo Rollouts' semantics.
 */

/** What the actions read of the fleet's options. */
export type FleetActionOptions = Pick<SandboxFleetOptions, 'awaitPromotion'>;

/** Refusals beyond what the phase says (see `actionRefusal`). */
function refusal(
  state: ServiceState,
  release: ReleaseRecord,
  action: ActionType,
): string | undefined {
  const latest = state.releases[state.releases.length - 1];
  if (action === 'resume' && waitsForPromote(release)) {
    return `it waits for a promote at ${stepLabel(
      release,
    )}; promote it to move on, or abort or roll it back`;
  }
  if (action === 'retry' && release !== latest) {
    return `${latest.id} has started since; only the latest release can be retried`;
  }
  if (action !== 'rollback' || isActive(release)) {
    return undefined;
  }
  if (release.phase === 'succeeded') {
    const active = activeRelease(state);
    if (active) {
      return `${active.id} is ${active.phase}; abort it or roll it back first`;
    }
    if (release.version !== state.stableVersion) {
      return `${release.version} is not the stable version (${state.stableVersion} is); only the release of the stable version can be rolled back`;
    }
    return undefined;
  }
  if (release !== latest) {
    return `${latest.id} has started since, so ${release.version} no longer runs anywhere`;
  }
  return undefined;
}

function apply(
  state: ServiceState,
  release: ReleaseRecord,
  request: SandboxAction,
  options: FleetActionOptions,
): string {
  const at = state.clock;
  const { actor, reason } = request;
  release.updatedAt = at;
  if (
    request.action === 'promote' ||
    request.action === 'resume' ||
    request.action === 'retry'
  ) {
    release.actedAt = at;
  }

  switch (request.action) {
    case 'pause':
      release.phase = 'paused';
      release.pausedAt = at;
      release.message = byWhom('Paused', actor, reason);
      return `Paused ${release.version} at ${stepLabel(release)}`;

    case 'resume': {
      resume(release, at);
      release.message = byWhom('Resumed', actor, reason);
      const step = release.plan.steps[release.stepIndex];
      const left = Math.max(0, release.stepStartedAt + step.durationMs - at);
      return `Resumed ${release.version} at ${stepLabel(release)}, ${Math.round(
        left / 1000,
      )}s left in the step`;
    }

    case 'promote':
      if (release.phase === 'paused') resume(release, at);
      completeStep(state, release, at);
      release.message = byWhom('Promoted', actor, reason);
      return release.phase === 'succeeded'
        ? `Promoted ${release.version} past its last step: it is now the stable version`
        : `Promoted ${release.version} to ${stepLabel(release)}`;

    case 'abort':
      stop(release, 'aborted', at, byWhom('Aborted', actor, reason));
      return `Aborted ${release.version}: all traffic is back on ${state.stableVersion}`;

    case 'retry':
      release.phase = 'progressing';
      release.stepIndex = 0;
      release.stepStartedAt = at;
      release.pausedAt = null;
      release.finishedAt = null;
      release.previousVersion = state.stableVersion;
      release.message = byWhom('Retried', actor, reason);
      if (options.awaitPromotion && !state.pinned) {
        // A release of the simulated history took its timed course.
        release.plan = awaitingPromotion(release.plan);
      }
      enterStep(release, at);
      return `Retrying ${release.version} from ${stepLabel(release)}`;

    case 'rollback': {
      if (release.phase === 'succeeded') {
        state.stableVersion = release.previousVersion;
      }
      stop(release, 'rolled_back', at, byWhom('Rolled back', actor, reason));
      return `Rolled back ${release.version}: ${state.stableVersion} serves all traffic`;
    }

    default:
      throw new ConflictError(
        `The sandbox does not know the action "${request.action}"`,
      );
  }
}

/**
 * Why an `action` on `release` need not be done, when its effect is already
 * there: a rollback of a rolled-back release, an abort of an aborted one, a
 * pause of one a pause action paused. Undefined otherwise, and for actions
 * whose repetition cannot be told from a new request (a promote moves one
 * step each time).
 */
export function effectAlreadyThere(
  release: ReleaseRecord,
  action: ActionType,
): string | undefined {
  const already =
    (action === 'rollback' && release.phase === 'rolled_back') ||
    (action === 'abort' && release.phase === 'aborted') ||
    (action === 'pause' &&
      release.phase === 'paused' &&
      release.pausedAt !== null);
  return already
    ? `${release.id} was already ${release.phase.replace(
        '_',
        ' ',
      )}; nothing to do`
    : undefined;
}

/**
 * Acts on a release of the service, already advanced to the time of the
 * action, and says what happened. Throws `NotFoundError` for an unknown
 * release and `ConflictError` when the release does not admit the action.
 */
export function actOnRelease(
  state: ServiceState,
  request: SandboxAction,
  options: FleetActionOptions,
): string {
  const release = state.releases.find(r => r.id === request.providerReleaseId);
  if (!release) {
    const known = state.releases.map(r => r.version);
    throw new NotFoundError(
      `The sandbox has no release "${request.providerReleaseId}" of ${
        state.name
      }; it remembers ${
        known.length
          ? `${known.length} (${known[0]} to ${known[known.length - 1]})`
          : 'none'
      }`,
    );
  }
  const problem =
    actionRefusal(release, request.action) ??
    refusal(state, release, request.action);
  if (problem) {
    throw new ConflictError(
      `Cannot ${request.action} ${release.id}: ${problem}`,
    );
  }
  return apply(state, release, request, options);
}
