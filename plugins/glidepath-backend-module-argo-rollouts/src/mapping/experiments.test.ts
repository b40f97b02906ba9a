/**
 * Contract tests on the kubectl plugin's own test objects for experiments
 * (shared/fixtures/argo-rollouts/experiment-step and experiment-analysis),
 * against what `kubectl argo rollouts get rollout` prints for them
 * (TestGetRolloutWithExperimentJob and TestExperimentRollout in the
 * upstream pkg/kubectl-argo-rollouts/cmd/get/get_test.go).
 */
import { scenarioObjects } from '../__testUtils__/fixtures';
import { readAnalysisRun } from '../resources/analysisRun';
import { readExperiment } from '../resources/experiment';
import { readReplicaSet } from '../resources/replicaSet';
import { readRollout } from '../resources/rollout';
import { experimentStepIndex, type ExperimentParts } from './experiments';
import { mapRollout } from './mapRollout';

/** Maps a scenario as the cluster cache groups it: by controller uid. */
function mapScenario(dir: string, options: { withExperiments?: boolean } = {}) {
  const objects = scenarioObjects(dir);
  const replicaSets = objects.replicaSets.map(readReplicaSet);
  const analysisRuns = objects.analysisRuns.map(readAnalysisRun);
  const experiments: ExperimentParts[] = objects.experiments
    .map(readExperiment)
    .map(experiment => ({
      experiment,
      replicaSets: replicaSets.filter(
        rs => rs.controllerUid === experiment.meta.uid,
      ),
      analysisRuns: analysisRuns.filter(
        run => run.controllerUid === experiment.meta.uid,
      ),
    }));
  return mapRollout({
    cluster: 'prod-eu',
    environment: 'production',
    rollout: readRollout(objects.rollouts[0]),
    replicaSets,
    analysisRuns,
    experiments: options.withExperiments === false ? [] : experiments,
  });
}

describe('experiment-step: a canary whose experiment step owns its AnalysisRun', () => {
  // kubectl argo rollouts get rollout canary-demo:
  //   Status: ◌ Progressing, Step: 0/1, SetWeight: 0, ActualWeight: 0
  //   Images: argoproj/rollouts-demo:blue (Σ:canary-preview)
  //           argoproj/rollouts-demo:green (stable)
  //   ├──# revision:2
  //   │  ├──⧉ canary-demo-645d5dbc4c                        ReplicaSet  • ScaledDown  canary
  //   │  └──Σ canary-demo-645d5dbc4c-2-0                    Experiment  ◌ Running
  //   │     ├──⧉ canary-demo-645d5dbc4c-2-0-canary-preview  ReplicaSet  ✔ Healthy
  //   │     │  └──□ ...-canary-preview-zmmvz                Pod         ✔ Running  ready:1/1
  //   │     └──α canary-demo-645d5dbc4c-2-0-stress-test     AnalysisRun ◌ Running
  //   └──# revision:1
  //      └──⧉ canary-demo-877894d5b                         ReplicaSet  ✔ Healthy   stable
  const view = mapScenario('experiment-step');
  const [current, stable] = view.releases;

  it('reports revision 2 progressing at its experiment step, with no canary traffic', () => {
    expect(current).toMatchObject({
      providerReleaseId: 'prod-eu/jesse-test/canary-demo@2',
      version: 'blue',
      previousVersion: 'green',
      strategy: 'canary',
      phase: 'progressing',
      currentStepIndex: 0,
      canaryWeight: 0,
    });
    expect(stable).toMatchObject({
      providerReleaseId: 'prod-eu/jesse-test/canary-demo@1',
      version: 'green',
      phase: 'succeeded',
    });
  });

  it('shows the experiment on its step: its ReplicaSet and its analysis run', () => {
    expect(current.steps).toEqual([
      {
        kind: 'analysis',
        weight: null,
        durationSeconds: null,
        description:
          'Experiment: canary-preview (canary); analyses stress-test',
        status: 'running',
        experiment: {
          name: 'canary-demo-645d5dbc4c-2-0',
          phase: 'Running',
          verdict: null,
          message: null,
          templates: [
            {
              name: 'canary-preview',
              replicaSet: 'canary-demo-645d5dbc4c-2-0-canary-preview',
              status: 'Running',
              replicas: 1,
              readyReplicas: 1,
              availableReplicas: 1,
            },
          ],
          analysisRuns: [
            {
              name: 'canary-demo-645d5dbc4c-2-0-stress-test',
              analysis: 'stress-test',
              phase: 'Running',
              verdict: null,
              message: null,
            },
          ],
        },
      },
    ]);
  });

  it("keeps the experiment's AnalysisRun with the release's runs", () => {
    expect(
      current.providerAnalysis?.map(run => [
        run.name,
        run.kind,
        run.phase,
        run.metrics.map(m => [m.name, m.phase, m.measurements.length]),
      ]),
    ).toEqual([
      [
        'canary-demo-645d5dbc4c-2-0-stress-test',
        'Experiment',
        'Running',
        [['stress', 'Running', 1]],
      ],
    ]);
  });

  it('fails without the experiment: the step has none and the run is dropped', () => {
    // What the mapping did before it read Experiments (issue 24).
    const without = mapScenario('experiment-step', { withExperiments: false });
    expect(without.releases[0].steps[0]).not.toHaveProperty('experiment');
    expect(without.releases[0].providerAnalysis).toBeUndefined();
  });

  it('falls back on the template status when the ReplicaSet was not read', () => {
    // Controllers of 2019 did not label an experiment's ReplicaSets with
    // rollouts-pod-template-hash, so the ReplicaSet list misses them.
    const objects = scenarioObjects('experiment-step');
    const experiment = readExperiment(objects.experiments[0]);
    const fallback = mapRollout({
      cluster: 'prod-eu',
      environment: 'production',
      rollout: readRollout(objects.rollouts[0]),
      replicaSets: objects.replicaSets.map(readReplicaSet),
      analysisRuns: [],
      experiments: [{ experiment, replicaSets: [], analysisRuns: [] }],
    });
    expect(fallback.releases[0].steps[0].experiment).toEqual({
      name: 'canary-demo-645d5dbc4c-2-0',
      phase: 'Running',
      verdict: null,
      message: null,
      templates: [
        {
          name: 'canary-preview',
          replicaSet: null,
          status: 'Running',
          replicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
        },
      ],
      // As the Experiment's status names it.
      analysisRuns: [
        {
          name: 'canary-demo-645d5dbc4c-2-0-stress-test',
          analysis: 'stress-test',
          phase: 'Running',
          verdict: null,
          message: null,
        },
      ],
    });
  });
});

