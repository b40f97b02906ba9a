import type { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { FaultInjectionRequest } from '@glidepath/backstage-plugin-node';
import request from 'supertest';
import {
  armMetrics,
  FakeMetricsProvider,
} from '../__testUtils__/FakeMetricsProvider';
import { FakeRolloutProvider } from '../__testUtils__/FakeRolloutProvider';
import {
  component,
  startGlidepathTestBackend,
} from '../__testUtils__/glidepathTestBackend';

const OWNER = 'user:default/owner';
const owner = mockCredentials.user.header(OWNER);
const FACILITATOR = 'user:default/facilitator';
const facilitator = mockCredentials.user.header(FACILITATOR);
const ADMIN = 'user:default/admin';
const admin = mockCredentials.user.header(ADMIN);
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

function owned(entity: Entity): Entity {
  return { ...entity, relations: [{ type: 'ownedBy', targetRef: TEAM }] };
}

function user(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: {},
  };
}

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

async function setup() {
  const sim = new DrillableProvider();
  const metrics = new FakeMetricsProvider('sim');
  const harness = await startGlidepathTestBackend({
    providers: [sim],
    metricsProviders: [metrics],
    entities: [
      owned(
        component('cart', TEAM, {
          'glidepath.dev/rollout':
            'staging=sim:cart-staging; production=sim:cart',
        }),
      ),
      owned(component('solo', TEAM, { 'glidepath.dev/rollout': 'sim:solo' })),
      user('facilitator'),
      user('owner'),
    ],
    allow: (who, _resource, permission) => {
      if (who === ADMIN || who === undefined) return true;
      if (permission === 'glidepath.drill.production') return false;
      if (permission === 'glidepath.release.control') return who === OWNER;
      return true;
    },
    config: {
      glidepath: {
        analysis: { policies: { default: { warmup: { seconds: 0 } } } },
      },
    },
  });
  running.push(harness.stop);
  const create = (body: object, auth = owner, key = 'k1') =>
    request(harness.server)
      .post('/api/glidepath/game-days')
      .set('Authorization', auth)
      .set('Idempotency-Key', key)
      .send(body);
  const get = async (id: string) =>
    (
      await request(harness.server)
        .get(`/api/glidepath/game-days/${id}`)
        .set('Authorization', stranger)
    ).body;
  return { ...harness, sim, metrics, create, get };
}

const gameDay = (overrides: object = {}) => ({
  title: 'Checkout game day',
  facilitator: FACILITATOR,
  participants: [OWNER],
  scheduledAt: new Date(Date.now() - 1000).toISOString(),
  faults: [{ service: 'component:default/cart', fault: 'error-rate' }],
  hypothesis: 'Rolled back within 2 minutes, owners notified',
  ...overrides,
});

