/**
 * An AnalysisRun: its phase and every metric's results and measurements.
 */
import {
  arrayAt,
  integerAt,
  isObject,
  type KubeObject,
  type ObjectMeta,
  ObjectParseError,
  POD_TEMPLATE_HASH_LABEL,
  readKubeObject,
  revisionOf,
  stringAt,
} from '../objects';
import { controllerOf, controllerRollout } from './rollout';

/** One measurement of an analysis metric. @public */
export type Measurement = {
  phase: string;
  value: string | null;
  message: string | null;
  startedAt: string | null;
  finishedAt: string | null;
};

/** One metric of an analysis run with its results. @public */
export type MetricResult = {
  name: string;
  phase: string;
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  message: string | null;
  successCondition: string | null;
  failureCondition: string | null;
  failureLimit: number | null;
  measurements: Measurement[];
};

/** An AnalysisRun, read. @public */
export type AnalysisRun = {
  meta: ObjectMeta;
  revision: number | null;
  podTemplateHash: string | null;
  /** Background, Step, PrePromotion, PostPromotion (the `rollout-type` label). */
  rolloutType: string | null;
  rolloutUid: string | null;
  /** The uid of the object that controls it (a Rollout or an Experiment). */
  controllerUid: string | null;
  phase: string;
  message: string | null;
  startedAt: string | null;
  metrics: MetricResult[];
};

/** Reads an AnalysisRun. @public */
export function readAnalysisRun(object: unknown): AnalysisRun {
  const { meta, spec, status } = readKubeObject(object, 'AnalysisRun');
  const specMetrics = new Map<string, KubeObject>();
  arrayAt(spec, 'metrics', 'spec.metrics').forEach((m, i) => {
    if (!isObject(m)) {
      throw new ObjectParseError(`spec.metrics[${i}]`, 'is not an object');
    }
    specMetrics.set(stringAt(m, 'name', `spec.metrics[${i}].name`) ?? '', m);
  });
  const owner = controllerRollout(meta);
  const controller = controllerOf(meta);
  return {
    meta,
    revision: revisionOf(meta),
    podTemplateHash: meta.labels[POD_TEMPLATE_HASH_LABEL] ?? null,
    rolloutType: meta.labels['rollout-type'] ?? null,
    rolloutUid: owner?.uid || null,
    controllerUid: controller?.uid || null,
    phase: stringAt(status, 'phase', 'status.phase') || 'Pending',
    message: stringAt(status, 'message', 'status.message') || null,
    startedAt: stringAt(status, 'startedAt', 'status.startedAt'),
    metrics: arrayAt(status, 'metricResults', 'status.metricResults').map(
      (r, i) => {
        const at = `status.metricResults[${i}]`;
        if (!isObject(r)) throw new ObjectParseError(at, 'is not an object');
        const name = stringAt(r, 'name', `${at}.name`) ?? '';
        const metricSpec = specMetrics.get(name) ?? {};
        return {
          name,
          phase: stringAt(r, 'phase', `${at}.phase`) || 'Pending',
          count: integerAt(r, 'count', `${at}.count`) ?? 0,
          successful: integerAt(r, 'successful', `${at}.successful`) ?? 0,
          failed: integerAt(r, 'failed', `${at}.failed`) ?? 0,
          inconclusive: integerAt(r, 'inconclusive', `${at}.inconclusive`) ?? 0,
          error: integerAt(r, 'error', `${at}.error`) ?? 0,
          message: stringAt(r, 'message', `${at}.message`) || null,
          successCondition: stringAt(
            metricSpec,
            'successCondition',
            `spec.metrics.${name}.successCondition`,
          ),
          failureCondition: stringAt(
            metricSpec,
            'failureCondition',
            `spec.metrics.${name}.failureCondition`,
          ),
          failureLimit: integerAt(
            metricSpec,
            'failureLimit',
            `spec.metrics.${name}.failureLimit`,
          ),
          measurements: arrayAt(r, 'measurements', `${at}.measurements`).map(
            (m, j) => {
              const mat = `${at}.measurements[${j}]`;
              if (!isObject(m)) {
                throw new ObjectParseError(mat, 'is not an object');
              }
              return {
                phase: stringAt(m, 'phase', `${mat}.phase`) || 'Pending',
                value: stringAt(m, 'value', `${mat}.value`),
                message: stringAt(m, 'message', `${mat}.message`) || null,
                startedAt: stringAt(m, 'startedAt', `${mat}.startedAt`),
                finishedAt: stringAt(m, 'finishedAt', `${mat}.finishedAt`),
              };
            },
          ),
        };
      },
    ),
  };
}
