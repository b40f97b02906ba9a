import { editedFixture, fixture } from '../__testUtils__/fixtures';
import { replicaSets } from '../__testUtils__/mapFixtures';
import { readReplicaSet } from '../resources/replicaSet';
import { readRollout } from '../resources/rollout';
import { actualCanaryWeight } from './weights';

describe('actualCanaryWeight', () => {
  const canaryRs = replicaSets.find(
    rs => rs.meta.name === 'canary-demo-65fb5ffc84',
  )!;
  it.each([
    [
      'no traffic router: available canary pods over available pods (0/5)',
      'canary/canary-rollout.yaml',
      0,
    ],
    [
      "traffic router with weights in status: the router's weight",
      'canary/canary-rollout5.yaml',
      20,
    ],
    [
      "traffic router without weights: the step's setWeight",
      'canary/canary-rollout6.yaml',
      20,
    ],
    ['aborted: 0', 'rollout-aborted/rollout.yaml', 0],
    ['blue-green before the switch: 0', 'blue-green/bluegreen-rollout.yaml', 0],
  ])('%s', (_, file, weight) => {
    expect(actualCanaryWeight(readRollout(fixture(file)), canaryRs)).toBe(
      weight,
    );
  });

  it('counts available canary pods, also from string counts', () => {
    const rollout = readRollout(
      editedFixture('canary/canary-rollout.yaml', o => {
        o.status.availableReplicas = '4';
      }),
    );
    const rs = readReplicaSet(
      editedFixture('canary/canary-rs.yaml', o => {
        o.status.availableReplicas = '1';
      }),
    );
    expect(actualCanaryWeight(rollout, rs)).toBe(25);
  });

  it('is 100 past the last step and once switched', () => {
    expect(
      actualCanaryWeight(
        readRollout(
          editedFixture('canary/canary-rollout.yaml', o => {
            o.status.currentStepIndex = 8;
          }),
        ),
        canaryRs,
      ),
    ).toBe(100);
    expect(
      actualCanaryWeight(
        readRollout(
          editedFixture('blue-green/bluegreen-rollout.yaml', o => {
            o.status.blueGreen.activeSelector = '74b948fccb';
          }),
        ),
        null,
      ),
    ).toBe(100);
  });
});
