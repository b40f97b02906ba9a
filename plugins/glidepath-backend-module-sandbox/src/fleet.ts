import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  actionRefusal,
  type ActionType,
  type Actor,
  type ReleasePhase,
  type StepStatus,
  type StrategyAnnotation,
} from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import { releaseFault, type SandboxFault } from './faults';
import { createRandom, fakeSha } from './random';
import {
  awaitingPromotion,
  awaitsPromotion,
  formatDuration,
  naturalDurationMs,
  planRelease,
  type ReleasePlan,
} from './steps';

/**
 * The moment the sandbox's release trains start: release 0 of every service
 * starts within one release interval after it. Anchoring the schedule on
 * absolute time lets a restarted backend carry on with the same releases.
 * @public
 */
export const SANDBOX_EPOCH = new Date(Date.UTC(2025, 0, 1));

/** Who starts sandbox releases. @public */
export const SANDBOX_RELEASE_TRAIN: Actor = {
  kind: 'provider',
  ref: 'sandbox',
  displayName: 'Sandbox release train',
};

/** How the simulated fleet behaves. @public */
export type SandboxFleetOptions = {
  /** Everything random derives from it: the same seed, the same fleet. */
  seed: string;
  /** A new release of each service starts this often. */
  releaseIntervalMs: number;
  /** The length of a pause step. */
  stepDurationMs: number;
  /** The share of releases that carry a fault, 0 to 1. */
  faultRate: number;
  /**
   * Per sandbox service, a fault rate that replaces `faultRate` (e.g. 1 to
   * make every release of one service faulty, for demos and tests).
   */
  faultRateByService?: Record<string, number>;
  /**
   * Per sandbox service, a release history that does not move, so that a
   * demo catalog can state version requirements that stay true (or that a
   * rollback reliably breaks): the version deployed before the history, then
   * the version of each release, in order. Release `i` takes the service's
   * `i`-th slot and succeeds, no fault; then the train stops. At least two
   * versions, increasing (`readSandboxConfig` checks them).
   */
  pinnedReleases?: Record<string, string[]>;
  /** The environment every release goes to. */
  environment: string;
  /** How many finished releases are reported per service. */
  historySize: number;
  /**
   * When true, the pause steps of canary releases have no duration: a
   * release waits on each (phase `paused`) until it is promoted, aborted or
   * rolled back. One still waiting when the service's next release is due is
   * aborted and superseded by it, unless a promote, resume or retry set it
   * going within the last release interval. False unless given.
   */
  awaitPromotion?: boolean;
};

/** One simulated service: a sandbox name and the strategy it asks for. @public */
export type SandboxService = {
  name: string;
  strategy?: StrategyAnnotation;
};

/** An action on a sandbox release. @public */
export type SandboxAction = {
  providerReleaseId: string;
  action: ActionType;
  reason: string;
  actor: Actor;
};

/** A change of a release's canary weight. @public */
export type CanaryWeightChange = {
  at: Date;
  /** Percent of traffic on the new version from `at` on. */
  weight: number;
};

/**
 * What the sandbox keeps about a release beyond what it reports: its fault
 * and how its traffic moved. The analysis engine reads it through the
 * simulated traffic.
 * @public
 */
export type SandboxReleaseSimulation = {
  providerReleaseId: string;
  service: string;
  version: string;
  fault: SandboxFault | null;
  /** Every change of the canary weight, oldest first; 0 before the first. */
  weights: CanaryWeightChange[];
};

const RELEASE_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** Why `name` cannot be a sandbox service, or undefined when it can. @public */
export function sandboxNameProblem(name: string): string | undefined {
  if (RELEASE_NAME.test(name) && name.length <= 63) {
    return undefined;
  }
  return `"${name}" is not a sandbox service name: use at most 63 lower-case letters, digits and dashes, starting with a letter or digit, for example "sandbox:checkout-service"`;
}

