/**
 * A Rollout's `spec.strategy`: a canary's steps, or a blue-green's
 * promotion settings.
 */
import {
  arrayAt,
  booleanAt,
  integerAt,
  isObject,
  type KubeObject,
  objectAt,
  ObjectParseError,
  optionalObjectAt,
  parseDurationSeconds,
  stringAt,
} from '../objects';

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

/** Reads `spec.strategy`: canary steps, or blue-green promotion. */
export function readStrategy(spec: KubeObject): RolloutStrategy {
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
