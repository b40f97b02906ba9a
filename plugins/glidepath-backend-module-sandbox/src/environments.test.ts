import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import type {
  ObservedRelease,
  RolloutTarget,
} from '@glidepath/backstage-plugin-node';
import { SandboxRolloutProvider } from './SandboxRolloutProvider';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;
const ROLLOUT = 'staging=sandbox:cart-staging; production=sandbox:cart-service';

function cart(rollout = ROLLOUT): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'cart-service',
      annotations: { 'glidepath.dev/rollout': rollout },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

function target(
  ref: string,
  environment: string | undefined,
  entity = cart(),
): RolloutTarget {
  return {
    entityRef: 'component:default/cart-service',
    ref,
    environment,
    entity,
  };
}

const staging = target('cart-staging', 'staging');
const production = target('cart-service', 'production');

function setup(sandbox: Record<string, unknown> = {}) {
  let now = T0;
  const provider = SandboxRolloutProvider.fromConfig(
    new ConfigReader({ glidepath: { sandbox: { seed: 'test', ...sandbox } } }),
    { now: () => new Date(now) },
  );
  const releasesOf = async (t: RolloutTarget): Promise<ObservedRelease[]> => {
    const [rollout] = await provider.listRollouts([t]);
    if (!('releases' in rollout)) throw new Error(rollout.error);
    return rollout.releases;
  };
  return {
    provider,
    releasesOf,
    latest: async (t: RolloutTarget) => (await releasesOf(t)).at(-1)!,
    setNow: (time: number) => {
      now = time;
    },
  };
}

