import type { ActionType } from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import { SandboxFleet } from './fleet';
import { ADA, latestOf, nextRelease, OPTIONS, S } from './__testUtils__/fleet';

describe('SandboxFleet', () => {
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
});
