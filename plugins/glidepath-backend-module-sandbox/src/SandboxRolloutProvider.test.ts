import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import type { StrategyAnnotation } from '@glidepath/backstage-plugin-common';
import type {
  ObservedRelease,
  RolloutActionRequest,
  RolloutTarget,
} from '@glidepath/backstage-plugin-node';
import { SandboxRolloutProvider } from './SandboxRolloutProvider';

const T0 = Date.parse('2026-03-02T10:00:00Z');

function target(ref: string, strategy?: StrategyAnnotation): RolloutTarget {
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: ref,
      annotations: { 'glidepath.dev/rollout': `sandbox:${ref}` },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
  return { entityRef: `component:default/${ref}`, ref, strategy, entity };
}

/** A provider on a clock the test moves. */
function setup(sandbox: Record<string, unknown> = {}) {
  let now = T0;
  const provider = SandboxRolloutProvider.fromConfig(
    new ConfigReader({ glidepath: { sandbox: { seed: 'test', ...sandbox } } }),
    { now: () => new Date(now) },
  );
  const setNow = (time: number) => {
    now = time;
  };
  const current = async (t: RolloutTarget = target('checkout')) => {
    const [rollout] = await provider.listRollouts([t]);
    if (!('releases' in rollout)) throw new Error(rollout.error);
    return rollout.releases[rollout.releases.length - 1];
  };
  const request = (
    release: ObservedRelease,
    action: RolloutActionRequest['action'],
    signal = new AbortController().signal,
  ): RolloutActionRequest => ({
    target: target('checkout'),
    providerReleaseId: release.providerReleaseId,
    action,
    reason: 'testing',
    actor: { kind: 'user', ref: 'user:default/ada' },
    signal,
  });
  /** Moves the clock into the pause after the first canary step. */
  const duringARelease = async () => {
    const latest = await current();
    setNow(latest.startedAt.getTime() + 240_000 + 10_000);
    return current();
  };
  return { provider, setNow, current, request, duringARelease };
}

