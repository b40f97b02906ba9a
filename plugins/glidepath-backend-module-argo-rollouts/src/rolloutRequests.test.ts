/**
 * Contract tests against a local HTTP server that speaks the Kubernetes REST
 * paths, loaded with the real objects of the shared fixtures. They check the
 * exact requests each action sends (the mapping end to end is checked in
 * ArgoRolloutsProvider.test.ts). They do not run Kubernetes or the Argo
 * Rollouts controller: whether the controller then does what the patch asks
 * is the plugin's semantics, not tested here.
 */
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  RolloutActionRequest,
  RolloutTarget,
} from '@glidepath/backstage-plugin-node';
import { editedFixture, fixture } from './__testUtils__/fixtures';
import {
  ROLLOUTS,
  setUp,
  target,
  type ProviderEnv,
} from './__testUtils__/providerEnv';

let env: ProviderEnv;
afterEach(async () => {
  await env?.tearDown();
});

function action(
  t: RolloutTarget,
  providerReleaseId: string,
  type: RolloutActionRequest['action'],
): RolloutActionRequest {
  return {
    target: t,
    providerReleaseId,
    action: type,
    reason: 'test',
    actor: { kind: 'user', ref: 'user:default/ada' },
    signal: new AbortController().signal,
  };
}

const CANARY = target('prod-eu/jesse-test/canary-demo');
const BLUE_GREEN = target('prod-eu/jesse-test/bluegreen-demo');
const ABORTED = target('prod-eu/default/rollout-background-analysis');

function request(
  method: string,
  path: string,
  contentType?: string,
  body?: unknown,
) {
  return expect.objectContaining({ method, path, contentType, body });
}

