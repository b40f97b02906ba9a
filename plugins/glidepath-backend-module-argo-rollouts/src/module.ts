import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { glidepathRolloutProvidersExtensionPoint } from '@glidepath/backstage-plugin-node';
import { ArgoRolloutsProvider } from './ArgoRolloutsProvider';
import { readArgoRolloutsConfig } from './config';

/**
 * Registers Glidepath's `argo-rollouts` rollout provider, configured by
 * `glidepath.argoRollouts`, for entities annotated
 * `glidepath.dev/rollout: argo-rollouts:<cluster>/<namespace>/<name>`.
 * @public
 */
export const glidepathModuleArgoRollouts = createBackendModule({
  pluginId: 'glidepath',
  moduleId: 'argo-rollouts',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: glidepathRolloutProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ providers, config, logger, lifecycle }) {
        const options = readArgoRolloutsConfig(config);
        const provider = new ArgoRolloutsProvider({ ...options, logger });
        providers.addRolloutProvider(provider);
        // Polling fills this replica's in-memory cache, which its own
        // listRollouts reads: every replica needs its own, so this is a plain
        // interval per replica, not a scheduler task with global scope.
        lifecycle.addStartupHook(() => provider.start());
        lifecycle.addShutdownHook(() => provider.stop());
        logger.info(
          `Glidepath reads Argo Rollouts from ${options.clusters
            .map(c => `${c.name} (${c.url}, ${c.source})`)
            .join(', ')} every ${Math.round(options.pollIntervalMs / 1000)}s`,
        );
      },
    });
  },
});
