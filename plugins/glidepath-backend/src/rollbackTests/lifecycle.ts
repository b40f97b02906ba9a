/*
 * One rollback test's next step, as a pure function of what the store and
 * the provider's releases say: roll the completed release back, wait until
 * the previous version is healthy (its restoring release completed: judged
 * by the engine on its metrics like any release, and rolled back by it if
 * it fails), roll the version forward again, and wait until it runs again.
 */
import {
  formatSeconds,
  phaseLabel,
  Release,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import type {
  RollbackTestPatch,
  StoredRollbackTest,
} from './RollbackTestStore';

/** A release as the lifecycle reads it. */
export type ObservedTargetRelease = Pick<
  Release,
  'id' | 'version' | 'phase' | 'startedAt' | 'finishedAt' | 'message'
>;

/** How long the test waits for each part. */
export type RollbackTestLimits = {
  /** From the rollback to the previous version healthy. */
  healthyWithinMs: number;
  /** From asking to roll forward to the version running again. */
  forwardWithinMs: number;
};

export type LifecycleInput = {
  test: StoredRollbackTest;
  now: Date;
  /** The tested release as stored now; undefined when it is gone. */
  tested:
    | (ObservedTargetRelease & Pick<Release, 'previousVersion'>)
    | undefined;
  /** The target's releases in the test's environment, newest first. */
  releases: readonly ObservedTargetRelease[];
  /** The rollback action the test asked for, once asked. */
  rollbackAction:
    | Pick<ReleaseAction, 'state' | 'finishedAt' | 'error'>
    | undefined;
  /** Whether the provider can roll a version forward again. */
  rollForward: { supported: true } | { supported: false; reason: string };
  limits: RollbackTestLimits;
};

export type LifecycleStep =
  /** Nothing to do yet; the reason says what it waits for. */
  | { kind: 'wait'; stateReason: string }
  /** Ask for the rollback (again: the action's key makes it once). */
  | { kind: 'request_rollback'; stateReason: string }
  /** Record what changed. */
  | { kind: 'update'; patch: RollbackTestPatch }
  /** Record the patch, then ask the provider to roll forward. */
  | { kind: 'roll_forward'; patch: RollbackTestPatch }
  /** The result. */
  | { kind: 'finish'; patch: RollbackTestPatch };

/**
 * A provider that restores the previous version in place reports no
 * release of it; after this long with the tested release rolled back and
 * nothing newer, the previous version is taken as running.
 */
export const IN_PLACE_RESTORE_AFTER_MS = 30_000;

/** With no release of the version after this long, ask to roll forward again. */
export const ASK_FORWARD_AGAIN_AFTER_MS = 60_000;

const ENDED = new Set(['failed', 'aborted', 'rolled_back']);

function ms(iso: string | null | undefined): number | undefined {
  return iso ? new Date(iso).getTime() : undefined;
}

function finish(
  now: Date,
  state: 'passed' | 'failed' | 'not_run',
  reason: string | null,
  extra: RollbackTestPatch = {},
): LifecycleStep {
  return {
    kind: 'finish',
    patch: { state, stateReason: reason, finishedAt: now, ...extra },
  };
}

/** A passed test whose roll forward a newer release made moot. */
function notRolledForward(
  newer: ObservedTargetRelease,
  test: StoredRollbackTest,
): string {
  return `not rolled forward: ${newer.version} started in ${test.environment} once ${test.previousVersion} was healthy again`;
}

function ended(release: ObservedTargetRelease): string {
  return `its release ${phaseLabel(release.phase)}${
    release.message ? ` (${release.message})` : ''
  }`;
}

/** The step a test takes now. */
export function nextStep(input: LifecycleInput): LifecycleStep {
  const { test, now, tested, releases, limits } = input;
  const previous = test.previousVersion ?? '';
  // The releases the test brought about: those that were not there when it
  // began (their start times are the provider's and may be older).
  const known = new Set([...test.knownReleaseIds, test.releaseId]);
  const ours = releases.filter(r => !known.has(r.id));

  switch (test.state) {
    case 'pending': {
      if (!input.rollForward.supported) {
        return finish(now, 'not_run', input.rollForward.reason);
      }
      if (!tested) {
        return finish(now, 'not_run', `the release ${test.releaseId} is gone`);
      }
      if (test.previousVersion === null || tested.previousVersion === null) {
        return finish(
          now,
          'not_run',
          `${test.version} is the first release in ${test.environment}: there is no previous version to roll back to`,
        );
      }
      if (tested.phase !== 'succeeded') {
        return finish(
          now,
          'not_run',
          `${test.version} is ${phaseLabel(tested.phase)} in ${
            test.environment
          }, not completed: only a completed release's rollback is tested`,
        );
      }
      const newest = releases[0];
      if (newest && newest.id !== tested.id) {
        return finish(
          now,
          'not_run',
          `${newest.version} has started in ${test.environment} since ${test.version} completed`,
        );
      }
      return {
        kind: 'request_rollback',
        stateReason: `rolling ${test.version} back to ${previous}`,
      };
    }

    case 'rolling_back': {
      const action = input.rollbackAction;
      if (!test.rollbackActionId || !action) {
        return {
          kind: 'request_rollback',
          stateReason: `rolling ${test.version} back to ${previous}`,
        };
      }
      if (action.state === 'failed') {
        return finish(
          now,
          'not_run',
          `the provider did not roll ${test.version} back: ${
            action.error ?? 'no reason given'
          }`,
        );
      }
      if (action.state !== 'succeeded') {
        return {
          kind: 'wait',
          stateReason: `waiting for the provider to roll ${test.version} back to ${previous}`,
        };
      }
      return {
        kind: 'update',
        patch: {
          state: 'restoring',
          rolledBackAt: action.finishedAt ? new Date(action.finishedAt) : now,
          stateReason: `waiting until ${previous} is healthy again`,
        },
      };
    }

    case 'restoring': {
      const restore = ours.find(r => r.version === previous);
      const other = ours.find(
        r => r.version !== previous && r.version !== test.version,
      );
      if (other && restore?.phase === 'succeeded') {
        // The rollback worked: the previous version came back healthy. A
        // newer version started there before the roll forward (a release
        // train does not wait for it), so there is nothing to roll forward.
        return finish(now, 'passed', notRolledForward(other, test), {
          healthyAt: restore.finishedAt ? new Date(restore.finishedAt) : now,
        });
      }
      if (other) {
        return finish(
          now,
          'failed',
          `${other.version} started in ${test.environment} during the test, before ${previous} was healthy (another release, or the provider restored another version than ${previous})`,
        );
      }
      const rolledBackAt = ms(test.rolledBackAt) ?? now.getTime();
      const rollForward = (healthyAt: Date): LifecycleStep => ({
        kind: 'roll_forward',
        patch: {
          state: 'rolling_forward',
          healthyAt,
          forwardRequestedAt: now,
          stateReason: `rolling ${test.version} forward again`,
        },
      });
      if (restore?.phase === 'succeeded') {
        return rollForward(
          restore.finishedAt ? new Date(restore.finishedAt) : now,
        );
      }
      if (restore && ENDED.has(restore.phase)) {
        return finish(
          now,
          'failed',
          `${previous} did not come back healthy: ${ended(restore)}`,
        );
      }
      if (
        !restore &&
        tested?.phase === 'rolled_back' &&
        now.getTime() - rolledBackAt >= IN_PLACE_RESTORE_AFTER_MS
      ) {
        return rollForward(new Date(rolledBackAt));
      }
      if (now.getTime() - rolledBackAt > limits.healthyWithinMs) {
        return finish(
          now,
          'failed',
          `${previous} was not healthy again within ${formatSeconds(
            limits.healthyWithinMs / 1000,
          )} of the rollback`,
        );
      }
      return {
        kind: 'wait',
        stateReason: restore
          ? `waiting until ${previous} is healthy again (its release is ${phaseLabel(
              restore.phase,
            )})`
          : `waiting until ${previous} is healthy again`,
      };
    }

    case 'rolling_forward': {
      const forward = ours.find(r => r.version === test.version);
      if (forward?.phase === 'succeeded') {
        return finish(now, 'passed', null, {
          finishedAt: forward.finishedAt ? new Date(forward.finishedAt) : now,
        });
      }
      if (forward && ENDED.has(forward.phase)) {
        return finish(
          now,
          'failed',
          `rolling ${test.version} forward again failed: ${ended(forward)}`,
        );
      }
      const newer = ours.find(
        r => r.version !== previous && r.version !== test.version,
      );
      if (!forward && newer) {
        return finish(now, 'passed', notRolledForward(newer, test));
      }
      const askedAt = ms(test.forwardRequestedAt) ?? now.getTime();
      const healthyAt = ms(test.healthyAt) ?? askedAt;
      if (now.getTime() - healthyAt > limits.forwardWithinMs) {
        return finish(
          now,
          'failed',
          `${test.version} was not running again within ${formatSeconds(
            limits.forwardWithinMs / 1000,
          )} of rolling it forward${
            test.stateReason?.startsWith('the provider refused')
              ? ` (${test.stateReason})`
              : ''
          }`,
        );
      }
      if (!forward && now.getTime() - askedAt >= ASK_FORWARD_AGAIN_AFTER_MS) {
        // Asked before a crash, or the provider lost it: ask again (the
        // provider does nothing when the version is on its way).
        return {
          kind: 'roll_forward',
          patch: {
            forwardRequestedAt: now,
            stateReason: `rolling ${test.version} forward again (asked again: nothing showed up)`,
          },
        };
      }
      return {
        kind: 'wait',
        stateReason: forward
          ? `rolling ${test.version} forward again (its release is ${phaseLabel(
              forward.phase,
            )})`
          : `rolling ${test.version} forward again`,
      };
    }

    default:
      return { kind: 'wait', stateReason: test.stateReason ?? '' };
  }
}
