import {
  ANNOTATION_REQUIRES,
  parseRequiresAnnotation,
  VersionRequirement,
} from './requirements';
import type {
  AnnotationProblem,
  ReleaseStrategy,
  RollbackGateMode,
} from './types';
import {
  ANNOTATION_ROLLBACK_GATE,
  ANNOTATION_ROLLBACK_TEST,
  parseRollbackGateAnnotation,
  parseRollbackTestAnnotation,
  RollbackTestPolicy,
} from './rollbackTests';
import {
  EnvironmentDefinition,
  EnvironmentRollout,
  parseRolloutTargets,
  productionRollout,
} from './environments';

/**
 * Where an entity's releases come from: `<provider>:<ref>` (its production
 * target), or one target per environment in promotion order,
 * `staging=sandbox:cart-staging; production=sandbox:cart-service`.
 * @public
 */
export const ANNOTATION_ROLLOUT = 'glidepath.dev/rollout';
/**
 * How the entity rolls out: `canary` (optionally with its weights,
 * `canary:10,25,50,100`) or `blue-green`. Providers that read the strategy
 * from the deployed object (Argo Rollouts) ignore it.
 * @public
 */
export const ANNOTATION_STRATEGY = 'glidepath.dev/strategy';

/**
 * Where the entity's canary metrics come from: `<provider>:<selector>`, e.g.
 * `prometheus:job="checkout",namespace="shop"`. Without it, the rollout
 * provider's own metrics are used when it has any (the sandbox does).
 * @public
 */
export const ANNOTATION_METRICS = 'glidepath.dev/metrics';
/** The availability objective in percent, e.g. `99.9`. @public */
export const ANNOTATION_SLO = 'glidepath.dev/slo';
/** A named rollback policy from `glidepath.analysis.policies`. @public */
export const ANNOTATION_POLICY = 'glidepath.dev/policy';

/**
 * Where an entity's feature flags are: a comma- or newline-separated list of
 * `<provider>:<ref>` entries, e.g. `unleash:checkout?tags=cart,
 * launchdarkly:web-app`. The ref (an Unleash project with a tag filter, a
 * LaunchDarkly project, ...) is the provider's to read; Glidepath checks only
 * its form.
 * @public
 */
export const ANNOTATION_FLAGS = 'glidepath.dev/flags';

/** A parsed `glidepath.dev/rollout` annotation. @public */
export type RolloutAnnotation = {
  /** The provider id, e.g. `sandbox`, `argo-rollouts`. */
  provider: string;
  /** The provider's own reference, e.g. a name or `cluster/namespace/name`. */
  ref: string;
};

/** A parsed `glidepath.dev/strategy` annotation. @public */
export type StrategyAnnotation =
  | { strategy: 'canary'; weights: number[] }
  | { strategy: Exclude<ReleaseStrategy, 'canary'> };

/** The default canary weights when the annotation names none. @public */
export const DEFAULT_CANARY_WEIGHTS: readonly number[] = [10, 25, 50, 100];

/** The outcome of parsing one annotation. @public */
export type ParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; problem: AnnotationProblem };

const PROVIDER_ID = /^[a-z][a-z0-9-]*$/;

function problem<T>(
  annotation: string,
  value: string,
  message: string,
): ParseResult<T> {
  return { ok: false, problem: { annotation, value, message } };
}

/** Parses `glidepath.dev/rollout` (`<provider>:<ref>`). @public */
export function parseRolloutAnnotation(
  value: string,
): ParseResult<RolloutAnnotation> {
  const trimmed = value.trim();
  const colon = trimmed.indexOf(':');
  if (colon < 0) {
    return problem(
      ANNOTATION_ROLLOUT,
      value,
      `expected "<provider>:<ref>", for example "sandbox:checkout-service"; "${value}" has no ":"`,
    );
  }
  const provider = trimmed.slice(0, colon);
  const ref = trimmed.slice(colon + 1).trim();
  if (!PROVIDER_ID.test(provider)) {
    return problem(
      ANNOTATION_ROLLOUT,
      value,
      `"${provider}" is not a provider id: use lower-case letters, digits and dashes, starting with a letter`,
    );
  }
  if (!ref) {
    return problem(
      ANNOTATION_ROLLOUT,
      value,
      `the provider "${provider}" needs a reference after the ":", for example "${provider}:checkout-service"`,
    );
  }
  return { ok: true, value: { provider, ref } };
}

