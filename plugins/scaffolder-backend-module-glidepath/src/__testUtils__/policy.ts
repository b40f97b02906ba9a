import type { RollbackPolicy } from '@glidepath/backstage-plugin-common';

/** A rollback policy as Glidepath serves it: its defaults, with both burn windows. */
export const policy: RollbackPolicy = {
  name: 'default',
  errorRate: { enabled: true, maxIncrease: 0.01 },
  latency: { enabled: true, maxP95IncreaseSeconds: 0.25, maxP95Ratio: 1.5 },
  healthChecks: { enabled: true, maxFailureIncrease: 0.05 },
  burnRate: {
    enabled: true,
    windows: [
      {
        rule: 'burn_rate_fast',
        longSeconds: 3600,
        shortSeconds: 300,
        factor: 14.4,
      },
      {
        rule: 'burn_rate_slow',
        longSeconds: 21600,
        shortSeconds: 1800,
        factor: 6,
      },
    ],
  },
};
