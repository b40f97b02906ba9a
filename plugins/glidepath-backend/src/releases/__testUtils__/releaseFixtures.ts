import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Actor } from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import type { Knex } from 'knex';
import { DatabaseReleaseStore } from '../DatabaseReleaseStore';

/* What the release and action store tests share. */

export const entityRef = 'component:default/checkout-service';
export const alice: Actor = { kind: 'user', ref: 'user:default/alice' };
export const bob: Actor = { kind: 'user', ref: 'user:default/bob' };

// Odd milliseconds everywhere, so truncation to seconds would show.
export const t0 = new Date('2026-11-27T10:00:00.123Z');
export const at = (seconds: number) =>
  new Date(t0.getTime() + seconds * 1000 + 7);

// Fakes only Date, for tests that set the clock: the drivers keep their timers.
export const FAKE_DATE_ONLY: Parameters<typeof jest.useFakeTimers>[0] = {
  doNotFake: [
    'hrtime',
    'nextTick',
    'performance',
    'queueMicrotask',
    'setImmediate',
    'clearImmediate',
    'setInterval',
    'clearInterval',
    'setTimeout',
    'clearTimeout',
  ],
};

export function observed(
  overrides: Partial<ObservedRelease> = {},
): ObservedRelease {
  return {
    providerReleaseId: 'checkout-service/rev-42',
    version: '2.4.0',
    previousVersion: '2.3.1',
    environment: 'production',
    strategy: 'canary',
    phase: 'progressing',
    steps: [
      {
        kind: 'set_weight',
        weight: 10,
        description: '10%',
        status: 'completed',
      },
      {
        kind: 'pause',
        durationSeconds: 300,
        description: 'Wait 5 minutes',
        status: 'running',
      },
      { kind: 'set_weight', weight: 50, description: '50%', status: 'pending' },
    ],
    currentStepIndex: 1,
    canaryWeight: 10,
    message: null,
    startedBy: { kind: 'provider', ref: 'sandbox', displayName: 'Sandbox' },
    commit: 'a1b2c3d',
    startedAt: t0,
    updatedAt: at(1),
    finishedAt: null,
    ...overrides,
  };
}

/** A migrated release store on one of the test databases. */
export async function openReleaseStore(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): Promise<{ knex: Knex; store: DatabaseReleaseStore }> {
  const knex = await databases.init(databaseId);
  const store = await DatabaseReleaseStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  return { knex, store };
}

/** Empties the release tables between tests. */
export async function clearReleaseTables(knex: Knex): Promise<void> {
  await knex('release_actions').delete();
  await knex('release_events').delete();
  await knex('release_steps').delete();
  await knex('release_provider_analyses').delete();
  await knex('releases').delete();
  await knex('entity_sync_state').delete();
}

/** Records an observation of checkout-service as the sandbox reports it. */
export function upserter(store: () => DatabaseReleaseStore) {
  return (o: ObservedRelease, observedAt: Date) =>
    store().upsertObservedRelease({
      entityRef,
      provider: 'sandbox',
      simulated: true,
      observed: o,
      observedAt,
    });
}
