import type {
  ObservedFlag,
  ObservedFlagEnvironment,
} from '@glidepath/backstage-plugin-node';
import type { UnleashTarget } from './ref';

/**
 * One flag as `GET /api/admin/search/features` returns it (Unleash's
 * `featureSearchResponseSchema`, version 7.5), the fields Glidepath reads.
 */
export type UnleashSearchFeature = {
  name: string;
  project: string;
  type: string;
  description?: string | null;
  stale: boolean;
  createdAt: string;
  archivedAt?: string | null;
  lastSeenAt?: string | null;
  createdBy?: { id: number; name: string } | null;
  environments: Array<{
    name: string;
    type?: string;
    enabled: boolean;
    lastSeenAt?: string | null;
    hasStrategies?: boolean;
    hasEnabledStrategies?: boolean;
  }>;
  tags?: Array<{ type: string; value: string }> | null;
  lifecycle?: {
    stage: string;
    status?: string | null;
    enteredStageAt: string;
  } | null;
};

function date(value: string | null | undefined): Date | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

function environment(
  env: UnleashSearchFeature['environments'][number],
): ObservedFlagEnvironment {
  const lastEvaluatedAt = date(env.lastSeenAt ?? null);
  let summary: string;
  if (!env.enabled) summary = 'off';
  else if (env.hasEnabledStrategies) summary = 'on, by its strategies';
  else summary = 'on, with no enabled strategy';
  return {
    environment: env.name,
    ...(env.type && { type: env.type }),
    enabled: env.enabled,
    lastEvaluatedAt: lastEvaluatedAt ?? null,
    // Off, a flag serves false to everyone. On, what it serves depends on
    // its strategies, which the search does not return: left out.
    ...(!env.enabled && { servesEveryone: 'false' }),
    summary,
  };
}

/**
 * Maps a flag of Unleash's search to Glidepath's shape. Its key is its
 * name: unique across an Unleash instance, and kept when the flag moves to
 * another project.
 */
export function mapUnleashFeature(
  feature: UnleashSearchFeature,
  baseUrl: string,
): ObservedFlag {
  const createdAt = new Date(feature.createdAt);
  if (Number.isNaN(createdAt.getTime())) {
    throw new Error(
      `Unleash gave the flag ${
        feature.name
      } an unreadable createdAt: ${JSON.stringify(feature.createdAt)}`,
    );
  }
  const lastEvaluatedAt = date(feature.lastSeenAt);
  return {
    key: feature.name,
    name: feature.name,
    project: feature.project,
    ...(feature.description && { description: feature.description }),
    type: feature.type,
    createdAt,
    ...(feature.createdBy?.name && { createdBy: feature.createdBy.name }),
    environments: feature.environments.map(environment),
    ...(lastEvaluatedAt !== undefined && { lastEvaluatedAt }),
    ...(feature.lifecycle?.stage && { lifecycle: feature.lifecycle.stage }),
    providerStale: feature.stale,
    tags: (feature.tags ?? []).map(t => `${t.type}:${t.value}`),
    archived: Boolean(feature.archivedAt),
    url: `${baseUrl}/projects/${encodeURIComponent(
      feature.project,
    )}/features/${encodeURIComponent(feature.name)}`,
  };
}

/** Whether a flag belongs to a target: its project, and one of its tags. */
export function flagMatchesTarget(
  flag: Pick<ObservedFlag, 'project' | 'tags'>,
  target: UnleashTarget,
): boolean {
  if (flag.project !== target.project) return false;
  if (target.tags.length === 0) return true;
  return target.tags.some(tag => flag.tags.includes(tag));
}
