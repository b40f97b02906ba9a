import type {
  DoraMeasures,
  DoraResponse,
} from '@glidepath/backstage-plugin-common';

const HOUR = 3_600_000;

/** DORA measures: 12 deployments in four weeks, one in four failed. */
export function makeDoraMeasures(
  overrides: Partial<DoraMeasures> = {},
): DoraMeasures {
  return {
    deployments: 12,
    deploymentsPerDay: 12 / 28,
    deploymentFrequencyLevel: 'high',
    leadTime: {
      count: 10,
      medianMs: 5 * HOUR,
      p90Ms: 30 * HOUR,
      level: 'elite',
    },
    changeFailureRate: {
      failures: 3,
      deployments: 12,
      rate: 0.25,
      level: 'high',
    },
    recoveryTime: {
      count: 2,
      open: 1,
      medianMs: 2 * HOUR,
      p90Ms: 3 * HOUR,
      level: 'high',
    },
    ...overrides,
  };
}

/** A DORA answer of two weekly buckets, one failure, nothing simulated. */
export function makeDoraResponse(
  overrides: Partial<DoraResponse> = {},
): DoraResponse {
  const measures = makeDoraMeasures();
  return {
    scope: { type: 'entity', ref: 'component:default/checkout-service' },
    from: '2026-11-16T00:00:00.000Z',
    to: '2026-11-30T00:00:00.000Z',
    bucket: 'week',
    summary: measures,
    series: [
      {
        start: '2026-11-16T00:00:00.000Z',
        end: '2026-11-23T00:00:00.000Z',
        measures,
      },
      {
        start: '2026-11-23T00:00:00.000Z',
        end: '2026-11-30T00:00:00.000Z',
        measures,
      },
    ],
    failures: [
      {
        deploymentId: 'gha-1',
        entityRef: 'component:default/checkout-service',
        environment: 'production',
        version: '1.5.0',
        outcome: 'succeeded',
        deployedAt: '2026-11-24T10:00:00.000Z',
        rule: 'latest-release',
        failureStartedAt: '2026-11-24T11:00:00.000Z',
        restoredAt: '2026-11-24T12:30:00.000Z',
        incidents: [{ id: 'PD-1', title: 'Checkout 5xx', url: null }],
      },
    ],
    unmatchedEvents: 0,
    simulatedDeployments: 0,
    ...overrides,
  };
}
