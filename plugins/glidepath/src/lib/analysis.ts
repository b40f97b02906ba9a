import type {
  Analysis,
  AnalysisDecision,
  AnalysisRule,
  ArmEvidence,
  MetricEvidence,
  ProviderAnalysisMetric,
  Release,
  ReleaseAction,
  ReleaseDetail,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import { isTerminalPhase } from '@glidepath/backstage-plugin-common';

/** The unit a rule measures in: an error ratio, seconds, a burn rate. */
export type MetricUnit = MetricEvidence['unit'];

/** The rules in the order they are shown. */
export const RULE_ORDER: readonly AnalysisRule[] = [
  'error_rate',
  'latency_p95',
  'health_checks',
  'burn_rate_fast',
  'burn_rate_slow',
];

const RULE_LABELS: Record<AnalysisRule, string> = {
  error_rate: 'Error rate',
  latency_p95: 'p95 latency',
  health_checks: 'Health checks',
  burn_rate_fast: 'Error budget burn (1 h / 5 min)',
  burn_rate_slow: 'Error budget burn (6 h / 30 min)',
};

/** A rule as people say it ("Error rate", "Error budget burn (1 h / 5 min)"). */
export function ruleLabel(rule: AnalysisRule): string {
  return RULE_LABELS[rule] ?? rule;
}

const VERDICT_LABELS: Record<Verdict, string> = {
  pass: 'Pass',
  fail: 'Fail',
  inconclusive: 'Inconclusive',
  no_data: 'No data',
};

/** A verdict as a label ("No data"). */
export function verdictLabel(verdict: Verdict): string {
  return VERDICT_LABELS[verdict] ?? verdict;
}

const DECISION_LABELS: Record<AnalysisDecision, string> = {
  continue: 'Continue',
  promote: 'Promote',
  rollback: 'Roll back',
  hold: 'Hold',
  escalate: 'Escalate',
};

/** A decision as a label ("Roll back"). */
export function decisionLabel(decision: AnalysisDecision): string {
  return DECISION_LABELS[decision] ?? decision;
}

/** Hold and escalate: the engine could not judge and did not move on. */
export function isStalledDecision(decision: AnalysisDecision): boolean {
  return decision === 'hold' || decision === 'escalate';
}

/** Drops the zeros a fixed-point number ends in ("4.0" is "4"). */
function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/**
 * A rule's measure in its unit: an error ratio as a percentage with two
 * decimals ("7.04%"), seconds as milliseconds ("231 ms"), a burn rate as a
 * multiple ("14.4x", "0.35x"); "no data" without a value.
 */
export function formatObserved(value: number | null, unit: MetricUnit): string {
  if (value === null || !Number.isFinite(value)) {
    return 'no data';
  }
  switch (unit) {
    case 'seconds': {
      const ms = value * 1000;
      return Math.abs(ms) >= 10
        ? `${Math.round(ms).toLocaleString('en-US')} ms`
        : `${trimZeros(ms.toFixed(1))} ms`;
    }
    case 'burn_rate':
      return `${
        value === 0 || Math.abs(value) >= 1
          ? value.toFixed(1)
          : trimZeros(value.toFixed(2))
      }x`;
    case 'ratio':
    default:
      return `${(value * 100).toFixed(2)}%`;
  }
}

/** A difference of ratios in percentage points, signed ("+6.55"). */
function signedPoints(difference: number): string {
  const points = difference * 100;
  const size = Math.abs(points);
  const digits =
    size === 0 || size >= 0.01 ? points.toFixed(2) : points.toPrecision(2);
  return points > 0 ? `+${digits}` : digits;
}

/**
 * The canary's excess (a difference of ratios, whatever the rule's unit) in
 * percentage points ("+6.55 pp"); "—" without a value.
 */
export function formatExcess(difference: number | null): string {
  return difference === null || !Number.isFinite(difference)
    ? '—'
    : `${signedPoints(difference)} pp`;
}

/** The excess's confidence bounds ("+3.72 to +9.38 pp"). */
export function formatBounds(
  lower: number | null,
  upper: number | null,
): string {
  if (
    lower === null ||
    upper === null ||
    !Number.isFinite(lower) ||
    !Number.isFinite(upper)
  ) {
    return 'no bounds yet';
  }
  return `${signedPoints(lower)} to ${signedPoints(upper)} pp`;
}

/**
 * An e-value: three significant digits below 10,000 ("4000", "3.21"),
 * scientific notation above ("1.2e5"); "—" without a value.
 */
export function formatEValue(value: number | null): string {
  if (value === null || Number.isNaN(value)) {
    return '—';
  }
  if (!Number.isFinite(value)) {
    return '∞';
  }
  if (Math.abs(value) < 10_000) {
    return String(Number(value.toPrecision(3)));
  }
  return value.toExponential(1).replace('e+', 'e');
}

/**
 * The policy's threshold in the rule's unit: over the baseline for error
 * and failure ratios ("+1.00 pp over the baseline") and latency ("+500 ms
 * over the baseline p95"), absolute for burn rates ("14.4x").
 */
export function formatThreshold(
  metric: Pick<MetricEvidence, 'unit' | 'threshold'>,
): string {
  switch (metric.unit) {
    case 'seconds':
      return `+${formatObserved(
        metric.threshold,
        'seconds',
      )} over the baseline p95`;
    case 'burn_rate':
      return formatObserved(metric.threshold, 'burn_rate');
    case 'ratio':
    default:
      return `${signedPoints(metric.threshold)} pp over the baseline`;
  }
}

/** A count as people read it ("3,911"). */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

function counted(count: number, singular: string, plural: string): string {
  return `${formatCount(count)} ${Math.round(count) === 1 ? singular : plural}`;
}

/**
 * What one side served, as the rule counts it ("29 of 412 requests failed",
 * "37 of 412 requests slower than 812 ms", "2 of 120 health checks failed").
 */
export function formatArmCounts(
  metric: Pick<MetricEvidence, 'rule' | 'boundarySeconds'>,
  arm: ArmEvidence,
): string {
  const events = formatCount(arm.events);
  switch (metric.rule) {
    case 'latency_p95':
      return `${events} of ${counted(
        arm.trials,
        'request',
        'requests',
      )} slower than ${
        metric.boundarySeconds === null
          ? 'the boundary'
          : formatObserved(metric.boundarySeconds, 'seconds')
      }`;
    case 'health_checks':
      return `${events} of ${counted(
        arm.trials,
        'health check',
        'health checks',
      )} failed`;
    default:
      return `${events} of ${counted(
        arm.trials,
        'request',
        'requests',
      )} failed`;
  }
}

/** The analyses, newest first. */
export function newestFirst(analyses: readonly Analysis[]): Analysis[] {
  return [...analyses].sort(
    (a, b) => Date.parse(b.evaluatedAt) - Date.parse(a.evaluatedAt),
  );
}

/** The newest analysis, if any. */
export function latestAnalysis(
  analyses: readonly Analysis[],
): Analysis | undefined {
  return newestFirst(analyses)[0];
}

function byRuleOrder(a: MetricEvidence, b: MetricEvidence): number {
  return RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule);
}

