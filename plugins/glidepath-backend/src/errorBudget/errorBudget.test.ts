import { mockCredentials } from '@backstage/backend-test-utils';
import type {
  MetricsProvider,
  MetricsReading,
  ServiceErrorsQuery,
  ServiceErrorsReading,
} from '@glidepath/backstage-plugin-node';
import request from 'supertest';
import { FakeRolloutProvider } from '../__testUtils__/FakeRolloutProvider';
import {
  component,
  startGlidepathTestBackend,
} from '../__testUtils__/glidepathTestBackend';
import { waitForAction } from '../releases/__testUtils__/releaseApi';

const OWNER = 'user:default/owner';
const READER = 'user:default/reader';
const owner = mockCredentials.user.header(OWNER);
const reader = mockCredentials.user.header(READER);

/** A metrics provider that answers the 28-day read with what is set. */
class BudgetProvider implements MetricsProvider {
  readonly id = 'fake';
  readonly queries: ServiceErrorsQuery[] = [];
  reading: ServiceErrorsReading = { status: 'ok', requests: 0, errors: 0 };
  outage: Error | undefined;

  async readMetrics(): Promise<MetricsReading> {
    return { status: 'no_data', reason: 'not in this test' };
  }

  async readServiceErrors(
    query: ServiceErrorsQuery,
  ): Promise<ServiceErrorsReading> {
    this.queries.push(query);
    if (this.outage) throw this.outage;
    return this.reading;
  }
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('the error-budget policy', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map(stop => stop()));
  });

  async function start(
    options: {
      slo?: string;
      paused?: boolean;
      metrics?: MetricsProvider[];
      config?: object;
    } = {},
  ) {
    const provider = new FakeRolloutProvider();
    provider.setRelease('checkout', options.paused ? { phase: 'paused' } : {});
    const metrics = new BudgetProvider();
    const annotations: Record<string, string> = {
      'glidepath.dev/rollout': 'fake:checkout',
    };
    if (options.slo !== undefined) {
      annotations['glidepath.dev/slo'] = options.slo;
    }
    const harness = await startGlidepathTestBackend({
      providers: [provider],
      metricsProviders: options.metrics ?? [metrics],
      entities: [
        component('checkout', 'group:default/team-checkout', annotations),
      ],
      // The owner may steer releases; the reader may only read them.
      allow: (user, _resource, permission) =>
        user === undefined ||
        (user === OWNER && permission !== 'glidepath.freeze.override'),
      config: options.config,
    });
    stops.push(harness.stop);
    await harness.sync();
    const summary = await request(harness.server)
      .get('/api/glidepath/entities/component/default/checkout')
      .set('Authorization', owner);
    const releaseId = summary.body.current.id as string;
    const act = (action: string, key: string) =>
      request(harness.server)
        .post(`/api/glidepath/releases/${releaseId}/actions`)
        .set('Authorization', owner)
        .set('Idempotency-Key', key)
        .send({ action, reason: 'test' });
    const calendar = async () =>
      (
        await request(harness.server)
          .get('/api/glidepath/entities/component/default/checkout/calendar')
          .set('Authorization', owner)
          .expect(200)
      ).body;
    const fix = (who: string, body: object, id = releaseId) =>
      request(harness.server)
        .post(`/api/glidepath/releases/${id}/fix`)
        .set('Authorization', who)
        .send(body);
    return { ...harness, metrics, releaseId, act, calendar, fix };
  }

  it('freezes promote while the budget is spent, never a rollback, and lets a release marked as a fix go on', async () => {
    const h = await start({ slo: '99.5' });
    h.metrics.reading = { status: 'ok', requests: 1_000_000, errors: 5_600 };

    const calendar = await h.calendar();
    expect(calendar.errorBudget).toMatchObject({
      status: 'spent',
      sloPercent: 99.5,
      windowDays: 28,
      requests: 1_000_000,
      errors: 5_600,
      frozen: true,
      environments: ['production'],
    });
    expect(calendar.errorBudget.burnedPercent).toBeCloseTo(112, 6);
    expect(calendar.environments).toEqual([
      {
        name: 'production',
        state: expect.objectContaining({
          closed: true,
          windowId: null,
          nextOpen: null,
          reason: expect.stringMatching(
            /^The error budget of its 99.5% SLO is spent: 112% of the 28-day budget burned/,
          ),
        }),
      },
    ]);
    expect(calendar.fixes).toEqual([]);
    // The provider was asked for the last 28 days of production, all versions.
    const [query] = h.metrics.queries;
    expect(query).toMatchObject({
      entityRef: 'component:default/checkout',
      selector: 'checkout',
      rolloutProvider: 'fake',
      environment: 'production',
    });
    expect(query.to.getTime() - query.from.getTime()).toBe(28 * 86_400_000);

    const refused = await h.act('promote', 'p1');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /production is frozen for component:default\/checkout: the error budget of its 99\.5% SLO is spent: 112% .*only releases marked as fixes go out until it recovers\. Rollbacks are never blocked; someone with glidepath\.release\.control can mark this release as a fix/,
    );

    // Bad input, unknown release, no permission: nothing is marked.
    expect((await h.fix(owner, {})).status).toBe(400);
    const blank = await h.fix(owner, { reason: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.message).toMatch(
      /^reason: say what this release fixes/,
    );
    const unknown = await h.fix(owner, { reason: 'x' }, 'no-such-release');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'No release with id no-such-release',
    );
    const forbidden = await h.fix(reader, { reason: 'Fixes INC-7' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toMatch(/glidepath\.release\.control/);
    expect((await h.calendar()).fixes).toEqual([]);

    const marked = await h.fix(owner, { reason: 'Fixes INC-7 (the 5xx)' });
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({
      releaseId: h.releaseId,
      entityRef: 'component:default/checkout',
      environment: 'production',
      version: '2.0.0',
      reason: 'Fixes INC-7 (the 5xx)',
      by: { ref: OWNER },
    });
    // The first mark stays.
    const again = await h.fix(owner, { reason: 'Another reason' });
    expect(again.body).toEqual(marked.body);
    expect((await h.calendar()).fixes).toEqual([marked.body]);

    const promoted = await h.act('promote', 'p2');
    expect(promoted.status).toBe(202);
    await waitForAction(h.server, promoted.body.id);
    const rollback = await h.act('rollback', 'b1');
    expect(rollback.status).toBe(202);

    expect(
      h.auditEvents
        .filter(e => e.eventId === 'release-fix')
        .map(e => [e.outcome, (e.meta as { releaseId: string }).releaseId]),
    ).toEqual([
      ['fail', h.releaseId],
      ['fail', 'no-such-release'],
      ['fail', h.releaseId],
      ['success', h.releaseId],
      ['success', h.releaseId],
    ]);
    // Every read above came from one reading of the provider (cached).
    expect(h.metrics.queries).toHaveLength(1);
  });

  it('refuses to resume a paused release while the budget is spent, until it is marked as a fix', async () => {
    const h = await start({ slo: '99', paused: true });
    h.metrics.reading = { status: 'ok', requests: 1000, errors: 10 };
    const refused = await h.act('resume', 'r1');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /^Cannot resume release .*: production is frozen for component:default\/checkout: the error budget of its 99% SLO is spent: 100% of the 28-day budget burned/,
    );
    expect((await h.fix(owner, { reason: 'Fixes the 5xx' })).status).toBe(200);
    const resumed = await h.act('resume', 'r2');
    expect(resumed.status).toBe(202);
    await waitForAction(h.server, resumed.body.id);
  });

  it('lets a rollback through while the budget is spent, without any mark', async () => {
    const h = await start({ slo: '99' });
    h.metrics.reading = { status: 'ok', requests: 1000, errors: 50 };
    expect((await h.act('promote', 'p1')).status).toBe(409);
    const rollback = await h.act('rollback', 'b1');
    expect(rollback.status).toBe(202);
    await waitForAction(h.server, rollback.body.id);
  });

  it('reads the budget again once the cache expires, and unfreezes when it recovers below 100%', async () => {
    const h = await start({
      slo: '99.9',
      config: { glidepath: { calendar: { errorBudget: { cacheTtl: '1s' } } } },
    });
    h.metrics.reading = { status: 'ok', requests: 1_000_000, errors: 1_000 };
    expect((await h.calendar()).errorBudget.status).toBe('spent');
    expect((await h.act('promote', 'p1')).status).toBe(409);

    // Within the TTL the reading stands, whatever the provider says now.
    h.metrics.reading = { status: 'ok', requests: 1_000_000, errors: 999 };
    expect((await h.calendar()).errorBudget.status).toBe('spent');
    expect(h.metrics.queries).toHaveLength(1);

    await sleep(1100);
    const recovered = await h.calendar();
    expect(recovered.errorBudget).toMatchObject({
      status: 'within',
      frozen: false,
    });
    expect(recovered.errorBudget.burnedPercent).toBeCloseTo(99.9, 6);
    expect(recovered.environments[0].state.closed).toBe(false);
    expect(h.metrics.queries).toHaveLength(2);
    expect((await h.act('promote', 'p2')).status).toBe(202);
  });

  it.each([
    [
      'no data',
      (m: BudgetProvider) => {
        m.reading = { status: 'no_data', reason: 'no series for checkout' };
      },
      /^No data: no series for checkout$/,
    ],
    [
      'a provider failure',
      (m: BudgetProvider) => {
        m.outage = new Error('Prometheus is down');
      },
      /^The metrics provider could not be read: Prometheus is down$/,
    ],
    [
      'no requests',
      (m: BudgetProvider) => {
        m.reading = { status: 'ok', requests: 0, errors: 0 };
      },
      /^No requests in the last 28 days/,
    ],
  ])('freezes nothing on %s, and says so', async (_, setUp, reason) => {
    const h = await start({ slo: '99.5' });
    setUp(h.metrics);
    const calendar = await h.calendar();
    expect(calendar.errorBudget).toMatchObject({
      status: 'unknown',
      frozen: false,
      reason: expect.stringMatching(reason),
    });
    expect(calendar.environments[0].state.closed).toBe(false);
    expect((await h.act('promote', 'p1')).status).toBe(202);
  });

  it('says the budget is unknown when the metrics provider cannot read 28 days', async () => {
    const readOnly: MetricsProvider = {
      id: 'fake',
      readMetrics: async () => ({ status: 'no_data', reason: 'none' }),
    };
    const h = await start({ slo: '99.5', metrics: [readOnly] });
    const calendar = await h.calendar();
    expect(calendar.errorBudget).toMatchObject({
      status: 'unknown',
      frozen: false,
      reason: expect.stringMatching(/has no readServiceErrors/),
    });
    expect((await h.act('promote', 'p1')).status).toBe(202);
  });

  it('applies no policy to a service without an SLO, and never reads its metrics', async () => {
    const h = await start();
    h.metrics.reading = { status: 'ok', requests: 100, errors: 100 };
    const calendar = await h.calendar();
    expect(calendar.errorBudget).toMatchObject({
      status: 'no_slo',
      frozen: false,
      sloPercent: null,
    });
    expect((await h.act('promote', 'p1')).status).toBe(202);
    expect(h.metrics.queries).toHaveLength(0);
  });

  it('is off with glidepath.calendar.errorBudget.enabled: false', async () => {
    const h = await start({
      slo: '99.5',
      config: { glidepath: { calendar: { errorBudget: { enabled: false } } } },
    });
    h.metrics.reading = { status: 'ok', requests: 100, errors: 100 };
    const calendar = await h.calendar();
    expect(calendar.errorBudget).toMatchObject({
      status: 'unknown',
      frozen: false,
      reason: expect.stringMatching(/policy is off here/),
    });
    expect((await h.act('promote', 'p1')).status).toBe(202);
    expect(h.metrics.queries).toHaveLength(0);
  });
});
