/**
 * Scaffolder actions for Glidepath: roll back or promote an entity's
 * release, attach a release checklist, and generate Argo Rollouts manifests
 * from a Glidepath rollback policy.
 *
 * @packageDocumentation
 */
export { scaffolderModuleGlidepath as default } from './module';
export { createChecklistAction } from './actions/checklist';
export { createDrillAction } from './actions/drill';
export { createReleaseActionAction } from './actions/releaseAction';
export { createRolloutGenerateAction } from './actions/rolloutGenerate';
export {
  glidepathClientFactory,
  type GlidepathClientFactory,
} from './glidepathApi';
export {
  generateRolloutManifests,
  type CanaryStep,
  type KubernetesObject,
  type RolloutManifestOptions,
} from './rollout/manifests';
