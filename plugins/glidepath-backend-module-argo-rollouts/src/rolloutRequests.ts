/**
 * The requests an action sends to the API server: the fresh read of the
 * Rollout, the merge patches of a plan (with the fallback for Argo Rollouts
 * without the status subresource), the ReplicaSets an undo needs and undo's
 * JSON patch. Each failure names the cluster, the verb and the resource;
 * a 409 conflict is kept as it is, for the caller to read again and retry.
 */
import { InputError } from '@backstage/errors';
import {
  rollForwardPlan,
  undoPlan,
  workloadTarget,
  type RolloutPatchPlan,
  type UndoPlan,
} from './actions';
import { describeApiError } from './errors';
import { KubernetesApiError, type KubernetesClient } from './KubernetesClient';
import type { RolloutLocation } from './mapping/releaseIds';
import { isObject, type KubeObject, POD_TEMPLATE_HASH_LABEL } from './objects';
import { readReplicaSet } from './resources/replicaSet';
import { readRollout, type Rollout } from './resources/rollout';

function rolloutPath(location: { namespace: string; name: string }) {
  return `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(
    location.namespace,
  )}/rollouts/${encodeURIComponent(location.name)}`;
}

/** Reads the Rollout fresh, for an action to act on. */
export async function getRollout(
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

/** Sends one patch; a Kubernetes API error is kept for the caller to explain. */
async function patch(
  client: KubernetesClient,
  location: RolloutLocation,
  options: {
    path: string;
    resource: string;
    apiGroup: string;
    contentType: 'application/merge-patch+json' | 'application/json-patch+json';
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
export async function applyPlan(
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
      await patch(client, location, {
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
        throw explainPatchError(
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
      await patch(client, location, {
        path,
        resource: 'rollouts',
        apiGroup: 'argoproj.io',
        contentType: 'application/merge-patch+json',
        body: spec,
        object,
        signal,
      });
    } catch (error) {
      throw explainPatchError(error, location, 'rollouts', 'argoproj.io');
    }
  }
}

/** A failed patch of the Rollout in words, but a conflict as it is. */
function explainPatchError(
  error: unknown,
  location: RolloutLocation,
  resource: string,
  apiGroup: string,
): unknown {
  // A conflict is kept as it is, for the caller to read again and retry.
  if (error instanceof KubernetesApiError && error.status === 409) return error;
  return describeApiError(error, {
    cluster: location.cluster,
    verb: 'patch',
    resource,
    apiGroup,
    namespace: location.namespace,
    object: `Rollout ${location.namespace}/${location.name}`,
  });
}

/** The Rollout's ReplicaSets, by its selector, read fresh. */
export async function listReplicaSets(
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

/** Sends an undo's JSON patch, unless the plan skips; returns its message. */
async function sendUndoPlan(
  rollout: Rollout,
  client: KubernetesClient,
  location: RolloutLocation,
  plan: UndoPlan,
  signal?: AbortSignal,
): Promise<string> {
  if (plan.skip) return plan.message;
  const object = rollout.workloadRef
    ? `${rollout.workloadRef.kind} ${location.namespace}/${rollout.workloadRef.name}`
    : `Rollout ${location.namespace}/${location.name}`;
  try {
    await patch(client, location, {
      path: plan.path,
      resource: plan.resource,
      apiGroup: plan.apiGroup,
      contentType: 'application/json-patch+json',
      body: plan.body,
      object,
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
      object,
    });
  }
  return plan.message;
}

/** Restores an earlier revision's template (`kubectl argo rollouts undo`). */
export async function undoRollout(
  rollout: Rollout,
  client: KubernetesClient,
  location: RolloutLocation,
  toRevision: number | undefined,
  signal?: AbortSignal,
): Promise<string> {
  const replicaSets = await listReplicaSets(client, location, rollout, signal);
  const plan = undoPlan(rollout, replicaSets, toRevision);
  return sendUndoPlan(rollout, client, location, plan, signal);
}

/**
 * The pod template of the workload a Rollout references (`workloadRef`),
 * read fresh; null for a Rollout with its own template.
 */
async function getWorkloadTemplate(
  rollout: Rollout,
  client: KubernetesClient,
  location: RolloutLocation,
  signal?: AbortSignal,
): Promise<KubeObject | null> {
  if (!rollout.workloadRef) return null;
  const where = workloadTarget(rollout);
  const object = `${rollout.workloadRef.kind} ${location.namespace}/${rollout.workloadRef.name}`;
  let workload: unknown;
  try {
    workload = await client.request({
      method: 'GET',
      path: where.path,
      signal,
    });
  } catch (error) {
    throw describeApiError(error, {
      cluster: location.cluster,
      verb: 'get',
      resource: where.resource,
      apiGroup: where.apiGroup,
      namespace: location.namespace,
      object,
    });
  }
  let node: unknown = workload;
  for (const key of where.templatePath.split('/').slice(1)) {
    node = isObject(node) ? node[key] : undefined;
  }
  return isObject(node) ? node : null;
}

/**
 * Runs a completed release's version again after a rollback test:
 * `undo --to-revision` to the ReplicaSet that ran its revision. With a
 * workloadRef, the referenced workload is read first, to skip when its
 * template already is that revision's.
 */
export async function rollForwardRollout(
  rollout: Rollout,
  client: KubernetesClient,
  location: RolloutLocation,
  release: { revision: number; version: string },
  signal?: AbortSignal,
): Promise<string> {
  const replicaSets = await listReplicaSets(client, location, rollout, signal);
  const plan = rollForwardPlan(
    rollout,
    replicaSets,
    release,
    await getWorkloadTemplate(rollout, client, location, signal),
  );
  return sendUndoPlan(rollout, client, location, plan, signal);
}
