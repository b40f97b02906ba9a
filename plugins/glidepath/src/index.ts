/**
 * Glidepath in the Backstage portal: the Releases tab and release card on
 * entity pages, with rollback and rollout controls.
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
} from './plugin';
export { glidepathApiRef, glidepathApiFactory } from './api';
export {
  isGlidepathAvailable,
  ANNOTATION_ROLLOUT,
} from '@glidepath/backstage-plugin-common';