/** The rules an analysis failed on, in display order. */
export function failingEvidence(analysis: Analysis): MetricEvidence[] {
  return analysis.metrics
    .filter(metric => metric.verdict === 'fail')
    .sort(byRuleOrder);
}

/** A rollback Glidepath's policy decided, with its reason and evidence. */
export type AutomaticRollback = {
  /** Why, in one plain sentence with the evidence (the backend's words). */
  reason: string;
  /** The analysis that decided it, when it is among those loaded. */
  analysis?: Analysis;
  /** The rollback action the policy requested, when known. */
  action?: ReleaseAction;
  /** The rules that failed. */
  evidence: MetricEvidence[];
};

/**
 * The release's automatic rollback, if it had one: the analysis that
 * requested the policy's rollback action, or else the newest analysis that
 * decided to roll back (a rollback action the policy requested still counts
 * when its analysis is not among those loaded). None once a later analysis
 * let the canary go on (the release was retried).
 */
export function findAutomaticRollback(
  detail: Pick<ReleaseDetail, 'analyses' | 'actions'>,
): AutomaticRollback | undefined {
  const analyses = newestFirst(detail.analyses);
  const policyAction = [...detail.actions]
    .filter(a => a.action === 'rollback' && a.requestedBy.kind === 'policy')
    .sort((a, b) => Date.parse(b.requestedAt) - Date.parse(a.requestedAt))[0];
  const analysis =
    (policyAction && analyses.find(a => a.actionId === policyAction.id)) ||
    analyses.find(a => a.decision === 'rollback');
  if (!analysis && !policyAction) {
    return undefined;
  }
  const since = analysis
    ? Date.parse(analysis.evaluatedAt)
    : Date.parse(policyAction!.requestedAt);
  const wentOn = analyses.some(
    a =>
      Date.parse(a.evaluatedAt) > since &&
      (a.decision === 'continue' || a.decision === 'promote'),
  );
  if (wentOn) {
    return undefined;
  }
  return {
    reason: analysis?.reason ?? policyAction!.reason,
    analysis,
    action:
      policyAction ??
      (analysis?.actionId
        ? detail.actions.find(a => a.id === analysis.actionId)
        : undefined),
    evidence: analysis ? failingEvidence(analysis) : [],
  };
}

