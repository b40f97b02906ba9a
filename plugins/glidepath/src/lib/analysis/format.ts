import type {
  AnalysisDecision,
  AnalysisRule,
  ArmEvidence,
  MetricEvidence,
  Verdict,
} from '@glidepath/backstage-plugin-common';

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

/** A count with its noun ("1 request", "3,911 requests"). */
export function counted(
  count: number,
  singular: string,
  plural: string,
): string {
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
