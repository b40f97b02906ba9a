import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  glidepathMetricsProvidersExtensionPoint,
  type MetricsProvider,
} from '@glidepath/backstage-plugin-node';
import prometheusModule from './index';
import { PrometheusMetricsProvider } from './PrometheusMetricsProvider';

/** A stand-in for the Glidepath backend: it owns the extension point. */
function glidepathPlugin(providers: MetricsProvider[]) {
  return createBackendPlugin({
    pluginId: 'glidepath',
    register(reg) {
      reg.registerExtensionPoint(glidepathMetricsProvidersExtensionPoint, {
        addMetricsProvider: provider => providers.push(provider),
      });
      reg.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('the Prometheus module', () => {
  it('registers the prometheus metrics provider', async () => {
    const providers: MetricsProvider[] = [];
    const backend = await startTestBackend({
      features: [
        glidepathPlugin(providers),
        prometheusModule,
        mockServices.rootConfig.factory({
          data: {
            glidepath: { prometheus: { baseUrl: 'http://prometheus:9090' } },
          },
        }),
      ],
    });
    expect(providers).toHaveLength(1);
    expect(providers[0]).toBeInstanceOf(PrometheusMetricsProvider);
    expect(providers[0].id).toBe('prometheus');
    expect(providers[0].simulated).toBeFalsy();
    await backend.stop();
  });

  it('fails the start with the reason when baseUrl is missing', async () => {
    await expect(
      startTestBackend({
        features: [glidepathPlugin([]), prometheusModule],
      }),
    ).rejects.toThrow(
      /Glidepath Prometheus module is installed but 'glidepath\.prometheus\.baseUrl' is not set/,
    );
  });

  it('fails the start when a setting is wrong', async () => {
    await expect(
      startTestBackend({
        features: [
          glidepathPlugin([]),
          prometheusModule,
          mockServices.rootConfig.factory({
            data: {
              glidepath: {
                prometheus: { baseUrl: 'http://p:9090', timeout: 'soon' },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/glidepath\.prometheus\.timeout/);
  });
});
