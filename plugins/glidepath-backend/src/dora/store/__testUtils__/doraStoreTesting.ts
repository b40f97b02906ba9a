import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { DatabaseDoraStore } from '../../DatabaseDoraStore';
import type { DeploymentRecord } from '../../DoraStore';
import { DatabaseReleaseStore } from '../../../releases/DatabaseReleaseStore';

/** An hour of Monday 2 November 2026, UTC. */
export const T = (hour: number) => new Date(Date.UTC(2026, 10, 2, hour));
export const CHECKOUT = 'component:default/checkout-service';
export const PAYMENTS = 'component:default/payments-service';

/** A production deployment of checkout at that hour, two hours after its first commit. */
export function deployment(
  id: string,
  hour: number,
  patch: Partial<DeploymentRecord> = {},
): DeploymentRecord {
  return {
    id,
    entityRef: CHECKOUT,
    environment: 'production',
    version: `1.${hour}.0`,
    deployedAt: T(hour),
    firstCommitAt: T(hour - 2),
    commit: null,
    outcome: 'succeeded',
    finishedAt: null,
    url: null,
    source: 'api',
    matched: true,
    production: true,
    ...patch,
  };
}

/** Numbers rounded to three decimals, for comparing SQL and JS percentiles. */
export const round = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value, (_, v) =>
      typeof v === 'number' ? Math.round(v * 1000) / 1000 : v,
    ),
  );

/**
 * The test databases of the store's tests (in a describe block), and a
 * store on one of them, as `setupStore` gives it.
 */
export function doraStoreDatabases() {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  return {
    databases,
    setup: (databaseId: TestDatabaseId) => setupStore(databases, databaseId),
  };
}

/**
 * A store on a migrated test database, and its facts of [T(-100), T(100))
 * by id (of the entities given or of all).
 */
export async function setupStore(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  const knex = await databases.init(databaseId);
  const releases = await DatabaseReleaseStore.create({
    database: mockServices.database({ knex }),
  });
  const store = new DatabaseDoraStore(releases.client);
  const facts = async (entityRefs?: string[]) =>
    Object.fromEntries(
      (await store.listFacts({ entityRefs, from: T(-100), to: T(100) })).map(
        f => [
          f.id,
          {
            lead: f.leadTimeMs,
            failed: f.failed,
            rule: f.failureRule,
            start: f.failureStartedAt,
            restored: f.restoredAt,
          },
        ],
      ),
    );
  return { knex, store, facts };
}
