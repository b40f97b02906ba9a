import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  glidepathFlagProvidersExtensionPoint,
  glidepathMetricsProvidersExtensionPoint,
  glidepathRolloutProvidersExtensionPoint,
  type FlagProvider,
  type MetricsProvider,
  type RolloutProvider,
} from '@glidepath/backstage-plugin-node';
import sandboxModule from './index';
import { SandboxFlagProvider } from './SandboxFlagProvider';
import { SandboxMetricsProvider } from './SandboxMetricsProvider';
import { SandboxRolloutProvider } from './SandboxRolloutProvider';

type Registered = {
  rollouts: RolloutProvider[];
  metrics: MetricsProvider[];
  flags?: FlagProvider[];
};

/** A stand-in for the Glidepath backend: it owns the extension points. */
function glidepathPlugin(registered: Registered) {
  return createBackendPlugin({
    pluginId: 'glidepath',
    register(reg) {
      reg.registerExtensionPoint(glidepathRolloutProvidersExtensionPoint, {
        addRolloutProvider: provider => registered.rollouts.push(provider),
      });
      reg.registerExtensionPoint(glidepathMetricsProvidersExtensionPoint, {
        addMetricsProvider: provider => registered.metrics.push(provider),
      });
      reg.registerExtensionPoint(glidepathFlagProvidersExtensionPoint, {
        addFlagProvider: provider =>
          (registered.flags = [...(registered.flags ?? []), provider]),
      });
      reg.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('the sandbox module', () => {
  it('registers the sandbox as a simulated rollout and metrics provider', async () => {
    const registered: Registered = { rollouts: [], metrics: [] };
    const backend = await startTestBackend({
      features: [glidepathPlugin(registered), sandboxModule],
    });
    expect(registered.rollouts).toHaveLength(1);
    const [rollouts] = registered.rollouts;
    expect(rollouts).toBeInstanceOf(SandboxRolloutProvider);
    expect(rollouts.id).toBe('sandbox');
    expect(rollouts.simulated).toBe(true);

    expect(registered.metrics).toHaveLength(1);
    const [metrics] = registered.metrics;
    expect(metrics).toBeInstanceOf(SandboxMetricsProvider);
    expect(metrics.id).toBe('sandbox');
    expect(metrics.simulated).toBe(true);
    // the metrics of the same fleet
    expect(metrics).toBe(
      (rollouts as SandboxRolloutProvider).metricsProvider(),
    );

    expect(registered.flags).toHaveLength(1);
    const [flags] = registered.flags!;
    expect(flags).toBeInstanceOf(SandboxFlagProvider);
    expect(flags.id).toBe('sandbox');
    expect(flags.simulated).toBe(true);
    await backend.stop();
  });

  it('registers nothing when disabled', async () => {
    const registered: Registered = { rollouts: [], metrics: [] };
    const backend = await startTestBackend({
      features: [
        glidepathPlugin(registered),
        sandboxModule,
        mockServices.rootConfig.factory({
          data: { glidepath: { sandbox: { enabled: false } } },
        }),
      ],
    });
    expect(registered).toEqual({ rollouts: [], metrics: [] });
    await backend.stop();
  });

  it('fails the start with the reason when the config is wrong', async () => {
    await expect(
      startTestBackend({
        features: [
          glidepathPlugin({ rollouts: [], metrics: [] }),
          sandboxModule,
          mockServices.rootConfig.factory({
            data: { glidepath: { sandbox: { faultRate: 2 } } },
          }),
        ],
      }),
    ).rejects.toThrow(/glidepath\.sandbox\.faultRate.*got 2/);
  });
});
