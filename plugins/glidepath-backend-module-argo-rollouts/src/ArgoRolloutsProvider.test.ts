/**
 * Contract tests against a local HTTP server that speaks the Kubernetes REST
 * paths, loaded with the real objects of the shared fixtures. They check the
 * mapping end to end (the exact requests each action sends are checked in
 * rolloutRequests.test.ts). They do not run Kubernetes or the Argo Rollouts
 * controller.
 */
import { startFakeKubernetes } from './__testUtils__/fakeKubernetes';
import { editedFixture, scenarioObjects } from './__testUtils__/fixtures';
import {
  cluster,
  objects,
  setUp,
  target,
  TOKEN,
  type ProviderEnv,
} from './__testUtils__/providerEnv';
import { ArgoRolloutsProvider } from './ArgoRolloutsProvider';
import type { KubeObject } from './objects';

let env: ProviderEnv;
afterEach(async () => {
  await env?.tearDown();
});

describe('listRollouts', () => {
  it('serves many targets from one list per kind, with the real paths and the token', async () => {
    env = await setUp();
    const targets = Array.from({ length: 40 }, (_, i) =>
      target('prod-eu/jesse-test/canary-demo', {}, `svc-${i}`),
    );
    const rollouts = await env.provider.listRollouts(targets);
    expect(rollouts).toHaveLength(40);
    expect(
      rollouts.every(
        r =>
          'releases' in r &&
          r.releases[0].providerReleaseId ===
            'prod-eu/jesse-test/canary-demo@31',
      ),
    ).toBe(true);

    expect(env.server.requests.map(r => [r.method, r.path, r.query])).toEqual(
      expect.arrayContaining([
        ['GET', '/apis/argoproj.io/v1alpha1/rollouts', { limit: '500' }],
        [
          'GET',
          '/apis/apps/v1/replicasets',
          { limit: '500', labelSelector: 'rollouts-pod-template-hash' },
        ],
        ['GET', '/apis/argoproj.io/v1alpha1/analysisruns', { limit: '500' }],
        ['GET', '/apis/argoproj.io/v1alpha1/experiments', { limit: '500' }],
      ]),
    );
    expect(env.server.requests).toHaveLength(4);
    expect(
      env.server.requests.every(r => r.authorization === `Bearer ${TOKEN}`),
    ).toBe(true);

    // Within the poll interval: no request at all.
    await env.provider.listRollouts(targets);
    expect(env.server.requests).toHaveLength(4);

    // Afterwards: the four lists again, from the last resource version.
    env.advance(10_000);
    await env.provider.listRollouts(targets);
    expect(env.server.requests).toHaveLength(8);
    expect(env.server.requests.slice(4).map(r => r.query)).toEqual(
      expect.arrayContaining([
        {
          limit: '500',
          resourceVersion: '1000',
          resourceVersionMatch: 'NotOlderThan',
        },
        {
          limit: '500',
          labelSelector: 'rollouts-pod-template-hash',
          resourceVersion: '1000',
          resourceVersionMatch: 'NotOlderThan',
        },
      ]),
    );
  });

  it('shares one read between concurrent callers', async () => {
    env = await setUp();
    await Promise.all([
      env.provider.listRollouts([target('prod-eu/jesse-test/canary-demo')]),
      env.provider.listRollouts([
        target('prod-eu/default/rollout-background-analysis'),
      ]),
    ]);
    expect(env.server.requests).toHaveLength(4);
  });

  it('follows continue tokens across pages', async () => {
    env = await setUp({ pageSize: 2 });
    const [result] = await env.provider.listRollouts([
      target('prod-eu/default/rollout-background-analysis'),
    ]);
    expect(result).toMatchObject({
      releases: [
        {
          providerReleaseId: 'prod-eu/default/rollout-background-analysis@2',
          phase: 'aborted',
        },
        { version: 'blue' },
      ],
    });
    const rolloutPages = env.server.requests.filter(
      r => r.path === '/apis/argoproj.io/v1alpha1/rollouts',
    );
    // Five Rollouts, two a page.
    expect(rolloutPages.map(r => r.query.continue)).toEqual([
      undefined,
      '2',
      '4',
    ]);
  });

  it('maps each target field by field from the fixtures', async () => {
    env = await setUp();
    const [canary, blueGreen, aborted] = await env.provider.listRollouts([
      target('prod-eu/jesse-test/canary-demo'),
      target('prod-eu/jesse-test', {
        'backstage.io/kubernetes-id': 'storefront',
      }),
      target('prod-eu/default/rollout-background-analysis'),
    ]);
    expect(canary).toEqual({
      entityRef: 'component:default/checkout',
      releases: [
        expect.objectContaining({
          providerReleaseId: 'prod-eu/jesse-test/canary-demo@31',
          version: 'does-not-exist',
          previousVersion: 'green',
          environment: 'production',
          phase: 'failed',
          canaryWeight: 0,
          currentStepIndex: null,
        }),
        expect.objectContaining({
          providerReleaseId: 'prod-eu/jesse-test/canary-demo@30',
          phase: 'succeeded',
        }),
        expect.objectContaining({
          providerReleaseId: 'prod-eu/jesse-test/canary-demo@29',
          phase: 'rolled_back',
        }),
      ],
    });
    expect(blueGreen).toEqual({
      entityRef: 'component:default/checkout',
      releases: [
        expect.objectContaining({
          providerReleaseId: 'prod-eu/jesse-test/bluegreen-demo@11',
          strategy: 'blue_green',
          phase: 'paused',
          version: 'green',
          previousVersion: 'blue',
          currentStepIndex: 1,
        }),
        expect.objectContaining({
          providerReleaseId: 'prod-eu/jesse-test/bluegreen-demo@10',
        }),
        expect.objectContaining({
          providerReleaseId: 'prod-eu/jesse-test/bluegreen-demo@8',
        }),
      ],
    });
    expect(aborted).toMatchObject({
      releases: [
        {
          phase: 'aborted',
          message:
            'Aborted: metric "web" assessed Failed due to failed (1) > failureLimit (0)',
        },
        { phase: 'succeeded' },
      ],
    });
    const runs = await env.provider.readAnalysisRuns(
      target('prod-eu/default/rollout-background-analysis'),
      'prod-eu/default/rollout-background-analysis@2',
    );
    expect(
      runs.map(r => [r.name, r.verdict, r.metrics[0].measurements[0].value]),
    ).toEqual([['rollout-background-analysis-db976bc44-2', 'fail', 'false']]);
  });

  it('reports bad input per target and serves the others', async () => {
    env = await setUp();
    const results = await env.provider.listRollouts([
      target('prod-us/shop/checkout'),
      target('prod-eu/jesse-test/gone'),
      target('prod-eu/jesse-test/canary-demo/extra'),
      target('prod-eu/jesse-test/broken'),
      target('prod-eu/jesse-test'),
      target('prod-eu', { 'backstage.io/kubernetes-id': 'nobody' }),
      target('prod-eu', { 'backstage.io/kubernetes-id': 'storefront' }),
    ]);
    expect(
      results.map(r =>
        'error' in r ? r.error : r.releases[0].providerReleaseId,
      ),
    ).toEqual([
      'the cluster "prod-us" is not configured in glidepath.argoRollouts.clusters (configured: prod-eu)',
      'Rollout jesse-test/gone not found in cluster prod-eu',
      expect.stringContaining(
        '"prod-eu/jesse-test/canary-demo/extra" has 4 parts separated by "/"',
      ),
      'Rollout jesse-test/broken in cluster prod-eu cannot be read: spec.strategy.canary.steps[0].setWeight is not a whole number: "lots"',
      expect.stringContaining(
        'the entity has no backstage.io/kubernetes-id annotation',
      ),
      'no Rollout labelled backstage.io/kubernetes-id=nobody in any namespace of cluster prod-eu',
      'prod-eu/jesse-test/bluegreen-demo@11',
    ]);
  });

  it('reports an unreachable cluster on its targets, and throws when no cluster answers', async () => {
    env = await setUp({
      extraClusters: [cluster('prod-us', 'http://127.0.0.1:9')],
    });
    const results = await env.provider.listRollouts([
      target('prod-us/shop/checkout'),
      target('prod-eu/jesse-test/canary-demo'),
    ]);
    expect(results[0]).toEqual({
      entityRef: 'component:default/checkout',
      error: expect.stringContaining(
        'Glidepath could not reach the API server of cluster "prod-us" (http://127.0.0.1:9)',
      ),
    });
    expect(results[1]).toHaveProperty('releases');
    await expect(
      env.provider.listRollouts([target('prod-us/shop/checkout')]),
    ).rejects.toThrow(/could not reach the API server of cluster "prod-us"/);
  });

  it('names the missing RBAC rule when a list is forbidden', async () => {
    env = await setUp({
      answer: r =>
        r.path === '/apis/argoproj.io/v1alpha1/analysisruns'
          ? {
              status: 403,
              body: {
                kind: 'Status',
                reason: 'Forbidden',
                message: 'analysisruns.argoproj.io is forbidden',
              },
            }
          : undefined,
    });
    await expect(
      env.provider.listRollouts([target('prod-eu/jesse-test/canary-demo')]),
    ).rejects.toThrow(
      'the backend\'s service account may not list analysisruns in all namespaces of cluster prod-eu: add the verb "list" on "analysisruns" (apiGroup "argoproj.io") to its ClusterRole (the API server said: analysisruns.argoproj.io is forbidden)',
    );
  });

  it('lists namespace by namespace when the cluster is limited to some', async () => {
    const server = await startFakeKubernetes({
      objects: objects(),
      token: TOKEN,
    });
    const provider = new ArgoRolloutsProvider({
      clusters: [cluster('prod-eu', server.url, { namespaces: ['default'] })],
      pollIntervalMs: 10_000,
      requestTimeoutMs: 2_000,
    });
    env = {
      server,
      provider,
      advance() {},
      writes: () => [],
      tearDown: async () => {
        provider.stop();
        await server.stop();
      },
    };
    const [ok, outside] = await provider.listRollouts([
      target('prod-eu/default/rollout-background-analysis'),
      target('prod-eu/jesse-test/canary-demo'),
    ]);
    expect(ok).toHaveProperty('releases');
    expect(outside).toMatchObject({
      error: expect.stringContaining(
        'reads only the namespaces default of cluster prod-eu',
      ),
    });
    expect(server.requests.map(r => r.path).sort()).toEqual([
      '/apis/apps/v1/namespaces/default/replicasets',
      '/apis/argoproj.io/v1alpha1/namespaces/default/analysisruns',
      '/apis/argoproj.io/v1alpha1/namespaces/default/experiments',
      '/apis/argoproj.io/v1alpha1/namespaces/default/rollouts',
    ]);
  });
});

