import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { glidepathFlagProvidersExtensionPoint } from '@glidepath/backstage-plugin-node';
import { readLaunchDarklyConfig } from './config';
import { LaunchDarklyFlagProvider } from './LaunchDarklyFlagProvider';

/**
 * Registers Glidepath's `launchdarkly` flag provider, configured by
 * `glidepath.launchdarkly`, for entities annotated
 * `glidepath.dev/flags: launchdarkly:<projectKey>[?tags=<tag>]`.
 * @public
 */
export const glidepathModuleLaunchDarkly = createBackendModule({
  pluginId: 'glidepath',
  moduleId: 'launchdarkly',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: glidepathFlagProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const options = readLaunchDarklyConfig(config);
        providers.addFlagProvider(new LaunchDarklyFlagProvider(options));
        logger.info(
          `Glidepath reads feature flags from LaunchDarkly at ${
            options.baseUrl
          }${
            options.environments
              ? ` (environments ${options.environments.join(', ')})`
              : ''
          }`,
        );
      },
    });
  },
});
