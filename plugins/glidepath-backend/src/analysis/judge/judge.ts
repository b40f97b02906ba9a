/*
 * The verdict: which rules apply, how the false-rollback budget is shared
 * between them, each rule judged on the counts since the canary started and
 * on the recent window, and the one verdict from their evidence.
 */
import type {
  AnalysisRule,
  MetricEvidence,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import { formatWindow } from './format';
import type { ArmPair, JudgeInput } from './input';
import type { JudgePolicy } from './policy';
import {
  judgeBurnRate,
  judgeErrorRate,
  judgeHealthChecks,
  judgeLatency,
} from './rules';

/** The judge's verdict with the evidence of each rule that applies. */
export type Judgement = {
  verdict: Verdict;
  metrics: MetricEvidence[];
};

/** The rules of `policy` that apply to this input, in a fixed order. */
function applicableRules(
  input: JudgeInput,
  policy: JudgePolicy,
): Array<AnalysisRule> {
  const rules: AnalysisRule[] = [];
  if (policy.errorRate.enabled) rules.push('error_rate');
  if (
    policy.latency.enabled &&
    input.canary.latencyBuckets.length > 0 &&
    input.baseline.latencyBuckets.length > 0
  ) {
    rules.push('latency_p95');
  }
  if (
    policy.healthChecks.enabled &&
    input.canary.healthChecks &&
    input.baseline.healthChecks
  ) {
    rules.push('health_checks');
  }
  if (policy.burnRate.enabled && input.sloPercent !== undefined) {
    for (const window of policy.burnRate.windows) rules.push(window.rule);
  }
  return rules;
}

/**
 * How the false-rollback budget is shared between the rules that apply: the
 * error rate and latency, the triggers that matter most, get the largest
 * shares (a share is a fixed part of the budget, so the split stays valid).
 */
export const RULE_WEIGHTS: Record<AnalysisRule, number> = {
  error_rate: 4,
  latency_p95: 3,
  health_checks: 1,
  burn_rate_fast: 1,
  burn_rate_slow: 1,
};

/**
 * Judges a canary against its baseline under `policy`: each rule that
 * applies gives pass, fail, inconclusive or no data with its evidence, and
 * the verdict is fail if any rule fails, no data if the canary or the
 * baseline served nothing, pass if every rule passes, inconclusive otherwise.
 *
 * Pure: the same input and policy always give the same judgement.
 */
export function judgeCanary(input: JudgeInput, policy: JudgePolicy): Judgement {
  const rules = applicableRules(input, policy);
  const weights = rules.reduce((sum, rule) => sum + RULE_WEIGHTS[rule], 0);
  const metrics = rules.map(rule => {
    const alpha = (policy.falseRollbackBudget * RULE_WEIGHTS[rule]) / weights;
    switch (rule) {
      case 'error_rate':
        return withRecent(judgeErrorRate, input, policy, alpha);
      case 'latency_p95':
        return withRecent(judgeLatency, input, policy, alpha);
      case 'health_checks':
        return withRecent(judgeHealthChecks, input, policy, alpha);
      default:
        return judgeBurnRate(
          input,
          policy,
          policy.burnRate.windows.find(w => w.rule === rule)!,
          alpha,
        );
    }
  });
  return { verdict: overallVerdict(input, metrics), metrics };
}

/** The part of a rule's budget for the counts since the canary started. */
const OVERALL_SHARE = 0.75;

/**
 * A rule judged twice: on the counts since the canary started, with three
 * quarters of its share of the budget, and on the counts of the current
 * recent window, window k getting (the other quarter) x 6 / (pi^2 k^2), so
 * that every window of the run together stays within that quarter. The
 * recent test catches a regression that begins late; the overall one is the
 * more sensitive.
 */
function withRecent(
  rule: (
    counts: ArmPair,
    policy: JudgePolicy,
    alpha: number,
    recent: boolean,
  ) => MetricEvidence,
  input: JudgeInput,
  policy: JudgePolicy,
  alpha: number,
): MetricEvidence {
  const overall = rule(input, policy, alpha * OVERALL_SHARE, false);
  const recent = input.recent;
  if (!recent || overall.verdict === 'fail') return overall;
  const windowAlpha =
    (alpha * (1 - OVERALL_SHARE) * 6) / (Math.PI ** 2 * recent.index ** 2);
  const late = rule(recent, policy, windowAlpha, true);
  if (late.verdict !== 'fail') return overall;
  return {
    ...late,
    summary: `Since ${formatWindow(
      policy.recentWindowSeconds * recent.index,
    )} into the canary: ${late.summary}`,
  };
}

function overallVerdict(input: JudgeInput, metrics: MetricEvidence[]): Verdict {
  if (metrics.some(m => m.verdict === 'fail')) return 'fail';
  if (!(input.canary.requests > 0) || !(input.baseline.requests > 0)) {
    return 'no_data';
  }
  if (metrics.length > 0 && metrics.every(m => m.verdict === 'pass')) {
    return 'pass';
  }
  return 'inconclusive';
}
