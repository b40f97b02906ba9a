import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { ProviderAnalysisRun } from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import { DatabaseReleaseStore } from './DatabaseReleaseStore';
import {
  at,
  clearReleaseTables,
  entityRef,
  observed,
  openReleaseStore,
  t0,
  upserter,
} from './__testUtils__/releaseFixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

// An Argo AnalysisRun as the provider maps it, one measurement so far.
function analysisRun(
  measurements: ProviderAnalysisRun['metrics'][number]['measurements'],
): ProviderAnalysisRun {
  return {
    name: 'checkout-service-7d9f-2-1',
    kind: 'Step',
    phase: measurements.length > 1 ? 'Successful' : 'Running',
    verdict: measurements.length > 1 ? 'pass' : null,
    message: null,
    startedAt: '2026-11-27T10:00:01.000Z',
    metrics: [
      {
        name: 'success-rate',
        phase: measurements.length > 1 ? 'Successful' : 'Running',
        verdict: measurements.length > 1 ? 'pass' : null,
        count: measurements.length,
        successful: measurements.length,
        failed: 0,
        inconclusive: 0,
        error: 0,
        message: null,
        successCondition: 'result[0] >= 0.95',
        failureCondition: null,
        failureLimit: 0,
        measurements,
      },
    ],
  };
}

const measurement = (value: string, second: number) => ({
  phase: 'Successful',
  verdict: 'pass' as const,
  value,
  message: null,
  startedAt: at(second).toISOString(),
  finishedAt: at(second).toISOString(),
});

