/**
 * How Argo Rollouts releases are named in Glidepath: where a Rollout lives,
 * the id of each of its revisions, and who starts them.
 */
import type { Actor } from '@glidepath/backstage-plugin-common';

/** Who starts Argo Rollouts releases, as far as Glidepath can tell. @public */
export const ARGO_ROLLOUTS_ACTOR: Actor = {
  kind: 'provider',
  ref: 'argo-rollouts',
  displayName: 'Argo Rollouts',
};

/** Where a Rollout lives. @public */
export type RolloutLocation = {
  cluster: string;
  namespace: string;
  name: string;
};

/** `<cluster>/<namespace>/<name>`. @public */
export function rolloutKey(location: RolloutLocation): string {
  return `${location.cluster}/${location.namespace}/${location.name}`;
}

/** The release id of one revision: `<cluster>/<namespace>/<name>@<revision>`. @public */
export function releaseId(location: RolloutLocation, revision: number): string {
  return `${rolloutKey(location)}@${revision}`;
}

/** Reads a release id back; null when it is not one of ours. @public */
export function parseReleaseId(
  id: string,
): (RolloutLocation & { revision: number }) | null {
  const match = /^([^/@]+)\/([^/@]+)\/([^/@]+)@(\d+)$/.exec(id);
  if (!match) return null;
  return {
    cluster: match[1],
    namespace: match[2],
    name: match[3],
    revision: Number(match[4]),
  };
}
