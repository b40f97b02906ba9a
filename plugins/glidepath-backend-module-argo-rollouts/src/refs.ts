/** What a `glidepath.dev/rollout: argo-rollouts:<ref>` names. @public */
export type RolloutRef =
  | { cluster: string; namespace: string; name: string }
  /** The Rollouts labelled with the entity's kubernetes-id, in one namespace or all. */
  | { cluster: string; namespace: string | null; name: null };

const SEGMENT = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/**
 * Reads `<cluster>/<namespace>/<name>` (one Rollout), `<cluster>/<namespace>`
 * or `<cluster>` (the Rollouts labelled `backstage.io/kubernetes-id=<the
 * entity's backstage.io/kubernetes-id>` in that namespace, or in all).
 * Returns the problem in words when the ref is none of these.
 * @public
 */
export function parseRolloutRef(
  ref: string,
): { ok: true; value: RolloutRef } | { ok: false; problem: string } {
  const parts = ref.trim().split('/');
  const example =
    'use "argo-rollouts:<cluster>/<namespace>/<name>", "argo-rollouts:<cluster>/<namespace>" or "argo-rollouts:<cluster>"';
  if (parts.length > 3) {
    return {
      ok: false,
      problem: `"${ref}" has ${parts.length} parts separated by "/": ${example}`,
    };
  }
  const bad = parts.find(part => !SEGMENT.test(part));
  if (bad !== undefined) {
    return {
      ok: false,
      problem: `"${ref}" is not a rollout reference (${
        bad === '' ? 'an empty part' : `"${bad}" is not a Kubernetes name`
      }): ${example}`,
    };
  }
  const [cluster, namespace, name] = parts;
  if (name !== undefined)
    return { ok: true, value: { cluster, namespace, name } };
  return {
    ok: true,
    value: { cluster, namespace: namespace ?? null, name: null },
  };
}
