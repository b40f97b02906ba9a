import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import AccountTreeIcon from '@material-ui/icons/AccountTree';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { isGlidepathAvailable } from '@glidepath/backstage-plugin-common';
import { glidepathApiExtension } from './api';
import { dependencyGraphRouteRef } from './routes';

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

/** Components and resources have dependencies worth drawing. */
function hasDependencies(entity: Entity): boolean {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  return kind === 'component' || kind === 'resource';
}

/**
 * The Dependencies tab on component and resource pages
 * (`entity-content:glidepath/dependencies`).
 * @alpha
 */
export const glidepathDependenciesEntityContent = EntityContentBlueprint.make({
  name: 'dependencies',
  params: {
    path: '/dependencies',
    title: 'Dependencies',
    filter: hasDependencies,
    loader: () =>
      import('./components/DependenciesContent').then(m => (
        <m.DependenciesContent />
      )),
  },
});

/**
 * The Dependencies page (`page:glidepath/dependencies`) at
 * `/glidepath/dependencies`: a system, a team, a domain or the whole catalog.
 * @alpha
 */
export const glidepathDependencyGraphPage = PageBlueprint.make({
  name: 'dependencies',
  params: {
    path: '/glidepath/dependencies',
    routeRef: dependencyGraphRouteRef,
    title: 'Dependencies',
    icon: <AccountTreeIcon />,
    noHeader: true,
    loader: () =>
      import('./components/DependencyGraphPage').then(m => (
        <m.DependencyGraphPage />
      )),
  },
});

/**
 * Glidepath for apps on the new frontend system: its API, the Releases and
 * Dependencies tabs, the release card and the Dependencies page. Installing
 * the package is enough.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'glidepath',
  title: 'Glidepath',
  info: { packageJson: () => import('../package.json') },
  routes: { dependencies: dependencyGraphRouteRef },
  extensions: [
    glidepathApiExtension,
    glidepathReleasesEntityContent,
    glidepathDependenciesEntityContent,
    glidepathReleaseEntityCard,
    glidepathDependencyGraphPage,
  ],
});
