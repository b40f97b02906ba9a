import type { ActionType, Actor } from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import {
  SandboxFleet,
  sandboxNameProblem,
  type SandboxFleetOptions,
  type SandboxService,
} from './fleet';
import { releaseFault } from './faults';

const OPTIONS: SandboxFleetOptions = {
  seed: 'test-seed',
  releaseIntervalMs: 4 * 60_000,
  stepDurationMs: 30_000,
  faultRate: 0.2,
  environment: 'production',
  historySize: 10,
};
const T0 = Date.parse('2026-03-02T10:00:00Z');
const S = 1000;
const ADA: Actor = {
  kind: 'user',
  ref: 'user:default/ada',
  displayName: 'Ada Lovelace',
};

function latestOf(releases: ObservedRelease[]): ObservedRelease {
  return releases[releases.length - 1];
}

/**
 * A fleet that has seen `service` at T0, and the start of its next release:
 * the tests drive the clock from there.
 */
function nextRelease(
  service: SandboxService = { name: 'checkout' },
  options: SandboxFleetOptions = OPTIONS,
) {
  const fleet = new SandboxFleet(options);
  const seen = new SandboxFleet({ ...options, awaitPromotion: false }).observe(
    service,
    new Date(T0),
  );
  const start = latestOf(seen).startedAt.getTime() + options.releaseIntervalMs;
  // A release in progress at first sight would wait for a promote and hold
  // the next slot: with awaitPromotion, first see the service once it ended.
  fleet.observe(service, new Date(options.awaitPromotion ? start - 1 : T0));
  const releasesAt = (offsetMs: number) =>
    fleet.observe(service, new Date(start + offsetMs));
  const latestAt = (offsetMs: number) => latestOf(releasesAt(offsetMs));
  const id = latestAt(0).providerReleaseId;
  const act = (
    offsetMs: number,
    action: ActionType,
    reason = 'testing',
    providerReleaseId = id,
  ) =>
    fleet.act(
      service,
      { providerReleaseId, action, reason, actor: ADA },
      new Date(start + offsetMs),
    );
  const find = (offsetMs: number, providerReleaseId = id) => {
    const release = releasesAt(offsetMs).find(
      r => r.providerReleaseId === providerReleaseId,
    );
    if (!release) throw new Error(`${providerReleaseId} is not reported`);
    return release;
  };
  return { fleet, start, id, releasesAt, latestAt, act, find };
}

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

  describe('actions', () => {
    it('promote completes the running step and starts the next one', () => {
      const { act, latestAt } = nextRelease();
      expect(act(10 * S, 'promote')).toMatch(/to step 3 of 7/);
      expect(latestAt(10 * S)).toMatchObject({
        currentStepIndex: 2,
        canaryWeight: 25,
        message: 'Promoted by Ada Lovelace: testing',
      });
      // the new step runs its full length from the promotion
      expect(latestAt(14 * S).currentStepIndex).toBe(2);
      expect(latestAt(15 * S).currentStepIndex).toBe(3);
    });

    it('promote on the last step completes the release', () => {
      const { act, latestAt, start } = nextRelease();
      act(106 * S, 'promote');
      const done = latestAt(106 * S);
      expect(done).toMatchObject({
        phase: 'succeeded',
        canaryWeight: 100,
        finishedAt: new Date(start + 106 * S),
      });
      expect(latestAt(OPTIONS.releaseIntervalMs).previousVersion).toBe(
        done.version,
      );
    });

    it('pause freezes the steps and resume keeps the time left', () => {
      const { act, latestAt } = nextRelease();
      expect(act(20 * S, 'pause', 'checking the dashboards')).toMatch(
        /^Paused .* at step 2 of 7 \(Wait 30s\)$/,
      );
      expect(latestAt(200 * S)).toMatchObject({
        phase: 'paused',
        currentStepIndex: 1,
        canaryWeight: 10,
        message: 'Paused by Ada Lovelace: checking the dashboards',
      });
      expect(act(200 * S, 'resume')).toMatch(/15s left/);
      expect(latestAt(214 * S).currentStepIndex).toBe(1);
      expect(latestAt(215 * S)).toMatchObject({
        phase: 'progressing',
        currentStepIndex: 2,
        canaryWeight: 25,
      });
    });

    it('promote from a manual pause resumes and moves one step', () => {
      const { act, latestAt } = nextRelease();
      act(20 * S, 'pause');
      act(60 * S, 'promote');
      expect(latestAt(60 * S)).toMatchObject({
        phase: 'progressing',
        currentStepIndex: 2,
        canaryWeight: 25,
      });
    });

    it('skips the slots that pass while a release runs, then keeps the schedule', () => {
      const { act, latestAt, start, id } = nextRelease();
      const interval = OPTIONS.releaseIntervalMs;
      act(20 * S, 'pause');
      act(interval + 10 * S, 'resume'); // 15 s of pause and 75 s of steps left
      expect(latestAt(interval + 99 * S).providerReleaseId).toBe(id);
      expect(latestAt(interval + 100 * S).phase).toBe('succeeded');
      const first = latestAt(2 * interval - 1);
      expect(first.providerReleaseId).toBe(id);
      const next = latestAt(2 * interval);
      expect(next.providerReleaseId).not.toBe(id);
      expect(next.startedAt).toEqual(new Date(start + 2 * interval));
      expect(next.previousVersion).toBe(first.version);
      const patch = (v: string) => Number(v.split('.')[2]);
      // the skipped slot's version is never used
      expect((patch(next.version) - patch(first.version) + 100) % 100).toBe(2);
    });

    it('abort sends the traffic back to stable and leaves stable alone', () => {
      const { act, find, latestAt } = nextRelease();
      const previous = latestAt(0).previousVersion;
      expect(act(40 * S, 'abort', 'error rate')).toBe(
        `Aborted ${
          latestAt(40 * S).version
        }: all traffic is back on ${previous}`,
      );
      const aborted = find(41 * S);
      expect(aborted).toMatchObject({
        phase: 'aborted',
        canaryWeight: 0,
        currentStepIndex: null,
        message: 'Aborted by Ada Lovelace: error rate',
      });
      expect(aborted.finishedAt).not.toBeNull();
      expect(aborted.steps.map(s => s.status)).toEqual([
        'completed',
        'completed',
        'completed',
        'skipped',
        'skipped',
        'skipped',
        'skipped',
      ]);
      expect(latestAt(OPTIONS.releaseIntervalMs).previousVersion).toBe(
        previous,
      );
    });

    it('retry restarts an aborted release from its first step', () => {
      const { act, latestAt, start, id } = nextRelease();
      act(40 * S, 'abort');
      act(100 * S, 'retry', 'fixed the config');
      expect(latestAt(100 * S)).toMatchObject({
        providerReleaseId: id,
        phase: 'progressing',
        currentStepIndex: 0,
        canaryWeight: 10,
        finishedAt: null,
        startedAt: new Date(start),
        message: 'Retried by Ada Lovelace: fixed the config',
      });
      expect(latestAt(105 * S).currentStepIndex).toBe(1);
      expect(latestAt(210 * S).phase).toBe('succeeded');
    });

    it('retries a release that history says was aborted', () => {
      const options = { ...OPTIONS, faultRate: 1 };
      const { start } = nextRelease({ name: 'checkout' }, options);
      // the first slot whose release the seed aborts, seen after it ended
      let fleet = new SandboxFleet(options);
      let seenAt = 0;
      let aborted: ObservedRelease | undefined;
      for (let k = 0; k < 50 && !aborted; k++) {
        fleet = new SandboxFleet(options);
        seenAt = start + k * options.releaseIntervalMs + 200 * S;
        const latest = latestOf(
          fleet.observe({ name: 'checkout' }, new Date(seenAt)),
        );
        if (latest.phase === 'aborted') aborted = latest;
      }
      expect(aborted?.message).toMatch(/\(simulated history\)$/);
      fleet.act(
        { name: 'checkout' },
        {
          providerReleaseId: aborted!.providerReleaseId,
          action: 'retry',
          reason: '',
          actor: ADA,
        },
        new Date(seenAt),
      );
      const retried = latestOf(
        fleet.observe({ name: 'checkout' }, new Date(seenAt + 10 * S)),
      );
      expect(retried).toMatchObject({
        providerReleaseId: aborted!.providerReleaseId,
        phase: 'progressing',
        currentStepIndex: 1,
        message: 'Retried by Ada Lovelace',
      });
    });

    it('rollback of a release in progress returns to stable', () => {
      const { act, find, latestAt } = nextRelease();
      const previous = latestAt(0).previousVersion;
      expect(act(72 * S, 'rollback', 'latency')).toBe(
        `Rolled back ${
          latestAt(72 * S).version
        }: ${previous} serves all traffic`,
      );
      expect(find(72 * S)).toMatchObject({
        phase: 'rolled_back',
        canaryWeight: 0,
        message: 'Rolled back by Ada Lovelace: latency',
      });
      expect(latestAt(OPTIONS.releaseIntervalMs).previousVersion).toBe(
        previous,
      );
    });

    it('rollback of the stable release redeploys the previous version', () => {
      const { act, find, latestAt, start } = nextRelease();
      const release = latestAt(120 * S);
      expect(release.phase).toBe('succeeded');
      act(130 * S, 'rollback', 'customers report errors');
      expect(find(130 * S)).toMatchObject({
        phase: 'rolled_back',
        canaryWeight: 0,
        finishedAt: new Date(start + 130 * S),
      });
      expect(find(130 * S).steps.every(s => s.status === 'completed')).toBe(
        true,
      );
      const next = latestAt(OPTIONS.releaseIntervalMs);
      expect(next.previousVersion).toBe(release.previousVersion);
    });

    it('rollback of a paused release is allowed', () => {
      const { act, find } = nextRelease();
      act(20 * S, 'pause');
      act(30 * S, 'rollback');
      expect(find(30 * S).phase).toBe('rolled_back');
    });

    it.each<[string, Array<[number, ActionType]>, number, ActionType, RegExp]>([
      ['resume a progressing release', [], 10, 'resume', /cannot be resumed/],
      [
        'pause a paused release',
        [[10, 'pause']],
        20,
        'pause',
        /cannot be paused/,
      ],
      [
        'promote an aborted release',
        [[10, 'abort']],
        20,
        'promote',
        /cannot be promoted/,
      ],
      ['retry a progressing release', [], 10, 'retry', /cannot be retried/],
      ['abort a succeeded release', [], 150, 'abort', /cannot be aborted/],
      ['pause a succeeded release', [], 150, 'pause', /cannot be paused/],
      [
        'roll back a rolled back release',
        [[10, 'rollback']],
        20,
        'rollback',
        /a rolled back release cannot be rolled back/,
      ],
      [
        'retry a rolled back release',
        [[10, 'rollback']],
        20,
        'retry',
        /cannot be retried/,
      ],
      [
        'retry after a newer release started',
        [[10, 'abort']],
        250,
        'retry',
        /has started since; only the latest release can be retried/,
      ],
      [
        'roll back an aborted release after a newer one started',
        [[10, 'abort']],
        250,
        'rollback',
        /has started since/,
      ],
      [
        'roll back the stable release while another runs',
        [],
        250,
        'rollback',
        /is progressing; abort it or roll it back first/,
      ],
    ])('refuses to %s', (_name, setup, seconds, action, refusal) => {
      const { act, find } = nextRelease();
      for (const [at, step] of setup) act(at * S, step);
      const before = find(seconds * S);
      expect(() => act(seconds * S, action)).toThrow(refusal);
      expect(find(seconds * S)).toEqual(before);
    });

    it('refuses to roll back a succeeded release that is no longer stable', () => {
      const { act, id } = nextRelease();
      const interval = OPTIONS.releaseIntervalMs;
      // the next release succeeds too, so `id` is no longer the stable one
      expect(() => act(interval + 150 * S, 'rollback', 'old', id)).toThrow(
        /is not the stable version .* only the release of the stable version can be rolled back/,
      );
    });

    it('names an unknown release', () => {
      const { act } = nextRelease();
      expect(() => act(10 * S, 'abort', '', 'checkout@9.9.9')).toThrow(
        expect.objectContaining({
          name: 'NotFoundError',
          message: expect.stringContaining('"checkout@9.9.9"'),
        }),
      );
    });

    it('refuses with a conflict, naming the release and the reason', () => {
      const { act, id } = nextRelease();
      expect(() => act(10 * S, 'resume')).toThrow(
        expect.objectContaining({
          name: 'ConflictError',
          message: expect.stringMatching(
            new RegExp(`^Cannot resume ${id}: a progressing release`),
          ),
        }),
      );
    });
  });

  describe('awaitPromotion', () => {
    const AWAIT: SandboxFleetOptions = { ...OPTIONS, awaitPromotion: true };
    const interval = AWAIT.releaseIntervalMs;

    /** seconds after the start, action then, step, canary weight, phase */
    type Script = Array<
      [number, ActionType | null, number | null, number, string]
    >;

    /** Acts and observes the latest release at each time of `script`. */
    function play(
      script: Script,
      service: SandboxService = { name: 'checkout' },
    ): Script {
      const { act, latestAt } = nextRelease(service, AWAIT);
      return script.map(([seconds, action]) => {
        if (action) act(seconds * S, action);
        const release = latestAt(seconds * S);
        return [
          seconds,
          action,
          release.currentStepIndex,
          release.canaryWeight,
          release.phase,
        ];
      });
    }

    it('gives the pauses of a canary no duration', () => {
      const { latestAt } = nextRelease({ name: 'checkout' }, AWAIT);
      expect(
        latestAt(0).steps.map(s => [
          s.kind,
          s.weight,
          s.durationSeconds,
          s.description,
        ]),
      ).toEqual([
        ['set_weight', 10, null, expect.stringMatching(/^Send 10% /)],
        ['pause', null, null, 'Wait until promoted'],
        ['set_weight', 25, null, expect.stringMatching(/^Send 25% /)],
        ['pause', null, null, 'Wait until promoted'],
        ['set_weight', 50, null, expect.stringMatching(/^Send 50% /)],
        ['pause', null, null, 'Wait until promoted'],
        ['set_weight', 100, null, expect.stringMatching(/^Send 100% /)],
      ]);
    });

    it.each<[string, SandboxService['strategy']]>([
      ['blue-green', { strategy: 'blue_green' }],
      ['rolling', { strategy: 'rolling' }],
    ])('leaves %s releases as they are', (_name, strategy) => {
      const service = { name: 'checkout', strategy };
      const timed = nextRelease(service);
      const awaiting = nextRelease(service, AWAIT);
      for (const seconds of [0, 10, 30, 36, 40, 60, 200]) {
        const release = awaiting.latestAt(seconds * S);
        expect(release).toEqual({
          ...timed.latestAt(seconds * S),
          previousVersion: release.previousVersion,
        });
      }
    });

    it('waits on each pause, phase paused, until promoted', () => {
      const script: Script = [
        [0, null, 0, 10, 'progressing'],
        [4, null, 0, 10, 'progressing'],
        [5, null, 1, 10, 'paused'],
        [200, null, 1, 10, 'paused'],
        [200, 'promote', 2, 25, 'progressing'],
        [204, null, 2, 25, 'progressing'],
        [205, null, 3, 25, 'paused'],
        [220, 'promote', 4, 50, 'progressing'],
        [225, null, 5, 50, 'paused'],
        [230, 'promote', 6, 100, 'progressing'],
        [235, null, null, 100, 'succeeded'],
      ];
      expect(play(script)).toEqual(script);
    });

    it('reports the waiting step as running, and says what it waits for', () => {
      const { latestAt, start } = nextRelease({ name: 'checkout' }, AWAIT);
      const waiting = latestAt(100 * S);
      expect(waiting).toMatchObject({
        phase: 'paused',
        currentStepIndex: 1,
        canaryWeight: 10,
        message: 'Waiting for a promote at step 2 of 7',
        updatedAt: new Date(start + 5 * S),
        finishedAt: null,
      });
      expect(waiting.steps.map(s => s.status)).toEqual([
        'completed',
        'running',
        'pending',
        'pending',
        'pending',
        'pending',
        'pending',
      ]);
    });

    it('promote from a waiting step says where the release went', () => {
      const { act, latestAt } = nextRelease({ name: 'checkout' }, AWAIT);
      expect(act(60 * S, 'promote', 'analysis passed')).toMatch(
        /^Promoted .* to step 3 of 7 \(Send 25% of traffic to .*\)$/,
      );
      expect(latestAt(60 * S).message).toBe(
        'Promoted by Ada Lovelace: analysis passed',
      );
      expect(latestAt(70 * S).message).toBe(
        'Waiting for a promote at step 4 of 7',
      );
    });

    it.each<[string, Script]>([
      [
        'abort',
        [
          [60, 'abort', null, 0, 'aborted'],
          [239, null, null, 0, 'aborted'],
        ],
      ],
      ['rollback', [[60, 'rollback', null, 0, 'rolled_back']]],
      [
        'a pause action before the pause step, then promote',
        [
          [2, 'pause', 0, 10, 'paused'],
          [500, null, 0, 10, 'paused'],
          [500, 'promote', 1, 10, 'paused'],
          [600, 'promote', 2, 25, 'progressing'],
          [605, null, 3, 25, 'paused'],
        ],
      ],
      [
        'a pause action before the pause step, then resume',
        [
          [2, 'pause', 0, 10, 'paused'],
          [100, 'resume', 0, 10, 'progressing'],
          [103, null, 1, 10, 'paused'],
          [300, null, 1, 10, 'paused'],
        ],
      ],
      [
        'retry after an abort',
        [
          [60, 'abort', null, 0, 'aborted'],
          [100, 'retry', 0, 10, 'progressing'],
          [105, null, 1, 10, 'paused'],
          [120, 'promote', 2, 25, 'progressing'],
        ],
      ],
    ])('handles %s', (_name, script) => {
      expect(play(script)).toEqual(script);
    });

    it.each<[ActionType, RegExp]>([
      [
        'resume',
        /^Cannot resume checkout@.*: it waits for a promote at step 2 of 7 \(Wait until promoted\); promote it to move on, or abort or roll it back$/,
      ],
      ['pause', /a paused release cannot be paused/],
      ['retry', /a paused release cannot be retried/],
    ])('refuses to %s a release waiting for a promote', (action, refusal) => {
      const { act, find } = nextRelease({ name: 'checkout' }, AWAIT);
      const before = find(60 * S);
      expect(() => act(60 * S, action)).toThrow(refusal);
      expect(find(60 * S)).toEqual(before);
    });

    it('lets the next release supersede one nobody promotes', () => {
      const { latestAt, find, start, id } = nextRelease(
        { name: 'checkout' },
        AWAIT,
      );
      const first = latestAt(0);
      expect(latestAt(interval - 1)).toMatchObject({
        providerReleaseId: id,
        phase: 'paused',
        currentStepIndex: 1,
      });
      const next = latestAt(interval);
      expect(next).toMatchObject({
        phase: 'progressing',
        currentStepIndex: 0,
        startedAt: new Date(start + interval),
        previousVersion: first.previousVersion,
      });
      const superseded = find(interval);
      expect(superseded).toMatchObject({
        phase: 'aborted',
        canaryWeight: 0,
        currentStepIndex: null,
        finishedAt: new Date(start + interval),
        message: `Aborted by Sandbox release train: superseded by ${next.version} after waiting 3m 55s for a promote at step 2 of 7`,
      });
      expect(superseded.steps.map(s => s.status)).toEqual([
        'completed',
        'skipped',
        'skipped',
        'skipped',
        'skipped',
        'skipped',
        'skipped',
      ]);
    });

    it.each<[string, Array<[number, ActionType]>, string, number | null]>([
      ['left alone', [], 'aborted', 1],
      [
        'promoted through its pauses',
        [
          [60, 'promote'],
          [70, 'promote'],
          [80, 'promote'],
        ],
        'succeeded',
        1,
      ],
      // 230 s before the next slot: that slot passes, the one after does not
      ['promoted once, then left waiting', [[10, 'promote']], 'aborted', 2],
      // the train waits for it, as without awaitPromotion
      ['paused by a pause action', [[2, 'pause']], 'paused', null],
      [
        'paused by a pause action, then resumed',
        [
          [2, 'pause'],
          [300, 'resume'],
        ],
        'aborted',
        3,
      ],
    ])(
      'runs the train past a release %s',
      (_name, actions, phase, nextAtSlot) => {
        const { act, latestAt, find, start, id } = nextRelease(
          { name: 'checkout' },
          AWAIT,
        );
        for (const [at, action] of actions) act(at * S, action);
        // The release at each of the next three slots, just before and at it.
        const latest = [1, 2, 3].flatMap(k => [
          latestAt(k * interval - 1),
          latestAt(k * interval),
        ]);
        const next = latest.find(r => r.providerReleaseId !== id);
        expect([
          find(3 * interval).phase,
          next ? (next.startedAt.getTime() - start) / interval : null,
        ]).toEqual([phase, nextAtSlot]);
      },
    );

    it('keeps the schedule of a release train nobody promotes across a restart', () => {
      const { releasesAt, start } = nextRelease({ name: 'checkout' }, AWAIT);
      const offset = 3 * interval + 100 * S;
      const running = releasesAt(offset);
      const restarted = new SandboxFleet(AWAIT).observe(
        { name: 'checkout' },
        new Date(start + offset),
      );
      const schedule = (releases: ObservedRelease[]) =>
        releases
          .filter(r => r.startedAt.getTime() >= start)
          .map(r => [r.providerReleaseId, r.startedAt, r.commit]);
      expect(schedule(restarted)).toEqual(schedule(running));
      // what happened to finished releases is not remembered, so the stable
      // version may differ
      expect({
        ...latestOf(restarted),
        previousVersion: null,
      }).toEqual({ ...latestOf(running), previousVersion: null });
      expect(latestOf(running)).toMatchObject({
        phase: 'paused',
        currentStepIndex: 1,
        startedAt: new Date(start + 3 * interval),
      });
    });

    it('keeps the history a fleet finds at first sight timed', () => {
      const timed = new SandboxFleet(OPTIONS).observe(
        { name: 'checkout' },
        new Date(T0),
      );
      const awaiting = new SandboxFleet(AWAIT).observe(
        { name: 'checkout' },
        new Date(T0),
      );
      const finished = (releases: ObservedRelease[]) =>
        releases.filter(r => r.finishedAt !== null);
      expect(finished(awaiting)).toEqual(finished(timed));
      expect(finished(awaiting).length).toBeGreaterThanOrEqual(10);
    });

    it('keeps the canary weight while the release waits', () => {
      const { fleet, act, start, id } = nextRelease(
        { name: 'checkout' },
        AWAIT,
      );
      act(200 * S, 'promote');
      expect(fleet.simulation(id, new Date(start + 230 * S)).weights).toEqual([
        { at: new Date(start), weight: 10 },
        { at: new Date(start + 200 * S), weight: 25 },
      ]);
    });
  });

  describe('pinned releases', () => {
    const PINNED: SandboxFleetOptions = {
      ...OPTIONS,
      pinnedReleases: {
        ledger: ['2.2.0', '2.3.0'],
        refunds: ['1.0.0', '1.1.0', '1.2.0'],
        audit: ['0.1.0', '0.2.0', '0.3.0', '0.4.0', '1.0.0-rc.1', '1.0.0'],
      },
    };
    const interval = PINNED.releaseIntervalMs;
    const HOUR = 3600 * S;
    const LEDGER = [['ledger@2.3.0', '2.3.0', '2.2.0', 'succeeded']];
    const REFUNDS = [
      ['refunds@1.1.0', '1.1.0', '1.0.0', 'succeeded'],
      ['refunds@1.2.0', '1.2.0', '1.1.0', 'succeeded'],
    ];
    const summary = (releases: ObservedRelease[]) =>
      releases.map(r => [
        r.providerReleaseId,
        r.version,
        r.previousVersion,
        r.phase,
      ]);
    const rollback = (providerReleaseId: string) => ({
      providerReleaseId,
      action: 'rollback' as const,
      reason: 'break the requirement',
      actor: ADA,
    });

    it.each<[string, SandboxFleetOptions, string[][]]>([
      ['ledger', PINNED, LEDGER],
      ['refunds', PINNED, REFUNDS],
      [
        'audit',
        { ...PINNED, historySize: 2 },
        [
          ['audit@1.0.0-rc.1', '1.0.0-rc.1', '0.4.0', 'succeeded'],
          ['audit@1.0.0', '1.0.0', '1.0.0-rc.1', 'succeeded'],
        ],
      ],
    ])(
      'reports the pinned history of %s, and nothing new later',
      (name, options, expected) => {
        const fleet = new SandboxFleet(options);
        const now = fleet.observe({ name }, new Date(T0));
        expect(summary(now)).toEqual(expected);
        for (const release of now) {
          expect(release).toMatchObject({
            canaryWeight: 100,
            currentStepIndex: null,
            message: null,
          });
          expect(release.finishedAt!.getTime()).toBeLessThan(
            Date.UTC(2025, 0, 2),
          );
          expect(release.commit).toMatch(/^[0-9a-f]{40}$/);
          expect(release.steps.every(s => s.status === 'completed')).toBe(true);
        }
        // the service's first slots, one interval apart
        const starts = now.map(r => r.startedAt.getTime());
        const versions = options.pinnedReleases![name];
        const first = starts[0] - (versions.length - 1 - now.length) * interval;
        expect(first - Date.UTC(2025, 0, 1)).toBeLessThan(interval);
        expect(starts.map(t => t - starts[0])).toEqual(
          now.map((_, i) => i * interval),
        );

        const later = fleet.observe({ name }, new Date(T0 + 6 * HOUR));
        expect(later).toEqual(now);
        const restarted = new SandboxFleet(options).observe(
          { name },
          new Date(T0 + 30 * 24 * HOUR),
        );
        expect(restarted).toEqual(now);
      },
    );

    it.each([
      ['ledger', 'ledger@2.3.0', [], '2.2.0'],
      [
        'refunds',
        'refunds@1.2.0',
        [['refunds@1.1.0', '1.1.0', '1.0.0', 'succeeded']],
        '1.1.0',
      ],
    ])(
      'rolls the stable release of %s back to the version before it, and starts nothing after',
      (name, id, before, previous) => {
        const fleet = new SandboxFleet(PINNED);
        fleet.observe({ name }, new Date(T0));
        const at = new Date(T0 + 60 * S);
        expect(fleet.act({ name }, rollback(id), at)).toBe(
          `Rolled back ${id.split('@')[1]}: ${previous} serves all traffic`,
        );
        const later = fleet.observe({ name }, new Date(T0 + 6 * HOUR));
        expect(summary(later)).toEqual([
          ...before,
          [id, id.split('@')[1], previous, 'rolled_back'],
        ]);
        expect(latestOf(later)).toMatchObject({
          canaryWeight: 0,
          finishedAt: at,
          message: 'Rolled back by Ada Lovelace: break the requirement',
        });
        expect(() =>
          fleet.act({ name }, rollback(id), new Date(T0 + 6 * HOUR)),
        ).toThrow(/a rolled back release cannot be rolled back/);
      },
    );

    it('makes the version before the rolled back one stable', () => {
      const fleet = new SandboxFleet(PINNED);
      const service = { name: 'refunds' };
      fleet.act(service, rollback('refunds@1.2.0'), new Date(T0));
      // 1.1.0 is stable again, so its release is the one to roll back now
      expect(
        fleet.act(service, rollback('refunds@1.1.0'), new Date(T0 + HOUR)),
      ).toBe('Rolled back 1.1.0: 1.0.0 serves all traffic');
      expect(summary(fleet.observe(service, new Date(T0 + 2 * HOUR)))).toEqual([
        ['refunds@1.1.0', '1.1.0', '1.0.0', 'rolled_back'],
        ['refunds@1.2.0', '1.2.0', '1.1.0', 'rolled_back'],
      ]);
    });

    it.each<[ActionType, string, RegExp]>([
      ['promote', 'refunds@1.2.0', /a succeeded release cannot be promoted/],
      ['abort', 'refunds@1.2.0', /a succeeded release cannot be aborted/],
      ['pause', 'refunds@1.2.0', /a succeeded release cannot be paused/],
      ['resume', 'refunds@1.2.0', /a succeeded release cannot be resumed/],
      ['retry', 'refunds@1.2.0', /a succeeded release cannot be retried/],
      [
        'rollback',
        'refunds@1.1.0',
        /1.1.0 is not the stable version \(1.2.0 is\)/,
      ],
    ])('refuses to %s %s', (action, providerReleaseId, refusal) => {
      const fleet = new SandboxFleet(PINNED);
      const service = { name: 'refunds' };
      const before = fleet.observe(service, new Date(T0));
      expect(() =>
        fleet.act(
          service,
          { providerReleaseId, action, reason: '', actor: ADA },
          new Date(T0),
        ),
      ).toThrow(refusal);
      expect(fleet.observe(service, new Date(T0))).toEqual(before);
    });

    it('ignores the fault rates', () => {
      const fleet = new SandboxFleet({
        ...PINNED,
        faultRate: 1,
        faultRateByService: { refunds: 1 },
      });
      const at = new Date(T0);
      const releases = fleet.observe({ name: 'refunds' }, at);
      expect(summary(releases)).toEqual(REFUNDS);
      expect(
        releases.map(r => fleet.simulation(r.providerReleaseId, at).fault),
      ).toEqual([null, null]);
    });

    it('ignores awaitPromotion, even for releases it sees start', () => {
      const timed = new SandboxFleet(PINNED).observe(
        { name: 'refunds' },
        new Date(T0),
      );
      const awaiting = new SandboxFleet({ ...PINNED, awaitPromotion: true });
      expect(
        awaiting.observe({ name: 'refunds' }, new Date('2024-12-31T00:00:00Z')),
      ).toEqual([]);
      expect(awaiting.observe({ name: 'refunds' }, new Date(T0))).toEqual(
        timed,
      );
    });

    it('keeps its slots when the strategy changes', () => {
      // blue-green releases fit in one 60 s slot, canaries take two
      const options = { ...PINNED, releaseIntervalMs: 60 * S };
      const fleet = new SandboxFleet(options);
      const blueGreen = fleet.observe(
        { name: 'refunds', strategy: { strategy: 'blue_green' } },
        new Date(T0),
      );
      expect(summary(blueGreen)).toEqual(REFUNDS);
      expect(
        fleet.observe({ name: 'refunds' }, new Date(T0 + 6 * HOUR)),
      ).toEqual(blueGreen);
    });

    it('leaves the other services as they are', () => {
      const times = [T0, T0 + 90 * S, T0 + 7 * 60 * S, T0 + HOUR];
      const run = (options: SandboxFleetOptions) => {
        const fleet = new SandboxFleet(options);
        return times.map(t => fleet.observe({ name: 'checkout' }, new Date(t)));
      };
      expect(run(PINNED)).toEqual(run(OPTIONS));
    });
  });

  describe('simulation', () => {
    it('keeps the weight history and the fault of a release', () => {
      const { fleet, act, start, id } = nextRelease();
      act(40 * S, 'abort');
      const simulation = fleet.simulation(id, new Date(start + 50 * S));
      expect(simulation.weights).toEqual([
        { at: new Date(start), weight: 10 },
        { at: new Date(start + 35 * S), weight: 25 },
        { at: new Date(start + 40 * S), weight: 0 },
      ]);
      expect(simulation.service).toBe('checkout');
      expect(simulation).toHaveProperty('fault');
    });

    it('does not know services it has not seen', () => {
      const fleet = new SandboxFleet(OPTIONS);
      expect(() => fleet.simulation('nobody@1.0.0', new Date(T0))).toThrow(
        /no release "nobody@1.0.0"/,
      );
    });
  });

  describe('faults', () => {
    it('lets one service have its own fault rate', () => {
      const fleet = new SandboxFleet({
        ...OPTIONS,
        faultRate: 0,
        faultRateByService: { search: 1 },
      });
      const at = new Date(T0);
      const faulty = (name: string) =>
        fleet
          .observe({ name }, at)
          .map(r => fleet.simulation(r.providerReleaseId, at).fault);
      expect(faulty('search').every(f => f !== null)).toBe(true);
      expect(faulty('checkout').every(f => f === null)).toBe(true);
    });

    const faults = (faultRate: number) =>
      Array.from({ length: 4000 }, (_, n) =>
        releaseFault({
          seed: 'test-seed',
          service: 'checkout',
          releaseNumber: n,
          faultRate,
        }),
      );

    it.each([0, 0.05, 0.2, 0.5, 1])(
      'injects faults into about %p of the releases',
      rate => {
        const share = faults(rate).filter(Boolean).length / 4000;
        expect(share).toBeGreaterThanOrEqual(Math.max(0, rate - 0.03));
        expect(share).toBeLessThanOrEqual(Math.min(1, rate + 0.03));
      },
    );

    it('injects both kinds, within their ranges', () => {
      const all = faults(1);
      const errorRates = all.flatMap(f =>
        f?.kind === 'error-rate' ? [f.errorRate] : [],
      );
      const added = all.flatMap(f =>
        f?.kind === 'latency' ? [f.addedLatencyMs] : [],
      );
      expect(errorRates.length / all.length).toBeGreaterThan(0.4);
      expect(added.length / all.length).toBeGreaterThan(0.4);
      expect(Math.min(...errorRates)).toBeGreaterThanOrEqual(0.03);
      expect(Math.max(...errorRates)).toBeLessThanOrEqual(0.08);
      expect(Math.min(...added)).toBeGreaterThanOrEqual(300);
      expect(Math.max(...added)).toBeLessThanOrEqual(800);
    });

    it('keeps a release fault when the rate rises', () => {
      const low = faults(0.1);
      const high = faults(0.3);
      const kept = low.map((fault, n) => (fault ? high[n] : null));
      expect(kept).toEqual(low);
    });
  });

  it.each(['checkout-service', '0-legacy', 'a'])(
    'accepts the name %p',
    name => {
      expect(sandboxNameProblem(name)).toBeUndefined();
    },
  );

  it.each([
    'Checkout',
    'checkout_service',
    '-checkout',
    'cluster/ns/name',
    'x'.repeat(64),
  ])('refuses the name %p', name => {
    expect(sandboxNameProblem(name)).toMatch(/is not a sandbox service name/);
  });
});

