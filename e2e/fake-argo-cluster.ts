/*
 * A stand-in Kubernetes API server for the browser tests of the Argo
 * Rollouts provider: the Argo Rollouts module's contract-test server (it
 * speaks the Kubernetes REST paths for Rollouts, ReplicaSets and
 * AnalysisRuns) loaded with the real objects of ../shared/fixtures/argo-rollouts.
 * It is not Kubernetes: no admission, no controller. Prints one line of JSON,
 * {"url": ...}, once it listens; stops on SIGTERM.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs e2e/fake-argo-cluster.ts <token>
 */
import { startFakeKubernetes } from '../plugins/glidepath-backend-module-argo-rollouts/src/__testUtils__/fakeKubernetes';
import { allFixtureObjects } from '../plugins/glidepath-backend-module-argo-rollouts/src/__testUtils__/fixtures';

async function main() {
  const token = process.argv[2];
  if (!token) throw new Error('usage: fake-argo-cluster.ts <token>');
  const { rollouts, replicaSets, analysisRuns } = allFixtureObjects();
  const cluster = await startFakeKubernetes({
    objects: [...rollouts, ...replicaSets, ...analysisRuns],
    token,
  });
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
