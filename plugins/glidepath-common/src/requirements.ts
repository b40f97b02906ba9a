import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import semver from 'semver';
import { normalizeEntityRef } from './refs';
import type { AnnotationProblem } from './types';

/**
 * Version requirements on other entities: a comma- or newline-separated list
 * of `<entity ref>@<semver range>`, e.g.
 * `component:default/payments@>=2.3.0 <3, resource:orders-db@^14`.
 * The kind defaults to `component` and the namespace to the entity's own.
 * @public
 */
export const ANNOTATION_REQUIRES = 'glidepath.dev/requires';

const NAME = '[A-Za-z0-9][A-Za-z0-9._-]*';
const ENTITY_REF = new RegExp(`^(?:${NAME}:)?(?:${NAME}/)?${NAME}$`);

/** One parsed entry of `glidepath.dev/requires`. @public */
export type VersionRequirement = {
  /** The required entity, normalised to lower case (`kind:namespace/name`). */
  entityRef: string;
  /** The semver range as written, e.g. `>=2.3.0 <3`. */
  range: string;
  /** The whole entry as written, e.g. `payments@>=2.3.0 <3`. */
  text: string;
};

/**
 * Parses `glidepath.dev/requires`. Every entry that cannot be used becomes a
 * problem naming its text; the others are still returned.
 * @public
 */
export function parseRequiresAnnotation(
  value: string,
  options: { defaultNamespace?: string } = {},
): { requirements: VersionRequirement[]; problems: AnnotationProblem[] } {
  const requirements: VersionRequirement[] = [];
  const problems: AnnotationProblem[] = [];
  const report = (text: string, message: string) =>
    problems.push({ annotation: ANNOTATION_REQUIRES, value: text, message });

  const entries = value
    .split(/[,\n]/)
    .map(entry => entry.trim())
    .filter(Boolean);
  if (!entries.length) {
    report(
      value,
      'lists no requirement: give "<entity>@<range>" entries separated by commas, for example "component:default/payments@>=2.3.0 <3"',
    );
  }
  const seen = new Map<string, string>();
  for (const text of entries) {
    const at = text.indexOf('@');
    if (at < 0) {
      report(
        text,
        `"${text}" has no "@<range>": write it as "<entity>@<range>", for example "payments@>=2.3.0 <3"`,
      );
      continue;
    }
    const refText = text.slice(0, at).trim();
    const range = text.slice(at + 1).trim();
    if (!ENTITY_REF.test(refText)) {
      report(
        text,
        `"${refText}" is not an entity reference: write "[kind:][namespace/]name", for example "component:default/payments" or "payments"`,
      );
      continue;
    }
    let entityRef: string;
    try {
      entityRef = normalizeEntityRef(
        stringifyEntityRef(
          parseEntityRef(refText, {
            defaultKind: 'component',
            defaultNamespace: options.defaultNamespace ?? 'default',
          }),
        ),
      );
    } catch (error) {
      report(
        text,
        `"${refText}" is not an entity reference (${(error as Error).message})`,
      );
      continue;
    }
    if (!range) {
      report(
        text,
        `"${text}" has no range after the "@": use a semver range such as ">=2.3.0 <3", "^2.3" or "*"`,
      );
      continue;
    }
    if (semver.validRange(range) === null) {
      report(
        text,
        `"${range}" is not a semver range: use for example ">=2.3.0 <3", "^2.3", "~1.4.2" or "*"`,
      );
      continue;
    }
    const earlier = seen.get(entityRef);
    if (earlier !== undefined) {
      report(
        text,
        `${entityRef} is already required by "${earlier}": combine both into one range`,
      );
      continue;
    }
    seen.set(entityRef, text);
    requirements.push({ entityRef, range, text });
  }
  return { requirements, problems };
}

/** Whether a version satisfies a requirement. @public */
export type ConstraintCheck =
  | { status: 'satisfied' }
  | { status: 'broken'; message: string }
  | { status: 'unknown'; message: string };

/**
 * Checks one version against a semver range. A version that is not semver (a
 * commit hash, a date tag) cannot be judged and says so rather than passing
 * or failing. A leading `v` is accepted. Pre-releases satisfy a range only
 * when the range names a pre-release of the same version, as in npm.
 * @public
 */
export function checkVersion(
  version: string | null | undefined,
  range: string,
): ConstraintCheck {
  if (version === null || version === undefined || version === '') {
    return { status: 'unknown', message: 'no deployed version is known' };
  }
  const clean = cleanVersion(version);
  if (clean === null) {
    return {
      status: 'unknown',
      message: `${version} is not a semver version, so it cannot be checked against ${range}`,
    };
  }
  const parsed = parseRange(range);
  if (parsed === null) {
    return { status: 'unknown', message: `${range} is not a semver range` };
  }
  return parsed.test(clean)
    ? { status: 'satisfied' }
    : { status: 'broken', message: `${version} does not satisfy ${range}` };
}

// A graph checks thousands of requirements against a few hundred distinct
// ranges and versions; parsing each once makes the checks cheap. Bounded so
// that a long-running backend does not keep every version it ever saw.
const PARSED_KEPT = 10_000;
const ranges = new Map<string, semver.Range | null>();
const versions = new Map<string, string | null>();

function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  if (cache.has(key)) return cache.get(key)!;
  if (cache.size >= PARSED_KEPT) cache.clear();
  const value = make();
  cache.set(key, value);
  return value;
}

function parseRange(range: string): semver.Range | null {
  return remember(ranges, range, () => {
    try {
      return new semver.Range(range);
    } catch {
      return null;
    }
  });
}

function cleanVersion(version: string): string | null {
  return remember(versions, version, () => semver.clean(version));
}
