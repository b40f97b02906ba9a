/**
 * Glidepath in the Backstage portal: the Releases and Dependencies tabs and
 * the release card on entity pages, with rollback and rollout controls, and
 * the Dependencies page.
 *
 * This entry point is for apps on the legacy frontend system; apps on the
 * new frontend system install the default export of `./alpha`.
 *
 * @packageDocumentation
 */
export {
  glidepathPlugin,
  EntityGlidepathReleasesContent,
  EntityGlidepathReleaseCard,
  EntityGlidepathDependenciesContent,
  GlidepathDependencyGraphPage,
} from './plugin';
export { dependencyGraphRouteRef } from './routes';
export { glidepathApiRef, glidepathApiFactory } from './api';
export {
  isGlidepathAvailable,
  ANNOTATION_ROLLOUT,
} from '@glidepath/backstage-plugin-common';
