/**
 * A Rollout as Glidepath reads it: its spec, and the status the controller
 * writes (phase, pauses, abort, the stable and current pod hashes, weights
 * and the analysis runs of the current step).
 */
import {
  arrayAt,
  booleanAt,
  integerAt,
  isObject,
  type KubeObject,
  objectAt,
  type ObjectMeta,
  ObjectParseError,
  optionalObjectAt,
  type PodTemplateSummary,
  readKubeObject,
  revisionOf,
  stringAt,
  summarizePodTemplate,
} from '../objects';
import { readStrategy, type RolloutStrategy } from './strategy';

/** What the rollout's status says about one of its analysis runs. @public */
export type AnalysisRunStatusRef = {
  name: string;
  status: string;
  message: string | null;
};

/** @public */
export type RolloutCondition = {
  type: string;
  status: string;
  reason: string | null;
  message: string | null;
  lastUpdateTime: string | null;
  lastTransitionTime: string | null;
};

/** A Rollout, read. @public */
export type Rollout = {
  meta: ObjectMeta;
  revision: number | null;
  replicas: number;
  paused: boolean;
  selector: Record<string, string>;
  strategy: RolloutStrategy;
  /** `spec.template`, as sent; null with a workloadRef. */
  template: KubeObject | null;
  templateSummary: PodTemplateSummary;
  workloadRef: { apiVersion: string; kind: string; name: string } | null;
  /** `spec.revisionHistoryLimit`: old ReplicaSets kept; null when unset (Argo's default, 10). */
  revisionHistoryLimit: number | null;
  status: {
    observedGeneration: number | null;
    /** True when observedGeneration is an old-style hash, not a number. */
    observedGenerationIsHash: boolean;
    phase: string | null;
    message: string | null;
    abort: boolean;
    abortedAt: string | null;
    promoteFull: boolean;
    controllerPause: boolean;
    currentPodHash: string | null;
    stableRS: string | null;
    currentStepIndex: number | null;
    pauseConditions: Array<{ reason: string; startTime: string | null }>;
    conditions: RolloutCondition[];
    replicas: number;
    updatedReplicas: number;
    readyReplicas: number;
    availableReplicas: number;
    /** The weights the traffic router reports, when it does. */
    canaryWeights: { canary: number; stable: number } | null;
    activeSelector: string | null;
    previewSelector: string | null;
    /** The Experiment of the current experiment step, when one runs. */
    currentExperiment: string | null;
    analysisRuns: {
      currentStep: AnalysisRunStatusRef | null;
      background: AnalysisRunStatusRef | null;
      prePromotion: AnalysisRunStatusRef | null;
      postPromotion: AnalysisRunStatusRef | null;
    };
  };
};

/** The object that controls another, from its owner references. */
export function controllerOf(meta: ObjectMeta) {
  return meta.ownerReferences.find(ref => ref.controller) ?? null;
}

/** The Rollout that controls an object, from its owner references. */
export function controllerRollout(meta: ObjectMeta) {
  const owner = controllerOf(meta);
  return owner?.kind === 'Rollout' ? owner : null;
}

function analysisRef(
  parent: KubeObject,
  key: string,
  field: string,
): AnalysisRunStatusRef | null {
  const ref = optionalObjectAt(parent, key, field);
  if (!ref) return null;
  return {
    name: stringAt(ref, 'name', `${field}.name`) ?? '',
    status: stringAt(ref, 'status', `${field}.status`) ?? '',
    message: stringAt(ref, 'message', `${field}.message`) || null,
  };
}

function count(status: KubeObject, key: string): number {
  return integerAt(status, key, `status.${key}`) ?? 0;
}

