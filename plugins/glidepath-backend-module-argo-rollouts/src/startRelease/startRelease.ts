/**
 * The requests of `startRelease`, as `kubectl argo rollouts set image`
 * sends them: a fresh GET of the Rollout (and of the workload its
 * `workloadRef` names), then a PUT (an update) of that whole object with
 * the container's image changed, as JSON, guarded by the resourceVersion it
 * was read at. A 409 conflict is kept as it is, for the caller to read
 * again and retry, as the plugin does.
 */
import { InputError } from '@backstage/errors';
import { workloadTarget } from '../actions';
import { describeApiError } from '../errors';
import { KubernetesApiError, type KubernetesClient } from '../KubernetesClient';
import type { RolloutLocation } from '../mapping/releaseIds';
import { isObject, type KubeObject } from '../objects';
import { readRollout } from '../resources/rollout';
import { planSetImage } from './setImage';

function rolloutPath(location: { namespace: string; name: string }) {
  return `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(
    location.namespace,
  )}/rollouts/${encodeURIComponent(location.name)}`;
}

async function getObject(
  client: KubernetesClient,
  location: RolloutLocation,
  where: { path: string; resource: string; apiGroup: string; object: string },
  signal?: AbortSignal,
): Promise<KubeObject> {
  let object: unknown;
  try {
    object = await client.request({ method: 'GET', path: where.path, signal });
  } catch (error) {
    throw describeApiError(error, {
      cluster: location.cluster,
      verb: 'get',
      resource: where.resource,
      apiGroup: where.apiGroup,
      namespace: location.namespace,
      object: where.object,
    });
  }
  if (!isObject(object)) {
    throw new InputError(
      `${where.object} in cluster ${location.cluster} is not an object`,
    );
  }
  return object;
}

/**
 * Sets the image of the Rollout's container (or its workload's) to the
 * version's tag, unless that is already done (see `planSetImage`); returns
 * what it did. Throws a `KubernetesApiError` with status 409 when the
 * object changed between the read and the write.
 */
export async function setRolloutImage(
  client: KubernetesClient,
  location: RolloutLocation,
  request: { container?: string; version: string; idempotencyKey: string },
  signal?: AbortSignal,
): Promise<string> {
  const rolloutObject = `Rollout ${location.namespace}/${location.name}`;
  const raw = await getObject(
    client,
    location,
    {
      path: rolloutPath(location),
      resource: 'rollouts',
      apiGroup: 'argoproj.io',
      object: rolloutObject,
    },
    signal,
  );
  let rollout;
  try {
    rollout = readRollout(raw);
  } catch (error) {
    throw new InputError(
      `${rolloutObject} in cluster ${location.cluster} cannot be read: ${error.message}`,
    );
  }
  // With a workloadRef, the template to change is the workload's.
  const where = workloadTarget(rollout);
  const describe = rollout.workloadRef
    ? `${rollout.workloadRef.kind} ${location.namespace}/${rollout.workloadRef.name} (the workloadRef of ${rolloutObject})`
    : rolloutObject;
  const object = rollout.workloadRef
    ? await getObject(
        client,
        location,
        {
          ...where,
          object: `${rollout.workloadRef.kind} ${location.namespace}/${rollout.workloadRef.name}`,
        },
        signal,
      )
    : raw;
  const plan = planSetImage(object, {
    templatePath: where.templatePath,
    describe,
    container: request.container,
    version: request.version,
    idempotencyKey: request.idempotencyKey,
  });
  if (plan.kind === 'nothing') return plan.message;
  try {
    await client.request({
      method: 'PUT',
      path: where.path,
      contentType: 'application/json',
      body: plan.object,
      signal,
    });
  } catch (error) {
    if (error instanceof KubernetesApiError && error.status === 409) {
      throw error;
    }
    throw describeApiError(error, {
      cluster: location.cluster,
      verb: 'update',
      resource: where.resource,
      apiGroup: where.apiGroup,
      namespace: location.namespace,
      object: describe,
    });
  }
  return plan.message;
}