describe('the sandbox with a staging target', () => {
  it('runs each version in staging first, half a release interval before production', async () => {
    const { releasesOf, setNow } = setup();
    // Both seen at T0, then four hours on.
    await releasesOf(staging);
    await releasesOf(production);
    setNow(T0 + 240 * MIN);
    const inStaging = await releasesOf(staging);
    const inProduction = await releasesOf(production);

    const byVersion = new Map(inProduction.map(r => [r.version, r]));
    const both = inStaging.filter(r => byVersion.has(r.version));
    expect(both.length).toBeGreaterThanOrEqual(5);
    for (const release of both) {
      const twin = byVersion.get(release.version)!;
      expect(release.providerReleaseId).toBe(`cart-staging@${release.version}`);
      // The same build, two minutes earlier (half of four minutes).
      expect(release.commit).toBe(twin.commit);
      expect(twin.startedAt.getTime() - release.startedAt.getTime()).toBe(
        2 * MIN,
      );
    }
  });

  it('has staging run the new version while production is still on its way to it', async () => {
    const { latest, setNow } = setup();
    const next = await latest(production);
    // One minute after the next staging release started: production's of the
    // same version starts a minute later.
    const nextStart = next.startedAt.getTime() + 4 * MIN;
    setNow(nextStart - 2 * MIN + 1 * MIN);
    const stagingNow = await latest(staging);
    const productionNow = await latest(production);
    expect(stagingNow.startedAt.getTime()).toBe(nextStart - 2 * MIN);
    expect(stagingNow.version).not.toBe(productionNow.version);
    expect(stagingNow.previousVersion).toBe(productionNow.version);

    // Later production releases it too.
    setNow(nextStart + 30_000);
    expect((await latest(production)).version).toBe(stagingNow.version);
  });

  it('keeps the production train of an entity exactly as before', async () => {
    const before = setup();
    const after = setup();
    const single = target(
      'cart-service',
      undefined,
      cart('sandbox:cart-service'),
    );
    for (const time of [T0, T0 + 37 * MIN, T0 + 300 * MIN]) {
      before.setNow(time);
      after.setNow(time);
      expect(await after.releasesOf(production)).toEqual(
        await before.releasesOf(single),
      );
    }
  });

  it('acts on the staging release only, and does not promote what staging rolled back', async () => {
    const { provider, latest, setNow } = setup();
    const first = await latest(staging);
    setNow(first.startedAt.getTime() + 4 * MIN + 40_000);
    const canary = await latest(staging);
    expect(canary.phase).toBe('progressing');
    await provider.performAction({
      target: staging,
      providerReleaseId: canary.providerReleaseId,
      action: 'rollback',
      reason: 'rollback test',
      actor: { kind: 'user', ref: 'user:default/ada' },
      signal: new AbortController().signal,
    });
    expect(await latest(staging)).toMatchObject({
      providerReleaseId: canary.providerReleaseId,
      phase: 'rolled_back',
    });
    setNow(first.startedAt.getTime() + 4 * MIN + 2 * MIN + 40_000);
    const productionNow = await latest(production);
    // Production keeps its stable version: the rolled-back build never
    // reaches it.
    expect(productionNow.version).toBe(canary.previousVersion);
    expect(productionNow.phase).toBe('succeeded');
  });

  it("serves the staging release's simulated metrics under the production selector", async () => {
    const { provider, latest, setNow } = setup();
    const first = await latest(staging);
    setNow(first.startedAt.getTime() + 4 * MIN + 100_000);
    const canary = await latest(staging);
    const read = (selector: string) =>
      provider.metricsProvider().readMetrics({
        target: {
          entityRef: staging.entityRef,
          entity: staging.entity,
          selector,
          rolloutProvider: 'sandbox',
          providerReleaseId: canary.providerReleaseId,
          version: canary.version,
          previousVersion: canary.previousVersion,
        },
        from: canary.startedAt,
        to: new Date(canary.startedAt.getTime() + 100_000),
        signal: new AbortController().signal,
      });
    expect((await read('cart-service')).status).toBe('ok');
    // Another service's selector is still refused.
    const other = await read('payments');
    expect(other).toMatchObject({
      status: 'no_data',
      reason: expect.stringContaining('not of "payments"'),
    });
  });

  it.each([
    // Production is not a sandbox target: staging runs its own train.
    ['staging=sandbox:cart-staging; production=argo-rollouts:eu/shop/cart'],
    // An environment after production is no twin either.
    ['production=sandbox:cart-service; staging=sandbox:cart-staging'],
  ])('runs its own train for %j', async rollout => {
    const twin = setup();
    const own = setup();
    const t = target('cart-staging', 'staging', cart(rollout));
    const alone = target(
      'cart-staging',
      undefined,
      cart('sandbox:cart-staging'),
    );
    expect(await twin.releasesOf(t)).toEqual(await own.releasesOf(alone));
  });

  it('starts the newest version staging completed once a release held at its first step ends, not the next slot', async () => {
    // As the rollback gate does: production's canary paused at its first
    // step while slots pass and staging completes newer versions.
    const { provider, releasesOf, latest, setNow } = setup();
    await releasesOf(staging);
    await releasesOf(production);
    let now = T0;
    let held: ObservedRelease | undefined;
    while (!held) {
      now += 5_000;
      setNow(now);
      const release = await latest(production);
      if (
        release.phase === 'progressing' &&
        release.currentStepIndex === 0 &&
        release.startedAt.getTime() > T0
      ) {
        held = release;
      }
    }
    const act = (action: 'pause' | 'resume') =>
      provider.performAction({
        target: production,
        providerReleaseId: held!.providerReleaseId,
        action,
        reason: 'rollback gate',
        actor: { kind: 'user', ref: 'user:default/ada' },
        signal: new AbortController().signal,
      });
    await act('pause');
    now += 10 * MIN;
    setNow(now);
    await act('resume');
    let ended: ObservedRelease | undefined;
    while (!ended) {
      now += 5_000;
      setNow(now);
      const release = (await releasesOf(production)).find(
        r => r.providerReleaseId === held!.providerReleaseId,
      )!;
      if (release.phase === 'succeeded') ended = release;
    }
    const at = ended.finishedAt!.getTime();
    // Staging's releases completed by then whose production slot (two
    // minutes after staging's start, the default lead) had come.
    const completed = (await releasesOf(staging)).filter(
      r =>
        r.phase === 'succeeded' &&
        !r.providerReleaseId.includes('+') &&
        r.finishedAt!.getTime() <= at &&
        r.startedAt.getTime() + 2 * MIN <= at,
    );
    const newest = completed[completed.length - 1];
    // Two slots passed while it was held; staging completed both.
    expect(newest.startedAt.getTime()).toBeGreaterThan(
      held.startedAt.getTime() + 4 * MIN,
    );
    const next = await latest(production);
    expect(next.providerReleaseId).not.toBe(held.providerReleaseId);
    expect(next.version).toBe(newest.version);
    expect(next.startedAt.getTime()).toBe(at);
  });

  it('leads by stagingLead when configured, production waiting for staging to complete', async () => {
    const { releasesOf, setNow } = setup({ stagingLead: { seconds: 50 } });
    await releasesOf(staging);
    await releasesOf(production);
    setNow(T0 + 60 * MIN);
    const inProduction = new Map(
      (await releasesOf(production)).map(r => [r.version, r]),
    );
    const shared = (await releasesOf(staging)).filter(r =>
      inProduction.has(r.version),
    );
    expect(shared.length).toBeGreaterThan(0);
    for (const r of shared) {
      // A canary of 10, 25, 50 and 100% takes longer than 50 s: production
      // starts when staging has completed it.
      expect(r.phase).toBe('succeeded');
      expect(inProduction.get(r.version)!.startedAt).toEqual(r.finishedAt);
      expect(r.finishedAt!.getTime() - r.startedAt.getTime()).toBeGreaterThan(
        50_000,
      );
    }
  });
});

