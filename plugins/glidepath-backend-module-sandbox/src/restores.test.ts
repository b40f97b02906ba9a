import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import { SandboxFleet, type SandboxFleetOptions } from './fleet';
import { restartTimeOf, restoreFailure } from './restores';
import { simulateTraffic } from './traffic';
import {
  ADA,
  latestOf,
  nextRelease,
  OPTIONS,
  S,
  T0,
} from './__testUtils__/fleet';

/*
 * Rolling back a succeeded release restores the version before it over
 * simulated time (or fails to, when that version no longer starts), and a
 * roll forward runs the rolled-back version again: the sandbox's side of
 * Glidepath's rollback tests.
 */

const INTERVAL = OPTIONS.releaseIntervalMs;
const SHIFT = 5 * S; // a sixth of the 30 s pause

/** How long a restore or roll forward takes, from its reported steps. */
function durationOf(release: ObservedRelease): number {
  const pause = release.steps.find(s => s.kind === 'pause')!;
  return pause.durationSeconds! * S + 2 * SHIFT;
}

/**
 * The next release of checkout, succeeded by 110 s, rolled back at
 * `rollbackAt` (120 s unless given) by Ada.
 */
function rolledBack(
  options: SandboxFleetOptions = OPTIONS,
  rollbackAt = 120 * S,
) {
  const run = nextRelease({ name: 'checkout' }, options);
  const release = run.find(rollbackAt);
  expect(release.phase).toBe('succeeded');
  const message = run.act(rollbackAt, 'rollback', 'rollback test');
  const restore = run.latestAt(rollbackAt);
  return { ...run, release, message, restore, rollbackAt };
}

