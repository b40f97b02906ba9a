import type { Actor } from '@glidepath/backstage-plugin-common';
import type { SandboxFault } from './faults';
import type { SandboxFleetOptions, SandboxService } from './fleet';
import { createRandom, fakeSha } from './random';
import {
  advanceRelease,
  byWhom,
  enterStep,
  isActive,
  SANDBOX_RELEASE_TRAIN,
  stop,
  waitsForPromote,
  type ReleaseRecord,
} from './release';
import { restartTimeOf, restoreFailure, type RestoreOptions } from './restores';
import { heldUntil, startedOnRequest } from './starts';
import {
  previousScriptedSuccess,
  scriptedEnding,
  seededFault,
} from './scripted';
import {
  alignDown,
  alignUp,
  lastSlot,
  releaseDurationMs,
  slotAtOrBefore,
  slotOfVersion,
  slotStart,
  stride,
  versionOf,
  type TrainSchedule,
} from './slots';
import {
  awaitingPromotion,
  formatDuration,
  naturalDurationMs,
  planRedeploy,
  planRelease,
} from './steps';

/*
 * One service's release train: the releases it starts on its schedule, how
 * they move on with time, and which of them the sandbox keeps.
 */

/** A service's train, from the first time the fleet saw it. */
export type ServiceState = TrainSchedule & {
  name: string;
  firstSeenAt: number;
  /** The time the state has been advanced to. */
  clock: number;
  /** What the service is the staging twin of, as it was built. */
  follows?: SandboxService['follows'];
  /**
   * For a production service with a staging twin, as it was built: the twin,
   * whose completed versions are the only ones it starts.
   */
  stagedIn?: SandboxService['stagedIn'];
  /**
   * For a staging twin: its train's releases that were pruned, so that its
   * production service can still tell how they went; the last
   * `PROMOTIONS_KEPT`, oldest first.
   */
  promotions?: Promotion[];
  /**
   * For a staging twin: the first slot whose release it followed live. The
   * releases before (its history, and those it fast-forwarded over) went as
   * the seed says, so production runs those slots on its own schedule.
   */
  trackedFrom?: number;
  /** The first slot not yet considered. */
  nextSlot: number;
  stableVersion: string;
  /** Oldest first. */
  releases: ReleaseRecord[];
  /** How many restores and roll forwards have started: their ids' count. */
  redeploys: number;
  /**
   * A fault that a drill asked for: the service's next live release carries
   * it. Kept in memory only.
   */
  drill?: SandboxFault;
  /**
   * Where the service's story in the sandbox begins: when the first release
   * the sandbox reported of it started (the earliest one it showed when it
   * first saw the service), and the version deployed before that release.
   * The made-up DORA history ends there, with that version.
   */
  beginning: { at: number; version: string };
};

/** How a staging twin's release went, for its production service. */
export type Promotion = Pick<
  ReleaseRecord,
  'slot' | 'startedAt' | 'completedAt' | 'rejectedAt'
>;

/** How many pruned releases a staging twin remembers for production. */
const PROMOTIONS_KEPT = 2000;

/** The release in progress, if any: always the latest. */
export function activeRelease(state: ServiceState): ReleaseRecord | undefined {
  const latest = state.releases[state.releases.length - 1];
  return latest && isActive(latest) ? latest : undefined;
}

/**
 * The release that runs the stable version, if the sandbox still keeps it:
 * the latest that succeeded with it (a restore or a roll forward runs a
 * version an older release ran before).
 */
export function stableRelease(state: ServiceState): ReleaseRecord | undefined {
  for (let i = state.releases.length - 1; i >= 0; i--) {
    const release = state.releases[i];
    if (
      release.phase === 'succeeded' &&
      release.version === state.stableVersion
    ) {
      return release;
    }
  }
  return undefined;
}

/** Keeps the active release, the last finished ones and the stable one. */
function prune(state: ServiceState, historySize: number): void {
  const active = activeRelease(state);
  const finished = state.releases.filter(r => r !== active);
  const keep = new Set(finished.slice(-historySize));
  const stable = stableRelease(state);
  if (stable) keep.add(stable);
  if (active) keep.add(active);
  if (state.promotions) {
    for (const release of state.releases) {
      if (keep.has(release) || release.redeploy) continue;
      if (release.slot < (state.trackedFrom ?? 0)) continue;
      const { slot, startedAt, completedAt, rejectedAt } = release;
      state.promotions.push({ slot, startedAt, completedAt, rejectedAt });
    }
    const forgotten = state.promotions.length - PROMOTIONS_KEPT;
    if (forgotten > 0) {
      // Production runs the forgotten slots on its own schedule, as it would
      // the history.
      state.trackedFrom = Math.max(
        state.trackedFrom ?? 0,
        state.promotions[forgotten - 1].slot + 1,
      );
      state.promotions = state.promotions.slice(forgotten);
    }
  }
  state.releases = state.releases.filter(r => keep.has(r));
}

