/**
 * Which Rollouts a target names: its ref read against the configured
 * clusters, then the Rollout it names or those with the entity's Kubernetes
 * id.
 */
import type { RolloutTarget } from '@glidepath/backstage-plugin-node';
import type { ClusterCache, ClusterSnapshot } from './ClusterCache';
import type { RolloutView } from './mapping/mapRollout';
import { KUBERNETES_ID_LABEL } from './objects';
import { parseRolloutRef, type RolloutRef } from './refs';

/** Backstage's annotation naming an entity's Kubernetes objects. */
const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
/** Backstage's annotation naming an entity's namespace. */
const KUBERNETES_NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';

/** A target's ref read and its cluster found, or why not. */
export type Resolved =
  | { ok: true; target: RolloutTarget; ref: RolloutRef; cache: ClusterCache }
  | { ok: false; target: RolloutTarget; error: string };

/**
 * Reads the target's ref and finds its cluster's cache: an unknown cluster,
 * or a namespace the cluster is not read in, is an error for the target.
 */
export function resolveTarget(
  target: RolloutTarget,
  caches: Map<string, ClusterCache>,
): Resolved {
  const parsed = parseRolloutRef(target.ref);
  if (!parsed.ok) return { ok: false, target, error: parsed.problem };
  const ref = parsed.value;
  const cache = caches.get(ref.cluster);
  if (!cache) {
    return {
      ok: false,
      target,
      error: `the cluster "${
        ref.cluster
      }" is not configured in glidepath.argoRollouts.clusters (configured: ${[
        ...caches.keys(),
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

/**
 * The target's Rollouts in a snapshot: the one it names, or those labelled
 * with the entity's Kubernetes id; a string says why there are none.
 */
export function rolloutViews(
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
