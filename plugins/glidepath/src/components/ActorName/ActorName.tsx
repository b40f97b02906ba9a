import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { Actor } from '@glidepath/backstage-plugin-common';
import { actorName } from '../../lib/releases';

/** A user's entity reference, or undefined when the text is not one. */
function userRefOf(ref: string): string | undefined {
  try {
    const parsed = parseEntityRef(ref);
    return parsed.kind.toLowerCase() === 'user' ? ref : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Who did something, as people read it: a person by the name recorded with
 * the action or else their name in the catalog (their display name), linked to their entity page; a policy, a
 * service or the provider by its name.
 */
export function ActorName(props: { actor: Actor }) {
  const { actor } = props;
  const ref = actor.kind === 'user' ? userRefOf(actor.ref) : undefined;
  if (ref) {
    // The name the backend recorded, else the catalog's (its presentation).
    return (
      <EntityRefLink entityRef={ref} hideIcon disableTooltip>
        {actor.displayName}
      </EntityRefLink>
    );
  }
  return <>{actorName(actor)}</>;
}

/**
 * An owner (a group or user entity reference) as a link showing its name in
 * the catalog, for sentences such as "only its owners (Payments) can".
 */
export function OwnerLink(props: { ownerRef: string }) {
  return (
    <EntityRefLink
      entityRef={props.ownerRef}
      defaultKind="group"
      hideIcon
      disableTooltip
    />
  );
}
