import { editedFixture, fixture } from './__testUtils__/fixtures';
import {
  isDerivative,
  promoteFullPlan,
  promotePlan,
  replicaSetOfRevision,
  resumePlan,
  rollForwardPlan,
  undoPlan,
} from './actions';
import { rolledBack, rollingForward } from './__testUtils__/rollbackTimeline';
import { readReplicaSet } from './resources/replicaSet';
import { readRollout } from './resources/rollout';

const canary = () => readRollout(fixture('canary/canary-rollout.yaml'));

describe('promotePlan (kubectl argo rollouts promote)', () => {
  it.each([
    [
      'at a pause step: clear the pause conditions only',
      editedFixture('canary/canary-rollout.yaml', o => {
        o.status.currentStepIndex = 1;
        o.status.pauseConditions = [{ reason: 'CanaryPauseStep' }];
      }),
      { status: { status: { pauseConditions: null } }, spec: null },
    ],
    [
      'during an analysis step (no pause condition): step past it',
      editedFixture('canary/canary-rollout.yaml', o => {
        o.status.currentStepIndex = 2;
      }),
      {
        status: { status: { pauseConditions: null, currentStepIndex: 3 } },
        spec: null,
      },
    ],
    [
      'manually paused: also unpause the spec',
      editedFixture('canary/canary-rollout.yaml', o => {
        o.spec.paused = true;
        o.status.pauseConditions = [{ reason: 'CanaryPauseStep' }];
      }),
      {
        status: { status: { pauseConditions: null } },
        spec: { spec: { paused: false } },
      },
    ],
    [
      'after an inconclusive analysis: lift the controller pause and step past',
      editedFixture('canary/canary-rollout.yaml', o => {
        o.status.currentStepIndex = 4;
        o.status.controllerPause = true;
        o.status.pauseConditions = [{ reason: 'InconclusiveAnalysisRun' }];
        o.status.canary.currentStepAnalysisRunStatus = {
          name: 'r',
          status: 'Inconclusive',
        };
      }),
      {
        status: {
          status: {
            pauseConditions: null,
            controllerPause: false,
            currentStepIndex: 5,
          },
        },
        spec: null,
      },
    ],
    [
      'past the last step: the index stays',
      editedFixture('canary/canary-rollout.yaml', o => {
        o.status.currentStepIndex = 8;
      }),
      {
        status: { status: { pauseConditions: null, currentStepIndex: 8 } },
        spec: null,
      },
    ],
    [
      'blue-green without pause: nothing to send',
      editedFixture('blue-green/bluegreen-rollout.yaml', o => {
        o.status.pauseConditions = [];
      }),
      { status: null, spec: null },
    ],
  ])('%s', (_, rollout, expected) => {
    expect(promotePlan(readRollout(rollout))).toMatchObject(expected);
  });
});

describe('resumePlan and promoteFullPlan', () => {
  it('resume unpauses a manual pause without touching the step', () => {
    const plan = resumePlan(
      readRollout(
        editedFixture('canary/canary-rollout.yaml', o => {
          o.spec.paused = 'true';
        }),
      ),
    );
    expect(plan).toEqual({
      status: null,
      unified: { spec: { paused: false }, status: { pauseConditions: null } },
      spec: { spec: { paused: false } },
      message: 'resumed rollout jesse-test/canary-demo',
    });
  });

  it('promote --full sends nothing to a fully promoted rollout', () => {
    const promoted = readRollout(
      editedFixture('canary/canary-rollout.yaml', o => {
        o.status.stableRS = o.status.currentPodHash;
      }),
    );
    expect(promoteFullPlan(promoted)).toMatchObject({
      status: null,
      spec: null,
      message: 'rollout jesse-test/canary-demo is already fully promoted',
    });
    expect(promoteFullPlan(canary())).toMatchObject({
      status: { status: { promoteFull: true } },
    });
  });
});