/** A parsed `glidepath.dev/metrics` annotation. @public */
export type MetricsAnnotation = {
  /** The metrics provider id, e.g. `prometheus`. */
  provider: string;
  /** The provider's selector, e.g. a PromQL label matcher list. */
  selector: string;
};

/** Parses `glidepath.dev/metrics` (`<provider>:<selector>`). @public */
export function parseMetricsAnnotation(
  value: string,
): ParseResult<MetricsAnnotation> {
  const trimmed = value.trim();
  const colon = trimmed.indexOf(':');
  const example = 'for example \'prometheus:job="checkout",namespace="shop"\'';
  if (colon < 0) {
    return problem(
      ANNOTATION_METRICS,
      value,
      `expected "<provider>:<selector>", ${example}; "${value}" has no ":"`,
    );
  }
  const provider = trimmed.slice(0, colon);
  const selector = trimmed.slice(colon + 1).trim();
  if (!PROVIDER_ID.test(provider)) {
    return problem(
      ANNOTATION_METRICS,
      value,
      `"${provider}" is not a provider id: use lower-case letters, digits and dashes, starting with a letter`,
    );
  }
  if (!selector) {
    return problem(
      ANNOTATION_METRICS,
      value,
      `the provider "${provider}" needs a selector after the ":", ${example}`,
    );
  }
  return { ok: true, value: { provider, selector } };
}

/**
 * Parses `glidepath.dev/slo`: an availability objective in percent, above 0
 * and below 100, e.g. `99.9` (a trailing `%` is accepted).
 * @public
 */
export function parseSloAnnotation(value: string): ParseResult<number> {
  const text = value.trim().replace(/%$/, '').trim();
  const slo = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(slo > 0 && slo < 100)) {
    return problem(
      ANNOTATION_SLO,
      value,
      `"${value}" is not an availability objective: give a percentage above 0 and below 100, for example "99.9"`,
    );
  }
  return { ok: true, value: slo };
}

const POLICY_NAME = /^[a-z0-9][a-z0-9-_]*$/i;

/** Parses `glidepath.dev/policy`: a policy name. @public */
export function parsePolicyAnnotation(value: string): ParseResult<string> {
  const name = value.trim();
  if (!POLICY_NAME.test(name)) {
    return problem(
      ANNOTATION_POLICY,
      value,
      `"${value}" is not a policy name: use letters, digits, "-" and "_"`,
    );
  }
  return { ok: true, value: name };
}

/** Parses `glidepath.dev/strategy`. @public */
export function parseStrategyAnnotation(
  value: string,
): ParseResult<StrategyAnnotation> {
  const trimmed = value.trim().toLowerCase();
  if (trimmed === 'blue-green' || trimmed === 'bluegreen') {
    return { ok: true, value: { strategy: 'blue_green' } };
  }
  if (trimmed === 'rolling') {
    return { ok: true, value: { strategy: 'rolling' } };
  }
  if (trimmed === 'canary') {
    return {
      ok: true,
      value: { strategy: 'canary', weights: [...DEFAULT_CANARY_WEIGHTS] },
    };
  }
  if (trimmed.startsWith('canary:')) {
    const parts = trimmed.slice('canary:'.length).split(',');
    const weights: number[] = [];
    for (const part of parts) {
      const text = part.trim();
      const weight = Number(text);
      if (!/^\d+(\.\d+)?$/.test(text) || weight <= 0 || weight > 100) {
        return problem(
          ANNOTATION_STRATEGY,
          value,
          `canary weight "${text}" is not a percentage between 1 and 100`,
        );
      }
      if (weights.length && weight <= weights[weights.length - 1]) {
        return problem(
          ANNOTATION_STRATEGY,
          value,
          `canary weights must increase; ${weight} follows ${
            weights[weights.length - 1]
          }`,
        );
      }
      weights.push(weight);
    }
    if (weights[weights.length - 1] !== 100) {
      weights.push(100);
    }
    return { ok: true, value: { strategy: 'canary', weights } };
  }
  return problem(
    ANNOTATION_STRATEGY,
    value,
    `unknown strategy "${value}": use "canary", "canary:10,25,50,100", "blue-green" or "rolling"`,
  );
}