describe('performAction', () => {
  it('abort: a merge patch of the status subresource', async () => {
    env = await setUp();
    const result = await env.provider.performAction(
      action(CANARY, 'prod-eu/jesse-test/canary-demo@31', 'abort'),
    );
    expect(env.server.requests).toEqual([
      request('GET', `${ROLLOUTS}/canary-demo`),
      request(
        'PATCH',
        `${ROLLOUTS}/canary-demo/status`,
        'application/merge-patch+json',
        { status: { abort: true } },
      ),
    ]);
    expect(result.message).toBe(
      'aborted rollout jesse-test/canary-demo: traffic goes back to the stable ReplicaSet (877894d5b); spec.template still names the new version in cluster prod-eu',
    );
    expect(
      (
        env.server.object('rollouts', 'jesse-test', 'canary-demo')!
          .status as any
      ).abort,
    ).toBe(true);
  });

  it('abort without status subresource (Argo Rollouts v0.9): falls back to the main resource', async () => {
    env = await setUp({ statusSubresource: false });
    await env.provider.performAction(
      action(CANARY, 'prod-eu/jesse-test/canary-demo@31', 'abort'),
    );
    expect(env.server.requests.slice(1)).toEqual([
      request(
        'PATCH',
        `${ROLLOUTS}/canary-demo/status`,
        'application/merge-patch+json',
        { status: { abort: true } },
      ),
      request(
        'PATCH',
        `${ROLLOUTS}/canary-demo`,
        'application/merge-patch+json',
        { status: { abort: true } },
      ),
    ]);
  });

  it.each(
    (
      [
        [
          'retry',
          ABORTED,
          'prod-eu/default/rollout-background-analysis@2',
          [
            request(
              'PATCH',
              '/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/rollout-background-analysis/status',
              'application/merge-patch+json',
              { status: { abort: false } },
            ),
          ],
        ],
        [
          'pause',
          CANARY,
          'prod-eu/jesse-test/canary-demo@31',
          [
            request(
              'PATCH',
              `${ROLLOUTS}/canary-demo`,
              'application/merge-patch+json',
              { spec: { paused: true } },
            ),
          ],
        ],
        // canary-demo has no pause conditions: promote steps past step 0.
        [
          'promote',
          CANARY,
          'prod-eu/jesse-test/canary-demo@31',
          [
            request(
              'PATCH',
              `${ROLLOUTS}/canary-demo/status`,
              'application/merge-patch+json',
              { status: { pauseConditions: null, currentStepIndex: 1 } },
            ),
          ],
        ],
        // bluegreen-demo is held by a BlueGreenPause condition.
        [
          'promote',
          BLUE_GREEN,
          'prod-eu/jesse-test/bluegreen-demo@11',
          [
            request(
              'PATCH',
              `${ROLLOUTS}/bluegreen-demo/status`,
              'application/merge-patch+json',
              { status: { pauseConditions: null } },
            ),
          ],
        ],
        [
          'resume',
          BLUE_GREEN,
          'prod-eu/jesse-test/bluegreen-demo@11',
          [
            request(
              'PATCH',
              `${ROLLOUTS}/bluegreen-demo/status`,
              'application/merge-patch+json',
              { status: { pauseConditions: null } },
            ),
          ],
        ],
        // Resume never steps past a step: canary-demo is not paused, nothing is sent.
        ['resume', CANARY, 'prod-eu/jesse-test/canary-demo@31', []],
        // rollback while the canary is in progress: abort.
        [
          'rollback',
          CANARY,
          'prod-eu/jesse-test/canary-demo@31',
          [
            request(
              'PATCH',
              `${ROLLOUTS}/canary-demo/status`,
              'application/merge-patch+json',
              { status: { abort: true } },
            ),
          ],
        ],
      ] as const
    ).map(([type, t, id, expected]) => [type, id, t, expected] as const),
  )('%s of %s: exactly these requests', async (type, id, t, expected) => {
    env = await setUp();
    await env.provider.performAction(action(t, id, type));
    expect(env.server.requests[0]).toEqual(
      request(
        'GET',
        `/apis/argoproj.io/v1alpha1/namespaces/${id.split('/')[1]}/rollouts/${
          id.split('/')[2].split('@')[0]
        }`,
      ),
    );
    expect(env.server.requests.slice(1)).toEqual(expected);
  });

  it("rollback of an aborted update: the stable revision's template written back", async () => {
    env = await setUp();
    const result = await env.provider.performAction(
      action(
        ABORTED,
        'prod-eu/default/rollout-background-analysis@2',
        'rollback',
      ),
    );
    const stableTemplate = structuredClone(
      (fixture('rollout-aborted/rs2.yaml').spec as any).template,
    );
    delete stableTemplate.metadata.labels['rollouts-pod-template-hash'];
    expect(env.server.requests.slice(1)).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/apis/apps/v1/namespaces/default/replicasets',
        query: expect.objectContaining({
          labelSelector: 'app=rollout-background-analysis',
        }),
      }),
      expect.objectContaining({
        method: 'GET',
        path: '/apis/apps/v1/namespaces/default/replicasets',
      }),
      request(
        'PATCH',
        '/apis/argoproj.io/v1alpha1/namespaces/default/rollouts/rollout-background-analysis',
        'application/json-patch+json',
        [{ op: 'replace', path: '/spec/template', value: stableTemplate }],
      ),
    ]);
    expect(result.message).toBe(
      'rolled rollout default/rollout-background-analysis back to revision 1 in cluster prod-eu',
    );
    const spec = env.server.object(
      'rollouts',
      'default',
      'rollout-background-analysis',
    )!.spec as any;
    expect(spec.template.spec.containers[0].image).toBe(
      'argoproj/rollouts-demo:blue',
    );
  });

  it('promote of a manually paused rollout without status subresource sends the unified patch', async () => {
    env = await setUp({ statusSubresource: false });
    env.server.put(
      editedFixture('blue-green/bluegreen-rollout.yaml', o => {
        o.spec.paused = true;
      }),
    );
    await env.provider.performAction(
      action(BLUE_GREEN, 'prod-eu/jesse-test/bluegreen-demo@11', 'promote'),
    );
    expect(env.server.requests.slice(1)).toEqual([
      request(
        'PATCH',
        `${ROLLOUTS}/bluegreen-demo/status`,
        'application/merge-patch+json',
        { status: { pauseConditions: null } },
      ),
      request(
        'PATCH',
        `${ROLLOUTS}/bluegreen-demo`,
        'application/merge-patch+json',
        { spec: { paused: false }, status: { pauseConditions: null } },
      ),
    ]);
  });

  it('403 on the status subresource names the verb, the resource and the namespace', async () => {
    env = await setUp({
      answer: r =>
        r.method === 'PATCH'
          ? {
              status: 403,
              body: {
                kind: 'Status',
                reason: 'Forbidden',
                message: 'rollouts.argoproj.io "canary-demo" is forbidden',
              },
            }
          : undefined,
    });
    const promise = env.provider.performAction(
      action(CANARY, 'prod-eu/jesse-test/canary-demo@31', 'abort'),
    );
    await expect(promise).rejects.toThrow(NotAllowedError);
    await expect(promise).rejects.toThrow(
      'the backend\'s service account may not patch rollouts/status in namespace jesse-test of cluster prod-eu: add the verb "patch" on "rollouts/status" (apiGroup "argoproj.io") to its ClusterRole',
    );
  });

  it('404: the rollout and the cluster named', async () => {
    env = await setUp();
    const promise = env.provider.performAction(
      action(
        target('prod-eu/jesse-test/gone'),
        'prod-eu/jesse-test/gone@3',
        'pause',
      ),
    );
    await expect(promise).rejects.toThrow(NotFoundError);
    await expect(promise).rejects.toThrow(
      'Rollout jesse-test/gone not found in cluster prod-eu',
    );
  });

  it('409: read again and retried, a bounded number of times', async () => {
    let conflicts = 1;
    env = await setUp({
      answer: r =>
        r.method === 'PATCH' && conflicts-- > 0
          ? {
              status: 409,
              body: {
                kind: 'Status',
                reason: 'Conflict',
                message: 'the object has been modified',
              },
            }
          : undefined,
    });
    await env.provider.performAction(
      action(CANARY, 'prod-eu/jesse-test/canary-demo@31', 'pause'),
    );
    expect(env.server.requests.map(r => r.method)).toEqual([
      'GET',
      'PATCH',
      'GET',
      'PATCH',
    ]);

    await env.tearDown();
    env = await setUp({
      answer: r =>
        r.method === 'PATCH'
          ? {
              status: 409,
              body: {
                kind: 'Status',
                reason: 'Conflict',
                message: 'the object has been modified',
              },
            }
          : undefined,
    });
    const promise = env.provider.performAction(
      action(CANARY, 'prod-eu/jesse-test/canary-demo@31', 'pause'),
    );
    await expect(promise).rejects.toThrow(ConflictError);
    await expect(promise).rejects.toThrow(
      'Rollout jesse-test/canary-demo changed while Glidepath wrote to it in cluster prod-eu',
    );
    // One read and one patch, then three more on fresh reads.
    expect(env.server.requests.map(r => r.method)).toEqual([
      'GET',
      'PATCH',
      'GET',
      'PATCH',
      'GET',
      'PATCH',
      'GET',
      'PATCH',
    ]);
  });

  it("refuses a release that is no longer the current revision, or not the target's", async () => {
    env = await setUp();
    await expect(
      env.provider.performAction(
        action(CANARY, 'prod-eu/jesse-test/canary-demo@30', 'promote'),
      ),
    ).rejects.toThrow(
      new ConflictError(
        'revision 30 of Rollout jesse-test/canary-demo is no longer its current one (that is revision 31): act on the current release',
      ),
    );
    await expect(
      env.provider.performAction(
        action(CANARY, 'prod-eu/jesse-test/bluegreen-demo@11', 'promote'),
      ),
    ).rejects.toThrow(InputError);
    expect(env.server.requests.filter(r => r.method === 'PATCH')).toHaveLength(
      0,
    );
  });
});

