import { fixture } from '../__testUtils__/fixtures';
import { map } from '../__testUtils__/mapFixtures';
import { completed, rollingBack } from '../__testUtils__/rollbackTimeline';
import { readReplicaSet } from '../resources/replicaSet';
import { readRollout } from '../resources/rollout';
import { mapRollout } from './mapRollout';

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
          status: 'skipped',
        },
        {
          kind: 'pause',
          weight: null,
          durationSeconds: null,
          description: 'Pause until promoted',
          status: 'skipped',
        },
        {
          kind: 'set_weight',
          weight: 40,
          durationSeconds: null,
          description: 'Set the canary weight to 40%',
          status: 'skipped',
        },
        {
          kind: 'pause',
          weight: null,
          durationSeconds: 10,
          description: 'Pause for 10s',
          status: 'skipped',
        },
        {
          kind: 'set_weight',
          weight: 60,
          durationSeconds: null,
          description: 'Set the canary weight to 60%',
          status: 'skipped',
        },
        {
          kind: 'pause',
          weight: null,
          durationSeconds: 10,
          description: 'Pause for 10s',
          status: 'skipped',
        },
        {
          kind: 'set_weight',
          weight: 80,
          durationSeconds: null,
          description: 'Set the canary weight to 80%',
          status: 'skipped',
        },
        {
          kind: 'pause',
          weight: null,
          durationSeconds: 10,
          description: 'Pause for 10s',
          status: 'skipped',
        },
      ],
      // Failed at step 1 of 8 (kubectl: Step 0/8): no step runs any more,
      // the step it stopped at and those after it are skipped.
      currentStepIndex: null,
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
    // The analysis runs it carries are asserted in analysisRuns.test.ts.
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
});

describe('tolerance and bad input', () => {
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

describe('the start of the current revision', () => {
  const seen = new Date('2019-10-28T06:00:00Z');
  const startOf = (stage: { rollout: unknown; replicaSets: unknown[] }) =>
    mapRollout({
      cluster: 'prod-eu',
      environment: 'staging',
      rollout: readRollout(stage.rollout),
      replicaSets: stage.replicaSets.map(readReplicaSet),
      analysisRuns: [],
      currentRevisionStartedAt: seen,
    }).releases[0].startedAt;

  it('is when it was seen to begin for a reused ReplicaSet', () => {
    // green's ReplicaSet, created 2019-10-26, is revision 32 since the undo.
    expect(startOf(rollingBack())).toEqual(seen);
  });

  it("is the ReplicaSet's creation for a new one, whatever was seen", () => {
    // does-not-exist's ReplicaSet was created for revision 31.
    expect(startOf(completed())).toEqual(new Date('2019-10-28T04:52:26Z'));
  });
});
