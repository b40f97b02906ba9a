import type {
  Analysis,
  AnalysisRule,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import {
  failingEvidence,
  findAutomaticRollback,
  latestAnalysis,
  newestFirst,
  noAnalysisMessage,
  waitingReason,
} from './analyses';
import {
  holdAnalysis,
  makeAnalysis,
  makeMetric,
  passingAnalyses,
  policyRollbackAction,
  ROLLBACK_REASON,
  rollbackAnalyses,
} from '../../__testUtils__/analysis';
import { makeAction } from '../../__testUtils__/releases';

describe('newestFirst and latestAnalysis', () => {
  it('orders by evaluation time, whatever the input order', () => {
    const [a, b, c] = passingAnalyses;
    expect(newestFirst([b, c, a]).map(x => x.id)).toEqual([
      'an-pass-3',
      'an-pass-2',
      'an-pass-1',
    ]);
    expect(latestAnalysis([c, a, b])?.id).toBe('an-pass-3');
    expect(latestAnalysis([])).toBeUndefined();
  });

  it('does not reorder its input', () => {
    const input = [...passingAnalyses];
    newestFirst(input);
    expect(input.map(x => x.id)).toEqual(passingAnalyses.map(x => x.id));
  });
});

describe('failingEvidence', () => {
  it('picks the failing rules in display order', () => {
    const analysis = makeAnalysis({
      metrics: [
        makeMetric('burn_rate_fast', { verdict: 'fail' }),
        makeMetric('latency_p95'),
        makeMetric('error_rate', { verdict: 'fail' }),
        makeMetric('health_checks', { verdict: 'inconclusive' }),
      ],
    });
    expect(failingEvidence(analysis).map(m => m.rule)).toEqual([
      'error_rate',
      'burn_rate_fast',
    ]);
    expect(failingEvidence(passingAnalyses[2])).toEqual([]);
  });
});

describe('findAutomaticRollback', () => {
  const userRollback = makeAction({
    id: 'act-user',
    requestedAt: '2025-03-01T10:20:00.000Z',
  });

  it.each<
    [
      string,
      Analysis[],
      ReleaseAction[],
      {
        reason: string;
        analysis?: string;
        action?: string;
        evidence: AnalysisRule[];
      } | null,
    ]
  >([
    [
      'a latest analysis that decided to roll back',
      rollbackAnalyses,
      [],
      {
        reason: ROLLBACK_REASON,
        analysis: 'an-rb-2',
        evidence: ['error_rate'],
      },
    ],
    [
      'the policy action and the analysis that requested it',
      rollbackAnalyses,
      [policyRollbackAction],
      {
        reason: ROLLBACK_REASON,
        analysis: 'an-rb-2',
        action: 'act-rb-1',
        evidence: ['error_rate'],
      },
    ],
    [
      'the policy action, though later analyses did not roll back',
      [...rollbackAnalyses, holdAnalysis],
      [policyRollbackAction],
      {
        reason: ROLLBACK_REASON,
        analysis: 'an-rb-2',
        action: 'act-rb-1',
        evidence: ['error_rate'],
      },
    ],
    [
      'the policy action alone, when its analysis is not among those loaded',
      [],
      [policyRollbackAction],
      { reason: ROLLBACK_REASON, action: 'act-rb-1', evidence: [] },
    ],
    ['a passing canary', passingAnalyses, [], null],
    [
      'a rollback a person asked for',
      passingAnalyses,
      [{ ...userRollback, reason: 'customers complain' }],
      null,
    ],
    [
      'a rollback decision followed by holds',
      [...rollbackAnalyses, holdAnalysis],
      [],
      {
        reason: ROLLBACK_REASON,
        analysis: 'an-rb-2',
        evidence: ['error_rate'],
      },
    ],
    [
      'a rollback the canary went on from (retried, then passing)',
      [
        ...rollbackAnalyses,
        makeAnalysis({ id: 'an-retry', evaluatedAt: '2025-03-01T10:30:00Z' }),
      ],
      [policyRollbackAction],
      null,
    ],
    ['nothing', [], [], null],
  ])('%s', (_name, analyses, actions, expected) => {
    const found = findAutomaticRollback({ analyses, actions });
    expect(
      found && {
        reason: found.reason,
        analysis: found.analysis?.id,
        action: found.action?.id,
        evidence: found.evidence.map(m => m.rule),
      },
    ).toEqual(
      expected === null
        ? undefined
        : { analysis: undefined, action: undefined, ...expected },
    );
  });
});

describe('noAnalysisMessage', () => {
  const notYet =
    'No analysis yet: Glidepath judges a canary once it takes traffic.';
  const never =
    'Glidepath did not judge this release: it ended without an evaluation of its canary.';
  const blueGreen =
    'Glidepath does not analyse blue-green releases: traffic switches all at once, so there is no canary traffic to compare with the baseline.';
  it.each([
    ['canary', 'progressing', notYet],
    ['canary', 'paused', notYet],
    ['rolling', 'pending', notYet],
    ['canary', 'aborted', never],
    ['canary', 'succeeded', never],
    ['rolling', 'rolled_back', never],
    ['blue_green', 'progressing', blueGreen],
    ['blue_green', 'succeeded', blueGreen],
  ] as const)('%s, %s', (strategy, phase, message) => {
    expect(noAnalysisMessage({ strategy, phase })).toBe(message);
  });
});

describe('waitingReason', () => {
  const at = (time: string) => `2025-03-01T10:${time}.000Z`;
  it.each([
    // decision, verdict, judged from, evaluated at, expected
    [
      'continue',
      'inconclusive',
      at('01:00'),
      at('00:20'),
      { kind: 'warming_up', judgingFrom: at('01:00') },
    ],
    ['continue', 'inconclusive', at('01:00'), at('03:00'), null],
    ['continue', 'pass', at('00:00'), at('03:00'), null],
    [
      'escalate',
      'inconclusive',
      at('01:00'),
      at('07:00'),
      { kind: 'escalated' },
    ],
    ['escalate', 'no_data', at('01:00'), at('07:00'), { kind: 'escalated' }],
    ['hold', 'no_data', at('01:00'), at('03:00'), null],
  ] as const)(
    '%s with %s, judged from %s, at %s: %j',
    (decision, verdict, from, to, expected) => {
      expect(waitingReason({ decision, verdict, from, to })).toEqual(expected);
    },
  );
});
