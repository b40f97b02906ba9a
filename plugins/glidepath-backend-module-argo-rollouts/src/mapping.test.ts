import {
  allFixtureObjects,
  editedFixture,
  fixture,
} from './__testUtils__/fixtures';
import {
  actualCanaryWeight,
  mapRollout,
  parseReleaseId,
  rolloutPhase,
  verdictOf,
} from './mapping';
import { parseDurationSeconds, versionOfImage } from './objects';
import {
  readAnalysisRun,
  readReplicaSet,
  readRollout,
  type ReplicaSet,
} from './resources';

const all = allFixtureObjects();
const replicaSets = all.replicaSets.map(readReplicaSet);
const analysisRuns = all.analysisRuns.map(readAnalysisRun);

function map(rollout: unknown, rs: ReplicaSet[] = replicaSets) {
  return mapRollout({
    cluster: 'prod-eu',
    environment: 'production',
    rollout: readRollout(rollout),
    replicaSets: rs,
    analysisRuns,
  });
}

const ACTOR = {
  kind: 'provider',
  ref: 'argo-rollouts',
  displayName: 'Argo Rollouts',
};

describe('mapRollout on the canary fixture (canary-demo, revision 31 timed out)', () => {
  const view = map(fixture('canary/canary-rollout.yaml'));

  it('reports the current revision field by field', () => {
    const [current] = view.releases;
    expect(current).toEqual({
      providerReleaseId: 'prod-eu/jesse-test/canary-demo@31',
      // canary-demo-65fb5ffc84's image argoproj/rollouts-demo:does-not-exist
      version: 'does-not-exist',
      // the stable ReplicaSet canary-demo-877894d5b, argoproj/rollouts-demo:green
      previousVersion: 'green',
      environment: 'production',
      strategy: 'canary',
      // The Progressing condition's reason is ProgressDeadlineExceeded.
      phase: 'failed',
      steps: [
        {
          kind: 'set_weight',
          weight: 20,
          durationSeconds: null,
          description: 'Set the canary weight to 20%',
          status: 'running',
        },
        {
          kind: 'pause',
          weight: null,
          durationSeconds: null,
          description: 'Pause until promoted',
          status: 'pending',
        },
        {
          kind: 'set_weight',
          weight: 40,
          durationSeconds: null,
          description: 'Set the canary weight to 40%',
          status: 'pending',
        },
        {
          kind: 'pause',
          weight: null,
          durationSeconds: 10,
          description: 'Pause for 10s',
          status: 'pending',
        },
        {
          kind: 'set_weight',
          weight: 60,
          durationSeconds: null,
          description: 'Set the canary weight to 60%',
          status: 'pending',
        },
        {
          kind: 'pause',
          weight: null,
          durationSeconds: 10,
          description: 'Pause for 10s',
          status: 'pending',
        },
        {
          kind: 'set_weight',
          weight: 80,
          durationSeconds: null,
          description: 'Set the canary weight to 80%',
          status: 'pending',
        },
        {
          kind: 'pause',
          weight: null,
          durationSeconds: 10,
          description: 'Pause for 10s',
          status: 'pending',
        },
      ],
      currentStepIndex: 0,
      // No traffic router: the canary's share of available pods, 0 of 5.
      canaryWeight: 0,
      message:
        'ProgressDeadlineExceeded: ReplicaSet "canary-demo-65fb5ffc84" has timed out progressing.',
      startedBy: ACTOR,
      commit: null,
      startedAt: new Date('2019-10-28T04:52:26Z'),
      updatedAt: new Date('2019-10-28T04:52:55Z'),
      finishedAt: new Date('2019-10-28T04:52:55Z'),
    });
  });

  it('reports the earlier revisions it has ReplicaSets for', () => {
    expect(view.releases.slice(1)).toEqual([
      expect.objectContaining({
        providerReleaseId: 'prod-eu/jesse-test/canary-demo@30',
        version: 'green',
        previousVersion: 'asdf',
        phase: 'succeeded',
        canaryWeight: 100,
        message: 'Stable: serving while revision 31 rolls out',
        steps: [],
        currentStepIndex: null,
        startedAt: new Date('2019-10-26T08:48:13Z'),
        finishedAt: new Date('2019-10-28T04:52:26Z'),
      }),
      expect.objectContaining({
        providerReleaseId: 'prod-eu/jesse-test/canary-demo@29',
        version: 'asdf',
        previousVersion: null,
        // Revision 30 reuses the ReplicaSet of revisions 26 and 28.
        phase: 'rolled_back',
        message:
          'Rolled back: revision 30 brought back the template of revision 28',
        canaryWeight: 0,
      }),
    ]);
  });

  it('names the stable and canary revisions and their images', () => {
    expect(view.revisions).toEqual([
      {
        revision: 31,
        replicaSet: 'canary-demo-65fb5ffc84',
        podTemplateHash: '65fb5ffc84',
        role: 'canary',
        images: ['argoproj/rollouts-demo:does-not-exist'],
        version: 'does-not-exist',
        replicas: 1,
        availableReplicas: 0,
      },
      {
        revision: 30,
        replicaSet: 'canary-demo-877894d5b',
        podTemplateHash: '877894d5b',
        role: 'stable',
        images: ['argoproj/rollouts-demo:green'],
        version: 'green',
        replicas: 5,
        availableReplicas: 5,
      },
      {
        revision: 29,
        replicaSet: 'canary-demo-859c99b45c',
        podTemplateHash: '859c99b45c',
        role: 'old',
        images: ['argoproj/rollouts-demo:asdf'],
        version: 'asdf',
        replicas: 0,
        availableReplicas: 0,
      },
    ]);
    expect(view).toMatchObject({
      currentRevision: 31,
      stableRevision: 30,
      fullyPromoted: false,
      pauseReasons: [],
      abortMessage: null,
      analysisRuns: {},
    });
  });
});

