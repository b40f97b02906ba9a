import { mockCredentials } from '@backstage/backend-test-utils';
import type { ReleasePhase } from '@glidepath/backstage-plugin-common';
import type {
  ObservedRelease,
  ObservedRollout,
  RollForwardRequest,
  RolloutActionRequest,
  RolloutProvider,
  RolloutTarget,
} from '@glidepath/backstage-plugin-node';
import request from 'supertest';
import {
  component,
  startGlidepathTestBackend,
} from '../__testUtils__/glidepathTestBackend';
import { waitForAction } from '../releases/__testUtils__/releaseApi';

const OWNER = 'user:default/owner';
const owner = mockCredentials.user.header(OWNER);
const OTHER = 'user:default/other';
const other = mockCredentials.user.header(OTHER);

const STEPS: ObservedRelease['steps'] = [
  { kind: 'set_weight', weight: 25, description: '25%', status: 'running' },
  {
    kind: 'pause',
    durationSeconds: 30,
    description: 'Wait',
    status: 'pending',
  },
  { kind: 'set_weight', weight: 100, description: '100%', status: 'pending' },
];

/**
 * A provider that keeps every release of each target, rolls a completed
 * release back as Argo Rollouts' undo does (a new release of the previous
 * version) and rolls forward the same way; each new release progresses
 * until the test finishes it.
 */
class UndoingProvider implements RolloutProvider {
  readonly id = 'fake';
  readonly releases = new Map<string, ObservedRelease[]>();
  readonly forwardCalls: RollForwardRequest[] = [];
  canRollForward = true;
  private counter = 0;

  add(ref: string, patch: Partial<ObservedRelease>): ObservedRelease {
    this.counter += 1;
    const now = new Date();
    const release: ObservedRelease = {
      providerReleaseId: `${ref}@${this.counter}`,
      version: '2.4.0',
      previousVersion: '2.3.1',
      environment: 'production',
      strategy: 'canary',
      phase: 'progressing',
      steps: STEPS.map(s => ({ ...s })),
      currentStepIndex: 0,
      canaryWeight: 25,
      message: null,
      startedBy: { kind: 'provider', ref: 'fake' },
      commit: null,
      startedAt: now,
      updatedAt: now,
      finishedAt: null,
      ...patch,
    };
    this.releases.set(ref, [...(this.releases.get(ref) ?? []), release]);
    return release;
  }

  latest(ref: string): ObservedRelease {
    const list = this.releases.get(ref)!;
    return list[list.length - 1];
  }

  finish(ref: string, phase: ReleasePhase, message: string | null = null) {
    const release = this.latest(ref);
    release.phase = phase;
    release.message = message;
    release.finishedAt = new Date();
    release.updatedAt = release.finishedAt;
    release.currentStepIndex =
      phase === 'succeeded' ? 2 : release.currentStepIndex;
    release.canaryWeight = phase === 'succeeded' ? 100 : 0;
  }

  async listRollouts(targets: RolloutTarget[]): Promise<ObservedRollout[]> {
    return targets.map(t => ({
      entityRef: t.entityRef,
      releases: (this.releases.get(t.ref) ?? []).map(r => ({
        ...r,
        environment: t.environment ?? r.environment,
        steps: r.steps.map(s => ({ ...s })),
      })),
    }));
  }

  async performAction(req: RolloutActionRequest) {
    const list = this.releases.get(req.target.ref) ?? [];
    const release = list.find(
      r => r.providerReleaseId === req.providerReleaseId,
    );
    if (!release) throw new Error(`no release ${req.providerReleaseId}`);
    const now = new Date();
    if (req.action === 'rollback' && release.phase === 'succeeded') {
      release.phase = 'rolled_back';
      release.updatedAt = now;
      this.add(req.target.ref, {
        version: release.previousVersion!,
        previousVersion: release.version,
        environment: release.environment,
      });
      return { message: `undo to ${release.previousVersion}` };
    }
    const phases: Partial<Record<string, ReleasePhase>> = {
      rollback: 'rolled_back',
      pause: 'paused',
      resume: 'progressing',
      abort: 'aborted',
    };
    release.phase = phases[req.action] ?? release.phase;
    release.updatedAt = now;
    return {};
  }