/**
 * What production does with its release of `slot` at `now`, given how its
 * staging twin's release of the same version went, as a promotion pipeline
 * would: start it once staging completed it (`at`: not before staging's
 * release started `leadMs` earlier, nor before it completed), `skip` it when
 * staging aborted, rolled back or failed it before completing it (even if
 * it was retried since), or never ran it (its slot passed while another
 * release ran), and `wait` while staging has not
 * decided. `ungated` for the slots staging did not follow live (its
 * history): production runs those on its own schedule, as before.
 */
export function stagingVerdict(
  twin: ServiceState,
  slot: number,
  leadMs: number,
  now: number,
):
  | { kind: 'ungated' }
  | { kind: 'wait' }
  | { kind: 'skip' }
  | { kind: 'start'; at: number } {
  if (twin.pinned || slot < (twin.trackedFrom ?? Infinity)) {
    return { kind: 'ungated' };
  }
  const ran: Promotion | undefined =
    twin.releases.find(r => r.slot === slot && !r.redeploy) ??
    twin.promotions?.find(p => p.slot === slot);
  if (ran) {
    // Once rejected, for good: a retry in staging does not bring it back.
    if (ran.rejectedAt !== undefined && ran.rejectedAt <= now) {
      return { kind: 'skip' };
    }
    if (ran.completedAt !== undefined && ran.completedAt <= now) {
      return {
        kind: 'start',
        at: Math.max(ran.startedAt + leadMs, ran.completedAt),
      };
    }
    return { kind: 'wait' };
  }
  // Staging has not come to the slot yet, or its release waits for a
  // restore or a roll forward to end.
  if (slot >= twin.nextSlot || twin.clock < now) return { kind: 'wait' };
  return { kind: 'skip' };
}

function startRelease(
  options: SandboxFleetOptions,
  state: ServiceState,
  slot: number,
  start: number,
): ReleaseRecord {
  const version = versionOf(state, slot);
  const timed = planRelease(state.strategy, version, options.stepDurationMs);
  // A release that ended before the sandbox first saw its service is
  // history: it took its timed course, whatever `awaitPromotion` says.
  // So do the releases of a pinned service, which are all history.
  const history = start + naturalDurationMs(timed) <= state.firstSeenAt;
  const plan =
    options.awaitPromotion && !history && !state.pinned
      ? awaitingPromotion(timed)
      : timed;
  // A drill's fault goes to the first live release after it was asked.
  const drill = history ? undefined : state.drill;
  if (drill) state.drill = undefined;
  const fault = drill ?? seededFault(options, state, slot);
  const release: ReleaseRecord = {
    slot,
    id: `${state.name}@${version}`,
    version,
    previousVersion: state.stableVersion,
    plan,
    fault,
    commit: commitOf(options, state, slot),
    phase: 'progressing',
    stepIndex: 0,
    stepStartedAt: start,
    pausedAt: null,
    actedAt: null,
    message: null,
    weights: [],
    startedAt: start,
    updatedAt: start,
    finishedAt: null,
    scripted: history
      ? scriptedEnding(options, state, { slot, plan, fault, start })
      : null,
    startedBy: SANDBOX_RELEASE_TRAIN,
    redeploy: null,
  };
  enterStep(release, start);
  state.releases.push(release);
  return release;
}

/** The commit the release of `slot` was built from. */
function commitOf(
  options: Pick<SandboxFleetOptions, 'seed'>,
  state: ServiceState,
  slot: number,
): string {
  return fakeSha(
    createRandom(options.seed, state.lineage ?? state.name, slot, 'commit'),
  );
}