describe.each(databases.eachSupportedId())(
  'DatabaseReleaseStore (%s)',
  databaseId => {
    let knex: Knex;
    let store: DatabaseReleaseStore;
    beforeAll(async () => {
      ({ knex, store } = await openReleaseStore(databases, databaseId));
    });
    afterEach(() => clearReleaseTables(knex));
    const upsert = upserter(() => store);

    describe('upsertObservedRelease', () => {
      it("keeps the provider's own analysis runs, replaces them when they change, and records no event for it", async () => {
        const first = await upsert(
          observed({
            providerAnalysis: [analysisRun([measurement('0.99', 1)])],
          }),
          at(2),
        );
        const id = first.release.id;
        await expect(store.getProviderAnalysis(id)).resolves.toEqual([
          analysisRun([measurement('0.99', 1)]),
        ]);

        // The same runs again: nothing to write.
        const same = await upsert(
          observed({
            providerAnalysis: [analysisRun([measurement('0.99', 1)])],
          }),
          at(3),
        );
        expect(same.changed).toBe(false);

        // A new measurement: the release changed (the UI refreshes), no event.
        const more = await upsert(
          observed({
            providerAnalysis: [
              analysisRun([measurement('0.99', 1), measurement('0.97', 4)]),
            ],
          }),
          at(5),
        );
        expect(more).toMatchObject({ changed: true, events: [] });
        await expect(store.getProviderAnalysis(id)).resolves.toEqual([
          analysisRun([measurement('0.99', 1), measurement('0.97', 4)]),
        ]);

        // An observation without runs (a provider that did not read them this
        // time) keeps what was stored.
        const without = await upsert(observed(), at(6));
        expect(without.changed).toBe(false);
        await expect(store.getProviderAnalysis(id)).resolves.toHaveLength(1);
        expect(await store.listEvents(id)).toEqual([
          expect.objectContaining({ type: 'created' }),
        ]);
      });

      it('has no provider analysis for a release whose provider runs none', async () => {
        const { release } = await upsert(observed(), at(2));
        await expect(store.getProviderAnalysis(release.id)).resolves.toEqual(
          [],
        );
        await expect(
          store.getProviderAnalysis('no-such-release'),
        ).resolves.toEqual([]);
      });

      it('keeps a release that ended badly from becoming succeeded or running again, and takes a retry', async () => {
        await upsert(observed(), at(2));
        await upsert(
          observed({ phase: 'aborted', canaryWeight: 0, finishedAt: at(3) }),
          at(3),
        );
        // A provider that reconstructs old revisions reports it superseded.
        const superseded = await upsert(
          observed({
            phase: 'succeeded',
            canaryWeight: 100,
            message: 'Superseded by revision 8',
            finishedAt: at(4),
          }),
          at(4),
        );
        expect(superseded.release.phase).toBe('aborted');
        expect(superseded.release.canaryWeight).toBe(0);
        expect(superseded.events.map(e => e.type)).not.toContain(
          'phase_changed',
        );
        // Running again with no update since it ended: a stale reading.
        const stale = await upsert(observed({ phase: 'progressing' }), at(5));
        expect(stale.release.phase).toBe('aborted');
        expect(stale.changed).toBe(false);
        // A retry: the provider updated the release after it ended.
        const retried = await upsert(
          observed({ phase: 'progressing', updatedAt: at(6) }),
          at(6),
        );
        expect(retried.release.phase).toBe('progressing');
      });

      it('inserts a new release with a created event, then writes nothing for the same observation', async () => {
        const first = await upsert(observed(), at(2));
        expect(first.changed).toBe(true);
        expect(first.release).toEqual({
          id: expect.any(String),
          entityRef,
          version: '2.4.0',
          previousVersion: '2.3.1',
          environment: 'production',
          strategy: 'canary',
          phase: 'progressing',
          steps: [
            {
              index: 0,
              kind: 'set_weight',
              weight: 10,
              durationSeconds: null,
              description: '10%',
              status: 'completed',
            },
            {
              index: 1,
              kind: 'pause',
              weight: null,
              durationSeconds: 300,
              description: 'Wait 5 minutes',
              status: 'running',
            },
            {
              index: 2,
              kind: 'set_weight',
              weight: 50,
              durationSeconds: null,
              description: '50%',
              status: 'pending',
            },
          ],
          currentStepIndex: 1,
          canaryWeight: 10,
          provider: 'sandbox',
          providerRef: 'checkout-service/rev-42',
          simulated: true,
          message: null,
          startedBy: {
            kind: 'provider',
            ref: 'sandbox',
            displayName: 'Sandbox',
          },
          commit: 'a1b2c3d',
          startedAt: '2026-11-27T10:00:00.123Z',
          updatedAt: '2026-11-27T10:00:01.130Z',
          finishedAt: null,
        });
        expect(first.events).toEqual([
          expect.objectContaining({
            type: 'created',
            releaseId: first.release.id,
            fromPhase: null,
            toPhase: 'progressing',
            stepIndex: 1,
            canaryWeight: 10,
            occurredAt: at(2).toISOString(),
          }),
        ]);
        await expect(store.getRelease(first.release.id)).resolves.toEqual(
          first.release,
        );

        // A later poll that sees the same release (only updatedAt moved).
        const again = await upsert(observed({ updatedAt: at(30) }), at(31));
        expect(again).toEqual({
          release: first.release,
          changed: false,
          events: [],
        });
        await expect(store.listEvents(first.release.id)).resolves.toEqual(
          first.events,
        );
        await expect(store.getRelease(first.release.id)).resolves.toEqual(
          first.release,
        );
      });

      it('records a phase change with the time it was observed', async () => {
        const { release } = await upsert(observed(), at(2));
        const result = await upsert(
          observed({
            phase: 'paused',
            message: 'Paused by the analysis',
            updatedAt: at(60),
          }),
          at(61),
        );
        expect(result.changed).toBe(true);
        expect(result.release).toMatchObject({
          id: release.id,
          phase: 'paused',
          message: 'Paused by the analysis',
          updatedAt: at(60).toISOString(),
        });
        expect(result.events).toEqual([
          {
            id: expect.any(String),
            releaseId: release.id,
            type: 'phase_changed',
            fromPhase: 'progressing',
            toPhase: 'paused',
            stepIndex: 1,
            canaryWeight: 10,
            message: 'Paused by the analysis',
            occurredAt: at(61).toISOString(),
          },
        ]);
        const events = await store.listEvents(release.id);
        expect(events.map(e => e.type)).toEqual(['created', 'phase_changed']);
        expect(events[1]).toEqual(result.events[0]);
      });

      it('records a step change, and a phase change takes precedence over it', async () => {
        const { release } = await upsert(observed(), at(2));

        const stepped = await upsert(
          observed({ currentStepIndex: 2, canaryWeight: 50 }),
          at(400),
        );
        expect(stepped.events).toEqual([
          expect.objectContaining({
            type: 'step_changed',
            fromPhase: 'progressing',
            toPhase: 'progressing',
            stepIndex: 2,
            canaryWeight: 50,
            occurredAt: at(400).toISOString(),
          }),
        ]);

        const reweighted = await upsert(
          observed({ currentStepIndex: 2, canaryWeight: 62.5 }),
          at(410),
        );
        expect(reweighted.events).toEqual([
          expect.objectContaining({ type: 'step_changed', canaryWeight: 62.5 }),
        ]);

        const done = await upsert(
          observed({
            phase: 'succeeded',
            currentStepIndex: null,
            canaryWeight: 100,
            finishedAt: at(500),
          }),
          at(501),
        );
        expect(done.events).toEqual([
          expect.objectContaining({
            type: 'phase_changed',
            fromPhase: 'progressing',
            toPhase: 'succeeded',
            stepIndex: null,
            canaryWeight: 100,
          }),
        ]);
        expect(done.release.finishedAt).toBe(at(500).toISOString());

        const events = await store.listEvents(release.id);
        expect(events.map(e => [e.type, e.occurredAt])).toEqual([
          ['created', at(2).toISOString()],
          ['step_changed', at(400).toISOString()],
          ['step_changed', at(410).toISOString()],
          ['phase_changed', at(501).toISOString()],
        ]);
      });

      it('replaces the steps when the observed steps change, without an event', async () => {
        const { release } = await upsert(observed(), at(2));
        const result = await upsert(
          observed({
            steps: [
              {
                kind: 'set_weight',
                weight: 25,
                description: '25%',
                status: 'completed',
              },
              {
                kind: 'analysis',
                description: 'Error rate',
                status: 'running',
              },
            ],
          }),
          at(3),
        );
        expect(result.changed).toBe(true);
        expect(result.events).toEqual([]);
        const stored = await store.getRelease(release.id);
        expect(stored?.steps).toEqual([
          {
            index: 0,
            kind: 'set_weight',
            weight: 25,
            durationSeconds: null,
            description: '25%',
            status: 'completed',
          },
          {
            index: 1,
            kind: 'analysis',
            weight: null,
            durationSeconds: null,
            description: 'Error rate',
            status: 'running',
          },
        ]);
        expect(result.release).toEqual(stored);

        // A step's status alone is a change too.
        const again = await upsert(
          observed({
            steps: [
              {
                kind: 'set_weight',
                weight: 25,
                description: '25%',
                status: 'completed',
              },
              {
                kind: 'analysis',
                description: 'Error rate',
                status: 'completed',
              },
            ],
          }),
          at(4),
        );
        expect(again.changed).toBe(true);
        expect(again.release.steps[1].status).toBe('completed');
        expect((await store.getRelease(release.id))?.steps).toHaveLength(2);
      });

      it("keeps an experiment step's experiment, and a change of it is a change of the release", async () => {
        const experiment = (phase: string, runPhase: string) => ({
          name: 'canary-demo-645d5dbc4c-2-0',
          phase,
          verdict: phase === 'Successful' ? ('pass' as const) : null,
          message: null,
          templates: [
            {
              name: 'canary-preview',
              replicaSet: 'canary-demo-645d5dbc4c-2-0-canary-preview',
              status: 'Running',
              replicas: 1,
              readyReplicas: 1,
              availableReplicas: 1,
            },
          ],
          analysisRuns: [
            {
              name: 'canary-demo-645d5dbc4c-2-0-stress-test',
              analysis: 'stress-test',
              phase: runPhase,
              verdict: runPhase === 'Successful' ? ('pass' as const) : null,
              message: null,
            },
          ],
        });
        const steps = (phase: string, runPhase: string) => [
          {
            kind: 'analysis' as const,
            description: 'Experiment: canary-preview (canary)',
            status: 'running' as const,
            experiment: experiment(phase, runPhase),
          },
          {
            kind: 'set_weight' as const,
            description: '50%',
            status: 'pending' as const,
            weight: 50,
          },
        ];
        const { release } = await upsert(
          observed({ steps: steps('Running', 'Running') }),
          at(2),
        );
        const stored = await store.getRelease(release.id);
        expect(stored?.steps[0].experiment).toEqual(
          experiment('Running', 'Running'),
        );
        // Steps without an experiment carry none.
        expect(stored?.steps[1]).not.toHaveProperty('experiment');

        const same = await upsert(
          observed({ steps: steps('Running', 'Running') }),
          at(3),
        );
        expect(same.changed).toBe(false);

        const finished = await upsert(
          observed({ steps: steps('Running', 'Successful') }),
          at(4),
        );
        expect(finished.changed).toBe(true);
        expect(
          (await store.getRelease(release.id))?.steps[0].experiment
            ?.analysisRuns[0],
        ).toMatchObject({ phase: 'Successful', verdict: 'pass' });
      });

      it('keeps one release when two replicas observe a new one at once', async () => {
        const other = await DatabaseReleaseStore.create({
          database: mockServices.database({ knex, migrations: { skip: true } }),
        });
        const results = await Promise.all([
          upsert(observed(), at(2)),
          other.upsertObservedRelease({
            entityRef,
            provider: 'sandbox',
            simulated: true,
            observed: observed(),
            observedAt: at(2),
          }),
        ]);
        expect(results[0].release.id).toBe(results[1].release.id);
        expect(results.filter(r => r.changed)).toHaveLength(1);
        const events = await store.listEvents(results[0].release.id);
        expect(events.map(e => e.type)).toEqual(['created']);
      });

      // Deterministic version of the race above: another replica's insert is
      // in flight (uncommitted) when this one looks, so this one's insert
      // waits for it and then hits the unique index. SQLite has one writer,
      // so the race cannot happen there.
      if (databaseId.startsWith('POSTGRES')) {
        it('uses the release another replica inserted while this one was inserting', async () => {
          const otherReplica = await knex.transaction();
          await otherReplica('releases').insert({
            id: 'inserted-by-other-replica',
            entity_ref: entityRef,
            provider: 'sandbox',
            provider_release_id: observed().providerReleaseId,
            version: '2.4.0',
            previous_version: '2.3.1',
            environment: 'production',
            strategy: 'canary',
            phase: 'progressing',
            current_step_index: 1,
            canary_weight: 10,
            message: null,
            started_by: JSON.stringify(observed().startedBy),
            commit_sha: 'a1b2c3d',
            simulated: true,
            started_at: t0,
            updated_at: at(1),
            finished_at: null,
            observed_at: at(2),
          });

          const result = upsert(observed(), at(2));
          // Wait until our insert is blocked behind the other transaction.
          for (;;) {
            const { rows } = await knex.raw(
              `select count(*)::int as waiting from pg_locks
                 join pg_stat_activity using (pid)
                where not granted and datname = current_database()`,
            );
            if (rows[0].waiting > 0) break;
            await new Promise(resolve => setImmediate(resolve));
          }
          await otherReplica.commit();

          // The other replica's row is used; only its missing steps are added.
          const { release, changed, events } = await result;
          expect(release.id).toBe('inserted-by-other-replica');
          expect(changed).toBe(true);
          expect(events).toEqual([]);
          expect(release.steps).toHaveLength(3);
          const [{ n }] = await knex('releases').count({ n: '*' });
          expect(Number(n)).toBe(1);
        });
      }

      it('keeps releases of different providers apart', async () => {
        const a = await upsert(observed(), at(2));
        const b = await store.upsertObservedRelease({
          entityRef,
          provider: 'argo-rollouts',
          simulated: false,
          observed: observed(),
          observedAt: at(2),
        });
        expect(b.changed).toBe(true);
        expect(b.release.id).not.toBe(a.release.id);
        expect(b.release.simulated).toBe(false);
      });
    });
    describe('upsertObservedReleases', () => {
      const rev = (n: number, overrides: Parameters<typeof observed>[0] = {}) =>
        observed({
          providerReleaseId: `checkout-service/rev-${n}`,
          ...overrides,
        });
      const upsertAll = (
        list: ReturnType<typeof observed>[],
        observedAt: Date,
      ) =>
        store.upsertObservedReleases({
          entityRef,
          provider: 'sandbox',
          simulated: true,
          observed: list,
          observedAt,
        });
      /** The SQL statements `fn` sends. */
      async function statements(fn: () => Promise<unknown>) {
        const sent: string[] = [];
        const listener = (query: { sql: string }) => sent.push(query.sql);
        knex.on('query', listener);
        try {
          await fn();
        } finally {
          knex.off('query', listener);
        }
        return sent;
      }

      it('reads once and writes nothing for observations that change nothing, and writes the one that does, in order', async () => {
        const runs = [analysisRun([measurement('0.99', 1)])];
        const first = await upsertAll(
          [rev(1), rev(2, { providerAnalysis: runs }), rev(3)],
          at(2),
        );
        expect(first.map(r => r.changed)).toEqual([true, true, true]);

        let again: Awaited<ReturnType<typeof upsertAll>> = [];
        const sent = await statements(async () => {
          again = await upsertAll(
            [rev(1), rev(2, { providerAnalysis: runs }), rev(3)],
            at(3),
          );
        });
        expect(again.map(r => [r.changed, r.release.id])).toEqual(
          first.map(r => [false, r.release.id]),
        );
        // The releases, their steps and the provider analyses; no
        // transaction, no write.
        expect(sent).toHaveLength(3);
        expect(sent.join('\n')).not.toMatch(/insert|update|delete|begin/i);

        const changed = await upsertAll(
          [
            rev(1),
            rev(2, {
              providerAnalysis: [
                analysisRun([measurement('0.99', 1), measurement('0.98', 2)]),
              ],
            }),
            rev(3, { phase: 'paused', message: 'Paused by a person' }),
          ],
          at(4),
        );
        expect(changed.map(r => r.changed)).toEqual([false, true, true]);
        expect(changed[1].events).toEqual([]);
        expect(changed[2].events.map(e => e.type)).toEqual(['phase_changed']);
        expect(changed[2].release.phase).toBe('paused');
      });

      it('leaves a release as it is when the observation is older than what is stored', async () => {
        const [first] = await upsertAll([rev(1)], at(2));
        await store.markProviderChanged(first.release.id, at(5));
        const [stale] = await upsertAll(
          [rev(1, { phase: 'progressing', canaryWeight: 50 })],
          at(4),
        );
        expect(stale.changed).toBe(false);
        expect((await store.getRelease(first.release.id))?.canaryWeight).toBe(
          10,
        );
      });
    });
  },
);
