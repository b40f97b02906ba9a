import { mockCredentials } from '@backstage/backend-test-utils';
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
const stranger = mockCredentials.user.header('user:default/stranger');
const TEAM = 'group:default/team-checkout';
const base = '/api/glidepath';

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

const checklistBody = {
  title: 'Release 2.0.0',
  items: [
    { title: 'Rollback plan verified', required: true },
    { title: 'On-call aware' },
    { title: 'Feature flags set', required: false },
  ],
};

async function setup(options: { release?: boolean } = {}) {
  const rollouts = new FakeRolloutProvider();
  const metrics = new FakeMetricsProvider();
  if (options.release !== false) rollouts.setRelease('checkout');
  const harness = await startGlidepathTestBackend({
    providers: [rollouts],
    metricsProviders: [metrics],
    entities: [component('checkout', TEAM)],
    // Only the owner (and Glidepath itself, a service) may steer
    // checkout's releases.
    allow: (user, _resource, permission) =>
      permission === 'glidepath.release.rollback' ||
      permission === 'glidepath.release.control'
        ? user === OWNER || user === undefined
        : true,
  });
  running.push(harness.stop);
  await harness.sync();
  const server = harness.server;
  const create = (body: object, key = 'key-1', auth = owner) =>
    request(server)
      .post(`${base}/entities/component/default/checkout/checklists`)
      .set('Authorization', auth)
      .set('Idempotency-Key', key)
      .send(body);
  const tick = (
    checklistId: string,
    itemId: string,
    checked = true,
    auth = owner,
  ) =>
    request(server)
      .put(`${base}/checklists/${checklistId}/items/${itemId}`)
      .set('Authorization', auth)
      .send({ checked });
  const summary = async () =>
    (
      await request(server)
        .get(`${base}/entities/component/default/checkout`)
        .set('Authorization', owner)
    ).body;
  return { ...harness, rollouts, metrics, create, tick, summary };
}