/**
 * Starts, at `at`, a release that runs an earlier version again, started by
 * `actor` rather than the train (see `Redeploy`), on the quick plan of
 * `planRedeploy`, as long as the version takes to start (`restartTimeOf`):
 *
 * - a `restore` of the version before `of`, the release of the stable
 *   version that was just rolled back. As Argo Rollouts' undo, `of`'s
 *   version stays the stable one, serving what the restore's canary does
 *   not, until the restore succeeds. When the old version no longer starts
 *   (`restoreFailure`), the restore carries a crash-loop fault and fails;
 * - a roll `forward` to `of`'s version, a release that completed and was
 *   rolled back, with the fault its build had.
 *
 * Its id is `<service>@<version>+<kind>.<n>`, the n-th of the service's
 * redeploys: a version runs again under a new id, as Argo Rollouts gives
 * an undo a new revision. It is the service's active release, so the train
 * starts nothing until it has ended.
 */
export function startRedeploy(
  options: RestoreOptions,
  state: ServiceState,
  request: {
    kind: 'restore' | 'forward';
    of: ReleaseRecord;
    actor: Actor;
    reason: string;
    at: number;
  },
): ReleaseRecord {
  const { kind, of, actor, reason, at } = request;
  const restore = kind === 'restore';
  const version = restore ? of.previousVersion : of.version;
  const slot = restore ? slotOfVersion(state, version) ?? of.slot : of.slot;
  state.redeploys += 1;
  const release: ReleaseRecord = {
    slot,
    id: `${state.name}@${version}+${kind}.${state.redeploys}`,
    version,
    previousVersion: state.stableVersion,
    plan: planRedeploy(
      version,
      restartTimeOf(options, state, version),
      options.stepDurationMs,
    ),
    fault: restore
      ? restoreFailure(options, state, of.version, version)
      : of.fault,
    commit: restore ? commitOf(options, state, slot) : of.commit,
    phase: 'progressing',
    stepIndex: 0,
    stepStartedAt: at,
    pausedAt: null,
    actedAt: null,
    message: restore
      ? `Restoring ${version} (simulated); ${of.version} was ${byWhom(
          'rolled back',
          actor,
          reason,
        )}`
      : `Rolling forward to ${version} again (simulated); ${byWhom(
          'started',
          actor,
          reason,
        )}`,
    weights: [],
    startedAt: at,
    updatedAt: at,
    finishedAt: null,
    scripted: null,
    startedBy: actor,
    redeploy: { kind, of: of.id },
  };
  enterStep(release, at);
  state.releases.push(release);
  return release;
}

/**
 * A service the fleet sees for the first time at `now`: the last
 * `historySize` releases its train ran, and the one in progress, as the
 * seed says they went.
 */
export function firstSight(
  options: SandboxFleetOptions,
  service: SandboxService,
  now: number,
  twin?: ServiceState,
): ServiceState {
  const { seed, releaseIntervalMs, stepDurationMs, historySize } = options;
  // A staging twin runs its production service's schedule, `leadMs` early.
  const lineage = service.follows?.service ?? service.name;
  const state: ServiceState = {
    name: service.name,
    strategy: service.strategy,
    releaseIntervalMs,
    stepDurationMs,
    baseMajor: 1 + Math.floor(createRandom(seed, lineage, 'major')() * 4),
    offsetMs:
      Math.floor(createRandom(seed, lineage, 'offset')() * releaseIntervalMs) -
      (service.follows?.leadMs ?? 0),
    ...(service.follows
      ? { lineage, follows: service.follows, promotions: [] }
      : {}),
    ...(service.stagedIn ? { stagedIn: service.stagedIn } : {}),
    firstSeenAt: now,
    clock: -Infinity,
    nextSlot: 0,
    stableVersion: '',
    releases: [],
    redeploys: 0,
    beginning: { at: now, version: '' },
  };
  const pinned = options.pinnedReleases?.[service.name];
  if (pinned) {
    // Its releases are the last ones that ended before the sandbox first
    // saw it, so their dates are recent: the train stops after them.
    const pinnedStride = stride(state);
    const lastStart =
      Math.floor(
        slotAtOrBefore(state, now - releaseDurationMs(state)) / pinnedStride,
      ) * pinnedStride;
    state.pinned = {
      versions: [...pinned],
      stride: pinnedStride,
      firstSlot: lastStart - (pinned.length - 2) * pinnedStride,
    };
  }
  state.stableVersion = versionOf(state, -1);
  if (state.follows) {
    // A release that ended before the sandbox first saw the service is
    // history.
    state.trackedFrom = alignUp(
      state,
      slotAtOrBefore(state, now - releaseDurationMs(state)) + 1,
    );
  }

  const step = stride(state);
  const last = Math.min(
    alignDown(state, slotAtOrBefore(state, now)),
    lastSlot(state),
  );
  if (last < 0) {
    state.beginning = {
      at: slotStart(state, alignUp(state, 0)),
      version: state.stableVersion,
    };
    return state;
  }
  // Report `historySize` finished releases, plus the one in progress.
  const inProgress = slotStart(state, last) + releaseDurationMs(state) > now;
  const count = historySize + (inProgress ? 1 : 0);
  const windowStart = Math.max(
    state.pinned?.firstSlot ?? 0,
    last - step * (count - 1),
  );

  // The stable version before the window is the last release that the
  // seed says succeeded; materialise it so that it can be rolled back.
  const stableSlot = previousScriptedSuccess(options, state, windowStart);
  if (stableSlot >= 0) {
    const beforeIt = previousScriptedSuccess(options, state, stableSlot);
    if (beforeIt >= 0) state.stableVersion = versionOf(state, beforeIt);
    const start = slotStart(state, stableSlot);
    const release = startRelease(options, state, stableSlot, start);
    advanceRelease(state, release, start + releaseDurationMs(state));
  }
  state.nextSlot = windowStart;
  // The earliest release it reports when it first sees the service.
  const seen = structuredClone(state);
  advance(options, seen, now, twin);
  const first = seen.releases[0];
  state.beginning = first
    ? { at: first.startedAt, version: first.previousVersion }
    : {
        at: slotStart(seen, alignUp(seen, seen.nextSlot)),
        version: seen.stableVersion,
      };
  return state;
}

