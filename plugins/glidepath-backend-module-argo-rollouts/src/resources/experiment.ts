/**
 * An Experiment: the templates it runs as ReplicaSets, their statuses, and
 * the analyses it runs as AnalysisRuns. A canary's experiment step creates
 * one, controlled by the Rollout.
 */
import {
  arrayAt,
  integerAt,
  isObject,
  type ObjectMeta,
  ObjectParseError,
  POD_TEMPLATE_HASH_LABEL,
  readKubeObject,
  revisionOf,
  stringAt,
} from '../objects';
import { controllerRollout } from './rollout';

/** What the Experiment's status says about one template. @public */
export type ExperimentTemplateStatus = {
  name: string;
  /** Progressing, Running, Successful, Failed, Error. */
  status: string | null;
  message: string | null;
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
};

/** What the Experiment's status says about one of its analyses. @public */
export type ExperimentAnalysisStatus = {
  /** The experiment's name for the analysis. */
  name: string;
  /** The AnalysisRun that runs it. */
  analysisRun: string | null;
  phase: string;
  message: string | null;
};

/** An Experiment, read. @public */
export type Experiment = {
  meta: ObjectMeta;
  revision: number | null;
  podTemplateHash: string | null;
  rolloutUid: string | null;
  /** Pending, Running, Successful, Failed, Error, Inconclusive. */
  phase: string;
  message: string | null;
  /** The names of `spec.templates`, in order. */
  templates: string[];
  /** The names of `spec.analyses`, in order. */
  analyses: string[];
  templateStatuses: ExperimentTemplateStatus[];
  analysisRuns: ExperimentAnalysisStatus[];
};

function names(list: unknown[], field: string): string[] {
  return list.map((item, i) => {
    if (!isObject(item)) {
      throw new ObjectParseError(`${field}[${i}]`, 'is not an object');
    }
    return stringAt(item, 'name', `${field}[${i}].name`) ?? '';
  });
}

/** Reads an Experiment; throws an ObjectParseError naming the field that is wrong. @public */
export function readExperiment(object: unknown): Experiment {
  const { meta, spec, status } = readKubeObject(object, 'Experiment');
  const count = (parent: Record<string, unknown>, key: string, at: string) =>
    integerAt(parent, key, `${at}.${key}`) ?? 0;
  return {
    meta,
    revision: revisionOf(meta),
    podTemplateHash: meta.labels[POD_TEMPLATE_HASH_LABEL] ?? null,
    rolloutUid: controllerRollout(meta)?.uid || null,
    phase: stringAt(status, 'phase', 'status.phase') || 'Pending',
    message: stringAt(status, 'message', 'status.message') || null,
    templates: names(
      arrayAt(spec, 'templates', 'spec.templates'),
      'spec.templates',
    ),
    analyses: names(
      arrayAt(spec, 'analyses', 'spec.analyses'),
      'spec.analyses',
    ),
    templateStatuses: arrayAt(
      status,
      'templateStatuses',
      'status.templateStatuses',
    ).map((t, i) => {
      const at = `status.templateStatuses[${i}]`;
      if (!isObject(t)) throw new ObjectParseError(at, 'is not an object');
      return {
        name: stringAt(t, 'name', `${at}.name`) ?? '',
        status: stringAt(t, 'status', `${at}.status`) || null,
        message: stringAt(t, 'message', `${at}.message`) || null,
        replicas: count(t, 'replicas', at),
        readyReplicas: count(t, 'readyReplicas', at),
        availableReplicas: count(t, 'availableReplicas', at),
      };
    }),
    analysisRuns: arrayAt(status, 'analysisRuns', 'status.analysisRuns').map(
      (a, i) => {
        const at = `status.analysisRuns[${i}]`;
        if (!isObject(a)) throw new ObjectParseError(at, 'is not an object');
        return {
          name: stringAt(a, 'name', `${at}.name`) ?? '',
          analysisRun: stringAt(a, 'analysisRun', `${at}.analysisRun`) || null,
          phase: stringAt(a, 'phase', `${at}.phase`) || 'Pending',
          message: stringAt(a, 'message', `${at}.message`) || null,
        };
      },
    ),
  };
}
