import type { AnnotationProblem } from './types';

/**
 * One of the organisation's environments, from `glidepath.environments`.
 * @public
 */
export type EnvironmentDefinition = {
  /** Lower-case letters, digits and dashes, e.g. `staging`. */
  name: string;
  /** Whether releases here count as production releases. */
  production: boolean;
};

/**
 * The environments when the config names none, in promotion order.
 * @public
 */
export const DEFAULT_ENVIRONMENTS: readonly EnvironmentDefinition[] = [
  { name: 'staging', production: false },
  { name: 'production', production: true },
];

/** The form of an environment's name. @public */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]*$/;

/** A rollout target of one environment. @public */
export type EnvironmentRollout = {
  /** The environment the target's releases go to, e.g. `staging`. */
  environment: string;
  /** The provider id, e.g. `sandbox`, `argo-rollouts`. */
  provider: string;
  /** The provider's own reference, e.g. a name or `cluster/namespace/name`. */
  ref: string;
  /**
   * True for the single form (`<provider>:<ref>`), whose environment is not
   * written but implied: the provider's own environment then stands (as
   * before environments), e.g. an Argo Rollouts cluster's.
   */
  implied?: boolean;
};

/**
 * The environment a single-form rollout annotation (`<provider>:<ref>`, no
 * environment named) means: the first production environment, `production`
 * when none is configured.
 * @public
 */
export function defaultRolloutEnvironment(
  environments?: readonly EnvironmentDefinition[],
): string {
  return environments?.find(e => e.production)?.name ?? 'production';
}

/**
 * The target whose releases count as the entity's production releases (the
 * first production environment's, in promotion order), or the last target
 * when none of the named environments is production.
 * @public
 */
export function productionRollout(
  rollouts: readonly EnvironmentRollout[],
  environments?: readonly EnvironmentDefinition[],
): EnvironmentRollout | undefined {
  const isProduction = (name: string) =>
    environments
      ? environments.some(e => e.name === name && e.production)
      : name === 'production';
  return (
    rollouts.find(r => isProduction(r.environment)) ??
    rollouts[rollouts.length - 1]
  );
}

/** An environment's place in promotion order; unknown ones after all. */
function rank(
  environment: string,
  environments: readonly EnvironmentDefinition[],
): number {
  const index = environments.findIndex(e => e.name === environment);
  return index < 0 ? environments.length : index;
}

/**
 * Orders environment names by promotion order (the configured order; names
 * the config does not know after them, alphabetically).
 * @public
 */
export function sortEnvironments(
  names: readonly string[],
  environments: readonly EnvironmentDefinition[],
): string[] {
  return [...names].sort(
    (a, b) =>
      rank(a, environments) - rank(b, environments) || a.localeCompare(b),
  );
}

/**
 * Validates the organisation's environments (from config): at least one,
 * names of lower-case letters, digits and dashes, each once, at least one
 * production. Returns the reason it cannot be used, or undefined.
 * @public
 */
export function environmentsProblem(
  environments: readonly EnvironmentDefinition[],
): string | undefined {
  if (!environments.length) {
    return 'name at least one environment';
  }
  const seen = new Set<string>();
  for (const { name } of environments) {
    if (!ENVIRONMENT_NAME.test(name)) {
      return `"${name}" is not an environment name: use lower-case letters, digits and dashes, starting with a letter`;
    }
    if (seen.has(name)) {
      return `"${name}" is named twice`;
    }
    seen.add(name);
  }
  if (!environments.some(e => e.production)) {
    return 'mark at least one environment as production (production: true)';
  }
  return undefined;
}

const PROVIDER_ID = /^[a-z][a-z0-9-]*$/;

/** Reads `<provider>:<ref>`, or says why it cannot. */
function parseProviderRef(
  text: string,
): { provider: string; ref: string } | string {
  const colon = text.indexOf(':');
  if (colon < 0) {
    return `expected "<provider>:<ref>", for example "sandbox:checkout-service"; "${text}" has no ":"`;
  }
  const provider = text.slice(0, colon);
  const ref = text.slice(colon + 1).trim();
  if (!PROVIDER_ID.test(provider)) {
    return `"${provider}" is not a provider id: use lower-case letters, digits and dashes, starting with a letter`;
  }
  if (!ref) {
    return `the provider "${provider}" needs a reference after the ":", for example "${provider}:checkout-service"`;
  }
  return { provider, ref };
}

