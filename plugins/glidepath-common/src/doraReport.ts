import type { DoraMeasure, DoraMeasures } from './dora';

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
