import { mapRollout } from '../mapping/mapRollout';
import { readAnalysisRun } from '../resources/analysisRun';
import { readReplicaSet, type ReplicaSet } from '../resources/replicaSet';
import { readRollout } from '../resources/rollout';
import { allFixtureObjects } from './fixtures';

const all = allFixtureObjects();
/** The ReplicaSets of all the fixtures, read. */
export const replicaSets = all.replicaSets.map(readReplicaSet);
/** The AnalysisRuns of all the fixtures, read. */
export const analysisRuns = all.analysisRuns.map(readAnalysisRun);

/** Maps a fixture Rollout in cluster prod-eu, with all the fixtures' ReplicaSets unless given. */
export function map(rollout: unknown, rs: ReplicaSet[] = replicaSets) {
  return mapRollout({
    cluster: 'prod-eu',
    environment: 'production',
    rollout: readRollout(rollout),
    replicaSets: rs,
    analysisRuns,
  });
}
