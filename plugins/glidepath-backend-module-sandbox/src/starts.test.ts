import { InputError } from '@backstage/errors';
import { SandboxFleet, type SandboxFleetOptions } from './fleet';
import type { SandboxStart } from './starts';
import {
  ADA,
  latestOf,
  nextRelease,
  OPTIONS,
  S,
  T0,
} from './__testUtils__/fleet';

/*
 * Releases started on request (a release plan's), besides the train: as
 * `kubectl argo rollouts set image`, a new release of the version that
 * supersedes the one in progress, which the train then leaves alone.
 */

const INTERVAL = OPTIONS.releaseIntervalMs;
const NO_FAULTS: SandboxFleetOptions = { ...OPTIONS, faultRate: 0 };
const CHECKOUT = { name: 'checkout' };

function request(overrides: Partial<SandboxStart> = {}): SandboxStart {
  return {
    version: '7.0.0',
    idempotencyKey: 'plan-1/wave-1/checkout',
    reason: 'release plan "Spring launch", wave 1',
    actor: ADA,
    ...overrides,
  };
}

/** The next train release of checkout, and a start asked 40 s into it. */
function startedDuringARelease(options: SandboxFleetOptions = NO_FAULTS) {
  const run = nextRelease(CHECKOUT, options);
  const startAt = 40 * S;
  const trainRelease = run.find(startAt);
  const ask = (offsetMs = startAt, overrides: Partial<SandboxStart> = {}) =>
    run.fleet.start(
      CHECKOUT,
      request(overrides),
      new Date(run.start + offsetMs),
    );
  return { ...run, startAt, trainRelease, ask };
}