describe('experiments and invalid specs (issue 24)', () => {
  /** A provider reading one fake cluster holding the given scenarios. */
  async function scenarioEnv(served: KubeObject[]) {
    const server = await startFakeKubernetes({
      objects: served,
      token: TOKEN,
    });
    const provider = new ArgoRolloutsProvider({
      clusters: [cluster('prod-eu', server.url)],
      pollIntervalMs: 10_000,
      requestTimeoutMs: 2_000,
    });
    env = {
      server,
      provider,
      advance() {},
      writes: () => [],
      tearDown: async () => {
        provider.stop();
        await server.stop();
      },
    };
    return provider;
  }
  const all = (dir: string) => Object.values(scenarioObjects(dir)).flat();

  it("lists experiments and shows the experiment step's ReplicaSet and run", async () => {
    const step = scenarioObjects('experiment-step');
    // Current controllers label an experiment's ReplicaSets with
    // rollouts-pod-template-hash (those of 2019, as in the fixture, did not).
    const labelled = editedFixture('experiment-step/canary-exp-rs.yaml', o => {
      o.metadata.labels = { 'rollouts-pod-template-hash': '5b6c7d8e9f' };
    });
    const provider = await scenarioEnv([
      ...step.rollouts,
      ...step.replicaSets.filter(
        rs =>
          (rs.metadata as any).name !==
          'canary-demo-645d5dbc4c-2-0-canary-preview',
      ),
      labelled,
      ...step.analysisRuns,
      ...step.experiments,
    ]);
    const [result] = await provider.listRollouts([
      target('prod-eu/jesse-test/canary-demo'),
    ]);
    expect(
      env.server.requests.some(
        r => r.path === '/apis/argoproj.io/v1alpha1/experiments',
      ),
    ).toBe(true);
    if (!('releases' in result)) throw new Error(result.error);
    const [current] = result.releases;
    expect(current.steps[0]).toMatchObject({
      status: 'running',
      experiment: {
        name: 'canary-demo-645d5dbc4c-2-0',
        phase: 'Running',
        templates: [
          {
            name: 'canary-preview',
            replicaSet: 'canary-demo-645d5dbc4c-2-0-canary-preview',
            readyReplicas: 1,
            availableReplicas: 1,
          },
        ],
        analysisRuns: [
          {
            name: 'canary-demo-645d5dbc4c-2-0-stress-test',
            phase: 'Running',
          },
        ],
      },
    });
    expect(current.providerAnalysis?.map(r => [r.name, r.kind])).toEqual([
      ['canary-demo-645d5dbc4c-2-0-stress-test', 'Experiment'],
    ]);
  });

  it('serves the fixture as it is: the unlabelled ReplicaSet is not listed, its template status counts', async () => {
    const provider = await scenarioEnv(all('experiment-step'));
    const [result] = await provider.listRollouts([
      target('prod-eu/jesse-test/canary-demo'),
    ]);
    if (!('releases' in result)) throw new Error(result.error);
    expect(result.releases[0].steps[0].experiment?.templates).toEqual([
      {
        name: 'canary-preview',
        replicaSet: null,
        status: 'Running',
        replicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
      },
    ]);
  });

  it('reads the rest without Experiments when the service account may not list them, and says so once', async () => {
    const warnings: string[] = [];
    const server = await startFakeKubernetes({
      objects: all('experiment-step'),
      token: TOKEN,
      answer: r =>
        r.path === '/apis/argoproj.io/v1alpha1/experiments'
          ? {
              status: 403,
              body: {
                kind: 'Status',
                reason: 'Forbidden',
                message: 'experiments.argoproj.io is forbidden',
              },
            }
          : undefined,
    });
    let now = 0;
    const provider = new ArgoRolloutsProvider({
      clusters: [cluster('prod-eu', server.url)],
      pollIntervalMs: 10_000,
      requestTimeoutMs: 2_000,
      now: () => now,
      logger: { warn: (message: string) => warnings.push(message) } as any,
    });
    env = {
      server,
      provider,
      advance() {},
      writes: () => [],
      tearDown: async () => {
        provider.stop();
        await server.stop();
      },
    };
    const read = () =>
      provider.listRollouts([target('prod-eu/jesse-test/canary-demo')]);
    const [result] = await read();
    if (!('releases' in result)) throw new Error(result.error);
    expect(result.releases[0]).toMatchObject({
      providerReleaseId: 'prod-eu/jesse-test/canary-demo@2',
      phase: 'progressing',
    });
    expect(result.releases[0].steps[0]).not.toHaveProperty('experiment');
    now += 10_000;
    await read();
    expect(warnings).toEqual([
      'Glidepath reads the Rollouts of cluster prod-eu without their Experiments: the backend\'s service account may not list experiments in all namespaces of cluster prod-eu: add the verb "list" on "experiments" (apiGroup "argoproj.io") to its ClusterRole (the API server said: experiments.argoproj.io is forbidden)',
    ]);
  });

  it('reports an InvalidSpec Rollout with no revision as a problem of the entity, not a release', async () => {
    // kubectl argo rollouts get rollout rollout-invalid:
    //   Status: ⚠ InvalidSpec ... Errors:
    //   * The Rollout "rollout-invalid" is invalid: spec.template.metadata.labels: ...
    const provider = await scenarioEnv([
      ...all('rollout-invalid'),
      ...all('experiment-analysis'),
    ]);
    const [invalid, other] = await provider.listRollouts([
      target('prod-eu/default/rollout-invalid'),
      target('prod-eu/jesse-test/rollout-experiment-analysis'),
    ]);
    expect(invalid).toEqual({
      entityRef: 'component:default/checkout',
      error:
        "Rollout default/rollout-invalid in cluster prod-eu: the controller rejected the Rollout's spec (InvalidSpec), so it has no revision and runs no pods: " +
        'The Rollout "rollout-invalid" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"doesnt-match"}: `selector` does not match template `labels`',
    });
    expect(other).toHaveProperty('releases');
    await expect(
      provider.describe(target('prod-eu/default/rollout-invalid')),
    ).rejects.toThrow(/InvalidSpec/);
  });
});