describe('a rollback drill', () => {
  const healthy = { ...OPTIONS, faultRate: 0 };

  it('puts the fault into the next release only, and says when it starts', () => {
    const service = { name: 'checkout' };
    const fleet = new SandboxFleet(healthy);
    const now = new Date(T0);
    const before = latestOf(fleet.observe(service, now));
    const { startsAt, version } = fleet.injectFault(
      service,
      { kind: 'latency', addedLatencyMs: 500 },
      now,
    );
    expect(startsAt.getTime()).toBeGreaterThan(now.getTime());
    expect(startsAt.getTime()).toBeLessThanOrEqual(
      now.getTime() + OPTIONS.releaseIntervalMs,
    );
    // The release in progress keeps its (absent) fault.
    expect(fleet.simulation(before.providerReleaseId, now).fault).toBeNull();

    const drilled = latestOf(
      fleet.observe(service, new Date(startsAt.getTime() + S)),
    );
    expect(drilled.version).toBe(version);
    expect(drilled.startedAt).toEqual(startsAt);
    expect(
      fleet.simulation(
        drilled.providerReleaseId,
        new Date(startsAt.getTime() + S),
      ).fault,
    ).toEqual({ kind: 'latency', addedLatencyMs: 500 });

    // The one after it is healthy again.
    const after = new Date(startsAt.getTime() + 3 * OPTIONS.releaseIntervalMs);
    const next = latestOf(fleet.observe(service, after));
    expect(next.version).not.toBe(version);
    expect(fleet.simulation(next.providerReleaseId, after).fault).toBeNull();
  });

  it('refuses a service that replays a pinned history', () => {
    const fleet = new SandboxFleet({
      ...healthy,
      pinnedReleases: { promotions: ['1.4.2', '1.5.0'] },
    });
    expect(() =>
      fleet.injectFault(
        { name: 'promotions' },
        { kind: 'error-rate', errorRate: 0.05 },
        new Date(T0),
      ),
    ).toThrow(/replays a pinned history/);
  });
});
