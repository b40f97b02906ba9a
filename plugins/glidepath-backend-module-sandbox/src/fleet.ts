import { InputError, NotFoundError } from '@backstage/errors';
import type {
  ActionType,
  Actor,
  StrategyAnnotation,
} from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import {
  actOnRelease,
  effectAlreadyThere,
  rollForward,
  rollForwardAlreadyThere,
} from './actions';
import type { SandboxFault } from './faults';
import { toObserved } from './release';
import {
  heldUntil,
  startAlreadyThere,
  startOnRequest,
  startVersionProblem,
  type SandboxStart,
} from './starts';
import { alignUp, slotAtOrBefore, slotStart, versionOf } from './slots';
import { advance, firstSight, type ServiceState } from './train';

export { SANDBOX_EPOCH } from './slots';
export { SANDBOX_RELEASE_TRAIN } from './release';
export type { SandboxStart } from './starts';

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
  /**
   * The share of versions, 0 to 1, whose rollback fails: rolling the
   * release of such a version back (once it succeeded) restores the version
   * before it, which no longer starts (say, after the new version's schema
   * migration). The restore's canary fails every request and health check,
   * and the restore fails; the rolled-back version stays the stable one.
   * Drawn per service and rolled-back version. 0 unless given.
   */
  rollbackFailureShare?: number;
  /**
   * Per sandbox service, a share that replaces `rollbackFailureShare` (1 to
   * make every rollback of the service fail, for demos and tests). Unlike
   * the fault rates, it applies to pinned histories too, which otherwise
   * restore reliably.
   */
  rollbackFailureShareByService?: Record<string, number>;
  /**
   * How long a service's train starts nothing after a release started on
   * request (`SandboxRolloutProvider#startRelease`, a release plan's)
   * ended, so that it does not overwrite what the plan released; it starts
   * nothing while that release runs anyway. An hour unless given.
   */
  startedReleaseHoldMs?: number;
};

/** One simulated service: a sandbox name and the strategy it asks for. @public */
export type SandboxService = {
  name: string;
  strategy?: StrategyAnnotation;
  /**
   * For the target of an environment before production (staging): the
   * production service it runs the versions of first. The twin's releases
   * have the production service's versions, commits and seeded faults, each
   * starting `leadMs` before the production release of the same version.
   */
  follows?: { service: string; leadMs: number };
  /**
   * For a production service: its staging twin (the service that `follows`
   * it with `leadMs`). Production then starts only the versions the twin
   * completed, as a promotion pipeline would: not before the twin's release
   * of the version succeeded (nor `leadMs` after it started), and never one
   * the twin aborted, rolled back, failed or did not run.
   */
  stagedIn?: { service: string; leadMs: number };
};

/** An action on a sandbox release. @public */
export type SandboxAction = {
  providerReleaseId: string;
  action: ActionType;
  reason: string;
  actor: Actor;
};

/**
 * A roll forward to the version of a release that completed and was rolled
 * back (see `SandboxRolloutProvider#rollForward`). @public
 */