/** Splits `checkout-service@3.14.2` into its service and version. */
export function parseSandboxReleaseId(
  providerReleaseId: string,
): { service: string; version: string } | undefined {
  const at = providerReleaseId.lastIndexOf('@');
  if (at <= 0 || at === providerReleaseId.length - 1) return undefined;
  return {
    service: providerReleaseId.slice(0, at),
    version: providerReleaseId.slice(at + 1),
  };
}

type ScriptedEnding = {
  phase: 'aborted' | 'rolled_back';
  at: number;
  message: string;
};

type ReleaseRecord = {
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
};

type ServiceState = {
  name: string;
  strategy: StrategyAnnotation | undefined;
  baseMajor: number;
  offsetMs: number;
  firstSeenAt: number;
  /** The time the state has been advanced to. */
  clock: number;
  /** The first slot not yet considered. */
  nextSlot: number;
  stableVersion: string;
  /** Oldest first. */
  releases: ReleaseRecord[];
  /**
   * For a service in `pinnedReleases`: its versions, and its stride when
   * first seen, kept so that a changed strategy cannot move the slots of
   * the versions (and release one twice).
   */
  pinned?: { versions: string[]; stride: number };
};

function isActive(release: ReleaseRecord): boolean {
  return release.phase === 'progressing' || release.phase === 'paused';
}

/** Whether the release waits on a pause step that only a promote ends. */
function waitsForPromote(release: ReleaseRecord): boolean {
  return (
    release.phase === 'paused' &&
    release.pausedAt === null &&
    awaitsPromotion(release.plan.steps[release.stepIndex])
  );
}

function actorName(actor: Actor): string {
  return actor.displayName || actor.ref;
}

function byWhom(past: string, actor: Actor, reason: string): string {
  const why = reason.trim();
  return `${past} by ${actorName(actor)}${why ? `: ${why}` : ''}`;
}

/**
 * A simulated fleet: for each service, a release train that starts a release
 * every `releaseIntervalMs` and walks it through its strategy's steps, plus the
 * actions people and policies take on those releases.
 *
 * Nothing runs by itself: every call says what time it is, and the fleet
 * catches up to that time first. Given the same seed, services and times it
 * reports the same releases.
 *
 * Release `k` of a service starts at `SANDBOX_EPOCH + offset + k * interval`,
 * the offset drawn from the seed and the service name, so the schedule, the
 * release ids, versions, commits and faults survive a restart. What happened
 * to releases (actions, outcomes) lives in memory only: after a restart,
 * releases that had finished are reported with the outcomes the seed gives
 * them. The train of a service in `pinnedReleases` releases its listed
 * versions in its first slots, all successfully, and stops.
 * @public
 */
export class SandboxFleet {
  private readonly options: SandboxFleetOptions;
  private readonly services = new Map<string, ServiceState>();
  /** Faults that drills asked for, by service: its next release carries it. */
  private readonly drills = new Map<string, SandboxFault>();

  constructor(options: SandboxFleetOptions) {
    this.options = options;
  }

  /**
   * The service's releases at `now`: the one in progress, if any, the last
   * `historySize` finished ones and the release of the stable version.
   * Oldest first.
   */
  observe(service: SandboxService, now: Date): ObservedRelease[] {
    const state = this.serviceAt(service, now.getTime());
    return state.releases.map(release => this.toObserved(release));
  }

  /**
   * Acts on a release at `now`, with Argo Rollouts' semantics, and says what
   * happened. Throws `NotFoundError` for an unknown release and
   * `ConflictError` when the release does not admit the action.
   */
  act(service: SandboxService, request: SandboxAction, now: Date): string {
    const state = this.serviceAt(service, now.getTime());
    const release = state.releases.find(
      r => r.id === request.providerReleaseId,
    );
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
    const refusal =
      actionRefusal(release, request.action) ??
      this.refusal(state, release, request.action);
    if (refusal) {
      throw new ConflictError(
        `Cannot ${request.action} ${release.id}: ${refusal}`,
      );
    }
    return this.apply(state, release, request);
  }

