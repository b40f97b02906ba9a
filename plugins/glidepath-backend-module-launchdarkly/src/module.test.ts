import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  glidepathFlagProvidersExtensionPoint,
  type FlagProvider,
} from '@glidepath/backstage-plugin-node';
import launchDarklyModule from './index';
import { LaunchDarklyFlagProvider } from './LaunchDarklyFlagProvider';

/** A stand-in for the Glidepath backend: it owns the extension point. */
function glidepathPlugin(providers: FlagProvider[]) {
  return createBackendPlugin({
    pluginId: 'glidepath',
    register(reg) {
      reg.registerExtensionPoint(glidepathFlagProvidersExtensionPoint, {
        addFlagProvider: provider => providers.push(provider),
      });
      reg.registerInit({ deps: {}, async init() {} });
    },
  });
}

describe('the LaunchDarkly module', () => {
  it('registers the launchdarkly flag provider, with archiving', async () => {
    const providers: FlagProvider[] = [];
    const backend = await startTestBackend({
      features: [
        glidepathPlugin(providers),
        launchDarklyModule,
        mockServices.rootConfig.factory({
          data: {
            glidepath: {
              launchdarkly: { token: 'api-abc' },
            },
          },
        }),
      ],
    });
    expect(providers).toHaveLength(1);
    expect(providers[0]).toBeInstanceOf(LaunchDarklyFlagProvider);
    expect(providers[0].id).toBe('launchdarkly');
    expect(providers[0].simulated).toBeFalsy();
    expect(typeof providers[0].archiveFlag).toBe('function');
    await backend.stop();
  });

  it('fails the start with the reason when the token is missing', async () => {
    await expect(
      startTestBackend({ features: [glidepathPlugin([]), launchDarklyModule] }),
    ).rejects.toThrow(
      /Glidepath LaunchDarkly module is installed but 'glidepath\.launchdarkly\.token' is not set/,
    );
  });
});
