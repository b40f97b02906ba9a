import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { startGlidepathTestBackend } from '../__testUtils__/glidepathTestBackend';
import { FakeRolloutProvider } from '../__testUtils__/FakeRolloutProvider';
import { DatabaseRollbackTestStore } from '../rollbackTests/DatabaseRollbackTestStore';

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

async function start() {
  const knex = await databases.init('SQLITE_3');
  const provider = new FakeRolloutProvider('fake');
  const harness = await startGlidepathTestBackend({
    providers: [provider],
    entities: [
      owned('checkout', 'team-cart'),
      owned('ledger', 'team-ledger'),
      group('team-cart'),
      group('team-ledger'),
    ],
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
  return { harness, provider, passed, post, metrics };
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
