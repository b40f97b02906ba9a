import type {
  Analysis,
  AnalysisRule,
  MetricEvidence,
} from '@glidepath/backstage-plugin-common';
import { newestFirst } from './analyses';
import { formatExcess, formatObserved, RULE_ORDER, ruleLabel } from './format';

/** One evaluation on a rule's chart, in the chart's unit. */
export type ChartPoint = {
  /** When it was evaluated, in milliseconds since the epoch. */
  time: number;
  /**
   * What the judge tests: for error rate and health checks the canary's
   * ratio minus the baseline's (percentage points), for latency the share
   * of canary requests slower than the boundary (percent), for burn rates
   * the canary's burn rate (a multiple).
   */
  value: number | null;
  /** The value's confidence range, [lower, upper]; null for burn rates. */
  range: [number, number] | null;
  /** The limit the value is judged against. */
  limit: number | null;
};

/** How a chart's values read. */
export type ChartUnit = 'points' | 'percent' | 'multiple';

/** One rule's observations over the release, ready to draw. */
export type MetricChart = {
  rule: AnalysisRule;
  title: string;
  unit: ChartUnit;
  /** What the values are, with their unit. */
  unitLabel: string;
  /** The name of the value's series in the legend. */
  valueLabel: string;
  /** How to read the chart against the verdict, one sentence. */
  howToRead: string;
  /** Oldest first. */
  points: ChartPoint[];
  /** True when any point comes from a simulation. */
  simulated: boolean;
  /** The chart in words, for those who cannot see it. */
  summary: string;
};

/** The latency rule counts a canary too slow above 5% slow requests. */
const P95_TAIL = 0.05;

const RATE_HOW_TO_READ =
  'The judge waits while the shaded range crosses the limit: it passes once the whole range is below it and rolls back when the canary is clearly above it.';

const DESCRIPTIONS: Record<
  AnalysisRule,
  { unit: ChartUnit; unitLabel: string; valueLabel: string; howToRead: string }
> = {
  error_rate: {
    unit: 'points',
    unitLabel: "Canary error rate minus the baseline's, percentage points",
    valueLabel: 'Canary − baseline',
    howToRead: RATE_HOW_TO_READ,
  },
  health_checks: {
    unit: 'points',
    unitLabel:
      "Canary health checks failing minus the baseline's, percentage points",
    valueLabel: 'Canary − baseline',
    howToRead: RATE_HOW_TO_READ,
  },
  latency_p95: {
    unit: 'percent',
    unitLabel:
      'Percent of canary requests slower than the baseline p95 plus the limit',
    valueLabel: 'Canary requests that slow',
    howToRead: `A canary within the limit has at most 5% of its requests that slow. ${RATE_HOW_TO_READ}`,
  },
  burn_rate_fast: {
    unit: 'multiple',
    unitLabel: 'Canary error budget burn, multiple of the sustainable rate',
    valueLabel: 'Canary burn rate',
    howToRead:
      'Rolled back when the canary burns the budget faster than the threshold over both windows, and faster than the baseline.',
  },
  burn_rate_slow: {
    unit: 'multiple',
    unitLabel: 'Canary error budget burn, multiple of the sustainable rate',
    valueLabel: 'Canary burn rate',
    howToRead:
      'Rolled back when the canary burns the budget faster than the threshold over both windows, and faster than the baseline.',
  },
};

function finite(value: number | null): value is number {
  return value !== null && Number.isFinite(value);
}

/**
 * One evaluation as its rule's chart draws it: what the judge tested, with
 * its confidence range, against the limit (see `ChartPoint`).
 */
export function chartPoint(time: number, metric: MetricEvidence): ChartPoint {
  if (metric.unit === 'burn_rate') {
    return {
      time,
      value: finite(metric.canary.observed) ? metric.canary.observed : null,
      range: null,
      limit: metric.threshold,
    };
  }
  // Latency tests the share of slow canary requests against 5%.
  const offset = metric.rule === 'latency_p95' ? P95_TAIL : 0;
  const limit = metric.rule === 'latency_p95' ? P95_TAIL : metric.threshold;
  const percent = (value: number) =>
    Number(((value + offset) * 100).toPrecision(12));
  return {
    time,
    value: finite(metric.estimate) ? percent(metric.estimate) : null,
    range:
      finite(metric.lowerBound) && finite(metric.upperBound)
        ? [percent(metric.lowerBound), percent(metric.upperBound)]
        : null,
    limit: Number((limit * 100).toPrecision(12)),
  };
}

/** A chart's value in its unit ("+6.55 pp", "7.04%", "14.4x"). */
export function formatChartValue(value: number, unit: ChartUnit): string {
  switch (unit) {
    case 'points':
      return formatExcess(value / 100);
    case 'percent':
      return formatObserved(value / 100, 'ratio');
    default:
      return formatObserved(value, 'burn_rate');
  }
}

/** An axis tick: as few digits as the tick needs ("+3 pp", "0.5%", "6x"). */
export function formatChartTick(value: number, unit: ChartUnit): string {
  const short = Number(value.toFixed(2)).toLocaleString('en-US');
  switch (unit) {
    case 'points':
      return `${value > 0 ? '+' : ''}${short} pp`;
    case 'percent':
      return `${short}%`;
    default:
      return `${short}x`;
  }
}

function chartSummary(
  title: string,
  unit: ChartUnit,
  points: ChartPoint[],
): string {
  const count = `${points.length} ${
    points.length === 1 ? 'evaluation' : 'evaluations'
  }`;
  const last = points[points.length - 1];
  const format = (value: number | null) =>
    value === null ? 'no data' : formatChartValue(value, unit);
  const range = last.range
    ? ` (range ${format(last.range[0])} to ${format(last.range[1])})`
    : '';
  return `${title}, ${count}: latest ${format(
    last.value,
  )}${range} against a limit of ${format(last.limit)}.`;
}

/**
 * A chart for each rule present in the analyses, in display order: what the
 * judge decided on over time (the canary's excess with its confidence range,
 * or a burn rate) against the policy's limit, so that a reader sees why it
 * waits, passes or rolls back.
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
    const title = ruleLabel(rule);
    const description = DESCRIPTIONS[rule];
    const points = entries.map(({ analysis, metric }) =>
      chartPoint(Date.parse(analysis.evaluatedAt), metric),
    );
    return {
      rule,
      title,
      ...description,
      points,
      simulated: entries.some(({ analysis }) => analysis.simulated),
      summary: chartSummary(title, description.unit, points),
    };
  });
}
