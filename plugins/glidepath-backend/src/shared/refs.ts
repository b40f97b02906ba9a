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

/** Any C0 control character or DEL: never in a ref. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * An entity ref as text, parsed into Glidepath's lower-case ref:
 * `defaultKind` when the value has no kind, `default` namespace. Refs are
 * case-insensitive, as in the catalog. Throws an Error saying what is wrong
 * (the caller names the field).
 */
export function parseEntityRefText(value: string, defaultKind: string): string {
  if (CONTROL.test(value)) {
    throw new Error('an entity reference has no control characters');
  }
  const parsed = parseEntityRef(value.trim(), {
    defaultKind,
    defaultNamespace: 'default',
  });
  if (
    !catalogNames.isValidKind(parsed.kind) ||
    !catalogNames.isValidNamespace(parsed.namespace.toLowerCase()) ||
    !catalogNames.isValidEntityName(parsed.name)
  ) {
    throw new Error(
      'kind, namespace and name must be letters, digits, "-", "_" or "." (e.g. component:default/checkout)',
    );
  }
  return normalizeEntityRef(stringifyEntityRef(parsed));
}

/**
 * A query parameter that names an entity, parsed into Glidepath's lower-case
 * ref (see parseEntityRefText), and when given, one of `allowedKinds` (400
 * naming the parameter otherwise).
 */
export function parseRefParameter(
  value: string,
  parameter: string,
  defaultKind: string,
  allowedKinds?: readonly string[],
): string {
  let ref: string;
  try {
    ref = parseEntityRefText(value, defaultKind);
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
