import type {
  ObservedFlag,
  ObservedFlagEnvironment,
} from '@glidepath/backstage-plugin-node';

/*
 * The shapes Glidepath reads from LaunchDarkly's REST API v2
 * (LD-API-Version 20240415), the fields it uses. Field names and types are
 * those of LaunchDarkly's API reference (https://launchdarkly.com/docs/api)
 * and of the models generated from its OpenAPI document
 * (github.com/launchdarkly/api-client-php, docs/Model/FeatureFlag.md,
 * FeatureFlagConfig.md, VariationOrRolloutRep.md, Rollout.md,
 * MemberSummary.md, FlagStatusRep.md, Environment.md).
 */

/** A variation: `Variation`. */
export type LdVariation = {
  _id?: string;
  value: unknown;
  name?: string;
};

/** `VariationOrRolloutRep`: one variation, or a percentage rollout. */
export type LdVariationOrRollout = {
  variation?: number;
  rollout?: {
    /** Weights in thousandths of a percent: 100000 is everyone. */
    variations: Array<{ variation: number; weight: number }>;
  };
};

/** `FeatureFlagConfig`: a flag in one environment (`env=` and `summary=0`). */
export type LdFlagConfig = {
  on: boolean;
  archived?: boolean;
  /** Unix milliseconds of the last change here. */
  lastModified?: number;
  targets?: Array<{ values: string[]; variation: number }>;
  contextTargets?: Array<{ values: string[]; variation: number }>;
  rules?: Array<LdVariationOrRollout & { clauses?: unknown[] }>;
  fallthrough?: LdVariationOrRollout;
  offVariation?: number;
  prerequisites?: Array<{ key: string; variation: number }>;
  _environmentName?: string;
};

/** `FeatureFlag` as `GET /api/v2/flags/{projectKey}` lists it. */
export type LdFlag = {
  key: string;
  name: string;
  kind: 'boolean' | 'multivariate' | string;
  description?: string;
  /** Unix milliseconds. */
  creationDate: number;
  variations: LdVariation[];
  temporary: boolean;
  tags: string[];
  archived: boolean;
  deprecated?: boolean;
  maintainerId?: string;
  _maintainer?: {
    _id: string;
    email: string;
    firstName?: string;
    lastName?: string;
  };
  maintainerTeamKey?: string;
  _maintainerTeam?: { key: string; name?: string };
  environments?: Record<string, LdFlagConfig>;
};

/** `FlagStatusRep`: a flag's status in one environment. */
export type LdFlagStatus = {
  name: 'new' | 'active' | 'inactive' | 'launched' | string;
  /** ISO 8601; absent when never requested. */
  lastRequested?: string;
  default?: unknown;
  _links?: { parent?: { href: string } };
};

/** `Environment`, the fields Glidepath uses. */
export type LdEnvironment = { key: string; name: string; critical?: boolean };

/** How people know a variation: `'true'`/`'false'` for booleans, else its name. */
export function variationLabel(
  flag: LdFlag,
  index: number,
): string | undefined {
  const variation = flag.variations[index];
  if (!variation) return undefined;
  if (flag.kind === 'boolean' || typeof variation.value === 'boolean') {
    return String(variation.value);
  }
  return variation.name || JSON.stringify(variation.value);
}

function servedBy(rule: LdVariationOrRollout): number[] {
  if (rule.variation !== undefined) return [rule.variation];
  return (rule.rollout?.variations ?? [])
    .filter(v => v.weight > 0)
    .map(v => v.variation);
}

/**
 * What everyone gets in one environment, when all get the same variation:
 * off, the off variation; on, the one variation that individual targets,
 * rules and the default rule (fallthrough) all serve (with prerequisites,
 * also the off variation, which a failed prerequisite serves). Undefined
 * when contexts may get different variations, or when the flag is off
 * without an off variation (the SDK then serves the default in code).
 */
export function servedToEveryone(
  flag: LdFlag,
  config: LdFlagConfig,
): number | undefined {
  if (!config.on) return config.offVariation;
  if (!config.fallthrough) return undefined;
  const served = new Set(servedBy(config.fallthrough));
  for (const target of [
    ...(config.targets ?? []),
    ...(config.contextTargets ?? []),
  ]) {
    if (target.values.length > 0) served.add(target.variation);
  }
  for (const rule of config.rules ?? []) {
    for (const v of servedBy(rule)) served.add(v);
  }
  if ((config.prerequisites ?? []).length > 0) {
    if (config.offVariation === undefined) return undefined;
    served.add(config.offVariation);
  }
  if (served.size !== 1) return undefined;
  const [only] = served;
  return only < flag.variations.length ? only : undefined;
}

