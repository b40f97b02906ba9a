import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import glidepathBackend from '@glidepath/backstage-plugin-backend';
import glidepathSandbox from '@glidepath/backstage-plugin-backend-module-sandbox';
import request from 'supertest';
import { DemoBackend, startDemoBackend } from './__testUtils__/demoBackend';
import { waitFor } from './__testUtils__/waitFor';

jest.setTimeout(300_000);

/**
 * Release plans on the demo stack with the sandbox as their provider: the
 * real plan executor calls the sandbox's `startRelease`, the releases it
 * starts come back through the sync as releases of the plan's versions, the
 * train leaves them alone, and a faulty wave 2 is rolled back by the
 * analysis and wave 1 after it. What the plan executor decides is tested in
 * the backend; this is the provider's side of the contract, end to end.
 */
describe('release plans on the sandbox', () => {
  let demo: DemoBackend;
  const ADMIN = 'user:default/elena.petrova';

  beforeAll(async () => {
    demo = await startDemoBackend(
      [schedulerServiceFactory, glidepathBackend, glidepathSandbox],
      {
        glidepath: {
          sync: { schedule: { frequency: { seconds: 2 }, timeout: '1m' } },
          analysis: {
            schedule: { frequency: { seconds: 2 }, timeout: '1m' },
            policies: { default: { warmup: { seconds: 10 } } },
          },
          plans: {
            schedule: { frequency: { seconds: 2 }, timeout: '1m' },
          },
          sandbox: {
            releaseInterval: '1m',
            stepDuration: '15s',
            faultRate: 0,
            // Every release of cart-service is faulty, those a plan starts
            // too: its wave fails.
            faultRateByService: { 'cart-service': 1 },
            pinnedReleases: { 'promotions-service': ['1.4.2', '1.5.0'] },
            // Restores are quick and reliable here.
            rollbackFailureShare: 0,
          },
        },
      },
    );
  }, 180_000);

  async function createPlan(body: object, key: string) {
    const res = await request(demo.server)
      .post('/api/glidepath/plans')
      .set('Authorization', await demo.asUser(ADMIN))
      .set('Idempotency-Key', key)
      .send(body);
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`POST /plans: ${res.status} ${res.text}`);
    }
    return res.body as { id: string };
  }

  async function plan(id: string) {
    const res = await request(demo.server)
      .get(`/api/glidepath/plans/${id}`)
      .set('Authorization', await demo.asUser(ADMIN));
    return res.body;
  }

  async function releases(name: string) {
    const res = await request(demo.server)
      .get(`/api/glidepath/entities/component/default/${name}/releases`)
      .set('Authorization', await demo.asUser('user:default/guest'));
    return (res.body.items ?? res.body) as Array<{
      id: string;
      providerRef: string;
      version: string;
      phase: string;
      startedAt: string;
      startedBy: { kind: string; ref: string };
      simulated: boolean;
    }>;
  }

  it('starts each wave through the sandbox, in dependency order, and the releases complete', async () => {
    const { id } = await createPlan(
      {
        title: 'Orders 50',
        members: [
          {
            entityRef: 'component:default/checkout-service',
            version: '50.0.0',
            environment: 'production',
          },
          {
            entityRef: 'component:default/order-service',
            version: '50.0.0',
            environment: 'production',
          },
        ],
        gates: {
          soakMinutes: 0,
          analysisPassed: false,
          checklistItems: [],
          rollbackTestPassed: false,
        },
        failurePolicy: 'halt',
        overrideReason: 'integration test of the sandbox as a plan provider',
      },
      'plans-on-sandbox-1',
    );
    const done = await waitFor(
      'the plan to finish',
      async () => {
        const p = await plan(id);
        return ['succeeded', 'failed', 'rolled_back', 'aborted'].includes(
          p.state,
        )
          ? p
          : undefined;
      },
      { timeoutMs: 240_000 },
    );
    // (the reason shows on a failure)
    expect([done.state, done.stateReason]).toEqual([
      'succeeded',
      done.stateReason,
    ]);
    const byName = Object.fromEntries(
      done.members.map((m: any) => [m.entityRef.split('/')[1], m]),
    );
    expect(byName['order-service'].wave).toBeLessThan(
      byName['checkout-service'].wave,
    );
    for (const name of ['order-service', 'checkout-service']) {
      const started = (await releases(name)).find(
        r => r.id === byName[name].releaseId,
      );
      expect(started).toMatchObject({
        version: '50.0.0',
        phase: 'succeeded',
        providerRef: expect.stringMatching(
          new RegExp(`^${name}@50\\.0\\.0\\+start\\.\\d+$`),
        ),
        simulated: true,
        // started by the plan, through the sandbox
        startedBy: { kind: 'policy', ref: 'release-plan' },
      });
      expect(byName[name].mode).toBe('provider');
    }
    // Dependencies first: checkout's release started after order's ended.
    expect(Date.parse(byName['checkout-service'].startedAt)).toBeGreaterThan(
      Date.parse(byName['order-service'].startedAt),
    );
  });

  it('rolls back a faulty wave 2 and then wave 1 (rollback-all)', async () => {
    const { id } = await createPlan(
      {
        title: 'Cart 3',
        members: [
          {
            entityRef: 'component:default/cart-service',
            version: '3.0.0',
            environment: 'production',
          },
          {
            entityRef: 'component:default/promotions-service',
            version: '2.0.0',
            environment: 'production',
          },
        ],
        gates: {
          soakMinutes: 0,
          analysisPassed: false,
          checklistItems: [],
          rollbackTestPassed: false,
        },
        failurePolicy: 'rollback-all',
        overrideReason: 'integration test: pricing-service requires <2',
      },
      'plans-on-sandbox-2',
    );
    const done = await waitFor(
      'the plan to end',
      async () => {
        const p = await plan(id);
        return ['succeeded', 'failed', 'rolled_back', 'aborted'].includes(
          p.state,
        )
          ? p
          : undefined;
      },
      { timeoutMs: 280_000 },
    );
    const byName = Object.fromEntries(
      done.members.map((m: any) => [m.entityRef.split('/')[1], m]),
    );
    expect(byName['promotions-service'].wave).toBeLessThan(
      byName['cart-service'].wave,
    );
    expect([done.state, done.stateReason]).toEqual([
      'rolled_back',
      done.stateReason,
    ]);
    // cart's own release was rolled back by its analysis; promotions'
    // succeeded one by the plan, which restored 1.5.0.
    const promotions = await releases('promotions-service');
    expect(
      promotions.find(r => r.id === byName['promotions-service'].releaseId),
    ).toMatchObject({ version: '2.0.0', phase: 'rolled_back' });
    expect(
      (await releases('cart-service')).find(
        r => r.id === byName['cart-service'].releaseId,
      ),
    ).toMatchObject({ version: '3.0.0', phase: 'rolled_back' });
  });
});
