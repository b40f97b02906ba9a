import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { Knex } from 'knex';
import request from 'supertest';
import { startGlidepathTestBackend } from '../__testUtils__/glidepathTestBackend';
import { FakeRolloutProvider } from '../__testUtils__/FakeRolloutProvider';
import { DatabaseRollbackTestStore } from '../rollbackTests/DatabaseRollbackTestStore';
import { DatabaseDoraStore } from '../dora/DatabaseDoraStore';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const user = mockCredentials.user.header('user:default/ada');
const service = mockCredentials.service.header();

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map(stop => stop()));
});

function owned(name: string, team: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'glidepath.dev/rollout': `fake:${name}` },
    },
    spec: { type: 'service', lifecycle: 'production', owner: team },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${team}` }],
  };
}

function group(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  };
}

/** Monday 00:00 UTC of the last complete week. */
function lastWeekStart(now: number): number {
  const today = new Date(now);
  const midnight = Date.UTC(
    today.getUTCFullYear(),
    today.getUTCMonth(),
    today.getUTCDate(),
  );
  return midnight - ((today.getUTCDay() + 6) % 7) * DAY - 7 * DAY;
}

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function start(
  entities: Entity[] = [
    owned('checkout', 'team-cart'),
    owned('ledger', 'team-ledger'),
    group('team-cart'),
    group('team-ledger'),
  ],
) {
  const knex = await databases.init('SQLITE_3');
  const provider = new FakeRolloutProvider('fake');
  const harness = await startGlidepathTestBackend({
    providers: [provider],
    entities,
    knex,
  });
  running.push(harness.stop);
  const tests = new DatabaseRollbackTestStore(knex);
  /** A rollback test of ledger's version that passed in staging at `finishedAt`. */
  const passed = async (version: string, finishedAt: Date) => {
    const { test } = await tests.createTest({
      entityRef: 'component:default/ledger',
      environment: 'staging',
      version,
      previousVersion: null,
      releaseId: `staging-${version}`,
      provider: 'fake',
      simulated: false,
      trigger: 'manual',
      idempotencyKey: `test-${version}`,
      requestedBy: { kind: 'user', ref: 'user:default/ada' },
      reason: 'before production',
      requestedAt: new Date(finishedAt.getTime() - 120_000),
      knownReleaseIds: [],
    });
    await tests.updateTest(test.id, 0, { state: 'passed', finishedAt });
  };
  const post = (events: object[]) =>
    request(harness.server)
      .post('/api/glidepath/events/deployments')
      .set('Authorization', service)
      .send({ events });
  const metrics = (query: Record<string, string> = {}) =>
    request(harness.server)
      .get('/api/glidepath/release-metrics')
      .query(query)
      .set('Authorization', user);
  return { harness, provider, passed, post, metrics, knex };
}

const ledger = (id: string, version: string, deployedAt: Date, extra = {}) => ({
  id,
  entityRef: 'component:default/ledger',
  environment: 'production',
  version,
  deployedAt: deployedAt.toISOString(),
  ...extra,
});

describe('GET /release-metrics', () => {
  it('measures the organisation and a team from posted deployments, rollback tests and a rollback by hand', async () => {
    const { harness, provider, passed, post, metrics } = await start();
    const now = Date.now();
    const ago = (days: number) => new Date(now - days * DAY);

    const posted = await post([
      ledger('l1', '1.0.0', ago(20), { strategy: 'rolling' }),
      ledger('l2', '1.1.0', ago(10), { strategy: 'blue_green' }),
      ledger('l3', '1.2.0', ago(2)),
    ]);
    expect(posted.status).toBe(200);
    // 1.1.0 passed in staging before it went out; 1.2.0 only after.
    await passed('1.1.0', ago(11));
    await passed('1.2.0', ago(1));

    const refused = await post([
      ledger('l4', '1.3.0', ago(1), { strategy: 'big-bang' }),
    ]);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(
      'events[0].strategy: "big-bang" must be one of canary, blue_green, rolling, recreate (or left out when unknown)',
    );

    // checkout's production canary, rolled back by hand.
    provider.setRelease('checkout', { startedAt: ago(0.1) });
    await harness.sync();
    const summary = await request(harness.server)
      .get('/api/glidepath/entities/component/default/checkout')
      .set('Authorization', user);
    const releaseId = summary.body.current.id;
    const asked = await request(harness.server)
      .post(`/api/glidepath/releases/${releaseId}/actions`)
      .set('Authorization', user)
      .set('Idempotency-Key', 'rb-1')
      .send({ action: 'rollback', reason: 'errors up' });
    expect(asked.status).toBe(202);
    for (let i = 0; i < 50; i++) {
      const action = await request(harness.server)
        .get(`/api/glidepath/actions/${asked.body.id}`)
        .set('Authorization', user);
      if (action.body.state === 'succeeded') break;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    await harness.sync();

    const organisation = await metrics();
    expect(organisation.status).toBe(200);
    const body = organisation.body;
    expect(body.scope).toEqual({ type: 'all', ref: null });
    expect(body.targets).toEqual({
      rollbackTestedShare: 0.7,
      rollbackTimeMs: 120_000,
      plannedShare: 0.7,
    });
    // ledger's three and checkout's rolled-back canary.
    expect(body.summary.productionReleases).toBe(4);
    expect(body.summary.rollbackTested).toEqual({
      releases: 4,
      tested: 1,
      share: 0.25,
    });
    expect(body.summary.progressiveDelivery).toEqual({
      progressive: 2,
      allAtOnce: 1,
      unknown: 1,
      share: 2 / 3,
      strategies: { canary: 1, blue_green: 1, rolling: 1, recreate: 0 },
    });
    const { manual, automatic } = body.summary.rollbackTime;
    expect(automatic.rollbacks).toBe(0);
    expect(manual).toMatchObject({
      rollbacks: 1,
      withinTarget: 1,
      unfinished: 0,
    });
    expect(manual.medianMs).toBeGreaterThanOrEqual(0);
    expect(manual.medianMs).toBeLessThan(30_000);
    // Six months of weeks, the releases in them.
    expect(body.series.length).toBeGreaterThanOrEqual(26);
    expect(
      body.series.reduce(
        (sum: number, b: any) => sum + b.measures.productionReleases,
        0,
      ),
    ).toBe(4);

    const team = await metrics({ owner: 'group:default/team-ledger' });
    expect(team.status).toBe(200);
    expect(team.body.scope).toEqual({
      type: 'owner',
      ref: 'group:default/team-ledger',
    });
    expect(team.body.summary.rollbackTested).toEqual({
      releases: 3,
      tested: 1,
      share: 1 / 3,
    });
    expect(team.body.summary.rollbackTime.manual.rollbacks).toBe(0);

    const monthly = await metrics({
      entity: 'component:default/checkout',
      bucket: 'month',
      from: ago(40).toISOString(),
    });
    expect(monthly.status).toBe(200);
    expect(monthly.body.bucket).toBe('month');
    expect(monthly.body.summary.productionReleases).toBe(1);
    expect(monthly.body.summary.rollbackTime.manual.rollbacks).toBe(1);
  });

  it.each([
    [
      { bucket: 'day' },
      400,
      'query parameter bucket must be equal to one of the allowed values: week, month',
    ],
    [
      { owner: 'group:default/team-cart', entity: 'component:default/ledger' },
      400,
      'Give at most one of entity, owner and system, not entity and owner',
    ],
    [{ from: 'yesterday' }, 400, 'from "yesterday" is not a date'],
    [
      { entity: 'component:default/nope' },
      404,
      'No entity component:default/nope',
    ],
  ])('refuses %p with %p naming why', async (query, status, message) => {
    const { metrics } = await start();
    const answer = await metrics(query as Record<string, string>);
    expect(answer.status).toBe(status);
    expect(answer.body.error.message).toContain(message);
  });
});

describe("the weekly report's release metrics", () => {
  it("gives each team the week's measures against the targets, and says them in the notification", async () => {
    const { harness, passed, post } = await start();
    const weekStart = lastWeekStart(Date.now());
    const at = (days: number) => new Date(weekStart + days * DAY);
    expect(
      (
        await post([
          ledger('w1', '3.0.0', at(1), { strategy: 'canary' }),
          ledger('w2', '3.1.0', at(2), { strategy: 'canary' }),
          ledger('w3', '3.2.0', at(3), { strategy: 'recreate' }),
          // The week before: not in this report.
          ledger('w0', '2.9.0', at(-2), { strategy: 'recreate' }),
        ])
      ).status,
    ).toBe(200);
    await passed('3.0.0', at(0.5));
    await passed('3.1.0', at(1.5));
    await harness.runTask('glidepath-dora-weekly-report');

    const list = await request(harness.server)
      .get('/api/glidepath/dora/reports')
      .query({ owner: 'group:default/team-ledger' })
      .set('Authorization', user);
    const report = await request(harness.server)
      .get(`/api/glidepath/dora/reports/${list.body.items[0].id}`)
      .set('Authorization', user);
    expect(report.status).toBe(200);
    expect(report.body.periodStart).toBe(new Date(weekStart).toISOString());
    expect(report.body.releaseMetrics.targets).toEqual({
      rollbackTestedShare: 0.7,
      rollbackTimeMs: 120_000,
      plannedShare: 0.7,
    });
    expect(report.body.releaseMetrics.measures).toMatchObject({
      productionReleases: 3,
      rollbackTested: { releases: 3, tested: 2, share: 2 / 3 },
      progressiveDelivery: { progressive: 2, allAtOnce: 1, unknown: 0 },
    });
    const notification = harness.notifications.find(
      n =>
        n.recipients.type === 'entity' &&
        n.recipients.entityRef === 'group:default/team-ledger',
    );
    expect(notification?.payload.description).toContain(
      '2 of 3 production releases rollback-tested first (67%, target 70%); 2 of 3 progressive (canary or blue-green).',
    );
  });
});

describe('cross-service releases through a plan', () => {
  /** checkout depends on ledger; search is linked to nothing. */
  const linkedEntities = () => {
    const checkout = owned('checkout', 'team-cart');
    checkout.relations!.push({
      type: 'dependsOn',
      targetRef: 'component:default/ledger',
    });
    return [
      checkout,
      owned('ledger', 'team-ledger'),
      owned('search', 'team-cart'),
      group('team-cart'),
      group('team-ledger'),
    ];
  };

  /** Glidepath's releases as DORA records them, members of a plan. */
  async function plannedReleases(
    knex: Knex,
    planId: string,
    releases: Array<{ name: string; id: string; at: Date }>,
  ) {
    await new DatabaseDoraStore(knex).recordDeployments(
      releases.map(r => ({
        id: `release:${r.id}`,
        entityRef: `component:default/${r.name}`,
        environment: 'production',
        version: '2.0.0',
        deployedAt: r.at,
        firstCommitAt: null,
        commit: null,
        outcome: 'succeeded' as const,
        finishedAt: null,
        url: null,
        source: 'release' as const,
        matched: true,
        production: true,
      })),
    );
    const now = new Date();
    await knex('plans').insert({
      id: planId,
      title: planId,
      state: 'succeeded',
      failure_policy: 'halt',
      gates: '{}',
      start_at: now,
      created_by: JSON.stringify({ kind: 'user', ref: 'user:default/ada' }),
      created_at: now,
      idempotency_key: `key-${planId}`,
      updated_at: now,
    });
    await knex('plan_members').insert(
      releases.map((r, idx) => ({
        plan_id: planId,
        idx,
        entity_ref: `component:default/${r.name}`,
        environment: 'production',
        version: '2.0.0',
        wave: idx,
        state: 'released',
        mode: 'provider',
        release_id: r.id,
      })),
    );
  }

  it('counts linked services released within a day as one release, through a plan when every release was a member of one, per team and organisation', async () => {
    const { post, metrics, knex } = await start(linkedEntities());
    const now = Date.now();
    const ago = (days: number) => new Date(now - days * DAY);
    // Through plan p1: ledger first, checkout two hours later.
    await plannedReleases(knex, 'p1', [
      { name: 'ledger', id: 'r1', at: ago(30) },
      { name: 'checkout', id: 'r2', at: ago(30 - 2 / 24) },
    ]);
    // Not through a plan: both posted, three hours apart.
    expect(
      (
        await post([
          ledger('l1', '1.0.0', ago(10)),
          {
            ...ledger('c1', '3.0.0', ago(10 - 3 / 24)),
            entityRef: 'component:default/checkout',
          },
          // search, unlinked, the same hour: not a cross-service release.
          {
            ...ledger('s1', '1.0.0', ago(10)),
            entityRef: 'component:default/search',
          },
          // ledger again two days later: alone.
          ledger('l2', '1.1.0', ago(8)),
        ])
      ).status,
    ).toBe(200);

    const organisation = await metrics();
    expect(organisation.status).toBe(200);
    expect(organisation.body.targets.plannedShare).toBe(0.7);
    expect(organisation.body.summary.plannedCrossService).toEqual({
      crossServiceReleases: 2,
      planned: 1,
      share: 0.5,
    });
    // In the week of each one's first release.
    const weeks = organisation.body.series.filter(
      (b: any) => b.measures.plannedCrossService.crossServiceReleases > 0,
    );
    expect(weeks.map((b: any) => b.measures.plannedCrossService.share)).toEqual(
      [1, 0],
    );
    expect(Date.parse(weeks[0].start)).toBeLessThanOrEqual(ago(30).getTime());

    // Each team whose service took part counts it.
    for (const owner of [
      'group:default/team-cart',
      'group:default/team-ledger',
    ]) {
      const team = await metrics({ owner });
      expect(team.body.summary.plannedCrossService).toEqual({
        crossServiceReleases: 2,
        planned: 1,
        share: 0.5,
      });
    }
    const search = await metrics({ entity: 'component:default/search' });
    expect(search.body.summary.plannedCrossService).toEqual({
      crossServiceReleases: 0,
      planned: 0,
      share: null,
    });
    // A period that starts after the planned one.
    const recent = await metrics({ from: ago(20).toISOString() });
    expect(recent.body.summary.plannedCrossService).toEqual({
      crossServiceReleases: 1,
      planned: 0,
      share: 0,
    });
  });

  it("gives the week's share in the weekly report, with its target", async () => {
    const { harness, knex } = await start(linkedEntities());
    const weekStart = lastWeekStart(Date.now());
    const at = (days: number) => new Date(weekStart + days * DAY);
    await plannedReleases(knex, 'p1', [
      { name: 'ledger', id: 'r1', at: at(1) },
      { name: 'checkout', id: 'r2', at: at(1.1) },
    ]);
    await harness.runTask('glidepath-dora-weekly-report');
    const list = await request(harness.server)
      .get('/api/glidepath/dora/reports')
      .query({ owner: 'group:default/team-cart' })
      .set('Authorization', user);
    const report = await request(harness.server)
      .get(`/api/glidepath/dora/reports/${list.body.items[0].id}`)
      .set('Authorization', user);
    expect(report.body.releaseMetrics.measures.plannedCrossService).toEqual({
      crossServiceReleases: 1,
      planned: 1,
      share: 1,
    });
    const notification = harness.notifications.find(
      n =>
        n.recipients.type === 'entity' &&
        n.recipients.entityRef === 'group:default/team-cart',
    );
    expect(notification?.payload.description).toContain(
      '1 of 1 cross-service release through a release plan (100%, target 70%)',
    );
  });
});
