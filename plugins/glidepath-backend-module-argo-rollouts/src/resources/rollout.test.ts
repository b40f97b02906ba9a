import { editedFixture } from '../__testUtils__/fixtures';
import { readRollout } from './rollout';

describe('tolerance and bad input', () => {
  it('reads numbers written as strings', () => {
    const rollout = readRollout(
      editedFixture('canary/canary-rollout.yaml', o => {
        o.spec.replicas = '3';
        o.status.currentStepIndex = '2';
      }),
    );
    expect(rollout.replicas).toBe(3);
    expect(rollout.status.currentStepIndex).toBe(2);
    expect(rollout.status.observedGeneration).toBe(429);
  });

  it.each([
    [
      (o: any) => {
        o.spec.strategy = {};
      },
      'spec.strategy has neither canary nor blueGreen',
    ],
    [
      (o: any) => {
        o.spec.strategy.canary.steps = 'all of them';
      },
      'spec.strategy.canary.steps is not a list',
    ],
    [
      (o: any) => {
        o.spec.strategy.canary.steps[2] = { setWeight: 'forty' };
      },
      'spec.strategy.canary.steps[2].setWeight is not a whole number: "forty"',
    ],
    [
      (o: any) => {
        o.spec.strategy.canary.steps[3] = { pause: { duration: 'soon' } };
      },
      'spec.strategy.canary.steps[3].pause.duration is not a duration',
    ],
    [
      (o: any) => {
        o.spec.strategy.canary.steps[0] = { jump: 1 };
      },
      'spec.strategy.canary.steps[0] is not a step Argo Rollouts knows',
    ],
    [
      (o: any) => {
        o.status.abort = 'maybe';
      },
      'status.abort is not true or false: "maybe"',
    ],
  ])('names the field that does not parse (%#)', (edit, message) => {
    expect(() =>
      readRollout(editedFixture('canary/canary-rollout.yaml', edit)),
    ).toThrow(message);
  });
});