describe('restoring the version before a rolled-back release', () => {
  it('brings the old version back as a release of its own, then makes it stable', () => {
    const { release, message, restore, start, find, latestAt, rollbackAt } =
      rolledBack();
    const old = release.previousVersion!;
    const at = start + rollbackAt;
    const restoreId = `checkout@${old}+restore.1`;
    expect(message).toMatch(
      new RegExp(
        `^Rolled back ${release.version}: restoring ${old} as checkout@${old}\\+restore\\.1 \\(about \\d+s\\); ${release.version} serves traffic until it is ready$`,
      ),
    );
    expect(find(rollbackAt)).toMatchObject({
      phase: 'rolled_back',
      canaryWeight: 0,
      finishedAt: new Date(at),
    });
    expect(restore).toMatchObject({
      providerReleaseId: restoreId,
      version: old,
      previousVersion: release.version,
      phase: 'progressing',
      strategy: 'canary',
      startedBy: ADA,
      startedAt: new Date(at),
      currentStepIndex: 0,
      canaryWeight: 50,
      finishedAt: null,
      message: `Restoring ${old} (simulated); ${release.version} was rolled back by Ada Lovelace: rollback test`,
    });
    expect(restore.steps.map(s => [s.kind, s.weight, s.description])).toEqual([
      ['set_weight', 50, `Send 50% of traffic to ${old}`],
      ['pause', null, expect.stringMatching(/^Wait \d+s$/)],
      ['set_weight', 100, `Send 100% of traffic to ${old}`],
    ]);
    const took = durationOf(restore);
    expect(took).toBeGreaterThanOrEqual(20 * S);
    expect(took).toBeLessThanOrEqual(45 * S);

    const stillRunning = latestAt(rollbackAt + took - 1);
    expect(stillRunning).toMatchObject({
      providerReleaseId: restoreId,
      phase: 'progressing',
      currentStepIndex: 2,
      canaryWeight: 100,
    });
    expect(latestAt(rollbackAt + took)).toMatchObject({
      providerReleaseId: restoreId,
      phase: 'succeeded',
      canaryWeight: 100,
      currentStepIndex: null,
      finishedAt: new Date(at + took),
      message: `Restored ${old} in ${
        took / S
      }s (simulated): it serves all traffic`,
    });
    // the train's next release starts from the restored version
    const next = latestAt(INTERVAL);
    expect(next.startedBy.ref).toBe('sandbox');
    expect(next.previousVersion).toBe(old);
  });

  it('keeps the rolled-back version stable while the restore runs (Argo Rollouts undo)', () => {
    const { release, restore, act, latestAt, rollbackAt } = rolledBack();
    // abort the restore half-way: nothing made the old version stable
    act(rollbackAt + 10 * S, 'abort', 'not now', restore.providerReleaseId);
    expect(latestAt(rollbackAt + 10 * S)).toMatchObject({
      providerReleaseId: restore.providerReleaseId,
      phase: 'aborted',
    });
    expect(latestAt(INTERVAL).previousVersion).toBe(release.version);
  });

  it('takes a restart time drawn per service and version, 20 to 45 s, scaled by the step duration', () => {
    const service = (name: string) => ({
      name,
      offsetMs: 0,
      releaseIntervalMs: INTERVAL,
      stepDurationMs: 30 * S,
      strategy: undefined,
      baseMajor: 1,
    });
    const times = Array.from({ length: 200 }, (_, i) =>
      restartTimeOf(OPTIONS, service('checkout'), `1.0.${i}`),
    );
    for (const t of times) {
      expect(t).toBeGreaterThanOrEqual(20 * S);
      expect(t).toBeLessThanOrEqual(45 * S);
      expect(t % S).toBe(0);
    }
    expect(new Set(times).size).toBeGreaterThan(15);
    expect(Math.min(...times)).toBeLessThan(25 * S);
    expect(Math.max(...times)).toBeGreaterThan(40 * S);
    // the same service and version: the same time, whoever asks
    expect(restartTimeOf(OPTIONS, service('checkout'), '1.0.7')).toBe(times[7]);
    // a staging twin restarts its production service's builds alike
    expect(
      restartTimeOf(
        OPTIONS,
        { ...service('checkout-staging'), lineage: 'checkout' },
        '1.0.7',
      ),
    ).toBe(times[7]);
    // the demo's faster clocks: 15 s pauses, 10 to 23 s
    const fast = { ...OPTIONS, stepDurationMs: 15 * S };
    for (let i = 0; i < 100; i++) {
      const t = restartTimeOf(fast, service('checkout'), `1.0.${i}`);
      expect(t).toBeGreaterThanOrEqual(10 * S);
      expect(t).toBeLessThanOrEqual(23 * S);
    }
  });

  it('keeps its restore timed when canaries wait for promotes', () => {
    const { act, latestAt } = nextRelease(
      { name: 'checkout' },
      { ...OPTIONS, awaitPromotion: true },
    );
    for (const seconds of [10, 20, 30]) act(seconds * S, 'promote');
    expect(latestAt(40 * S).phase).toBe('succeeded');
    act(40 * S, 'rollback', 'rollback test');
    const restore = latestAt(40 * S);
    expect(restore.steps[1].durationSeconds).not.toBeNull();
    expect(latestAt(40 * S + durationOf(restore))).toMatchObject({
      providerReleaseId: restore.providerReleaseId,
      phase: 'succeeded',
    });
  });
});

