import type { Entity } from '@backstage/catalog-model';
import type {
  ActionType,
  Actor,
  DoraDeployment,
  ProviderAnalysisRun,
  ReleasePhase,
  ReleaseStep,
  ReleaseStrategy,
  StrategyAnnotation,
} from '@glidepath/backstage-plugin-common';

/** One entity a provider is asked about. @public */
export type RolloutTarget = {
  /** The entity's ref, e.g. `component:default/checkout-service`. */
  entityRef: string;
  /**
   * The part of the target in `glidepath.dev/rollout` after `<provider>:`
   * (of this target's environment, when the annotation names several).
   */
  ref: string;
  /**
   * The environment this target is, from `glidepath.dev/rollout` (e.g.
   * `staging`; the first production environment for the single form).
   * Glidepath always sets it; an entity has one target per environment, so
   * `listRollouts` may be asked about the same entity once per environment
   * (in separate calls). When the annotation names the environment,
   * Glidepath records the target's releases there whatever
   * `ObservedRelease.environment` says.
   */
  environment?: string;
  /** The strategy the entity asks for in `glidepath.dev/strategy`, if any. */
  strategy?: StrategyAnnotation;
  /** The entity itself, for providers that read more of it. */
  entity: Entity;
};

/**
 * A release as its provider reports it. `providerReleaseId` must be stable for
 * the life of the release: Glidepath keys its stored release on it.
 * @public
 */
export type ObservedRelease = {
  providerReleaseId: string;
  version: string;
  previousVersion: string | null;
  environment: string;
  strategy: ReleaseStrategy;
  phase: ReleasePhase;
  steps: Array<Omit<ReleaseStep, 'index'>>;
  currentStepIndex: number | null;
  canaryWeight: number;
  message: string | null;
  startedBy: Actor;
  commit: string | null;
  startedAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  /**
   * The analysis the provider runs itself for this release (Argo Rollouts'
   * AnalysisRuns), oldest first. Leave it out when the provider runs none;
   * Glidepath keeps the latest 20 measurements per metric.
   */
  providerAnalysis?: ProviderAnalysisRun[];
};

/** What a provider knows about one target. @public */
export type ObservedRollout =
  | {
      entityRef: string;
      /** The target's releases, any order; at least the current one. */
      releases: ObservedRelease[];
    }
  | {
      entityRef: string;
      /** The provider could not read this target; the others are fine. */
      error: string;
    };

/** A request to act on a release. @public */
export type RolloutActionRequest = {
  target: RolloutTarget;
  providerReleaseId: string;
  action: ActionType;
  reason: string;
  actor: Actor;
  /** Aborted when Glidepath gives up waiting for the provider. */
  signal: AbortSignal;
};

/** A fault a rollback drill injects into a canary. @public */
export type DrillFault = 'error-rate' | 'latency';

/** A request to inject a fault into a target's next release. @public */
export type FaultInjectionRequest = {
  target: RolloutTarget;
  fault: DrillFault;
  reason: string;
  actor: Actor;
};

/**
 * A request to put a completed release's version back after a rollback
 * test rolled it back (with `performAction` and `rollback`). @public
 */
export type RollForwardRequest = {
  target: RolloutTarget;
  /** The provider's id of the completed release whose version goes back. */
  providerReleaseId: string;
  /** That release's version, the one to run again. */
  version: string;
  reason: string;
  actor: Actor;
  /** Aborted when Glidepath gives up waiting for the provider. */
  signal: AbortSignal;
};

/**
 * A request to start a release of a version of an entity in an
 * environment, for release plans. @public
 */
export type StartReleaseRequest = {
  /** The target of the environment to release in. */
  target: RolloutTarget;
  /** The version to release (an image tag for Argo Rollouts). */
  version: string;
  /**
   * Stable for this start: a repeated call with the same key (a retry after
   * a crash) must not start a second release.
   */
  idempotencyKey: string;
  reason: string;
  actor: Actor;
  /** Aborted when Glidepath gives up waiting for the provider. */
  signal: AbortSignal;
};

