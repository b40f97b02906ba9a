import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { ReleaseStep } from '@glidepath/backstage-plugin-common';
import { ReleaseSteps } from './ReleaseSteps';

// The experiment step of Argo Rollouts' experiment-step example, as the
// argo-rollouts provider reports it.
const experimentStep: ReleaseStep = {
  index: 0,
  kind: 'analysis',
  weight: null,
  durationSeconds: null,
  description: 'Experiment: canary-preview (canary); analyses stress-test',
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
        phase: 'Failed',
        verdict: 'fail',
        message: 'metric "stress" assessed Failed',
      },
    ],
  },
};

describe('ReleaseSteps with an experiment step', () => {
  it("shows the experiment's ReplicaSets and analysis runs under its step", async () => {
    await renderInTestApp(
      <ReleaseSteps
        release={{
          steps: [
            experimentStep,
            {
              index: 1,
              kind: 'set_weight',
              weight: 50,
              durationSeconds: null,
              description: 'Set the canary weight to 50%',
              status: 'pending',
            },
          ],
          currentStepIndex: 0,
          phase: 'progressing',
        }}
      />,
    );
    const step = screen.getByTestId('glidepath-step-0');
    expect(step).toHaveTextContent('Running · current step');
    expect(step).toHaveTextContent(
      'Experiment canary-demo-645d5dbc4c-2-0 · Running',
    );
    expect(
      screen.getByTestId('glidepath-experiment-template-canary-preview'),
    ).toHaveTextContent(
      'Template canary-preview: ReplicaSet canary-demo-645d5dbc4c-2-0-canary-preview · Running · 1 of 1 ready, 1 available',
    );
    expect(
      screen.getByTestId(
        'glidepath-experiment-run-canary-demo-645d5dbc4c-2-0-stress-test',
      ),
    ).toHaveTextContent(
      'Analysis run canary-demo-645d5dbc4c-2-0-stress-test (stress-test) · Failed — metric "stress" assessed Failed',
    );
    // A step without an experiment shows none.
    expect(
      screen
        .getByTestId('glidepath-step-1')
        .querySelector('[data-testid="glidepath-step-experiment"]'),
    ).toBeNull();
  });
});