describe('a rollback that fails', () => {
  const FAILING = {
    ...OPTIONS,
    rollbackFailureShareByService: { checkout: 1 },
  };

  it('restores an old version that no longer starts: its canary fails, then the restore, and the rolled-back version stays', () => {
    const { release, restore, fleet, start, latestAt, act, rollbackAt } =
      rolledBack(FAILING);
    const old = release.previousVersion!;
    const at = start + rollbackAt;
    const { fault } = fleet.simulation(restore.providerReleaseId, new Date(at));
    expect(fault).toEqual({
      kind: 'crash-loop',
      reason: expect.stringMatching(
        new RegExp(`^${old} no longer starts.*${release.version}`),
      ),
    });
    const reason = fault!.kind === 'crash-loop' ? fault!.reason : '';

    // its canary serves errors and fails its health checks
    const traffic = simulateTraffic({
      seed: OPTIONS.seed,
      release: fleet.simulation(
        restore.providerReleaseId,
        new Date(at + 20 * S),
      ),
      from: new Date(at + SHIFT),
      to: new Date(at + 20 * S),
    });
    expect(traffic.length).toBeGreaterThan(0);
    for (const window of traffic) {
      expect(window.canary.requests).toBeGreaterThan(0);
      expect(window.canary.errors).toBe(window.canary.requests);
      expect(window.canary.healthChecks.passed).toBe(0);
      expect(window.canary.healthChecks.failed).toBeGreaterThan(0);
      expect(window.baseline.errors).toBeLessThan(
        window.baseline.requests * 0.05,
      );
    }

    // nobody can push it on to all of the traffic
    expect(() =>
      act(rollbackAt + 5 * S, 'promote', 'push', restore.providerReleaseId),
    ).toThrow(
      `Cannot promote ${restore.providerReleaseId}: its pods crash on start, so it cannot take more traffic; abort it or roll it back`,
    );

    // it fails when its pods should have been ready
    const deadline = rollbackAt + durationOf(restore) - SHIFT;
    expect(latestAt(deadline - 1).phase).toBe('progressing');
    expect(latestAt(deadline)).toMatchObject({
      providerReleaseId: restore.providerReleaseId,
      phase: 'failed',
      canaryWeight: 0,
      finishedAt: new Date(start + deadline),
      message: `${reason} (simulated): its pods never became ready; ${release.version} still serves all traffic`,
    });
    expect(latestAt(deadline).steps.map(s => s.status)).toEqual([
      'completed',
      'skipped',
      'skipped',
    ]);
    // the train carries on from the rolled-back version
    expect(latestAt(INTERVAL).previousVersion).toBe(release.version);
  });

  it('fails again when retried, and can be rolled back by the engine before', () => {
    const { restore, act, latestAt, rollbackAt, release } = rolledBack(FAILING);
    const id = restore.providerReleaseId;
    act(rollbackAt + 15 * S, 'rollback', 'canary errors', id);
    expect(latestAt(rollbackAt + 15 * S)).toMatchObject({
      providerReleaseId: id,
      phase: 'rolled_back',
      message: 'Rolled back by Ada Lovelace: canary errors',
    });
    expect(latestAt(INTERVAL).previousVersion).toBe(release.version);

    const again = rolledBack(FAILING);
    const failedAt = again.rollbackAt + 50 * S;
    expect(again.latestAt(failedAt).phase).toBe('failed');
    again.act(failedAt, 'retry', 'once more', again.restore.providerReleaseId);
    expect(again.latestAt(failedAt).phase).toBe('progressing');
    expect(again.latestAt(failedAt + 50 * S)).toMatchObject({
      providerReleaseId: again.restore.providerReleaseId,
      phase: 'failed',
    });
  });

  it('fails for a deterministic share of versions, decided by the rolled-back version', () => {
    const checkout = {
      name: 'checkout',
      offsetMs: 0,
      releaseIntervalMs: INTERVAL,
      stepDurationMs: 30 * S,
      strategy: undefined,
      baseMajor: 1,
    };
    const failures = (share: number, service = checkout) =>
      Array.from({ length: 2000 }, (_, i) =>
        restoreFailure(
          { ...OPTIONS, rollbackFailureShare: share },
          service,
          `1.${Math.floor(i / 100)}.${i % 100}`,
          'x',
        ),
      );
    const tenth = failures(0.1);
    const count = tenth.filter(Boolean).length;
    expect(count).toBeGreaterThan(160);
    expect(count).toBeLessThan(240);
    expect(failures(0.1)).toEqual(tenth);
    // more failures with a higher share, the same ones among them
    const quarter = failures(0.25);
    expect(quarter.filter((_, i) => tenth[i])).toEqual(tenth.filter(Boolean));
    expect(quarter.filter(Boolean).length).toBeGreaterThan(count);
    expect(failures(0).filter(Boolean)).toEqual([]);
    expect(failures(1).every(Boolean)).toBe(true);
    // each reason names both versions
    for (const fault of tenth.filter(Boolean)) {
      expect(fault).toEqual({
        kind: 'crash-loop',
        reason: expect.stringMatching(/^x no longer starts.* 1\.\d+\.\d+/),
      });
    }
    // a pinned history restores reliably, unless its own share says otherwise
    const pinned = {
      ...checkout,
      pinned: { versions: ['1.0.0', '1.1.0'], stride: 1, firstSlot: 3 },
    };
    expect(failures(1, pinned).filter(Boolean)).toEqual([]);
    expect(
      restoreFailure(
        { ...OPTIONS, rollbackFailureShareByService: { checkout: 1 } },
        pinned,
        '1.1.0',
        '1.0.0',
      ),
    ).toEqual({
      kind: 'crash-loop',
      reason: expect.stringMatching(/^1\.0\.0 no longer starts.*1\.1\.0/),
    });
  });

  it('fails a pinned history when its service asks for it', () => {
    const options: SandboxFleetOptions = {
      ...OPTIONS,
      rollbackFailureShare: 1,
      pinnedReleases: { ledger: ['2.2.0', '2.3.0'] },
    };
    const T = Date.parse('2026-03-02T10:00:00Z');
    const rollback = {
      providerReleaseId: 'ledger@2.3.0',
      action: 'rollback' as const,
      reason: 'rollback test',
      actor: ADA,
    };
    const reliable = new SandboxFleet(options);
    reliable.act({ name: 'ledger' }, rollback, new Date(T));
    expect(
      latestOf(reliable.observe({ name: 'ledger' }, new Date(T + 60 * S))),
    ).toMatchObject({ version: '2.2.0', phase: 'succeeded' });

    const failing = new SandboxFleet({
      ...options,
      rollbackFailureShareByService: { ledger: 1 },
    });
    failing.act({ name: 'ledger' }, rollback, new Date(T));
    expect(
      latestOf(failing.observe({ name: 'ledger' }, new Date(T + 60 * S))),
    ).toMatchObject({
      providerReleaseId: 'ledger@2.2.0+restore.1',
      phase: 'failed',
      message: expect.stringMatching(
        /^2\.2\.0 no longer starts.*2\.3\.0.*\(simulated\): its pods never became ready; 2\.3\.0 still serves all traffic$/,
      ),
    });
  });
});

