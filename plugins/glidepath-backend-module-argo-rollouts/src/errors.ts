import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { KubernetesApiError } from './KubernetesClient';

/** What a request was for, to explain its failure. */
export type RequestPurpose = {
  cluster: string;
  verb: 'get' | 'list' | 'patch' | 'update';
  /** e.g. `rollouts`, `rollouts/status`, `replicasets`, `deployments`. */
  resource: string;
  apiGroup: string;
  /** Null for a list across all namespaces. */
  namespace: string | null;
  /** What was looked for, for a 404: `Rollout shop/checkout`. */
  object?: string;
};

/**
 * Turns an API server error into the error Glidepath shows: 403 names the
 * verb, resource and namespace the service account lacks and the ClusterRole
 * rule to add; 404 names the object and the cluster; 409 is a conflict;
 * 400/422 (a patch the API server refused) is bad input. Anything else is
 * kept, with the cluster named.
 */
export function describeApiError(
  error: unknown,
  purpose: RequestPurpose,
): Error {
  if (!(error instanceof KubernetesApiError)) {
    return error instanceof Error ? error : new Error(String(error));
  }
  const where = purpose.namespace
    ? `in namespace ${purpose.namespace}`
    : 'in all namespaces';
  const server = error.message
    ? ` (the API server said: ${error.message})`
    : '';
  switch (error.status) {
    case 401:
      return new NotAllowedError(
        `Cluster ${purpose.cluster} did not accept the backend's credentials: check the token or certificate in its config${server}`,
      );
    case 403:
      return new NotAllowedError(
        `the backend's service account may not ${purpose.verb} ${purpose.resource} ${where} of cluster ${purpose.cluster}: add the verb "${purpose.verb}" on "${purpose.resource}" (apiGroup "${purpose.apiGroup}") to its ClusterRole${server}`,
      );
    case 404:
      return new NotFoundError(
        purpose.object
          ? `${purpose.object} not found in cluster ${purpose.cluster}`
          : `Cluster ${purpose.cluster} has no ${purpose.resource} (${purpose.apiGroup}) resource: is Argo Rollouts installed?${server}`,
      );
    case 409:
      return new ConflictError(
        `${
          purpose.object ?? purpose.resource
        } changed while Glidepath wrote to it in cluster ${
          purpose.cluster
        }${server}`,
      );
    case 400:
    case 422:
      return new InputError(
        `Cluster ${purpose.cluster} refused to ${purpose.verb} ${
          purpose.object ?? purpose.resource
        }: ${error.message}`,
      );
    default:
      return new Error(
        `Cluster ${purpose.cluster} failed to ${purpose.verb} ${
          purpose.object ?? purpose.resource
        } (HTTP ${error.status})${server}`,
      );
  }
}
