import type { Release } from '@glidepath/backstage-plugin-common';
import { decide, MetricsOutcome } from './decide';
import type { Judgement } from './judge';
import { DEFAULT_POLICY } from './policy';

const NOW = new Date('2026-11-27T10:10:00Z');

function release(pause: 'timed' | 'indefinite' | 'none' = 'timed'): Release {
  return {
    id: 'r1',
    entityRef: 'component:default/checkout',
    version: '2.0.0',
    previousVersion: '1.0.0',
    environment: 'production',
    strategy: 'canary',
    phase: 'progressing',
    steps: [
      {
        index: 0,
        kind: 'set_weight',
        weight: 20,
        description: '20%',
        status: 'completed',
      },
      {
        index: 1,
        kind: pause === 'none' ? 'set_weight' : 'pause',
        durationSeconds: pause === 'timed' ? 60 : null,
        description: 'pause',
        status: 'running',
      },
    ],
    currentStepIndex: 1,
    canaryWeight: 20,
    provider: 'fake',
    providerRef: 'checkout@2',
    simulated: false,
    message: null,
    startedBy: { kind: 'provider', ref: 'fake' },
    commit: null,
    startedAt: '2026-11-27T10:00:00Z',
    updatedAt: '2026-11-27T10:00:00Z',
    finishedAt: null,
  };
}

function judged(verdict: Judgement['verdict']): MetricsOutcome {
  return {
    status: 'ok',
    judgement: {
      verdict,
      metrics: [
        {
          rule: 'error_rate',
          verdict,
          summary: `error rate ${verdict}.`,
          unit: 'ratio',
          canary: {
            trials: verdict === 'no_data' ? 0 : 100,
            events: 1,
            observed: 0.01,
          },
          baseline: { trials: 100, events: 1, observed: 0.01 },
          estimate: 0,
          lowerBound: -0.01,
          upperBound: 0.01,
          limit: 0.01,
          eValue: 1,
          eValueThreshold: 1000,
          threshold: 0.01,
          boundarySeconds: null,
          alpha: 0.001,
        },
      ],
    },
  };
}

const outage: MetricsOutcome = {
  status: 'outage',
  reason: 'Prometheus is down',
};
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

