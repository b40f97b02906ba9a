import { TestDatabases } from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import type { MetricEvidence } from '@glidepath/backstage-plugin-common';
import { DatabaseAnalysisStore } from './DatabaseAnalysisStore';
import { DatabaseReleaseStore } from '../releases/DatabaseReleaseStore';
import type { NewAnalysis } from './AnalysisStore';

jest.setTimeout(60_000);

const evidence: MetricEvidence = {
  rule: 'error_rate',
  verdict: 'fail',
  summary: 'Canary error rate 8.00% vs baseline 0.50%.',
  unit: 'ratio',
  canary: { trials: 2000, events: 160, observed: 0.08 },
  baseline: { trials: 8000, events: 40, observed: 0.005 },
  estimate: 0.075,
  lowerBound: 0.05,
  upperBound: 0.1,
  limit: 0.01,
  eValue: 1.5e300,
  eValueThreshold: 1000,
  threshold: 0.01,
  boundarySeconds: null,
  alpha: 0.001,
};

describe('DatabaseAnalysisStore', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const releases = await DatabaseReleaseStore.create({
      database: mockServices.database({ knex }),
    });
    const { release } = await releases.upsertObservedRelease({
      entityRef: 'component:default/checkout',
      provider: 'fake',
      simulated: false,
      observedAt: new Date('2026-11-27T10:00:00Z'),
      observed: {
        providerReleaseId: 'checkout@2',
        version: '2.0.0',
        previousVersion: '1.0.0',
        environment: 'production',
        strategy: 'canary',
        phase: 'progressing',
        steps: [],
        currentStepIndex: null,
        canaryWeight: 10,
        message: null,
        startedBy: { kind: 'provider', ref: 'fake' },
        commit: null,
        startedAt: new Date('2026-11-27T10:00:00Z'),
        updatedAt: new Date('2026-11-27T10:00:00Z'),
        finishedAt: null,
      },
    });
    const store = new DatabaseAnalysisStore(releases.client);
    const add = (at: string, patch: Partial<NewAnalysis> = {}) =>
      store.addAnalysis({
        releaseId: release.id,
        entityRef: release.entityRef,
        evaluatedAt: at,
        from: '2026-11-27T10:00:00.000Z',
        to: at,
        policy: 'default',
        metricsProvider: 'fake',
        simulated: false,
        verdict: 'inconclusive',
        decision: 'continue',
        reason: 'Watching.',
        metrics: [],
        actionId: null,
        ...patch,
      });
    return { store, release, add };
  }

  it.each(databases.eachSupportedId())(
    'stores analyses with their evidence and lists the latest, oldest first, on %p',
    async databaseId => {
      const { store, release, add } = await setup(databaseId);
      const first = await add('2026-11-27T10:00:05.000Z', {
        verdict: 'fail',
        decision: 'rollback',
        metrics: [evidence],
        actionId: 'action-1',
      });
      await add('2026-11-27T10:00:10.000Z');
      await add('2026-11-27T10:00:15.000Z');
      const all = await store.listAnalyses(release.id, 10);
      expect(all.map(a => a.evaluatedAt)).toEqual([
        '2026-11-27T10:00:05.000Z',
        '2026-11-27T10:00:10.000Z',
        '2026-11-27T10:00:15.000Z',
      ]);
      expect(all[0]).toEqual(first);
      expect(all[0].metrics).toEqual([evidence]);
      expect(
        (await store.listAnalyses(release.id, 2)).map(a => a.evaluatedAt),
      ).toEqual(['2026-11-27T10:00:10.000Z', '2026-11-27T10:00:15.000Z']);
    },
  );

  it.each(databases.eachSupportedId())(
    'finds the current run of holds and whether it escalated on %p',
    async databaseId => {
      const { store, release, add } = await setup(databaseId);
      expect(await store.getHoldRun(release.id)).toEqual({
        since: null,
        escalated: false,
      });
      await add('2026-11-27T10:00:05.000Z', { decision: 'hold' });
      await add('2026-11-27T10:00:10.000Z', {
        decision: 'continue',
        verdict: 'pass',
      });
      expect(await store.getHoldRun(release.id)).toEqual({
        since: null,
        escalated: false,
      });
      // Watching on without enough evidence either way decides nothing
      // either: it runs on with the holds.
      await add('2026-11-27T10:00:12.000Z', {
        decision: 'continue',
        verdict: 'inconclusive',
      });
      expect(await store.getHoldRun(release.id)).toEqual({
        since: new Date('2026-11-27T10:00:12.000Z'),
        escalated: false,
      });
      await add('2026-11-27T10:00:13.000Z', {
        decision: 'continue',
        verdict: 'pass',
      });
      await add('2026-11-27T10:00:15.000Z', { decision: 'hold' });
      await add('2026-11-27T10:00:20.000Z', { decision: 'hold' });
      expect(await store.getHoldRun(release.id)).toEqual({
        since: new Date('2026-11-27T10:00:15.000Z'),
        escalated: false,
      });
      await add('2026-11-27T10:00:25.000Z', { decision: 'escalate' });
      await add('2026-11-27T10:00:30.000Z', { decision: 'hold' });
      expect(await store.getHoldRun(release.id)).toEqual({
        since: new Date('2026-11-27T10:00:15.000Z'),
        escalated: true,
      });
    },
  );
});
