import type { Analysis, Verdict } from '@glidepath/backstage-plugin-common';
import { makeAnalysis, makeMetric } from '../../__testUtils__/analysis';
import { describeChanges, groupTimeline } from './timeline';

/** An evaluation at minute `minute` with the error rate and latency verdicts. */
function at(
  minute: number,
  errorRate: Verdict,
  latency: Verdict,
  overrides: Partial<Analysis> = {},
): Analysis {
  const verdicts = [errorRate, latency];
  let verdict: Verdict = 'pass';
  if (verdicts.includes('fail')) verdict = 'fail';
  else if (verdicts.includes('inconclusive')) verdict = 'inconclusive';
  return makeAnalysis({
    id: `an-${minute}`,
    evaluatedAt: new Date(Date.UTC(2025, 2, 1, 10, minute)).toISOString(),
    verdict,
    decision: verdict === 'fail' ? 'rollback' : 'continue',
    metrics: [
      makeMetric('error_rate', { verdict: errorRate }),
      makeMetric('latency_p95', { verdict: latency }),
    ],
    ...overrides,
  });
}

describe('groupTimeline', () => {
  it.each<[string, Analysis[], Array<[string[], string[]]>]>([
    ['nothing', [], []],
    [
      'one evaluation',
      [at(1, 'inconclusive', 'pass')],
      [[['an-1'], ['First evaluation']]],
    ],
    [
      'a run of the same outcome folds into one group',
      [
        at(1, 'inconclusive', 'pass'),
        at(2, 'inconclusive', 'pass'),
        at(3, 'inconclusive', 'pass'),
      ],
      [[['an-3', 'an-2', 'an-1'], ['First evaluation']]],
    ],
    [
      'a rule that changes starts a new group that says so',
      [
        at(1, 'inconclusive', 'inconclusive'),
        at(2, 'inconclusive', 'inconclusive'),
        at(3, 'pass', 'inconclusive'),
        at(4, 'pass', 'pass'),
        at(5, 'pass', 'pass'),
      ],
      [
        [['an-5', 'an-4'], ['p95 latency: now within the policy']],
        [['an-3'], ['Error rate: now within the policy']],
        [['an-2', 'an-1'], ['First evaluation']],
      ],
    ],
    [
      'an evaluation that requested an action stands alone',
      [
        at(1, 'inconclusive', 'pass'),
        at(2, 'fail', 'pass', { actionId: 'act-1' }),
        at(3, 'fail', 'pass'),
      ],
      [
        [['an-3'], []],
        [['an-2'], ['Error rate: now worse than the policy allows']],
        [['an-1'], ['First evaluation']],
      ],
    ],
  ])('%s', (_name, analyses, expected) => {
    // Given in any order: the timeline sorts them.
    const groups = groupTimeline([...analyses].reverse());
    expect(
      groups.map(group => [group.analyses.map(a => a.id), group.changes]),
    ).toEqual(expected);
    for (const group of groups) {
      expect(group.latest).toBe(group.analyses[0]);
      expect(group.since).toBe(
        group.analyses[group.analyses.length - 1].evaluatedAt,
      );
    }
  });
});

describe('describeChanges', () => {
  it('names a rule no longer judged, and a decision that changed alone', () => {
    expect(
      describeChanges(
        at(1, 'pass', 'pass'),
        makeAnalysis({
          metrics: [makeMetric('error_rate', { verdict: 'pass' })],
        }),
      ),
    ).toEqual(['p95 latency: no longer judged']);
    expect(
      describeChanges(
        at(1, 'pass', 'pass'),
        at(2, 'pass', 'pass', { decision: 'promote' }),
      ),
    ).toEqual(['The decision changed to promote']);
  });
});
