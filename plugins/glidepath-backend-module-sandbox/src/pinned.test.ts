import type { ActionType } from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import { SandboxFleet, type SandboxFleetOptions } from './fleet';
import { ADA, latestOf, OPTIONS, S, T0 } from './__testUtils__/fleet';

describe('SandboxFleet', () => {
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
          // the last releases before the fleet first saw it
          expect(release.finishedAt!.getTime()).toBeLessThanOrEqual(T0);
          expect(release.startedAt.getTime()).toBeGreaterThan(T0 - HOUR);
          expect(release.commit).toMatch(/^[0-9a-f]{40}$/);
          expect(release.steps.every(s => s.status === 'completed')).toBe(true);
        }
        // consecutive slots, one interval apart, the next one too late to
        // end before the fleet first saw the service
        const starts = now.map(r => r.startedAt.getTime());
        expect(starts.map(t => t - starts[0])).toEqual(
          now.map((_, i) => i * interval),
        );
        expect(
          now[now.length - 1].finishedAt!.getTime() + interval,
        ).toBeGreaterThan(T0);

        const later = fleet.observe({ name }, new Date(T0 + 6 * HOUR));
        expect(later).toEqual(now);
        // a restarted fleet that knows when the service was first seen
        const restarted = new SandboxFleet(options);
        restarted.firstSeen(name, new Date(T0));
        expect(
          restarted.observe({ name }, new Date(T0 + 30 * 24 * HOUR)),
        ).toEqual(now);
        // the made-up history ends where the first of them started
        expect(restarted.beginning({ name }, new Date(T0))).toEqual({
          at: now[0].startedAt,
          version: now[0].previousVersion,
          pinned: true,
        });
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
        const version = id.split('@')[1];
        const restore = `${name}@${previous}+restore.1`;
        expect(fleet.act({ name }, rollback(id), at)).toMatch(
          new RegExp(
            `^Rolled back ${version}: restoring ${previous} as ${restore.replace(
              /[.+]/g,
              '\\$&',
            )} \\(about \\d+s\\); ${version} serves traffic until it is ready$`,
          ),
        );
        const later = fleet.observe({ name }, new Date(T0 + 6 * HOUR));
        // the old version back as a new release, and nothing after it
        expect(summary(later)).toEqual([
          ...before,
          [id, version, previous, 'rolled_back'],
          [restore, previous, version, 'succeeded'],
        ]);
        expect(later.find(r => r.providerReleaseId === id)).toMatchObject({
          canaryWeight: 0,
          finishedAt: at,
          message: 'Rolled back by Ada Lovelace: break the requirement',
        });
        expect(latestOf(later)).toMatchObject({
          startedAt: at,
          startedBy: ADA,
          canaryWeight: 100,
        });
        expect(() =>
          fleet.act({ name }, rollback(id), new Date(T0 + 6 * HOUR)),
        ).toThrow(/a rolled back release cannot be rolled back/);
      },
    );

    it('makes the version before the rolled back one stable, and a rollback of the restore undoes it', () => {
      const fleet = new SandboxFleet(PINNED);
      const service = { name: 'refunds' };
      fleet.act(service, rollback('refunds@1.2.0'), new Date(T0));
      // 1.1.0 is stable again, and its restore is the release that runs it
      expect(() =>
        fleet.act(service, rollback('refunds@1.1.0'), new Date(T0 + HOUR)),
      ).toThrow(
        'Cannot rollback refunds@1.1.0: refunds@1.1.0+restore.1 has run 1.1.0 since; roll that release back',
      );
      // As Argo Rollouts' undo: back to the revision before, 1.2.0
      expect(
        fleet.act(
          service,
          rollback('refunds@1.1.0+restore.1'),
          new Date(T0 + HOUR),
        ),
      ).toMatch(
        /^Rolled back 1\.1\.0: restoring 1\.2\.0 as refunds@1\.2\.0\+restore\.2 /,
      );
      expect(summary(fleet.observe(service, new Date(T0 + 2 * HOUR)))).toEqual([
        ['refunds@1.1.0', '1.1.0', '1.0.0', 'succeeded'],
        ['refunds@1.2.0', '1.2.0', '1.1.0', 'rolled_back'],
        ['refunds@1.1.0+restore.1', '1.1.0', '1.2.0', 'rolled_back'],
        ['refunds@1.2.0+restore.2', '1.2.0', '1.1.0', 'succeeded'],
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

    it('ignores awaitPromotion', () => {
      const timed = new SandboxFleet(PINNED).observe(
        { name: 'refunds' },
        new Date(T0),
      );
      const awaiting = new SandboxFleet({ ...PINNED, awaitPromotion: true });
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
});
