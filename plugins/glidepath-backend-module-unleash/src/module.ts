import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { glidepathFlagProvidersExtensionPoint } from '@glidepath/backstage-plugin-node';
import { readUnleashConfig } from './config';
import { UnleashFlagProvider } from './UnleashFlagProvider';

/**
 * Registers Glidepath's `unleash` flag provider, configured by
 * `glidepath.unleash`, for entities annotated
 * `glidepath.dev/flags: unleash:<project>[?tags=<tag>]`.
 * @public
 */
export const glidepathModuleUnleash = createBackendModule({
  pluginId: 'glidepath',
  moduleId: 'unleash',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: glidepathFlagProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const options = readUnleashConfig(config);
        providers.addFlagProvider(new UnleashFlagProvider(options));
        logger.info(
          `Glidepath reads feature flags from Unleash at ${options.baseUrl}`,
        );
      },
    });
  },
});