describe('rolling forward after a rollback test', () => {
  /** Restored by 120 + 45 s; forward asked at 170 s. */
  function restored(options: SandboxFleetOptions = OPTIONS) {
    const run = rolledBack(options);
    const forwardAt = 170 * S;
    const forward = (offsetMs = forwardAt, version = run.release.version) =>
      run.fleet.rollForward(
        { name: 'checkout' },
        {
          providerReleaseId: run.release.providerReleaseId,
          version,
          reason: 'rollback test passed',
          actor: ADA,
        },
        new Date(run.start + offsetMs),
      );
    return { ...run, forwardAt, forward };
  }

  it('runs the rolled-back version again, which becomes stable', () => {
    const { release, restore, forward, forwardAt, latestAt, start, fleet } =
      restored();
    const id = `checkout@${release.version}+forward.2`;
    expect(latestAt(forwardAt)).toMatchObject({
      providerReleaseId: restore.providerReleaseId,
      phase: 'succeeded',
    });
    expect(forward()).toMatch(
      new RegExp(
        `^Rolling forward to ${release.version} as checkout@${release.version}\\+forward\\.2 \\(about \\d+s\\); ${restore.version} serves traffic until it is ready$`,
      ),
    );
    const running = latestAt(forwardAt);
    expect(running).toMatchObject({
      providerReleaseId: id,
      version: release.version,
      previousVersion: restore.version,
      commit: release.commit,
      phase: 'progressing',
      canaryWeight: 50,
      startedBy: ADA,
      startedAt: new Date(start + forwardAt),
      message: `Rolling forward to ${release.version} again (simulated); started by Ada Lovelace: rollback test passed`,
    });
    // the build's own fault, if it had one, comes back with it
    expect(fleet.simulation(id, new Date(start + forwardAt)).fault).toEqual(
      fleet.simulation(release.providerReleaseId, new Date(start + forwardAt))
        .fault,
    );
    const took = durationOf(running);
    expect(took).toBeGreaterThanOrEqual(20 * S);
    expect(took).toBeLessThanOrEqual(45 * S);
    expect(latestAt(forwardAt + took)).toMatchObject({
      providerReleaseId: id,
      phase: 'succeeded',
      finishedAt: new Date(start + forwardAt + took),
      message: `Rolled forward to ${release.version} in ${
        took / S
      }s (simulated): it serves all traffic`,
    });
    expect(latestAt(INTERVAL).previousVersion).toBe(release.version);
  });

  it('does a repeated roll forward once', () => {
    const { release, forward, forwardAt, releasesAt } = restored();
    forward();
    const id = `checkout@${release.version}+forward.2`;
    expect(forward(forwardAt + 5 * S)).toBe(
      `${id} is already on its way to ${release.version}; nothing to do`,
    );
    expect(forward(forwardAt + 60 * S)).toBe(
      `checkout already runs ${release.version}; nothing to do`,
    );
    const ids = releasesAt(forwardAt + 60 * S).map(r => r.providerReleaseId);
    expect(ids.filter(r => r.includes('+forward'))).toEqual([id]);
  });

  it('has nothing to do after a rollback that failed: the version still runs', () => {
    const { release, forward, releasesAt, forwardAt } = restored({
      ...OPTIONS,
      rollbackFailureShareByService: { checkout: 1 },
    });
    expect(forward()).toBe(
      `checkout already runs ${release.version}; nothing to do`,
    );
    expect(
      releasesAt(forwardAt).some(r => r.providerReleaseId.includes('forward')),
    ).toBe(false);
  });

  it.each<[string, number, string | undefined, string, RegExp]>([
    [
      'while the restore runs',
      125,
      undefined,
      'ConflictError',
      /^Cannot roll forward to (\S+) \(checkout@\1\): checkout@\S+\+restore\.1 is progressing; wait for it to end, or abort it or roll it back first$/,
    ],
    [
      'to another version than the release ran',
      170,
      '9.9.9',
      'InputError',
      /^Cannot roll forward to 9\.9\.9: checkout@\S+ is a release of \S+$/,
    ],
    [
      'once the next release of the train has started',
      INTERVAL / S + 150,
      undefined,
      'ConflictError',
      /^Cannot roll forward to (\S+) \(checkout@\1\): checkout@\S+ has started since; rolling forward to \1 would go back$/,
    ],
  ])('refuses %s', (_name, seconds, version, name, message) => {
    const { forward, releasesAt } = restored();
    const before = releasesAt(seconds * S);
    expect(() => forward(seconds * S, version)).toThrow(
      expect.objectContaining({
        name,
        message: expect.stringMatching(message),
      }),
    );
    expect(releasesAt(seconds * S)).toEqual(before);
  });

  it('refuses an unknown release, and one that never completed', () => {
    const { fleet, act, start, id, latestAt } = nextRelease();
    const request = (providerReleaseId: string, version: string) => ({
      providerReleaseId,
      version,
      reason: '',
      actor: ADA,
    });
    expect(() =>
      fleet.rollForward(
        { name: 'checkout' },
        request('checkout@9.9.9', '9.9.9'),
        new Date(start + 10 * S),
      ),
    ).toThrow(
      expect.objectContaining({
        name: 'NotFoundError',
        message: expect.stringContaining('"checkout@9.9.9"'),
      }),
    );
    act(40 * S, 'rollback');
    const { version } = latestAt(40 * S);
    expect(() =>
      fleet.rollForward(
        { name: 'checkout' },
        request(id, version),
        new Date(start + 60 * S),
      ),
    ).toThrow(
      `Cannot roll forward to ${version} (${id}): it never completed (it was rolled back); retry it instead`,
    );
  });
});

