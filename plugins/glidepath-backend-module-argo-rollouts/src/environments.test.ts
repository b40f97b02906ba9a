/**
 * One Rollout per environment (issue 20): an entity's staging and
 * production targets name Rollouts in two clusters; Glidepath asks about
 * each in its own call (one per environment), and an action on the staging
 * release goes to the staging cluster only.
 */
import type { Entity } from '@backstage/catalog-model';
import type { RolloutTarget } from '@glidepath/backstage-plugin-node';
import { startFakeKubernetes } from './__testUtils__/fakeKubernetes';
import {
  cluster,
  objects,
  ROLLOUTS,
  setUp,
  TOKEN,
  type ProviderEnv,
} from './__testUtils__/providerEnv';

let env: ProviderEnv;
let staging: Awaited<ReturnType<typeof startFakeKubernetes>>;
afterEach(async () => {
  await env?.tearDown();
  await staging?.stop();
});

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    annotations: {
      'glidepath.dev/rollout':
        'staging=argo-rollouts:stage-eu/jesse-test/canary-demo; production=argo-rollouts:prod-eu/jesse-test/canary-demo',
    },
  },
  spec: {},
};

function target(ref: string, environment: string): RolloutTarget {
  return { entityRef: 'component:default/checkout', ref, environment, entity };
}

describe('an entity with a Rollout per environment', () => {
  it('reads each from its own cluster and acts on the staging one in staging only', async () => {
    staging = await startFakeKubernetes({ objects: objects(), token: TOKEN });
    env = await setUp({
      extraClusters: [cluster('stage-eu', staging.url)],
    });
    const stagingTarget = target('stage-eu/jesse-test/canary-demo', 'staging');
    const productionTarget = target(
      'prod-eu/jesse-test/canary-demo',
      'production',
    );

    // As the sync asks: one call per environment.
    const [inStaging] = await env.provider.listRollouts([stagingTarget]);
    const [inProduction] = await env.provider.listRollouts([productionTarget]);
    const releaseOf = (rollout: typeof inStaging) => {
      if (!('releases' in rollout)) throw new Error(rollout.error);
      return rollout.releases[0];
    };
    expect(releaseOf(inStaging)).toMatchObject({
      providerReleaseId: 'stage-eu/jesse-test/canary-demo@31',
      // The cluster's own environment; Glidepath records it in the
      // annotation's (staging).
      environment: 'stage-eu',
    });
    expect(releaseOf(inProduction)).toMatchObject({
      providerReleaseId: 'prod-eu/jesse-test/canary-demo@31',
      environment: 'production',
    });
    // The staging cluster was read (its Rollouts listed).
    expect(
      staging.requests.some(
        r => r.method === 'GET' && r.path.includes('argoproj.io'),
      ),
    ).toBe(true);

    const writes = () => [
      ...env.server.requests.filter(r => r.method === 'PATCH'),
      ...staging.requests.filter(r => r.method === 'PATCH'),
    ];
    expect(writes()).toEqual([]);
    await env.provider.performAction({
      target: stagingTarget,
      providerReleaseId: 'stage-eu/jesse-test/canary-demo@31',
      action: 'abort',
      reason: 'rollback test in staging',
      actor: { kind: 'user', ref: 'user:default/ada' },
      signal: new AbortController().signal,
    });
    expect(env.server.requests.filter(r => r.method === 'PATCH')).toEqual([]);
    expect(staging.requests.filter(r => r.method === 'PATCH')).toEqual([
      expect.objectContaining({ path: `${ROLLOUTS}/canary-demo/status` }),
    ]);
    expect(
      (staging.object('rollouts', 'jesse-test', 'canary-demo')!.status as any)
        .abort,
    ).toBe(true);
    expect(
      (
        env.server.object('rollouts', 'jesse-test', 'canary-demo')!
          .status as any
      ).abort,
    ).toBeUndefined();
  });
});