describe('experiment-analysis: background analysis beside a running experiment', () => {
  // kubectl argo rollouts get rollout rollout-experiment-analysis:
  //   Status: ✖ Degraded, Step: 1/2, SetWeight: 25, ActualWeight: 25
  //   ├──# revision:2
  //   │  ├──⧉ rollout-experiment-analysis-6f646bf7b7                  ReplicaSet  ✔ Healthy  canary
  //   │  ├──Σ rollout-experiment-analysis-6f646bf7b7-1-vcv27          Experiment  ◌ Running
  //   │  │  ├──⧉ ...-1-vcv27-baseline-7d768b8b5f                      ReplicaSet  ✔ Healthy  (ready:1/1)
  //   │  │  └──⧉ ...-1-vcv27-canary-7699dcf5d                         ReplicaSet  ✔ Healthy  (ready:1/1)
  //   │  └──α rollout-experiment-analysis-random-fail-6f646bf7b7-skqcr AnalysisRun ? Inconclusive  ✔ 4,✖ 4,? 1,⚠ 1
  //   └──# revision:1
  //      └──⧉ rollout-experiment-analysis-f6db98dff                   ReplicaSet  ✔ Healthy  stable
  const view = mapScenario('experiment-analysis');
  const [current, stable] = view.releases;

  it('reports the failed release with 25% of the traffic and no running step', () => {
    expect(current).toMatchObject({
      providerReleaseId: 'prod-eu/jesse-test/rollout-experiment-analysis@2',
      version: 'yellow',
      previousVersion: 'blue',
      // Degraded: the Progressing condition is ProgressDeadlineExceeded.
      phase: 'failed',
      canaryWeight: 25,
      currentStepIndex: null,
    });
    expect(current.steps.map(s => [s.kind, s.status])).toEqual([
      ['set_weight', 'completed'],
      // The step kubectl shows as 1/2: stopped there, not running.
      ['analysis', 'skipped'],
    ]);
    expect(stable).toMatchObject({ version: 'blue', phase: 'succeeded' });
  });

  it('says in the message that it is paused on the inconclusive analysis run', () => {
    expect(current.message).toBe(
      'ProgressDeadlineExceeded: ReplicaSet "rollout-experiment-analysis-6f646bf7b7" has timed out progressing. ' +
        'Paused: an analysis was inconclusive (rollout-experiment-analysis-random-fail-6f646bf7b7-skqcr: ' +
        '4 successful, 4 failed, 1 inconclusive, 1 error): promote to go on, or abort',
    );
  });

  it('shows the experiment on its step with both templates', () => {
    expect(current.steps[1].experiment).toEqual({
      name: 'rollout-experiment-analysis-6f646bf7b7-1-vcv27',
      phase: 'Running',
      verdict: null,
      message: null,
      templates: [
        {
          name: 'baseline',
          replicaSet:
            'rollout-experiment-analysis-6f646bf7b7-1-vcv27-baseline-7d768b8b5f',
          status: 'Running',
          replicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
        },
        {
          name: 'canary',
          replicaSet:
            'rollout-experiment-analysis-6f646bf7b7-1-vcv27-canary-7699dcf5d',
          status: 'Running',
          replicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
        },
      ],
      // This experiment runs no analysis; the background run is the Rollout's.
      analysisRuns: [],
    });
    expect(
      current.providerAnalysis?.map(run => [
        run.name,
        run.kind,
        run.verdict,
        run.metrics[0].successful,
        run.metrics[0].failed,
        run.metrics[0].inconclusive,
        run.metrics[0].error,
      ]),
    ).toEqual([
      [
        'rollout-experiment-analysis-random-fail-6f646bf7b7-skqcr',
        'Background',
        'inconclusive',
        4,
        4,
        1,
        1,
      ],
    ]);
  });

  it('finds the step of a generated experiment name', () => {
    const objects = scenarioObjects('experiment-analysis');
    const rollout = readRollout(objects.rollouts[0]);
    const experiment = readExperiment(objects.experiments[0]);
    expect(experimentStepIndex(rollout, experiment)).toBe(1);
    // Not the current experiment: the name still gives the step.
    expect(
      experimentStepIndex(
        { ...rollout, status: { ...rollout.status, currentExperiment: null } },
        experiment,
      ),
    ).toBe(1);
  });
});
