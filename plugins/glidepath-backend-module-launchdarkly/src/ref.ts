import { splitFlagRef } from '@glidepath/backstage-plugin-node';

/**
 * What an entry `launchdarkly:<ref>` of `glidepath.dev/flags` names: a
 * project, and optionally tags of which a flag must carry at least one.
 */
export type LaunchDarklyTarget = {
  project: string;
  /** Empty for every flag of the project. */
  tags: string[];
};

const PROJECT_KEY = /^[A-Za-z0-9._-]+$/;

/**
 * Reads `<projectKey>[?tags=<tag>[&tags=<tag>...]]`, e.g. `web-app` or
 * `web-app?tags=checkout&tags=payments`. Returns the problem as text when
 * the ref cannot be read.
 */
export function parseLaunchDarklyRef(ref: string): LaunchDarklyTarget | string {
  const { name: project, filters } = splitFlagRef(ref);
  if (!PROJECT_KEY.test(project)) {
    return `"${project}" is not a LaunchDarkly project key (letters, digits, ".", "_" and "-" only)`;
  }
  const tags: string[] = [];
  for (const { key, value } of filters) {
    if (key !== 'tags') {
      return `"${key}" is not a filter Glidepath knows for LaunchDarkly (only tags=<tag>, e.g. ${project}?tags=checkout)`;
    }
    if (!value) return `tags= needs a tag, e.g. ${project}?tags=checkout`;
    tags.push(value);
  }
  return { project, tags };
}