  /**
   * Makes the service's next release carry `fault` (a rollback drill), and
   * says when that release starts. Kept in memory: a restart forgets a drill
   * whose release has not started.
   */
  injectFault(
    service: SandboxService,
    fault: SandboxFault,
    now: Date,
  ): { startsAt: Date; version: string } {
    const state = this.serviceAt(service, now.getTime());
    if (state.pinned) {
      throw new ConflictError(
        `${state.name} replays a pinned history (glidepath.sandbox.pinnedReleases) and releases nothing new to inject a fault into`,
      );
    }
    const slot = this.alignUp(
      state,
      this.slotAtOrBefore(state, now.getTime()) + 1,
    );
    this.drills.set(state.name, fault);
    return {
      startsAt: new Date(this.slotStart(state, slot)),
      version: this.versionOf(state, slot),
    };
  }

  /** The fault and weight history of a release of a service already seen. */
  simulation(providerReleaseId: string, now: Date): SandboxReleaseSimulation {
    const parsed = parseSandboxReleaseId(providerReleaseId);
    const state = parsed && this.services.get(parsed.service);
    if (!parsed || !state) {
      throw new NotFoundError(
        `The sandbox has no release "${providerReleaseId}"`,
      );
    }
    this.advance(state, now.getTime());
    const release = state.releases.find(r => r.id === providerReleaseId);
    if (!release) {
      throw new NotFoundError(
        `The sandbox has no release "${providerReleaseId}" of ${state.name}`,
      );
    }
    return {
      providerReleaseId,
      service: state.name,
      version: release.version,
      fault: release.fault,
      weights: release.weights.map(w => ({
        at: new Date(w.at),
        weight: w.weight,
      })),
    };
  }

  // --- the train ---------------------------------------------------------

  private serviceAt(service: SandboxService, now: number): ServiceState {
    let state = this.services.get(service.name);
    if (!state) {
      state = this.firstSight(service, now);
      this.services.set(service.name, state);
    } else {
      // A changed strategy applies from the next release on.
      state.strategy = service.strategy;
    }
    this.advance(state, now);
    return state;
  }

  private firstSight(service: SandboxService, now: number): ServiceState {
    const { seed, releaseIntervalMs, historySize } = this.options;
    const state: ServiceState = {
      name: service.name,
      strategy: service.strategy,
      baseMajor:
        1 + Math.floor(createRandom(seed, service.name, 'major')() * 4),
      offsetMs: Math.floor(
        createRandom(seed, service.name, 'offset')() * releaseIntervalMs,
      ),
      firstSeenAt: now,
      clock: -Infinity,
      nextSlot: 0,
      stableVersion: '',
      releases: [],
    };
    const pinned = this.options.pinnedReleases?.[service.name];
    if (pinned) {
      state.pinned = { versions: [...pinned], stride: this.stride(state) };
    }
    state.stableVersion = this.versionOf(state, -1);

    const stride = this.stride(state);
    const last = Math.min(
      this.alignDown(state, this.slotAtOrBefore(state, now)),
      this.lastSlot(state),
    );
    if (last < 0) {
      return state;
    }
    // Report `historySize` finished releases, plus the one in progress.
    const inProgress = this.slotStart(state, last) + this.duration(state) > now;
    const count = historySize + (inProgress ? 1 : 0);
    const windowStart = Math.max(0, last - stride * (count - 1));

    // The stable version before the window is the last release that the
    // seed says succeeded; materialise it so that it can be rolled back.
    const stableSlot = this.previousScriptedSuccess(state, windowStart);
    if (stableSlot >= 0) {
      const beforeIt = this.previousScriptedSuccess(state, stableSlot);
      if (beforeIt >= 0) state.stableVersion = this.versionOf(state, beforeIt);
      const start = this.slotStart(state, stableSlot);
      const release = this.startRelease(state, stableSlot, start);
      this.advanceRelease(state, release, start + this.duration(state));
    }
    state.nextSlot = windowStart;
    return state;
  }

