import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import glidepathBackend from '@glidepath/backstage-plugin-backend';
import glidepathSandbox from '@glidepath/backstage-plugin-backend-module-sandbox';
import request from 'supertest';
import { DemoBackend, startDemoBackend } from './__testUtils__/demoBackend';
import { waitFor } from './__testUtils__/waitFor';

jest.setTimeout(120_000);

/**
 * Glidepath on the demo stack: real auth (users signed in from the demo
 * catalog, ownership from their groups), real catalog, the demo permission
 * policy, the Glidepath backend and the sandbox provider.
 */
describe('Glidepath on the demo portal backend', () => {
  let demo: DemoBackend;

  beforeAll(async () => {
    demo = await startDemoBackend(
      [
        // The real scheduler, so the sync and the analysis run on their
        // schedules as in the portal.
        schedulerServiceFactory,
        glidepathBackend,
        glidepathSandbox,
      ],
      {
        glidepath: {
          sync: { schedule: { frequency: { seconds: 2 }, timeout: '1m' } },
          analysis: {
            schedule: { frequency: { seconds: 2 }, timeout: '1m' },
            // As in the demo: the sandbox's simulated pods need no warm-up,
            // and its 15 s steps would be over before the default minute.
            policies: { default: { warmup: { seconds: 10 } } },
          },
          sandbox: {
            releaseInterval: '1m',
            stepDuration: '15s',
            // Healthy everywhere but two services whose every release is
            // faulty: the engine must roll those back and nothing else.
            faultRate: 0,
            faultRateByService: { 'search-service': 1, recommendations: 1 },
            // As in the demo: a fixed history for the graph's requirements.
            pinnedReleases: { 'promotions-service': ['1.4.2', '1.5.0'] },
          },
        },
      },
    );
  }, 180_000);

  async function summary(name: string, user = 'user:default/guest') {
    return request(demo.server)
      .get(`/api/glidepath/entities/component/default/${name}`)
      .set('Authorization', await demo.asUser(user));
  }

  /** The action once it has finished. */
  async function finished(actionId: string, auth: string, name: string) {
    return waitFor(
      `the rollback of ${name}`,
      async () => {
        const action = await request(demo.server)
          .get(`/api/glidepath/actions/${actionId}`)
          .set('Authorization', auth);
        return ['succeeded', 'failed'].includes(action.body.state)
          ? (action.body as { state: string; error: string | null })
          : undefined;
      },
      { timeoutMs: 30_000 },
    );
  }

  async function currentRelease(name: string) {
    return waitFor(
      `a sandbox release of ${name}`,
      async () => (await summary(name)).body.current ?? undefined,
      { timeoutMs: 60_000 },
    );
  }

  it('serves the sandbox releases of annotated demo services, labelled simulated', async () => {
    const current = await currentRelease('checkout-service');
    expect(current).toMatchObject({
      entityRef: 'component:default/checkout-service',
      provider: 'sandbox',
      simulated: true,
      strategy: 'canary',
    });
    const res = await summary('checkout-service');
    expect(res.body.provider).toMatchObject({
      id: 'sandbox',
      registered: true,
      simulated: true,
      stale: false,
    });
    expect(res.body.recent.length).toBeGreaterThan(1);
  });

  it("runs inventory-service's versions in staging before production (the sandbox's staging twin)", async () => {
    await currentRelease('inventory-service');
    const { body } = await summary('inventory-service');
    expect(
      body.environments.map((e: any) => [e.name, e.production, e.ref]),
    ).toEqual([
      ['staging', false, 'inventory-staging'],
      ['production', true, 'inventory-service'],
    ]);
    const [staging, production] = body.environments.map((e: any) => e.current);
    expect(staging).toMatchObject({ environment: 'staging', simulated: true });
    expect(production).toMatchObject({ environment: 'production' });
    expect(body.current.id).toBe(production.id);
    // Each version production ran, staging ran half an interval (30 s) earlier.
    const history = async (environment: string) =>
      (
        await request(demo.server)
          .get(
            `/api/glidepath/entities/component/default/inventory-service/releases?environment=${environment}&limit=50`,
          )
          .set('Authorization', await demo.asUser('user:default/guest'))
      ).body.items as Array<{ version: string; startedAt: string }>;
    const inStaging = new Map(
      (await history('staging')).map(r => [r.version, r.startedAt]),
    );
    const inProduction = await history('production');
    const shared = inProduction.filter(r => inStaging.has(r.version));
    expect(shared.length).toBeGreaterThan(3);
    for (const r of shared) {
      expect(
        Date.parse(r.startedAt) - Date.parse(inStaging.get(r.version)!),
      ).toBe(30_000);
    }
  });

  it('shows invalid annotations and unknown providers as problems, the rest unaffected', async () => {
    const returns = await summary('returns-service');
    expect(returns.status).toBe(200);
    expect(returns.body.problems).toEqual([
      expect.objectContaining({
        annotation: 'glidepath.dev/rollout',
        value: 'sandbox',
      }),
    ]);
    const refunds = await summary('refunds-service');
    expect(refunds.body.problems).toEqual([
      expect.objectContaining({
        annotation: 'glidepath.dev/strategy',
        message: expect.stringContaining('25 follows 50'),
      }),
    ]);
    const notifier = await summary('order-notifier');
    expect(notifier.body.problems[0].message).toContain(
      'no rollout provider "spinnaker" is installed',
    );
    await currentRelease('payments-gateway');
  });

  // checkout-service: team-checkout (guest, priya.nair); payments-gateway:
  // team-payments (jonas.weber); elena.petrova is a release admin.
  it.each([
    ['guest', 'user:default/guest', 'payments-gateway', 'rollback'],
    ['guest', 'user:default/guest', 'payments-gateway', 'pause'],
    [
      'a payments engineer',
      'user:default/jonas.weber',
      'checkout-service',
      'rollback',
    ],
    [
      'a storefront engineer',
      'user:default/maria.santos',
      'checkout-service',
      'abort',
    ],
  ])(
    'refuses %s (%s) on %s a %s (403); the release is untouched',
    async (_, user, name, action) => {
      const before = await currentRelease(name);
      const res = await request(demo.server)
        .post(`/api/glidepath/releases/${before.id}/actions`)
        .set('Authorization', await demo.asUser(user))
        .set('Idempotency-Key', `${user}-${name}-${action}`)
        .send({ action, reason: 'not my service' });
      expect(res.status).toBe(403);
      const after = await request(demo.server)
        .get(`/api/glidepath/releases/${before.id}`)
        .set('Authorization', await demo.asUser(user));
      expect(after.body.actions).toEqual([]);
    },
  );

  /** The users' profile display names in examples/org.yaml. */
  const DISPLAY_NAMES: Record<string, string> = {
    'user:default/guest': 'Guest (Checkout team)',
    'user:default/jonas.weber': 'Jonas Weber',
    'user:default/elena.petrova': 'Elena Petrova',
  };

  it.each([
    [
      'the guest (team-checkout)',
      'user:default/guest',
      ['checkout-service', 'cart-service', 'order-service', 'pricing-service'],
    ],
    [
      'a payments engineer',
      'user:default/jonas.weber',
      ['payments-gateway', 'fraud-detection', 'ledger-service'],
    ],
    [
      'a release admin',
      'user:default/elena.petrova',
      [
        'identity-service',
        'api-gateway',
        'inventory-service',
        'shipping-service',
      ],
    ],
  ])(
    'lets %s (%s) roll back one of %j; the release becomes rolled back',
    async (_, user, names) => {
      // The first service whose current release admits a rollback (the
      // sandbox's scripted history has some already rolled back). Its train
      // may start the next release between the read and the rollback, which
      // the sandbox then refuses (as Argo Rollouts would): the next one.
      const auth = await demo.asUser(user);
      let name = '';
      let release: { id: string } | undefined;
      let res: request.Response | undefined;
      let done: { state: string; error: string | null } | undefined;
      for (const candidate of names) {
        await currentRelease(candidate);
        const { body } = await summary(candidate, user);
        if (!body.allowedActions.includes('rollback')) continue;
        name = candidate;
        release = body.current;
        res = await request(demo.server)
          .post(`/api/glidepath/releases/${release!.id}/actions`)
          .set('Authorization', auth)
          .set('Idempotency-Key', `${user}-${name}-rollback`)
          .send({ action: 'rollback', reason: 'integration test' });
        expect(res.status).toBe(202);
        done = await finished(res.body.id, auth, name);
        if (
          done?.state === 'failed' &&
          /is progressing|has started since/.test(done.error ?? '')
        ) {
          continue;
        }
        break;
      }
      if (!release || !res) {
        throw new Error(`nothing to roll back among ${names}`);
      }
      // Recorded with the person's name from the demo catalog.
      expect(res.body.requestedBy).toEqual({
        kind: 'user',
        ref: user,
        displayName: DISPLAY_NAMES[user],
      });
      expect(done).toMatchObject({ state: 'succeeded', error: null });
      const detail = await request(demo.server)
        .get(`/api/glidepath/releases/${release.id}`)
        .set('Authorization', auth);
      expect(detail.body.release.phase).toBe('rolled_back');
      expect(detail.body.events.at(-1)).toMatchObject({
        type: 'phase_changed',
        toPhase: 'rolled_back',
      });
    },
  );

  it('rolls back faulty sandbox canaries by policy, with the evidence, and leaves healthy ones alone', async () => {
    const guest = await demo.asUser('user:default/guest');
    const rolledBack = await waitFor(
      'a faulty canary rolled back by the analysis engine',
      async () => {
        for (const name of ['search-service', 'recommendations']) {
          const { body } = await request(demo.server)
            .get(`/api/glidepath/entities/component/default/${name}/releases`)
            .set('Authorization', guest);
          for (const release of body.items ?? []) {
            const detail = await request(demo.server)
              .get(`/api/glidepath/releases/${release.id}`)
              .set('Authorization', guest);
            const analysis = detail.body.analyses?.find(
              (a: { decision: string }) => a.decision === 'rollback',
            );
            if (analysis && detail.body.release.phase === 'rolled_back') {
              return { detail: detail.body, analysis };
            }
          }
        }
        return undefined;
      },
      { timeoutMs: 200_000, intervalMs: 2_000 },
    );
    expect(rolledBack.analysis).toMatchObject({
      verdict: 'fail',
      metricsProvider: 'sandbox',
      simulated: true,
      policy: 'default',
    });
    expect(rolledBack.analysis.reason).toMatch(
      /^Rolled back .* automatically under the "default" policy: Canary /,
    );
    expect(rolledBack.detail.actions).toContainEqual(
      expect.objectContaining({
        action: 'rollback',
        state: 'succeeded',
        requestedBy: expect.objectContaining({ kind: 'policy' }),
        id: rolledBack.analysis.actionId,
      }),
    );

    // Healthy canaries were judged too, and never rolled back by the policy.
    const { body: checkout } = await request(demo.server)
      .get(
        '/api/glidepath/entities/component/default/checkout-service/releases',
      )
      .set('Authorization', guest);
    for (const release of checkout.items) {
      const { body } = await request(demo.server)
        .get(`/api/glidepath/releases/${release.id}`)
        .set('Authorization', guest);
      expect(
        body.analyses.filter(
          (a: { decision: string }) => a.decision === 'rollback',
        ),
      ).toEqual([]);
    }
  }, 240_000);

  it('draws the demo dependency graph from the real catalog, versions and requirements checked', async () => {
    const guest = await demo.asUser('user:default/guest');
    const promotions = 'component:default/promotions-service';
    const graph = await waitFor(
      'the graph with promotions-service deployed',
      async () => {
        const res = await request(demo.server)
          .get('/api/glidepath/graph')
          .query({ entity: promotions, depth: 1 })
          .set('Authorization', guest);
        expect(res.status).toBe(200);
        const node = res.body.nodes.find(
          (n: any) => n.entityRef === promotions,
        );
        return node?.deployments.length ? res : undefined;
      },
      { timeoutMs: 60_000 },
    );
    // The guest may read every entity: served from the shared catalog
    // snapshot, which costs one catalog call when it is (re)loaded.
    expect(graph.headers['server-timing']).toMatch(/desc="[01] calls"/);
    const refs = graph.body.nodes.map((n: any) => n.entityRef);
    expect(refs).toEqual(
      expect.arrayContaining([
        promotions,
        'component:default/pricing-service',
        'component:default/cart-service',
        'resource:default/pricing-db',
      ]),
    );
    const requirement = (from: string) =>
      graph.body.edges.find(
        (e: any) =>
          e.from === `component:default/${from}` && e.to === promotions,
      ).requirement;
    expect(requirement('pricing-service').status).toBe('satisfied');
    expect(requirement('cart-service')).toEqual(
      expect.objectContaining({
        status: 'broken',
        checks: [
          expect.objectContaining({ version: '1.5.0', status: 'broken' }),
        ],
      }),
    );

    const check = await request(demo.server)
      .post('/api/glidepath/graph/check')
      .send({ changes: [{ entityRef: promotions, version: '1.4.2' }] })
      .set('Authorization', guest);
    expect(check.status).toBe(200);
    expect(
      check.body.broken.map((v: any) => [v.from, v.alreadyBroken]),
    ).toEqual([
      ['component:default/cart-service', true],
      ['component:default/pricing-service', false],
    ]);

    const whole = await request(demo.server)
      .get('/api/glidepath/graph')
      .set('Authorization', guest);
    expect(whole.headers['server-timing']).toMatch(/desc="[01] calls"/);
    expect(whole.body.nodes.length).toBeGreaterThanOrEqual(37);
    expect(whole.body.releaseOrder.cycles).toEqual([]);
  });
});
