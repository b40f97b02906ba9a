import {
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { EntityName } from '@glidepath/backstage-plugin-common';

/** The entity as Glidepath's API addresses it. */
export function entityName(entity: Entity): EntityName {
  return {
    kind: entity.kind.toLocaleLowerCase('en-US'),
    namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
    name: entity.metadata.name,
  };
}

/**
 * The entity's owner as a full entity ref ("group:default/team-checkout"),
 * from `spec.owner`, or from the ownedBy relation when there is no spec.
 */
export function entityOwnerRef(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner === 'string' && owner) {
    try {
      return stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
        }),
      );
    } catch {
      return owner;
    }
  }
  return entity.relations?.find(r => r.type === RELATION_OWNED_BY)?.targetRef;
}

/** What the entity is called in sentences: its type ("service") or kind. */
export function entitySubject(entity: Entity): string {
  const type = entity.spec?.type;
  return typeof type === 'string' && type
    ? type
    : entity.kind.toLocaleLowerCase('en-US');
}

/** "component:default/checkout" -> "checkout" (the namespace when not default). */
export function shortRef(ref: string): string {
  const [, rest = ref] = ref.split(':');
  return rest.startsWith('default/') ? rest.slice('default/'.length) : rest;
}