/** What the provider did. @public */
export type RolloutActionResult = {
  /** A short account of what happened, shown with the action. */
  message?: string;
};

/**
 * A source of rollouts: the sandbox, Argo Rollouts, ... Registered by backend
 * modules through `glidepathRolloutProvidersExtensionPoint`.
 *
 * A provider reports failure by throwing (or rejecting), never by returning
 * an empty list: an unreachable provider is an outage, not "no releases".
 * @public
 */
export interface RolloutProvider {
  /** The id used in `glidepath.dev/rollout: <id>:<ref>`. */
  readonly id: string;
  /** True for simulations; the UI labels their releases as simulated. */
  readonly simulated?: boolean;
  /** Reads the releases of many targets at once. */
  listRollouts(targets: RolloutTarget[]): Promise<ObservedRollout[]>;
  /**
   * Performs an action. Resolves when the provider has accepted it; throws
   * with the provider's reason when it refuses or fails.
   */
  performAction(request: RolloutActionRequest): Promise<RolloutActionResult>;
  /**
   * Optional: makes the target's next release carry `fault` on its canary,
   * for rollback drills and game days (a simulation, or a staging
   * environment with fault injection). Asking again before that release
   * starts replaces the fault. Resolves with what will happen, e.g. when the
   * release starts.
   */
  injectFault?(request: FaultInjectionRequest): Promise<RolloutActionResult>;
  /**
   * Optional: runs the version of a completed release again after a
   * rollback test rolled it back (Argo Rollouts: `undo` to that release's
   * revision). Resolves when the provider has accepted it; the new rollout
   * shows up in `listRollouts` as a release of `version` started after the
   * call. Resolves without acting when the target already runs `version`
   * or is on its way to it (a repeated call). Without it, Glidepath's
   * rollback tests are "not run", naming the provider.
   */
  rollForward?(request: RollForwardRequest): Promise<RolloutActionResult>;
  /**
   * Optional: starts a release of `request.version` on the target, for
   * release plans (Argo Rollouts: sets the image of the Rollout's container,
   * as `kubectl argo rollouts set image` does). Resolves when the provider
   * has accepted it; the release shows up in `listRollouts` as a release of
   * that version. Resolves without acting when the target already runs the
   * version or is on its way to it, or when the key was seen before. Throws
   * with the provider's reason when it refuses. Without it, a plan's member
   * is "manual": the plan waits until the version shows up.
   */
  startRelease?(request: StartReleaseRequest): Promise<RolloutActionResult>;
  /**
   * Optional: the targets' production deployments and incidents between
   * `from` and `to`, for DORA — history from before Glidepath watched them,
   * or, for a simulation, a made-up past (labelled simulated). Event ids
   * must be stable: what is read twice is recorded once. Read at start-up
   * and daily.
   */
  readHistory?(
    targets: RolloutTarget[],
    range: { from: Date; to: Date },
  ): Promise<ProviderHistory>;
}

/**
 * A past deployment a provider reports for DORA: a `DoraDeployment` with
 * `Date` times, its version always given, and where it went and what it
 * deployed. Its `id` is stable and unique across the provider's history.
 * @public
 */
export type HistoryDeployment = DoraDeployment<Date> & {
  version: string;
  environment: string;
  commit: string | null;
};

/** A past incident a provider reports for DORA. @public */
export type HistoryIncident = {
  id: string;
  entityRef: string;
  title: string;
  openedAt: Date;
  resolvedAt: Date | null;
  /** The id of the HistoryDeployment that caused it, when known. */
  deploymentId?: string;
};

/** What `readHistory` returns. @public */
export type ProviderHistory = {
  deployments: HistoryDeployment[];
  incidents: HistoryIncident[];
};