describe('starting a release on request', () => {
  it('starts a release of the version, superseding the train release in progress', () => {
    const { ask, trainRelease, releasesAt, startAt, ...run } =
      startedDuringARelease();
    expect(trainRelease.phase).toBe('progressing');
    expect(ask()).toBe(
      `Started 7.0.0 as checkout@7.0.0+start.1, superseding ${trainRelease.providerReleaseId}; ${trainRelease.previousVersion} serves the rest of the traffic until it completes`,
    );
    const releases = releasesAt(startAt);
    const superseded = releases.find(
      r => r.providerReleaseId === trainRelease.providerReleaseId,
    )!;
    expect(superseded).toMatchObject({
      phase: 'aborted',
      message:
        'Aborted by Ada Lovelace: superseded by 7.0.0, started on request',
      canaryWeight: 0,
    });
    expect(latestOf(releases)).toMatchObject({
      providerReleaseId: 'checkout@7.0.0+start.1',
      version: '7.0.0',
      previousVersion: trainRelease.previousVersion,
      phase: 'progressing',
      strategy: 'canary',
      currentStepIndex: 0,
      startedBy: ADA,
      startedAt: new Date(run.start + startAt),
      message: 'Started by Ada Lovelace: release plan "Spring launch", wave 1',
    });
    expect(latestOf(releases).canaryWeight).toBeGreaterThan(0);
    expect(latestOf(releases).commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('walks its canary steps and makes the version stable, with no train release meanwhile', () => {
    const { ask, startAt, releasesAt, find } = startedDuringARelease();
    ask();
    const id = 'checkout@7.0.0+start.1';
    // Default canary: 5 weights, 4 pauses of 30 s, 5 s shifts.
    const running = find(startAt + 60 * S, id);
    expect(running.phase).toBe('progressing');
    expect(running.currentStepIndex).toBeGreaterThan(0);
    const done = find(startAt + INTERVAL, id);
    expect(done).toMatchObject({ phase: 'succeeded', canaryWeight: 100 });
    // The train's next slots passed while it ran and in the hour after it.
    const later = releasesAt(startAt + 50 * 60_000);
    expect(latestOf(later).providerReleaseId).toBe(id);
    expect(later.filter(r => r.startedAt > done.startedAt)).toEqual([]);
  });

  it('lets the train carry on an hour after it ended (startedReleaseHoldMs), from the started version', () => {
    const { ask, startAt, releasesAt, find } = startedDuringARelease();
    ask();
    const finishedAt = find(
      startAt + INTERVAL,
      'checkout@7.0.0+start.1',
    ).finishedAt!.getTime();
    const { start: base } = nextRelease(CHECKOUT, NO_FAULTS);
    const after = releasesAt(
      finishedAt - base + 60 * 60_000 + INTERVAL + 40 * S,
    );
    const latest = latestOf(after);
    expect(latest.providerReleaseId).not.toContain('+start');
    expect(latest.startedBy.ref).toBe('sandbox');
    expect(latest.previousVersion).toBe('7.0.0');
    expect(latest.startedAt.getTime()).toBeGreaterThanOrEqual(
      finishedAt + 60 * 60_000,
    );
  });

  it('holds the train for as long as configured', () => {
    const options = { ...NO_FAULTS, startedReleaseHoldMs: 0 };
    const { ask, startAt, releasesAt, find } = startedDuringARelease(options);
    ask();
    const done = find(startAt + INTERVAL, 'checkout@7.0.0+start.1');
    const next = releasesAt(startAt + 2 * INTERVAL).find(
      r => r.startedAt > done.startedAt,
    )!;
    expect(next.startedBy.ref).toBe('sandbox');
    expect(next.startedAt.getTime()).toBeGreaterThanOrEqual(
      done.finishedAt!.getTime(),
    );
    expect(next.startedAt.getTime()).toBeLessThan(
      done.finishedAt!.getTime() + INTERVAL,
    );
  });

  it('starts once per idempotency key, and not again while the version is on its way or runs', () => {
    const { ask, startAt, releasesAt } = startedDuringARelease();
    ask();
    expect(ask(startAt + 10 * S)).toBe(
      'A start with the idempotency key "plan-1/wave-1/checkout" was done before; nothing to do',
    );
    expect(ask(startAt + 20 * S, { idempotencyKey: 'other' })).toBe(
      'checkout@7.0.0+start.1 is already on its way to 7.0.0; nothing to do',
    );
    expect(ask(startAt + INTERVAL, { idempotencyKey: 'third' })).toBe(
      'checkout already runs 7.0.0; nothing to do',
    );
    // Even once the version moved on, the key is spent.
    expect(ask(startAt + INTERVAL + S, { version: '7.0.1' })).toMatch(
      /was done before; nothing to do$/,
    );
    expect(
      releasesAt(startAt + INTERVAL + S).filter(r =>
        r.providerReleaseId.includes('+start'),
      ),
    ).toHaveLength(1);
  });

  it('supersedes its own release in progress with another version', () => {
    const { ask, startAt, releasesAt, trainRelease } = startedDuringARelease();
    ask();
    expect(
      ask(startAt + 20 * S, { version: '7.0.1', idempotencyKey: 'b' }),
    ).toBe(
      `Started 7.0.1 as checkout@7.0.1+start.2, superseding checkout@7.0.0+start.1; ${trainRelease.previousVersion} serves the rest of the traffic until it completes`,
    );
    const releases = releasesAt(startAt + 20 * S);
    expect(
      releases.find(r => r.providerReleaseId === 'checkout@7.0.0+start.1')!
        .phase,
    ).toBe('aborted');
  });

  it('carries the fault a drill injected for the next release', () => {
    const run = nextRelease(CHECKOUT, NO_FAULTS);
    run.fleet.injectFault(
      CHECKOUT,
      { kind: 'error-rate', errorRate: 0.05 },
      new Date(run.start + 30 * S),
    );
    run.fleet.start(CHECKOUT, request(), new Date(run.start + 40 * S));
    const at = new Date(run.start + 60 * S);
    expect(run.fleet.simulation('checkout@7.0.0+start.1', at).fault).toEqual({
      kind: 'error-rate',
      errorRate: 0.05,
    });
    // ... once: the train's next release does not.
    const laterAt = run.start + 3 * 60 * 60_000;
    const train = latestOf(
      run.fleet.observe(CHECKOUT, new Date(laterAt)),
    ).providerReleaseId;
    expect(train).not.toContain('+start');
    expect(run.fleet.simulation(train, new Date(laterAt)).fault).toBeNull();
  });

  it('keeps a drill injected while a started release runs for the next start, and names the train slot after the hold', () => {
    const { ask, startAt, fleet, start: base } = startedDuringARelease();
    ask();
    const during = new Date(base + startAt + 10 * S);
    expect(
      fleet.injectFault(
        CHECKOUT,
        { kind: 'latency', addedLatencyMs: 500 },
        during,
      ),
    ).toEqual({
      startsAt: null,
      version: null,
      why: 'a release started on request is in flight',
    });
    // Once it ended, the train's next release is the first after the hold.
    const ended = new Date(base + startAt + INTERVAL);
    const finishedAt = latestOf(fleet.observe(CHECKOUT, ended)).finishedAt!;
    const next = fleet.injectFault(
      CHECKOUT,
      { kind: 'latency', addedLatencyMs: 500 },
      ended,
    );
    expect(next.startsAt!.getTime()).toBeGreaterThanOrEqual(
      finishedAt.getTime() + 60 * 60_000,
    );
    expect(next.startsAt!.getTime()).toBeLessThan(
      finishedAt.getTime() + 60 * 60_000 + INTERVAL,
    );
    // A plan's next start comes first and carries it.
    ask(startAt + INTERVAL + S, { version: '7.1.0', idempotencyKey: 'wave-2' });
    expect(
      fleet.simulation(
        'checkout@7.1.0+start.2',
        new Date(base + startAt + INTERVAL + 2 * S),
      ).fault,
    ).toEqual({ kind: 'latency', addedLatencyMs: 500 });
  });

  it("gives a version on the train's schedule the train's build: its commit and seeded fault", () => {
    const options = { ...OPTIONS, faultRate: 1 };
    const run = nextRelease(CHECKOUT, options);
    const upcoming = run.find(0);
    // Abort the train's release, then start its version on request.
    run.act(10 * S, 'abort');
    run.fleet.start(
      CHECKOUT,
      request({ version: upcoming.version }),
      new Date(run.start + 20 * S),
    );
    const id = `checkout@${upcoming.version}+start.1`;
    const started = run.find(20 * S, id);
    expect(started.commit).toBe(upcoming.commit);
    const at = new Date(run.start + 20 * S);
    expect(run.fleet.simulation(id, at).fault).toEqual(
      run.fleet.simulation(upcoming.providerReleaseId, at).fault,
    );
    expect(run.fleet.simulation(id, at).fault).not.toBeNull();
  });

  it('waits for promotes with awaitPromotion, and the train does not supersede it', () => {
    const options = { ...NO_FAULTS, awaitPromotion: true };
    const { ask, startAt, find } = startedDuringARelease(options);
    ask();
    const id = 'checkout@7.0.0+start.1';
    expect(find(startAt + 10 * S, id)).toMatchObject({ phase: 'paused' });
    // Hours later, nobody promoted it: still waiting, not superseded.
    expect(find(startAt + 5 * 60 * 60_000, id)).toMatchObject({
      phase: 'paused',
      message: 'Waiting for a promote at step 2 of 7',
    });
  });

  it('can be rolled back like any release, restoring the version before', () => {
    const { ask, startAt, act, latestAt, find } = startedDuringARelease();
    ask();
    const id = 'checkout@7.0.0+start.1';
    const done = find(startAt + INTERVAL, id);
    expect(done.phase).toBe('succeeded');
    expect(
      act(startAt + INTERVAL + S, 'rollback', 'wave 2 failed', id),
    ).toMatch(/^Rolled back 7\.0\.0: restoring /);
    const restore = latestAt(startAt + INTERVAL + S);
    expect(restore.providerReleaseId).toMatch(/\+restore\.2$/);
    expect(restore.version).toBe(done.previousVersion);
  });

  it('releases production straight away, without waiting for its staging twin', () => {
    const production = {
      name: 'cart',
      stagedIn: { service: 'cart-staging', leadMs: 2 * 60_000 },
    };
    const fleet = new SandboxFleet(NO_FAULTS);
    const at = new Date(T0 + 10 * INTERVAL);
    fleet.observe(production, at);
    expect(fleet.start(production, request({ version: '9.0.0' }), at)).toMatch(
      /^Started 9\.0\.0 as cart@9\.0\.0\+start\.1/,
    );
    expect(latestOf(fleet.observe(production, at))).toMatchObject({
      version: '9.0.0',
      phase: 'progressing',
    });
  });

  it('refuses a version it cannot name', () => {
    const { ask } = startedDuringARelease();
    expect(() => ask(40 * S, { version: 'v 1/2' })).toThrow(InputError);
    expect(() => ask(40 * S, { version: '' })).toThrow(
      /is not a version the sandbox can release/,
    );
  });

  it('reports the same on a fleet that replays the journal later (a restart)', () => {
    const { ask, startAt, releasesAt } = startedDuringARelease();
    ask();
    const restarted = new SandboxFleet(NO_FAULTS);
    restarted.firstSeen('checkout', new Date(T0));
    const { start: base } = nextRelease(CHECKOUT, NO_FAULTS);
    restarted.record({
      kind: 'start',
      service: 'checkout',
      at: new Date(base + startAt),
      start: request(),
    });
    for (const offset of [startAt + 10 * S, startAt + 3 * INTERVAL]) {
      expect(restarted.observe(CHECKOUT, new Date(base + offset))).toEqual(
        releasesAt(offset),
      );
    }
    // The key came back with the journal.
    expect(
      restarted.start(
        CHECKOUT,
        request({ version: '8.0.0' }),
        new Date(base + startAt + 3 * INTERVAL),
      ),
    ).toMatch(/was done before; nothing to do$/);
  });
});
