import type {
  Analysis,
  AnalysisRule,
  MetricEvidence,
  ProviderAnalysisMetric,
  ProviderAnalysisRun,
  ReleaseAction,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import { makeAction } from './releases';

/** One rule's evidence for a healthy canary (12% of the traffic). */
const HEALTHY_METRICS: Record<AnalysisRule, MetricEvidence> = {
  error_rate: {
    rule: 'error_rate',
    verdict: 'pass',
    summary:
      "Error rate 0.50% against the baseline's 0.50%: no more than 1 point above it, with confidence.",
    unit: 'ratio',
    canary: { trials: 1200, events: 6, observed: 0.005 },
    baseline: { trials: 10800, events: 54, observed: 0.005 },
    estimate: 0,
    lowerBound: -0.0061,
    upperBound: 0.0062,
    limit: 0.01,
    eValue: 0.21,
    eValueThreshold: 4000,
    threshold: 0.01,
    boundarySeconds: null,
    alpha: 0.00025,
  },
  latency_p95: {
    rule: 'latency_p95',
    verdict: 'pass',
    summary:
      "p95 latency 221 ms against the baseline's 214 ms: 2.58% of canary requests slower than 714 ms, below 5%.",
    unit: 'seconds',
    canary: { trials: 1200, events: 31, observed: 0.221 },
    baseline: { trials: 10800, events: 540, observed: 0.214 },
    estimate: -0.0242,
    lowerBound: -0.041,
    upperBound: -0.0074,
    limit: 0,
    eValue: 1,
    eValueThreshold: 4000,
    threshold: 0.5,
    boundarySeconds: 0.714,
    alpha: 0.00025,
  },
  health_checks: {
    rule: 'health_checks',
    verdict: 'pass',
    summary:
      "No failed health checks against the baseline's 0.09%: within 1 point, with confidence.",
    unit: 'ratio',
    canary: { trials: 240, events: 0, observed: 0 },
    baseline: { trials: 2160, events: 2, observed: 0.0009 },
    estimate: -0.0009,
    lowerBound: -0.0079,
    upperBound: 0.0061,
    limit: 0.01,
    eValue: 1,
    eValueThreshold: 4000,
    threshold: 0.01,
    boundarySeconds: null,
    alpha: 0.00025,
  },
  burn_rate_fast: {
    rule: 'burn_rate_fast',
    verdict: 'pass',
    summary: 'Burning the error budget at 0.5x, below 14.4x.',
    unit: 'burn_rate',
    canary: { trials: 1200, events: 6, observed: 0.5 },
    baseline: { trials: 10800, events: 54, observed: 0.5 },
    estimate: -0.139,
    lowerBound: -0.146,
    upperBound: -0.132,
    limit: 0,
    eValue: 1,
    eValueThreshold: 4000,
    threshold: 14.4,
    boundarySeconds: null,
    alpha: 0.00025,
  },
  burn_rate_slow: {
    rule: 'burn_rate_slow',
    verdict: 'pass',
    summary: 'Burning the error budget at 0.5x, below 6.0x.',
    unit: 'burn_rate',
    canary: { trials: 1200, events: 6, observed: 0.5 },
    baseline: { trials: 10800, events: 54, observed: 0.5 },
    estimate: -0.055,
    lowerBound: -0.062,
    upperBound: -0.048,
    limit: 0,
    eValue: 1,
    eValueThreshold: 4000,
    threshold: 6,
    boundarySeconds: null,
    alpha: 0.00025,
  },
};

/** One rule's evidence: a healthy canary unless overridden. */
export function makeMetric(
  rule: AnalysisRule,
  overrides: Partial<MetricEvidence> = {},
): MetricEvidence {
  return { ...HEALTHY_METRICS[rule], ...overrides };
}

/** Every rule's evidence for a healthy canary. */
export function healthyMetrics(): MetricEvidence[] {
  return (Object.keys(HEALTHY_METRICS) as AnalysisRule[]).map(rule =>
    makeMetric(rule),
  );
}

/** One evaluation of rel-1's canary: passing, continue, unless overridden. */
export function makeAnalysis(overrides: Partial<Analysis> = {}): Analysis {
  return {
    id: 'an-1',
    releaseId: 'rel-1',
    entityRef: 'component:default/checkout-service',
    evaluatedAt: '2025-03-01T10:02:00.000Z',
    from: '2025-03-01T10:00:00.000Z',
    to: '2025-03-01T10:02:00.000Z',
    policy: 'default',
    metricsProvider: 'prometheus',
    simulated: false,
    verdict: 'pass',
    decision: 'continue',
    reason:
      'All rules pass: error rate, p95 latency, health checks and error budget burn are within the policy; the rollout continues.',
    metrics: healthyMetrics(),
    actionId: null,
    ...overrides,
  };
}

/** No rule could be judged: every measure missing. */
function noDataMetrics(summary: string): MetricEvidence[] {
  return healthyMetrics().map(metric => ({
    ...metric,
    verdict: 'no_data',
    summary,
    canary: { trials: 0, events: 0, observed: null },
    baseline: { trials: 0, events: 0, observed: null },
    estimate: null,
    lowerBound: null,
    upperBound: null,
    eValue: null,
  }));
}

/**
 * A canary that passes: too little traffic to judge at first, then passing,
 * then promoted past the step that waited for Glidepath. Oldest first.
 */
export const passingAnalyses: Analysis[] = [
  makeAnalysis({
    id: 'an-pass-1',
    evaluatedAt: '2025-03-01T10:02:00.000Z',
    to: '2025-03-01T10:02:00.000Z',
    verdict: 'inconclusive',
    decision: 'continue',
    reason:
      'Not enough traffic to judge yet (180 canary requests); the rollout continues while Glidepath watches.',
    metrics: [
      makeMetric('error_rate', {
        verdict: 'inconclusive',
        summary:
          "Error rate 0.56% against the baseline's 0.49%: not enough requests yet to tell whether it is within 1 point.",
        canary: { trials: 180, events: 1, observed: 0.0056 },
        baseline: { trials: 1620, events: 8, observed: 0.0049 },
        estimate: 0.0007,
        lowerBound: -0.031,
        upperBound: 0.033,
        eValue: 1,
      }),
      makeMetric('latency_p95', {
        verdict: 'inconclusive',
        canary: { trials: 180, events: 3, observed: 0.231 },
        baseline: { trials: 1620, events: 81, observed: 0.214 },
        estimate: -0.0333,
        lowerBound: -0.09,
        upperBound: 0.024,
      }),
      makeMetric('burn_rate_fast', {
        canary: { trials: 180, events: 1, observed: 0.56 },
        baseline: { trials: 1620, events: 8, observed: 0.49 },
      }),
    ],
  }),
  makeAnalysis({
    id: 'an-pass-2',
    evaluatedAt: '2025-03-01T10:07:00.000Z',
    to: '2025-03-01T10:07:00.000Z',
    metrics: [
      makeMetric('error_rate', {
        canary: { trials: 640, events: 3, observed: 0.0047 },
        baseline: { trials: 5760, events: 29, observed: 0.005 },
        estimate: -0.0003,
        lowerBound: -0.0094,
        upperBound: 0.0088,
      }),
      makeMetric('latency_p95', {
        canary: { trials: 640, events: 17, observed: 0.226 },
      }),
      makeMetric('burn_rate_fast', {
        canary: { trials: 640, events: 3, observed: 0.47 },
      }),
    ],
  }),
  makeAnalysis({
    id: 'an-pass-3',
    evaluatedAt: '2025-03-01T10:12:00.000Z',
    to: '2025-03-01T10:12:00.000Z',
    decision: 'promote',
    reason:
      'All rules pass with confidence after 1,200 canary requests; promoted past "Wait for a promotion".',
    metrics: [
      makeMetric('error_rate'),
      makeMetric('latency_p95'),
      makeMetric('burn_rate_fast'),
    ],
    actionId: 'act-promote-1',
  }),
];

/** The sentence the backend gives for the error-rate rollback. */
export const ROLLBACK_REASON =
  "Rolled back: the canary's error rate is 7.04% (29 of 412 requests) against the baseline's 0.49% (19 of 3,911), 6.55 points above it, beyond the 1-point limit with an e-value of 1.2e5 (threshold 4000).";

/**
 * A canary whose error rate jumps: inconclusive at first, then failing the
 * error-rate rule, which rolls it back. Oldest first.
 */
export const rollbackAnalyses: Analysis[] = [
  makeAnalysis({
    id: 'an-rb-1',
    evaluatedAt: '2025-03-01T10:02:00.000Z',
    to: '2025-03-01T10:02:00.000Z',
    verdict: 'inconclusive',
    decision: 'continue',
    reason:
      "The canary's error rate (3.13%) is above the baseline's (0.45%), but not yet with confidence; the rollout continues while Glidepath watches.",
    metrics: [
      makeMetric('error_rate', {
        verdict: 'inconclusive',
        summary:
          "Error rate 3.13% against the baseline's 0.45%: above it, but not yet with confidence.",
        canary: { trials: 96, events: 3, observed: 0.0313 },
        baseline: { trials: 880, events: 4, observed: 0.0045 },
        estimate: 0.0268,
        lowerBound: -0.02,
        upperBound: 0.074,
        eValue: 6.1,
      }),
      makeMetric('burn_rate_fast', {
        canary: { trials: 96, events: 3, observed: 3.13 },
        baseline: { trials: 880, events: 4, observed: 0.45 },
        estimate: -0.1127,
        lowerBound: -0.16,
        upperBound: -0.065,
      }),
    ],
  }),
  makeAnalysis({
    id: 'an-rb-2',
    evaluatedAt: '2025-03-01T10:04:00.000Z',
    to: '2025-03-01T10:04:00.000Z',
    verdict: 'fail',
    decision: 'rollback',
    reason: ROLLBACK_REASON,
    metrics: [
      makeMetric('error_rate', {
        verdict: 'fail',
        summary:
          "Error rate 7.04% against the baseline's 0.49%: 6.55 points above it, beyond the 1-point limit.",
        canary: { trials: 412, events: 29, observed: 0.0704 },
        baseline: { trials: 3911, events: 19, observed: 0.0049 },
        estimate: 0.0655,
        lowerBound: 0.0372,
        upperBound: 0.0938,
        eValue: 1.2e5,
      }),
      makeMetric('burn_rate_fast', {
        summary: 'Burning the error budget at 7.0x, below 14.4x.',
        canary: { trials: 412, events: 29, observed: 7.04 },
        baseline: { trials: 3911, events: 19, observed: 0.49 },
        estimate: -0.0736,
        lowerBound: -0.112,
        upperBound: -0.035,
      }),
      makeMetric('burn_rate_slow', {
        verdict: 'inconclusive',
        summary:
          'Burning the error budget at 7.0x, above 6.0x, but not yet with confidence.',
        canary: { trials: 412, events: 29, observed: 7.04 },
        baseline: { trials: 3911, events: 19, observed: 0.49 },
        estimate: 0.0104,
        lowerBound: -0.027,
        upperBound: 0.048,
        eValue: 1.4,
      }),
    ],
    actionId: 'act-rb-1',
  }),
];

/** The rollback the policy requested after the failing analysis. */
export const policyRollbackAction: ReleaseAction = makeAction({
  id: 'act-rb-1',
  reason: ROLLBACK_REASON,
  state: 'succeeded',
  requestedBy: {
    kind: 'policy',
    ref: 'default',
    displayName: 'Policy default',
  },
  requestedAt: '2025-03-01T10:04:01.000Z',
  startedAt: '2025-03-01T10:04:02.000Z',
  finishedAt: '2025-03-01T10:04:09.000Z',
});

/** The metrics provider is down: nothing to judge, so Glidepath holds. */
export const holdAnalysis: Analysis = makeAnalysis({
  id: 'an-hold-1',
  evaluatedAt: '2025-03-01T10:06:00.000Z',
  to: '2025-03-01T10:06:00.000Z',
  verdict: 'no_data',
  decision: 'hold',
  reason:
    "Could not judge: the metrics provider 'prometheus' did not answer (connect ECONNREFUSED 10.0.0.9:9090); holding the rollout where it is, with no action.",
  metrics: noDataMetrics('No data: the metrics provider did not answer.'),
});

/** Held past the deadline: Glidepath paused the rollout and told the owners. */
export const escalationAnalysis: Analysis = makeAnalysis({
  id: 'an-esc-1',
  evaluatedAt: '2025-03-01T10:16:00.000Z',
  to: '2025-03-01T10:16:00.000Z',
  verdict: 'no_data',
  decision: 'escalate',
  reason:
    'Still no metrics after 10 minutes on hold: paused the rollout and notified its owners (group:default/team-checkout).',
  metrics: noDataMetrics('No data: the metrics provider did not answer.'),
  actionId: 'act-pause-1',
});

/** The pause the escalation requested. */
export const escalationPauseAction: ReleaseAction = makeAction({
  id: 'act-pause-1',
  action: 'pause',
  reason: escalationAnalysis.reason,
  state: 'succeeded',
  requestedBy: {
    kind: 'policy',
    ref: 'default',
    displayName: 'Policy default',
  },
  requestedAt: '2025-03-01T10:16:01.000Z',
  startedAt: '2025-03-01T10:16:01.000Z',
  finishedAt: '2025-03-01T10:16:03.000Z',
});

/** A provider's (Argo Rollouts') analysis metric: two passes, then a failure. */
export function makeProviderMetric(
  overrides: Partial<ProviderAnalysisMetric> = {},
): ProviderAnalysisMetric {
  return {
    name: 'success-rate',
    phase: 'Failed',
    verdict: 'fail',
    count: 3,
    successful: 2,
    failed: 1,
    inconclusive: 0,
    error: 0,
    message: null,
    successCondition: 'result[0] >= 0.95',
    failureCondition: null,
    failureLimit: 0,
    measurements: [
      ['0.99', 'Successful', 'pass'],
      ['0.97', 'Successful', 'pass'],
      ['0.81', 'Failed', 'fail'],
    ].map(([value, phase, verdict], i) => ({
      phase,
      verdict: verdict as Verdict,
      value,
      message: null,
      startedAt: `2026-11-27T10:0${i}:00.000Z`,
      finishedAt: `2026-11-27T10:0${i}:01.000Z`,
    })),
    ...overrides,
  };
}

/** A provider's analysis run that failed on its success-rate metric. */
export function makeProviderRun(
  overrides: Partial<ProviderAnalysisRun> = {},
): ProviderAnalysisRun {
  return {
    name: 'checkout-service-6d4f9-2-1',
    kind: 'Step',
    phase: 'Failed',
    verdict: 'fail',
    message:
      'metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
    startedAt: '2026-11-27T10:00:00.000Z',
    metrics: [makeProviderMetric()],
    ...overrides,
  };
}
