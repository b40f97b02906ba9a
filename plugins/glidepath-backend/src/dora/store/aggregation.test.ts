import {
  aggregateFacts,
  computeDora,
  doraReportOf,
} from '@glidepath/backstage-plugin-common';
import type { DeploymentRecord } from '../DoraStore';
import {
  CHECKOUT,
  deployment,
  PAYMENTS,
  round,
  doraStoreDatabases,
  T,
} from './__testUtils__/doraStoreTesting';

jest.setTimeout(60_000);

describe('DatabaseDoraStore', () => {
  const { databases, setup } = doraStoreDatabases();

  it.each(databases.eachSupportedId())(
    'aggregates in the database to the same report as the facts aggregated in JS (%p)',
    async databaseId => {
      const { store } = await setup(databaseId);
      const records: DeploymentRecord[] = [];
      // Three weeks of deployments of two services, some rolled back (one
      // not restored yet), different lead times.
      for (let i = 0; i < 40; i++) {
        const hour = -400 + i * 13;
        records.push(
          deployment(`d${i}`, hour, {
            entityRef: i % 3 ? CHECKOUT : PAYMENTS,
            firstCommitAt: T(hour - 1 - (i % 7) * 5),
            ...(i % 6 === 0 && {
              outcome: 'rolled_back' as const,
              finishedAt: i === 36 ? null : T(hour + 1 + (i % 4)),
            }),
          }),
        );
      }
      await store.recordDeployments(records);
      await store.recordIncidents([
        {
          id: 'PD-A',
          entityRef: CHECKOUT,
          openedAt: T(-100),
          resolvedAt: T(-90),
          matched: true,
        },
        { id: 'PD-B', entityRef: PAYMENTS, openedAt: T(-50), matched: true },
      ]);
      const options = {
        from: T(-420).getTime(),
        to: T(120).getTime(),
        bucket: 'week' as const,
        now: T(100).getTime(),
      };
      const range = { from: new Date(options.from), to: new Date(options.to) };
      for (const entityRefs of [undefined, [CHECKOUT]]) {
        const inJs = computeDora(
          await store.listFacts({ entityRefs, ...range }),
          options,
        );
        const aggregates = await store.aggregate({
          entityRefs,
          ...range,
          bucket: 'week',
        });
        // SQLite has no percentile_cont: the service aggregates the facts.
        expect(
          aggregates ? round(doraReportOf(aggregates, options)) : 'in JS',
        ).toEqual(databaseId === 'SQLITE_3' ? 'in JS' : round(inJs));
        expect(inJs.summary.changeFailureRate.failures).toBeGreaterThan(0);
      }
      // Groups: a team of both services, and one of checkout alone.
      const members = [
        { entityRef: CHECKOUT, group: 'both' },
        { entityRef: PAYMENTS, group: 'both' },
        { entityRef: CHECKOUT, group: 'checkout' },
      ];
      const facts = await store.listFacts(range);
      const inJs = {
        both: aggregateFacts(facts),
        checkout: aggregateFacts(facts.filter(f => f.entityRef === CHECKOUT)),
      };
      const groups = await store.aggregateGroups({ ...range, members });
      expect(groups ? round(Object.fromEntries(groups)) : 'in JS').toEqual(
        databaseId === 'SQLITE_3' ? 'in JS' : round(inJs),
      );
    },
  );
});
