import {
  actionRefusal,
  allowedActions,
  awaitsPromotion,
  isTerminalPhase,
  settledPhase,
} from './phases';
import { permissionForAction } from './permissions';
import type { ActionType, Release, ReleasePhase } from './types';

describe('allowedActions', () => {
  it.each<[ReleasePhase, string | null, ActionType[]]>([
    ['pending', '1.0.0', ['abort']],
    ['progressing', '1.0.0', ['promote', 'pause', 'abort', 'rollback']],
    ['paused', '1.0.0', ['promote', 'resume', 'abort', 'rollback']],
    ['aborted', '1.0.0', ['retry', 'rollback']],
    ['failed', '1.0.0', ['retry', 'rollback']],
    ['succeeded', '1.0.0', ['rollback']],
    ['succeeded', null, []],
    ['progressing', null, ['promote', 'pause', 'abort']],
    ['rolled_back', '1.0.0', []],
  ])(
    'a %s release (previous %s) admits %j',
    (phase, previousVersion, expected) => {
      expect(allowedActions({ phase, previousVersion })).toEqual(expected);
    },
  );
});

describe('actionRefusal', () => {
  it.each<[ReleasePhase, string | null, ActionType, string | undefined]>([
    ['progressing', '1.0.0', 'rollback', undefined],
    [
      'succeeded',
      '1.0.0',
      'promote',
      'a succeeded release cannot be promoted; it can be rolled back',
    ],
    [
      'rolled_back',
      '1.0.0',
      'rollback',
      'a rolled back release cannot be rolled back',
    ],
    [
      'succeeded',
      null,
      'rollback',
      'there is no previous version to roll back to',
    ],
    [
      'progressing',
      '1.0.0',
      'resume',
      'a progressing release cannot be resumed; it can be promoted, paused, aborted, rolled back',
    ],
  ])('%s (previous %s) + %s', (phase, previousVersion, action, expected) => {
    expect(actionRefusal({ phase, previousVersion }, action)).toBe(expected);
  });
});

describe('isTerminalPhase', () => {
  it.each<[ReleasePhase, boolean]>([
    ['pending', false],
    ['progressing', false],
    ['paused', false],
    ['succeeded', true],
    ['aborted', true],
    ['rolled_back', true],
    ['failed', true],
  ])('%s → %s', (phase, expected) => {
    expect(isTerminalPhase(phase)).toBe(expected);
  });
});

describe('permissionForAction', () => {
  it.each<[ActionType, string]>([
    ['rollback', 'glidepath.release.rollback'],
    ['promote', 'glidepath.release.control'],
    ['pause', 'glidepath.release.control'],
    ['resume', 'glidepath.release.control'],
    ['abort', 'glidepath.release.control'],
    ['retry', 'glidepath.release.control'],
  ])('%s needs %s, an entity-scoped update', (action, name) => {
    const permission = permissionForAction(action);
    expect(permission.name).toBe(name);
    expect(permission.resourceType).toBe('catalog-entity');
    expect(permission.attributes.action).toBe('update');
  });
});

describe('settledPhase', () => {
  it.each<[ReleasePhase, ReleasePhase, ReleasePhase]>([
    ['progressing', 'succeeded', 'succeeded'],
    ['aborted', 'succeeded', 'aborted'],
    ['failed', 'succeeded', 'failed'],
    ['rolled_back', 'succeeded', 'rolled_back'],
    ['aborted', 'progressing', 'progressing'],
    ['succeeded', 'rolled_back', 'rolled_back'],
    ['paused', 'aborted', 'aborted'],
  ])('stored %s, reported %s: %s', (stored, observed, expected) => {
    expect(settledPhase(stored, observed)).toBe(expected);
  });
});

/** A canary standing on its second step: a pause (timed or not) or a weight. */
function standingOn(
  pause: 'timed' | 'indefinite' | 'none',
): Pick<Release, 'steps' | 'currentStepIndex'> {
  return {
    steps: [
      {
        index: 0,
        kind: 'set_weight',
        weight: 20,
        description: '20%',
        status: 'completed',
      },
      {
        index: 1,
        kind: pause === 'none' ? 'set_weight' : 'pause',
        durationSeconds: pause === 'timed' ? 60 : null,
        description: 'pause',
        status: 'running',
      },
    ],
    currentStepIndex: 1,
  };
}

describe('awaitsPromotion', () => {
  it.each([
    ['timed', false],
    ['indefinite', true],
    ['none', false],
  ] as const)('a %s pause step: %p', (pause, expected) => {
    expect(awaitsPromotion(standingOn(pause))).toBe(expected);
  });
});
