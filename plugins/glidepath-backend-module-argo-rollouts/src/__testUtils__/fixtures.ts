import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../objects';

/**
 * The real Argo Rollouts objects in the shared fixtures (the test data of
 * the `kubectl argo rollouts get` command), read where they are: never
 * copied into this package.
 */
export const FIXTURES_DIR = path.resolve(
  __dirname,
  '../../../../../shared/fixtures/argo-rollouts',
);

/** One fixture file as the JSON the API server would send. */
export function fixture(relativePath: string): KubeObject {
  const text = fs.readFileSync(path.join(FIXTURES_DIR, relativePath), 'utf8');
  return parse(text) as KubeObject;
}

/** A deep copy of a fixture, changed by `edit`. */
export function editedFixture(
  relativePath: string,
  edit: (object: any) => void,
): KubeObject {
  const copy = structuredClone(fixture(relativePath));
  edit(copy);
  return copy;
}

/** Every object of the three scenarios, by kind. */
export function allFixtureObjects(): {
  rollouts: KubeObject[];
  replicaSets: KubeObject[];
  analysisRuns: KubeObject[];
} {
  return {
    rollouts: [
      fixture('canary/canary-rollout.yaml'),
      fixture('blue-green/bluegreen-rollout.yaml'),
      fixture('rollout-aborted/rollout.yaml'),
    ],
    replicaSets: [
      fixture('canary/canary-rs.yaml'),
      fixture('canary/stable-rs.yaml'),
      fixture('canary/old-rs.yaml'),
      fixture('blue-green/preview-rs.yaml'),
      fixture('blue-green/active-rs.yaml'),
      fixture('blue-green/old-rs.yaml'),
      fixture('rollout-aborted/rs1.yaml'),
      fixture('rollout-aborted/rs2.yaml'),
    ],
    analysisRuns: [fixture('rollout-aborted/analysisrun.yaml')],
  };
}

/** The files of one scenario directory, read. */
function scenario(dir: string): KubeObject[] {
  return fs
    .readdirSync(path.join(FIXTURES_DIR, dir))
    .filter(name => name.endsWith('.yaml'))
    .sort()
    .map(name => fixture(`${dir}/${name}`));
}

/**
 * Every object of a scenario that Glidepath lists (Rollouts, ReplicaSets,
 * AnalysisRuns, Experiments; not the Pods and Jobs the kubectl plugin also
 * shows), by kind: `experiment-step`, `experiment-analysis` or
 * `rollout-invalid`.
 */
export function scenarioObjects(dir: string) {
  const objects = scenario(dir);
  const ofKind = (kind: string) => objects.filter(o => o.kind === kind);
  return {
    rollouts: ofKind('Rollout'),
    replicaSets: ofKind('ReplicaSet'),
    analysisRuns: ofKind('AnalysisRun'),
    experiments: ofKind('Experiment'),
  };
}