describe('game days', () => {
  it('turns a fault into a drill at its time and records its timings through to the outcome', async () => {
    const h = await setup();
    const created = await h.create(gameDay());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Checkout game day',
      facilitator: FACILITATOR,
      participants: [OWNER],
      services: ['component:default/cart'],
      state: 'scheduled',
      hypothesisLimitSeconds: 120,
      hypothesisNeedsNotification: true,
      faults: [
        {
          service: 'component:default/cart',
          fault: 'error-rate',
          drill: null,
          hypothesis: { held: null },
        },
      ],
      createdBy: { kind: 'user', ref: OWNER },
    });
    const again = await h.create(gameDay({ title: 'changed' }));
    expect(again.body.id).toBe(created.body.id);
    expect(h.auditEvents).toContainEqual(
      expect.objectContaining({
        eventId: 'game-day-create',
        outcome: 'success',
      }),
    );

    // At its time: the fault becomes a drill on the staging release, once.
    await h.runTask('glidepath-game-days');
    await h.runTask('glidepath-game-days');
    expect(h.sim.injected).toEqual([
      expect.objectContaining({
        fault: 'error-rate',
        target: expect.objectContaining({ ref: 'cart-staging' }),
        reason: `Game day "Checkout game day", facilitated by ${FACILITATOR}`,
      }),
    ]);
    let body = await h.get(created.body.id);
    expect(body.state).toBe('running');
    expect(body.faults[0].drill).toMatchObject({
      environment: 'staging',
      state: 'waiting',
      gameDayId: created.body.id,
    });

    // The next release carries the fault; the engine fails it and rolls back.
    const startedAt = new Date();
    h.sim.setRelease('cart-staging', {
      environment: 'staging',
      startedAt,
      updatedAt: startedAt,
    });
    await h.sync();
    await h.runTask('glidepath-game-days');
    body = await h.get(created.body.id);
    expect(body.faults[0].drill).toMatchObject({
      state: 'running',
      injectedAt: startedAt.toISOString(),
      detectedAt: null,
    });

    h.metrics.readings.set('cart-staging@2', {
      status: 'ok',
      canary: armMetrics(2_000, 160),
      baseline: armMetrics(8_000, 40),
    });
    await h.analyze();
    for (let i = 0; i < 100; i++) {
      if (h.sim.releases.get('cart-staging')!.phase === 'rolled_back') break;
      await new Promise(r => setTimeout(r, 20));
    }
    await h.sync();
    await h.runTask('glidepath-game-days');
    body = await h.get(created.body.id);
    const drill = body.faults[0].drill;
    expect(drill).toMatchObject({
      state: 'recovered',
      version: '2.0.0',
      injectedAt: startedAt.toISOString(),
    });
    for (const key of [
      'detectedAt',
      'rollbackDecidedAt',
      'rolledBackAt',
      'healthyAt',
      'notifiedAt',
    ]) {
      expect(Date.parse(drill[key])).toBeGreaterThanOrEqual(
        startedAt.getTime(),
      );
    }
    expect(drill.timeToDetectSeconds).toBeGreaterThanOrEqual(0);
    expect(drill.timeToRecoverSeconds).toBeGreaterThanOrEqual(
      drill.timeToDetectSeconds,
    );
    expect(drill.timeToRecoverSeconds).toBeLessThan(120);
    expect(body.state).toBe('finished');
    expect(body.hypothesisHeld).toBe(true);
    expect(body.faults[0].hypothesis.reasons).toEqual([
      expect.stringMatching(/^Recovered in \d+ s, within 2 min$/),
      expect.stringMatching(/^Owners notified \d+ s after the fault started$/),
    ]);

    // The team's figures and the service's last drill.
    const teams = await request(h.server)
      .get('/api/glidepath/drills/teams')
      .set('Authorization', stranger);
    expect(teams.body.teams).toEqual([
      expect.objectContaining({
        teamRef: TEAM,
        drills: [expect.objectContaining({ id: drill.id })],
        medianDetectSeconds: drill.timeToDetectSeconds,
        medianRecoverSeconds: drill.timeToRecoverSeconds,
      }),
    ]);
    expect(teams.body.teams[0].periods).toHaveLength(3);
    expect(teams.body.teams[0].periods[2].drills).toBe(1);
    const history = await request(h.server)
      .get('/api/glidepath/entities/component/default/cart/drill-history')
      .set('Authorization', stranger);
    expect(history.body.items.map((d: { id: string }) => d.id)).toEqual([
      drill.id,
    ]);

    // The outcome: the facilitator writes it, a stranger may not.
    const outcome = {
      learnt: 'The rollback was fast; the page reached the wrong channel',
      followUps: [{ title: 'Fix the channel', url: 'https://tracker/GP-1' }],
    };
    const put = (auth: string, payload: object) =>
      request(h.server)
        .put(`/api/glidepath/game-days/${created.body.id}/outcome`)
        .set('Authorization', auth)
        .send(payload);
    const refused = await put(stranger, outcome);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      `Only the facilitator (${FACILITATOR}) or someone who may steer every service of the game day may write its outcome`,
    );
    const bad = await put(facilitator, {
      ...outcome,
      followUps: [{ title: 'x', url: 'not a link' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('followUps[0].url');
    const written = await put(facilitator, outcome);
    expect(written.status).toBe(200);
    expect(written.body.outcome).toMatchObject({
      ...outcome,
      followUps: [{ title: 'Fix the channel', url: 'https://tracker/GP-1' }],
      by: { kind: 'user', ref: FACILITATOR },
    });
    const byAdmin = await put(admin, { ...outcome, learnt: 'More' });
    expect(byAdmin.status).toBe(200);

    const list = await request(h.server)
      .get('/api/glidepath/game-days')
      .set('Authorization', stranger);
    expect(list.body.items.map((g: { id: string }) => g.id)).toEqual([
      created.body.id,
    ]);
  });

  it('refuses a production fault unless an admin overrides it with a reason, audited', async () => {
    const h = await setup();
    const solo = {
      faults: [{ service: 'component:default/solo', fault: 'latency' }],
    };
    const refused = await h.create(gameDay(solo));
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      'production is a production environment of component:default/solo: drills there are refused unless an admin overrides with a reason (productionOverride)',
    );
    const notAdmin = await h.create(
      gameDay({ ...solo, productionOverride: { reason: 'we must' } }),
      owner,
      'k2',
    );
    expect(notAdmin.status).toBe(403);
    const byAdmin = await h.create(
      gameDay({ ...solo, productionOverride: { reason: 'yearly DR test' } }),
      admin,
      'k3',
    );
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.productionOverride).toMatchObject({
      by: { kind: 'user', ref: ADMIN },
      reason: 'yearly DR test',
    });
    expect(h.auditEvents.filter(e => e.eventId === 'game-day-create')).toEqual([
      expect.objectContaining({ outcome: 'fail' }),
      expect.objectContaining({ outcome: 'fail' }),
      expect.objectContaining({
        outcome: 'success',
        meta: expect.objectContaining({ productionOverride: 'yearly DR test' }),
      }),
    ]);
    await h.runTask('glidepath-game-days');
    const body = await h.get(byAdmin.body.id);
    expect(body.faults[0].drill).toMatchObject({
      environment: 'production',
      state: 'waiting',
      productionOverride: { reason: 'yearly DR test' },
    });
    expect(h.sim.injected).toEqual([
      expect.objectContaining({
        target: expect.objectContaining({ ref: 'solo' }),
      }),
    ]);
  });

  it.each([
    [{ title: '  ' }, 400, 'title must not be blank'],
    [{ hypothesis: ' ' }, 400, 'hypothesis must not be blank'],
    [{ scheduledAt: 'tomorrow' }, 400, 'scheduledAt'],
    [
      { facilitator: 'user:default/nobody' },
      400,
      'facilitator user:default/nobody is not in the catalog',
    ],
    [
      { facilitator: 'group:default/team-checkout' },
      400,
      'facilitator must be a user, not group:default/team-checkout',
    ],
    [{ faults: [] }, 400, 'faults'],
    [
      { faults: [{ service: 'component:default/cart', fault: 'meteor' }] },
      400,
      'fault',
    ],
    [
      { faults: [{ service: 'component:default/ghost', fault: 'latency' }] },
      404,
      'No entity component:default/ghost in the catalog',
    ],
    [
      { services: ['component:default/ghost'] },
      404,
      'No entity component:default/ghost in the catalog',
    ],
  ])('refuses %j with %s', async (overrides, status, message) => {
    const h = await setup();
    const response = await h.create(gameDay(overrides));
    expect(response.status).toBe(status);
    expect(response.body.error.message).toContain(message);
  });

  it('needs release control on each service and an Idempotency-Key', async () => {
    const h = await setup();
    const stranged = await h.create(gameDay(), stranger);
    expect(stranged.status).toBe(403);
    expect(stranged.body.error.message).toBe(
      'You are not allowed to run drills on releases of component:default/cart',
    );
    const noKey = await request(h.server)
      .post('/api/glidepath/game-days')
      .set('Authorization', owner)
      .send(gameDay());
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.message).toMatch(/Idempotency-Key/i);
    const missing = await request(h.server)
      .get('/api/glidepath/game-days/nope')
      .set('Authorization', owner);
    expect(missing.status).toBe(404);
  });
});