  rollForward?: (request: RollForwardRequest) => Promise<{ message: string }> =
    async (req: RollForwardRequest) => {
      if (!this.canRollForward) throw new Error('no');
      this.forwardCalls.push(req);
      const current = this.latest(req.target.ref);
      if (current.version === req.version) {
        return { message: 'already there' };
      }
      this.add(req.target.ref, {
        version: req.version,
        previousVersion: current.version,
        environment: current.environment,
      });
      return { message: `undo to ${req.version}` };
    };
}

const TWO_ENVIRONMENTS = {
  'glidepath.dev/rollout': 'staging=fake:cart-staging; production=fake:cart',
};

async function start(
  options: {
    annotations?: Record<string, string>;
    config?: Record<string, unknown>;
    provider?: UndoingProvider;
  } = {},
) {
  const provider = options.provider ?? new UndoingProvider();
  const harness = await startGlidepathTestBackend({
    providers: [provider],
    entities: [
      component('cart', 'group:default/team-checkout', {
        ...TWO_ENVIRONMENTS,
        ...options.annotations,
      }),
      component('solo', 'group:default/team-checkout', {
        'glidepath.dev/rollout': 'fake:solo',
      }),
    ],
    allow: (user, _resource, permission) =>
      user === undefined ||
      user === OWNER ||
      (user === OTHER && permission !== 'glidepath.release.control'),
    config: {
      glidepath: {
        rollbackTests: { policy: 'auto', gate: 'advisory' },
        ...options.config,
      },
    },
  });
  const tests = async () =>
    (
      await request(harness.server)
        .get('/api/glidepath/entities/component/default/cart/rollback-tests')
        .set('Authorization', owner)
    ).body.items;
  return { ...harness, provider, tests };
}

