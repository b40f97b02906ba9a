import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';

/**
 * Glidepath's Argo Rollouts provider, installed when the config lists
 * clusters under `glidepath.argoRollouts` (the module refuses to start
 * without one). The demo has no cluster; the browser tests point it at a
 * stand-in API server (e2e/argoCluster.mjs).
 */
export const argoRolloutsWhenConfigured = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    if (config.has('glidepath.argoRollouts.clusters')) {
      yield import('@glidepath/backstage-plugin-backend-module-argo-rollouts');
    }
  },
});