describe('release checklists', () => {
  it('attaches a checklist to the current release, once per key, audited', async () => {
    const h = await setup();
    const created = await h.create(checklistBody);
    expect(created.status).toBe(201);
    const { current } = await h.summary();
    expect(created.body).toMatchObject({
      entityRef: 'component:default/checkout',
      releaseId: current.id,
      title: 'Release 2.0.0',
      createdBy: { kind: 'user', ref: OWNER },
      gate: {
        blocking: true,
        openRequired: ['Rollback plan verified', 'On-call aware'],
      },
    });
    expect(
      created.body.items.map((i: { required: boolean }) => i.required),
    ).toEqual([true, true, false]);

    const again = await h.create(checklistBody);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(created.body.id);
    expect(again.headers['x-glidepath-replay']).toBe('true');

    const summary = await h.summary();
    expect(summary.checklist.id).toBe(created.body.id);
    const detail = await request(h.server)
      .get(`${base}/releases/${current.id}`)
      .set('Authorization', owner);
    expect(detail.body.checklist.id).toBe(created.body.id);
    expect(
      h.auditEvents.filter(e => e.eventId === 'release-checklist'),
    ).toEqual([
      expect.objectContaining({ outcome: 'success' }),
      expect.objectContaining({ outcome: 'success' }),
    ]);
  });

  it.each([
    [
      'an unknown entity',
      'ghost',
      checklistBody,
      owner,
      404,
      'No entity component:default/ghost in the catalog',
    ],
    [
      'a user who may not steer the releases',
      'checkout',
      checklistBody,
      stranger,
      403,
      'You are not allowed to attach checklists to releases of component:default/checkout',
    ],
    [
      'an item twice',
      'checkout',
      { title: 'x', items: [{ title: 'A' }, { title: 'a' }] },
      owner,
      400,
      'items: The checklist has the item "a" twice',
    ],
    ['no items', 'checkout', { title: 'x', items: [] }, owner, 400, 'items'],
  ])('refuses %s', async (_name, entity, body, auth, status, message) => {
    const h = await setup();
    const response = await request(h.server)
      .post(`${base}/entities/component/default/${entity}/checklists`)
      .set('Authorization', auth)
      .set('Idempotency-Key', 'k')
      .send(body);
    expect(response.status).toBe(status);
    expect(response.body.error.message).toContain(message);
    expect((await h.summary()).checklist).toBeNull();
  });

  it('refuses the current release of an entity without one, and keeps one for the next', async () => {
    const h = await setup({ release: false });
    const refused = await h.create(checklistBody);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe(
      'component:default/checkout has no release yet; attach the checklist to its next release instead',
    );
    const waiting = await h.create({ ...checklistBody, release: 'next' }, 'k2');
    expect(waiting.status).toBe(201);
    expect(waiting.body.releaseId).toBeNull();
    expect((await h.summary()).checklist.id).toBe(waiting.body.id);

    // The next release takes it.
    h.rollouts.setRelease('checkout', {
      startedAt: new Date(Date.now() + 1000),
    });
    await h.sync();
    const summary = await h.summary();
    expect(summary.checklist).toMatchObject({
      id: waiting.body.id,
      releaseId: summary.current.id,
    });
  });

  it('keeps who ticked an item, lets only those who may steer tick, and holds the promote until done', async () => {
    const h = await setup();
    const { body: checklist } = await h.create(checklistBody);
    const { current } = await h.summary();
    const promote = (key: string) =>
      request(h.server)
        .post(`${base}/releases/${current.id}/actions`)
        .set('Authorization', owner)
        .set('Idempotency-Key', key)
        .send({ action: 'promote', reason: 'looks good' });

    const held = await promote('p1');
    expect(held.status).toBe(409);
    expect(held.body.error.message).toBe(
      `Cannot promote release ${current.id} (2.0.0 of component:default/checkout): The release checklist holds the release before its final step: 2 required items are open (Rollback plan verified, On-call aware)`,
    );

    const denied = await h.tick(
      checklist.id,
      checklist.items[0].id,
      true,
      stranger,
    );
    expect(denied.status).toBe(403);

    const first = await h.tick(checklist.id, checklist.items[0].id);
    expect(first.status).toBe(200);
    expect(first.body.items[0]).toMatchObject({
      checked: true,
      checkedBy: { kind: 'user', ref: OWNER },
      history: [{ checked: true, by: { kind: 'user', ref: OWNER } }],
    });
    expect(first.body.gate.openRequired).toEqual(['On-call aware']);
    const second = await h.tick(checklist.id, checklist.items[1].id);
    expect(second.body.gate).toEqual({
      blocking: false,
      openRequired: [],
      reason: null,
    });
    expect((await promote('p2')).status).toBe(202);

    const unknownItem = await h.tick(checklist.id, 'nope');
    expect(unknownItem.status).toBe(404);
  });

  it('still takes ticks once its release has finished, kept with their time', async () => {
    const h = await setup();
    const { body: checklist } = await h.create(checklistBody);
    h.rollouts.setRelease('checkout', {
      phase: 'rolled_back',
      finishedAt: new Date(),
      currentStepIndex: 2,
    });
    await h.sync();
    const response = await h.tick(checklist.id, checklist.items[0].id);
    expect(response.status).toBe(200);
    expect(response.body.items[0]).toMatchObject({
      checked: true,
      checkedBy: { kind: 'user', ref: OWNER },
      checkedAt: expect.any(String),
    });
  });

  it('in the engine: pauses a release before its final step while items are open, resumes it when they are ticked', async () => {
    const h = await setup();
    h.metrics.readings.set('checkout@2', {
      status: 'ok',
      canary: armMetrics(20_000, 100),
      baseline: armMetrics(80_000, 400),
    });
    const { body: checklist } = await h.create(checklistBody);
    await h.analyze();
    await h.analyze(); // the same state again asks nothing more
    const waitFor = async (phase: string) => {
      for (let i = 0; i < 40; i++) {
        await h.sync();
        const s = await h.summary();
        if (s.current.phase === phase) return s;
        await new Promise(r => setTimeout(r, 25));
      }
      throw new Error(
        `the release did not become ${phase}: ${JSON.stringify(
          (await h.summary()).recentActions,
        )} ${JSON.stringify(h.auditEvents.slice(-3))}`,
      );
    };
    const paused = await waitFor('paused');
    expect(h.rollouts.actionCalls.map(c => c.action)).toEqual(['pause']);
    expect(paused.recentActions[0]).toMatchObject({
      action: 'pause',
      requestedBy: { kind: 'policy', ref: 'release-checklist' },
      reason:
        'The release checklist holds the release before its final step: 2 required items are open (Rollback plan verified, On-call aware). Glidepath paused 2.0.0 there; it resumes by itself once they are ticked.',
    });
    // A person cannot resume it past the gate either.
    const resume = await request(h.server)
      .post(`${base}/releases/${paused.current.id}/actions`)
      .set('Authorization', owner)
      .set('Idempotency-Key', 'r1')
      .send({ action: 'resume', reason: 'go' });
    expect(resume.status).toBe(409);

    await h.tick(checklist.id, checklist.items[0].id);
    await h.tick(checklist.id, checklist.items[1].id);
    await h.analyze();
    await waitFor('progressing');
    expect(h.rollouts.actionCalls.map(c => c.action)).toEqual([
      'pause',
      'resume',
    ]);
  });

  it('in the engine: a release the checklist paused is still judged, and rolled back when its canary fails', async () => {
    const h = await setup();
    h.metrics.readings.set('checkout@2', {
      status: 'ok',
      canary: armMetrics(20_000, 100),
      baseline: armMetrics(80_000, 400),
    });
    await h.create(checklistBody);
    await h.analyze();
    for (
      let i = 0;
      i < 40 && (await h.summary()).current.phase !== 'paused';
      i++
    ) {
      await h.sync();
      await new Promise(r => setTimeout(r, 25));
    }
    expect((await h.summary()).current.phase).toBe('paused');

    // The canary goes bad while the release waits for its checklist.
    h.metrics.readings.set('checkout@2', {
      status: 'ok',
      canary: armMetrics(2_000, 160),
      baseline: armMetrics(8_000, 40),
    });
    await h.analyze();
    for (
      let i = 0;
      i < 40 && (await h.summary()).current.phase !== 'rolled_back';
      i++
    ) {
      await h.sync();
      await new Promise(r => setTimeout(r, 25));
    }
    expect((await h.summary()).current.phase).toBe('rolled_back');
    expect(h.rollouts.actionCalls.map(c => c.action)).toEqual([
      'pause',
      'rollback',
    ]);
  });
});