describe('decide', () => {
  it.each([
    // outcome, pause, holding since, escalated, decision
    ['fail', judged('fail'), 'timed', null, false, 'rollback'],
    [
      'fail while holding',
      judged('fail'),
      'timed',
      minutesAgo(20),
      true,
      'rollback',
    ],
    ['pass on a timed step', judged('pass'), 'timed', null, false, 'continue'],
    [
      'pass on an indefinite pause',
      judged('pass'),
      'indefinite',
      null,
      false,
      'promote',
    ],
    [
      'inconclusive on an indefinite pause',
      judged('inconclusive'),
      'indefinite',
      null,
      false,
      'continue',
    ],
    ['outage, first', outage, 'timed', null, false, 'hold'],
    [
      'outage, within the deadline',
      outage,
      'timed',
      minutesAgo(4),
      false,
      'hold',
    ],
    [
      'outage, past the deadline',
      outage,
      'timed',
      minutesAgo(5),
      false,
      'escalate',
    ],
    [
      'outage, already escalated',
      outage,
      'timed',
      minutesAgo(30),
      true,
      'hold',
    ],
    ['no canary traffic', judged('no_data'), 'indefinite', null, false, 'hold'],
    [
      'stale',
      { status: 'stale', reason: 'last sample 10 min ago' } as MetricsOutcome,
      'timed',
      null,
      false,
      'hold',
    ],
    // Time without enough evidence either way counts toward the deadline
    // (it did not: a canary at 0.05 rps waited silently for an hour).
    [
      'inconclusive, within the deadline',
      judged('inconclusive'),
      'timed',
      minutesAgo(4),
      false,
      'continue',
    ],
    [
      'inconclusive, past the deadline',
      judged('inconclusive'),
      'timed',
      minutesAgo(5),
      false,
      'escalate',
    ],
    [
      'inconclusive, already escalated',
      judged('inconclusive'),
      'timed',
      minutesAgo(30),
      true,
      'continue',
    ],
    [
      'pass, after a long inconclusive run',
      judged('pass'),
      'timed',
      minutesAgo(30),
      false,
      'continue',
    ],
    [
      'warming up',
      { status: 'warming_up', until: new Date(NOW.getTime() + 20_000) },
      'timed',
      minutesAgo(30),
      false,
      'continue',
    ],
    [
      'warming up, judged inconclusive',
      {
        status: 'warming_up',
        until: new Date(NOW.getTime() + 20_000),
        judgement: { verdict: 'inconclusive', metrics: [] },
      } as MetricsOutcome,
      'timed',
      minutesAgo(30),
      false,
      'continue',
    ],
    // A gross failure during the warm-up (see judgeWarmup) rolls back.
    [
      'warming up, failing grossly',
      {
        status: 'warming_up',
        until: new Date(NOW.getTime() + 20_000),
        judgement: (judged('fail') as { judgement: Judgement }).judgement,
      } as MetricsOutcome,
      'timed',
      null,
      false,
      'rollback',
    ],
  ] as const)(
    '%s: %s',
    (_name, outcome, pause, holdingSince, escalated, expected) => {
      const result = decide({
        outcome,
        release: release(pause),
        policy: DEFAULT_POLICY,
        now: NOW,
        holdingSince,
        escalated,
      });
      expect(result.decision).toBe(expected);
    },
  );

  describe('with a release checklist', () => {
    const open = {
      blocking: true,
      openRequired: ['On-call aware'],
      reason:
        'The release checklist holds the release before its final step: 1 required item is open (On-call aware)',
    };
    const done = { blocking: false, openRequired: [], reason: null };
    it.each([
      // The release's two steps: the indefinite pause is the final one.
      [
        'open items hold a promote at the gate',
        judged('pass'),
        open,
        'continue',
      ],
      ['a complete checklist lets it promote', judged('pass'), done, 'promote'],
      ['open items never hold a rollback', judged('fail'), open, 'rollback'],
      ['open items do not hide a hold', outage, open, 'hold'],
    ] as const)('%s', (_name, outcome, checklist, expected) => {
      const result = decide({
        outcome,
        release: release('indefinite'),
        policy: DEFAULT_POLICY,
        now: NOW,
        holdingSince: null,
        escalated: false,
        checklist,
      });
      expect(result.decision).toBe(expected);
    });

    it('says that the checklist holds the promote', () => {
      expect(
        decide({
          outcome: judged('pass'),
          release: release('indefinite'),
          policy: DEFAULT_POLICY,
          now: NOW,
          holdingSince: null,
          escalated: false,
          checklist: open,
        }).reason,
      ).toBe(
        'Canary 2.0.0 passed every rule of the "default" policy and is not promoted yet. The release checklist holds the release before its final step: 1 required item is open (On-call aware).',
      );
    });
  });

  it('counts time without a decision from the end of the warm-up', () => {
    const started = { ...release(), startedAt: minutesAgo(5.5).toISOString() };
    const at = (holdingSince: Date) =>
      decide({
        outcome: judged('inconclusive'),
        release: started,
        policy: DEFAULT_POLICY,
        now: NOW,
        holdingSince,
        escalated: false,
      }).decision;
    // Inconclusive since the start, 5.5 min ago: 4.5 min after the warm-up.
    expect(at(minutesAgo(5.5))).toBe('continue');
    expect(
      decide({
        outcome: judged('inconclusive'),
        release: started,
        policy: { ...DEFAULT_POLICY, warmupSeconds: 0 },
        now: NOW,
        holdingSince: minutesAgo(5.5),
        escalated: false,
      }).decision,
    ).toBe('escalate');
  });

  it('says in plain words that the canary warms up, and that too little evidence escalated', () => {
    expect(
      decide({
        outcome: {
          status: 'warming_up',
          until: new Date(NOW.getTime() + 20_000),
        },
        release: release(),
        policy: DEFAULT_POLICY,
        now: NOW,
        holdingSince: null,
        escalated: false,
      }).reason,
    ).toBe(
      'Canary 2.0.0 is warming up: the "default" policy judges it from 1 min after it started, so that errors and slowness while new pods start do not roll it back. Judging starts in 20 s.',
    );
    const escalation = decide({
      outcome: judged('inconclusive'),
      release: release(),
      policy: DEFAULT_POLICY,
      now: NOW,
      holdingSince: minutesAgo(7),
      escalated: false,
    });
    expect(escalation).toMatchObject({
      verdict: 'inconclusive',
      decision: 'escalate',
    });
    expect(escalation.reason).toBe(
      'No decision about canary 2.0.0 after 7 min: not enough evidence either way on error rate (the canary has served 100 requests since its warm-up). Notified its owners, who may roll it back or wait; Glidepath keeps judging it: it rolls the canary back if a rule fails and promotes it once every rule passes.',
    );
  });

  it('says why, with the evidence, in one sentence', () => {
    expect(
      decide({
        outcome: judged('inconclusive'),
        release: release(),
        policy: DEFAULT_POLICY,
        now: NOW,
        holdingSince: null,
        escalated: false,
      }).reason,
    ).toBe(
      'Watching canary 2.0.0: not enough evidence yet on error rate. Without a decision, its owners are notified after 5 min.',
    );
    expect(
      decide({
        outcome: judged('fail'),
        release: release(),
        policy: DEFAULT_POLICY,
        now: NOW,
        holdingSince: null,
        escalated: false,
      }).reason,
    ).toBe(
      'Rolled back 2.0.0 automatically under the "default" policy: error rate fail.',
    );
    expect(
      decide({
        outcome: outage,
        release: release(),
        policy: DEFAULT_POLICY,
        now: NOW,
        holdingSince: minutesAgo(6),
        escalated: false,
      }).reason,
    ).toBe(
      'Held 2.0.0 for 6 min without usable metrics (the metrics provider failed: Prometheus is down): paused the release and notified its owners. Glidepath never rolls back or promotes without data.',
    );
  });
});
