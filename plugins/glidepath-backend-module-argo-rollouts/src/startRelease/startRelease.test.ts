/**
 * Contract tests of `startRelease` against the local HTTP server that
 * speaks the Kubernetes REST paths, loaded with the real objects of the
 * shared fixtures: the exact requests `kubectl argo rollouts set image`
 * sends (a GET, then a PUT of the whole object as JSON at the
 * resourceVersion read, retried on a conflict). No controller runs: that
 * it then rolls the new template out is Argo Rollouts' part.
 */
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type {
  RolloutTarget,
  StartReleaseRequest,
} from '@glidepath/backstage-plugin-node';
import { editedFixture, fixture } from '../__testUtils__/fixtures';
import {
  ROLLOUTS,
  setUp,
  target,
  type ProviderEnv,
} from '../__testUtils__/providerEnv';

let env: ProviderEnv;
afterEach(async () => {
  await env?.tearDown();
});

const CANARY = target('prod-eu/jesse-test/canary-demo');
const DEPLOYMENTS = '/apis/apps/v1/namespaces/jesse-test/deployments';

function start(
  t: RolloutTarget,
  overrides: Partial<StartReleaseRequest> = {},
): StartReleaseRequest {
  return {
    target: t,
    version: '7.0.0',
    idempotencyKey: 'plan-3/wave-1/checkout',
    reason: 'release plan 3, wave 1',
    actor: { kind: 'user', ref: 'user:default/ada' },
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** The requests for one object: not the lists the cache reads after a write. */
function sent() {
  return env.server.requests.filter(r => r.query.limit === undefined);
}

function request(
  method: string,
  path: string,
  contentType?: string,
  body?: unknown,
) {
  return expect.objectContaining({ method, path, contentType, body });
}

describe('startRelease', () => {
  it('sends what `kubectl argo rollouts set image` sends: a GET, then a PUT of the whole Rollout with the image changed', async () => {
    env = await setUp();
    const result = await env.provider.startRelease(start(CANARY));
    const expected = editedFixture('canary/canary-rollout.yaml', o => {
      o.spec.template.spec.containers[0].image = 'argoproj/rollouts-demo:7.0.0';
      o.metadata.annotations['glidepath.dev/start-key'] =
        'plan-3/wave-1/checkout';
    });
    expect(sent()).toEqual([
      request('GET', `${ROLLOUTS}/canary-demo`),
      request('PUT', `${ROLLOUTS}/canary-demo`, 'application/json', expected),
    ]);
    // at the resourceVersion it was read at
    expect((expected.metadata as any).resourceVersion).toBe('28253567');
    expect(result.message).toBe(
      'set the image of container "canary-demo" of Rollout jesse-test/canary-demo to argoproj/rollouts-demo:7.0.0 (was argoproj/rollouts-demo:does-not-exist) in cluster prod-eu',
    );
    const stored = env.server.object('rollouts', 'jesse-test', 'canary-demo')!;
    expect((stored.spec as any).template.spec.containers[0].image).toBe(
      'argoproj/rollouts-demo:7.0.0',
    );
    // the status is the controller's: untouched
    expect(stored.status).toEqual(fixture('canary/canary-rollout.yaml').status);
  });

  it('writes nothing again for the same key, nor for the image it already has', async () => {
    env = await setUp();
    await env.provider.startRelease(start(CANARY));
    env.server.requests.length = 0;
    const again = await env.provider.startRelease(start(CANARY));
    expect(again.message).toBe(
      'Rollout jesse-test/canary-demo was already started with the key "plan-3/wave-1/checkout"; nothing to do in cluster prod-eu',
    );
    const sameImage = await env.provider.startRelease(
      start(CANARY, { idempotencyKey: 'another' }),
    );
    expect(sameImage.message).toMatch(
      /already is argoproj\/rollouts-demo:7\.0\.0: it runs 7\.0\.0 or is on its way to it; nothing to do in cluster prod-eu$/,
    );
    expect(sent().map(r => r.method)).toEqual(['GET', 'GET']);
  });

  it('sets the image of the Deployment a workloadRef names', async () => {
    env = await setUp();
    await env.provider.startRelease(
      start(target('prod-eu/jesse-test/canary-demo-workloadRef-deploy')),
    );
    expect(sent()).toEqual([
      request('GET', `${ROLLOUTS}/canary-demo-workloadRef-deploy`),
      request('GET', `${DEPLOYMENTS}/canary-demo-deploy`),
      request(
        'PUT',
        `${DEPLOYMENTS}/canary-demo-deploy`,
        'application/json',
        editedFixture('canary/canary-ref-deploy.yaml', o => {
          o.spec.template.spec.containers[0].image =
            'argoproj/rollouts-demo:7.0.0';
          o.metadata.annotations = {
            'glidepath.dev/start-key': 'plan-3/wave-1/checkout',
          };
        }),
      ),
    ]);
  });

  it('reads again and retries when the Rollout changed between the read and the write', async () => {
    let conflicts = 1;
    env = await setUp({
      answer: r => {
        if (r.method === 'PUT' && conflicts > 0) {
          conflicts -= 1;
          // another writer got there first
          env.server.bumpResourceVersion();
          return {
            status: 409,
            body: {
              kind: 'Status',
              status: 'Failure',
              reason: 'Conflict',
              message: 'the object has been modified',
              code: 409,
            },
          };
        }
        return undefined;
      },
    });
    await env.provider.startRelease(start(CANARY));
    expect(sent().map(r => `${r.method} ${r.path}`)).toEqual([
      `GET ${ROLLOUTS}/canary-demo`,
      `PUT ${ROLLOUTS}/canary-demo`,
      `GET ${ROLLOUTS}/canary-demo`,
      `PUT ${ROLLOUTS}/canary-demo`,
    ]);
  });

  it('sends the resourceVersion it read, so a stale write is refused by the API server', async () => {
    env = await setUp();
    const stale = fixture('canary/canary-rollout.yaml');
    (stale.metadata as any).resourceVersion = '1';
    const response = await fetch(`${env.server.url}${ROLLOUTS}/canary-demo`, {
      method: 'PUT',
      headers: {
        Authorization: 'Bearer s3cret-token',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(stale),
    });
    // (the fake enforces it as the API server does)
    expect(response.status).toBe(409);
  });

  it('names the container of glidepath.dev/container, and refuses one the Rollout does not have', async () => {
    env = await setUp();
    await expect(
      env.provider.startRelease(
        start(
          target('prod-eu/jesse-test/canary-demo', {
            'glidepath.dev/container': 'web',
          }),
        ),
      ),
    ).rejects.toThrow(
      new InputError(
        'Rollout jesse-test/canary-demo has no container named "web" (it has "canary-demo"): fix the entity\'s glidepath.dev/container annotation',
      ),
    );
    await env.provider.startRelease(
      start(
        target('prod-eu/jesse-test/canary-demo', {
          'glidepath.dev/container': 'canary-demo',
        }),
      ),
    );
    expect(sent().filter(r => r.method === 'PUT')).toHaveLength(1);
  });

  it('finds the one Rollout of a kubernetes-id, and refuses to choose between several', async () => {
    env = await setUp();
    const storefront = target('prod-eu', {
      'backstage.io/kubernetes-id': 'storefront',
    });
    await env.provider.startRelease(start(storefront));
    expect(
      sent()
        .filter(r => r.method === 'PUT')
        .map(r => r.path),
    ).toEqual([`${ROLLOUTS}/bluegreen-demo`]);

    await env.tearDown();
    env = await setUp();
    env.server.put(
      editedFixture('canary/canary-rollout.yaml', o => {
        o.metadata.labels['backstage.io/kubernetes-id'] = 'storefront';
      }),
    );
    await expect(env.provider.startRelease(start(storefront))).rejects.toThrow(
      '"argo-rollouts:prod-eu" names 2 Rollouts (prod-eu/jesse-test/bluegreen-demo, prod-eu/jesse-test/canary-demo): Glidepath cannot tell which one to release 7.0.0 on; name one as <cluster>/<namespace>/<name>',
    );
    expect(sent().filter(r => r.method === 'PUT')).toEqual([]);
  });

  it('refuses a version that cannot be a tag before sending anything', async () => {
    env = await setUp();
    await expect(
      env.provider.startRelease(start(CANARY, { version: '7.0.0+build.1' })),
    ).rejects.toThrow(InputError);
    expect(sent()).toEqual([]);
  });

  it('explains a 403 (the verb to grant) and a 404', async () => {
    env = await setUp({
      answer: r =>
        r.method === 'PUT'
          ? {
              status: 403,
              body: { kind: 'Status', reason: 'Forbidden', message: 'no' },
            }
          : undefined,
    });
    await expect(env.provider.startRelease(start(CANARY))).rejects.toThrow(
      new NotAllowedError(
        `the backend's service account may not update rollouts in namespace jesse-test of cluster prod-eu: add the verb "update" on "rollouts" (apiGroup "argoproj.io") to its ClusterRole (the API server said: no)`,
      ),
    );
    await expect(
      env.provider.startRelease(start(target('prod-eu/jesse-test/nowhere'))),
    ).rejects.toThrow(
      new NotFoundError(
        'Rollout jesse-test/nowhere not found in cluster prod-eu',
      ),
    );
  });
});
