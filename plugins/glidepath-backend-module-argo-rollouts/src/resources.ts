import {
  arrayAt,
  booleanAt,
  integerAt,
  isObject,
  type KubeObject,
  objectAt,
  ObjectParseError,
  type ObjectMeta,
  optionalObjectAt,
  parseDurationSeconds,
  POD_TEMPLATE_HASH_LABEL,
  readMeta,
  REVISION_HISTORY_ANNOTATION,
  revisionOf,
  stringAt,
  summarizePodTemplate,
  type PodTemplateSummary,
} from './objects';

/** One step of a canary strategy, as Glidepath reads it. @public */
export type CanaryStep =
  | { type: 'setWeight'; weight: number }
  | { type: 'pause'; durationSeconds: number | null }
  | { type: 'analysis'; templates: string[] }
  | {
      type: 'experiment';
      templates: Array<{ name: string; specRef: string }>;
      analyses: string[];
      durationSeconds: number | null;
    }
  | {
      /** setCanaryScale, setHeaderRoute, setMirrorRoute, plugin. */
      type: 'other';
      name: string;
      summary: string;
    };

/** @public */
export type RolloutStrategy =
  | {
      type: 'canary';
      steps: CanaryStep[];
      trafficRouting: boolean;
      backgroundAnalysis: string[];
    }
  | {
      type: 'blueGreen';
      autoPromotionEnabled: boolean;
      autoPromotionSeconds: number | null;
      prePromotionAnalysis: string[];
      postPromotionAnalysis: string[];
    };

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
    analysisRuns: {
      currentStep: AnalysisRunStatusRef | null;
      background: AnalysisRunStatusRef | null;
      prePromotion: AnalysisRunStatusRef | null;
      postPromotion: AnalysisRunStatusRef | null;
    };
  };
};

/** A ReplicaSet, read. @public */
export type ReplicaSet = {
  meta: ObjectMeta;
  podTemplateHash: string | null;
  revision: number | null;
  /** Earlier revisions this ReplicaSet had (a rollback reuses it). */
  revisionHistory: number[];
  replicas: number;
  availableReplicas: number;
  template: KubeObject | null;
  templateSummary: PodTemplateSummary;
  /** The uid of the Rollout that controls it, if one does. */
  rolloutUid: string | null;
  rolloutName: string | null;
};

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
  phase: string;
  message: string | null;
  startedAt: string | null;
  metrics: MetricResult[];
};

function controllerRollout(meta: ObjectMeta) {
  return (
    meta.ownerReferences.find(
      ref => ref.controller && ref.kind === 'Rollout',
    ) ?? null
  );
}

function templateNames(value: KubeObject, field: string): string[] {
  return arrayAt(value, 'templates', `${field}.templates`).map((t, i) => {
    if (!isObject(t)) {
      throw new ObjectParseError(
        `${field}.templates[${i}]`,
        'is not an object',
      );
    }
    return (
      stringAt(t, 'templateName', `${field}.templates[${i}].templateName`) ??
      '(unnamed)'
    );
  });
}

function readStep(step: unknown, field: string): CanaryStep {
  if (!isObject(step)) throw new ObjectParseError(field, 'is not an object');
  if ('setWeight' in step) {
    const weight = integerAt(step, 'setWeight', `${field}.setWeight`);
    if (weight === null || weight < 0 || weight > 100) {
      throw new ObjectParseError(
        `${field}.setWeight`,
        `is not a percentage from 0 to 100: ${JSON.stringify(step.setWeight)}`,
      );
    }
    return { type: 'setWeight', weight };
  }
  if ('pause' in step) {
    const pause = objectAt(step, 'pause', `${field}.pause`);
    const duration = pause.duration;
    return {
      type: 'pause',
      durationSeconds:
        duration === undefined || duration === null
          ? null
          : parseDurationSeconds(duration, `${field}.pause.duration`),
    };
  }
  if ('analysis' in step) {
    const analysis = objectAt(step, 'analysis', `${field}.analysis`);
    return {
      type: 'analysis',
      templates: templateNames(analysis, `${field}.analysis`),
    };
  }
  if ('experiment' in step) {
    const experiment = objectAt(step, 'experiment', `${field}.experiment`);
    const at = `${field}.experiment`;
    const duration = experiment.duration;
    return {
      type: 'experiment',
      templates: arrayAt(experiment, 'templates', `${at}.templates`).map(
        (t, i) => {
          if (!isObject(t)) {
            throw new ObjectParseError(
              `${at}.templates[${i}]`,
              'is not an object',
            );
          }
          return {
            name: stringAt(t, 'name', `${at}.templates[${i}].name`) ?? '',
            specRef:
              stringAt(t, 'specRef', `${at}.templates[${i}].specRef`) ?? '',
          };
        },
      ),
      analyses: arrayAt(experiment, 'analyses', `${at}.analyses`).map(
        (a, i) => {
          if (!isObject(a)) {
            throw new ObjectParseError(
              `${at}.analyses[${i}]`,
              'is not an object',
            );
          }
          return (
            stringAt(a, 'templateName', `${at}.analyses[${i}].templateName`) ??
            stringAt(a, 'name', `${at}.analyses[${i}].name`) ??
            ''
          );
        },
      ),
      durationSeconds:
        duration === undefined || duration === null
          ? null
          : parseDurationSeconds(duration, `${at}.duration`),
    };
  }
  for (const name of [
    'setCanaryScale',
    'setHeaderRoute',
    'setMirrorRoute',
    'plugin',
  ]) {
    if (name in step) {
      return { type: 'other', name, summary: JSON.stringify(step[name]) };
    }
  }
  throw new ObjectParseError(
    field,
    `is not a step Argo Rollouts knows (setWeight, pause, analysis, experiment, setCanaryScale, setHeaderRoute, setMirrorRoute, plugin): ${JSON.stringify(
      step,
    )}`,
  );
}

