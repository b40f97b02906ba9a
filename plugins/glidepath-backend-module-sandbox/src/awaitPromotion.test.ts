import type { ActionType } from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import {
  SandboxFleet,
  type SandboxFleetOptions,
  type SandboxService,
} from './fleet';
import { latestOf, nextRelease, OPTIONS, S, T0 } from './__testUtils__/fleet';

describe('SandboxFleet', () => {
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
});
