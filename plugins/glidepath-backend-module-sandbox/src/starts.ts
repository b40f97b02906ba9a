import { InputError } from '@backstage/errors';
import type { Actor } from '@glidepath/backstage-plugin-common';
import type { SandboxFleetOptions } from './fleet';
import { releaseFault } from './faults';
import { createRandom, fakeSha } from './random';
import {
  byWhom,
  enterStep,
  isActive,
  stop,
  type ReleaseRecord,
} from './release';
import { faultRateOf, seededFault } from './scripted';
import { slotAtOrBefore, slotOfVersion } from './slots';
import { awaitingPromotion, planRelease } from './steps';
import { activeRelease, type ServiceState } from './train';

/*
 * Releases started on request, besides the service's own train: a release
 * plan's member (`RolloutProvider.startRelease`). As `kubectl argo rollouts
 * set image` on a Rollout: a new release of the version, on the service's
 * strategy, superseding whatever release was in progress. The train then
 * leaves the service alone while it runs and for `startedReleaseHoldMs`
 * after it ended (see `heldUntil`), so that it does not overwrite what the
 * plan released.
 */

/** A request to start a release of a version (see `startOnRequest`). @public */
export type SandboxStart = {
  version: string;
  /** The same key twice starts one release. */
  idempotencyKey: string;
  reason: string;
  actor: Actor;
};

/** How long the train leaves a service alone after a started release ended. */
export const DEFAULT_STARTED_RELEASE_HOLD_MS = 60 * 60_000;

/** What the starts read of the fleet's options. */
export type StartOptions = Pick<
  SandboxFleetOptions,
  | 'seed'
  | 'stepDurationMs'
  | 'awaitPromotion'
  | 'faultRate'
  | 'faultRateByService'
  | 'startedReleaseHoldMs'
>;

// Release ids are `<service>@<version>+start.<n>`: a version is a tag-like
// word, e.g. 2.4.0, 2.4.0-rc.1 or 2024-05-01.1.
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Why `version` cannot be started in the sandbox, or undefined. */
export function startVersionProblem(version: string): string | undefined {
  if (VERSION.test(version) && version.length <= 128) return undefined;
  return `"${version}" is not a version the sandbox can release: use at most 128 letters, digits, dots, dashes and underscores, starting with a letter or digit, for example "2.4.0"`;
}

/** Why `key` cannot be an idempotency key, or undefined. */
export function startKeyProblem(key: string): string | undefined {
  if (key.trim() && key.length <= 255) return undefined;
  return 'The idempotency key must be 1 to 255 characters, not blank';
}

/**
 * Why a start of `version` need not be done: a release of it is on its way,
 * or the service already runs it with nothing in progress. Undefined
 * otherwise.
 */
export function startAlreadyThere(
  state: ServiceState,
  version: string,
): string | undefined {
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
 * Starts a release of `request.version` at the service's clock, as
 * `kubectl argo rollouts set image` would, and says what happened: the
 * release in progress, if any, is aborted (superseded); the new one, id
 * `<service>@<version>+start.<n>`, runs the service's strategy (waiting
 * for promotes with `awaitPromotion`), carries a drill's fault when one was
 * injected for the service's next release, else the fault the seed gives
 * the version (the train's for a version on its schedule), and makes the
 * version stable when it succeeds. Does nothing when the effect is already
 * there (see `startAlreadyThere`). Throws `InputError` for a version the
 * sandbox cannot name.
 */
export function startOnRequest(
  state: ServiceState,
  request: SandboxStart,
  options: StartOptions,
): string {
  const problem = startVersionProblem(request.version);
  if (problem) throw new InputError(problem);
  const done = startAlreadyThere(state, request.version);
  if (done) return done;
  const at = state.clock;
  const { version, actor, reason } = request;
  const active = activeRelease(state);
  if (active) {
    stop(
      active,
      'aborted',
      at,
      byWhom('Aborted', actor, `superseded by ${version}, started on request`),
    );
  }
  const scheduled = slotOfVersion(state, version);
  const timed = planRelease(state.strategy, version, options.stepDurationMs);
  const plan =
    options.awaitPromotion && !state.pinned ? awaitingPromotion(timed) : timed;
  // A drill's fault goes to the service's next release, this one (for a
  // pinned service too: its train releases nothing to carry it).
  const drill = state.drill;
  state.drill = undefined;
  const lineage = state.lineage ?? state.name;
  const fault =
    drill ??
    (scheduled !== undefined
      ? seededFault(options, state, scheduled)
      : releaseFault({
          seed: options.seed,
          service: `${lineage}@${version}`,
          releaseNumber: 0,
          faultRate: faultRateOf(options, state),
        }));
  state.redeploys += 1;
  const release: ReleaseRecord = {
    slot: slotAtOrBefore(state, at),
    id: `${state.name}@${version}+start.${state.redeploys}`,
    version,
    previousVersion: state.stableVersion,
    plan,
    fault,
    // The version's build: the same commit in staging and production, and
    // the train's when the version is on its schedule.
    commit: fakeSha(
      scheduled !== undefined
        ? createRandom(options.seed, lineage, scheduled, 'commit')
        : createRandom(options.seed, lineage, version, 'commit'),
    ),
    phase: 'progressing',
    stepIndex: 0,
    stepStartedAt: at,
    pausedAt: null,
    actedAt: null,
    message: byWhom('Started', actor, reason),
    weights: [],
    startedAt: at,
    updatedAt: at,
    finishedAt: null,
    scripted: null,
    startedBy: actor,
    redeploy: { kind: 'start', key: request.idempotencyKey },
  };
  enterStep(release, at);
  state.releases.push(release);
  return `Started ${version} as ${release.id}${
    active ? `, superseding ${active.id}` : ''
  }; ${state.stableVersion} serves the rest of the traffic until it completes`;
}

/**
 * Until when the train starts nothing for the service: while a release
 * started on request (or a restore after its rollback) runs, and for
 * `startedReleaseHoldMs` after the latest one ended. -Infinity when no
 * such release is kept.
 */
export function heldUntil(
  state: ServiceState,
  options: Pick<StartOptions, 'startedReleaseHoldMs'>,
): number {
  let until = -Infinity;
  for (const release of state.releases) {
    if (release.redeploy?.kind !== 'start') continue;
    if (isActive(release) || release.finishedAt === null) return Infinity;
    until = Math.max(
      until,
      release.finishedAt +
        (options.startedReleaseHoldMs ?? DEFAULT_STARTED_RELEASE_HOLD_MS),
    );
  }
  return until;
}

/** Whether `release` was started on request, not by the train. */
export function startedOnRequest(release: ReleaseRecord): boolean {
  return release.redeploy?.kind === 'start';
}
