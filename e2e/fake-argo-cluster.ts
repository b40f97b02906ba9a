/*
 * A stand-in Kubernetes API server for the browser tests of the Argo
 * Rollouts provider: the Argo Rollouts module's contract-test server (it
 * speaks the Kubernetes REST paths for Rollouts, ReplicaSets, AnalysisRuns
 * and Experiments) loaded with the real objects of
 * ../shared/fixtures/argo-rollouts.
 * It is not Kubernetes: no admission, no controller. Prints one line of JSON,
 * {"url": ...}, once it listens; stops on SIGTERM.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs e2e/fake-argo-cluster.ts <token>
 */
import { startFakeKubernetes } from '../plugins/glidepath-backend-module-argo-rollouts/src/__testUtils__/fakeKubernetes';
import { scenarioObjects } from '../plugins/glidepath-backend-module-argo-rollouts/src/__testUtils__/fixtures';

/**
 * The scenarios served, as the kubectl plugin's tests hold them (Pods and
 * Jobs left out: Glidepath does not list them). Their names do not clash:
 * rollout-background-analysis and rollout-invalid in namespace default,
 * canary-demo (the experiment step) and rollout-experiment-analysis in
 * jesse-test. (The canary/ and blue-green/ fixtures are not served: their
 * canary-demo would clash with the experiment step's.)
 */
const SCENARIOS = [
  'rollout-aborted',
  'experiment-step',
  'experiment-analysis',
  'rollout-invalid',
];

async function main() {
  const token = process.argv[2];
  if (!token) throw new Error('usage: fake-argo-cluster.ts <token>');
  const objects = SCENARIOS.flatMap(dir => {
    const { rollouts, replicaSets, analysisRuns, experiments } =
      scenarioObjects(dir);
    return [...rollouts, ...replicaSets, ...analysisRuns, ...experiments];
  });
  const cluster = await startFakeKubernetes({ objects, token });
  process.stdout.write(`${JSON.stringify({ url: cluster.url })}\n`);
  const stop = () => {
    cluster.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
