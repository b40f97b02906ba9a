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

  it('acts on the staging release only', async () => {
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
    expect(productionNow.version).toBe(canary.version);
    expect(productionNow.phase).not.toBe('rolled_back');
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

  it('leads by stagingLead when configured', async () => {
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
      expect(
        inProduction.get(r.version)!.startedAt.getTime() -
          r.startedAt.getTime(),
      ).toBe(50_000);
    }
  });
});
