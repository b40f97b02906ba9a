import type { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
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
const TEAM = 'group:default/team-checkout';

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

function owned(entity: Entity): Entity {
  return {
    ...entity,
    relations: [{ type: 'ownedBy', targetRef: TEAM }],
  };
}

const healthy = {
  status: 'ok' as const,
  canary: armMetrics(20_000, 100),
  baseline: armMetrics(80_000, 400),
};
const failing = {
  status: 'ok' as const,
  canary: armMetrics(2_000, 160),
  baseline: armMetrics(8_000, 40),
};

async function setup(
  options: {
    config?: JsonObject;
    annotations?: Record<string, string>;
    indefinitePause?: boolean;
    strategy?: 'canary' | 'blue_green';
    startedAt?: Date;
    /** Also a release of the target `checkout-staging`. */
    staging?: boolean;
  } = {},
) {
  const rollouts = new FakeRolloutProvider();
  const metrics = new FakeMetricsProvider();
  if (options.staging) rollouts.setRelease('checkout-staging');
  const release = rollouts.setRelease('checkout', {
    strategy: options.strategy ?? 'canary',
    ...(options.startedAt ? { startedAt: options.startedAt } : {}),
  });
  if (options.indefinitePause) {
    release.steps[1] = { ...release.steps[1], durationSeconds: null };
    release.phase = 'paused';
  }
  const harness = await startGlidepathTestBackend({
    providers: [rollouts],
    metricsProviders: [metrics],
    entities: [
      owned(
        component('checkout', TEAM, {
          'glidepath.dev/rollout': 'fake:checkout',
          ...options.annotations,
        }),
      ),
    ],
    config: options.config,
  });
  running.push(harness.stop);
  await harness.sync();
  const summary = await request(harness.server)
    .get('/api/glidepath/entities/component/default/checkout')
    .set('Authorization', owner);
  const releaseId = summary.body.current.id as string;
  const detail = async () =>
    (
      await request(harness.server)
        .get(`/api/glidepath/releases/${releaseId}`)
        .set('Authorization', owner)
    ).body;
  const settled = async () => {
    for (let i = 0; i < 200; i++) {
      const body = await detail();
      if (
        body.actions.every(
          (a: { state: string }) =>
            a.state === 'succeeded' || a.state === 'failed',
        )
      ) {
        return body;
      }
      await new Promise(r => setTimeout(r, 25));
    }
    throw new Error('actions did not settle');
  };
  return { ...harness, rollouts, metrics, releaseId, detail, settled };
}

describe('the analysis engine', () => {
  it('rolls back a failing canary once, as the policy, audited, with owners notified', async () => {
    const h = await setup();
    h.metrics.readings.set('checkout@2', failing);
    await h.analyze();
    await h.analyze(); // the same decision again while the rollback runs
    const body = await h.settled();

    expect(body.analyses[0]).toMatchObject({
      verdict: 'fail',
      decision: 'rollback',
      policy: 'default',
      metricsProvider: 'fake',
      simulated: false,
    });
    expect(body.analyses[0].reason).toMatch(
      /^Rolled back 2\.0\.0 automatically under the "default" policy: Canary error rate 8\.00% \(160 of 2,000\) vs baseline 0\.50% \(40 of 8,000\)/,
    );
    const errorRate = body.analyses[0].metrics.find(
      (m: { rule: string }) => m.rule === 'error_rate',
    );
    expect(errorRate).toMatchObject({
      verdict: 'fail',
      canary: { trials: 2000, events: 160, observed: 0.08 },
      baseline: { trials: 8000, events: 40, observed: 0.005 },
      threshold: 0.01,
    });
    expect(errorRate.eValue).toBeGreaterThanOrEqual(errorRate.eValueThreshold);

    const rollbacks = h.rollouts.actionCalls.filter(
      c => c.action === 'rollback',
    );
    expect(rollbacks).toHaveLength(1);
    expect(body.actions).toHaveLength(1);
    expect(body.actions[0]).toMatchObject({
      action: 'rollback',
      state: 'succeeded',
      requestedBy: { kind: 'policy', ref: 'default' },
    });
    expect(body.analyses[0].actionId).toBe(body.actions[0].id);
    expect(body.release.phase).toBe('rolled_back');

    // The second run asks again (a replay of the same key) if it sees the
    // release before the rollback finished, or not at all if after: either
    // way one rollback is recorded (above), and every request is audited.
    const audited = h.auditEvents.filter(
      e => e.eventId === 'release-action' && e.outcome === 'success',
    );
    expect(audited.length).toBeGreaterThanOrEqual(1);
    expect(audited.map(e => (e.meta as { action: string }).action)).toEqual(
      audited.map(() => 'rollback'),
    );
    expect(h.notifications[0]).toMatchObject({
      recipients: { type: 'entity', entityRef: [TEAM] },
      payload: {
        title: 'Glidepath rolled back checkout 2.0.0',
        severity: 'high',
      },
    });
    expect(h.signals.map(s => (s.message as { type: string }).type)).toContain(
      'analysis-recorded',
    );
  });

  it('says on the analysis that a freeze refused its promote, and promotes nothing', async () => {
    const local = (hours: number) =>
      new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16);
    const h = await setup({
      indefinitePause: true,
      config: {
        glidepath: {
          calendar: {
            windows: [
              {
                title: 'Sale',
                effect: 'deny',
                scope: { kind: 'organisation' },
                timezone: 'UTC',
                start: local(-1),
                end: local(1),
                reason: 'Black Friday',
              },
            ],
          },
        },
      },
    });
    h.metrics.readings.set('checkout@2', healthy);
    await h.analyze();
    const body = await h.settled();
    expect(body.analyses[0]).toMatchObject({
      verdict: 'pass',
      decision: 'promote',
      actionId: null,
    });
    expect(body.analyses[0].reason).toMatch(
      /^Glidepath did not promote: production is frozen for component:default\/checkout: Black Friday \(it opens again at .*\. The canary of 2\.0\.0 passed step 2: every rule/,
    );
    expect(body.actions).toEqual([]);
    expect(h.rollouts.actionCalls).toEqual([]);
  });

  it('rolls a release back automatically once, even when it is seen running at another step afterwards', async () => {
    const h = await setup();
    h.metrics.readings.set('checkout@2', failing);
    await h.analyze();
    await h.settled();
    // The provider reports the release running again, further on (a retry,
    // or a reading that says so), and its canary still fails.
    h.rollouts.setRelease('checkout', {
      currentStepIndex: 2,
      canaryWeight: 100,
      updatedAt: new Date(Date.now() + 60_000),
    });
    await h.sync();
    expect((await h.detail()).release.phase).toBe('progressing');
    await h.analyze();
    const body = await h.settled();

    expect(
      h.rollouts.actionCalls.filter(c => c.action === 'rollback'),
    ).toHaveLength(1);
    expect(body.actions).toHaveLength(1);
  });

  it('promotes a passing canary that waits on an indefinite pause, and only watches one on a timed step', async () => {
    const waiting = await setup({ indefinitePause: true });
    waiting.metrics.readings.set('checkout@2', healthy);
    await waiting.analyze();
    const promoted = await waiting.settled();
    expect(promoted.analyses[0]).toMatchObject({
      verdict: 'pass',
      decision: 'promote',
    });
    expect(promoted.actions[0]).toMatchObject({
      action: 'promote',
      state: 'succeeded',
      requestedBy: { kind: 'policy' },
    });

    const timed = await setup();
    timed.metrics.readings.set('checkout@2', healthy);
    await timed.analyze();
    const watched = await timed.settled();
    expect(watched.analyses[0]).toMatchObject({
      verdict: 'pass',
      decision: 'continue',
      actionId: null,
    });
    expect(watched.actions).toEqual([]);
  });

  it('holds on a metrics outage, then escalates once: pauses the release and tells the owners', async () => {
    const h = await setup({
      config: {
        glidepath: {
          analysis: {
            policies: { default: { holdDeadline: { milliseconds: 300 } } },
          },
        },
      },
    });
    h.metrics.outage = new Error('Prometheus at http://prom:9090 refused');
    await h.analyze();
    let body = await h.detail();
    expect(body.analyses[0]).toMatchObject({
      verdict: 'no_data',
      decision: 'hold',
      actionId: null,
    });
    expect(body.analyses[0].reason).toContain(
      'the metrics provider failed: Prometheus at http://prom:9090 refused',
    );
    expect(h.rollouts.actionCalls).toEqual([]);

    await new Promise(r => setTimeout(r, 400));
    await h.analyze();
    body = await h.settled();
    expect(body.analyses[1]).toMatchObject({ decision: 'escalate' });
    expect(body.actions).toEqual([
      expect.objectContaining({
        action: 'pause',
        state: 'succeeded',
        requestedBy: expect.objectContaining({ kind: 'policy' }),
      }),
    ]);
    expect(h.notifications).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          title: 'Glidepath paused checkout 2.0.0: no usable metrics',
        }),
      }),
    ]);

    // Paused by the escalation: left to people from now on.
    await h.analyze();
    expect((await h.detail()).analyses).toHaveLength(2);
    expect(h.rollouts.actionCalls.map(c => c.action)).toEqual(['pause']);
  });

  it('judges only a gross failure during the warm-up, and says so', async () => {
    const startedAt = new Date(Date.now() - 20_000);
    const h = await setup({ startedAt });
    // 8% of the canary's requests failing against 0.5%: a warm-up burst.
    h.metrics.readings.set('checkout@2', failing);
    await h.analyze();
    const body = await h.detail();
    expect(body.analyses[0]).toMatchObject({
      verdict: 'inconclusive',
      decision: 'continue',
      actionId: null,
    });
    expect(body.analyses[0].reason).toMatch(
      /^Canary 2\.0\.0 is warming up: the "default" policy judges it from 1 min after it started/,
    );
    // One read: the counts since the canary started.
    expect(h.metrics.queries).toHaveLength(1);
    expect(h.metrics.queries[0].from.getTime()).toBe(startedAt.getTime());
    expect(h.rollouts.actionCalls).toEqual([]);
  });

  it('rolls back during the warm-up a canary failing more than any warm-up does', async () => {
    const startedAt = new Date(Date.now() - 20_000);
    const h = await setup({ startedAt });
    // 95% of the canary's requests failing: a crash, not a warm-up.
    h.metrics.readings.set('checkout@2', {
      status: 'ok',
      canary: armMetrics(2_000, 1_900),
      baseline: armMetrics(8_000, 40),
    });
    await h.analyze();
    const body = await h.detail();
    expect(body.analyses[0]).toMatchObject({
      verdict: 'fail',
      decision: 'rollback',
      // Judged on the counts since the canary started.
      from: startedAt.toISOString(),
    });
    expect(body.analyses[0].reason).toMatch(
      /^Rolled back 2\.0\.0 automatically during its warm-up under the "default" policy, which judges only failures no warm-up shows until then: Canary error rate 95\.00% \(1,900 of 2,000\) vs baseline 0\.50% \(40 of 8,000\) during the warm-up: failing more requests than any warm-up/,
    );
    expect(h.rollouts.actionCalls.map(c => c.action)).toEqual(['rollback']);
  });

  it('escalates a canary too quiet to judge to its owners, and judges on: rolls it back once it fails', async () => {
    const h = await setup({
      config: {
        glidepath: {
          analysis: {
            policies: { default: { holdDeadline: { milliseconds: 300 } } },
          },
        },
      },
    });
    h.metrics.readings.set('checkout@2', {
      status: 'ok',
      canary: armMetrics(12, 0),
      baseline: armMetrics(48, 0),
    });
    await h.analyze();
    expect((await h.detail()).analyses[0]).toMatchObject({
      verdict: 'inconclusive',
      decision: 'continue',
    });
    await new Promise(r => setTimeout(r, 400));
    await h.analyze();
    const body = await h.settled();
    expect(body.analyses[1]).toMatchObject({
      verdict: 'inconclusive',
      decision: 'escalate',
    });
    expect(body.analyses[1].reason).toMatch(
      /^No decision about canary 2\.0\.0 after [\d.]+ s: not enough evidence either way on error rate \(the canary has served 12 requests since its warm-up\)\. Notified its owners/,
    );
    // Told, not paused: the canary is judged on.
    expect(body.actions).toEqual([]);
    expect(h.notifications).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          title:
            'Glidepath cannot decide about checkout 2.0.0 yet: too little evidence',
        }),
      }),
    ]);
    // Once at most: the next undecided evaluation watches on.
    await h.analyze();
    expect((await h.detail()).analyses[2]).toMatchObject({
      decision: 'continue',
    });
    expect(h.notifications).toHaveLength(1);
    h.metrics.readings.set('checkout@2', failing);
    await h.analyze();
    const after = await h.settled();
    expect(after.analyses[3]).toMatchObject({ decision: 'rollback' });
    expect(after.actions.map((a: { action: string }) => a.action)).toEqual([
      'rollback',
    ]);
  });

  it.each([
    [
      'missing series',
      {},
      (m: FakeMetricsProvider) => m.readings.delete('checkout@2'),
      'no metrics: no series for checkout@2',
    ],
    [
      'an unknown policy',
      { 'glidepath.dev/policy': 'strict' },
      (m: FakeMetricsProvider) => m.readings.set('checkout@2', failing),
      'glidepath.dev/policy names "strict", which is not in glidepath.analysis.policies (known: default)',
    ],
    [
      'an unknown metrics provider',
      { 'glidepath.dev/metrics': 'prometheus:job="checkout"' },
      (m: FakeMetricsProvider) => m.readings.set('checkout@2', failing),
      'no metrics provider "prometheus" is installed',
    ],
    [
      'a malformed SLO',
      { 'glidepath.dev/slo': '101' },
      (m: FakeMetricsProvider) => m.readings.set('checkout@2', failing),
      'glidepath.dev/slo: "101" is not an availability objective',
    ],
    [
      'no canary traffic',
      {},
      (m: FakeMetricsProvider) =>
        m.readings.set('checkout@2', {
          status: 'ok',
          canary: armMetrics(0, 0),
          baseline: armMetrics(5000, 20),
        }),
      'the canary has served no requests yet',
    ],
  ])(
    'holds, never rolls back, on %s',
    async (_name, annotations, arrange, reason) => {
      const h = await setup({ annotations });
      arrange(h.metrics);
      await h.analyze();
      const body = await h.detail();
      expect(body.analyses).toHaveLength(1);
      expect(body.analyses[0]).toMatchObject({ decision: 'hold' });
      expect(body.analyses[0].reason).toContain(reason);
      expect(h.rollouts.actionCalls).toEqual([]);
    },
  );

  it('judges burn rates against the entity SLO with the trailing windows', async () => {
    const h = await setup({ annotations: { 'glidepath.dev/slo': '99.9' } });
    h.metrics.readings.set('checkout@2', healthy);
    await h.analyze();
    const body = await h.detail();
    expect(
      body.analyses[0].metrics.map((m: { rule: string }) => m.rule),
    ).toEqual(['error_rate', 'burn_rate_fast', 'burn_rate_slow']);
    // The release started long ago: one read since its start, four burn
    // windows and the current recent window.
    expect(h.metrics.queries).toHaveLength(6);
  });

  it("judges each environment's canary on the metrics of that environment's target", async () => {
    const h = await setup({
      staging: true,
      annotations: {
        'glidepath.dev/rollout':
          'staging=fake:checkout-staging;production=fake:checkout',
      },
    });
    h.metrics.readings.set('checkout@2', healthy);
    h.metrics.readings.set('checkout-staging@2', healthy);
    await h.analyze();
    const selectors = new Map(
      h.metrics.queries.map(q => [
        q.target.providerReleaseId,
        q.target.selector,
      ]),
    );
    expect(Object.fromEntries(selectors)).toEqual({
      'checkout@2': 'checkout',
      'checkout-staging@2': 'checkout-staging',
    });
  });

  it('does not judge blue-green releases', async () => {
    const h = await setup({ strategy: 'blue_green' });
    h.metrics.readings.set('checkout@2', failing);
    await h.analyze();
    expect((await h.detail()).analyses).toEqual([]);
    expect(h.metrics.queries).toEqual([]);
  });
});
