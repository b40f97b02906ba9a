import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Knex } from 'knex';
import { DatabaseDoraStore } from '../dora/DatabaseDoraStore';
import type { DeploymentRecord } from '../dora/DoraStore';
import { DatabaseReleaseStore } from '../releases/DatabaseReleaseStore';
import { DatabaseRollbackTestStore } from '../rollbackTests/DatabaseRollbackTestStore';
import { DatabaseReleaseMetricsStore } from './DatabaseReleaseMetricsStore';
import { measureReleases, ProductionReleaseFact } from './measures';

jest.setTimeout(60_000);

const CART = 'component:default/cart';
const LEDGER = 'component:default/ledger';
const at = (minutes: number) =>
  new Date(Date.UTC(2026, 10, 2, 9, 0) + minutes * 60_000);

function deployment(
  id: string,
  over: Partial<DeploymentRecord> = {},
): DeploymentRecord {
  return {
    id,
    entityRef: CART,
    environment: 'production',
    version: '2.0.0',
    deployedAt: at(100),
    firstCommitAt: null,
    commit: null,
    outcome: 'succeeded',
    finishedAt: null,
    url: null,
    source: 'api',
    matched: true,
    production: true,
    ...over,
  };
}

async function passedTest(
  tests: DatabaseRollbackTestStore,
  options: {
    entityRef?: string;
    environment?: string;
    version: string;
    finishedAt: Date;
    state?: 'passed' | 'failed';
  },
) {
  const { test } = await tests.createTest({
    entityRef: options.entityRef ?? CART,
    environment: options.environment ?? 'staging',
    version: options.version,
    previousVersion: null,
    releaseId: `staging-${options.version}`,
    provider: 'fake',
    simulated: false,
    trigger: 'manual',
    idempotencyKey: `${options.version}-${
      options.environment
    }-${options.finishedAt.getTime()}`,
    requestedBy: { kind: 'user', ref: 'user:default/ada' },
    reason: 'test',
    requestedAt: at(0),
    knownReleaseIds: [],
  });
  await tests.updateTest(test.id, 0, {
    state: options.state ?? 'passed',
    finishedAt: options.finishedAt,
  });
}

async function release(
  knex: Knex,
  id: string,
  over: { environment?: string; phase?: string; finishedAt?: Date | null },
) {
  await knex('releases').insert({
    id,
    entity_ref: CART,
    provider: 'fake',
    provider_release_id: id,
    version: '2.0.0',
    previous_version: '1.9.0',
    environment: over.environment ?? 'production',
    strategy: 'canary',
    phase: over.phase ?? 'rolled_back',
    current_step_index: null,
    canary_weight: 0,
    message: null,
    started_by: JSON.stringify({ kind: 'user', ref: 'user:default/ada' }),
    commit_sha: null,
    simulated: false,
    started_at: at(0),
    updated_at: at(0),
    finished_at: over.finishedAt ?? null,
    observed_at: at(0),
  });
}

async function rollbackAction(
  knex: Knex,
  id: string,
  options: {
    releaseId: string;
    requestedAt: Date;
    by: { kind: string; ref: string };
    state?: string;
  },
) {
  await knex('release_actions').insert({
    id,
    release_id: options.releaseId,
    entity_ref: CART,
    action: 'rollback',
    reason: 'errors',
    state: options.state ?? 'succeeded',
    requested_by: JSON.stringify(options.by),
    idempotency_key: id,
    requested_at: options.requestedAt,
  });
}

async function rolledBackSeen(knex: Knex, releaseId: string, when: Date) {
  await knex('release_events').insert({
    release_id: releaseId,
    entity_ref: CART,
    type: 'phase_changed',
    from_phase: 'progressing',
    to_phase: 'rolled_back',
    step_index: null,
    canary_weight: 0,
    message: null,
    occurred_at: when,
  });
}

async function stepSeen(
  knex: Knex,
  releaseId: string,
  stepIndex: number,
  when: Date,
) {
  await knex('release_events').insert({
    release_id: releaseId,
    entity_ref: CART,
    type: stepIndex === 0 ? 'created' : 'step_changed',
    from_phase: 'progressing',
    to_phase: 'progressing',
    step_index: stepIndex,
    canary_weight: 10,
    message: null,
    occurred_at: when,
  });
}

/** One fact per release: the store counts them per day. */
const each = (facts: ProductionReleaseFact[]) =>
  facts.flatMap(f => Array.from({ length: f.count ?? 1 }, () => f));

describe('DatabaseReleaseMetricsStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    // The release store runs the migrations.
    await DatabaseReleaseStore.create({
      database: mockServices.database({ knex }),
    });
    return {
      knex,
      dora: new DatabaseDoraStore(knex),
      tests: new DatabaseRollbackTestStore(knex),
      store: new DatabaseReleaseMetricsStore(knex, {
        productionEnvironments: ['production'],
      }),
    };
  }

  it.each(databases.eachSupportedId())(
    'says which production releases were rollback-tested first, and how they went out, on %p',
    async databaseId => {
      const { dora, tests, store } = await setup(databaseId);
      await dora.recordDeployments([
        // Tested in staging before it started.
        deployment('tested', { version: '2.0.0', strategy: 'canary' }),
        // Its test finished after the production release had started.
        deployment('late', { version: '2.1.0', strategy: 'blue_green' }),
        // Only a failed test.
        deployment('failed', { version: '2.2.0', strategy: 'rolling' }),
        // Tested, but in production itself.
        deployment('prod-test', { version: '2.3.0' }),
        // The same version passed for another entity only.
        deployment('other', { entityRef: LEDGER, version: '2.0.0' }),
        // Not production; outside the range.
        deployment('staging', { environment: 'staging', production: false }),
        deployment('old', { deployedAt: at(-10_000) }),
      ]);
      await passedTest(tests, { version: '2.0.0', finishedAt: at(50) });
      await passedTest(tests, { version: '2.1.0', finishedAt: at(101) });
      await passedTest(tests, {
        version: '2.2.0',
        finishedAt: at(50),
        state: 'failed',
      });
      await passedTest(tests, {
        version: '2.3.0',
        environment: 'production',
        finishedAt: at(50),
      });

      const releases = await store.listProductionReleases({
        from: at(0),
        to: at(1000),
      });
      expect(
        each(releases)
          .map(r => `${r.tested} ${r.strategy}`)
          .sort((a, b) => a.localeCompare(b)),
      ).toEqual([
        'false blue_green',
        'false null',
        'false null',
        'false rolling',
        'true canary',
      ]);
      // Counted by day: the day's start, here the period's, which began
      // that day at 09:00.
      expect(releases.every(r => r.deployedAt === at(0).getTime())).toBe(true);
      const nextDay = await store.listProductionReleases({
        from: new Date(Date.UTC(2026, 10, 1)),
        to: at(1000),
      });
      expect(nextDay.map(r => r.deployedAt)).toContain(Date.UTC(2026, 10, 2));
      const cartOnly = await store.listProductionReleases({
        from: at(0),
        to: at(1000),
        entityRefs: [CART],
      });
      expect(each(cartOnly)).toHaveLength(4);
      const measures = measureReleases(releases, []);
      expect(measures.rollbackTested).toEqual({
        releases: 5,
        tested: 1,
        share: 0.2,
      });
      expect(measures.progressiveDelivery).toMatchObject({
        progressive: 2,
        allAtOnce: 1,
        unknown: 2,
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'counts a test that passed while the release was still at its first step (held by the gate), on %p',
    async databaseId => {
      const { knex, dora, tests, store } = await setup(databaseId);
      // g1: held at its first step from 100 to 110; its test passed at 105.
      await release(knex, 'g1', { phase: 'succeeded', finishedAt: at(120) });
      await stepSeen(knex, 'g1', 0, at(100));
      await stepSeen(knex, 'g1', 1, at(110));
      // g2: past its first step at 103, before its test passed at 106.
      await release(knex, 'g2', { phase: 'succeeded', finishedAt: at(120) });
      await stepSeen(knex, 'g2', 0, at(100));
      await stepSeen(knex, 'g2', 1, at(103));
      await dora.recordDeployments([
        deployment('release:g1', {
          source: 'release',
          version: '3.0.0',
          strategy: 'canary',
        }),
        deployment('release:g2', {
          source: 'release',
          version: '3.1.0',
          strategy: 'blue_green',
        }),
        // Posted, without steps: its start is what counts.
        deployment('posted', {
          version: '3.0.0',
          deployedAt: at(104),
          strategy: 'rolling',
        }),
      ]);
      await passedTest(tests, { version: '3.0.0', finishedAt: at(105) });
      await passedTest(tests, { version: '3.1.0', finishedAt: at(106) });
      const releases = await store.listProductionReleases({
        from: at(0),
        to: at(1000),
      });
      // g1 only: g2 went on before its test passed, the posted one started before.
      expect(each(releases)).toHaveLength(3);
      expect(releases.filter(r => r.tested).map(r => r.strategy)).toEqual([
        'canary',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    "times production rollbacks from the request to the release rolled back, but for rollback tests', on %p",
    async databaseId => {
      const { knex, store } = await setup(databaseId);
      const policy = { kind: 'policy', ref: 'default' };
      const ada = { kind: 'user', ref: 'user:default/ada' };
      // Automatic: seen rolled back 50 s after the request.
      await release(knex, 'p1', {});
      await rollbackAction(knex, 'a1', {
        releaseId: 'p1',
        requestedAt: at(10),
        by: policy,
      });
      await rolledBackSeen(knex, 'p1', new Date(at(10).getTime() + 50_000));
      // By hand: the provider finished it 3 min after the request, seen later.
      await release(knex, 'p2', { finishedAt: at(23) });
      await rollbackAction(knex, 'a2', {
        releaseId: 'p2',
        requestedAt: at(20),
        by: ada,
      });
      await rolledBackSeen(knex, 'p2', at(24));
      // By hand, failed: unfinished.
      await release(knex, 'p3', { phase: 'progressing' });
      await rollbackAction(knex, 'a3', {
        releaseId: 'p3',
        requestedAt: at(30),
        by: ada,
        state: 'failed',
      });
      // A rollback test's rollback, and one in staging: not counted.
      await release(knex, 's1', { environment: 'staging' });
      await rollbackAction(knex, 'a4', {
        releaseId: 's1',
        requestedAt: at(40),
        by: policy,
      });
      await rolledBackSeen(knex, 's1', at(41));
      await release(knex, 'p4', {});
      await rollbackAction(knex, 'a5', {
        releaseId: 'p4',
        requestedAt: at(50),
        by: { kind: 'policy', ref: 'rollback-test' },
      });
      await rolledBackSeen(knex, 'p4', at(51));

      const rollbacks = await store.listRollbacks({
        from: at(0),
        to: at(1000),
      });
      const byRequest = rollbacks.sort((a, b) => a.requestedAt - b.requestedAt);
      expect(byRequest).toEqual([
        {
          requestedAt: at(10).getTime(),
          automatic: true,
          finishedAt: at(10).getTime() + 50_000,
          unfinished: false,
        },
        {
          requestedAt: at(20).getTime(),
          automatic: false,
          finishedAt: at(23).getTime(),
          unfinished: false,
        },
        {
          requestedAt: at(30).getTime(),
          automatic: false,
          finishedAt: null,
          unfinished: true,
        },
      ]);
      expect(
        await store.listRollbacks({
          from: at(0),
          to: at(1000),
          entityRefs: [LEDGER],
        }),
      ).toEqual([]);
      expect(
        await store.listRollbacks({ from: at(15), to: at(1000) }),
      ).toHaveLength(2);
    },
  );

  /** A plan (in the plans' tables) whose members are these releases. */
  async function plan(knex: Knex, id: string, releaseIds: string[]) {
    const now = at(0);
    await knex('plans').insert({
      id,
      title: id,
      state: 'succeeded',
      failure_policy: 'halt',
      gates: '{}',
      start_at: now,
      created_by: JSON.stringify({ kind: 'user', ref: 'user:default/ada' }),
      created_at: now,
      idempotency_key: `key-${id}`,
      updated_at: now,
    });
    await knex('plan_members').insert(
      releaseIds.map((releaseId, idx) => ({
        plan_id: id,
        idx,
        entity_ref: CART,
        environment: 'production',
        version: '2.0.0',
        wave: idx,
        state: 'released',
        mode: 'provider',
        release_id: releaseId,
      })),
    );
  }

  it.each(databases.eachSupportedId())(
    'lists the production releases of the entities given one by one, with the plan each was a member release of, on %p',
    async databaseId => {
      const { knex, dora, store } = await setup(databaseId);
      await dora.recordDeployments([
        // Glidepath's releases (event id release:<id>), one of them a plan's.
        deployment('release:r-cart', {
          source: 'release',
          deployedAt: at(10),
        }),
        deployment('release:r-ledger', {
          entityRef: LEDGER,
          source: 'release',
          deployedAt: at(20),
        }),
        // A posted deployment whose id happens to name the plan's release:
        // not a release, so not the plan's.
        deployment('release:r-other', { source: 'api', deployedAt: at(30) }),
        // Not production, another entity, outside the period.
        deployment('staging', {
          environment: 'staging',
          production: false,
          deployedAt: at(40),
        }),
        deployment('search', {
          entityRef: 'component:default/search',
          deployedAt: at(50),
        }),
        deployment('old', { deployedAt: at(-10_000) }),
      ]);
      await plan(knex, 'p1', ['r-cart', 'r-other']);
      const facts = await store.listCrossServiceCandidates({
        from: at(0),
        to: at(1000),
        entityRefs: [CART, LEDGER],
      });
      expect(facts.sort((a, b) => a.deployedAt - b.deployedAt)).toEqual([
        {
          id: 'release:r-cart',
          entityRef: CART,
          deployedAt: at(10).getTime(),
          planId: 'p1',
          simulated: false,
        },
        {
          id: 'release:r-ledger',
          entityRef: LEDGER,
          deployedAt: at(20).getTime(),
          planId: null,
          simulated: false,
        },
        {
          id: 'release:r-other',
          entityRef: CART,
          deployedAt: at(30).getTime(),
          planId: null,
          simulated: false,
        },
      ]);
      expect(
        await store.listCrossServiceCandidates({
          from: at(15),
          to: at(25),
          entityRefs: [CART, LEDGER],
        }),
      ).toHaveLength(1);
      expect(
        await store.listCrossServiceCandidates({
          from: at(0),
          to: at(1000),
          entityRefs: [],
        }),
      ).toEqual([]);
    },
  );
});
