import type {
  ActionType,
  ReleasePhase,
} from '@glidepath/backstage-plugin-common';
import { effectAlreadyThere } from './actionEffects';

describe('effectAlreadyThere', () => {
  it.each<[ActionType, ReleasePhase, number | null, number | null, boolean]>([
    // action, phase now, step now, step when requested, already there
    ['rollback', 'rolled_back', 1, 1, true],
    ['rollback', 'progressing', 1, 1, false],
    ['rollback', 'succeeded', null, 2, false],
    ['abort', 'aborted', 1, 1, true],
    ['abort', 'paused', 1, 1, false],
    ['pause', 'paused', 1, 1, true],
    ['pause', 'progressing', 1, 1, false],
    ['resume', 'progressing', 1, 1, true],
    ['resume', 'paused', 1, 1, false],
    ['retry', 'progressing', 0, null, true],
    ['retry', 'aborted', 1, 1, false],
    ['promote', 'paused', 2, 1, true],
    ['promote', 'succeeded', null, 1, true],
    ['promote', 'paused', 1, 1, false],
    ['promote', 'paused', 2, null, false],
    ['promote', 'progressing', null, 1, false],
  ])(
    '%s on a %s release at step %p (requested at %p): %p',
    (action, phase, currentStepIndex, stepIndex, expected) => {
      expect(
        effectAlreadyThere({ phase, currentStepIndex }, { action, stepIndex }),
      ).toBe(expected);
    },
  );
});
