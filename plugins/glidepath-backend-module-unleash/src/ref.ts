import { splitFlagRef } from '@glidepath/backstage-plugin-node';

/**
 * What an entry `unleash:<ref>` of `glidepath.dev/flags` names: a project,
 * and optionally tags of which a flag must carry at least one.
 */
export type UnleashTarget = {
  project: string;
  /** Tags as `type:value`; empty for every flag of the project. */
  tags: string[];
};

const PROJECT_ID = /^[A-Za-z0-9_.-]+$/;
const TAG_TYPE = /^[A-Za-z0-9_.-]+$/;

/**
 * Reads `<project>[?tags=<tag>[&tags=<tag>...]]`, where a tag is
 * `type:value` or just `value` (Unleash's `simple` type), e.g.
 * `checkout?tags=cart` or `default?tags=team:payments&tags=simple:cart`.
 * Returns the problem as text when the ref cannot be read.
 */
export function parseUnleashRef(ref: string): UnleashTarget | string {
  const { name: project, filters } = splitFlagRef(ref);
  if (!PROJECT_ID.test(project)) {
    return `"${project}" is not an Unleash project id (letters, digits, "-", "_" and "." only)`;
  }
  const tags: string[] = [];
  for (const { key, value } of filters) {
    if (key !== 'tags') {
      return `"${key}" is not a filter Glidepath knows for Unleash (only tags=<tag>, e.g. ${project}?tags=cart)`;
    }
    if (!value) return `tags= needs a tag, e.g. ${project}?tags=cart`;
    const colon = value.indexOf(':');
    const type = colon < 0 ? 'simple' : value.slice(0, colon);
    const tagValue = colon < 0 ? value : value.slice(colon + 1);
    if (!TAG_TYPE.test(type) || !tagValue) {
      return `"${value}" is not a tag: write <value> (type simple) or <type>:<value>`;
    }
    tags.push(`${type}:${tagValue}`);
  }
  return { project, tags };
}