describe('mapRollout on the blue-green fixture (bluegreen-demo, preview paused)', () => {
  const view = map(fixture('blue-green/bluegreen-rollout.yaml'));

  it('reports the preview as a paused blue-green release', () => {
    expect(view.releases[0]).toEqual({
      providerReleaseId: 'prod-eu/jesse-test/bluegreen-demo@11',
      version: 'green',
      previousVersion: 'blue',
      environment: 'production',
      strategy: 'blue_green',
      phase: 'paused',
      steps: [
        {
          kind: 'preview',
          weight: 0,
          durationSeconds: null,
          description: 'Deploy green as the preview, with no traffic',
          status: 'completed',
        },
        // autoPromotionEnabled: false
        {
          kind: 'pause',
          weight: null,
          durationSeconds: null,
          description: 'Pause until promoted',
          status: 'running',
        },
        {
          kind: 'switch',
          weight: 100,
          durationSeconds: null,
          description: 'Switch the active service to green',
          status: 'pending',
        },
      ],
      currentStepIndex: 1,
      // The active service still selects 6cbccd9f99 (blue).
      canaryWeight: 0,
      message: 'Paused: the preview waits for a promote',
      startedBy: ACTOR,
      commit: null,
      startedAt: new Date('2019-10-28T04:50:18Z'),
      updatedAt: new Date('2019-10-28T04:50:20Z'),
      finishedAt: null,
    });
    expect(view.pauseReasons).toEqual(['the preview waits for a promote']);
  });

  it('tells the active, preview and old ReplicaSets apart', () => {
    expect(view.revisions.map(r => [r.revision, r.role, r.version])).toEqual([
      [11, 'preview', 'green'],
      [10, 'active', 'blue'],
      [8, 'old', 'red'],
    ]);
    expect(
      view.releases
        .slice(1)
        .map(r => [
          r.providerReleaseId,
          r.phase,
          r.version,
          r.previousVersion,
          r.message,
        ]),
    ).toEqual([
      [
        'prod-eu/jesse-test/bluegreen-demo@10',
        'succeeded',
        'blue',
        'red',
        'Stable: serving while revision 11 rolls out',
      ],
      [
        'prod-eu/jesse-test/bluegreen-demo@8',
        'succeeded',
        'red',
        null,
        'Superseded by revision 10',
      ],
    ]);
  });
});

