import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  glidepathFlagProvidersExtensionPoint,
  type FlagProvider,
} from '@glidepath/backstage-plugin-node';
import unleashModule from './index';
import { UnleashFlagProvider } from './UnleashFlagProvider';

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

describe('the Unleash module', () => {
  it('registers the unleash flag provider, with archiving', async () => {
    const providers: FlagProvider[] = [];
    const backend = await startTestBackend({
      features: [
        glidepathPlugin(providers),
        unleashModule,
        mockServices.rootConfig.factory({
          data: {
            glidepath: {
              unleash: {
                baseUrl: 'https://unleash.example.com',
                token: 'user:abc',
              },
            },
          },
        }),
      ],
    });
    expect(providers).toHaveLength(1);
    expect(providers[0]).toBeInstanceOf(UnleashFlagProvider);
    expect(providers[0].id).toBe('unleash');
    expect(providers[0].simulated).toBeFalsy();
    expect(typeof providers[0].archiveFlag).toBe('function');
    await backend.stop();
  });

  it('fails the start with the reason when the config is missing', async () => {
    await expect(
      startTestBackend({ features: [glidepathPlugin([]), unleashModule] }),
    ).rejects.toThrow(
      /Glidepath Unleash module is installed but 'glidepath\.unleash\.baseUrl' is not set/,
    );
  });

  it('fails the start when the token is missing', async () => {
    await expect(
      startTestBackend({
        features: [
          glidepathPlugin([]),
          unleashModule,
          mockServices.rootConfig.factory({
            data: {
              glidepath: {
                unleash: { baseUrl: 'https://unleash.example.com' },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/'glidepath\.unleash\.token' is not set/);
  });
});
