import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  ObservedRelease,
  ObservedRollout,
  RolloutActionRequest,
  RolloutActionResult,
  RolloutProvider,
  RolloutTarget,
  RollForwardRequest,
  StartReleaseRequest,
} from '@glidepath/backstage-plugin-node';
import {
  abortPlan,
  pausePlan,
  promoteFullPlan,
  promotePlan,
  resumePlan,
  retryPlan,
  type RolloutPatchPlan,
} from './actions';
import { ClusterCache, type ClusterSnapshot } from './ClusterCache';
import {
  readArgoRolloutsConfig,
  type ArgoRolloutsConfig,
  type ClusterConfig,
} from './config';
import { describeApiError } from './errors';
import { KubernetesApiError, KubernetesClient } from './KubernetesClient';
import type { AnalysisRunView } from './mapping/analysisRuns';
import type { RolloutView } from './mapping/mapRollout';
import {
  parseReleaseId,
  rolloutKey,
  type RolloutLocation,
} from './mapping/releaseIds';
import type { Rollout } from './resources/rollout';
import { resolveTarget, rolloutViews } from './resolveTarget';
import {
  applyPlan,
  getRollout,
  listReplicaSets,
  rollForwardRollout,
  undoRollout,
} from './rolloutRequests';
import { CONTAINER_ANNOTATION, tagProblem } from './startRelease/setImage';
import { setRolloutImage } from './startRelease/startRelease';

/** @public */
export type ArgoRolloutsProviderOptions = ArgoRolloutsConfig & {
  logger?: LoggerService;
  /** The size of one page of a list; 500 unless given. */
  pageSize?: number;
  /** How many times an action is tried again on a 409 conflict; 3 unless given. */
  conflictRetries?: number;
  now?: () => number;
};

/**
 * Glidepath's `argo-rollouts` rollout provider: reads Rollouts, their
 * ReplicaSets and AnalysisRuns from the configured clusters and acts on them
 * with the semantics of the `kubectl argo rollouts` plugin.
 *
 * Reading costs one list per kind per cluster (per namespace when a cluster
 * is limited to some) per poll interval, whatever the number of entities:
 * `listRollouts` answers from that cache.
 * @public
 */
export class ArgoRolloutsProvider implements RolloutProvider {
  readonly id = 'argo-rollouts';

  readonly #caches = new Map<string, ClusterCache>();
  readonly #clients = new Map<string, KubernetesClient>();
  readonly #pollIntervalMs: number;
  readonly #conflictRetries: number;
  readonly #logger?: LoggerService;
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #failing = new Set<string>();

  /** A provider configured by `glidepath.argoRollouts`. */
  static fromConfig(
    config: Config,
    options?: { logger?: LoggerService },
  ): ArgoRolloutsProvider {
    return new ArgoRolloutsProvider({
      ...readArgoRolloutsConfig(config),
      logger: options?.logger,
    });
  }

