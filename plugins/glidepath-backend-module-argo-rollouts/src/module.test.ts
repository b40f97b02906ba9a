import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  glidepathRolloutProvidersExtensionPoint,
  type RolloutProvider,
} from '@glidepath/backstage-plugin-node';
import { fixture } from './__testUtils__/fixtures';
import { startFakeKubernetes } from './__testUtils__/fakeKubernetes';
import { ArgoRolloutsProvider } from './ArgoRolloutsProvider';
import argoRolloutsModule from './index';

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

describe('the Argo Rollouts module', () => {
  it('registers the provider and polls the clusters from start to shutdown', async () => {
    const server = await startFakeKubernetes({
      objects: [fixture('canary/canary-rollout.yaml')],
      token: 't',
    });
    const providers: RolloutProvider[] = [];
    const backend = await startTestBackend({
      features: [
        glidepathPlugin(providers),
        argoRolloutsModule,
        mockServices.rootConfig.factory({
          data: {
            glidepath: {
              argoRollouts: {
                clusters: [
                  {
                    name: 'prod-eu',
                    url: server.url,
                    serviceAccountToken: 't',
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    expect(providers).toHaveLength(1);
    expect(providers[0]).toBeInstanceOf(ArgoRolloutsProvider);
    expect(providers[0].id).toBe('argo-rollouts');
    expect(providers[0].simulated).toBeFalsy();
    // Started: the first poll lists the four kinds.
    await new Promise<void>(resolve => {
      const check = () =>
        server.requests.length >= 4 ? resolve() : setTimeout(check, 10);
      check();
    });
    expect(server.requests.map(r => r.path).sort()).toEqual([
      '/apis/apps/v1/replicasets',
      '/apis/argoproj.io/v1alpha1/analysisruns',
      '/apis/argoproj.io/v1alpha1/experiments',
      '/apis/argoproj.io/v1alpha1/rollouts',
    ]);
    await backend.stop();
    await server.stop();
  });

  it('fails the start with the reason when no cluster is configured', async () => {
    await expect(
      startTestBackend({ features: [glidepathPlugin([]), argoRolloutsModule] }),
    ).rejects.toThrow(
      "The Glidepath Argo Rollouts module is installed but 'glidepath.argoRollouts.clusters' is empty",
    );
  });
});