/** Reads a Rollout; throws an ObjectParseError naming the field that is wrong. @public */
export function readRollout(object: unknown): Rollout {
  const { meta, spec, status } = readKubeObject(object, 'Rollout');
  const canaryStatus = objectAt(status, 'canary', 'status.canary');
  const blueGreenStatus = objectAt(status, 'blueGreen', 'status.blueGreen');
  const weights = optionalObjectAt(
    canaryStatus,
    'weights',
    'status.canary.weights',
  );
  const selector = objectAt(spec, 'selector', 'spec.selector');
  const matchLabels = objectAt(
    selector,
    'matchLabels',
    'spec.selector.matchLabels',
  );
  const workloadRef = optionalObjectAt(spec, 'workloadRef', 'spec.workloadRef');
  const template = optionalObjectAt(spec, 'template', 'spec.template');

  const rawObserved = status.observedGeneration;
  let observedGeneration: number | null = null;
  let observedGenerationIsHash = false;
  if (rawObserved !== undefined && rawObserved !== null && rawObserved !== '') {
    if (/^\d+$/.test(String(rawObserved).trim())) {
      observedGeneration = Number(String(rawObserved).trim());
    } else {
      // Argo Rollouts v0.9 and older wrote a hash of the spec here.
      observedGenerationIsHash = true;
    }
  }

  return {
    meta,
    revision: revisionOf(meta),
    replicas: integerAt(spec, 'replicas', 'spec.replicas') ?? 1,
    paused: booleanAt(spec, 'paused', 'spec.paused'),
    selector: Object.fromEntries(
      Object.keys(matchLabels).map(key => [
        key,
        stringAt(matchLabels, key, `spec.selector.matchLabels.${key}`) ?? '',
      ]),
    ),
    strategy: readStrategy(spec),
    template,
    templateSummary: summarizePodTemplate(template, 'spec.template'),
    workloadRef: workloadRef && {
      apiVersion:
        stringAt(workloadRef, 'apiVersion', 'spec.workloadRef.apiVersion') ??
        '',
      kind: stringAt(workloadRef, 'kind', 'spec.workloadRef.kind') ?? '',
      name: stringAt(workloadRef, 'name', 'spec.workloadRef.name') ?? '',
    },
    revisionHistoryLimit: integerAt(
      spec,
      'revisionHistoryLimit',
      'spec.revisionHistoryLimit',
    ),
    status: {
      observedGeneration,
      observedGenerationIsHash,
      phase: stringAt(status, 'phase', 'status.phase') || null,
      message: stringAt(status, 'message', 'status.message') || null,
      abort: booleanAt(status, 'abort', 'status.abort'),
      abortedAt: stringAt(status, 'abortedAt', 'status.abortedAt'),
      promoteFull: booleanAt(status, 'promoteFull', 'status.promoteFull'),
      controllerPause: booleanAt(
        status,
        'controllerPause',
        'status.controllerPause',
      ),
      currentPodHash:
        stringAt(status, 'currentPodHash', 'status.currentPodHash') || null,
      stableRS:
        stringAt(status, 'stableRS', 'status.stableRS') ||
        stringAt(canaryStatus, 'stableRS', 'status.canary.stableRS') ||
        null,
      currentStepIndex: integerAt(
        status,
        'currentStepIndex',
        'status.currentStepIndex',
      ),
      pauseConditions: arrayAt(
        status,
        'pauseConditions',
        'status.pauseConditions',
      ).map((c, i) => {
        const at = `status.pauseConditions[${i}]`;
        if (!isObject(c)) throw new ObjectParseError(at, 'is not an object');
        return {
          reason: stringAt(c, 'reason', `${at}.reason`) ?? '',
          startTime: stringAt(c, 'startTime', `${at}.startTime`),
        };
      }),
      conditions: arrayAt(status, 'conditions', 'status.conditions').map(
        (c, i) => {
          const at = `status.conditions[${i}]`;
          if (!isObject(c)) throw new ObjectParseError(at, 'is not an object');
          return {
            type: stringAt(c, 'type', `${at}.type`) ?? '',
            status: stringAt(c, 'status', `${at}.status`) ?? '',
            reason: stringAt(c, 'reason', `${at}.reason`),
            message: stringAt(c, 'message', `${at}.message`),
            lastUpdateTime: stringAt(
              c,
              'lastUpdateTime',
              `${at}.lastUpdateTime`,
            ),
            lastTransitionTime: stringAt(
              c,
              'lastTransitionTime',
              `${at}.lastTransitionTime`,
            ),
          };
        },
      ),
      replicas: count(status, 'replicas'),
      updatedReplicas: count(status, 'updatedReplicas'),
      readyReplicas: count(status, 'readyReplicas'),
      availableReplicas: count(status, 'availableReplicas'),
      canaryWeights: weights && {
        canary:
          integerAt(
            objectAt(weights, 'canary', 'status.canary.weights.canary'),
            'weight',
            'status.canary.weights.canary.weight',
          ) ?? 0,
        stable:
          integerAt(
            objectAt(weights, 'stable', 'status.canary.weights.stable'),
            'weight',
            'status.canary.weights.stable.weight',
          ) ?? 0,
      },
      activeSelector:
        stringAt(
          blueGreenStatus,
          'activeSelector',
          'status.blueGreen.activeSelector',
        ) || null,
      previewSelector:
        stringAt(
          blueGreenStatus,
          'previewSelector',
          'status.blueGreen.previewSelector',
        ) || null,
      currentExperiment:
        stringAt(
          canaryStatus,
          'currentExperiment',
          'status.canary.currentExperiment',
        ) || null,
      analysisRuns: {
        currentStep: analysisRef(
          canaryStatus,
          'currentStepAnalysisRunStatus',
          'status.canary.currentStepAnalysisRunStatus',
        ),
        background: analysisRef(
          canaryStatus,
          'currentBackgroundAnalysisRunStatus',
          'status.canary.currentBackgroundAnalysisRunStatus',
        ),
        prePromotion: analysisRef(
          blueGreenStatus,
          'prePromotionAnalysisRunStatus',
          'status.blueGreen.prePromotionAnalysisRunStatus',
        ),
        postPromotion: analysisRef(
          blueGreenStatus,
          'postPromotionAnalysisRunStatus',
          'status.blueGreen.postPromotionAnalysisRunStatus',
        ),
      },
    },
  };
}