describe('rollback tests in staging', () => {
  const ADA = { kind: 'user' as const, ref: 'user:default/ada' };
  const signal = () => new AbortController().signal;

  /** Staging's next release, succeeded; production as it is then. */
  async function succeededInStaging(sandbox: Record<string, unknown> = {}) {
    const run = setup(sandbox);
    const first = await run.latest(staging);
    await run.latest(production);
    const start = first.startedAt.getTime() + 4 * MIN;
    run.setNow(start + 2 * MIN);
    const release = await run.latest(staging);
    expect(release.phase).toBe('succeeded');
    const rollback = () =>
      run.provider.performAction({
        target: staging,
        providerReleaseId: release.providerReleaseId,
        action: 'rollback',
        reason: 'rollback test',
        actor: ADA,
        signal: signal(),
      });
    const rollForward = (version = release.version) =>
      run.provider.rollForward({
        target: staging,
        providerReleaseId: release.providerReleaseId,
        version,
        reason: 'rollback test',
        actor: ADA,
        signal: signal(),
      });
    const read = (providerReleaseId: string, from: number, to: number) =>
      run.provider.metricsProvider().readMetrics({
        target: {
          entityRef: staging.entityRef,
          entity: staging.entity,
          selector: 'cart-service',
          rolloutProvider: 'sandbox',
          providerReleaseId,
          version: release.previousVersion!,
          previousVersion: release.version,
        },
        from: new Date(from),
        to: new Date(to),
        signal: signal(),
      });
    return { ...run, start, release, rollback, rollForward, read };
  }

  it('restores, then rolls forward, in staging only', async () => {
    const { start, release, rollback, rollForward, latest, setNow, read } =
      await succeededInStaging();
    const productionBefore = await latest(production);
    await rollback();
    const restore = await latest(staging);
    expect(restore).toMatchObject({
      providerReleaseId: `cart-staging@${release.previousVersion}+restore.1`,
      phase: 'progressing',
    });
    expect(await latest(production)).toEqual(productionBefore);
    // a healthy canary: the old version serves as the stable does
    setNow(start + 2 * MIN + 20_000);
    const reading = await read(
      restore.providerReleaseId,
      start + 2 * MIN,
      start + 2 * MIN + 20_000,
    );
    expect(reading).toMatchObject({ status: 'ok' });
    if (reading.status !== 'ok') throw new Error(reading.status);
    expect(reading.canary.requests).toBeGreaterThan(0);
    expect(reading.canary.errors).toBeLessThan(reading.canary.requests * 0.05);

    setNow(start + 3 * MIN);
    expect((await latest(staging)).phase).toBe('succeeded');
    await expect(rollForward()).resolves.toEqual({
      message: expect.stringMatching(
        new RegExp(`^Rolling forward to ${release.version} as `),
      ),
    });
    setNow(start + 3 * MIN + 50_000);
    expect(await latest(staging)).toMatchObject({
      providerReleaseId: `cart-staging@${release.version}+forward.2`,
      phase: 'succeeded',
    });
    await expect(rollForward()).resolves.toEqual({
      message: `cart-staging already runs ${release.version}; nothing to do`,
    });
    // staging's train carries on with its schedule, from the version back
    setNow(start + 4 * MIN + 10_000);
    expect(await latest(staging)).toMatchObject({
      startedAt: new Date(start + 4 * MIN),
      previousVersion: release.version,
      startedBy: expect.objectContaining({ ref: 'sandbox' }),
    });
  });

  it("fails to restore as production would: the old build no longer starts, and its canary's metrics say so", async () => {
    // production's share applies to its staging twin, which runs its builds
    const { start, release, rollback, latest, setNow, read } =
      await succeededInStaging({
        rollbackFailureShareByService: { 'cart-service': 1 },
      });
    await rollback();
    const restore = await latest(staging);
    setNow(start + 2 * MIN + 20_000);
    const reading = await read(
      restore.providerReleaseId,
      start + 2 * MIN,
      start + 2 * MIN + 20_000,
    );
    if (reading.status !== 'ok') throw new Error(reading.status);
    expect(reading.canary.requests).toBeGreaterThan(0);
    expect(reading.canary.errors).toBe(reading.canary.requests);
    expect(reading.canary.healthChecks).toMatchObject({ passed: 0 });
    expect(reading.baseline.errors).toBeLessThan(
      reading.baseline.requests * 0.05,
    );
    setNow(start + 3 * MIN);
    expect(await latest(staging)).toMatchObject({
      providerReleaseId: restore.providerReleaseId,
      phase: 'failed',
      message: expect.stringContaining(
        `${release.previousVersion} no longer starts`,
      ),
    });
  });

  it('refuses a roll forward while the restore runs, and another version', async () => {
    const { release, rollback, rollForward } = await succeededInStaging();
    await rollback();
    await expect(rollForward()).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringMatching(/\+restore\.1 is progressing/),
    });
    await expect(rollForward('0.0.1')).rejects.toMatchObject({
      name: 'InputError',
      message: `Cannot roll forward to 0.0.1: ${release.providerReleaseId} is a release of ${release.version}`,
    });
  });

  it('does nothing when the request is already cancelled', async () => {
    const { provider, release, latest } = await succeededInStaging();
    const controller = new AbortController();
    controller.abort();
    await expect(
      provider.rollForward({
        target: staging,
        providerReleaseId: release.providerReleaseId,
        version: release.version,
        reason: '',
        actor: ADA,
        signal: controller.signal,
      }),
    ).rejects.toThrow(
      `Cancelled before the sandbox could roll ${release.providerReleaseId} forward`,
    );
    expect(await latest(staging)).toEqual(release);
  });
});
