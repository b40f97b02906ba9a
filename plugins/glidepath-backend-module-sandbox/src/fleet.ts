import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  ActionType,
  Actor,
  StrategyAnnotation,
} from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import { actOnRelease } from './actions';
import type { SandboxFault } from './faults';
import { toObserved } from './release';
import { alignUp, slotAtOrBefore, slotStart, versionOf } from './slots';
import { advance, firstSight, type ServiceState } from './train';

export { SANDBOX_EPOCH } from './slots';
export { SANDBOX_RELEASE_TRAIN } from './release';

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
    const slot = alignUp(state, slotAtOrBefore(state, now.getTime()) + 1);
    state.drill = fault;
    return {
      startsAt: new Date(slotStart(state, slot)),
      version: versionOf(state, slot),
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
    advance(this.options, state, now.getTime());
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

  /** The service's train, caught up to `now`. */
  private serviceAt(service: SandboxService, now: number): ServiceState {
    let state = this.services.get(service.name);
    if (!state) {
      state = firstSight(this.options, service, now);
      this.services.set(service.name, state);
    } else {
      // A changed strategy applies from the next release on.
      state.strategy = service.strategy;
    }
    advance(this.options, state, now);
    return state;
  }
}
