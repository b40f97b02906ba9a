import {
  DORA_2024_LEVELS,
  DoraLevel,
  DoraLevelBand,
  DoraMeasure,
  DoraMeasures,
} from './dora';

/** How a measure moved from one period to the next. @public */
export type DoraTrend = 'better' | 'worse' | 'same' | 'no-data';

/** One measure of a period next to the previous period's. @public */
export interface DoraChange {
  measure: DoraMeasure;
  /** Deployments per day, median lead time (ms), rate (0..1), median recovery (ms). */
  current: number | null;
  previous: number | null;
  trend: DoraTrend;
}

/**
 * Changes smaller than this share of the previous value (or, for the change
 * failure rate, than this many points) are "same": a week's numbers are noisy.
 * @public
 */
export const DORA_SAME_WITHIN = 0.05;

const HIGHER_IS_BETTER: Record<DoraMeasure, boolean> = {
  deploymentFrequency: true,
  leadTime: false,
  changeFailureRate: false,
  recoveryTime: false,
};

/** The value of a measure that levels and comparisons use. @public */
export function doraValue(
  measures: DoraMeasures,
  measure: DoraMeasure,
): number | null {
  switch (measure) {
    case 'deploymentFrequency':
      return measures.deploymentsPerDay;
    case 'leadTime':
      return measures.leadTime.medianMs;
    case 'changeFailureRate':
      return measures.changeFailureRate.rate;
    default:
      return measures.recoveryTime.medianMs;
  }
}

/** Whether one value of a measure is better, worse or the same as another. @public */
export function doraTrend(
  measure: DoraMeasure,
  current: number | null,
  previous: number | null,
): DoraTrend {
  if (current === null || previous === null) return 'no-data';
  const difference = current - previous;
  // A rate is compared in points; the others relative to the previous value.
  const scale = measure === 'changeFailureRate' ? 1 : Math.abs(previous);
  if (Math.abs(difference) <= DORA_SAME_WITHIN * scale) return 'same';
  return difference > 0 === HIGHER_IS_BETTER[measure] ? 'better' : 'worse';
}

/**
 * The four measures of a period against the previous period's, in the
 * order DORA lists them.
 * @public
 */
export function compareDoraMeasures(
  current: DoraMeasures,
  previous: DoraMeasures,
): DoraChange[] {
  return (
    [
      'deploymentFrequency',
      'leadTime',
      'changeFailureRate',
      'recoveryTime',
    ] as const
  ).map(measure => {
    const now = doraValue(current, measure);
    const before = doraValue(previous, measure);
    return {
      measure,
      current: now,
      previous: before,
      trend: doraTrend(measure, now, before),
    };
  });
}

/** How a measure moved against the previous period, in words. @public */
export function doraTrendWords(
  trend: DoraTrend,
  previous: string = 'the week before',
): string {
  switch (trend) {
    case 'better':
      return `better than ${previous}`;
    case 'worse':
      return `worse than ${previous}`;
    case 'same':
      return `about the same as ${previous}`;
    default:
      return `no data to compare with ${previous}`;
  }
}

const MEASURE_WORDS: Record<DoraMeasure, string> = {
  deploymentFrequency: 'deployment frequency',
  leadTime: 'lead time',
  changeFailureRate: 'change failure rate',
  recoveryTime: 'recovery time',
};

const LEVELS_BEST_FIRST: readonly DoraLevel[] = [
  'elite',
  'high',
  'medium',
  'low',
];

/** A bound of a band in words: "once a week", "7 days", "15%". */
function boundWords(measure: DoraMeasure, value: number): string {
  if (measure === 'changeFailureRate') {
    return `${Number((value * 100).toFixed(1))}%`;
  }
  if (measure === 'deploymentFrequency') {
    if (value >= 1) return value === 1 ? 'once a day' : `${value} times a day`;
    const days = Math.round(1 / value);
    return days === 7 ? 'once a week' : `once in ${days} days`;
  }
  const hours = value / 3_600_000;
  if (hours < 24) return hours === 1 ? '1 hour' : `${hours} hours`;
  const days = hours / 24;
  return days === 1 ? '1 day' : `${days} days`;
}

/** The bound of a band (one of atLeast, below, atMost). */
function boundOf(band: DoraLevelBand): number | undefined {
  return band.atLeast ?? band.below ?? band.atMost;
}

/**
 * The range of values a level covers in `DORA_2024_LEVELS`, in words:
 * "at least once a week, less than once a day", "1 to 7 days",
 * "above 15%, up to 30%".
 * @public
 */
export function doraLevelRange(measure: DoraMeasure, level: DoraLevel): string {
  const bands = DORA_2024_LEVELS[measure].bands;
  const index = bands.findIndex(band => band.level === level);
  const band = bands[index];
  const previous = index > 0 ? bands[index - 1] : undefined;
  // The kind of bound of the measure: the last band has none of its own.
  const kind = bands[0];
  const upper = boundOf(band);
  const lower = previous ? boundOf(previous) : undefined;
  const up = upper === undefined ? undefined : boundWords(measure, upper);
  const low = lower === undefined ? undefined : boundWords(measure, lower);
  if (kind.atLeast !== undefined) {
    // More is better: a band reaches up to the bound of the one before.
    if (low === undefined) return `at least ${up}`;
    if (up === undefined) return `less than ${low}`;
    return `at least ${up}, less than ${low}`;
  }
  if (kind.atMost !== undefined) {
    if (low === undefined) return `up to ${up}`;
    if (up === undefined) return `above ${low}`;
    return `above ${low}, up to ${up}`;
  }
  if (low === undefined) return `under ${up}`;
  if (up === undefined) return `${low} or more`;
  // "1 to 7 days", but "1 hour to 1 day".
  const [lowNumber, lowUnit] = low.split(' ');
  const [, upUnit] = up.split(' ');
  return lowUnit.replace(/s$/, '') === upUnit.replace(/s$/, '')
    ? `${lowNumber} to ${up}`
    : `${low} to ${up}`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function uncapitalised(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * What a level chip means, for its tooltip: the level's range of the
 * measure (DORA 2024's bands, as Glidepath reads them), the report's
 * typical value for that cluster and, where the bands do not follow the
 * usual order (the change failure rate, where the report's medium cluster
 * failed fewer changes than its high one), which level is the better.
 * @public
 */
export function doraLevelDescription(
  measure: DoraMeasure,
  level: DoraLevel,
): string {
  const table = DORA_2024_LEVELS[measure];
  const words = MEASURE_WORDS[measure];
  const lines = [
    `${capitalised(level)}: ${words} ${doraLevelRange(
      measure,
      level,
    )} (DORA 2024 bands).`,
    `Typical of the report's ${level} cluster: ${uncapitalised(
      table.report[level],
    )}.`,
  ];
  // The levels whose place among the bands is not their usual one.
  const order = table.bands.map(band => band.level);
  const swapped = order.filter((l, i) => LEVELS_BEST_FIRST[i] !== l);
  if (swapped.includes(level)) {
    const [better, worse] = swapped;
    lines.push(
      `For ${words}, ${better} is better than ${worse}: the report's ${better} cluster had the lower value (${table.report[better]} against ${table.report[worse]}).`,
    );
  }
  return lines.join(' ');
}