/** One side of a rule's evidence, formatted. */
export type ArmRow = { observed: string; counts: string };

/** One rule's evidence as the evidence table shows it. */
export type EvidenceRow = {
  rule: AnalysisRule;
  label: string;
  verdict: Verdict;
  summary: string;
  canary: ArmRow;
  baseline: ArmRow;
  /** The canary's excess ("+6.55 pp"). */
  excess: string;
  /** Its anytime-valid confidence bounds ("+3.72 to +9.38 pp"). */
  bounds: string;
  /** The excess the policy tolerates ("+1.00 pp"). */
  tolerated: string;
  eValue: string;
  eValueThreshold: string;
  /** The policy's threshold in the rule's unit. */
  threshold: string;
};

/** A rule's evidence, every number formatted in its unit. */
export function evidenceRow(metric: MetricEvidence): EvidenceRow {
  const arm = (side: ArmEvidence): ArmRow => ({
    observed: formatObserved(side.observed, metric.unit),
    counts: formatArmCounts(metric, side),
  });
  return {
    rule: metric.rule,
    label: ruleLabel(metric.rule),
    verdict: metric.verdict,
    summary: metric.summary,
    canary: arm(metric.canary),
    baseline: arm(metric.baseline),
    excess: formatExcess(metric.estimate),
    bounds: formatBounds(metric.lowerBound, metric.upperBound),
    tolerated: formatExcess(metric.limit),
    eValue: formatEValue(metric.eValue),
    eValueThreshold: formatEValue(metric.eValueThreshold),
    threshold: formatThreshold(metric),
  };
}

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

/**
 * Why a release has no analysis: blue-green releases have no canary traffic
 * to judge; other releases are judged once their canary takes traffic.
 */
export function noAnalysisMessage(
  release: Pick<Release, 'strategy' | 'phase'>,
): string {
  if (release.strategy === 'blue_green') {
    return 'Glidepath does not analyse blue-green releases: traffic switches all at once, so there is no canary traffic to compare with the baseline.';
  }
  // A release that ended without an evaluation (before Glidepath watched
  // it, or without canary traffic) will never get one.
  return isTerminalPhase(release.phase)
    ? 'Glidepath did not judge this release: it ended without an evaluation of its canary.'
    : 'No analysis yet: Glidepath judges a canary once it takes traffic.';
}

/** How many measurements of a provider's metric to show (the latest). */
export const PROVIDER_MEASUREMENTS_SHOWN = 5;

/** A provider's analysis metric as a table row. */
export type ProviderMetricRow = {
  name: string;
  verdict: Verdict | null;
  /** The provider's phase, shown while there is no verdict. */
  phase: string;
  /** "3 measurements: 2 successful, 1 failed". */
  counts: string;
  /** "passes when result[0] >= 0.95; fails after 1 failed (limit 0)". */
  condition: string;
  message: string | null;
  /** The latest measurements, oldest first. */
  latest: Array<{ value: string; verdict: Verdict | null; at: string | null }>;
  /** How many earlier measurements are not shown. */
  earlier: number;
};

/** A provider's analysis metric in words, for the table of its runs. */
export function providerMetricRow(
  metric: ProviderAnalysisMetric,
): ProviderMetricRow {
  const parts = (
    [
      [metric.successful, 'successful'],
      [metric.failed, 'failed'],
      [metric.inconclusive, 'inconclusive'],
      [metric.error, 'errored'],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, word]) => `${n} ${word}`);
  const counts = `${counted(metric.count, 'measurement', 'measurements')}${
    parts.length > 0 ? `: ${parts.join(', ')}` : ''
  }`;
  const conditions: string[] = [];
  if (metric.successCondition) {
    conditions.push(`passes when ${metric.successCondition}`);
  }
  if (metric.failureCondition) {
    conditions.push(`fails when ${metric.failureCondition}`);
  }
  if (metric.failureLimit !== null) {
    conditions.push(
      `fails after more than ${counted(
        metric.failureLimit,
        'failed measurement',
        'failed measurements',
      )}`,
    );
  }
  const shown = metric.measurements.slice(-PROVIDER_MEASUREMENTS_SHOWN);
  return {
    name: metric.name,
    verdict: metric.verdict,
    phase: metric.phase,
    counts,
    condition: conditions.length > 0 ? conditions.join('; ') : '—',
    message: metric.message,
    latest: shown.map(m => ({
      value: m.value ?? m.phase,
      verdict: m.verdict,
      at: m.finishedAt ?? m.startedAt,
    })),
    earlier: metric.measurements.length - shown.length,
  };
}