describe('promoteFull and undo', () => {
  it('promoteFull: {"status":{"promoteFull":true}}', async () => {
    env = await setUp();
    await env.provider.promoteFull(CANARY, 'prod-eu/jesse-test/canary-demo@31');
    expect(env.server.requests.slice(1)).toEqual([
      request(
        'PATCH',
        `${ROLLOUTS}/canary-demo/status`,
        'application/merge-patch+json',
        { status: { promoteFull: true } },
      ),
    ]);
  });

  it('undo to a given revision; skipped when the template already matches', async () => {
    env = await setUp();
    const skipped = await env.provider.undo(
      CANARY,
      'prod-eu/jesse-test/canary-demo@31',
      { toRevision: 31 },
    );
    expect(skipped.message).toBe(
      'skipped the rollback of rollout jesse-test/canary-demo: its template already matches revision 31 in cluster prod-eu',
    );
    expect(env.server.requests.filter(r => r.method === 'PATCH')).toHaveLength(
      0,
    );

    await env.provider.undo(CANARY, 'prod-eu/jesse-test/canary-demo@31', {
      toRevision: 29,
    });
    const patch = env.server.requests.find(r => r.method === 'PATCH')!;
    expect(patch).toMatchObject({
      path: `${ROLLOUTS}/canary-demo`,
      contentType: 'application/json-patch+json',
    });
    expect((patch.body as any)[0].value.spec.containers[0].image).toBe(
      'argoproj/rollouts-demo:asdf',
    );
    expect((patch.body as any)[0].value.metadata.labels).toEqual({
      app: 'canary-demo',
    });

    await expect(
      env.provider.undo(CANARY, 'prod-eu/jesse-test/canary-demo@31', {
        toRevision: 7,
      }),
    ).rejects.toThrow(
      'rollout jesse-test/canary-demo has no revision 7 (it has 31, 30, 29)',
    );
  });

  it('undo of a workloadRef rollout patches the referenced Deployment', async () => {
    env = await setUp();
    await env.provider.undo(
      target('prod-eu/jesse-test/canary-demo-workloadRef-deploy'),
      'prod-eu/jesse-test/canary-demo-workloadRef-deploy@31',
    );
    const patch = env.server.requests.find(r => r.method === 'PATCH')!;
    expect(patch).toMatchObject({
      path: '/apis/apps/v1/namespaces/jesse-test/deployments/canary-demo-deploy',
      contentType: 'application/json-patch+json',
      body: [
        {
          op: 'replace',
          path: '/spec/template',
          value: expect.objectContaining({
            spec: expect.objectContaining({
              containers: [
                expect.objectContaining({
                  image: 'argoproj/rollouts-demo:green',
                }),
              ],
            }),
          }),
        },
      ],
    });
  });
});
