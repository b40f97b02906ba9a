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
        'glidepath.dev/rollout': 'sim:sandboxed',
      }),
      component('real-prod', TEAM, {
        'glidepath.dev/rollout': 'real:real-prod',
      }),
    ],
    allow: (user, _resource, permission) =>
      permission === 'glidepath.release.control' ? user === OWNER : true,
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
  it('injects the fault into the next release through the provider, audited', async () => {
    const h = await setup();
    const response = await h.drill('sandboxed', {
      fault: 'latency',
      reason: 'game day',
    });
    expect(response.status).toBe(202);
    expect(response.body).toEqual({
      entityRef: 'component:default/sandboxed',
      provider: 'sim',
      simulated: true,
      fault: 'latency',
      message: 'next release of sandboxed carries latency',
    });
    expect(h.sim.injected).toEqual([
      expect.objectContaining({
        fault: 'latency',
        reason: 'game day',
        actor: { kind: 'user', ref: OWNER },
      }),
    ]);
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
  ])('refuses %s %j', async (name, body, auth, status, message) => {
    const h = await setup();
    const response = await h.drill(name, body, auth);
    expect(response.status).toBe(status);
    expect(response.body.error.message).toContain(message);
    expect(h.sim.injected).toEqual([]);
  });
});