/**
 * Aborts `active` for the release of `slot`, due at `start`, when it waits
 * for a promote and no promote, resume or retry set it going within the
 * last release interval; says whether it did. A release nobody acts on is
 * thus superseded by the very next release, and the schedule stays the one
 * the seed gives.
 */
function superseded(
  state: ServiceState,
  active: ReleaseRecord,
  slot: number,
  start: number,
): boolean {
  if (!waitsForPromote(active)) return false;
  // A release started on request is the requester's to end.
  if (startedOnRequest(active)) return false;
  if (
    active.actedAt !== null &&
    start - active.actedAt < state.releaseIntervalMs
  ) {
    return false;
  }
  const waited = start - active.stepStartedAt;
  stop(
    active,
    'aborted',
    start,
    byWhom(
      'Aborted',
      SANDBOX_RELEASE_TRAIN,
      `superseded by ${versionOf(state, slot)} after waiting ${formatDuration(
        waited,
      )} for a promote at step ${active.stepIndex + 1} of ${
        active.plan.steps.length
      }`,
    ),
  );
  return true;
}

/**
 * When nothing runs at `slot` and many releases are due before `now`, the
 * release slot from which to carry on: the releases before it would leave no
 * trace (the last `historySize` finished ones, the stable one and the one in
 * progress all come after it), so they need not run, only their effect on
 * the stable version. `slot` itself when there is nothing to skip. What
 * is skipped is live (after the service was first seen), untouched (actions
 * come between `advance` calls) and without a drill: each release succeeds
 * before the next one, or, waiting for a promote, is superseded by it. So a
 * fleet that catches up on weeks at once (a restart, another replica) ends
 * where one that followed every minute did, in a few steps.
 */
function fastForward(
  options: SandboxFleetOptions,
  state: ServiceState,
  slot: number,
  now: number,
  twin?: ServiceState,
): number {
  if (state.pinned || state.drill) return slot;
  if (slotStart(state, slot) < state.firstSeenAt) return slot;
  const step = stride(state);
  let target =
    alignDown(state, slotAtOrBefore(state, now)) -
    step * (options.historySize + 2);
  if (twin) {
    // Only over the slots its staging twin did not follow live: the others
    // go as staging's releases went.
    target = Math.min(
      target,
      alignDown(state, twin.pinned ? Infinity : twin.trackedFrom ?? Infinity),
    );
  }
  if (target <= slot) return slot;
  const timed = planRelease(state.strategy, '', options.stepDurationMs);
  const plan = options.awaitPromotion ? awaitingPromotion(timed) : timed;
  if (naturalDurationMs(plan) !== Infinity) {
    // Each succeeded: the last one skipped is the stable version.
    state.stableVersion = versionOf(state, target - step);
  }
  if (state.follows) {
    state.trackedFrom = Math.max(state.trackedFrom ?? 0, target);
  }
  return target;
}