describe('mapRollout on the aborted fixture (rollout-background-analysis)', () => {
  const view = map(fixture('rollout-aborted/rollout.yaml'));

  it('reports the abort with the analysis message and no canary traffic', () => {
    // The analysis runs it carries are asserted below.
    const { providerAnalysis: _runs, ...aborted } = view.releases[0];
    expect(aborted).toEqual({
      providerReleaseId: 'prod-eu/default/rollout-background-analysis@2',
      version: 'yellow',
      previousVersion: 'blue',
      environment: 'production',
      strategy: 'canary',
      phase: 'aborted',
      steps: [
        {
          kind: 'set_weight',
          weight: 10,
          durationSeconds: null,
          description: 'Set the canary weight to 10%',
          status: 'skipped',
        },
        {
          kind: 'pause',
          weight: null,
          durationSeconds: null,
          description: 'Pause until promoted',
          status: 'skipped',
        },
      ],
      currentStepIndex: null,
      canaryWeight: 0,
      message:
        'Aborted: metric "web" assessed Failed due to failed (1) > failureLimit (0)',
      startedBy: ACTOR,
      commit: null,
      startedAt: new Date('2020-09-22T09:10:04Z'),
      updatedAt: new Date('2020-09-22T09:10:05Z'),
      finishedAt: new Date('2020-09-22T09:10:05Z'),
    });
    expect(view.abortMessage).toBe(
      'metric "web" assessed Failed due to failed (1) > failureLimit (0)',
    );
    expect(view.releases[1]).toMatchObject({
      providerReleaseId: 'prod-eu/default/rollout-background-analysis@1',
      version: 'blue',
      phase: 'succeeded',
    });
  });

  it('attaches the analysis run, each metric with its measurements and verdicts', () => {
    expect(view.analysisRuns).toEqual({
      'prod-eu/default/rollout-background-analysis@2': [
        {
          name: 'rollout-background-analysis-db976bc44-2',
          revision: 2,
          kind: 'Background',
          phase: 'Failed',
          verdict: 'fail',
          message:
            'metric "web" assessed Failed due to failed (1) > failureLimit (0)',
          startedAt: '2020-09-22T09:10:04Z',
          metrics: [
            {
              name: 'web',
              phase: 'Failed',
              verdict: 'fail',
              count: 1,
              successful: 0,
              failed: 1,
              inconclusive: 0,
              error: 0,
              message: null,
              successCondition: 'result == "true"',
              failureCondition: null,
              failureLimit: null,
              measurements: [
                {
                  phase: 'Failed',
                  verdict: 'fail',
                  value: 'false',
                  message: null,
                  startedAt: '2020-09-22T09:10:04Z',
                  finishedAt: '2020-09-22T09:10:04Z',
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('gives the release its analysis runs for Glidepath to store, and none to the revision without', () => {
    const { revision: _revision, ...run } =
      view.analysisRuns['prod-eu/default/rollout-background-analysis@2'][0];
    expect(view.releases[0].providerAnalysis).toEqual([run]);
    expect(run).not.toHaveProperty('revision');
    expect(view.releases[1].providerAnalysis).toBeUndefined();
  });
});

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

  it('maps a rollout without ReplicaSets from its own template', () => {
    const view = map(fixture('canary/canary-rollout.yaml'), []);
    expect(view.releases).toHaveLength(1);
    expect(view.releases[0]).toMatchObject({
      version: 'does-not-exist',
      previousVersion: null,
      startedAt: new Date('2019-10-25T06:07:18Z'),
    });
  });

  it('maps a workloadRef rollout from its ReplicaSets', () => {
    const view = map(fixture('canary/canary-rollout2.yaml'));
    // canary-rollout2 has the uid of canary-demo, so canary-demo's ReplicaSets.
    expect(view.releases[0]).toMatchObject({
      providerReleaseId: 'prod-eu/jesse-test/canary-demo-workloadRef@31',
      version: 'does-not-exist',
      previousVersion: 'green',
    });
  });
});

describe('small readers', () => {
  it.each([
    ['argoproj/rollouts-demo:green', 'green'],
    ['registry.example.com:5000/shop/checkout:1.4.2', '1.4.2'],
    ['registry.example.com:5000/shop/checkout', 'latest'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef', 'sha256:0123456789ab'],
    ['nginx:1.25@sha256:0123456789abcdef', '1.25'],
  ])('versionOfImage(%s) is %s', (image, version) => {
    expect(versionOfImage(image)).toBe(version);
  });

  it.each([
    [30, 30],
    ['30', 30],
    ['10s', 10],
    ['1m30s', 90],
    ['1h', 3600],
    ['500ms', 0.5],
  ])('parseDurationSeconds(%j) is %d', (value, expected) => {
    expect(parseDurationSeconds(value, 'd')).toBe(expected);
  });

  it.each([
    ['Successful', 'pass'],
    ['Failed', 'fail'],
    ['Inconclusive', 'inconclusive'],
    ['Error', 'no_data'],
    ['Running', null],
  ])('verdictOf(%s) is %s', (phase, verdict) => {
    expect(verdictOf(phase)).toBe(verdict);
  });

  it('reads release ids back', () => {
    expect(parseReleaseId('prod-eu/shop/checkout@31')).toEqual({
      cluster: 'prod-eu',
      namespace: 'shop',
      name: 'checkout',
      revision: 31,
    });
    expect(parseReleaseId('checkout-31')).toBeNull();
  });
});