const EXAMPLE =
  'for example "staging=sandbox:cart-staging; production=sandbox:cart-service"';

/**
 * Parses `glidepath.dev/rollout`: either one target, `<provider>:<ref>`
 * (the production environment's, see {@link defaultRolloutEnvironment}), or
 * one target per environment, `<environment>=<provider>:<ref>` entries
 * separated by `;` or new lines.
 *
 * Every entry that cannot be used is a problem naming it (its text as the
 * problem's value), and the others are still returned: an environment that
 * `environments` does not know, one named twice (the second), an entry
 * without an environment among entries with one, a target that is not
 * `<provider>:<ref>`. Without `environments` (the frontend, which does not
 * read the config) every well-formed environment name is accepted. Targets
 * come back in promotion order (the configured order), whatever order the
 * annotation names them in.
 * @public
 */
export function parseRolloutTargets(
  value: string,
  options: {
    annotation: string;
    environments?: readonly EnvironmentDefinition[];
  },
): { targets: EnvironmentRollout[]; problems: AnnotationProblem[] } {
  const { annotation, environments } = options;
  const targets: EnvironmentRollout[] = [];
  const problems: AnnotationProblem[] = [];
  const report = (text: string, message: string) =>
    problems.push({ annotation, value: text, message });
  const entries = value
    .split(/[;\n]/)
    .map(entry => entry.trim())
    .filter(Boolean);
  if (!entries.length) {
    report(
      value,
      `names no rollout target: write "<provider>:<ref>", or one "<environment>=<provider>:<ref>" per environment, ${EXAMPLE}`,
    );
    return { targets, problems };
  }
  // An entry names its environment when a "=" comes before any ":" (a
  // provider's reference may itself hold a "=").
  const named = (entry: string) => {
    const equals = entry.indexOf('=');
    const colon = entry.indexOf(':');
    return equals >= 0 && (colon < 0 || equals < colon);
  };
  const single = entries.length === 1 && !named(entries[0]);
  const seen = new Set<string>();
  for (const entry of entries) {
    let environment: string;
    let target: string;
    if (single) {
      environment = defaultRolloutEnvironment(environments);
      target = entry;
    } else if (!named(entry)) {
      report(
        entry,
        `"${entry}" names no environment: when the annotation names several targets, write each as "<environment>=<provider>:<ref>", ${EXAMPLE}`,
      );
      continue;
    } else {
      const equals = entry.indexOf('=');
      environment = entry.slice(0, equals).trim();
      target = entry.slice(equals + 1).trim();
      if (!ENVIRONMENT_NAME.test(environment)) {
        report(
          entry,
          `"${environment}" is not an environment name: use lower-case letters, digits and dashes, starting with a letter`,
        );
        continue;
      }
      if (environments && !environments.some(e => e.name === environment)) {
        report(
          entry,
          `"${environment}" is not one of the organisation's environments (${environments
            .map(e => e.name)
            .join(', ')}, from glidepath.environments)`,
        );
        continue;
      }
    }
    const parsed = parseProviderRef(target);
    if (typeof parsed === 'string') {
      if (single) report(value, parsed);
      else report(entry, `${environment}: ${parsed}`);
      continue;
    }
    if (seen.has(environment)) {
      report(
        entry,
        `the environment "${environment}" is named twice: leave out the second`,
      );
      continue;
    }
    const sameTarget = targets.find(
      t => t.provider === parsed.provider && t.ref === parsed.ref,
    );
    if (sameTarget) {
      report(
        entry,
        `"${parsed.provider}:${parsed.ref}" is already the target of ${sameTarget.environment}: each environment needs its own target`,
      );
      continue;
    }
    seen.add(environment);
    targets.push(
      single
        ? { environment, ...parsed, implied: true }
        : { environment, ...parsed },
    );
  }
  if (!environments) return { targets, problems };
  const sorted = sortEnvironments(
    targets.map(t => t.environment),
    environments,
  );
  return {
    targets: sorted.map(name => targets.find(t => t.environment === name)!),
    problems,
  };
}