describe('undoPlan (kubectl argo rollouts undo)', () => {
  const replicaSets = [
    'canary/canary-rs.yaml',
    'canary/stable-rs.yaml',
    'canary/old-rs.yaml',
  ].map(f => readReplicaSet(fixture(f)));

  it('by default restores the second newest revision, without the hash label', () => {
    const plan = undoPlan(canary(), replicaSets);
    const template = structuredClone(
      (fixture('canary/stable-rs.yaml').spec as any).template,
    );
    delete template.metadata.labels['rollouts-pod-template-hash'];
    expect(plan).toEqual({
      skip: false,
      path: '/apis/argoproj.io/v1alpha1/namespaces/jesse-test/rollouts/canary-demo',
      resource: 'rollouts',
      apiGroup: 'argoproj.io',
      body: [{ op: 'replace', path: '/spec/template', value: template }],
      revision: 30,
      message: 'rolled rollout jesse-test/canary-demo back to revision 30',
    });
  });

  it('targets the referenced workload of a workloadRef rollout', () => {
    const byKind = (kind: string) =>
      undoPlan(
        readRollout(
          editedFixture('canary/canary-rollout3.yaml', o => {
            o.spec.workloadRef.kind = kind;
          }),
        ),
        replicaSets,
      );
    expect(byKind('Deployment')).toMatchObject({
      path: '/apis/apps/v1/namespaces/jesse-test/deployments/canary-demo-deploy',
      body: [{ path: '/spec/template' }],
    });
    expect(byKind('ReplicaSet')).toMatchObject({
      path: '/apis/apps/v1/namespaces/jesse-test/replicasets/canary-demo-deploy',
    });
    expect(byKind('PodTemplate')).toMatchObject({
      path: '/api/v1/namespaces/jesse-test/podtemplates/canary-demo-deploy',
      body: [{ path: '/template' }],
    });
    expect(() => byKind('StatefulSet')).toThrow(
      'references a StatefulSet, whose template Glidepath cannot restore',
    );
  });

  it('cannot go back from a single revision', () => {
    expect(() => undoPlan(canary(), replicaSets.slice(0, 1))).toThrow(
      'rollout jesse-test/canary-demo has no earlier revision to go back to',
    );
  });

  it.each([
    [{ a: 1 }, { a: 1, b: 2 }, true],
    [{ a: 1, b: null }, { a: 1 }, true],
    [{ a: [1, 2] }, { a: [1] }, false],
    [{ a: { b: 'x' } }, { a: { b: 'y' } }, false],
  ])('isDerivative(%j, %j) is %s', (a, b, expected) => {
    expect(isDerivative(a, b)).toBe(expected);
  });
});

describe('replicaSetOfRevision', () => {
  // After a roll forward: 65fb5ffc84 (revision 31, then 33) and 877894d5b
  // (revisions 26, 28, 30, then 32), each reused.
  const stage = rollingForward();
  const rollout = readRollout(stage.rollout);
  const replicaSets = stage.replicaSets.map(readReplicaSet);

  it.each([
    [33, 'canary-demo-65fb5ffc84'],
    [31, 'canary-demo-65fb5ffc84'],
    [32, 'canary-demo-877894d5b'],
    [30, 'canary-demo-877894d5b'],
    [26, 'canary-demo-877894d5b'],
    [29, 'canary-demo-859c99b45c'],
    [27, null],
  ])('revision %d ran on %s', (revision, name) => {
    expect(
      replicaSetOfRevision(rollout, replicaSets, revision)?.meta.name ?? null,
    ).toBe(name);
  });

  it("ignores another Rollout's ReplicaSets", () => {
    const other = readRollout(
      editedFixture('canary/canary-rollout.yaml', o => {
        o.metadata.uid = 'another-uid';
      }),
    );
    expect(replicaSetOfRevision(other, replicaSets, 31)).toBeNull();
  });
});

describe('rollForwardPlan', () => {
  const release = { revision: 31, version: 'does-not-exist' };
  /** canary-rollout3 (a workloadRef) with the status of a stage. */
  const withRef = (status: unknown) =>
    readRollout(
      editedFixture('canary/canary-rollout3.yaml', o => {
        o.status = status;
      }),
    );

  it('without a template to compare, skips when the controller rolls the ReplicaSet out', () => {
    const forward = rollingForward();
    const plan = rollForwardPlan(
      withRef((forward.rollout as any).status),
      forward.replicaSets.map(readReplicaSet),
      release,
    );
    expect(plan).toMatchObject({ skip: true, revision: 33 });
  });

  it('without a template to compare, patches the Deployment when the controller rolls another one out', () => {
    const back = rolledBack();
    const plan = rollForwardPlan(
      withRef((back.rollout as any).status),
      back.replicaSets.map(readReplicaSet),
      release,
    );
    expect(plan).toMatchObject({
      skip: false,
      revision: 31,
      path: '/apis/apps/v1/namespaces/jesse-test/deployments/canary-demo-deploy',
    });
  });
});
