import type { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import type {
  ObservedRelease,
  RolloutActionRequest,
  RolloutTarget,
} from '@glidepath/backstage-plugin-node';
import { readSandboxConfig } from './config';
import { SandboxRolloutProvider } from './SandboxRolloutProvider';

/*
 * Production promotes only what its staging twin completed: a staging slot
 * that comes during a restore or a roll forward is delayed, not skipped;
 * production waits for staging, and never starts a version staging rolled
 * back, aborted, failed or did not run.
 */

jest.setTimeout(60_000);

const T0 = Date.parse('2026-03-02T10:00:00Z');
const S = 1000;
const MIN = 60 * S;
const ADA = { kind: 'user' as const, ref: 'user:default/ada' };

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart-service',
    annotations: {
      'glidepath.dev/rollout':
        'staging=sandbox:cart-staging; production=sandbox:cart-service',
    },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

const staging: RolloutTarget = {
  entityRef: 'component:default/cart-service',
  ref: 'cart-staging',
  environment: 'staging',
  entity,
};
const production: RolloutTarget = {
  ...staging,
  ref: 'cart-service',
  environment: 'production',
};

function providerAt(
  clock: { now: number },
  database?: DatabaseService,
): SandboxRolloutProvider {
  return new SandboxRolloutProvider({
    ...readSandboxConfig(
      new ConfigReader({
        // Restores succeed, so that the delayed release's previous version
        // is the restored one.
        glidepath: { sandbox: { seed: 'promotion', rollbackFailureShare: 0 } },
      }),
    ),
    now: () => new Date(clock.now),
    database,
  });
}

async function releasesOf(
  provider: SandboxRolloutProvider,
  target: RolloutTarget,
): Promise<ObservedRelease[]> {
  const [rollout] = await provider.listRollouts([target]);
  if (!('releases' in rollout)) throw new Error(rollout.error);
  return rollout.releases;
}

function act(
  provider: SandboxRolloutProvider,
  release: ObservedRelease,
  action: RolloutActionRequest['action'],
) {
  return provider.performAction({
    target: staging,
    providerReleaseId: release.providerReleaseId,
    action,
    reason: 'testing',
    actor: ADA,
    signal: new AbortController().signal,
  });
}

function isTrain(release: ObservedRelease): boolean {
  return release.startedBy.ref === 'sandbox';
}

/**
 * Every production release of the train started after T0 (of the versions
 * staging still reports) runs a version its staging twin completed, at
 * least the lead after staging's started and not before it completed.
 */
function expectOnlyPromoted(
  inStaging: ObservedRelease[],
  inProduction: ObservedRelease[],
) {
  const train = inStaging.filter(isTrain);
  const byVersion = new Map(train.map(r => [r.version, r]));
  // The releases staging still reports, after its history.
  const from = Math.max(T0 + 1, train[0].startedAt.getTime() + 2 * MIN);
  const live = inProduction.filter(
    r => isTrain(r) && r.startedAt.getTime() >= from,
  );
  expect(live.length).toBeGreaterThan(0);
  for (const release of live) {
    const twin = byVersion.get(release.version);
    // Completed: every step, even when a rollback test rolled it back since.
    expect({
      version: release.version,
      completedInStaging: twin?.steps.every(s => s.status === 'completed'),
    }).toEqual({ version: release.version, completedInStaging: true });
    expect(release.startedAt.getTime()).toBeGreaterThanOrEqual(
      twin!.startedAt.getTime() + 2 * MIN,
    );
    if (twin!.phase === 'succeeded') {
      expect(release.startedAt.getTime()).toBeGreaterThanOrEqual(
        twin!.finishedAt!.getTime(),
      );
    }
  }
}

describe('promotion from staging to production', () => {
  /** A provider at T0 that has seen both targets; staging's next release. */
  async function setup() {
    const clock = { now: T0 };
    const provider = providerAt(clock);
    const first = (await releasesOf(provider, staging)).at(-1)!;
    await releasesOf(provider, production);
    // Staging's next release starts here; production's of it 2 min later.
    const start = first.startedAt.getTime() + 4 * MIN;
    const at = async (time: number) => {
      clock.now = time;
      return {
        inStaging: await releasesOf(provider, staging),
        inProduction: await releasesOf(provider, production),
      };
    };
    return { provider, start, at };
  }

  it('delays a staging slot that comes during a restore until the restore ends, and production waits for it', async () => {
    const { provider, start, at } = await setup();
    // Staging's release of `start` has completed; roll it back just before
    // its next slot.
    const { inStaging } = await at(start + 4 * MIN - 10 * S);
    const completed = inStaging.at(-1)!;
    expect(completed).toMatchObject({
      startedAt: new Date(start),
      phase: 'succeeded',
    });
    await act(provider, completed, 'rollback');

    // The slot has come: the restore still runs, no new release yet.
    let now = await at(start + 4 * MIN + 5 * S);
    const restore = now.inStaging.at(-1)!;
    expect(restore).toMatchObject({
      providerReleaseId: `cart-staging@${completed.previousVersion}+restore.1`,
      phase: 'progressing',
    });

    now = await at(start + 12 * MIN);
    const restored = now.inStaging.find(
      r => r.providerReleaseId === restore.providerReleaseId,
    )!;
    expect(restored.phase).toBe('succeeded');
    const delayed = now.inStaging.find(
      r => isTrain(r) && r.startedAt.getTime() > start,
    )!;
    expect(delayed).toMatchObject({
      // as soon as the restore ended, from the version it restored
      startedAt: restored.finishedAt,
      previousVersion: completed.previousVersion,
      phase: 'succeeded',
    });
    expect(delayed.version).not.toBe(completed.version);

    // Production runs it, the usual lead after staging started it.
    const promoted = now.inProduction.find(r => r.version === delayed.version);
    expect(promoted).toMatchObject({
      startedAt: new Date(
        Math.max(
          start + 6 * MIN,
          delayed.startedAt.getTime() + 2 * MIN,
          delayed.finishedAt!.getTime(),
        ),
      ),
      previousVersion: completed.version,
    });
    expectOnlyPromoted(now.inStaging, now.inProduction);
  });

  it('has production wait for staging to complete a version, and skip a version staging never ran', async () => {
    const { provider, start, at } = await setup();
    let now = await at(start + 40 * S);
    const release = now.inStaging.at(-1)!;
    expect(release.phase).toBe('progressing');
    await act(provider, release, 'pause');

    // Production's slot has passed: it waits, on the version before.
    now = await at(start + 3 * MIN);
    const waiting = now.inProduction.at(-1)!;
    expect(waiting.version).toBe(release.previousVersion);
    expect(waiting.phase).toBe('succeeded');
    await act(provider, release, 'resume');

    now = await at(start + 5 * MIN);
    const completed = now.inStaging.find(
      r => r.providerReleaseId === release.providerReleaseId,
    )!;
    expect(completed.phase).toBe('succeeded');
    // Staging's next slot passed while the resumed release ran.
    expect(now.inStaging.at(-1)).toBe(
      now.inStaging.find(
        r => r.providerReleaseId === release.providerReleaseId,
      ),
    );
    expect(now.inProduction.at(-1)).toMatchObject({
      version: release.version,
      startedAt: completed.finishedAt,
    });

    now = await at(start + 12 * MIN);
    const after = now.inProduction.filter(
      r => r.startedAt.getTime() > completed.finishedAt!.getTime(),
    );
    // The version staging skipped never reaches production; the next one
    // staging ran does, on production's schedule.
    expect(after.length).toBeGreaterThan(0);
    const stagingNext = now.inStaging.find(r => r.startedAt.getTime() > start)!;
    expect(after[0]).toMatchObject({
      version: stagingNext.version,
      previousVersion: release.version,
      startedAt: new Date(stagingNext.startedAt.getTime() + 2 * MIN),
    });
    expectOnlyPromoted(now.inStaging, now.inProduction);
  });

  it('does not promote a version staging aborted, even once retried there: production keeps its stable version and moves on', async () => {
    const { provider, start, at } = await setup();
    let now = await at(start + 40 * S);
    const canary = now.inStaging.at(-1)!;
    await act(provider, canary, 'abort');
    now = await at(start + 60 * S);
    expect(now.inProduction.at(-1)!.version).toBe(canary.previousVersion);
    await act(provider, canary, 'retry');
    now = await at(start + 3 * MIN + 30 * S);
    expect(
      now.inStaging.find(r => r.providerReleaseId === canary.providerReleaseId),
    ).toMatchObject({ phase: 'succeeded' });

    now = await at(start + 4 * MIN);
    expect(now.inProduction.map(r => r.version)).not.toContain(canary.version);
    expect(now.inProduction.at(-1)).toMatchObject({
      version: canary.previousVersion,
      phase: 'succeeded',
    });

    now = await at(start + 7 * MIN);
    expect(now.inProduction.map(r => r.version)).not.toContain(canary.version);
    const next = now.inProduction.at(-1)!;
    expect(next).toMatchObject({
      startedAt: new Date(start + 6 * MIN),
      previousVersion: canary.previousVersion,
    });
    expect(next.version).not.toBe(canary.previousVersion);
    expectOnlyPromoted(now.inStaging, now.inProduction);
  });

  it('keeps production on schedule when staging is left alone', async () => {
    const { at } = await setup();
    const now = await at(T0 + 300 * MIN);
    expectOnlyPromoted(now.inStaging, now.inProduction);
    for (const release of now.inProduction.filter(isTrain)) {
      const twin = now.inStaging.find(r => r.version === release.version);
      if (!twin) continue;
      expect(release.startedAt.getTime() - twin.startedAt.getTime()).toBe(
        2 * MIN,
      );
    }
  });
});

describe('promotion on a database', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('reports the same promotions on every replica and after a restart', async () => {
      const knex = await databases.init(databaseId);
      const database: DatabaseService = { getClient: async () => knex };
      const clock = { now: T0 };
      const a = providerAt(clock, database);
      const b = providerAt(clock, database);
      const both = async (provider: SandboxRolloutProvider) => ({
        inStaging: await releasesOf(provider, staging),
        inProduction: await releasesOf(provider, production),
      });

      const first = (await both(a)).inStaging.at(-1)!;
      await both(b);
      const start = first.startedAt.getTime() + 4 * MIN;

      // b has seen production move on before a's rollback in staging
      // reaches it.
      clock.now = start + 3 * MIN;
      const seenByB = await both(b);
      expect(seenByB.inProduction.at(-1)!.startedAt.getTime()).toBe(
        start + 2 * MIN,
      );
      clock.now = start + 40 * S;
      const canary = (await both(a)).inStaging.at(-1)!;
      expect(canary.phase).toBe('progressing');
      await act(a, canary, 'rollback');

      // Then a rollback test: the next release, once completed, is rolled
      // back just before the slot after it, which the restore delays.
      clock.now = start + 8 * MIN - 10 * S;
      const completed = (await both(a)).inStaging.at(-1)!;
      expect(completed).toMatchObject({
        startedAt: new Date(start + 4 * MIN),
        phase: 'succeeded',
      });
      await act(b, completed, 'rollback');

      clock.now = start + 20 * MIN;
      const fromA = await both(a);
      const fromB = await both(b);
      const restarted = await both(providerAt(clock, database));
      expect(fromB).toEqual(fromA);
      expect(restarted).toEqual(fromA);

      expect(fromA.inProduction.map(r => r.version)).not.toContain(
        canary.version,
      );
      expect(
        fromA.inStaging.find(
          r =>
            isTrain(r) &&
            r.startedAt.getTime() > completed.startedAt.getTime() &&
            r.previousVersion === completed.previousVersion,
        )?.startedAt,
      ).toEqual(
        fromA.inStaging.find(r => r.providerReleaseId.endsWith('+restore.1'))
          ?.finishedAt,
      );
      expectOnlyPromoted(fromA.inStaging, fromA.inProduction);

      // Later still, the same again: the same seed, the same releases.
      clock.now = start + 45 * MIN;
      expect(await both(b)).toEqual(await both(providerAt(clock, database)));
    });
  });
});
