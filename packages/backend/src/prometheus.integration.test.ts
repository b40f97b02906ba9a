import { mockCredentials } from '@backstage/backend-test-utils';
import glidepathPrometheus from '@glidepath/backstage-plugin-backend-module-prometheus';
import request from 'supertest';
// Test-only helpers of the sibling packages (not exported, never published):
// the rollout provider and backend harness of the Glidepath backend's tests,
// and the Prometheus harness of the Prometheus module's contract tests.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { FakeRolloutProvider } from '../../../plugins/glidepath-backend/src/__testUtils__/FakeRolloutProvider';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  component,
  startGlidepathTestBackend,
} from '../../../plugins/glidepath-backend/src/__testUtils__/glidepathTestBackend';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  describeWithPrometheus,
  InstrumentedService,
  Load,
  RunningPrometheus,
  startInstrumentedService,
  startLoad,
  startPrometheus,
  TEST_JOB,
} from '../../../plugins/glidepath-backend-module-prometheus/src/__testUtils__/prometheusHarness';
import { waitFor } from './__testUtils__/waitFor';

jest.setTimeout(180_000);

const owner = mockCredentials.user.header('user:default/owner');

/**
 * The automated rollback end to end against a real Prometheus (Debian's
 * package, scraping every second): two versions of a small service
 * instrumented with prom-client under generated load, the Glidepath backend
 * with the Prometheus module, and a rollout provider under the test's control
 * (Kubernetes cannot run here). A healthy canary that waits for a promotion
 * is promoted; stopping Prometheus holds both releases without acting; a
 * fault injected into the canary is rolled back.
 */
describeWithPrometheus('automated rollback with a real Prometheus', () => {
  let stable: InstrumentedService;
  let canary: InstrumentedService;
  let load: Load;
  let prometheus: RunningPrometheus;
  let harness: Awaited<ReturnType<typeof startGlidepathTestBackend>>;
  const rollouts = new FakeRolloutProvider();

  beforeAll(async () => {
    stable = await startInstrumentedService({ version: '1.0.0' });
    canary = await startInstrumentedService({ version: '2.0.0' });
    load = startLoad({ urls: [stable.url, canary.url], rps: 50 });
    prometheus = await startPrometheus({
      targets: [stable.url, canary.url],
      scrapeInterval: '1s',
    });
    await prometheus.waitForScrapes(2);

    const startedAt = new Date();
    // checkout moves through its steps on its own (a timed pause);
    // search waits on a pause without a duration for someone to promote it.
    const timed = rollouts.setRelease('checkout', { startedAt });
    rollouts.setRelease('search', {
      startedAt,
      phase: 'paused',
      steps: timed.steps.map((step, i) =>
        i === 1 ? { ...step, durationSeconds: null } : step,
      ),
    });
    const metrics = `prometheus:job="${TEST_JOB}"`;
    harness = await startGlidepathTestBackend({
      providers: [rollouts],
      features: [glidepathPrometheus],
      entities: ['checkout', 'search'].map(name =>
        component(name, 'group:default/team', {
          'glidepath.dev/rollout': `fake:${name}`,
          'glidepath.dev/metrics': metrics,
        }),
      ),
      config: {
        glidepath: {
          prometheus: { baseUrl: prometheus.url, timeout: '3s' },
          // The instrumented services need no warm-up: judge from the start.
          analysis: {
            policies: {
              default: { holdDeadline: '1h', warmup: { seconds: 0 } },
            },
          },
        },
      },
    });
    await harness.sync();
  });

  afterAll(async () => {
    await harness?.stop();
    await load?.stop();
    await prometheus?.stop();
    await Promise.all([stable?.stop(), canary?.stop()]);
  });

  async function detail(name: string) {
    const summary = await request(harness.server)
      .get(`/api/glidepath/entities/component/default/${name}`)
      .set('Authorization', owner);
    const res = await request(harness.server)
      .get(`/api/glidepath/releases/${summary.body.current.id}`)
      .set('Authorization', owner);
    return res.body;
  }

  /** Runs the analysis every second until `name` gets `decision`. */
  async function analyseUntil(name: string, decision: string) {
    return waitFor(
      `a "${decision}" analysis of ${name}`,
      async () => {
        await harness.analyze();
        await harness.sync();
        const body = await detail(name);
        const analysis = body.analyses.find(
          (a: { decision: string }) => a.decision === decision,
        );
        return analysis ? { body, analysis } : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
  }

  it('promotes a healthy canary that waits for a promotion, and only watches the other', async () => {
    const { analysis } = await analyseUntil('search', 'promote');
    expect(analysis).toMatchObject({
      verdict: 'pass',
      metricsProvider: 'prometheus',
      simulated: false,
    });
    expect(analysis.metrics.map((m: { rule: string }) => m.rule)).toEqual([
      'error_rate',
      'latency_p95',
    ]);
    expect(analysis.metrics[0].canary.trials).toBeGreaterThan(100);
    expect(rollouts.actionCalls.map(c => c.action)).toEqual(['promote']);
    const checkout = await detail('checkout');
    expect(
      checkout.analyses.map((a: { decision: string }) => a.decision),
    ).not.toContain('rollback');
    expect(checkout.actions).toEqual([]);
  });

  it('holds both releases while Prometheus is down, and acts on nothing', async () => {
    await prometheus.stop({ keepData: true });
    try {
      await harness.analyze();
      for (const name of ['checkout', 'search']) {
        const latest = (await detail(name)).analyses.at(-1);
        expect(latest).toMatchObject({ verdict: 'no_data', decision: 'hold' });
        expect(latest.reason).toContain('the metrics provider failed');
        expect(latest.reason).toContain(prometheus.url);
      }
      expect(rollouts.actionCalls.map(c => c.action)).toEqual(['promote']);
    } finally {
      await prometheus.restart();
    }
  });

  it('rolls back a canary once a fault is injected into it', async () => {
    canary.setFault({ errorRate: 0.2 });
    const { analysis } = await analyseUntil('checkout', 'rollback');
    expect(analysis.verdict).toBe('fail');
    expect(analysis.reason).toMatch(
      /^Rolled back 2\.0\.0 automatically under the "default" policy: Canary error rate/,
    );
    const failing = analysis.metrics.find(
      (m: { rule: string }) => m.rule === 'error_rate',
    );
    expect(failing.verdict).toBe('fail');
    expect(failing.canary.observed).toBeGreaterThan(failing.baseline.observed);
    const settled = await waitFor('the rollback to finish', async () => {
      const body = await detail('checkout');
      return body.actions[0]?.state === 'succeeded' ? body : undefined;
    });
    expect(settled.release.phase).toBe('rolled_back');
    expect(settled.actions[0]).toMatchObject({
      action: 'rollback',
      requestedBy: { kind: 'policy', ref: 'default' },
    });
  });
});