/** One parsed entry of `glidepath.dev/flags`. @public */
export type FlagsAnnotationEntry = {
  /** The flag provider id, e.g. `unleash`, `launchdarkly`, `sandbox`. */
  provider: string;
  /** The provider's reference, e.g. `checkout?tags=cart`. */
  ref: string;
  /** The entry as written, trimmed. */
  text: string;
};

const FLAGS_EXAMPLE =
  'for example "unleash:checkout?tags=cart, launchdarkly:web-app"';

function parseFlagsEntry(text: string): FlagsAnnotationEntry | string {
  const colon = text.indexOf(':');
  if (colon < 0) {
    return `"${text}" has no ":": write each entry as "<provider>:<ref>", ${FLAGS_EXAMPLE}`;
  }
  const provider = text.slice(0, colon).trim();
  const ref = text.slice(colon + 1).trim();
  if (!PROVIDER_ID.test(provider)) {
    return `"${provider}" is not a provider id: use lower-case letters, digits and dashes, starting with a letter`;
  }
  if (!ref) {
    return `the provider "${provider}" needs a reference after the ":", for example "${provider}:checkout"`;
  }
  if (/\s/.test(ref)) {
    return `"${ref}" contains a space: separate entries with commas, and write a reference without spaces`;
  }
  const question = ref.indexOf('?');
  if (question === 0) {
    return `"${ref}" has no name before the "?": write "${provider}:<name>?<filters>", for example "${provider}:checkout?tags=cart"`;
  }
  if (question > 0) {
    const query = ref.slice(question + 1);
    for (const pair of query.split('&')) {
      const equals = pair.indexOf('=');
      if (equals <= 0 || equals === pair.length - 1) {
        return `"${pair}" in "${ref}" is not a filter: write "<key>=<value>" pairs joined by "&" after the "?", for example "${provider}:checkout?tags=cart"`;
      }
    }
  }
  return { provider, ref, text };
}

/**
 * Parses `glidepath.dev/flags`. Every entry that cannot be used becomes a
 * problem naming its text; the others are still returned. The same entry
 * twice is a problem on the second.
 * @public
 */
export function parseFlagsAnnotation(value: string): {
  targets: FlagsAnnotationEntry[];
  problems: AnnotationProblem[];
} {
  const targets: FlagsAnnotationEntry[] = [];
  const problems: AnnotationProblem[] = [];
  const report = (text: string, message: string) =>
    problems.push({ annotation: ANNOTATION_FLAGS, value: text, message });
  const entries = value
    .split(/[,\n]/)
    .map(entry => entry.trim())
    .filter(Boolean);
  if (!entries.length) {
    report(
      value,
      `names no flags: give "<provider>:<ref>" entries separated by commas, ${FLAGS_EXAMPLE}`,
    );
  }
  const seen = new Set<string>();
  for (const text of entries) {
    const parsed = parseFlagsEntry(text);
    if (typeof parsed === 'string') {
      report(text, parsed);
      continue;
    }
    const key = `${parsed.provider}:${parsed.ref}`;
    if (seen.has(key)) {
      report(text, `"${key}" is named twice: leave out the second`);
      continue;
    }
    seen.add(key);
    targets.push(parsed);
  }
  return { targets, problems };
}

/** The Glidepath reading of an entity's annotations. @public */
export type GlidepathAnnotations = {
  /**
   * The production target (see {@link productionRollout}): the only one of
   * a single-form annotation.
   */
  rollout?: EnvironmentRollout;
  /** Every environment's target that parses, in promotion order. */
  rollouts?: EnvironmentRollout[];
  strategy?: StrategyAnnotation;
  metrics?: MetricsAnnotation;
  /** The availability objective in percent. */
  slo?: number;
  /** The policy name; whether it exists is checked against the config. */
  policy?: string;
  /** The version requirements on other entities, those that parse. */
  requires?: VersionRequirement[];
  /** Where the entity's feature flags are, the entries that parse. */
  flags?: FlagsAnnotationEntry[];
  /** `glidepath.dev/rollback-test`, when it parses. */
  rollbackTest?: RollbackTestPolicy;
  /** `glidepath.dev/rollback-gate`, when it parses. */
  rollbackGate?: RollbackGateMode;
  problems: AnnotationProblem[];
};

