import {
  Entity,
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { normalizeEntityRef } from '@glidepath/backstage-plugin-common';
import { quote } from './badInput';

const catalogNames = makeValidator();

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
    const parsed = parseEntityRef(value.trim(), {
      defaultKind,
      defaultNamespace: 'default',
    });
    if (
      !catalogNames.isValidKind(parsed.kind) ||
      !catalogNames.isValidNamespace(parsed.namespace) ||
      !catalogNames.isValidEntityName(parsed.name)
    ) {
      throw new Error(
        'kind, namespace and name must be letters, digits, "-", "_" or "." (e.g. component:default/checkout)',
      );
    }
    ref = normalizeEntityRef(stringifyEntityRef(parsed));
  } catch (error) {
    throw new InputError(
      `${parameter} ${quote(value)} is not an entity reference: ${
        (error as Error).message
      }`,
    );
  }
  if (allowedKinds && !allowedKinds.includes(ref.split(':')[0])) {
    throw new InputError(
      `${parameter} ${quote(value)} must be a ${allowedKinds.join(
        ' or ',
      )} reference`,
    );
  }
  return ref;
}
