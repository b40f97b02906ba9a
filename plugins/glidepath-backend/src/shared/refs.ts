import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { normalizeEntityRef } from '@glidepath/backstage-plugin-common';

/**
 * An entity's normalised ref (lower case, with kind and namespace): the key
 * Glidepath stores releases, deployments and graph nodes under.
 */
export function entityKey(entity: Entity | string): string {
  return normalizeEntityRef(
    typeof entity === 'string' ? entity : stringifyEntityRef(entity),
  );
}

/**
 * A query parameter that names an entity, parsed into Glidepath's lower-case
 * ref: `defaultKind` when the value has no kind, `default` namespace, and
 * when given, one of `allowedKinds` (400 naming the parameter otherwise).
 */
export function parseRefParameter(
  value: string,
  parameter: string,
  defaultKind: string,
  allowedKinds?: readonly string[],
): string {
  let ref: string;
  try {
    ref = normalizeEntityRef(
      stringifyEntityRef(
        parseEntityRef(value.trim(), {
          defaultKind,
          defaultNamespace: 'default',
        }),
      ),
    );
  } catch (error) {
    throw new InputError(
      `${parameter} "${value}" is not an entity reference: ${
        (error as Error).message
      }`,
    );
  }
  if (allowedKinds && !allowedKinds.includes(ref.split(':')[0])) {
    throw new InputError(
      `${parameter} "${value}" must be a ${allowedKinds.join(
        ' or ',
      )} reference`,
    );
  }
  return ref;
}
