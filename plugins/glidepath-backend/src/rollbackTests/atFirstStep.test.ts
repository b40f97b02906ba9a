import type { ReleaseStep } from '@glidepath/backstage-plugin-common';
import { atFirstStep } from './RollbackTestService';

const weight = (w: number) =>
  ({
    kind: 'set_weight',
    weight: w,
    description: `${w}%`,
    status: 'pending',
  } as ReleaseStep);
const pause = {
  kind: 'pause',
  description: 'Wait',
  status: 'pending',
} as ReleaseStep;

describe('atFirstStep', () => {
  const canary = [weight(10), pause, weight(50), pause, weight(100)];
  it.each<[ReleaseStep[], number | null, boolean]>([
    [canary, 0, true],
    // The first weight step completes at once: the canary waits on the pause.
    [canary, 1, true],
    [canary, 2, false],
    [canary, 4, false],
    [[weight(100)], 0, true],
    [[], null, true],
    [[pause, weight(100)], 0, true],
    [[pause, weight(100)], 1, false],
  ])('%j at %s: %s', (steps, currentStepIndex, expected) => {
    expect(atFirstStep({ steps, currentStepIndex })).toBe(expected);
  });
});
