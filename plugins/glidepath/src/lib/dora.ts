import {
  bucketsOf,
  DoraLevel,
  DoraMeasure,
  DoraMeasures,
  DoraResponse,
  doraValue,
  FailureRule,
} from '@glidepath/backstage-plugin-common';
import { formatDuration } from './time';

/** How the four measures are shown: name, what it is, how its value reads. */
export const DORA_MEASURES: ReadonlyArray<{
  measure: DoraMeasure;
  title: string;
  help: string;
}> = [
  {
    measure: 'deploymentFrequency',
    title: 'Deployment frequency',
    help: 'Production deployments per day, week or month.',
  },
  {
    measure: 'leadTime',
    title: 'Lead time for changes',
    help: 'First commit to running in production (median).',
  },
  {
    measure: 'changeFailureRate',
    title: 'Change failure rate',
    help: 'Share of deployments rolled back or causing an incident.',
  },
  {
    measure: 'recoveryTime',
    title: 'Recovery time',
    help: 'Failure start to service restored (median).',
  },
];

const DAY = 86_400_000;

/** Deployments per day as people say it: per day, per week or per month. */
export function formatFrequency(perDay: number): string {
  if (perDay >= 1) return `${round(perDay)} / day`;
  if (perDay * 7 >= 1) return `${round(perDay * 7)} / week`;
  return `${round(perDay * 30)} / month`;
}

function round(value: number): string {
  return value >= 10 ? String(Math.round(value)) : value.toFixed(1);
}

/** A rate of 0..1 as a percentage. */
export function formatRate(rate: number): string {
  const percent = rate * 100;
  return `${
    percent > 0 && percent < 1 ? percent.toFixed(1) : Math.round(percent)
  }%`;
}

/** A measure's value as text, or a dash without data. */
export function formatMeasure(
  measure: DoraMeasure,
  value: number | null,
): string {
  if (value === null) return '—';
  switch (measure) {
    case 'deploymentFrequency':
      return formatFrequency(value);
    case 'changeFailureRate':
      return formatRate(value);
    default:
      return formatDoraDuration(value);
  }
}

/** The level of a measure in a summary. */
export function levelOf(
  measures: DoraMeasures,
  measure: DoraMeasure,
): DoraLevel | null {
  switch (measure) {
    case 'deploymentFrequency':
      return measures.deploymentFrequencyLevel;
    case 'leadTime':
      return measures.leadTime.level;
    case 'changeFailureRate':
      return measures.changeFailureRate.level;
    default:
      return measures.recoveryTime.level;
  }
}

/** The p90, for the measures that have one. */
export function p90Of(
  measures: DoraMeasures,
  measure: DoraMeasure,
): number | null {
  if (measure === 'leadTime') return measures.leadTime.p90Ms;
  if (measure === 'recoveryTime') return measures.recoveryTime.p90Ms;
  return null;
}

/** The small print under a measure: what it was computed from. */
export function basisOf(measures: DoraMeasures, measure: DoraMeasure): string {
  switch (measure) {
    case 'deploymentFrequency':
      return `${measures.deployments} deployment${
        measures.deployments === 1 ? '' : 's'
      }`;
    case 'leadTime':
      return `${measures.leadTime.count} with a first commit`;
    case 'changeFailureRate':
      return `${measures.changeFailureRate.failures} of ${measures.changeFailureRate.deployments} failed`;
    default:
      return `${measures.recoveryTime.count} restored${
        measures.recoveryTime.open ? `, ${measures.recoveryTime.open} open` : ''
      }`;
  }
}

/** Why a deployment counts as failed, in words. */
export const RULE_LABEL: Record<FailureRule, string> = {
  'rolled-back': 'Rolled back',
  'linked-incident': 'Incident linked to it',
  'latest-release': 'Incident after it (latest release)',
};

/** One point per bucket of a measure, for a chart. */
export type TrendPoint = { time: number; value: number | null };

/** A measure's series, with null where a bucket has no value. */
export function trendOf(
  series: DoraResponse['series'],
  measure: DoraMeasure,
): TrendPoint[] {
  return series.map(bucket => ({
    time: Date.parse(bucket.start),
    value: doraValue(bucket.measures, measure),
  }));
}

/** The unit a trend's axis shows: frequency per week, durations in hours. */
export function chartValue(measure: DoraMeasure, value: number): number {
  switch (measure) {
    case 'deploymentFrequency':
      return value * 7;
    case 'changeFailureRate':
      return value * 100;
    default:
      return value / 3_600_000;
  }
}

/** The axis label of a measure's chart. */
export const CHART_UNIT: Record<DoraMeasure, string> = {
  deploymentFrequency: 'per week',
  leadTime: 'hours',
  changeFailureRate: '%',
  recoveryTime: 'hours',
};

/** A query's from, a number of days before now, as an ISO date-time. */
export function daysAgo(days: number, now: number = Date.now()): string {
  return new Date(now - days * DAY).toISOString();
}

/**
 * The last `weeks` complete weeks (Monday to Monday, UTC) before the week
 * of `now`: a trend whose points are all whole weeks.
 */
export function completeWeeks(
  weeks: number,
  now: number = Date.now(),
): { from: string; to: string } {
  const [current] = bucketsOf(now, now + 1, 'week');
  return {
    from: new Date(current.start - weeks * 7 * DAY).toISOString(),
    to: new Date(current.start).toISOString(),
  };
}

/** A DORA duration: to the minute from ten minutes up. */
export function formatDoraDuration(ms: number): string {
  return formatDuration(ms >= 600_000 ? Math.round(ms / 60_000) * 60_000 : ms);
}
