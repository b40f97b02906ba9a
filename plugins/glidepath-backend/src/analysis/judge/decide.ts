import {
  AnalysisDecision,
  awaitsPromotion,
  ChecklistGate,
  checklistRefusal,
  MetricEvidence,
  Release,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import type { Judgement } from './judge';
import type { JudgePolicy } from './policy';

/** What the engine could read for a release. */
export type MetricsOutcome =
  | { status: 'ok'; judgement: Judgement }
  | { status: 'no_data' | 'stale' | 'outage'; reason: string }
  /**
   * The canary is in its warm-up: the policy's rules judge it from `until`;
   * meanwhile `judgement` (see `judgeWarmup`), when the counts since the
   * canary started could be read, fails it only for a gross failure.
   */
  | { status: 'warming_up'; until: Date; judgement?: Judgement };

/** The decision about one release, with its reason in one sentence. */
export type Decision = {
  verdict: Verdict;
  decision: AnalysisDecision;
  reason: string;
  metrics: MetricEvidence[];
};

const RULE_NAMES: Record<MetricEvidence['rule'], string> = {
  error_rate: 'error rate',
  latency_p95: 'p95 latency',
  health_checks: 'health checks',
  burn_rate_fast: 'error budget burn (1 h / 5 min)',
  burn_rate_slow: 'error budget burn (6 h / 30 min)',
};

const OUTCOME_TEXT = {
  no_data: 'no metrics',
  stale: 'stale metrics',
  outage: 'the metrics provider failed',
} as const;

/**
 * Decides what to do about a release after judging it: wait while the
 * canary warms up, unless it fails grossly meanwhile; roll back when a rule failed; hold when there is nothing
 * to judge (never roll back or promote without data); promote when the
 * canary passed and the release waits for a promotion; otherwise keep
 * watching. Holding and watching without enough evidence are both time
 * without a decision: once it has lasted the policy's deadline, escalate,
 * so that a canary too quiet to judge does not wait silently (the engine
 * pauses a release held without data and notifies its owners; for want of
 * evidence it only notifies them, and judges on).
 *
 * `holdingSince` is when the current run of analyses without a decision
 * (holds, escalations, inconclusive verdicts) began, null when the last
 * analysis decided; `escalated` whether that run already escalated. The
 * warm-up never counts.
 * `checklist` is the gate of the release's checklist: a promote it refuses
 * becomes "keep watching", with the checklist's reason.
 */
export function decide(options: {
  outcome: MetricsOutcome;
  release: Release;
  policy: JudgePolicy;
  now: Date;
  holdingSince: Date | null;
  escalated: boolean;
  checklist?: ChecklistGate;
}): Decision {
  const { outcome, release, policy, now } = options;
  if (
    outcome.status === 'warming_up' &&
    outcome.judgement?.verdict === 'fail'
  ) {
    const failing = outcome.judgement.metrics.filter(m => m.verdict === 'fail');
    return {
      verdict: 'fail',
      decision: 'rollback',
      reason: `Rolled back ${
        release.version
      } automatically during its warm-up under the "${
        policy.name
      }" policy, which judges only failures no warm-up shows until then: ${failing
        .map(m => m.summary)
        .join(' ')}`,
      metrics: outcome.judgement.metrics,
    };
  }
  if (outcome.status === 'warming_up') {
    return {
      verdict: 'inconclusive',
      decision: 'continue',
      reason: `Canary ${release.version} is warming up: the "${
        policy.name
      }" policy judges it from ${formatMinutes(
        policy.warmupSeconds * 1000,
      )} after it started, so that errors and slowness while new pods start do not roll it back. Judging starts in ${formatMinutes(
        Math.max(0, outcome.until.getTime() - now.getTime()),
      )}.`,
      metrics: [],
    };
  }
  const judgement = outcome.status === 'ok' ? outcome.judgement : undefined;
  const metrics = judgement?.metrics ?? [];
  // Time without a decision, from the end of the warm-up at the earliest.
  const warmedUp = new Date(
    new Date(release.startedAt).getTime() + policy.warmupSeconds * 1000,
  );
  const undecidedSince = new Date(
    Math.max(
      (options.holdingSince ?? now).getTime(),
      Number.isNaN(warmedUp.getTime()) ? 0 : warmedUp.getTime(),
    ),
  );
  const undecidedMs = Math.max(0, now.getTime() - undecidedSince.getTime());

  if (judgement?.verdict === 'fail') {
    const failing = metrics.filter(m => m.verdict === 'fail');
    return {
      verdict: 'fail',
      decision: 'rollback',
      reason: `Rolled back ${release.version} automatically under the "${
        policy.name
      }" policy: ${failing.map(m => m.summary).join(' ')}`,
      metrics,
    };
  }

  let holdReason: string | undefined;
  if (outcome.status !== 'ok') {
    holdReason = `${OUTCOME_TEXT[outcome.status]}: ${outcome.reason}`;
  } else if (judgement?.verdict === 'no_data') {
    holdReason =
      judgement.metrics.length && !(metrics[0].canary.trials > 0)
        ? 'the canary has served no requests yet'
        : 'the canary or the baseline has served no requests';
  }
  if (holdReason !== undefined) {
    const heldMs = undecidedMs;
    if (!options.escalated && heldMs >= policy.holdDeadlineMs) {
      return {
        verdict: 'no_data',
        decision: 'escalate',
        reason: `Held ${release.version} for ${formatMinutes(
          heldMs,
        )} without usable metrics (${holdReason}): paused the release and notified its owners. Glidepath never rolls back or promotes without data.`,
        metrics,
      };
    }
    return {
      verdict: 'no_data',
      decision: 'hold',
      reason: `Holding ${
        release.version
      }: ${holdReason}. Glidepath never rolls back or promotes without data${
        options.escalated
          ? '; the owners were notified and the release was paused.'
          : `; it escalates after ${formatMinutes(policy.holdDeadlineMs)}.`
      }`,
      metrics,
    };
  }

  const verdict = judgement!.verdict;
  const held =
    verdict === 'pass' && awaitsPromotion(release)
      ? checklistRefusal(release, 'promote', options.checklist)
      : undefined;
  if (held) {
    return {
      verdict,
      decision: 'continue',
      reason: `Canary ${release.version} passed every rule of the "${policy.name}" policy and is not promoted yet. ${held}.`,
      metrics,
    };
  }
  if (verdict === 'pass' && awaitsPromotion(release)) {
    return {
      verdict,
      decision: 'promote',
      reason: `Promoted ${release.version} past step ${
        release.currentStepIndex! + 1
      }: every rule of the "${policy.name}" policy passed. ${metrics
        .map(m => m.summary)
        .join(' ')}`,
      metrics,
    };
  }
  const names = (list: MetricEvidence[]) =>
    list.map(m => RULE_NAMES[m.rule]).join(', ');
  const open = metrics.filter(m => m.verdict !== 'pass');
  const passed = metrics.filter(m => m.verdict === 'pass');
  if (
    verdict !== 'pass' &&
    !options.escalated &&
    undecidedMs >= policy.holdDeadlineMs
  ) {
    const served = judgement!.metrics[0]?.canary.trials;
    return {
      verdict,
      decision: 'escalate',
      reason: `No decision about canary ${
        release.version
      } after ${formatMinutes(
        undecidedMs,
      )}: not enough evidence either way on ${names(open)}${
        served !== undefined
          ? ` (the canary has served ${served.toLocaleString(
              'en-US',
            )} requests since its warm-up)`
          : ''
      }. Notified its owners, who may roll it back or wait; Glidepath keeps judging it: it rolls the canary back if a rule fails and promotes it once every rule passes.`,
      metrics,
    };
  }
  let reason = `Canary ${release.version} is within the "${policy.name}" policy on every rule.`;
  if (verdict !== 'pass') {
    reason = `Watching canary ${
      release.version
    }: not enough evidence yet on ${names(open)}${
      passed.length ? `; within the policy on ${names(passed)}` : ''
    }${
      options.escalated
        ? '. Its owners were notified that it could not decide.'
        : `. Without a decision, its owners are notified after ${formatMinutes(
            policy.holdDeadlineMs,
          )}.`
    }`;
  }
  return { verdict, decision: 'continue', reason, metrics };
}

function formatMinutes(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
}