  /** Catches the service up to `to`, starting the releases that are due. */
  private advance(state: ServiceState, to: number): void {
    const now = Math.max(to, state.clock);
    for (;;) {
      const slot = this.alignUp(state, state.nextSlot);
      const start = this.slotStart(state, slot);
      if (start > now || slot > this.lastSlot(state)) break;
      const active = this.activeRelease(state);
      if (active) {
        this.advanceRelease(state, active, start);
        if (isActive(active) && !this.superseded(state, active, slot, start)) {
          // The slot passes while a release is still running, unless it was
          // waiting for a promote and the slot's release supersedes it: skip
          // it. A release paused by an action will not move on by itself, so
          // skip all due slots.
          state.nextSlot =
            active.phase === 'paused' && !waitsForPromote(active)
              ? Math.max(slot, this.slotAtOrBefore(state, now)) + 1
              : slot + 1;
          continue;
        }
      }
      this.startRelease(state, slot, start);
      state.nextSlot = slot + 1;
      if (state.releases.length > 4 * (this.options.historySize + 2)) {
        this.prune(state);
      }
    }
    const active = this.activeRelease(state);
    if (active) this.advanceRelease(state, active, now);
    state.clock = now;
    this.prune(state);
  }

  /**
   * Aborts `active` for the release of `slot`, due at `start`, when it waits
   * for a promote and no promote, resume or retry set it going within the
   * last release interval; says whether it did. A release nobody acts on is
   * thus superseded by the very next release, and the schedule stays the one
   * the seed gives.
   */
  private superseded(
    state: ServiceState,
    active: ReleaseRecord,
    slot: number,
    start: number,
  ): boolean {
    if (!waitsForPromote(active)) return false;
    if (
      active.actedAt !== null &&
      start - active.actedAt < this.options.releaseIntervalMs
    ) {
      return false;
    }
    const waited = start - active.stepStartedAt;
    this.stop(
      active,
      'aborted',
      start,
      byWhom(
        'Aborted',
        SANDBOX_RELEASE_TRAIN,
        `superseded by ${this.versionOf(
          state,
          slot,
        )} after waiting ${formatDuration(waited)} for a promote at step ${
          active.stepIndex + 1
        } of ${active.plan.steps.length}`,
      ),
    );
    return true;
  }

  private startRelease(
    state: ServiceState,
    slot: number,
    start: number,
  ): ReleaseRecord {
    const { seed, stepDurationMs } = this.options;
    const faultRate = this.faultRateOf(state);
    const version = this.versionOf(state, slot);
    const timed = planRelease(state.strategy, version, stepDurationMs);
    // A release that ended before the sandbox first saw its service is
    // history: it took its timed course, whatever `awaitPromotion` says.
    // So do the releases of a pinned service, which are all history.
    const history = start + naturalDurationMs(timed) <= state.firstSeenAt;
    const plan =
      this.options.awaitPromotion && !history && !state.pinned
        ? awaitingPromotion(timed)
        : timed;
    // A drill's fault goes to the first live release after it was asked.
    const drill = history ? undefined : this.drills.get(state.name);
    if (drill) this.drills.delete(state.name);
    const fault =
      drill ??
      releaseFault({
        seed,
        service: state.name,
        releaseNumber: slot,
        faultRate,
      });
    const release: ReleaseRecord = {
      slot,
      id: `${state.name}@${version}`,
      version,
      previousVersion: state.stableVersion,
      plan,
      fault,
      commit: fakeSha(createRandom(seed, state.name, slot, 'commit')),
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
        ? this.scriptedEnding(state, slot, plan, fault, start)
        : null,
    };
    this.enterStep(release, start);
    state.releases.push(release);
    return release;
  }

  /** Moves a progressing release through its steps up to `to`. */
  private advanceRelease(
    state: ServiceState,
    release: ReleaseRecord,
    to: number,
  ): void {
    while (release.phase === 'progressing') {
      const step = release.plan.steps[release.stepIndex];
      const end = release.stepStartedAt + step.durationMs;
      const scripted = release.scripted;
      if (scripted && scripted.at <= to && scripted.at < end) {
        release.scripted = null;
        this.stop(release, scripted.phase, scripted.at, scripted.message);
        return;
      }
      if (end > to) return;
      this.completeStep(state, release, end);
    }
  }

