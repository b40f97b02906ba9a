import type {
  Analysis,
  AnalysisDecision,
  MetricEvidence,
  Release,
  ReleaseAction,
  ReleaseDetail,
} from '@glidepath/backstage-plugin-common';
import { isTerminalPhase } from '@glidepath/backstage-plugin-common';
import { RULE_ORDER } from './format';

/** Hold and escalate: the engine could not judge and did not move on. */
export function isStalledDecision(decision: AnalysisDecision): boolean {
  return decision === 'hold' || decision === 'escalate';
}

/**
 * Why the engine has not decided yet, for a title in plain words: the
 * canary is in its warm-up (the judged range starts after the evaluation:
 * nothing was judged), or the engine escalated (paused the release and told
 * its owners). Null otherwise.
 */
export function waitingReason(
  analysis: Pick<Analysis, 'decision' | 'from' | 'to' | 'verdict'>,
): { kind: 'warming_up'; judgingFrom: string } | { kind: 'escalated' } | null {
  if (analysis.decision === 'escalate') return { kind: 'escalated' };
  if (
    analysis.decision === 'continue' &&
    Date.parse(analysis.from) > Date.parse(analysis.to)
  ) {
    return { kind: 'warming_up', judgingFrom: analysis.from };
  }
  return null;
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