/**
 * Reads every Glidepath annotation of an entity, collecting a problem for
 * each one that cannot be used instead of failing on the first.
 * `environments` are the organisation's (`glidepath.environments`): with
 * them an environment they do not name is a problem, and the rollout
 * targets follow their order; without them (the frontend) any well-formed
 * environment name is taken in the order written.
 * @public
 */
export function readGlidepathAnnotations(
  entity: {
    metadata: { annotations?: Record<string, string>; namespace?: string };
  },
  options?: { environments?: readonly EnvironmentDefinition[] },
): GlidepathAnnotations {
  const annotations = entity.metadata.annotations ?? {};
  const result: GlidepathAnnotations = { problems: [] };
  const rollout = annotations[ANNOTATION_ROLLOUT];
  if (rollout !== undefined) {
    const parsed = parseRolloutTargets(rollout, {
      annotation: ANNOTATION_ROLLOUT,
      environments: options?.environments,
    });
    if (parsed.targets.length) {
      result.rollouts = parsed.targets;
      result.rollout = productionRollout(parsed.targets, options?.environments);
    }
    result.problems.push(...parsed.problems);
  }
  const strategy = annotations[ANNOTATION_STRATEGY];
  if (strategy !== undefined) {
    const parsed = parseStrategyAnnotation(strategy);
    if (parsed.ok) result.strategy = parsed.value;
    else result.problems.push(parsed.problem);
  }
  const metrics = annotations[ANNOTATION_METRICS];
  if (metrics !== undefined) {
    const parsed = parseMetricsAnnotation(metrics);
    if (parsed.ok) result.metrics = parsed.value;
    else result.problems.push(parsed.problem);
  }
  const slo = annotations[ANNOTATION_SLO];
  if (slo !== undefined) {
    const parsed = parseSloAnnotation(slo);
    if (parsed.ok) result.slo = parsed.value;
    else result.problems.push(parsed.problem);
  }
  const policy = annotations[ANNOTATION_POLICY];
  if (policy !== undefined) {
    const parsed = parsePolicyAnnotation(policy);
    if (parsed.ok) result.policy = parsed.value;
    else result.problems.push(parsed.problem);
  }
  const requires = annotations[ANNOTATION_REQUIRES];
  if (requires !== undefined) {
    const parsed = parseRequiresAnnotation(requires, {
      defaultNamespace: entity.metadata.namespace,
    });
    result.requires = parsed.requirements;
    result.problems.push(...parsed.problems);
  }
  const flags = annotations[ANNOTATION_FLAGS];
  if (flags !== undefined) {
    const parsed = parseFlagsAnnotation(flags);
    result.flags = parsed.targets;
    result.problems.push(...parsed.problems);
  }
  const rollbackTest = annotations[ANNOTATION_ROLLBACK_TEST];
  if (rollbackTest !== undefined) {
    const parsed = parseRollbackTestAnnotation(rollbackTest);
    if (parsed.ok) result.rollbackTest = parsed.value;
    else result.problems.push(parsed.problem);
  }
  const rollbackGate = annotations[ANNOTATION_ROLLBACK_GATE];
  if (rollbackGate !== undefined) {
    const parsed = parseRollbackGateAnnotation(rollbackGate);
    if (parsed.ok) result.rollbackGate = parsed.value;
    else result.problems.push(parsed.problem);
  }
  return result;
}

/** True when the entity asks Glidepath to follow its rollouts. @public */
export function isGlidepathAvailable(entity: {
  metadata: { annotations?: Record<string, string> };
}): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_ROLLOUT]);
}

/** True when the entity names where its feature flags are. @public */
export function isGlidepathFlagsAvailable(entity: {
  metadata: { annotations?: Record<string, string> };
}): boolean {
  return Boolean(entity.metadata.annotations?.[ANNOTATION_FLAGS]?.trim());
}
