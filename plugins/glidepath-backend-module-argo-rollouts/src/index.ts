/**
 * Glidepath rollouts from Argo Rollouts: Rollouts, their ReplicaSets,
 * AnalysisRuns and Experiments read through the Kubernetes API, and abort, retry, pause,
 * resume, promote and undo with the semantics of the kubectl argo rollouts
 * plugin.
 *
 * @packageDocumentation
 */
export { glidepathModuleArgoRollouts as default } from './module';
export {
  ArgoRolloutsProvider,
  type ArgoRolloutsProviderOptions,
} from './ArgoRolloutsProvider';
export {
  readArgoRolloutsConfig,
  ARGO_ROLLOUTS_DEFAULTS,
  type ArgoRolloutsConfig,
  type ClusterConfig,
  type ClusterCredentials,
  type ConfigEnvironment,
} from './config';
export { KubernetesClient, KubernetesApiError } from './KubernetesClient';
export type { KubernetesRequest, KubernetesList } from './KubernetesClient';
export { mapRollout, type RolloutView } from './mapping/mapRollout';
export {
  mapAnalysisRun,
  verdictOf,
  type AnalysisRunView,
  type MetricView,
  type MeasurementView,
} from './mapping/analysisRuns';
export { rolloutPhase, invalidSpecProblem } from './mapping/phase';
export {
  mapExperiment,
  experimentStepIndex,
  type ExperimentParts,
} from './mapping/experiments';
export { actualCanaryWeight } from './mapping/weights';
export { type RevisionView } from './mapping/history';
export {
  releaseId,
  parseReleaseId,
  ARGO_ROLLOUTS_ACTOR,
  type RolloutLocation,
} from './mapping/releaseIds';
export {
  abortPlan,
  retryPlan,
  pausePlan,
  resumePlan,
  promotePlan,
  promoteFullPlan,
  undoPlan,
  rollForwardPlan,
  replicaSetOfRevision,
  type RolloutPatchPlan,
  type UndoPlan,
} from './actions';
export { parseRolloutRef, type RolloutRef } from './refs';
export { readRollout, type Rollout } from './resources/rollout';
export { readReplicaSet, type ReplicaSet } from './resources/replicaSet';
export { readAnalysisRun, type AnalysisRun } from './resources/analysisRun';
export {
  readExperiment,
  type Experiment,
  type ExperimentTemplateStatus,
  type ExperimentAnalysisStatus,
} from './resources/experiment';
export { ObjectParseError } from './objects';
