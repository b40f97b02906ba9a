import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import {
  glidepathFlagProvidersExtensionPoint,
  glidepathMetricsProvidersExtensionPoint,
  glidepathRolloutProvidersExtensionPoint,
  type MetricsProvider,
  type ServiceErrorsQuery,
} from '@glidepath/backstage-plugin-node';
import { readSandboxErrorRatios } from './errorBudget';
import sandboxModule from './index';
import { SandboxRolloutProvider } from './SandboxRolloutProvider';

const NOW = Date.parse('2026-12-07T02:00:00Z');
const DAY = 86_400_000;

function query(
  service: string,
  overrides: Partial<ServiceErrorsQuery> = {},
): ServiceErrorsQuery {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: service },
  };
  return {
    entityRef: `component:default/${service}`,
    entity,
    selector: service,
    rolloutProvider: 'sandbox',
    environment: 'production',
    from: new Date(NOW - 28 * DAY),
    to: new Date(NOW),
    signal: new AbortController().signal,
    ...overrides,
  };
}

function sandbox(errorRatioByService?: object) {
  const config = new ConfigReader({
    glidepath: { sandbox: { seed: 'test', errorRatioByService } },
  });
  const metrics = SandboxRolloutProvider.fromConfig(config, {
    now: () => new Date(NOW),
  }).metricsProvider();
  metrics.setErrorRatios(readSandboxErrorRatios(config));
  return metrics;
}

describe("the sandbox's error-budget readings", () => {
  it("reads a configured service's ratio over 28 days of steady traffic", async () => {
    const reading = await sandbox({
      'identity-service': 0.0056,
    }).readServiceErrors(query('identity-service'));
    if (reading.status !== 'ok') throw new Error(JSON.stringify(reading));
    // 5 to 50 requests a second for 28 days.
    expect(reading.requests).toBeGreaterThanOrEqual(5 * 28 * 86_400);
    expect(reading.requests).toBeLessThan(50 * 28 * 86_400);
    expect(reading.errors / reading.requests).toBeCloseTo(0.0056, 6);
  });

  it('gives the other services a small ratio from the seed, the same every time, and counts only the past', async () => {
    const metrics = sandbox();
    const a = await metrics.readServiceErrors(query('cart-service'));
    const b = await metrics.readServiceErrors(query('cart-service'));
    expect(a).toEqual(b);
    if (a.status !== 'ok') throw new Error(JSON.stringify(a));
    const ratio = a.errors / a.requests;
    expect(ratio).toBeGreaterThanOrEqual(0.0001);
    expect(ratio).toBeLessThan(0.0008);
    // A range that ends in the future counts up to now.
    const future = await metrics.readServiceErrors(
      query('cart-service', { to: new Date(NOW + 28 * DAY) }),
    );
    expect(future).toEqual(a);
    const other = await metrics.readServiceErrors(query('search-service'));
    expect(other).not.toEqual(a);
  });

  it('has no data for another provider’s service, and throws during an outage', async () => {
    const metrics = sandbox();
    expect(
      await metrics.readServiceErrors(
        query('checkout', { rolloutProvider: 'argo-rollouts' }),
      ),
    ).toEqual({
      status: 'no_data',
      reason:
        'The sandbox simulates metrics for its own services only; component:default/checkout is released by "argo-rollouts"',
    });
    metrics.setMetricsOutage('The sandbox metrics are down');
    await expect(
      metrics.readServiceErrors(query('cart-service')),
    ).rejects.toThrow('The sandbox metrics are down');
  });

  it.each([[-0.1], [1.5], ['lots']])(
    'refuses errorRatioByService %p naming the key',
    value => {
      expect(() =>
        readSandboxErrorRatios(
          new ConfigReader({
            glidepath: { sandbox: { errorRatioByService: { cart: value } } },
          }),
        ),
      ).toThrow(/glidepath\.sandbox\.errorRatioByService\.cart/);
    },
  );

  it('is configured by the module from glidepath.sandbox.errorRatioByService', async () => {
    const metrics: MetricsProvider[] = [];
    const plugin = createBackendPlugin({
      pluginId: 'glidepath',
      register(reg) {
        reg.registerExtensionPoint(glidepathRolloutProvidersExtensionPoint, {
          addRolloutProvider: () => {},
        });
        reg.registerExtensionPoint(glidepathMetricsProvidersExtensionPoint, {
          addMetricsProvider: provider => metrics.push(provider),
        });
        reg.registerExtensionPoint(glidepathFlagProvidersExtensionPoint, {
          addFlagProvider: () => {},
        });
        reg.registerInit({ deps: {}, async init() {} });
      },
    });
    const backend = await startTestBackend({
      features: [
        plugin,
        sandboxModule,
        mockServices.rootConfig.factory({
          data: {
            glidepath: {
              sandbox: { errorRatioByService: { 'identity-service': 0.5 } },
            },
          },
        }),
      ],
    });
    const reading = await metrics[0].readServiceErrors!(
      query('identity-service', {
        from: new Date(Date.now() - DAY),
        to: new Date(),
      }),
    );
    if (reading.status !== 'ok') throw new Error(JSON.stringify(reading));
    expect(reading.errors / reading.requests).toBeCloseTo(0.5, 3);
    await backend.stop();
  });
});
