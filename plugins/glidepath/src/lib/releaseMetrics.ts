import type {
  ReleaseMetricsMeasures,
  ReleaseMetricsResponse,
  RollbackTimeMeasure,
} from '@glidepath/backstage-plugin-common';
import { formatDuration } from './time';

const PERCENT = new Intl.NumberFormat(undefined, {
  style: 'percent',
  maximumFractionDigits: 0,
});

/**
 * A share as a percentage, or a dash when there is none; a share above
 * zero that would round to 0% (1 of 362) is "<1%", one below 100% that
 * would round to 100% is ">99%".
 */
export function formatShare(share: number | null): string {
  if (share === null) return '—';
  if (share > 0 && share < 0.005) return '<1%';
  if (share < 1 && share >= 0.995) return '>99%';
  return PERCENT.format(share);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The rollback-tested share in words: "22 of 30 production releases
 * tested first", or that there were none.
 */
export function describeTested(measures: ReleaseMetricsMeasures): string {
  const { releases, tested } = measures.rollbackTested;
  if (releases === 0) return 'No production releases';
  return `${tested} of ${plural(releases, 'production release')} tested first`;
}

/**
 * The cross-service releases in words: "3 of 5 cross-service releases
 * through a release plan", or that there were none.
 */
export function describePlanned(measures: ReleaseMetricsMeasures): string {
  const planned = measures.plannedCrossService;
  if (!planned || planned.crossServiceReleases === 0) {
    return 'No cross-service releases';
  }
  return `${planned.planned} of ${plural(
    planned.crossServiceReleases,
    'cross-service release',
  )} through a release plan`;
}

/** A share against its target: "on target", "12 points below". */
export function shareAgainstTarget(
  share: number | null,
  target: number,
): string {
  if (share === null) return 'no data';
  if (share >= target) return 'on target';
  const points = Math.round((target - share) * 100);
  return points <= 0
    ? 'just below'
    : `${points} point${points === 1 ? '' : 's'} below`;
}

const STRATEGY_WORDS = {
  canary: 'canary',
  blue_green: 'blue-green',
  rolling: 'rolling',
  recreate: 'recreate',
} as const;

/**
 * What the progressive share was computed from: "canary 20 · blue-green 3
 * · rolling 4", and the releases of unknown strategy, which it leaves out.
 */
export function describeDelivery(measures: ReleaseMetricsMeasures): string {
  const { strategies, unknown, progressive, allAtOnce } =
    measures.progressiveDelivery;
  const known = (
    Object.keys(STRATEGY_WORDS) as Array<keyof typeof STRATEGY_WORDS>
  )
    .filter(key => strategies[key] > 0)
    .map(key => `${STRATEGY_WORDS[key]} ${strategies[key]}`);
  const parts: string[] = [];
  if (progressive + allAtOnce === 0) {
    parts.push('No production release of known strategy');
  } else {
    parts.push(known.join(' · '));
  }
  if (unknown > 0) {
    parts.push(`${unknown} of unknown strategy, not counted`);
  }
  return parts.join('; ');
}

/** Rollback time of one kind in words: "median 45s, p90 1m 30s (12)". */
export function describeRollbackTime(time: RollbackTimeMeasure): string {
  const unfinished =
    time.unfinished > 0 ? `; ${time.unfinished} did not finish` : '';
  if (time.rollbacks === 0 || time.medianMs === null) {
    return `no finished rollbacks${unfinished}`;
  }
  return `median ${formatDuration(time.medianMs)}, p90 ${formatDuration(
    time.p90Ms ?? time.medianMs,
  )} (${plural(time.rollbacks, 'rollback')}, ${
    time.withinTarget
  } within target${unfinished})`;
}

/** Whether a scope had nothing to measure in the period. */
export function isEmpty(metrics: ReleaseMetricsResponse): boolean {
  const { summary } = metrics;
  const { automatic, manual } = summary.rollbackTime;
  return (
    summary.productionReleases === 0 &&
    automatic.rollbacks +
      automatic.unfinished +
      manual.rollbacks +
      manual.unfinished ===
      0
  );
}

/** One point of a trend chart per bucket; null where a bucket has no value. */
export type ReleaseMetricsPoint = {
  time: number;
  tested: number | null;
  progressive: number | null;
  automaticMinutes: number | null;
  manualMinutes: number | null;
  /** Cross-service releases through a plan, in percent. */
  planned: number | null;
};

/** The series as chart points: shares in percent, times in minutes. */
export function trendPoints(
  series: ReleaseMetricsResponse['series'],
): ReleaseMetricsPoint[] {
  const percent = (share: number | null) =>
    share === null ? null : Math.round(share * 1000) / 10;
  const minutes = (ms: number | null) =>
    ms === null ? null : Math.round((ms / 60_000) * 100) / 100;
  return series.map(bucket => ({
    time: Date.parse(bucket.start),
    tested: percent(bucket.measures.rollbackTested.share),
    progressive: percent(bucket.measures.progressiveDelivery.share),
    automaticMinutes: minutes(bucket.measures.rollbackTime.automatic.medianMs),
    manualMinutes: minutes(bucket.measures.rollbackTime.manual.medianMs),
    planned: percent(bucket.measures.plannedCrossService?.share ?? null),
  }));
}