/** A short account of the targeting in one environment, for people. */
export function targetingSummary(flag: LdFlag, config: LdFlagConfig): string {
  const label = (i: number | undefined) =>
    i === undefined
      ? 'the default in code'
      : `'${variationLabel(flag, i) ?? `variation ${i}`}'`;
  if (!config.on) return `off, serving ${label(config.offVariation)}`;
  const everyone = servedToEveryone(flag, config);
  if (everyone !== undefined) {
    return `on, serving ${label(everyone)} to everyone`;
  }
  const rules = (config.rules ?? []).length;
  const fallthrough = config.fallthrough;
  const rollout = fallthrough?.rollout
    ? `a percentage rollout (${fallthrough.rollout.variations
        .filter(v => v.weight > 0)
        .map(v => `${v.weight / 1000}% ${label(v.variation)}`)
        .join(', ')})`
    : label(fallthrough?.variation);
  const targeted = [...(config.targets ?? []), ...(config.contextTargets ?? [])]
    .length;
  const parts = [
    ...(targeted
      ? [`${targeted} individual target${targeted > 1 ? 's' : ''}`]
      : []),
    ...(rules ? [`${rules} rule${rules > 1 ? 's' : ''}`] : []),
  ];
  return `on, ${parts.length ? `${parts.join(', ')}, ` : ''}default ${rollout}`;
}

function maintainer(flag: LdFlag): string | undefined {
  if (flag._maintainer?.email) return flag._maintainer.email;
  return flag._maintainerTeam?.key ?? flag.maintainerTeamKey;
}

/**
 * Maps a flag of a project's listing (with `env=` and `summary=0`) and its
 * statuses per environment to Glidepath's shape. Its key is
 * `<projectKey>/<flagKey>`: flag keys are unique only within a project.
 */
export function mapLaunchDarklyFlag(options: {
  flag: LdFlag;
  project: string;
  environments: LdEnvironment[];
  /** The flag's status per environment key, from `flag-statuses`. */
  statuses: Map<string, LdFlagStatus>;
  baseUrl: string;
}): ObservedFlag {
  const { flag, project, environments, statuses, baseUrl } = options;
  const createdAt = new Date(flag.creationDate);
  if (Number.isNaN(createdAt.getTime())) {
    throw new Error(
      `LaunchDarkly gave the flag ${project}/${
        flag.key
      } an unreadable creationDate: ${JSON.stringify(flag.creationDate)}`,
    );
  }
  const observedEnvironments: ObservedFlagEnvironment[] = [];
  for (const environment of environments) {
    const config = flag.environments?.[environment.key];
    if (!config) continue;
    const status = statuses.get(environment.key);
    const everyone = servedToEveryone(flag, config);
    const servesEveryone =
      everyone === undefined ? undefined : variationLabel(flag, everyone);
    let lastEvaluatedAt: Date | null | undefined;
    if (status) {
      const at = status.lastRequested ? new Date(status.lastRequested) : null;
      lastEvaluatedAt = at && !Number.isNaN(at.getTime()) ? at : null;
    }
    observedEnvironments.push({
      environment: environment.key,
      ...(environment.critical && { type: 'production' }),
      enabled: config.on,
      ...(lastEvaluatedAt !== undefined && { lastEvaluatedAt }),
      ...(servesEveryone !== undefined && { servesEveryone }),
      ...(servesEveryone !== undefined &&
        config.lastModified !== undefined && {
          servingSince: new Date(config.lastModified),
        }),
      ...(status && { status: status.name }),
      summary: targetingSummary(flag, config),
    });
  }
  const lastModified = Math.max(
    0,
    ...Object.values(flag.environments ?? {}).map(c => c.lastModified ?? 0),
  );
  const owner = maintainer(flag);
  return {
    key: `${project}/${flag.key}`,
    name: flag.key,
    project,
    ...(flag.description && { description: flag.description }),
    temporary: flag.temporary,
    createdAt,
    ...(owner && { maintainer: owner }),
    environments: observedEnvironments,
    ...(lastModified > 0 && { updatedAt: new Date(lastModified) }),
    ...(flag.archived
      ? { lifecycle: 'archived' }
      : flag.deprecated && { lifecycle: 'deprecated' }),
    tags: flag.tags ?? [],
    archived: flag.archived,
    url: `${baseUrl}/projects/${encodeURIComponent(
      project,
    )}/flags/${encodeURIComponent(flag.key)}`,
  };
}

/** The flag key a status belongs to: the last part of its parent link. */
export function statusFlagKey(status: LdFlagStatus): string | undefined {
  const href = status._links?.parent?.href;
  if (!href) return undefined;
  const last = href.split('?')[0].split('/').filter(Boolean).pop();
  return last ? decodeURIComponent(last) : undefined;
}