describe('rollback tests', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map(stop => stop()));
  });

  it('rolls a completed staging release back and forward again, with its timings', async () => {
    const h = await start();
    stops.push(h.stop);
    h.provider.add('cart-staging', {});
    h.provider.finish('cart-staging', 'succeeded');
    await h.sync();
    await h.runTask('glidepath-rollback-tests');

    let [test] = await h.tests();
    expect(test).toMatchObject({
      environment: 'staging',
      version: '2.4.0',
      previousVersion: '2.3.1',
      trigger: 'policy',
      state: 'rolling_back',
      requestedBy: { kind: 'policy', ref: 'rollback-test' },
    });
    const summary = await request(h.server)
      .get('/api/glidepath/entities/component/default/cart')
      .set('Authorization', owner);
    const [action] = summary.body.recentActions;
    expect(action).toMatchObject({
      action: 'rollback',
      requestedBy: { kind: 'policy', ref: 'rollback-test' },
    });
    expect((await waitForAction(h.server, action.id)).state).toBe('succeeded');
    // Run twice: the same rollback is never asked for again.
    await h.runTask('glidepath-rollback-tests');
    await h.sync();
    await h.runTask('glidepath-rollback-tests');
    [test] = await h.tests();
    expect(test.state).toBe('restoring');
    expect(test.stateReason).toBe(
      'waiting until 2.3.1 is healthy again (its release is progressing)',
    );
    expect(h.provider.latest('cart-staging').version).toBe('2.3.1');

    h.provider.finish('cart-staging', 'succeeded');
    await h.sync();
    await h.runTask('glidepath-rollback-tests');
    [test] = await h.tests();
    expect(test.state).toBe('rolling_forward');
    expect(h.provider.forwardCalls).toHaveLength(1);
    expect(h.provider.forwardCalls[0]).toMatchObject({
      version: '2.4.0',
      target: { ref: 'cart-staging', environment: 'staging' },
    });

    await h.sync();
    h.provider.finish('cart-staging', 'succeeded');
    await h.sync();
    await h.runTask('glidepath-rollback-tests');
    [test] = await h.tests();
    expect(test.state).toBe('passed');
    expect(test.rollbackSeconds).toBeGreaterThanOrEqual(0);
    expect(test.healthySeconds).toBeGreaterThanOrEqual(test.rollbackSeconds);
    expect(test.finishedAt).not.toBeNull();

    // The releases the test started are not tested themselves.
    await h.runTask('glidepath-rollback-tests');
    expect(await h.tests()).toHaveLength(1);

    const after = await request(h.server)
      .get('/api/glidepath/entities/component/default/cart')
      .set('Authorization', owner);
    const staging = after.body.environments.find(
      (e: { name: string }) => e.name === 'staging',
    );
    expect(staging.rollbackTest).toMatchObject({
      id: test.id,
      state: 'passed',
    });
    expect(
      h.auditEvents
        .filter(e => e.eventId === 'rollback-test')
        .map(e => [e.meta, e.outcome]),
    ).toEqual([[expect.objectContaining({ step: 'roll-forward' }), 'success']]);
  });

  it('fails, with the reason, when the previous version does not come back', async () => {
    const h = await start();
    stops.push(h.stop);
    h.provider.add('cart-staging', {});
    h.provider.finish('cart-staging', 'succeeded');
    await h.sync();
    await h.runTask('glidepath-rollback-tests');
    const summary = await request(h.server)
      .get('/api/glidepath/entities/component/default/cart')
      .set('Authorization', owner);
    await waitForAction(h.server, summary.body.recentActions[0].id);
    await h.runTask('glidepath-rollback-tests');
    h.provider.finish(
      'cart-staging',
      'failed',
      '2.3.1 no longer starts after the 2.4.0 schema migration',
    );
    await h.sync();
    await h.runTask('glidepath-rollback-tests');
    const [test] = await h.tests();
    expect(test).toMatchObject({
      state: 'failed',
      stateReason:
        '2.3.1 did not come back healthy: its release failed (2.3.1 no longer starts after the 2.4.0 schema migration)',
      healthyAt: null,
    });
    expect(h.provider.forwardCalls).toHaveLength(0);
  });

  it('is not run, never passed, with a provider that cannot roll forward', async () => {
    const provider = new UndoingProvider();
    provider.rollForward = undefined;
    const h = await start({ provider });
    stops.push(h.stop);
    h.provider.add('cart-staging', {});
    h.provider.finish('cart-staging', 'succeeded');
    await h.sync();
    await h.runTask('glidepath-rollback-tests');
    await h.runTask('glidepath-rollback-tests');
    const [test] = await h.tests();
    expect(test).toMatchObject({
      state: 'not_run',
      stateReason:
        'the rollout provider "fake" cannot roll a version forward again after rolling it back, so Glidepath does not roll it back',
    });
    expect(h.provider.latest('cart-staging').phase).toBe('succeeded');
  });

  it('runs on request, and refuses what cannot be tested with a clear error', async () => {
    const h = await start({ config: { rollbackTests: { policy: 'off' } } });
    stops.push(h.stop);
    h.provider.add('cart-staging', {});
    h.provider.finish('cart-staging', 'succeeded');
    await h.sync();
    await h.runTask('glidepath-rollback-tests');
    expect(await h.tests()).toEqual([]);

    const post = (entity: string, body: object, key?: string) => {
      const req = request(h.server)
        .post(
          `/api/glidepath/entities/component/default/${entity}/rollback-tests`,
        )
        .set('Authorization', owner);
      if (key) req.set('Idempotency-Key', key);
      return req.send(body);
    };
    const solo = await post('solo', { reason: 'drill' }, 'k1');
    expect(solo.status).toBe(409);
    expect(solo.body.error.message).toBe(
      'component:default/solo has no non-production environment (its glidepath.dev/rollout names production); rollback tests run in one, never in production',
    );
    const production = await post(
      'cart',
      { reason: 'drill', environment: 'production' },
      'k2',
    );
    expect(production.status).toBe(409);
    const blank = await post('cart', { reason: '  ' }, 'k3');
    expect(blank.status).toBe(400);
    const noKey = await post('cart', { reason: 'drill' });
    expect(noKey.status).toBe(400);

    const first = await post(
      'cart',
      { reason: 'Before the release train' },
      'k4',
    );
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      trigger: 'manual',
      environment: 'staging',
      version: '2.4.0',
      state: 'pending',
      requestedBy: { kind: 'user', ref: OWNER },
    });
    const again = await post(
      'cart',
      { reason: 'Before the release train' },
      'k4',
    );
    expect(again.body.id).toBe(first.body.id);
    expect(await h.tests()).toHaveLength(1);
  });

  describe('the production gate', () => {
    async function withProductionRelease() {
      const h = await start({
        annotations: { 'glidepath.dev/rollback-gate': 'required' },
      });
      stops.push(h.stop);
      h.provider.add('cart', { version: '2.4.0', previousVersion: '2.3.1' });
      await h.sync();
      const summary = async () =>
        (
          await request(h.server)
            .get('/api/glidepath/entities/component/default/cart')
            .set('Authorization', owner)
        ).body;
      return { ...h, summary };
    }

    it('holds a production release without a passed test at its first step, until overridden', async () => {
      const h = await withProductionRelease();
      let summary = await h.summary();
      expect(summary.rollbackGate).toMatchObject({
        mode: 'required',
        status: 'missing',
        holds: true,
        message:
          '2.4.0 has no rollback test in a non-production environment. Production waits at its first step until a test passes or someone allowed to steer the release overrides the gate with a reason.',
      });
      await h.analyze();
      summary = await h.summary();
      const pause = summary.recentActions[0];
      expect(pause).toMatchObject({
        action: 'pause',
        requestedBy: { kind: 'policy', ref: 'rollback-gate' },
      });
      await waitForAction(h.server, pause.id);
      await h.sync();

      const releaseId = summary.current.id;
      const resume = await request(h.server)
        .post(`/api/glidepath/releases/${releaseId}/actions`)
        .set('Authorization', owner)
        .set('Idempotency-Key', 'r1')
        .send({ action: 'resume', reason: 'go' });
      expect(resume.status).toBe(409);
      expect(resume.body.error.message).toMatch(
        /has no rollback test in a non-production environment/,
      );

      const override = (who: string, body: object) =>
        request(h.server)
          .post(`/api/glidepath/releases/${releaseId}/rollback-gate/override`)
          .set('Authorization', who)
          .send(body);
      expect((await override(owner, { reason: ' ' })).status).toBe(400);
      expect((await override(other, { reason: 'Hotfix' })).status).toBe(403);
      const done = await override(owner, { reason: 'Hotfix for INC-42' });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({
        status: 'overridden',
        holds: false,
        override: { reason: 'Hotfix for INC-42', by: { ref: OWNER } },
      });

      await h.analyze();
      summary = await h.summary();
      const resumed = summary.recentActions[0];
      expect(resumed).toMatchObject({
        action: 'resume',
        requestedBy: { kind: 'policy', ref: 'rollback-gate' },
      });
      expect(
        h.auditEvents
          .filter(e => e.eventId === 'rollback-gate-override')
          .map(e => e.outcome),
      ).toEqual(['fail', 'fail', 'success']);
    });

    it('lets a release go on once its version passed a test in staging', async () => {
      const h = await withProductionRelease();
      await h.analyze();
      let summary = await h.summary();
      await waitForAction(h.server, summary.recentActions[0].id);
      h.provider.add('cart-staging', {});
      h.provider.finish('cart-staging', 'succeeded');
      await h.sync();
      await h.runTask('glidepath-rollback-tests');
      summary = await h.summary();
      const rollback = summary.recentActions.find(
        (a: { action: string }) => a.action === 'rollback',
      );
      await waitForAction(h.server, rollback.id);
      await h.sync();
      await h.runTask('glidepath-rollback-tests');
      h.provider.finish('cart-staging', 'succeeded');
      await h.sync();
      await h.runTask('glidepath-rollback-tests');
      await h.sync();
      h.provider.finish('cart-staging', 'succeeded');
      await h.sync();
      await h.runTask('glidepath-rollback-tests');

      summary = await h.summary();
      expect(summary.rollbackGate).toMatchObject({
        status: 'passed',
        holds: false,
      });
      expect(summary.rollbackGate.message).toMatch(
        /^Rollback of 2.4.0 tested in staging: rolled back in \d+ s/,
      );
      await h.analyze();
      summary = await h.summary();
      expect(summary.recentActions[0]).toMatchObject({
        action: 'resume',
        requestedBy: { kind: 'policy', ref: 'rollback-gate' },
      });
    });
  });
});
