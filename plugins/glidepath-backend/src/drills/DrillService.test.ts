import { mockCredentials } from '@backstage/backend-test-utils';
import type { FaultInjectionRequest } from '@glidepath/backstage-plugin-node';
import request from 'supertest';
import { FakeRolloutProvider } from '../__testUtils__/FakeRolloutProvider';
import {
  component,
  startGlidepathTestBackend,
} from '../__testUtils__/glidepathTestBackend';

const OWNER = 'user:default/owner';
const owner = mockCredentials.user.header(OWNER);
const stranger = mockCredentials.user.header('user:default/stranger');
const ADMIN = 'user:default/admin';
const admin = mockCredentials.user.header(ADMIN);
const TEAM = 'group:default/team-checkout';

/** A simulated provider that can inject faults, as the sandbox does. */
class DrillableProvider extends FakeRolloutProvider {
  readonly simulated = true as never;
  readonly injected: FaultInjectionRequest[] = [];
  constructor() {
    super('sim');
  }
  async injectFault(req: FaultInjectionRequest) {
    this.injected.push(req);
    return {
      message: `next release of ${req.target.ref} carries ${req.fault}`,
    };
  }
}

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

async function setup() {
  const sim = new DrillableProvider();
  const real = new FakeRolloutProvider('real');
  const harness = await startGlidepathTestBackend({
    providers: [sim, real],
    entities: [
      component('sandboxed', TEAM, {
        'glidepath.dev/rollout':
          'staging=sim:sandboxed-staging; production=sim:sandboxed',
      }),
      component('prod-only', TEAM, {
        'glidepath.dev/rollout': 'sim:prod-only',
      }),
      component('real-prod', TEAM, {
        'glidepath.dev/rollout': 'real:real-prod',
      }),
    ],
    allow: (user, _resource, permission) => {
      if (user === ADMIN) return true;
      if (permission === 'glidepath.release.control') return user === OWNER;
      return permission !== 'glidepath.drill.production';
    },
  });
  running.push(harness.stop);
  const drill = (name: string, body: object, auth = owner) =>
    request(harness.server)
      .post(`/api/glidepath/entities/component/default/${name}/drills`)
      .set('Authorization', auth)
      .send(body);
  return { ...harness, sim, drill };
}

describe('rollback drills', () => {
  it('injects the fault into the next staging release through the provider, recorded and audited', async () => {
    const h = await setup();
    const response = await h.drill('sandboxed', {
      fault: 'latency',
      reason: 'game day',
    });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      entityRef: 'component:default/sandboxed',
      provider: 'sim',
      simulated: true,
      fault: 'latency',
      environment: 'staging',
      message: 'next release of sandboxed-staging carries latency',
      drill: {
        entityRef: 'component:default/sandboxed',
        environment: 'staging',
        fault: 'latency',
        state: 'waiting',
        gameDayId: null,
        productionOverride: null,
        requestedBy: { kind: 'user', ref: OWNER },
      },
    });
    expect(h.sim.injected).toEqual([
      expect.objectContaining({
        fault: 'latency',
        reason: 'game day',
        actor: { kind: 'user', ref: OWNER },
        target: expect.objectContaining({ ref: 'sandboxed-staging' }),
      }),
    ]);
    const history = await request(h.server)
      .get('/api/glidepath/entities/component/default/sandboxed/drill-history')
      .set('Authorization', stranger);
    expect(history.body.items).toEqual([response.body.drill]);
    expect(h.auditEvents).toContainEqual(
      expect.objectContaining({ eventId: 'release-drill', outcome: 'success' }),
    );
  });

  it.each([
    [
      'sandboxed',
      { fault: 'latency', reason: 'x' },
      stranger,
      403,
      'You are not allowed to run drills on releases of component:default/sandboxed',
    ],
    [
      'ghost',
      { fault: 'latency', reason: 'x' },
      owner,
      404,
      'No entity component:default/ghost in the catalog',
    ],
    ['sandboxed', { fault: 'meteor', reason: 'x' }, owner, 400, 'fault'],
    [
      'sandboxed',
      { fault: 'latency', reason: '  ' },
      owner,
      400,
      'The reason must not be blank',
    ],
    [
      'real-prod',
      { fault: 'latency', reason: 'x' },
      owner,
      409,
      'The real rollout provider cannot inject faults',
    ],
    [
      'sandboxed',
      { fault: 'latency', reason: 'x', environment: 'production' },
      owner,
      409,
      'production is a production environment of component:default/sandboxed: drills there are refused unless an admin overrides with a reason (productionOverride)',
    ],
    [
      'prod-only',
      { fault: 'latency', reason: 'x' },
      admin,
      409,
      'production is a production environment of component:default/prod-only',
    ],
    [
      'prod-only',
      { fault: 'latency', reason: 'x', productionOverride: { reason: 'ok' } },
      owner,
      403,
      'Only admins (glidepath.drill.production) may run drills in the production environment production of component:default/prod-only',
    ],
    [
      'prod-only',
      { fault: 'latency', reason: 'x', productionOverride: { reason: ' ' } },
      admin,
      400,
      'productionOverride.reason must not be blank',
    ],
    [
      'sandboxed',
      { fault: 'latency', reason: 'x', environment: 'qa' },
      owner,
      409,
      'names no target for the environment "qa"',
    ],
  ])('refuses %s %j', async (name, body, auth, status, message) => {
    const h = await setup();
    const response = await h.drill(name, body, auth);
    expect(response.status).toBe(status);
    expect(response.body.error.message).toContain(message);
    expect(h.sim.injected).toEqual([]);
  });

  it('runs a drill in production when an admin overrides with a reason, audited high', async () => {
    const h = await setup();
    const response = await h.drill(
      'prod-only',
      {
        fault: 'error-rate',
        reason: 'the quarterly drill',
        productionOverride: { reason: 'the CTO asked for it' },
      },
      admin,
    );
    expect(response.body.error?.message).toBeUndefined();
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      environment: 'production',
      drill: {
        environment: 'production',
        productionOverride: {
          by: { kind: 'user', ref: ADMIN },
          reason: 'the CTO asked for it',
        },
      },
    });
    expect(h.sim.injected).toHaveLength(1);
    expect(h.auditEvents).toContainEqual(
      expect.objectContaining({
        eventId: 'release-drill',
        outcome: 'success',
        meta: expect.objectContaining({
          productionOverride: 'the CTO asked for it',
        }),
      }),
    );
  });
});
