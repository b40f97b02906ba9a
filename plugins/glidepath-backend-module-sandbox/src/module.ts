import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  glidepathFlagProvidersExtensionPoint,
  glidepathMetricsProvidersExtensionPoint,
  glidepathRolloutProvidersExtensionPoint,
} from '@glidepath/backstage-plugin-node';
import { readSandboxConfig } from './config';
import { readSandboxErrorRatios } from './errorBudget';
import { SandboxFlagProvider } from './SandboxFlagProvider';
import { formatDuration } from './steps';
import { SandboxRolloutProvider } from './SandboxRolloutProvider';

/**
 * Registers the sandbox, a simulated fleet, as Glidepath's `sandbox` rollout
 * provider and, for the same fleet, its `sandbox` metrics provider and its
 * `sandbox` flag provider (made-up feature flags), configured by
 * `glidepath.sandbox`.
 * @public
 */
export const glidepathModuleSandbox = createBackendModule({
  pluginId: 'glidepath',
  moduleId: 'sandbox',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: glidepathRolloutProvidersExtensionPoint,
        metricsProviders: glidepathMetricsProvidersExtensionPoint,
        flagProviders: glidepathFlagProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
      },
      async init(deps) {
        const { providers, metricsProviders, flagProviders } = deps;
        const { config, logger, database } = deps;
        const options = readSandboxConfig(config);
        if (!options.enabled) {
          logger.info(
            'The Glidepath sandbox is disabled (glidepath.sandbox.enabled: false)',
          );
          return;
        }
        // The fleet's state (first sightings, actions, drills) is kept in
        // the Glidepath plugin's database, shared by replicas and restarts.
        const provider = new SandboxRolloutProvider({ ...options, database });
        await provider.ready();
        providers.addRolloutProvider(provider);
        const metrics = provider.metricsProvider();
        metrics.setErrorRatios(readSandboxErrorRatios(config));
        metricsProviders.addMetricsProvider(metrics);
        const flags = new SandboxFlagProvider({ seed: options.seed, database });
        await flags.ready();
        flagProviders.addFlagProvider(flags);
        logger.info(
          `The Glidepath sandbox simulates a fleet (seed "${
            options.seed
          }"): a release every ${formatDuration(
            options.releaseIntervalMs,
          )}, ${Math.round(
            options.faultRate * 100,
          )}% of them with an injected fault${
            options.awaitPromotion ? '; canary pauses wait for a promote' : ''
          }`,
        );
      },
    });
  },
});
