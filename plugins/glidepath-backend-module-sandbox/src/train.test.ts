import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import { SandboxFleet, type SandboxFleetOptions } from './fleet';
import { latestOf, nextRelease, OPTIONS, S, T0 } from './__testUtils__/fleet';

/** seconds after the start, step, canary weight, phase */
type Progression = Array<[number, number | null, number, string]>;

/** Where the latest release stands at each time of `table`. */
function progression(
  latestAt: (offsetMs: number) => ObservedRelease,
  table: Progression,
): Progression {
  return table.map(([seconds]) => {
    const release = latestAt(seconds * S);
    return [
      seconds,
      release.currentStepIndex,
      release.canaryWeight,
      release.phase,
    ];
  });
}

describe('SandboxFleet', () => {
  describe('determinism', () => {
    const times = [T0, T0 + 90 * S, T0 + 7 * 60 * S, T0 + 3600 * S];
    const run = (options: SandboxFleetOptions) => {
      const fleet = new SandboxFleet(options);
      return times.map(t => fleet.observe({ name: 'checkout' }, new Date(t)));
    };

    it('reports the same releases for the same seed, service and times', () => {
      expect(run(OPTIONS)).toEqual(run(OPTIONS));
    });

    it('reports other releases for another seed', () => {
      const mine = latestOf(run(OPTIONS)[0]);
      const theirs = latestOf(run({ ...OPTIONS, seed: 'other' })[0]);
      expect(theirs.commit).not.toBe(mine.commit);
      expect(theirs.startedAt).not.toEqual(mine.startedAt);
    });

    it('gives each service its own schedule', () => {
      const fleet = new SandboxFleet(OPTIONS);
      const a = latestOf(fleet.observe({ name: 'checkout' }, new Date(T0)));
      const b = latestOf(fleet.observe({ name: 'payments' }, new Date(T0)));
      expect(a.startedAt).not.toEqual(b.startedAt);
      expect(a.providerReleaseId).toMatch(/^checkout@\d+\.\d+\.\d+$/);
      expect(b.providerReleaseId).toMatch(/^payments@\d+\.\d+\.\d+$/);
    });

    it('carries on with the same schedule after a restart', () => {
      const running = new SandboxFleet(OPTIONS);
      const seen = running.observe({ name: 'checkout' }, new Date(T0));
      // 50 s into a release an hour later
      const later = new Date(
        latestOf(seen).startedAt.getTime() +
          15 * OPTIONS.releaseIntervalMs +
          50 * S,
      );
      const before = running.observe({ name: 'checkout' }, later);
      const after = new SandboxFleet(OPTIONS).observe(
        { name: 'checkout' },
        later,
      );
      const schedule = (releases: ObservedRelease[]) =>
        releases
          .filter(r => r.startedAt.getTime() > T0)
          .map(r => [r.providerReleaseId, r.startedAt, r.commit]);
      expect(schedule(after)).toEqual(schedule(before));
      const [current] = before.filter(r => r.phase === 'progressing');
      const [restarted] = after.filter(r => r.phase === 'progressing');
      expect(restarted.steps).toEqual(current.steps);
      expect(restarted.canaryWeight).toBe(current.canaryWeight);
      expect(restarted.currentStepIndex).toBe(current.currentStepIndex);
    });
  });

  describe('first sight', () => {
    it('reports the last historySize releases as finished, one interval apart', () => {
      const fleet = new SandboxFleet(OPTIONS);
      const releases = fleet.observe({ name: 'checkout' }, new Date(T0));
      const finished = releases.filter(r => r.finishedAt !== null);
      expect(finished.length).toBeGreaterThanOrEqual(10);
      expect(finished.length).toBeLessThanOrEqual(11); // + the stable release
      expect(releases.length - finished.length).toBeLessThanOrEqual(1);

      const window = releases.slice(-10);
      for (let i = 1; i < window.length; i++) {
        expect(
          window[i].startedAt.getTime() - window[i - 1].startedAt.getTime(),
        ).toBe(OPTIONS.releaseIntervalMs);
      }
      for (const release of finished) {
        expect(release.finishedAt!.getTime()).toBeLessThanOrEqual(T0);
        expect(release.currentStepIndex).toBeNull();
        expect(release.environment).toBe('production');
        expect(release.startedBy).toEqual({
          kind: 'provider',
          ref: 'sandbox',
          displayName: 'Sandbox release train',
        });
        expect(release.commit).toMatch(/^[0-9a-f]{40}$/);
      }
    });

    it('chains previous versions through the releases that succeeded', () => {
      const fleet = new SandboxFleet({ ...OPTIONS, historySize: 60 });
      const releases = fleet.observe({ name: 'checkout' }, new Date(T0));
      for (let i = 1; i < releases.length; i++) {
        const before = releases[i - 1];
        expect(releases[i].previousVersion).toBe(
          before.phase === 'succeeded'
            ? before.version
            : before.previousVersion,
        );
      }
    });

    it('makes most of the history succeed, and stops some releases', () => {
      const fleet = new SandboxFleet({ ...OPTIONS, historySize: 400 });
      const finished = fleet
        .observe({ name: 'checkout' }, new Date(T0))
        .filter(r => r.finishedAt !== null);
      const count = (phase: string) =>
        finished.filter(r => r.phase === phase).length;
      expect(count('succeeded') / finished.length).toBeGreaterThan(0.7);
      expect(count('succeeded') / finished.length).toBeLessThan(0.92);
      expect(count('aborted')).toBeGreaterThan(0);
      expect(count('rolled_back')).toBeGreaterThan(0);
      const stopped = finished.find(r => r.phase === 'rolled_back')!;
      expect(stopped.canaryWeight).toBe(0);
      expect(stopped.message).toMatch(
        /^Rolled back by Sandbox release train: .* \(simulated history\)$/,
      );
      expect(stopped.steps.map(s => s.status)).toContain('skipped');
    });

    it('reports the release in progress mid-way through its steps', () => {
      const { start } = nextRelease();
      const fresh = new SandboxFleet(OPTIONS);
      const current = latestOf(
        fresh.observe({ name: 'checkout' }, new Date(start + 50 * S)),
      );
      expect(current).toMatchObject({
        phase: 'progressing',
        currentStepIndex: 3,
        canaryWeight: 25,
        finishedAt: null,
        startedAt: new Date(start),
      });
      expect(current.steps.map(s => s.status)).toEqual([
        'completed',
        'completed',
        'completed',
        'running',
        'pending',
        'pending',
        'pending',
      ]);
    });

    it('has no releases before the trains start', () => {
      const fleet = new SandboxFleet(OPTIONS);
      expect(
        fleet.observe({ name: 'checkout' }, new Date('2024-06-01T00:00:00Z')),
      ).toEqual([]);
    });
  });

  describe('step progression', () => {
    it('walks a default canary through 10, 25, 50 and 100% with pauses', () => {
      const { latestAt } = nextRelease();
      const first = latestAt(0);
      expect(first.strategy).toBe('canary');
      expect(
        first.steps.map(s => [s.kind, s.weight, s.durationSeconds]),
      ).toEqual([
        ['set_weight', 10, null],
        ['pause', null, 30],
        ['set_weight', 25, null],
        ['pause', null, 30],
        ['set_weight', 50, null],
        ['pause', null, 30],
        ['set_weight', 100, null],
      ]);
      expect(first.steps[2].description).toBe(
        `Send 25% of traffic to ${first.version}`,
      );
      expect(first.steps[1].description).toBe('Wait 30s');

      const table: Progression = [
        [0, 0, 10, 'progressing'],
        [4, 0, 10, 'progressing'],
        [5, 1, 10, 'progressing'],
        [34, 1, 10, 'progressing'],
        [35, 2, 25, 'progressing'],
        [40, 3, 25, 'progressing'],
        [70, 4, 50, 'progressing'],
        [75, 5, 50, 'progressing'],
        [105, 6, 100, 'progressing'],
        [110, null, 100, 'succeeded'],
        [200, null, 100, 'succeeded'],
      ];
      expect(progression(latestAt, table)).toEqual(table);
      const done = latestAt(200 * S);
      expect(done.finishedAt).toEqual(
        new Date(done.startedAt.getTime() + 110 * S),
      );
      expect(done.steps.every(s => s.status === 'completed')).toBe(true);
    });

    it('follows the weights of the strategy annotation', () => {
      const { latestAt } = nextRelease({
        name: 'checkout',
        strategy: { strategy: 'canary', weights: [20, 60] },
      });
      expect(
        latestAt(0)
          .steps.filter(s => s.kind === 'set_weight')
          .map(s => s.weight),
      ).toEqual([20, 60, 100]);
      expect(latestAt(36 * S).canaryWeight).toBe(60);
      expect(latestAt(75 * S).phase).toBe('succeeded');
    });

    it('previews, waits and switches a blue-green release', () => {
      const { latestAt } = nextRelease({
        name: 'checkout',
        strategy: { strategy: 'blue_green' },
      });
      const first = latestAt(0);
      expect(first.strategy).toBe('blue_green');
      expect(first.steps.map(s => s.kind)).toEqual([
        'preview',
        'pause',
        'switch',
      ]);
      expect(first.steps[2].description).toBe(
        `Switch traffic to ${first.version}`,
      );
      const table: Progression = [
        [0, 0, 0, 'progressing'],
        [5, 1, 0, 'progressing'],
        [34, 1, 0, 'progressing'],
        [35, 2, 100, 'progressing'],
        [40, null, 100, 'succeeded'],
      ];
      expect(progression(latestAt, table)).toEqual(table);
    });

    it('moves a rolling update over in batches of 25% with short pauses', () => {
      const { latestAt } = nextRelease({
        name: 'checkout',
        strategy: { strategy: 'rolling' },
      });
      const first = latestAt(0);
      expect(first.strategy).toBe('rolling');
      expect(first.steps.map(s => s.weight ?? s.durationSeconds)).toEqual([
        25, 10, 50, 10, 75, 10, 100,
      ]);
      expect(first.steps[0].description).toBe(
        `Move 25% of pods to ${first.version}`,
      );
      expect(latestAt(16 * S).canaryWeight).toBe(50);
      expect(latestAt(50 * S).phase).toBe('succeeded');
    });

    it('starts the next release at its slot with the new stable version', () => {
      const { latestAt, start } = nextRelease();
      const first = latestAt(0);
      const second = latestAt(OPTIONS.releaseIntervalMs);
      expect(second.startedAt).toEqual(
        new Date(start + OPTIONS.releaseIntervalMs),
      );
      expect(second.previousVersion).toBe(first.version);
      expect(second.providerReleaseId).not.toBe(first.providerReleaseId);
    });
  });
});
