import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { glidepathMetricsProvidersExtensionPoint } from '@glidepath/backstage-plugin-node';
import { displayUrl, readPrometheusConfig } from './config';
import { PrometheusMetricsProvider } from './PrometheusMetricsProvider';

/**
 * Registers Glidepath's `prometheus` metrics provider, configured by
 * `glidepath.prometheus`, for entities annotated
 * `glidepath.dev/metrics: prometheus:<selector>`.
 * @public
 */
export const glidepathModulePrometheus = createBackendModule({
  pluginId: 'glidepath',
  moduleId: 'prometheus',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: glidepathMetricsProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const options = readPrometheusConfig(config);
        providers.addMetricsProvider(new PrometheusMetricsProvider(options));
        logger.info(
          `Glidepath reads canary metrics from Prometheus at ${displayUrl(
            options.baseUrl,
          )} (versions told apart by the label "${options.versionLabel}")`,
        );
      },
    });
  },
});