describe('SandboxRolloutProvider', () => {
  it('is the simulated "sandbox" provider', () => {
    const { provider } = setup();
    expect(provider.id).toBe('sandbox');
    expect(provider.simulated).toBe(true);
  });

  it('reports each target, and a bad reference for that target only', async () => {
    const { provider } = setup();
    const rollouts = await provider.listRollouts([
      target('checkout'),
      target('Not_A_Name'),
      target('payments', { strategy: 'blue_green' }),
    ]);
    expect(rollouts.map(r => r.entityRef)).toEqual([
      'component:default/checkout',
      'component:default/Not_A_Name',
      'component:default/payments',
    ]);
    expect(rollouts[1]).toEqual({
      entityRef: 'component:default/Not_A_Name',
      error: expect.stringContaining(
        '"Not_A_Name" is not a sandbox service name',
      ),
    });
    for (const rollout of [rollouts[0], rollouts[2]]) {
      expect(
        'releases' in rollout && rollout.releases.length,
      ).toBeGreaterThanOrEqual(10);
    }
    expect(
      'releases' in rollouts[2] && rollouts[2].releases.map(r => r.strategy),
    ).toContain('blue_green');
  });

  it('uses the configured environment and history size', async () => {
    const { provider } = setup({ environment: 'staging', historySize: 3 });
    const [rollout] = await provider.listRollouts([target('checkout')]);
    if (!('releases' in rollout)) throw new Error(rollout.error);
    const finished = rollout.releases.filter(r => r.finishedAt);
    expect(finished.length).toBeGreaterThanOrEqual(3);
    expect(finished.length).toBeLessThanOrEqual(4);
    expect(rollout.releases.every(r => r.environment === 'staging')).toBe(true);
  });

  it('performs actions and says what it did', async () => {
    const { provider, current, request, duringARelease } = setup();
    const release = await duringARelease();
    await expect(
      provider.performAction(request(release, 'pause')),
    ).resolves.toEqual({
      message: `Paused ${release.version} at step 2 of 7 (Wait 30s)`,
    });
    expect(await current()).toMatchObject({
      phase: 'paused',
      message: 'Paused by user:default/ada: testing',
    });
  });

  it('throws the reason when it refuses', async () => {
    const { provider, request, duringARelease } = setup();
    const release = await duringARelease();
    await expect(
      provider.performAction(request(release, 'retry')),
    ).rejects.toThrow(/cannot be retried/);
    await expect(
      provider.performAction({
        ...request(release, 'abort'),
        target: target('Bad Name'),
      }),
    ).rejects.toThrow(/is not a sandbox service name/);
  });

  it('does nothing when the request is already cancelled', async () => {
    const { provider, current, request, duringARelease } = setup();
    const release = await duringARelease();
    const controller = new AbortController();
    controller.abort();
    await expect(
      provider.performAction(request(release, 'abort', controller.signal)),
    ).rejects.toThrow(/Cancelled before the sandbox could abort/);
    expect((await current()).phase).toBe('progressing');
  });

  describe('with an action latency', () => {
    beforeEach(() => {
      jest.useFakeTimers();
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    it('acts only once the latency has passed', async () => {
      const { provider, current, request, duringARelease } = setup({
        actionLatency: '2s',
      });
      const release = await duringARelease();
      let settled = false;
      const done = provider
        .performAction(request(release, 'abort'))
        .finally(() => {
          settled = true;
        });
      await jest.advanceTimersByTimeAsync(1_999);
      expect(settled).toBe(false);
      expect((await current()).phase).toBe('progressing');
      await jest.advanceTimersByTimeAsync(1);
      await expect(done).resolves.toEqual({
        message: expect.stringMatching(/^Aborted/),
      });
      expect((await current()).phase).toBe('aborted');
    });

    it('gives up when the request is cancelled while it waits', async () => {
      const { provider, current, request, duringARelease } = setup({
        actionLatency: '2s',
      });
      const release = await duringARelease();
      const controller = new AbortController();
      const done = provider.performAction(
        request(release, 'abort', controller.signal),
      );
      await jest.advanceTimersByTimeAsync(500);
      controller.abort();
      await expect(done).rejects.toThrow(/Cancelled/);
      await jest.advanceTimersByTimeAsync(5_000);
      expect((await current()).phase).toBe('progressing');
    });
  });

  describe('traffic', () => {
    it('simulates the traffic of a release up to now', async () => {
      const { provider, setNow, current, duringARelease } = setup();
      const release = await duringARelease();
      const start = release.startedAt.getTime();
      setNow(start + 60_000);
      await current();
      const windows = provider.getTraffic(release.providerReleaseId, {
        from: new Date(start - 20_000),
        to: new Date(start + 3_600_000),
      });
      // whole 10 s windows from 20 s before the release until now
      expect(windows.length).toBeGreaterThanOrEqual(7);
      expect(windows.length).toBeLessThanOrEqual(8);
      expect(windows[windows.length - 1].end.getTime()).toBeLessThanOrEqual(
        start + 60_000,
      );
      expect(windows[0].canaryWeight).toBe(0);
      expect(windows[0].canary.requests).toBe(0);
      const during = windows.filter(w => w.start.getTime() >= start + 40_000);
      expect(during.every(w => w.canaryWeight === 25)).toBe(true);
      expect(during.every(w => w.canary.requests > 0)).toBe(true);
    });

    it('exposes the release fault', async () => {
      const { provider, current } = setup({ faultRate: 1 });
      const release = await current();
      expect(provider.getSimulation(release.providerReleaseId).fault).toEqual(
        expect.objectContaining({
          kind: expect.stringMatching(/error-rate|latency/),
        }),
      );
    });

    it('does not know releases it has not reported', async () => {
      const { provider } = setup();
      expect(() =>
        provider.getTraffic('checkout@1.2.3', {
          from: new Date(T0 - 60_000),
          to: new Date(T0),
        }),
      ).toThrow(/no release "checkout@1.2.3"/);
    });
  });

  describe('readHistory', () => {
    const DAY = 86_400_000;
    const range = (to: number) => ({
      from: new Date(to - 182 * DAY),
      to: new Date(to),
    });

    it.each([
      ['a train', target('checkout'), {}],
      [
        'a pinned service',
        target('promotions'),
        { pinnedReleases: { promotions: ['1.4.2', '1.5.0'] } },
      ],
    ])(
      'of %s leads up to the first release it reports, and stops there',
      async (_name, t, config) => {
        const { provider, setNow } = setup(config);
        const [rollout] = await provider.listRollouts([t]);
        if (!('releases' in rollout)) throw new Error(rollout.error);
        const [first] = rollout.releases;
        // Read a day later: the live releases are not made up again.
        setNow(T0 + DAY);
        const { deployments } = await provider.readHistory(
          [t],
          range(T0 + DAY),
        );
        expect(deployments.length).toBeGreaterThan(20);
        const last = deployments[deployments.length - 1];
        expect(last).toMatchObject({
          version: first.previousVersion,
          outcome: 'succeeded',
        });
        expect(last.finishedAt!.getTime()).toBeLessThanOrEqual(
          first.startedAt.getTime(),
        );
        // The same numbering: the history's versions come before the live ones.
        const major = (v: string) => Number(v.split('.')[0]);
        expect(major(deployments[0].version!)).toBeLessThanOrEqual(
          major(first.version),
        );
        expect(major(first.version)).toBeGreaterThanOrEqual(
          major(last.version!),
        );
      },
    );

    it('is none when the history is disabled', async () => {
      const { provider } = setup({ history: { enabled: false } });
      expect(
        await provider.readHistory([target('checkout')], range(T0)),
      ).toEqual({ deployments: [], incidents: [] });
    });
  });
});
