import type {
  Analysis,
  AnalysisRule,
  MetricEvidence,
} from '@glidepath/backstage-plugin-common';
import { newestFirst } from './analyses';
import { formatObserved, MetricUnit, RULE_ORDER, ruleLabel } from './format';

/** One evaluation on a rule's chart, in the chart's unit. */
export type ChartPoint = {
  /** When it was evaluated, in milliseconds since the epoch. */
  time: number;
  canary: number | null;
  baseline: number | null;
  /** The baseline plus the policy's threshold, where that is the limit. */
  limit: number | null;
};

/** One rule's observations over the release, ready to draw. */
export type MetricChart = {
  rule: AnalysisRule;
  title: string;
  unit: MetricUnit;
  /** What the values are, with their unit ("Percent of requests failed"). */
  unitLabel: string;
  /** Oldest first. */
  points: ChartPoint[];
  /** True when `limit` is drawn as a "Baseline + limit" series. */
  limitSeries: boolean;
  /** A fixed threshold to draw across the chart (burn rates). */
  referenceLine: { value: number; label: string } | null;
  /** True when any point comes from a simulation. */
  simulated: boolean;
  /** The chart in words, for those who cannot see it. */
  summary: string;
};

const UNIT_LABELS: Record<AnalysisRule, string> = {
  error_rate: 'Percent of requests failed',
  latency_p95: '95th percentile, milliseconds',
  health_checks: 'Percent of health checks failed',
  burn_rate_fast: 'Multiple of the sustainable burn rate',
  burn_rate_slow: 'Multiple of the sustainable burn rate',
};

/** A value in the rule's unit as the chart draws it (percent, ms, x). */
export function toChartValue(
  value: number | null,
  unit: MetricUnit,
): number | null {
  if (value === null || !Number.isFinite(value)) {
    return null;
  }
  switch (unit) {
    case 'ratio':
      return Number((value * 100).toPrecision(12));
    case 'seconds':
      return Number((value * 1000).toPrecision(12));
    default:
      return value;
  }
}

/** A chart's value formatted as its rule's measure ("7.04%", "231 ms"). */
export function formatChartValue(value: number, unit: MetricUnit): string {
  switch (unit) {
    case 'ratio':
      return formatObserved(value / 100, unit);
    case 'seconds':
      return formatObserved(value / 1000, unit);
    default:
      return formatObserved(value, unit);
  }
}

/**
 * The limit a rule compares the canary's measure with, where it depends on
 * the baseline: the baseline's ratio plus the threshold, or for latency the
 * slow-request boundary (the baseline's p95 plus the threshold).
 */
function limitOf(metric: MetricEvidence): number | null {
  if (metric.unit === 'burn_rate') {
    return null;
  }
  if (metric.unit === 'seconds' && metric.boundarySeconds !== null) {
    return metric.boundarySeconds;
  }
  return metric.baseline.observed === null
    ? null
    : metric.baseline.observed + metric.threshold;
}

function chartSummary(
  title: string,
  unit: MetricUnit,
  series: MetricEvidence[],
): string {
  const count = `${series.length} ${
    series.length === 1 ? 'evaluation' : 'evaluations'
  }`;
  const last = series[series.length - 1];
  const parts = [
    `latest canary ${formatObserved(last.canary.observed, unit)}`,
    `baseline ${formatObserved(last.baseline.observed, unit)}`,
  ];
  if (unit === 'burn_rate') {
    parts.push(`threshold ${formatObserved(last.threshold, unit)}`);
  } else {
    parts.push(`baseline + limit ${formatObserved(limitOf(last), unit)}`);
  }
  const canary = series
    .map(metric => metric.canary.observed)
    .filter((value): value is number => value !== null);
  const range =
    canary.length > 1
      ? ` Canary ranged from ${formatObserved(
          Math.min(...canary),
          unit,
        )} to ${formatObserved(Math.max(...canary), unit)}.`
      : '';
  return `${title}, ${count}: ${parts.join(', ')}.${range}`;
}

/**
 * A chart for each rule present in the analyses, in display order: canary
 * and baseline measures over time, with the limit drawn where it means
 * something (the baseline plus the threshold, or a burn rate threshold).
 */
export function buildMetricCharts(
  analyses: readonly Analysis[],
): MetricChart[] {
  const oldestFirst = newestFirst(analyses).reverse();
  const byRule = new Map<
    AnalysisRule,
    { analysis: Analysis; metric: MetricEvidence }[]
  >();
  for (const analysis of oldestFirst) {
    for (const metric of analysis.metrics) {
      const entries = byRule.get(metric.rule) ?? [];
      entries.push({ analysis, metric });
      byRule.set(metric.rule, entries);
    }
  }
  const rules = [...byRule.keys()].sort(
    (a, b) => RULE_ORDER.indexOf(a) - RULE_ORDER.indexOf(b),
  );
  return rules.map(rule => {
    const entries = byRule.get(rule)!;
    const last = entries[entries.length - 1].metric;
    const unit = last.unit;
    const title = ruleLabel(rule);
    return {
      rule,
      title,
      unit,
      unitLabel: UNIT_LABELS[rule] ?? unit,
      points: entries.map(({ analysis, metric }) => ({
        time: Date.parse(analysis.evaluatedAt),
        canary: toChartValue(metric.canary.observed, unit),
        baseline: toChartValue(metric.baseline.observed, unit),
        limit: toChartValue(limitOf(metric), unit),
      })),
      limitSeries: unit !== 'burn_rate',
      referenceLine:
        unit === 'burn_rate'
          ? {
              value: last.threshold,
              label: `Threshold ${formatObserved(last.threshold, unit)}`,
            }
          : null,
      simulated: entries.some(({ analysis }) => analysis.simulated),
      summary: chartSummary(
        title,
        unit,
        entries.map(entry => entry.metric),
      ),
    };
  });
}