function readStrategy(spec: KubeObject): RolloutStrategy {
  const strategy = objectAt(spec, 'strategy', 'spec.strategy');
  const canary = optionalObjectAt(strategy, 'canary', 'spec.strategy.canary');
  const blueGreen = optionalObjectAt(
    strategy,
    'blueGreen',
    'spec.strategy.blueGreen',
  );
  if (canary && blueGreen) {
    throw new ObjectParseError(
      'spec.strategy',
      'has both canary and blueGreen; Argo Rollouts allows one',
    );
  }
  if (canary) {
    const analysis = optionalObjectAt(
      canary,
      'analysis',
      'spec.strategy.canary.analysis',
    );
    return {
      type: 'canary',
      steps: arrayAt(canary, 'steps', 'spec.strategy.canary.steps').map(
        (step, i) => readStep(step, `spec.strategy.canary.steps[${i}]`),
      ),
      trafficRouting:
        optionalObjectAt(
          canary,
          'trafficRouting',
          'spec.strategy.canary.trafficRouting',
        ) !== null,
      backgroundAnalysis: analysis
        ? templateNames(analysis, 'spec.strategy.canary.analysis')
        : [],
    };
  }
  if (blueGreen) {
    const at = 'spec.strategy.blueGreen';
    const pre = optionalObjectAt(
      blueGreen,
      'prePromotionAnalysis',
      `${at}.prePromotionAnalysis`,
    );
    const post = optionalObjectAt(
      blueGreen,
      'postPromotionAnalysis',
      `${at}.postPromotionAnalysis`,
    );
    const autoPromotionEnabled =
      blueGreen.autoPromotionEnabled === undefined ||
      blueGreen.autoPromotionEnabled === null
        ? true
        : booleanAt(
            blueGreen,
            'autoPromotionEnabled',
            `${at}.autoPromotionEnabled`,
          );
    return {
      type: 'blueGreen',
      autoPromotionEnabled,
      autoPromotionSeconds: integerAt(
        blueGreen,
        'autoPromotionSeconds',
        `${at}.autoPromotionSeconds`,
      ),
      prePromotionAnalysis: pre
        ? templateNames(pre, `${at}.prePromotionAnalysis`)
        : [],
      postPromotionAnalysis: post
        ? templateNames(post, `${at}.postPromotionAnalysis`)
        : [],
    };
  }
  throw new ObjectParseError(
    'spec.strategy',
    'has neither canary nor blueGreen',
  );
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
  if (!isObject(object)) {
    throw new ObjectParseError('the Rollout', 'is not a JSON object');
  }
  const meta = readMeta(object, 'Rollout');
  const spec = objectAt(object, 'spec', 'spec');
  const status = objectAt(object, 'status', 'status');
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

/** Reads a ReplicaSet. @public */
export function readReplicaSet(object: unknown): ReplicaSet {
  if (!isObject(object)) {
    throw new ObjectParseError('the ReplicaSet', 'is not a JSON object');
  }
  const meta = readMeta(object, 'ReplicaSet');
  const spec = objectAt(object, 'spec', 'spec');
  const status = objectAt(object, 'status', 'status');
  const template = optionalObjectAt(spec, 'template', 'spec.template');
  const owner = controllerRollout(meta);
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
    availableReplicas:
      integerAt(status, 'availableReplicas', 'status.availableReplicas') ?? 0,
    template,
    templateSummary: summarizePodTemplate(template, 'spec.template'),
    rolloutUid: owner?.uid || null,
    rolloutName: owner?.name || null,
  };
}

/** Reads an AnalysisRun. @public */
export function readAnalysisRun(object: unknown): AnalysisRun {
  if (!isObject(object)) {
    throw new ObjectParseError('the AnalysisRun', 'is not a JSON object');
  }
  const meta = readMeta(object, 'AnalysisRun');
  const spec = objectAt(object, 'spec', 'spec');
  const status = objectAt(object, 'status', 'status');
  const specMetrics = new Map<string, KubeObject>();
  arrayAt(spec, 'metrics', 'spec.metrics').forEach((m, i) => {
    if (!isObject(m)) {
      throw new ObjectParseError(`spec.metrics[${i}]`, 'is not an object');
    }
    specMetrics.set(stringAt(m, 'name', `spec.metrics[${i}].name`) ?? '', m);
  });
  const owner = controllerRollout(meta);
  return {
    meta,
    revision: revisionOf(meta),
    podTemplateHash: meta.labels[POD_TEMPLATE_HASH_LABEL] ?? null,
    rolloutType: meta.labels['rollout-type'] ?? null,
    rolloutUid: owner?.uid || null,
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
