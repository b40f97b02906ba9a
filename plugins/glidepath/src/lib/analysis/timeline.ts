import type {
  Analysis,
  AnalysisDecision,
  AnalysisRule,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import { newestFirst } from './analyses';
import { RULE_ORDER, ruleLabel } from './format';

/**
 * Consecutive evaluations that said the same thing: the same verdict and
 * decision, each rule with the same verdict, and no action requested.
 */
export type TimelineGroup = {
  /** The newest evaluation of the group: its reason stands for all. */
  latest: Analysis;
  /** The group's evaluations, newest first. */
  analyses: Analysis[];
  /** When the first of them was evaluated (ISO). */
  since: string;
  verdict: Verdict;
  decision: AnalysisDecision;
  /**
   * What is new against the evaluations before the group, in words ("error
   * rate: now within the policy"); "First evaluation" for the oldest group.
   */
  changes: string[];
};

const RULE_VERDICT_WORDS: Record<Verdict, string> = {
  pass: 'within the policy',
  fail: 'worse than the policy allows',
  inconclusive: 'not enough evidence yet',
  no_data: 'no data',
};

function ruleVerdicts(analysis: Analysis): Map<AnalysisRule, Verdict> {
  return new Map(analysis.metrics.map(m => [m.rule, m.verdict]));
}

/** The same thing said: verdict, decision and every rule's verdict. */
function sameOutcome(a: Analysis, b: Analysis): boolean {
  if (a.verdict !== b.verdict || a.decision !== b.decision) return false;
  const left = ruleVerdicts(a);
  const right = ruleVerdicts(b);
  return (
    left.size === right.size &&
    [...left].every(([rule, verdict]) => right.get(rule) === verdict)
  );
}

/** What changed from `before` to `after`, rule by rule, in words. */
export function describeChanges(before: Analysis, after: Analysis): string[] {
  const old = ruleVerdicts(before);
  const now = ruleVerdicts(after);
  const rules = [...new Set([...old.keys(), ...now.keys()])].sort(
    (a, b) => RULE_ORDER.indexOf(a) - RULE_ORDER.indexOf(b),
  );
  const changes = rules
    .filter(rule => old.get(rule) !== now.get(rule))
    .map(rule => {
      const verdict = now.get(rule);
      const label = ruleLabel(rule);
      return verdict === undefined
        ? `${label}: no longer judged`
        : `${label}: now ${RULE_VERDICT_WORDS[verdict]}`;
    });
  if (changes.length === 0 && before.decision !== after.decision) {
    changes.push(`The decision changed to ${after.decision}`);
  }
  return changes;
}

/**
 * The evaluations as a timeline, newest first, with runs of evaluations
 * that said the same thing folded into one group that says what changed
 * when the run began. An evaluation that requested an action is a group of
 * its own.
 */
export function groupTimeline(analyses: readonly Analysis[]): TimelineGroup[] {
  const oldestFirst = newestFirst(analyses).reverse();
  const runs: Analysis[][] = [];
  for (const analysis of oldestFirst) {
    const run = runs[runs.length - 1];
    const previous = run?.[run.length - 1];
    if (
      run &&
      !analysis.actionId &&
      !previous.actionId &&
      sameOutcome(previous, analysis)
    ) {
      run.push(analysis);
    } else {
      runs.push([analysis]);
    }
  }
  return runs
    .map((run, index) => {
      const first = run[0];
      const latest = run[run.length - 1];
      return {
        latest,
        analyses: [...run].reverse(),
        since: first.evaluatedAt,
        verdict: latest.verdict,
        decision: latest.decision,
        changes:
          index === 0
            ? ['First evaluation']
            : describeChanges(
                runs[index - 1][runs[index - 1].length - 1],
                first,
              ),
      };
    })
    .reverse();
}