describe('the release train around restores and roll forwards', () => {
  it('starts nothing while a restore runs, and carries on with its schedule after', () => {
    // rolled back 10 s before the next slot: the restore spans it
    const { restore, latestAt, releasesAt, start, release, rollbackAt } =
      rolledBack(OPTIONS, INTERVAL - 10 * S);
    const took = durationOf(restore);
    expect(rollbackAt + took).toBeGreaterThan(INTERVAL);
    expect(latestAt(INTERVAL + 1)).toMatchObject({
      providerReleaseId: restore.providerReleaseId,
      phase: 'progressing',
    });
    expect(latestAt(rollbackAt + took).phase).toBe('succeeded');
    // the slot that passed is skipped; the one after starts as scheduled
    expect(latestAt(2 * INTERVAL - 1).providerReleaseId).toBe(
      restore.providerReleaseId,
    );
    const next = latestAt(2 * INTERVAL);
    expect(next).toMatchObject({
      startedAt: new Date(start + 2 * INTERVAL),
      previousVersion: restore.version,
      startedBy: expect.objectContaining({ ref: 'sandbox' }),
    });
    const patch = (v: string) => Number(v.split('.')[2]);
    expect((patch(next.version) - patch(release.version) + 100) % 100).toBe(2);
    expect(latestAt(2 * INTERVAL + 110 * S).phase).toBe('succeeded');
    expect(
      releasesAt(2 * INTERVAL + 110 * S).map(r => r.providerReleaseId),
    ).toContain(release.providerReleaseId);
  });

  it('starts nothing while a roll forward runs', () => {
    const run = rolledBack(OPTIONS, 120 * S);
    const forwardAt = INTERVAL - 10 * S;
    run.fleet.rollForward(
      { name: 'checkout' },
      {
        providerReleaseId: run.release.providerReleaseId,
        version: run.release.version,
        reason: '',
        actor: ADA,
      },
      new Date(run.start + forwardAt),
    );
    const forward = run.latestAt(forwardAt);
    expect(run.latestAt(INTERVAL + 1).providerReleaseId).toBe(
      forward.providerReleaseId,
    );
    const next = run.latestAt(2 * INTERVAL);
    expect(next.startedAt).toEqual(new Date(run.start + 2 * INTERVAL));
    expect(next.previousVersion).toBe(run.release.version);
  });

  it('reports the same on a fleet that replays the journal later (a restart)', () => {
    const run = rolledBack();
    const forwardAt = 170 * S;
    const forward = {
      providerReleaseId: run.release.providerReleaseId,
      version: run.release.version,
      reason: 'rollback test passed',
      actor: ADA,
    };
    run.fleet.rollForward(
      { name: 'checkout' },
      forward,
      new Date(run.start + forwardAt),
    );
    const restarted = new SandboxFleet(OPTIONS);
    restarted.firstSeen('checkout', new Date(T0));
    restarted.record({
      kind: 'action',
      service: 'checkout',
      at: new Date(run.start + run.rollbackAt),
      action: {
        providerReleaseId: run.release.providerReleaseId,
        action: 'rollback',
        reason: 'rollback test',
        actor: ADA,
      },
    });
    restarted.record({
      kind: 'forward',
      service: 'checkout',
      at: new Date(run.start + forwardAt),
      forward,
    });
    for (const offset of [forwardAt + 10 * S, 3 * INTERVAL]) {
      expect(
        restarted.observe({ name: 'checkout' }, new Date(run.start + offset)),
      ).toEqual(run.releasesAt(offset));
    }
  });
});