/**
 * The newest slot from `slot` on whose time has come by `start` and whose
 * version the staging twin completed by then: the one production starts
 * when its previous release ended after several slots passed.
 */
function newestStaged(
  state: ServiceState,
  twin: ServiceState,
  slot: number,
  start: number,
  now: number,
): number {
  const { leadMs } = state.stagedIn!;
  let newest = slot;
  for (
    let next = alignUp(state, slot + 1);
    next <= lastSlot(state) && slotStart(state, next) <= start;
    next = alignUp(state, next + 1)
  ) {
    const verdict = stagingVerdict(twin, next, leadMs, now);
    if (verdict.kind === 'start' && verdict.at <= start) newest = next;
  }
  return newest;
}

/**
 * Catches the service up to `to`, starting the releases that are due. A
 * production service with a staging twin (`stagedIn`) takes `twin`, caught
 * up to `to` at least: it starts only the versions the twin completed (see
 * `stagingVerdict`). A staging twin whose slot comes while a restore or a
 * roll forward runs starts the slot's release as soon as that ends, rather
 * than skipping it.
 */
export function advance(
  options: SandboxFleetOptions,
  state: ServiceState,
  to: number,
  twin?: ServiceState,
): void {
  const now = Math.max(to, state.clock);
  const gate = state.stagedIn && twin ? state.stagedIn : undefined;
  for (;;) {
    let slot = alignUp(state, state.nextSlot);
    let start = slotStart(state, slot);
    if (start > now || slot > lastSlot(state)) break;
    let staged = false;
    if (gate && twin) {
      const verdict = stagingVerdict(twin, slot, gate.leadMs, now);
      staged = verdict.kind === 'start';
      if (verdict.kind === 'wait') break;
      if (verdict.kind === 'skip') {
        // Not promoted: the stable version stays, the train moves on.
        state.nextSlot = slot + 1;
        continue;
      }
      if (verdict.kind === 'start') {
        start = Math.max(start, verdict.at);
        if (start > now) break;
      }
    }
    let delayed = false;
    const active = activeRelease(state);
    if (active) {
      advanceRelease(state, active, start);
      if (
        isActive(active) &&
        state.follows &&
        active.redeploy &&
        !startedOnRequest(active)
      ) {
        // A staging twin's restore or roll forward delays the slot's
        // release until it ends, so that the version still runs in staging
        // before production.
        advanceRelease(state, active, now);
        if (isActive(active) || active.finishedAt === null) break;
        start = Math.max(start, active.finishedAt);
        delayed = true;
      } else if (!isActive(active) || superseded(state, active, slot, start)) {
        // Ended by the slot's time, or superseded by its release.
      } else if (staged && twin && !startedOnRequest(active)) {
        // Production with a staging twin keeps a version staging completed
        // while its own release still runs (held at its first step by a
        // rollback gate while staging's rollback test runs, say): it starts
        // when that release ends, or the newest version staging completed
        // by then does, as a pipeline promotes the latest verified build.
        advanceRelease(state, active, now);
        if (isActive(active) || active.finishedAt === null) break;
        start = Math.max(start, active.finishedAt);
        slot = newestStaged(state, twin, slot, start, now);
      } else {
        // The slot passes while a release is still running, unless it was
        // waiting for a promote and the slot's release supersedes it: skip
        // it. A release paused by an action will not move on by itself, so
        // skip all due slots.
        state.nextSlot =
          active.phase === 'paused' && !waitsForPromote(active)
            ? Math.max(slot, slotAtOrBefore(state, now)) + 1
            : slot + 1;
        continue;
      }
    }
    if (!delayed && start < heldUntil(state, options)) {
      // A release started on request runs, or ended lately: the train
      // leaves the service alone (see `heldUntil`).
      state.nextSlot = slot + 1;
      continue;
    }
    const skipTo = delayed
      ? slot
      : fastForward(options, state, slot, now, gate && twin);
    if (skipTo > slot) {
      state.nextSlot = skipTo;
      continue;
    }
    startRelease(options, state, slot, start);
    state.nextSlot = slot + 1;
    if (state.releases.length > 4 * (options.historySize + 2)) {
      prune(state, options.historySize);
    }
  }
  const active = activeRelease(state);
  if (active) advanceRelease(state, active, now);
  state.clock = now;
  prune(state, options.historySize);
}
