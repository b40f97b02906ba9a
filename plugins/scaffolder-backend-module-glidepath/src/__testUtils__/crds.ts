import Ajv from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** Argo Rollouts' own CRDs, kept in the shared fixtures (not in this repo). */
export const CRD_DIR = path.resolve(
  __dirname,
  '../../../../../shared/fixtures/argo-rollouts/crds',
);

type Schema = Record<string, unknown>;

/**
 * Kubernetes prunes unknown fields instead of refusing them; a test should
 * refuse them, so that a misspelt field (`setWieght`) fails. Objects with
 * listed properties get `additionalProperties: false` unless the CRD lets
 * them keep unknown fields.
 */
function strict(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (out.properties && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  for (const key of ['properties', 'patternProperties'] as const) {
    const props = out[key] as Record<string, Schema> | undefined;
    if (props) {
      out[key] = Object.fromEntries(
        Object.entries(props).map(([k, v]) => [k, strict(v)]),
      );
    }
  }
  if (out.items && typeof out.items === 'object') {
    out.items = strict(out.items as Schema);
  }
  if (
    out.additionalProperties &&
    typeof out.additionalProperties === 'object'
  ) {
    out.additionalProperties = strict(out.additionalProperties as Schema);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(out[key])) {
      out[key] = (out[key] as Schema[]).map(strict);
    }
  }
  // int-or-string fields carry no type; JSON Schema needs one.
  if (out['x-kubernetes-int-or-string']) {
    delete out.anyOf;
    out.type = ['integer', 'string'];
  }
  return out;
}

/** Validators for the kinds the CRDs in {@link CRD_DIR} define. */
export function crdValidators() {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
  });
  const byKind = new Map<string, ReturnType<typeof ajv.compile>>();
  for (const file of fs.readdirSync(CRD_DIR)) {
    const crd = parse(fs.readFileSync(path.join(CRD_DIR, file), 'utf8'));
    const version = crd.spec.versions.find(
      (v: { served: boolean }) => v.served,
    );
    const schema = strict(version.schema.openAPIV3Schema);
    byKind.set(crd.spec.names.kind, ajv.compile(schema));
  }
  return {
    kinds: [...byKind.keys()],
    /** The schema errors of an object of a CRD kind, [] when it is valid. */
    validate(object: { kind: string }): string[] {
      const validator = byKind.get(object.kind);
      if (!validator) throw new Error(`no CRD for kind ${object.kind}`);
      return validator(object)
        ? []
        : (validator.errors ?? []).map(
            e =>
              `${e.instancePath || '/'} ${e.message} ${JSON.stringify(
                e.params,
              )}`,
          );
    },
  };
}