  constructor(options: ArgoRolloutsProviderOptions) {
    this.#pollIntervalMs = options.pollIntervalMs;
    this.#conflictRetries = options.conflictRetries ?? 3;
    this.#logger = options.logger;
    for (const cluster of options.clusters) {
      const client = new KubernetesClient({
        cluster,
        timeoutMs: options.requestTimeoutMs,
      });
      this.#clients.set(cluster.name, client);
      this.#caches.set(
        cluster.name,
        new ClusterCache({
          client,
          pageSize: options.pageSize,
          now: options.now,
          warn: message => options.logger?.warn(message),
        }),
      );
    }
  }

  /** The configured clusters. */
  get clusters(): ClusterConfig[] {
    return [...this.#clients.values()].map(client => client.cluster);
  }

  /**
   * Reads every cluster now and then every poll interval, so that
   * `listRollouts` finds fresh lists. Failures are logged once per outage.
   */
  start(): void {
    if (this.#timers.length) return;
    for (const cache of this.#caches.values()) {
      const poll = () => {
        cache.refresh().then(
          () => {
            if (this.#failing.delete(cache.cluster.name)) {
              this.#logger?.info(
                `Glidepath reads Argo Rollouts in cluster ${cache.cluster.name} again`,
              );
            }
          },
          error => {
            if (!this.#failing.has(cache.cluster.name)) {
              this.#failing.add(cache.cluster.name);
              this.#logger?.warn(
                `Glidepath cannot read Argo Rollouts in cluster ${cache.cluster.name}: ${error.message}`,
              );
            }
          },
        );
      };
      poll();
      const timer = setInterval(poll, this.#pollIntervalMs);
      timer.unref();
      this.#timers.push(timer);
    }
  }

  /** Stops polling and closes idle connections. */
  stop(): void {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    for (const client of this.#clients.values()) client.close();
  }

  async listRollouts(targets: RolloutTarget[]): Promise<ObservedRollout[]> {
    const resolved = targets.map(target => resolveTarget(target, this.#caches));
    const caches = new Set<ClusterCache>();
    for (const r of resolved) if (r.ok) caches.add(r.cache);
    const snapshots = new Map<ClusterCache, ClusterSnapshot | Error>();
    await Promise.all(
      [...caches].map(async cache => {
        try {
          snapshots.set(cache, await cache.current(this.#pollIntervalMs));
        } catch (error) {
          snapshots.set(cache, error);
        }
      }),
    );
    const failures = [...snapshots.values()].filter(
      (s): s is Error => s instanceof Error,
    );
    // Every cluster asked about is unreachable: that is an outage of the
    // provider, which Glidepath records as such, not a problem of entities.
    if (failures.length > 0 && failures.length === snapshots.size) {
      throw new Error(failures.map(f => f.message).join('; '));
    }

    return resolved.map((r): ObservedRollout => {
      const entityRef = r.target.entityRef;
      if (!r.ok) return { entityRef, error: r.error };
      const snapshot = snapshots.get(r.cache)!;
      if (snapshot instanceof Error) {
        return { entityRef, error: snapshot.message };
      }
      const views = rolloutViews(r.ref, r.target, snapshot);
      if (typeof views === 'string') return { entityRef, error: views };
      const releases: ObservedRelease[] = views.flatMap(view => view.releases);
      return { entityRef, releases };
    });
  }

  /**
   * Everything read about the target's Rollouts: revisions with their
   * images and roles, pause reasons, abort message, analysis runs.
   */
  async describe(target: RolloutTarget): Promise<RolloutView[]> {
    const r = resolveTarget(target, this.#caches);
    if (!r.ok) throw new InputError(r.error);
    const snapshot = await r.cache.current(this.#pollIntervalMs);
    const views = rolloutViews(r.ref, target, snapshot);
    if (typeof views === 'string') throw new NotFoundError(views);
    return views;
  }

  /** The analysis runs of one release, each metric with its measurements. */
  async readAnalysisRuns(
    target: RolloutTarget,
    providerReleaseId: string,
  ): Promise<AnalysisRunView[]> {
    const views = await this.describe(target);
    for (const view of views) {
      const runs = view.analysisRuns[providerReleaseId];
      if (runs) return runs;
    }
    return [];
  }

  #location(target: RolloutTarget, providerReleaseId: string) {
    const location = parseReleaseId(providerReleaseId);
    if (!location) {
      throw new InputError(
        `"${providerReleaseId}" is not an Argo Rollouts release id (<cluster>/<namespace>/<name>@<revision>)`,
      );
    }
    const r = resolveTarget(target, this.#caches);
    if (!r.ok) throw new InputError(r.error);
    const { ref } = r;
    if (
      ref.cluster !== location.cluster ||
      (ref.namespace !== null && ref.namespace !== location.namespace) ||
      (ref.name !== null && ref.name !== location.name)
    ) {
      throw new InputError(
        `the release ${providerReleaseId} is not one of "argo-rollouts:${target.ref}"`,
      );
    }
    return {
      location,
      client: this.#clients.get(location.cluster)!,
      cache: r.cache,
    };
  }

  /**
   * Reads the Rollout fresh, checks that the release is its current
   * revision, then acts; a 409 conflict is tried again on a fresh read, a
   * bounded number of times.
   */
  async #act(
    target: RolloutTarget,
    providerReleaseId: string,
    options: { signal?: AbortSignal; anyRevision?: boolean },
    act: (
      rollout: Rollout,
      client: KubernetesClient,
      /** Where the Rollout is, and the revision the release id names. */
      location: RolloutLocation & { revision: number },
    ) => Promise<string>,
  ): Promise<RolloutActionResult> {
    const { location, client, cache } = this.#location(
      target,
      providerReleaseId,
    );
    let lastConflict: unknown;
    for (let attempt = 0; attempt <= this.#conflictRetries; attempt++) {
      options.signal?.throwIfAborted();
      const rollout = await getRollout(client, location, options.signal);
      if (!options.anyRevision && rollout.revision !== location.revision) {
        throw new ConflictError(
          `revision ${location.revision} of Rollout ${location.namespace}/${location.name} is no longer its current one (that is revision ${rollout.revision}): act on the current release`,
        );
      }
      try {
        const message = await act(rollout, client, location);
        cache.refresh().catch(() => {});
        return { message: `${message} in cluster ${location.cluster}` };
      } catch (error) {
        if (error instanceof KubernetesApiError && error.status === 409) {
          lastConflict = error;
          continue;
        }
        throw error;
      }
    }
    throw describeApiError(lastConflict, {
      cluster: location.cluster,
      verb: 'patch',
      resource: 'rollouts',
      apiGroup: 'argoproj.io',
      namespace: location.namespace,
      object: `Rollout ${location.namespace}/${location.name}`,
    });
  }

  /**
   * Acts on the release. `rollback` aborts an update in progress (traffic
   * back to the stable ReplicaSet) and, once nothing is in progress or the
   * update is already aborted, restores the previous revision's template
   * (undo). See the README for the whole mapping.
   */
  async performAction(
    request: RolloutActionRequest,
  ): Promise<RolloutActionResult> {
    const { target, providerReleaseId, action, signal } = request;
    return this.#act(
      target,
      providerReleaseId,
      { signal },
      async (rollout, client, location) => {
        const apply = async (plan: RolloutPatchPlan) => {
          await applyPlan(client, location, plan, signal);
          return plan.message;
        };
        switch (action) {
          case 'abort':
            return apply(abortPlan(rollout));
          case 'retry':
            return apply(retryPlan(rollout));
          case 'pause':
            return apply(pausePlan(rollout));
          case 'resume':
            return apply(resumePlan(rollout));
          case 'promote':
            return apply(promotePlan(rollout));
          case 'rollback': {
            const { stableRS, currentPodHash, abort } = rollout.status;
            const inProgress = stableRS !== null && stableRS !== currentPodHash;
            if (inProgress && !abort) return apply(abortPlan(rollout));
            const stableRevision = inProgress
              ? (await listReplicaSets(client, location, rollout, signal)).find(
                  rs => rs.podTemplateHash === stableRS,
                )?.revision ?? undefined
              : undefined;
            return undoRollout(
              rollout,
              client,
              location,
              stableRevision,
              signal,
            );
          }
          default:
            throw new InputError(`Argo Rollouts has no action "${action}"`);
        }
      },
    );
  }

  /**
   * Runs a completed release's version again after a rollback test rolled
   * it back (`performAction` with `rollback`, an undo to the previous
   * revision): `kubectl argo rollouts undo --to-revision=N`, N being the
   * revision the release's ReplicaSet has now. The release id names the
   * revision the release had; when Argo reused its ReplicaSet since (a
   * rollback or a roll forward gives it the next revision), the
   * ReplicaSet's `rollout.argoproj.io/revision-history` still lists it.
   * Resolves without writing when the Rollout already runs or rolls out
   * that template; throws when the ReplicaSet was pruned
   * (`spec.revisionHistoryLimit`). The restored version then goes through
   * the Rollout's steps as a new revision.
   */
  async rollForward(request: RollForwardRequest): Promise<RolloutActionResult> {
    const { target, providerReleaseId, version, signal } = request;
    return this.#act(
      target,
      providerReleaseId,
      { signal, anyRevision: true },
      (rollout, client, location) =>
        rollForwardRollout(
          rollout,
          client,
          location,
          { revision: location.revision, version },
          signal,
        ),
    );
  }

  /**
   * Starts a release of `request.version` as the plugin's `set image`
   * does (`<container>=<repository>:<version>`): a fresh GET of the
   * Rollout and a PUT of it (or of the workload its `workloadRef` names)
   * with the container's image given the version as its tag, guarded by
   * the resourceVersion read; a 409 conflict is tried again on a fresh
   * read. The container is the one the entity's `glidepath.dev/container`
   * annotation names, else the first. The controller then rolls the new
   * template out as a new revision through the Rollout's steps, which
   * `listRollouts` reports as a release of the version. Writes nothing when
   * the container already has that image (the Rollout runs the version or
   * is on its way to it) or the object already carries the request's key
   * (`glidepath.dev/start-key`). A target that names no single Rollout (a
   * kubernetes-id matching several) is refused with `InputError`, as are a
   * version that cannot be a tag and an unknown container.
   */
  async startRelease(
    request: StartReleaseRequest,
  ): Promise<RolloutActionResult> {
    const { target, version, idempotencyKey, signal } = request;
    const problem = tagProblem(version);
    if (problem) throw new InputError(problem);
    const r = resolveTarget(target, this.#caches);
    if (!r.ok) throw new InputError(r.error);
    let location: RolloutLocation;
    if (r.ref.name !== null) {
      location = {
        cluster: r.ref.cluster,
        namespace: r.ref.namespace,
        name: r.ref.name,
      };
    } else {
      const snapshot = await r.cache.current(this.#pollIntervalMs);
      const views = rolloutViews(r.ref, target, snapshot);
      if (typeof views === 'string') throw new NotFoundError(views);
      if (views.length !== 1) {
        throw new InputError(
          `"argo-rollouts:${target.ref}" names ${views.length} Rollouts (${views
            .map(v => rolloutKey(v.location))
            .sort()
            .join(
              ', ',
            )}): Glidepath cannot tell which one to release ${version} on; name one as <cluster>/<namespace>/<name>`,
        );
      }
      location = views[0].location;
    }
    const container =
      target.entity.metadata.annotations?.[CONTAINER_ANNOTATION]?.trim() ||
      undefined;
    const client = this.#clients.get(location.cluster)!;
    let lastConflict: unknown;
    for (let attempt = 0; attempt <= this.#conflictRetries; attempt++) {
      signal.throwIfAborted();
      try {
        const message = await setRolloutImage(
          client,
          location,
          { container, version, idempotencyKey },
          signal,
        );
        r.cache.refresh().catch(() => {});
        return { message: `${message} in cluster ${location.cluster}` };
      } catch (error) {
        if (error instanceof KubernetesApiError && error.status === 409) {
          lastConflict = error;
          continue;
        }
        throw error;
      }
    }
    throw describeApiError(lastConflict, {
      cluster: location.cluster,
      verb: 'update',
      resource: 'rollouts',
      apiGroup: 'argoproj.io',
      namespace: location.namespace,
      object: `Rollout ${location.namespace}/${location.name}`,
    });
  }

  /**
   * `kubectl argo rollouts promote --full`: skips the remaining steps,
   * pauses and analyses of the release. Not one of Glidepath's actions yet.
   */
  async promoteFull(
    target: RolloutTarget,
    providerReleaseId: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<RolloutActionResult> {
    return this.#act(
      target,
      providerReleaseId,
      options,
      async (rollout, client, location) => {
        const plan = promoteFullPlan(rollout);
        await applyPlan(client, location, plan, options.signal);
        return plan.message;
      },
    );
  }

  /**
   * `kubectl argo rollouts undo [--to-revision]`: restores the template of
   * the previous revision, or of `toRevision`. `providerReleaseId` is the
   * Rollout's current release. Not one of Glidepath's actions yet.
   */
  async undo(
    target: RolloutTarget,
    providerReleaseId: string,
    options: { toRevision?: number; signal?: AbortSignal } = {},
  ): Promise<RolloutActionResult> {
    return this.#act(
      target,
      providerReleaseId,
      { ...options, anyRevision: false },
      (rollout, client, location) =>
        undoRollout(
          rollout,
          client,
          location,
          options.toRevision,
          options.signal,
        ),
    );
  }
}
