import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  other,
  OWNER,
  owner,
  releaseApiBackends,
  waitForAction,
} from './__testUtils__/releaseApi';

const setup = releaseApiBackends();

describe('Glidepath REST API', () => {
  it("serves the provider's own analysis runs with the release, kept up to date by the sync", async () => {
    const h = await setup();
    const run = (values: string[]) => ({
      name: 'checkout-2-1',
      kind: 'Step',
      phase: values.length > 1 ? 'Failed' : 'Running',
      verdict: values.length > 1 ? ('fail' as const) : null,
      message: null,
      startedAt: '2026-11-27T10:00:05.000Z',
      metrics: [
        {
          name: 'success-rate',
          phase: values.length > 1 ? 'Failed' : 'Running',
          verdict: values.length > 1 ? ('fail' as const) : null,
          count: values.length,
          successful: 1,
          failed: values.length - 1,
          inconclusive: 0,
          error: 0,
          message: null,
          successCondition: 'result[0] >= 0.95',
          failureCondition: null,
          failureLimit: 0,
          measurements: values.map((value, i) => ({
            phase: i === 0 ? 'Successful' : 'Failed',
            verdict: i === 0 ? ('pass' as const) : ('fail' as const),
            value,
            message: null,
            startedAt: `2026-11-27T10:0${i + 1}:00.000Z`,
            finishedAt: `2026-11-27T10:0${i + 1}:01.000Z`,
          })),
        },
      ],
    });
    const detail = () =>
      request(h.server)
        .get(`/api/glidepath/releases/${h.releaseId}`)
        .set('Authorization', owner);

    expect((await detail()).body.providerAnalysis).toEqual([]);

    h.provider.setRelease('checkout', { providerAnalysis: [run(['0.99'])] });
    await h.sync();
    expect((await detail()).body.providerAnalysis).toEqual([run(['0.99'])]);

    const signalled = h.signals.length;
    h.provider.setRelease('checkout', {
      providerAnalysis: [run(['0.99', '0.81'])],
    });
    await h.sync();
    const res = await detail();
    expect(res.body.providerAnalysis).toEqual([run(['0.99', '0.81'])]);
    // A new measurement is news for the entity page, not a release event.
    expect(h.signals.length).toBeGreaterThan(signalled);
    expect(res.body.events.map((e: any) => e.type)).toEqual(['created']);
  });

  it('summarises an entity: current release, what its phase admits, provider status', async () => {
    const { server, releaseId } = await setup();
    const res = await request(server)
      .get('/api/glidepath/entities/component/default/checkout')
      .set('Authorization', owner);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'component:default/checkout',
      current: {
        id: releaseId,
        version: '2.0.0',
        previousVersion: '1.0.0',
        phase: 'progressing',
        canaryWeight: 20,
        currentStepIndex: 1,
        provider: 'fake',
        simulated: false,
      },
      allowedActions: ['promote', 'pause', 'abort', 'rollback'],
      provider: { id: 'fake', registered: true, stale: false, error: null },
      problems: [],
    });
    expect(res.body.current.steps).toHaveLength(3);
    expect(res.body.provider.lastSyncedAt).toEqual(expect.any(String));
  });

  it('reports invalid annotations and unknown providers as problems on the entity', async () => {
    const { server } = await setup();
    const broken = await request(server)
      .get('/api/glidepath/entities/component/default/broken')
      .set('Authorization', owner);
    expect(broken.status).toBe(200);
    expect(broken.body.problems).toEqual([
      expect.objectContaining({
        annotation: 'glidepath.dev/rollout',
        value: 'no-colon-here',
      }),
      expect.objectContaining({
        annotation: 'glidepath.dev/strategy',
        value: 'sideways',
      }),
    ]);
    const elsewhere = await request(server)
      .get('/api/glidepath/entities/component/default/elsewhere')
      .set('Authorization', owner);
    expect(elsewhere.body.provider).toMatchObject({
      id: 'spinnaker',
      registered: false,
    });
    expect(elsewhere.body.problems[0].message).toContain(
      'no rollout provider "spinnaker" is installed in this Backstage backend (installed: fake)',
    );
  });

  it.each([
    [
      '/api/glidepath/entities/component/default/nope',
      'No entity component:default/nope in the catalog',
    ],
    ['/api/glidepath/releases/r-404', 'No release with id r-404'],
    ['/api/glidepath/actions/a-404', 'No action with id a-404'],
    [
      '/api/glidepath/entities/component/default/nope/releases',
      'No entity component:default/nope in the catalog',
    ],
  ])('GET %s is a 404 naming the id', async (path, message) => {
    const { server } = await setup();
    const res = await request(server).get(path).set('Authorization', owner);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(message);
  });

  it('rejects unauthenticated calls', async () => {
    const { server } = await setup();
    const res = await request(server)
      .get('/api/glidepath/entities/component/default/checkout')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it.each([
    [
      'no Idempotency-Key',
      {},
      { action: 'rollback', reason: 'x' },
      400,
      "must have required property 'idempotency-key'",
    ],
    [
      'an unknown action',
      { 'Idempotency-Key': 'k' },
      { action: 'explode', reason: 'x' },
      400,
      'action',
    ],
    [
      'no reason',
      { 'Idempotency-Key': 'k' },
      { action: 'rollback' },
      400,
      'reason',
    ],
    [
      'a blank reason',
      { 'Idempotency-Key': 'k' },
      { action: 'rollback', reason: '   ' },
      400,
      'reason must not be blank',
    ],
    [
      'an extra field',
      { 'Idempotency-Key': 'k' },
      { action: 'rollback', reason: 'x', force: true },
      400,
      // Names the property (it said only "must NOT have additional properties").
      'body.force is not a known property',
    ],
  ])('POST with %s is refused', async (_, headers, body, status, message) => {
    const { server, releaseId, provider } = await setup();
    const res = await request(server)
      .post(`/api/glidepath/releases/${releaseId}/actions`)
      .set('Authorization', owner)
      .set(headers)
      .send(body);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(message);
    expect(provider.actionCalls).toHaveLength(0);
  });

  it('refuses an action to someone without the permission (403), audited as failed', async () => {
    const { server, releaseId, provider, auditEvents } = await setup();
    const res = await request(server)
      .post(`/api/glidepath/releases/${releaseId}/actions`)
      .set('Authorization', other)
      .set('Idempotency-Key', 'k-other')
      .send({ action: 'rollback', reason: 'not mine' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'You are not allowed to roll back releases of component:default/checkout',
    );
    expect(provider.actionCalls).toHaveLength(0);
    expect(auditEvents).toContainEqual(
      expect.objectContaining({ eventId: 'release-action', outcome: 'fail' }),
    );
  });

  it('refuses an action the phase does not admit (409) with the reason', async () => {
    const { server, releaseId } = await setup();
    const res = await request(server)
      .post(`/api/glidepath/releases/${releaseId}/actions`)
      .set('Authorization', owner)
      .set('Idempotency-Key', 'k-resume')
      .send({ action: 'resume', reason: 'go' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain(
      'a progressing release cannot be resumed',
    );
  });

  it('rolls back: 202, runs once, the release becomes rolled back, events and audit recorded', async () => {
    const { server, releaseId, provider, auditEvents, signals } = await setup();
    const res = await request(server)
      .post(`/api/glidepath/releases/${releaseId}/actions`)
      .set('Authorization', owner)
      .set('Idempotency-Key', 'k-1')
      .send({ action: 'rollback', reason: 'error rate doubled' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      releaseId,
      entityRef: 'component:default/checkout',
      action: 'rollback',
      reason: 'error rate doubled',
      requestedBy: { kind: 'user', ref: OWNER },
    });
    expect(['requested', 'running', 'succeeded']).toContain(res.body.state);

    const done = await waitForAction(server, res.body.id);
    expect(done).toMatchObject({ state: 'succeeded', error: null });
    expect(done.startedAt).toEqual(expect.any(String));
    expect(done.finishedAt).toEqual(expect.any(String));
    expect(provider.actionCalls).toEqual([
      expect.objectContaining({
        action: 'rollback',
        providerReleaseId: 'checkout@2',
      }),
    ]);

    const detail = await request(server)
      .get(`/api/glidepath/releases/${releaseId}`)
      .set('Authorization', owner);
    expect(detail.body.release.phase).toBe('rolled_back');
    expect(detail.body.allowedActions).toEqual([]);
    expect(detail.body.events.map((e: any) => [e.type, e.toPhase])).toEqual([
      ['created', 'progressing'],
      ['phase_changed', 'rolled_back'],
    ]);
    expect(detail.body.actions.map((a: any) => a.id)).toEqual([res.body.id]);

    expect(auditEvents.map(e => [e.eventId, e.outcome])).toEqual(
      expect.arrayContaining([
        ['release-action', 'success'],
        ['release-action-execution', 'success'],
      ]),
    );
    expect(signals.map(s => s.channel)).toContain(
      'glidepath:entity:component:default/checkout',
    );
  });

  it('acts once for 50 concurrent requests with the same Idempotency-Key', async () => {
    const { server, releaseId, provider } = await setup();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(server)
          .post(`/api/glidepath/releases/${releaseId}/actions`)
          .set('Authorization', owner)
          .set('Idempotency-Key', 'same-click')
          .send({ action: 'rollback', reason: 'bad canary' }),
      ),
    );
    expect(responses.map(r => r.status)).toEqual(Array(50).fill(202));
    const ids = new Set(responses.map(r => r.body.id));
    expect(ids.size).toBe(1);
    await waitForAction(server, [...ids][0]);
    expect(provider.actionCalls).toHaveLength(1);

    // The same click again after the release moved on: the same action, no new call.
    const again = await request(server)
      .post(`/api/glidepath/releases/${releaseId}/actions`)
      .set('Authorization', owner)
      .set('Idempotency-Key', 'same-click')
      .send({ action: 'rollback', reason: 'bad canary' });
    expect(again.status).toBe(202);
    expect(again.body.id).toBe([...ids][0]);
    expect(provider.actionCalls).toHaveLength(1);
  });

  it('refuses to reuse an Idempotency-Key for a different request (409)', async () => {
    const { server, releaseId } = await setup();
    await request(server)
      .post(`/api/glidepath/releases/${releaseId}/actions`)
      .set('Authorization', owner)
      .set('Idempotency-Key', 'k-2')
      .send({ action: 'pause', reason: 'look' })
      .expect(202);
    const res = await request(server)
      .post(`/api/glidepath/releases/${releaseId}/actions`)
      .set('Authorization', owner)
      .set('Idempotency-Key', 'k-2')
      .send({ action: 'abort', reason: 'stop' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('Idempotency-Key');
  });

  it('fails the action with the provider reason, leaves the release as it was, and can be retried', async () => {
    const { server, releaseId, provider } = await setup();
    provider.actionFailure = new Error(
      'the cluster API answered 503 Service Unavailable',
    );
    const first = await request(server)
      .post(`/api/glidepath/releases/${releaseId}/actions`)
      .set('Authorization', owner)
      .set('Idempotency-Key', 'k-fail')
      .send({ action: 'rollback', reason: 'bad' })
      .expect(202);
    const failed = await waitForAction(server, first.body.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toBe(
      'the cluster API answered 503 Service Unavailable',
    );
    const release = await request(server)
      .get(`/api/glidepath/releases/${releaseId}`)
      .set('Authorization', owner);
    expect(release.body.release.phase).toBe('progressing');
    expect(release.body.events).toHaveLength(1);

    provider.actionFailure = undefined;
    const retry = await request(server)
      .post(`/api/glidepath/releases/${releaseId}/actions`)
      .set('Authorization', owner)
      .set('Idempotency-Key', 'k-fail-retry')
      .send({ action: 'rollback', reason: 'bad, again' })
      .expect(202);
    expect((await waitForAction(server, retry.body.id)).state).toBe(
      'succeeded',
    );
  });

  it('fails an action whose provider does not answer in time', async () => {
    const { server, releaseId, provider } = await setup({
      config: { glidepath: { actions: { timeout: { milliseconds: 200 } } } },
    });
    provider.hangActions = true;
    const res = await request(server)
      .post(`/api/glidepath/releases/${releaseId}/actions`)
      .set('Authorization', owner)
      .set('Idempotency-Key', 'k-hang')
      .send({ action: 'abort', reason: 'stop' })
      .expect(202);
    const failed = await waitForAction(server, res.body.id);
    expect(failed.state).toBe('failed');
    expect(failed.error).toBe(
      'The rollout provider "fake" did not answer within 200 ms',
    );
  });

  it('keeps the last known state, marked stale, when the provider is down', async () => {
    const { server, provider, sync } = await setup();
    provider.listFailure = new Error('connect ECONNREFUSED 10.0.0.1:443');
    await sync();
    const res = await request(server)
      .get('/api/glidepath/entities/component/default/checkout')
      .set('Authorization', owner);
    expect(res.body.current.phase).toBe('progressing');
    expect(res.body.provider).toMatchObject({
      stale: true,
      error:
        'the rollout provider "fake" could not be read: connect ECONNREFUSED 10.0.0.1:443',
    });

    provider.listFailure = undefined;
    await sync();
    const recovered = await request(server)
      .get('/api/glidepath/entities/component/default/checkout')
      .set('Authorization', owner);
    expect(recovered.body.provider).toMatchObject({
      stale: false,
      error: null,
    });
  });

  it("reports a provider's problem with one entity's target on that entity, and clears it", async () => {
    // E.g. Argo Rollouts: a Rollout its controller rejected (InvalidSpec).
    const { server, provider, sync } = await setup();
    provider.targetProblems.set(
      'checkout',
      "Rollout shop/checkout in cluster prod-eu: the controller rejected the Rollout's spec (InvalidSpec), so it has no revision and runs no pods: selector does not match template labels",
    );
    await sync();
    const res = await request(server)
      .get('/api/glidepath/entities/component/default/checkout')
      .set('Authorization', owner);
    expect(res.status).toBe(200);
    expect(res.body.provider).toMatchObject({
      id: 'fake',
      stale: true,
      error: expect.stringContaining('(InvalidSpec)'),
    });

    provider.targetProblems.delete('checkout');
    await sync();
    const fixed = await request(server)
      .get('/api/glidepath/entities/component/default/checkout')
      .set('Authorization', owner);
    expect(fixed.body.provider).toMatchObject({ stale: false, error: null });
  });

  it('pages through the release history', async () => {
    const { server, provider, sync } = await setup();
    for (let i = 3; i <= 7; i++) {
      provider.setRelease('checkout', {
        providerReleaseId: `checkout@${i}`,
        version: `${i}.0.0`,
        startedAt: new Date(Date.UTC(2026, 10, 27, 10, i)),
      });
      await sync();
    }
    const first = await request(server)
      .get(
        '/api/glidepath/entities/component/default/checkout/releases?limit=4',
      )
      .set('Authorization', owner);
    expect(first.body.items.map((r: any) => r.version)).toEqual([
      '7.0.0',
      '6.0.0',
      '5.0.0',
      '4.0.0',
    ]);
    const second = await request(server)
      .get(
        `/api/glidepath/entities/component/default/checkout/releases?limit=4&cursor=${encodeURIComponent(
          first.body.nextCursor,
        )}`,
      )
      .set('Authorization', owner);
    expect(second.body.items.map((r: any) => r.version)).toEqual([
      '3.0.0',
      '2.0.0',
    ]);
    expect(second.body.nextCursor).toBeNull();
    const bad = await request(server)
      .get(
        '/api/glidepath/entities/component/default/checkout/releases?limit=500',
      )
      .set('Authorization', owner);
    expect(bad.status).toBe(400);
  });
});
