import type {
  Analysis,
  ReleasePhase,
} from '@glidepath/backstage-plugin-common';

/**
 * The analysis gate of a plan's wave for one released member: what it still
 * waits for, or undefined when it holds.
 *
 * - A `fail` among the release's judgements fails the gate, whatever came
 *   after it.
 * - A `pass` among them, or no judgement at all (nothing to judge: no
 *   metrics configured, or analysis off), lets the wave go on.
 * - Only undecided judgements (warming up, no data, not enough evidence):
 *   while the release still runs, the gate waits for the judge. Once the
 *   release has succeeded, its provider promoted it to all traffic and the
 *   judge no longer looks at it; waiting would hold the plan for ever, so
 *   the gate goes on, and says so in `note` (a canary whose steps are
 *   shorter than the evidence its traffic gives, typical of quiet services).
 *
 * `analyses` are the release's latest judgements, oldest first.
 */
export function analysisGate(
  analyses: Pick<Analysis, 'verdict' | 'reason'>[],
  phase: ReleasePhase,
): { waitingFor?: string; note?: string } {
  const failed = analyses.find(a => a.verdict === 'fail');
  if (failed) {
    return { waitingFor: `its canary analysis failed (${failed.reason})` };
  }
  if (!analyses.length || analyses.some(a => a.verdict === 'pass')) return {};
  const latest = analyses[analyses.length - 1];
  if (phase !== 'succeeded') {
    return {
      waitingFor: `its canary analysis to pass (latest: ${latest.verdict}: ${latest.reason})`,
    };
  }
  return {
    note: `its canary completed before the analysis had enough evidence to pass or fail it (latest: ${latest.verdict}); nothing failed, so the plan went on`,
  };
}
