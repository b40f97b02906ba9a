/**
 * A ReplicaSet of a Rollout: its revision, pod template hash and replicas.
 */
import {
  integerAt,
  type KubeObject,
  type ObjectMeta,
  optionalObjectAt,
  POD_TEMPLATE_HASH_LABEL,
  type PodTemplateSummary,
  readKubeObject,
  REVISION_HISTORY_ANNOTATION,
  revisionOf,
  summarizePodTemplate,
} from '../objects';
import { controllerOf, controllerRollout } from './rollout';

/** Names the Experiment template a ReplicaSet runs. */
const EXPERIMENT_TEMPLATE_KEY = 'experiment.argoproj.io/template-name';

/** A ReplicaSet, read. @public */
export type ReplicaSet = {
  meta: ObjectMeta;
  podTemplateHash: string | null;
  revision: number | null;
  /** Earlier revisions this ReplicaSet had (a rollback reuses it). */
  revisionHistory: number[];
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  template: KubeObject | null;
  templateSummary: PodTemplateSummary;
  /** The uid of the Rollout that controls it, if one does. */
  rolloutUid: string | null;
  rolloutName: string | null;
  /** The uid of the object that controls it (a Rollout or an Experiment). */
  controllerUid: string | null;
  /** The Experiment template it runs, when an Experiment controls it. */
  experimentTemplate: string | null;
};

/** Reads a ReplicaSet. @public */
export function readReplicaSet(object: unknown): ReplicaSet {
  const { meta, spec, status } = readKubeObject(object, 'ReplicaSet');
  const template = optionalObjectAt(spec, 'template', 'spec.template');
  const owner = controllerRollout(meta);
  const controller = controllerOf(meta);
  const history = meta.annotations[REVISION_HISTORY_ANNOTATION] ?? '';
  return {
    meta,
    podTemplateHash: meta.labels[POD_TEMPLATE_HASH_LABEL] ?? null,
    revision: revisionOf(meta),
    revisionHistory: history
      .split(',')
      .map(part => part.trim())
      .filter(part => /^\d+$/.test(part))
      .map(Number),
    replicas: integerAt(spec, 'replicas', 'spec.replicas') ?? 0,
    readyReplicas:
      integerAt(status, 'readyReplicas', 'status.readyReplicas') ?? 0,
    availableReplicas:
      integerAt(status, 'availableReplicas', 'status.availableReplicas') ?? 0,
    template,
    templateSummary: summarizePodTemplate(template, 'spec.template'),
    rolloutUid: owner?.uid || null,
    rolloutName: owner?.name || null,
    controllerUid: controller?.uid || null,
    // Argo Rollouts writes it as an annotation; controllers of 2019 wrote
    // it as a label.
    experimentTemplate:
      meta.annotations[EXPERIMENT_TEMPLATE_KEY] ??
      meta.labels[EXPERIMENT_TEMPLATE_KEY] ??
      null,
  };
}
