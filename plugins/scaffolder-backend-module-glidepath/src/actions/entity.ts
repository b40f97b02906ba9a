import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { EntityName } from '@glidepath/backstage-plugin-common';

/** The entity an action acts on, from `component:default/checkout` or `checkout`. */
export function entityOf(entityRef: string): EntityName & { ref: string } {
  try {
    const name = parseEntityRef(entityRef, {
      defaultKind: 'component',
      defaultNamespace: 'default',
    });
    return {
      kind: name.kind,
      namespace: name.namespace,
      name: name.name,
      ref: `${name.kind}:${name.namespace}/${name.name}`.toLocaleLowerCase(
        'en-US',
      ),
    };
  } catch (error) {
    throw new InputError(
      `entityRef "${entityRef}" is not an entity ref (kind:namespace/name): ${
        (error as Error).message
      }`,
    );
  }
}
