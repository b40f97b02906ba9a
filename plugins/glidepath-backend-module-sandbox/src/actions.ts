import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  actionRefusal,
  phaseLabel,
  type ActionType,
} from '@glidepath/backstage-plugin-common';
import type {
  SandboxAction,
  SandboxFleetOptions,
  SandboxRollForward,
} from './fleet';
import {
  byWhom,
  completeStep,
  enterStep,
  isActive,
  neverReady,
  resume,
  stepLabel,
  stop,
  waitsForPromote,
  type ReleaseRecord,
} from './release';
import type { RestoreOptions } from './restores';
import { awaitingPromotion, formatDuration, naturalDurationMs } from './steps';
import {
  activeRelease,
  stableRelease,
  startRedeploy,
  type ServiceState,
} from './train';

/*
 * The actions people and policies take on a sandbox release (promote,
 * pause, resume, abort, retry, rollback), with Argo Rollouts' semantics,
 * and the roll forward after a rollback test.
 */

/** What the actions read of the fleet's options. */
export type FleetActionOptions = Pick<SandboxFleetOptions, 'awaitPromotion'> &
  RestoreOptions;

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
  if (action === 'promote' && neverReady(release)) {
    return `its pods crash on start, so it cannot take more traffic; abort it or roll it back`;
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
    const stable = stableRelease(state);
    if (stable && release !== stable) {
      return `${stable.id} has run ${release.version} since; roll that release back`;
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
      if (
        options.awaitPromotion &&
        !state.pinned &&
        (!release.redeploy || release.redeploy.kind === 'start')
      ) {
        // A release of the simulated history took its timed course.
        release.plan = awaitingPromotion(release.plan);
      }
      enterStep(release, at);
      return `Retrying ${release.version} from ${stepLabel(release)}`;

    case 'rollback': {
      const succeeded = release.phase === 'succeeded';
      stop(release, 'rolled_back', at, byWhom('Rolled back', actor, reason));
      if (!succeeded) {
        return `Rolled back ${release.version}: ${state.stableVersion} serves all traffic`;
      }
      // Its version no longer runs beside it: the old one must start again.
      const restore = startRedeploy(options, state, {
        kind: 'restore',
        of: release,
        actor,
        reason,
        at,
      });
      return `Rolled back ${release.version}: restoring ${restore.version} as ${
        restore.id
      } (about ${formatDuration(naturalDurationMs(restore.plan))}); ${
        release.version
      } serves traffic until it is ready`;
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
  const release = findRelease(state, request.providerReleaseId);
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

/** The service's release `id`; throws `NotFoundError` naming what it keeps. */
function findRelease(state: ServiceState, id: string): ReleaseRecord {
  const release = state.releases.find(r => r.id === id);
  if (release) return release;
  const known = state.releases.map(r => r.version);
  throw new NotFoundError(
    `The sandbox has no release "${id}" of ${state.name}; it remembers ${
      known.length
        ? `${known.length} (${known[0]} to ${known[known.length - 1]})`
        : 'none'
    }`,
  );
}

/**
 * The release a roll forward asks to run again, checked against the
 * request: throws `NotFoundError` for an unknown release and `InputError`
 * when the request names another version than the release's.
 */
function rollForwardRelease(
  state: ServiceState,
  request: SandboxRollForward,
): ReleaseRecord {
  const release = findRelease(state, request.providerReleaseId);
  if (release.version !== request.version) {
    throw new InputError(
      `Cannot roll forward to ${request.version}: ${release.id} is a release of ${release.version}`,
    );
  }
  return release;
}

/**
 * Why a roll forward to `request.version` need not be done: the service
 * already runs it (its stable version, nothing in progress), or a release
 * of it is on its way (a repeated request). Undefined otherwise. Throws as
 * `rollForward` does for an unknown release or a mismatched version.
 */
export function rollForwardAlreadyThere(
  state: ServiceState,
  request: SandboxRollForward,
): string | undefined {
  const { version } = rollForwardRelease(state, request);
  const active = activeRelease(state);
  if (active) {
    return active.version === version
      ? `${active.id} is already on its way to ${version}; nothing to do`
      : undefined;
  }
  return state.stableVersion === version
    ? `${state.name} already runs ${version}; nothing to do`
    : undefined;
}

/**
 * Runs the version of a release that completed and was rolled back (a
 * rollback test's) again: a roll forward (see `startRedeploy`), which
 * succeeds after its restart time and makes the version stable. Says what
 * happened; a request whose effect is already there does nothing (see
 * `rollForwardAlreadyThere`). Throws `NotFoundError` for an unknown release,
 * `InputError` for another version than the release's, and `ConflictError`
 * while another release is in progress, for a release that never completed,
 * and once a newer release of the train has started.
 */
export function rollForward(
  state: ServiceState,
  request: SandboxRollForward,
  options: FleetActionOptions,
): string {
  const release = rollForwardRelease(state, request);
  const done = rollForwardAlreadyThere(state, request);
  if (done) return done;
  const problem = rollForwardRefusal(state, release);
  if (problem) {
    throw new ConflictError(
      `Cannot roll forward to ${release.version} (${release.id}): ${problem}`,
    );
  }
  const forward = startRedeploy(options, state, {
    kind: 'forward',
    of: release,
    actor: request.actor,
    reason: request.reason,
    at: state.clock,
  });
  return `Rolling forward to ${release.version} as ${
    forward.id
  } (about ${formatDuration(naturalDurationMs(forward.plan))}); ${
    forward.previousVersion
  } serves traffic until it is ready`;
}

function rollForwardRefusal(
  state: ServiceState,
  release: ReleaseRecord,
): string | undefined {
  const active = activeRelease(state);
  if (active) {
    return `${active.id} is ${phaseLabel(
      active.phase,
    )}; wait for it to end, or abort it or roll it back first`;
  }
  const completed =
    release.phase === 'succeeded' ||
    (release.phase === 'rolled_back' &&
      release.stepIndex >= release.plan.steps.length);
  if (!completed) {
    return `it never completed (it was ${phaseLabel(
      release.phase,
    )}); retry it instead`;
  }
  const newer = state.releases.find(
    r =>
      r.startedAt > release.startedAt &&
      (!r.redeploy || r.redeploy.kind === 'start'),
  );
  if (newer) {
    return `${newer.id} has started since; rolling forward to ${release.version} would go back`;
  }
  return undefined;
}
