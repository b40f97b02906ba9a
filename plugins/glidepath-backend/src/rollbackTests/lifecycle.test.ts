import {
  ASK_FORWARD_AGAIN_AFTER_MS,
  IN_PLACE_RESTORE_AFTER_MS,
  LifecycleInput,
  nextStep,
  ObservedTargetRelease,
} from './lifecycle';
import type { StoredRollbackTest } from './RollbackTestStore';

const T0 = Date.parse('2026-12-06T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

function storedTest(
  overrides: Partial<StoredRollbackTest>,
): StoredRollbackTest {
  return {
    id: 't1',
    entityRef: 'component:default/cart',
    environment: 'staging',
    version: '2.4.0',
    previousVersion: '2.3.1',
    releaseId: 'tested',
    provider: 'sandbox',
    simulated: true,
    trigger: 'policy',
    requestedBy: { kind: 'policy', ref: 'rollback-test' },
    reason: 'completed',
    state: 'pending',
    stateReason: null,
    requestedAt: at(0),
    rolledBackAt: null,
    healthyAt: null,
    finishedAt: null,
    rollbackSeconds: null,
    healthySeconds: null,
    revision: 0,
    rollbackActionId: null,
    forwardRequestedAt: null,
    knownReleaseIds: ['tested', 'old'],
    ...overrides,
  };
}

function release(
  id: string,
  version: string,
  phase: ObservedTargetRelease['phase'],
  startedSecond: number,
  finishedSecond?: number,
): ObservedTargetRelease {
  return {
    id,
    version,
    phase,
    startedAt: at(startedSecond),
    finishedAt: finishedSecond === undefined ? null : at(finishedSecond),
    message: phase === 'failed' ? '2.3.1 no longer starts (simulated)' : null,
  };
}

const tested = {
  ...release('tested', '2.4.0', 'succeeded', -600, -300),
  previousVersion: '2.3.1',
};

function input(overrides: Partial<LifecycleInput>): LifecycleInput {
  return {
    test: storedTest({}),
    now: new Date(at(0)),
    tested,
    releases: [tested],
    rollbackAction: undefined,
    rollForward: { supported: true },
    limits: { healthyWithinMs: 600_000, forwardWithinMs: 600_000 },
    ...overrides,
  };
}

describe('nextStep', () => {
  it.each<[string, Partial<LifecycleInput>, Record<string, unknown>]>([
    [
      'pending: asks for the rollback',
      {},
      { kind: 'request_rollback', stateReason: 'rolling 2.4.0 back to 2.3.1' },
    ],
    [
      'pending: a provider that cannot roll forward: not run, its reason',
      {
        rollForward: {
          supported: false,
          reason: 'the provider argo cannot roll a version forward again',
        },
      },
      {
        kind: 'finish',
        patch: expect.objectContaining({
          state: 'not_run',
          stateReason: 'the provider argo cannot roll a version forward again',
        }),
      },
    ],
    [
      'pending: no previous version',
      { tested: { ...tested, previousVersion: null } },
      {
        kind: 'finish',
        patch: expect.objectContaining({
          state: 'not_run',
          stateReason:
            '2.4.0 is the first release in staging: there is no previous version to roll back to',
        }),
      },
    ],
    [
      'pending: the release is not completed',
      { tested: { ...tested, phase: 'progressing' } },
      {
        kind: 'finish',
        patch: expect.objectContaining({
          state: 'not_run',
          stateReason: expect.stringMatching(/is progressing in staging/),
        }),
      },
    ],
    [
      'pending: a newer release started',
      { releases: [release('next', '2.5.0', 'progressing', -10), tested] },
      {
        kind: 'finish',
        patch: expect.objectContaining({
          state: 'not_run',
          stateReason: '2.5.0 has started in staging since 2.4.0 completed',
        }),
      },
    ],
    [
      'rolling back: the action is running',
      {
        test: storedTest({ state: 'rolling_back', rollbackActionId: 'a1' }),
        rollbackAction: { state: 'running', finishedAt: null, error: null },
      },
      { kind: 'wait' },
    ],
    [
      'rolling back: no action recorded (a crash after asking): asks again',
      { test: storedTest({ state: 'rolling_back' }) },
      { kind: 'request_rollback' },
    ],
    [
      'rolling back: the provider refused: not run, never passed',
      {
        test: storedTest({ state: 'rolling_back', rollbackActionId: 'a1' }),
        rollbackAction: {
          state: 'failed',
          finishedAt: at(2),
          error: 'the ReplicaSet of revision 3 is gone',
        },
      },
      {
        kind: 'finish',
        patch: expect.objectContaining({
          state: 'not_run',
          stateReason:
            'the provider did not roll 2.4.0 back: the ReplicaSet of revision 3 is gone',
        }),
      },
    ],
    [
      'rolling back: done: restoring, with the time it was done',
      {
        test: storedTest({ state: 'rolling_back', rollbackActionId: 'a1' }),
        rollbackAction: { state: 'succeeded', finishedAt: at(3), error: null },
      },
      {
        kind: 'update',
        patch: {
          state: 'restoring',
          rolledBackAt: new Date(at(3)),
          stateReason: 'waiting until 2.3.1 is healthy again',
        },
      },
    ],
    [
      'restoring: the previous version is on its way',
      {
        test: storedTest({ state: 'restoring', rolledBackAt: at(3) }),
        now: new Date(at(20)),
        releases: [release('restore', '2.3.1', 'progressing', 2), tested],
      },
      {
        kind: 'wait',
        stateReason:
          'waiting until 2.3.1 is healthy again (its release is progressing)',
      },
    ],
    [
      'restoring: healthy: rolls forward, healthy when its release completed',
      {
        test: storedTest({ state: 'restoring', rolledBackAt: at(3) }),
        now: new Date(at(50)),
        releases: [release('restore', '2.3.1', 'succeeded', 2, 41), tested],
      },
      {
        kind: 'roll_forward',
        patch: {
          state: 'rolling_forward',
          healthyAt: new Date(at(41)),
          forwardRequestedAt: new Date(at(50)),
          stateReason: 'rolling 2.4.0 forward again',
        },
      },
    ],
    [
      'restoring: a restored release dated from long ago (Argo: its ReplicaSet) counts',
      {
        test: storedTest({ state: 'restoring', rolledBackAt: at(3) }),
        now: new Date(at(50)),
        releases: [tested, release('restore', '2.3.1', 'succeeded', -900, 40)],
      },
      {
        kind: 'roll_forward',
        patch: expect.objectContaining({ healthyAt: new Date(at(40)) }),
      },
    ],
    [
      'restoring: an old release of the previous version does not count',
      {
        test: storedTest({ state: 'restoring', rolledBackAt: at(3) }),
        now: new Date(at(10)),
        releases: [tested, release('old', '2.3.1', 'succeeded', -900, -800)],
      },
      { kind: 'wait' },
    ],
    [
      'restoring: the old version no longer starts: failed with why',
      {
        test: storedTest({ state: 'restoring', rolledBackAt: at(3) }),
        now: new Date(at(50)),
        releases: [release('restore', '2.3.1', 'failed', 2, 45), tested],
      },
      {
        kind: 'finish',
        patch: expect.objectContaining({
          state: 'failed',
          stateReason:
            '2.3.1 did not come back healthy: its release failed (2.3.1 no longer starts (simulated))',
        }),
      },
    ],
    [
      'restoring: restored in place (no release of it), after a grace',
      {
        test: storedTest({ state: 'restoring', rolledBackAt: at(3) }),
        now: new Date(at(3)),
        tested: { ...tested, phase: 'rolled_back' },
        releases: [{ ...tested, phase: 'rolled_back' }],
      },
      { kind: 'wait' },
    ],
    [
      'restoring: restored in place, grace over: healthy at the rollback',
      {
        test: storedTest({ state: 'restoring', rolledBackAt: at(3) }),
        now: new Date(T0 + 3000 + IN_PLACE_RESTORE_AFTER_MS),
        tested: { ...tested, phase: 'rolled_back' },
        releases: [{ ...tested, phase: 'rolled_back' }],
      },
      {
        kind: 'roll_forward',
        patch: expect.objectContaining({ healthyAt: new Date(at(3)) }),
      },
    ],
    [
      'restoring: too long: failed',
      {
        test: storedTest({ state: 'restoring', rolledBackAt: at(3) }),
        now: new Date(at(700)),
        releases: [release('restore', '2.3.1', 'progressing', 2), tested],
      },
      {
        kind: 'finish',
        patch: expect.objectContaining({
          state: 'failed',
          stateReason:
            '2.3.1 was not healthy again within 10 min of the rollback',
        }),
      },
    ],
    [
      'restoring: another version started meanwhile: failed',
      {
        test: storedTest({ state: 'restoring', rolledBackAt: at(3) }),
        now: new Date(at(30)),
        releases: [release('next', '2.5.0', 'progressing', 20), tested],
      },
      {
        kind: 'finish',
        patch: expect.objectContaining({
          state: 'failed',
          stateReason:
            '2.5.0 started in staging during the test, before 2.3.1 was healthy (another release, or the provider restored another version than 2.3.1)',
        }),
      },
    ],
    [
      'restoring: healthy, then a newer release started before the roll forward: passed, not rolled forward',
      {
        test: storedTest({ state: 'restoring', rolledBackAt: at(3) }),
        now: new Date(at(50)),
        releases: [
          release('next', '2.5.0', 'progressing', 42),
          release('restore', '2.3.1', 'succeeded', 2, 41),
          tested,
        ],
      },
      {
        kind: 'finish',
        patch: expect.objectContaining({
          state: 'passed',
          healthyAt: new Date(at(41)),
          stateReason:
            'not rolled forward: 2.5.0 started in staging once 2.3.1 was healthy again',
        }),
      },
    ],
    [
      'rolling forward: a newer release started instead: passed, not rolled forward',
      {
        test: storedTest({
          state: 'rolling_forward',
          healthyAt: at(41),
          forwardRequestedAt: at(50),
          stateReason:
            'the provider refused to roll 2.4.0 forward again: 2.5.0 is progressing',
        }),
        now: new Date(at(60)),
        releases: [
          release('next', '2.5.0', 'progressing', 45),
          release('restore', '2.3.1', 'succeeded', 2, 41),
          tested,
        ],
      },
      {
        kind: 'finish',
        patch: expect.objectContaining({
          state: 'passed',
          stateReason:
            'not rolled forward: 2.5.0 started in staging once 2.3.1 was healthy again',
        }),
      },
    ],
    [
      'rolling forward: refused, and nothing else happened for too long: failed with the refusal',
      {
        test: storedTest({
          state: 'rolling_forward',
          healthyAt: at(41),
          forwardRequestedAt: at(600),
          stateReason:
            'the provider refused to roll 2.4.0 forward again: it is busy',
        }),
        now: new Date(at(642)),
        releases: [release('restore', '2.3.1', 'succeeded', 2, 41), tested],
      },
      {
        kind: 'finish',
        patch: expect.objectContaining({
          state: 'failed',
          stateReason:
            '2.4.0 was not running again within 10 min of rolling it forward (the provider refused to roll 2.4.0 forward again: it is busy)',
        }),
      },
    ],
    [
      'rolling forward: running again: passed at its completion',
      {
        test: storedTest({
          state: 'rolling_forward',
          rolledBackAt: at(3),
          healthyAt: at(41),
          forwardRequestedAt: at(50),
        }),
        now: new Date(at(100)),
        releases: [
          release('forward', '2.4.0', 'succeeded', 50, 90),
          release('restore', '2.3.1', 'succeeded', 2, 41),
          tested,
        ],
      },
      {
        kind: 'finish',
        patch: {
          state: 'passed',
          stateReason: null,
          finishedAt: new Date(at(90)),
        },
      },
    ],
    [
      'rolling forward: its release failed',
      {
        test: storedTest({
          state: 'rolling_forward',
          healthyAt: at(41),
          forwardRequestedAt: at(50),
        }),
        now: new Date(at(100)),
        releases: [release('forward', '2.4.0', 'rolled_back', 50, 90), tested],
      },
      {
        kind: 'finish',
        patch: expect.objectContaining({
          state: 'failed',
          stateReason:
            'rolling 2.4.0 forward again failed: its release rolled back',
        }),
      },
    ],
    [
      'rolling forward: nothing showed up for a minute: asks again',
      {
        test: storedTest({
          state: 'rolling_forward',
          healthyAt: at(41),
          forwardRequestedAt: at(50),
        }),
        now: new Date(T0 + 50_000 + ASK_FORWARD_AGAIN_AFTER_MS),
        releases: [tested],
      },
      {
        kind: 'roll_forward',
        patch: expect.objectContaining({
          forwardRequestedAt: new Date(
            T0 + 50_000 + ASK_FORWARD_AGAIN_AFTER_MS,
          ),
        }),
      },
    ],
    [
      'rolling forward: too long: failed',
      {
        test: storedTest({
          state: 'rolling_forward',
          healthyAt: at(41),
          forwardRequestedAt: at(600),
        }),
        now: new Date(at(642)),
        releases: [release('forward', '2.4.0', 'progressing', 600), tested],
      },
      {
        kind: 'finish',
        patch: expect.objectContaining({
          state: 'failed',
          stateReason:
            '2.4.0 was not running again within 10 min of rolling it forward',
        }),
      },
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(nextStep(input(overrides))).toEqual(
      expect.objectContaining(expected),
    );
  });
});