export type SandboxRollForward = {
  /** The release whose version runs again. */
  providerReleaseId: string;
  /** Its version. */
  version: string;
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

/**
 * What people did to the fleet, as the sandbox's journal keeps it: an action
 * on a release, a drill's fault for a service's next release, or a roll
 * forward, at the time it took effect. A fleet that records the same
 * entries, in the same order, reports the same releases (see
 * `SandboxFleet#record`).
 * @public
 */
export type SandboxFleetEvent =
  | { kind: 'action'; service: string; at: Date; action: SandboxAction }
  | { kind: 'fault'; service: string; at: Date; fault: SandboxFault }
  | {
      kind: 'forward';
      service: string;
      at: Date;
      forward: SandboxRollForward;
    }
  | { kind: 'start'; service: string; at: Date; start: SandboxStart };

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
 * release ids, versions, commits and faults survive a restart. Releases that
 * ended before the fleet first saw their service are history, with the
 * outcomes the seed gives them; later ones run live. The train of a service
 * in `pinnedReleases` released its listed versions, all successfully, in
 * the last slots that ended before the fleet first saw it, and stops.
 *
 * What people did (actions, drills, roll forwards) is the rest of the
 * fleet's state. On its own a fleet keeps it in memory;
 * `SandboxRolloutProvider` with a database keeps it in the database
 * instead, so that replicas and restarts agree:
 * each fleet learns when every service was first seen (`firstSeen`) and
 * replays the shared journal (`record`), and fleets with the same seed,
 * first sightings and journal report the same releases.
 * @public
 */
export class SandboxFleet {
  private readonly options: SandboxFleetOptions;
  private readonly services = new Map<string, ServiceState>();
  /** When services were first seen, as the journal says. */
  private readonly firstSeenAt = new Map<string, number>();
  /** Per service, its state right after its last recorded event. */
  private readonly checkpoints = new Map<string, ServiceState>();
  /** Per service, every event recorded, in the journal's order. */
  private readonly recorded = new Map<string, SandboxFleetEvent[]>();
  /** The idempotency keys of the starts recorded, and their service. */
  private readonly startKeys = new Map<string, string>();

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
    return state.releases.map(release =>
      toObserved(release, this.options.environment),
    );
  }

  /**
   * Acts on a release at `now`, with Argo Rollouts' semantics, and says what
   * happened. Throws `NotFoundError` for an unknown release and
   * `ConflictError` when the release does not admit the action.
   */
  act(service: SandboxService, request: SandboxAction, now: Date): string {
    const state = this.serviceAt(service, now.getTime());
    return actOnRelease(state, request, this.options);
  }

  /**
   * What `act` would do at `now`, done on a copy: the fleet does not change.
   * Says what would happen and the time the action would take effect (`now`,
   * or later when the fleet has already seen a later time); throws as `act`
   * does. Record the action at that time to make it happen.
   */
  rehearse(
    service: SandboxService,
    request: SandboxAction,
    now: Date,
  ): { message: string; at: Date } {
    const state = structuredClone(this.serviceAt(service, now.getTime()));
    const message = actOnRelease(state, request, this.options);
    return { message, at: new Date(state.clock) };
  }

  /**
   * Why `request` need not be done, when its effect is already there (its
   * release is already rolled back, aborted, or paused by a pause action),
   * so that a repeated request acts once; undefined otherwise.
   */
  alreadyDone(
    service: SandboxService,
    request: SandboxAction,
    now: Date,
  ): string | undefined {
    const state = this.serviceAt(service, now.getTime());
    const release = state.releases.find(
      r => r.id === request.providerReleaseId,
    );
    return release && effectAlreadyThere(release, request.action);
  }

  /**
   * Runs the version of a release that completed and was rolled back again
   * at `now` (a roll forward after a rollback test), and says what happened.
   * Says so without acting when the service already runs the version or a
   * release of it is in progress. Throws `NotFoundError` for an unknown
   * release, `InputError` for another version than the release's and
   * `ConflictError` when the service does not admit it (another release in
   * progress, a release that never completed, a newer release since).
   */
  rollForward(
    service: SandboxService,
    request: SandboxRollForward,
    now: Date,
  ): string {
    const state = this.serviceAt(service, now.getTime());
    return rollForward(state, request, this.options);
  }

  /**
   * What `rollForward` would do at `now`, done on a copy: what would happen,
   * whether it would change anything (not when its effect is already there)
   * and the time it would take effect. Throws as `rollForward` does.
   */
  rehearseRollForward(
    service: SandboxService,
    request: SandboxRollForward,
    now: Date,
  ): { message: string; changes: boolean; at: Date } {
    const state = structuredClone(this.serviceAt(service, now.getTime()));
    const done = rollForwardAlreadyThere(state, request);
    const message = done ?? rollForward(state, request, this.options);
    return { message, changes: !done, at: new Date(state.clock) };
  }

  /**
   * Starts a release of `request.version` at `now`, besides the train (see
   * `startOnRequest`), and says what happened. Does nothing, and says so,
   * when a start with the same idempotency key was recorded before (for any
   * service) or its effect is already there. Throws `InputError` for a
   * version the sandbox cannot name.
   */
  start(service: SandboxService, request: SandboxStart, now: Date): string {
    const rehearsed = this.rehearseStart(service, request, now);
    if (rehearsed.record) {
      this.record({
        kind: 'start',
        service: service.name,
        at: rehearsed.at,
        start: request,
      });
    }
    return rehearsed.message;
  }

  /**
   * What `start` would do at `now`, on a copy: what would happen, whether
   * the start is to be recorded (not when its key was recorded before:
   * recording one whose effect is already there keeps its key), and the time
   * it would take effect. Throws as `start` does.
   */
  rehearseStart(
    service: SandboxService,
    request: SandboxStart,
    now: Date,
  ): { message: string; record: boolean; at: Date } {
    const problem = startVersionProblem(request.version);
    if (problem) throw new InputError(problem);
    const state = this.serviceAt(service, now.getTime());
    const at = new Date(state.clock);
    const seenFor = this.startKeys.get(request.idempotencyKey);
    if (seenFor !== undefined) {
      return {
        message: `A start with the idempotency key "${
          request.idempotencyKey
        }" was done before${
          seenFor === service.name ? '' : ` (for ${seenFor})`
        }; nothing to do`,
        record: false,
        at,
      };
    }
    const done = startAlreadyThere(state, request.version);
    if (done) return { message: done, record: true, at };
    const copy = structuredClone(state);
    return {
      message: startOnRequest(copy, request, this.options),
      record: true,
      at,
    };
  }

  /**
   * Makes the service's next release carry `fault` (a rollback drill), and
   * says when the train's next release starts and its version: null when
   * the train starts nothing (a pinned history, or a release started on
   * request in flight), so the next release started on request carries it.
   * A release started on request before the train's carries it instead.
   * Asking again before that release starts replaces the fault.
   */
  injectFault(
    service: SandboxService,
    fault: SandboxFault,
    now: Date,
  ): NextRelease {
    const state = this.serviceAt(service, now.getTime());
    const next = nextReleaseOf(state, now.getTime(), this.options);
    state.drill = fault;
    return next;
  }

  /** What `injectFault` would say and when it would take effect, on a copy. */
  rehearseFault(
    service: SandboxService,
    now: Date,
  ): NextRelease & { at: Date } {
    const state = this.serviceAt(service, now.getTime());
    return {
      ...nextReleaseOf(state, now.getTime(), this.options),
      at: new Date(state.clock),
    };
  }

  /**
   * Tells the fleet when `service` was first seen (by this fleet or another
   * on the same journal): releases that ended before are history, later ones
   * ran live. Call it before the fleet sees the service; a fleet that built
   * the service from another time builds it again.
   */
  firstSeen(service: string, at: Date): void {
    const time = at.getTime();
    if (this.firstSeenAt.get(service) === time) return;
    this.firstSeenAt.set(service, time);
    const state = this.services.get(service);
    if (state && state.firstSeenAt !== time) {
      this.services.delete(service);
      this.checkpoints.delete(service);
      // Production went on from what its staging twin did.
      for (const production of [...this.services.values()]) {
        if (production.stagedIn?.service === service) {
          this.services.delete(production.name);
          this.checkpoints.delete(production.name);
        }
      }
    }
  }

  /**
   * Where the service's story in the sandbox begins: when the earliest
   * release the fleet reported of it started, and the version deployed
   * before that release (see `ServiceState.beginning`), and whether its
   * versions are pinned. Fixed once the service was first seen: the
   * sandbox's made-up DORA history ends there.
   */
  beginning(
    service: SandboxService,
    now: Date,
  ): { at: Date; version: string; pinned: boolean } {
    const state = this.serviceAt(service, now.getTime());
    return {
      at: new Date(state.beginning.at),
      version: state.beginning.version,
      pinned: Boolean(state.pinned),
    };
  }

  /** Whether the fleet knows when `service` was first seen. */
  knowsFirstSight(service: string): boolean {
    return this.firstSeenAt.has(service);
  }

  /**
   * Applies an event of the journal: the service as it was at `event.at`,
   * with the action or the drill's fault. Events must come in the journal's
   * order. An event older than what the fleet has already seen of the
   * service (another replica acted while this one moved on) is applied at
   * its time all the same: the fleet goes back to the service's state after
   * the event before, replays, and catches up again when next asked. An
   * action the release no longer admits (a journal written with another
   * configuration) is skipped.
   */
  record(event: SandboxFleetEvent): void {
    if (event.kind === 'start') {
      this.startKeys.set(event.start.idempotencyKey, event.service);
    }
    const events = this.recorded.get(event.service) ?? [];
    events.push(event);
    this.recorded.set(event.service, events);
    // Applied when the fleet first sees the service, with its strategy.
    const current = this.services.get(event.service);
    if (!current) return;
    const at = event.at.getTime();
    let state = current;
    if (current.clock > at) {
      const checkpoint = this.checkpoints.get(event.service);
      state = checkpoint ? structuredClone(checkpoint) : this.replayed(current);
      state.strategy = current.strategy;
      this.services.set(event.service, state);
    }
    this.apply(state, event);
    // Production went on from what its staging twin did before the event:
    // it goes back too.
    for (const production of this.services.values()) {
      if (
        production.stagedIn?.service === event.service &&
        production.clock > at
      ) {
        this.rebuild(production);
      }
    }
  }

  /**
   * The service built again from its first sight, with every event recorded
   * for it: for a production service whose staging twin changed in its
   * past.
   */
  private rebuild(current: ServiceState): void {
    const state = this.replayed(current);
    this.services.set(current.name, state);
    this.checkpoints.delete(current.name);
    for (const event of this.recorded.get(current.name) ?? []) {
      this.apply(state, event);
    }
  }

  /**
   * The staging twin of a production service that has one, caught up to
   * `at` at least (built when the fleet has not seen it yet).
   */
  private twinOf(
    production: Pick<SandboxService, 'name' | 'strategy' | 'stagedIn'>,
    at: number,
  ): ServiceState | undefined {
    const { stagedIn } = production;
    if (!stagedIn) return undefined;
    return this.serviceAt(
      {
        name: stagedIn.service,
        strategy: production.strategy,
        follows: { service: production.name, leadMs: stagedIn.leadMs },
      },
      at,
    );
  }

  /** Catches the service up to `to`, with its staging twin if it has one. */
  private advanceService(state: ServiceState, to: number): void {
    advance(this.options, state, to, this.twinOf(state, to));
  }

  private apply(state: ServiceState, event: SandboxFleetEvent): void {
    this.advanceService(state, event.at.getTime());
    if (event.kind === 'fault') {
      // A pinned service's goes to its next release started on request.
      state.drill = event.fault;
    } else {
      try {
        if (event.kind === 'forward') {
          rollForward(state, event.forward, this.options);
        } else if (event.kind === 'start') {
          startOnRequest(state, event.start, this.options);
        } else {
          actOnRelease(state, event.action, this.options);
        }
      } catch {
        // Not admitted any more: nothing happened.
      }
    }
    this.checkpoints.set(state.name, structuredClone(state));
  }

  /**
   * The service built again from its first sight: for a service whose first
   * recorded event is older than what the fleet has seen of it.
   */
  private replayed(current: ServiceState): ServiceState {
    const service = {
      name: current.name,
      strategy: current.strategy,
      follows: current.follows,
      stagedIn: current.stagedIn,
    };
    return firstSight(
      this.options,
      service,
      current.firstSeenAt,
      this.twinOf(current, current.firstSeenAt),
    );
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
    this.advanceService(state, now.getTime());
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

  /**
   * The production service whose staging twin `service` is, when the fleet
   * has built it as one; undefined otherwise.
   */
  lineageOf(service: string): string | undefined {
    return this.services.get(service)?.lineage;
  }

  /** The service's train, caught up to `now`. */
  private serviceAt(service: SandboxService, now: number): ServiceState {
    let state = this.services.get(service.name);
    if (
      state &&
      (state.follows?.service !== service.follows?.service ||
        state.follows?.leadMs !== service.follows?.leadMs ||
        state.stagedIn?.service !== service.stagedIn?.service ||
        state.stagedIn?.leadMs !== service.stagedIn?.leadMs)
    ) {
      // It became (or stopped being) a staging twin, or production with
      // one: another schedule.
      this.services.delete(service.name);
      this.checkpoints.delete(service.name);
      state = undefined;
    }
    if (!state) {
      const firstSeenAt = Math.min(
        this.firstSeenAt.get(service.name) ?? now,
        now,
      );
      const twin = this.twinOf(service, now);
      state = firstSight(this.options, service, firstSeenAt, twin);
      this.services.set(service.name, state);
      for (const event of this.recorded.get(service.name) ?? []) {
        this.apply(state, event);
      }
    } else {
      // A changed strategy applies from the next release on.
      state.strategy = service.strategy;
    }
    this.advanceService(state, now);
    return state;
  }
}

/**
 * When the train's next release of a service starts, and its version; null
 * for both when its train starts nothing (see `SandboxFleet#injectFault`).
 * @public
 */
export type NextRelease = {
  startsAt: Date | null;
  version: string | null;
  /** Why the train starts nothing, when it does not. */
  why?: string;
};

/** When the train's next release starts, and its version. */
function nextReleaseOf(
  state: ServiceState,
  now: number,
  options: SandboxFleetOptions,
): NextRelease {
  if (state.pinned) {
    return {
      startsAt: null,
      version: null,
      why: 'its train replays a pinned history (glidepath.sandbox.pinnedReleases)',
    };
  }
  const held = heldUntil(state, options);
  if (held === Infinity) {
    return {
      startsAt: null,
      version: null,
      why: 'a release started on request is in flight',
    };
  }
  const slot = alignUp(state, slotAtOrBefore(state, Math.max(now, held)) + 1);
  return {
    startsAt: new Date(slotStart(state, slot)),
    version: versionOf(state, slot),
  };
}
