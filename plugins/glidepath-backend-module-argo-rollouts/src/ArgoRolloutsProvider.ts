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
} from '@glidepath/backstage-plugin-node';
import {
  abortPlan,
  pausePlan,
  promoteFullPlan,
  promotePlan,
  resumePlan,
  retryPlan,
  undoPlan,
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
import {
  parseReleaseId,
  type AnalysisRunView,
  type RolloutLocation,
  type RolloutView,
} from './mapping';
import { KUBERNETES_ID_LABEL, POD_TEMPLATE_HASH_LABEL } from './objects';
import { parseRolloutRef, type RolloutRef } from './refs';
import { readReplicaSet, readRollout, type Rollout } from './resources';

/** Backstage's annotation naming an entity's Kubernetes objects. */
const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
/** Backstage's annotation naming an entity's namespace. */
const KUBERNETES_NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';

/** @public */
export type ArgoRolloutsProviderOptions = ArgoRolloutsConfig & {
  logger?: LoggerService;
  /** The size of one page of a list; 500 unless given. */
  pageSize?: number;
  /** How many times an action is tried again on a 409 conflict; 3 unless given. */
  conflictRetries?: number;
  now?: () => number;
};

type Resolved =
  | { ok: true; target: RolloutTarget; ref: RolloutRef; cache: ClusterCache }
  | { ok: false; target: RolloutTarget; error: string };

function rolloutPath(location: { namespace: string; name: string }) {
  return `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(
    location.namespace,
  )}/rollouts/${encodeURIComponent(location.name)}`;
}

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

  #resolve(target: RolloutTarget): Resolved {
    const parsed = parseRolloutRef(target.ref);
    if (!parsed.ok) return { ok: false, target, error: parsed.problem };
    const ref = parsed.value;
    const cache = this.#caches.get(ref.cluster);
    if (!cache) {
      return {
        ok: false,
        target,
        error: `the cluster "${
          ref.cluster
        }" is not configured in glidepath.argoRollouts.clusters (configured: ${[
          ...this.#caches.keys(),
        ].join(', ')})`,
      };
    }
    const limited = cache.cluster.namespaces;
    if (limited && ref.namespace !== null && !limited.includes(ref.namespace)) {
      return {
        ok: false,
        target,
        error: `Glidepath reads only the namespaces ${limited.join(
          ', ',
        )} of cluster ${
          ref.cluster
        } (glidepath.argoRollouts.clusters[].namespaces), not ${ref.namespace}`,
      };
    }
    return { ok: true, target, ref, cache };
  }

  #views(
    ref: RolloutRef,
    target: RolloutTarget,
    snapshot: ClusterSnapshot,
  ): RolloutView[] | string {
    if (ref.name !== null) {
      const entry = snapshot.rollouts.get(`${ref.namespace}/${ref.name}`);
      if (!entry) {
        return `Rollout ${ref.namespace}/${ref.name} not found in cluster ${ref.cluster}`;
      }
      const view = snapshot.view(entry);
      return view instanceof Error ? view.message : [view];
    }
    const annotations = target.entity.metadata.annotations ?? {};
    const id = annotations[KUBERNETES_ID_ANNOTATION]?.trim();
    if (!id) {
      return `"argo-rollouts:${target.ref}" names no Rollout, so Glidepath looks for the Rollouts labelled ${KUBERNETES_ID_LABEL}=<id>, but the entity has no ${KUBERNETES_ID_ANNOTATION} annotation: add it, or name the Rollout as <cluster>/<namespace>/<name>`;
    }
    const namespace =
      ref.namespace ??
      annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim() ??
      null;
    const entries = snapshot.rolloutsWithKubernetesId(id, namespace);
    if (entries.length === 0) {
      return `no Rollout labelled ${KUBERNETES_ID_LABEL}=${id} ${
        namespace ? `in namespace ${namespace}` : 'in any namespace'
      } of cluster ${ref.cluster}`;
    }
    const views: RolloutView[] = [];
    for (const entry of entries) {
      const view = snapshot.view(entry);
      if (view instanceof Error) return view.message;
      views.push(view);
    }
    return views;
  }

  async listRollouts(targets: RolloutTarget[]): Promise<ObservedRollout[]> {
    const resolved = targets.map(target => this.#resolve(target));
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
      const views = this.#views(r.ref, r.target, snapshot);
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
    const r = this.#resolve(target);
    if (!r.ok) throw new InputError(r.error);
    const snapshot = await r.cache.current(this.#pollIntervalMs);
    const views = this.#views(r.ref, target, snapshot);
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
    const r = this.#resolve(target);
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

  async #getRollout(
    client: KubernetesClient,
    location: RolloutLocation,
    signal?: AbortSignal,
  ): Promise<Rollout> {
    let object: unknown;
    try {
      object = await client.request({
        method: 'GET',
        path: rolloutPath(location),
        signal,
      });
    } catch (error) {
      throw describeApiError(error, {
        cluster: location.cluster,
        verb: 'get',
        resource: 'rollouts',
        apiGroup: 'argoproj.io',
        namespace: location.namespace,
        object: `Rollout ${location.namespace}/${location.name}`,
      });
    }
    try {
      return readRollout(object);
    } catch (error) {
      throw new InputError(
        `Rollout ${location.namespace}/${location.name} in cluster ${location.cluster} cannot be read: ${error.message}`,
      );
    }
  }

  async #patch(
    client: KubernetesClient,
    location: RolloutLocation,
    options: {
      path: string;
      resource: string;
      apiGroup: string;
      contentType:
        | 'application/merge-patch+json'
        | 'application/json-patch+json';
      body: unknown;
      object: string;
      signal?: AbortSignal;
    },
  ): Promise<void> {
    try {
      await client.request({
        method: 'PATCH',
        path: options.path,
        contentType: options.contentType,
        body: options.body,
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof KubernetesApiError) throw error;
      throw describeApiError(error, {
        cluster: location.cluster,
        verb: 'patch',
        resource: options.resource,
        apiGroup: options.apiGroup,
        namespace: location.namespace,
        object: options.object,
      });
    }
  }

  /** Sends a plan's merge patches as the kubectl plugin does. */
  async #apply(
    client: KubernetesClient,
    location: RolloutLocation,
    plan: RolloutPatchPlan,
    signal?: AbortSignal,
  ): Promise<void> {
    const path = rolloutPath(location);
    const object = `Rollout ${location.namespace}/${location.name}`;
    let spec = plan.spec;
    if (plan.status) {
      try {
        await this.#patch(client, location, {
          path: `${path}/status`,
          resource: 'rollouts/status',
          apiGroup: 'argoproj.io',
          contentType: 'application/merge-patch+json',
          body: plan.status,
          object,
          signal,
        });
      } catch (error) {
        if (!(error instanceof KubernetesApiError) || error.status !== 404) {
          throw this.#explain(
            error,
            location,
            'rollouts/status',
            'argoproj.io',
          );
        }
        // No status subresource (Argo Rollouts v0.9): one patch of the
        // main resource carries spec and status.
        spec = plan.unified;
      }
    }
    if (spec) {
      try {
        await this.#patch(client, location, {
          path,
          resource: 'rollouts',
          apiGroup: 'argoproj.io',
          contentType: 'application/merge-patch+json',
          body: spec,
          object,
          signal,
        });
      } catch (error) {
        throw this.#explain(error, location, 'rollouts', 'argoproj.io');
      }
    }
  }

  #explain(
    error: unknown,
    location: RolloutLocation,
    resource: string,
    apiGroup: string,
  ): unknown {
    // A conflict is kept as it is, for the caller to read again and retry.
    if (error instanceof KubernetesApiError && error.status === 409)
      return error;
    return describeApiError(error, {
      cluster: location.cluster,
      verb: 'patch',
      resource,
      apiGroup,
      namespace: location.namespace,
      object: `Rollout ${location.namespace}/${location.name}`,
    });
  }

  async #listReplicaSets(
    client: KubernetesClient,
    location: RolloutLocation,
    rollout: Rollout,
    signal?: AbortSignal,
  ) {
    const selector = Object.entries(rollout.selector)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    try {
      const list = await client.list(
        `/apis/apps/v1/namespaces/${encodeURIComponent(
          location.namespace,
        )}/replicasets`,
        { labelSelector: selector || POD_TEMPLATE_HASH_LABEL, signal },
      );
      return list.items.flatMap(item => {
        try {
          return [readReplicaSet(item)];
        } catch {
          return [];
        }
      });
    } catch (error) {
      throw describeApiError(error, {
        cluster: location.cluster,
        verb: 'list',
        resource: 'replicasets',
        apiGroup: 'apps',
        namespace: location.namespace,
      });
    }
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
      location: RolloutLocation,
    ) => Promise<string>,
  ): Promise<RolloutActionResult> {
    const { location, client, cache } = this.#location(
      target,
      providerReleaseId,
    );
    let lastConflict: unknown;
    for (let attempt = 0; attempt <= this.#conflictRetries; attempt++) {
      options.signal?.throwIfAborted();
      const rollout = await this.#getRollout(client, location, options.signal);
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

  async #undo(
    rollout: Rollout,
    client: KubernetesClient,
    location: RolloutLocation,
    toRevision: number | undefined,
    signal?: AbortSignal,
  ): Promise<string> {
    const replicaSets = await this.#listReplicaSets(
      client,
      location,
      rollout,
      signal,
    );
    const plan = undoPlan(rollout, replicaSets, toRevision);
    if (plan.skip) return plan.message;
    try {
      await this.#patch(client, location, {
        path: plan.path,
        resource: plan.resource,
        apiGroup: plan.apiGroup,
        contentType: 'application/json-patch+json',
        body: plan.body,
        object: rollout.workloadRef
          ? `${rollout.workloadRef.kind} ${location.namespace}/${rollout.workloadRef.name}`
          : `Rollout ${location.namespace}/${location.name}`,
        signal,
      });
    } catch (error) {
      if (error instanceof KubernetesApiError && error.status === 409)
        throw error;
      throw describeApiError(error, {
        cluster: location.cluster,
        verb: 'patch',
        resource: plan.resource,
        apiGroup: plan.apiGroup,
        namespace: location.namespace,
        object: rollout.workloadRef
          ? `${rollout.workloadRef.kind} ${location.namespace}/${rollout.workloadRef.name}`
          : `Rollout ${location.namespace}/${location.name}`,
      });
    }
    return plan.message;
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
          await this.#apply(client, location, plan, signal);
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
              ? (
                  await this.#listReplicaSets(client, location, rollout, signal)
                ).find(rs => rs.podTemplateHash === stableRS)?.revision ??
                undefined
              : undefined;
            return this.#undo(
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
        await this.#apply(client, location, plan, options.signal);
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
        this.#undo(
          rollout,
          client,
          location,
          options.toRevision,
          options.signal,
        ),
    );
  }
}
