import { editedFixture, fixture } from '../__testUtils__/fixtures';
import { readRollout } from '../resources/rollout';
import { invalidSpecProblem, rolloutPhase } from './phase';

describe('rolloutPhase', () => {
  it.each([
    [
      'observedGeneration behind metadata.generation: progressing, status.phase not trusted',
      editedFixture('blue-green/bluegreen-rollout.yaml', o => {
        o.metadata.generation = 411;
        o.status.phase = 'Healthy';
      }),
      'progressing',
      'waiting for the controller to observe generation 411 (it has seen 410)',
    ],
    [
      'status.phase trusted when the generation is observed',
      editedFixture('canary/canary-rollout.yaml', o => {
        o.status.phase = 'Healthy';
        o.status.message = '';
      }),
      'succeeded',
      null,
    ],
    [
      'Degraded with abort is aborted',
      editedFixture('rollout-aborted/rollout.yaml', o => {
        o.status.phase = 'Degraded';
        o.status.message = 'RolloutAborted: metric "web" assessed Failed';
      }),
      'aborted',
      'Aborted: metric "web" assessed Failed due to failed (1) > failureLimit (0)',
    ],
    [
      'spec.paused is a manual pause',
      editedFixture('rollout-aborted/rollout.yaml', o => {
        o.spec.paused = true;
        delete o.status.abort;
        o.status.conditions = [];
      }),
      'paused',
      'Paused: paused by hand (spec.paused)',
    ],
    [
      'a canary pause step says which step',
      editedFixture('canary/canary-rollout.yaml', o => {
        o.status.currentStepIndex = '3';
        o.status.pauseConditions = [
          { reason: 'CanaryPauseStep', startTime: '2019-10-28T05:00:00Z' },
        ];
        o.status.conditions = [];
      }),
      'paused',
      'Paused: paused at step 4 of 8 for 10s',
    ],
    [
      'controllerPause without pause conditions is unpausing',
      editedFixture('blue-green/bluegreen-rollout.yaml', o => {
        o.status.pauseConditions = [];
      }),
      'progressing',
      'waiting for the rollout to unpause',
    ],
    [
      'an InvalidSpec condition fails the release',
      editedFixture('canary/canary-rollout.yaml', o => {
        o.status.conditions = [
          {
            type: 'InvalidSpec',
            status: 'True',
            reason: 'InvalidSpec',
            message: 'The Rollout "x" is invalid: spec.selector does not match',
          },
        ];
      }),
      'failed',
      'InvalidSpec: The Rollout "x" is invalid: spec.selector does not match',
    ],
    [
      'fully promoted and all replicas updated is succeeded',
      editedFixture('canary/canary-rollout.yaml', o => {
        o.status.conditions = [];
        o.status.stableRS = '65fb5ffc84';
        o.status.updatedReplicas = '5';
        o.status.replicas = '5';
      }),
      'succeeded',
      null,
    ],
    [
      'a missing status is progressing (nothing updated yet)',
      editedFixture('canary/canary-rollout.yaml', o => {
        delete o.status;
      }),
      'progressing',
      'more replicas need to be updated',
    ],
  ])('%s', (_, rollout, phase, message) => {
    expect(rolloutPhase(readRollout(rollout))).toEqual({ phase, message });
  });
});

describe('invalidSpecProblem', () => {
  const ARGO_MESSAGE =
    'The Rollout "rollout-invalid" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"doesnt-match"}: `selector` does not match template `labels`';
  it.each([
    [
      "rejected before a first revision: a problem with Argo's message",
      fixture('rollout-invalid/rollout-invalid.yaml'),
      0,
      `the controller rejected the Rollout's spec (InvalidSpec), so it has no revision and runs no pods: ${ARGO_MESSAGE}`,
    ],
    [
      'rejected after it had revisions: its releases stay',
      editedFixture('rollout-invalid/rollout-invalid.yaml', o => {
        o.metadata.annotations = { 'rollout.argoproj.io/revision': '3' };
      }),
      0,
      null,
    ],
    [
      'rejected while it still has a ReplicaSet: its releases stay',
      fixture('rollout-invalid/rollout-invalid.yaml'),
      1,
      null,
    ],
    [
      'an InvalidSpec condition that is False is no problem',
      editedFixture('rollout-invalid/rollout-invalid.yaml', o => {
        o.status.conditions[0].status = 'False';
      }),
      0,
      null,
    ],
    [
      'a Rollout that has not started (no status) is no problem',
      editedFixture('rollout-invalid/rollout-invalid.yaml', o => {
        delete o.status;
      }),
      0,
      null,
    ],
  ])('%s', (_name, object, replicaSets, problem) => {
    expect(invalidSpecProblem(readRollout(object), replicaSets)).toBe(problem);
  });
});
