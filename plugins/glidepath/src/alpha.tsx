import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isGlidepathAvailable } from '@glidepath/backstage-plugin-common';
import { glidepathApiExtension } from './api';

/**
 * The Releases tab on entity pages (`entity-content:glidepath/releases`),
 * shown only for entities with the `glidepath.dev/rollout` annotation.
 * @alpha
 */
export const glidepathReleasesEntityContent = EntityContentBlueprint.make({
  name: 'releases',
  params: {
    path: '/releases',
    title: 'Releases',
    group: 'deployment',
    filter: isGlidepathAvailable,
    loader: () =>
      import('./components/ReleasesContent').then(m => <m.ReleasesContent />),
  },
});

/**
 * The release card on the entity overview (`entity-card:glidepath/release`),
 * for the same entities.
 * @alpha
 */
export const glidepathReleaseEntityCard = EntityCardBlueprint.make({
  name: 'release',
  params: {
    filter: isGlidepathAvailable,
    loader: () =>
      import('./components/ReleaseCard').then(m => <m.ReleaseCard />),
  },
});

/**
 * Glidepath for apps on the new frontend system: its API, the Releases tab
 * and the release card. Installing the package is enough.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'glidepath',
  title: 'Glidepath',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    glidepathApiExtension,
    glidepathReleasesEntityContent,
    glidepathReleaseEntityCard,
  ],
});
