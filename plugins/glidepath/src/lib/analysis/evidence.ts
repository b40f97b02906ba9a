import type {
  AnalysisRule,
  ArmEvidence,
  MetricEvidence,
  ProviderAnalysisMetric,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import {
  counted,
  formatArmCounts,
  formatBounds,
  formatEValue,
  formatExcess,
  formatObserved,
  formatThreshold,
  ruleLabel,
} from './format';

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