  private enterStep(release: ReleaseRecord, at: number): void {
    const step = release.plan.steps[release.stepIndex];
    if (step.weight !== null) this.setWeight(release, step.weight, at);
    if (awaitsPromotion(step)) {
      // As Argo Rollouts reports a canary on an indefinite pause step.
      release.phase = 'paused';
      release.pausedAt = null;
      release.message = `Waiting for a promote at step ${
        release.stepIndex + 1
      } of ${release.plan.steps.length}`;
    }
  }

  private completeStep(
    state: ServiceState,
    release: ReleaseRecord,
    at: number,
  ): void {
    release.stepIndex += 1;
    release.updatedAt = at;
    if (release.stepIndex >= release.plan.steps.length) {
      release.phase = 'succeeded';
      release.finishedAt = at;
      this.setWeight(release, 100, at);
      state.stableVersion = release.version;
      return;
    }
    release.stepStartedAt = at;
    this.enterStep(release, at);
  }

  private stop(
    release: ReleaseRecord,
    phase: 'aborted' | 'rolled_back',
    at: number,
    message: string,
  ): void {
    release.phase = phase;
    release.finishedAt = at;
    release.updatedAt = at;
    release.pausedAt = null;
    release.message = message;
    this.setWeight(release, 0, at);
  }

  private setWeight(release: ReleaseRecord, weight: number, at: number): void {
    const current = release.weights.length
      ? release.weights[release.weights.length - 1].weight
      : 0;
    if (current !== weight) release.weights.push({ at, weight });
  }

  /** Keeps the active release, the last finished ones and the stable one. */
  private prune(state: ServiceState): void {
    const active = this.activeRelease(state);
    const finished = state.releases.filter(r => r !== active);
    const keep = new Set(finished.slice(-this.options.historySize));
    const stable = this.stableRelease(state);
    if (stable) keep.add(stable);
    if (active) keep.add(active);
    state.releases = state.releases.filter(r => keep.has(r));
  }

  private activeRelease(state: ServiceState): ReleaseRecord | undefined {
    const latest = state.releases[state.releases.length - 1];
    return latest && isActive(latest) ? latest : undefined;
  }

  private stableRelease(state: ServiceState): ReleaseRecord | undefined {
    return state.releases.find(
      r => r.phase === 'succeeded' && r.version === state.stableVersion,
    );
  }

  // --- actions -------------------------------------------------------------

