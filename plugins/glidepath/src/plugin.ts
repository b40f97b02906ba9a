import {
  createComponentExtension,
  createPlugin,
} from '@backstage/core-plugin-api';
import { glidepathApiFactory } from './api';

/**
 * Glidepath for apps on the legacy frontend system.
 * @public
 */
export const glidepathPlugin = createPlugin({
  id: 'glidepath',
  apis: [glidepathApiFactory],
});

/**
 * The Releases tab of an entity page; mount it in an `EntityLayout.Route`
 * (path `/releases`) behind `isGlidepathAvailable`.
 * @public
 */
export const EntityGlidepathReleasesContent = glidepathPlugin.provide(
  createComponentExtension({
    name: 'EntityGlidepathReleasesContent',
    component: {
      lazy: () =>
        import('./components/ReleasesContent').then(m => m.ReleasesContent),
    },
  }),
);

/**
 * The release card for an entity's overview, linking to the Releases tab.
 * @public
 */
export const EntityGlidepathReleaseCard = glidepathPlugin.provide(
  createComponentExtension({
    name: 'EntityGlidepathReleaseCard',
    component: {
      lazy: () => import('./components/ReleaseCard').then(m => m.ReleaseCard),
    },
  }),
);
