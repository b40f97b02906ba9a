import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  glidepathRolloutProvidersExtensionPoint,
  type RolloutProvider,
} from '@glidepath/backstage-plugin-node';
import sandboxModule from './index';
import { SandboxRolloutProvider } from './SandboxRolloutProvider';

/** A stand-in for the Glidepath backend: it owns the extension point. */
function glidepathPlugin(providers: RolloutProvider[]) {
  return createBackendPlugin({
    pluginId: 'glidepath',
    register(reg) {
      reg.registerExtensionPoint(glidepathRolloutProvidersExtensionPoint, {
        addRolloutProvider: provider => providers.push(provider),
      });
      reg.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('the sandbox module', () => {
  it('registers the sandbox as a simulated rollout provider', async () => {
    const providers: RolloutProvider[] = [];
    const backend = await startTestBackend({
      features: [glidepathPlugin(providers), sandboxModule],
    });
    expect(providers).toHaveLength(1);
    expect(providers[0]).toBeInstanceOf(SandboxRolloutProvider);
    expect(providers[0].id).toBe('sandbox');
    expect(providers[0].simulated).toBe(true);
    await backend.stop();
  });

  it('registers nothing when disabled', async () => {
    const providers: RolloutProvider[] = [];
    const backend = await startTestBackend({
      features: [
        glidepathPlugin(providers),
        sandboxModule,
        mockServices.rootConfig.factory({
          data: { glidepath: { sandbox: { enabled: false } } },
        }),
      ],
    });
    expect(providers).toEqual([]);
    await backend.stop();
  });

  it('fails the start with the reason when the config is wrong', async () => {
    await expect(
      startTestBackend({
        features: [
          glidepathPlugin([]),
          sandboxModule,
          mockServices.rootConfig.factory({
            data: { glidepath: { sandbox: { faultRate: 2 } } },
          }),
        ],
      }),
    ).rejects.toThrow(/glidepath\.sandbox\.faultRate.*got 2/);
  });
});