  /** Refusals beyond what the phase says (see `actionRefusal`). */
  private refusal(
    state: ServiceState,
    release: ReleaseRecord,
    action: ActionType,
  ): string | undefined {
    const latest = state.releases[state.releases.length - 1];
    if (action === 'resume' && waitsForPromote(release)) {
      return `it waits for a promote at step ${release.stepIndex + 1} of ${
        release.plan.steps.length
      } (${
        release.plan.steps[release.stepIndex].description
      }); promote it to move on, or abort or roll it back`;
    }
    if (action === 'retry' && release !== latest) {
      return `${latest.id} has started since; only the latest release can be retried`;
    }
    if (action !== 'rollback' || isActive(release)) {
      return undefined;
    }
    if (release.phase === 'succeeded') {
      const active = this.activeRelease(state);
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

  private apply(
    state: ServiceState,
    release: ReleaseRecord,
    request: SandboxAction,
  ): string {
    const at = state.clock;
    const { actor, reason } = request;
    const stepLabel = () =>
      `step ${release.stepIndex + 1} of ${release.plan.steps.length} (${
        release.plan.steps[release.stepIndex].description
      })`;
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
        return `Paused ${release.version} at ${stepLabel()}`;

      case 'resume': {
        this.resume(release, at);
        release.message = byWhom('Resumed', actor, reason);
        const step = release.plan.steps[release.stepIndex];
        const left = Math.max(0, release.stepStartedAt + step.durationMs - at);
        return `Resumed ${release.version} at ${stepLabel()}, ${Math.round(
          left / 1000,
        )}s left in the step`;
      }

      case 'promote':
        if (release.phase === 'paused') this.resume(release, at);
        this.completeStep(state, release, at);
        release.message = byWhom('Promoted', actor, reason);
        return release.phase === 'succeeded'
          ? `Promoted ${release.version} past its last step: it is now the stable version`
          : `Promoted ${release.version} to ${stepLabel()}`;

      case 'abort':
        this.stop(release, 'aborted', at, byWhom('Aborted', actor, reason));
        return `Aborted ${release.version}: all traffic is back on ${state.stableVersion}`;

      case 'retry':
        release.phase = 'progressing';
        release.stepIndex = 0;
        release.stepStartedAt = at;
        release.pausedAt = null;
        release.finishedAt = null;
        release.previousVersion = state.stableVersion;
        release.message = byWhom('Retried', actor, reason);
        if (this.options.awaitPromotion && !state.pinned) {
          // A release of the simulated history took its timed course.
          release.plan = awaitingPromotion(release.plan);
        }
        this.enterStep(release, at);
        return `Retrying ${release.version} from ${stepLabel()}`;

      case 'rollback': {
        if (release.phase === 'succeeded') {
          state.stableVersion = release.previousVersion;
        }
        this.stop(
          release,
          'rolled_back',
          at,
          byWhom('Rolled back', actor, reason),
        );
        return `Rolled back ${release.version}: ${state.stableVersion} serves all traffic`;
      }

      default:
        throw new ConflictError(
          `The sandbox does not know the action "${request.action}"`,
        );
    }
  }

  private resume(release: ReleaseRecord, at: number): void {
    if (release.pausedAt !== null) {
      release.stepStartedAt += at - release.pausedAt;
    }
    release.pausedAt = null;
    release.phase = 'progressing';
  }

  // --- what the seed decides -----------------------------------------------

  /**
   * How a release that finished before the sandbox first saw its service
   * ended: most succeeded; faulty ones were mostly rolled back or aborted
   * half-way through one of their steps, and a few healthy ones too.
   */
  private scriptedEnding(
    state: ServiceState,
    slot: number,
    plan: ReleasePlan,
    fault: SandboxFault | null,
    start: number,
  ): ScriptedEnding | null {
    // A pinned history is all successes: its versions must be the ones run.
    if (state.pinned) return null;
    const random = createRandom(this.options.seed, state.name, slot, 'history');
    const phase = this.scriptedPhase(random, fault);
    if (phase === 'succeeded') return null;
    const last = Math.max(0, plan.steps.length - 2);
    const stepIndex = Math.min(last, Math.floor(random() * (last + 1)));
    let stepStart = start;
    for (let i = 0; i < stepIndex; i++) stepStart += plan.steps[i].durationMs;
    let why = 'stopped by its owner';
    if (fault?.kind === 'error-rate') why = 'error rate above the baseline';
    else if (fault?.kind === 'latency') why = 'latency above the baseline';
    return {
      phase,
      at: stepStart + plan.steps[stepIndex].durationMs / 2,
      message: `${byWhom(
        phase === 'aborted' ? 'Aborted' : 'Rolled back',
        SANDBOX_RELEASE_TRAIN,
        why,
      )} (simulated history)`,
    };
  }

  private scriptedPhase(
    random: () => number,
    fault: SandboxFault | null,
  ): 'succeeded' | 'aborted' | 'rolled_back' {
    const u = random();
    if (fault) {
      if (u < 0.6) return 'rolled_back';
      return u < 0.8 ? 'aborted' : 'succeeded';
    }
    if (u < 0.94) return 'succeeded';
    return u < 0.98 ? 'aborted' : 'rolled_back';
  }

  private faultRateOf(state: ServiceState): number {
    // A pinned history is all successes, so none of its releases is faulty.
    if (state.pinned) return 0;
    return (
      this.options.faultRateByService?.[state.name] ?? this.options.faultRate
    );
  }

  /** The latest slot before `before` whose release the seed says succeeded. */
  private previousScriptedSuccess(state: ServiceState, before: number): number {
    const { seed } = this.options;
    const faultRate = this.faultRateOf(state);
    const stride = this.stride(state);
    if (state.pinned) return before >= stride ? before - stride : -1;
    const floor = Math.max(0, before - stride * 1000);
    for (let slot = before - stride; slot >= floor; slot -= stride) {
      const fault = releaseFault({
        seed,
        service: state.name,
        releaseNumber: slot,
        faultRate,
      });
      const random = createRandom(seed, state.name, slot, 'history');
      if (this.scriptedPhase(random, fault) === 'succeeded') return slot;
    }
    return -1;
  }

  /**
   * Versions count up with the slot: patch every release, minor every 100,
   * major every 10 000, from a major version the seed picks (1 to 4).
   * Slot -1 is the version deployed before the train started. A pinned
   * service takes its versions from its list instead, one per aligned slot.
   */
  private versionOf(state: ServiceState, slot: number): string {
    if (state.pinned) {
      return state.pinned.versions[Math.floor(slot / state.pinned.stride) + 1];
    }
    const i = slot + 1;
    const major = state.baseMajor + Math.floor(i / 10000);
    return `${major}.${Math.floor(i / 100) % 100}.${i % 100}`;
  }

  // --- the schedule ----------------------------------------------------------

  private duration(state: ServiceState): number {
    return naturalDurationMs(
      planRelease(state.strategy, '', this.options.stepDurationMs),
    );
  }

  /**
   * Releases start on every `stride`-th slot, so that a release left alone
   * finishes before the next one starts even when it takes longer than the
   * release interval.
   */
  private stride(state: ServiceState): number {
    if (state.pinned) return state.pinned.stride;
    return Math.max(
      1,
      Math.ceil(this.duration(state) / this.options.releaseIntervalMs),
    );
  }

  /** The slot of the last release of a pinned service: its train stops there. */
  private lastSlot(state: ServiceState): number {
    if (!state.pinned) return Infinity;
    return (state.pinned.versions.length - 2) * state.pinned.stride;
  }

  private slotStart(state: ServiceState, slot: number): number {
    return (
      SANDBOX_EPOCH.getTime() +
      state.offsetMs +
      slot * this.options.releaseIntervalMs
    );
  }

  private slotAtOrBefore(state: ServiceState, time: number): number {
    return Math.floor(
      (time - SANDBOX_EPOCH.getTime() - state.offsetMs) /
        this.options.releaseIntervalMs,
    );
  }

  private alignDown(state: ServiceState, slot: number): number {
    const stride = this.stride(state);
    return Math.floor(slot / stride) * stride;
  }

  private alignUp(state: ServiceState, slot: number): number {
    const stride = this.stride(state);
    return Math.max(0, Math.ceil(slot / stride) * stride);
  }

  // --- reporting -------------------------------------------------------------

  private toObserved(release: ReleaseRecord): ObservedRelease {
    const active = isActive(release);
    const lastWeight = release.weights[release.weights.length - 1];
    return {
      providerReleaseId: release.id,
      version: release.version,
      previousVersion: release.previousVersion,
      environment: this.options.environment,
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
      startedBy: SANDBOX_RELEASE_TRAIN,
      commit: release.commit,
      startedAt: new Date(release.startedAt),
      updatedAt: new Date(release.updatedAt),
      finishedAt:
        release.finishedAt === null ? null : new Date(release.finishedAt),
    };
  }
}

function stepStatus(release: ReleaseRecord, index: number): StepStatus {
  if (index < release.stepIndex) return 'completed';
  if (isActive(release)) {
    return index === release.stepIndex ? 'running' : 'pending';
  }
  return release.phase === 'succeeded' ? 'completed' : 'skipped';
}
