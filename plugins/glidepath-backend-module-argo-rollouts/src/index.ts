/**
 * Glidepath rollouts from Argo Rollouts: Rollouts, their ReplicaSets and
 * AnalysisRuns read through the Kubernetes API, and abort, retry, pause,
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
export {
  mapRollout,
  mapAnalysisRun,
  rolloutPhase,
  actualCanaryWeight,
  verdictOf,
  releaseId,
  parseReleaseId,
  ARGO_ROLLOUTS_ACTOR,
  type RolloutView,
  type RevisionView,
  type AnalysisRunView,
  type MetricView,
  type MeasurementView,
  type RolloutLocation,
} from './mapping';
export {
  abortPlan,
  retryPlan,
  pausePlan,
  resumePlan,
  promotePlan,
  promoteFullPlan,
  undoPlan,
  type RolloutPatchPlan,
  type UndoPlan,
} from './actions';
export { parseRolloutRef, type RolloutRef } from './refs';
export {
  readRollout,
  readReplicaSet,
  readAnalysisRun,
  type Rollout,
  type ReplicaSet,
  type AnalysisRun,
} from './resources';
export { ObjectParseError } from './objects';
