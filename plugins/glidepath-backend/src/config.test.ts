import { ConfigReader } from '@backstage/config';
import { DEFAULT_POLICY } from './analysis/judge';
import { readAnalysisConfig, readGlidepathBackendConfig } from './config';

describe('readAnalysisConfig', () => {
  it('gives the default policy and schedule without config', () => {
    const analysis = readGlidepathBackendConfig(new ConfigReader({})).analysis;
    expect(analysis.enabled).toBe(true);
    expect(analysis.metricsTimeoutMs).toBe(10_000);
    expect(analysis.schedule.frequency).toEqual({ seconds: 10 });
    expect([...analysis.policies.entries()]).toEqual([
      ['default', DEFAULT_POLICY],
    ]);
  });

  it('overrides the defaults with policies.default, and named policies on top of it', () => {
    const { policies } = readAnalysisConfig(
      new ConfigReader({
        policies: {
          default: {
            holdDeadline: { minutes: 2 },
            errorRate: { maxIncreasePercentagePoints: 0.5 },
          },
          strict: {
            falseRollbackBudget: 0.01,
            warmup: { seconds: 90 },
            latency: { maxP95Increase: '200ms' },
            burnRate: { fastFactor: 10 },
          },
        },
      }),
    );
    expect(policies.get('default')).toMatchObject({
      name: 'default',
      holdDeadlineMs: 120_000,
      warmupSeconds: 60,
      errorRate: { enabled: true, maxIncrease: 0.005 },
    });
    const strict = policies.get('strict')!;
    expect(strict).toMatchObject({
      name: 'strict',
      falseRollbackBudget: 0.01,
      holdDeadlineMs: 120_000,
      warmupSeconds: 90,
      errorRate: { maxIncrease: 0.005 },
      latency: { maxP95IncreaseSeconds: 0.2 },
    });
    expect(strict.burnRate.windows.map(w => w.factor)).toEqual([10, 6]);
  });

  it.each([
    [
      { falseRollbackBudget: 0 },
      "policies.default.falseRollbackBudget': expected a number above 0 and at most 0.2, got 0",
    ],
    [
      { falseRollbackBudget: 0.5 },
      "policies.default.falseRollbackBudget': expected a number above 0 and at most 0.2, got 0.5",
    ],
    [
      { errorRate: { maxIncreasePercentagePoints: -1 } },
      "policies.default.errorRate.maxIncreasePercentagePoints': expected a number above 0 and at most 100, got -1",
    ],
    [
      { burnRate: { slowFactor: 'six' } },
      `policies.default.burnRate.slowFactor': expected a number from 1 to 1000, got "six"`,
    ],
  ])('rejects %j naming the key and value', (policy, message) => {
    expect(() =>
      readAnalysisConfig(new ConfigReader({ policies: { default: policy } })),
    ).toThrow(`Invalid config at 'glidepath.analysis.${message}`);
  });
});

describe('the graph config', () => {
  it.each([
    [{}, 30_000],
    [{ glidepath: {} }, 30_000],
    [{ glidepath: { graph: { catalogCache: { seconds: 5 } } } }, 5_000],
    [{ glidepath: { graph: { catalogCache: '2m' } } }, 120_000],
    [{ glidepath: { graph: { catalogCache: { seconds: 0 } } } }, 0],
  ])('reads %j as a catalog snapshot of %d ms', (data, ms) => {
    expect(
      readGlidepathBackendConfig(new ConfigReader(data)).graphCatalogCacheMs,
    ).toBe(ms);
  });
});

describe('durations', () => {
  it.each([
    [{}, [20_000, 30_000, 10_000]],
    [
      {
        sync: { providerTimeout: '5s' },
        actions: { timeout: { minutes: 2 } },
        analysis: { metricsTimeout: 'PT3S' },
      },
      [5_000, 120_000, 3_000],
    ],
  ])(
    'reads %j as the provider, action and metrics timeouts %j',
    (glidepath, ms) => {
      const config = readGlidepathBackendConfig(
        new ConfigReader({ glidepath }),
      );
      expect([
        config.providerTimeoutMs,
        config.actionTimeoutMs,
        config.analysis.metricsTimeoutMs,
      ]).toEqual(ms);
    },
  );

  it.each([
    [
      { sync: { providerTimeout: 'soon' } },
      "Invalid config at 'glidepath.sync.providerTimeout': ",
    ],
    [
      { actions: { timeout: { fortnights: 1 } } },
      "Invalid config at 'glidepath.actions.timeout': ",
    ],
    [
      { graph: { catalogCache: { seconds: -1 } } },
      `Invalid config at 'glidepath.graph.catalogCache': expected a duration of zero or more, got {"seconds":-1}`,
    ],
    [
      { analysis: { metricsTimeout: 'later' } },
      "Invalid config at 'glidepath.analysis.metricsTimeout': ",
    ],
    [
      { analysis: { policies: { strict: { holdDeadline: 'later' } } } },
      "Invalid config at 'glidepath.analysis.policies.strict.holdDeadline': ",
    ],
    [
      { analysis: { policies: { default: { warmup: 'a while' } } } },
      "Invalid config at 'glidepath.analysis.policies.default.warmup': ",
    ],
  ])('refuses %j, naming the key', (glidepath, message) => {
    expect(() =>
      readGlidepathBackendConfig(new ConfigReader({ glidepath })),
    ).toThrow(message);
  });
});

describe('the DORA config', () => {
  it('has defaults: production, 190 days of history, Monday reports', () => {
    expect(readGlidepathBackendConfig(new ConfigReader({})).dora).toEqual({
      productionEnvironments: ['production'],
      historyDays: 190,
      countSimulatedReleases: false,
      weeklyReport: {
        enabled: true,
        schedule: expect.objectContaining({
          frequency: { cron: '0 7 * * 1' },
        }),
        backfillWeeks: 8,
      },
    });
  });

  it('reads every key', () => {
    const dora = readGlidepathBackendConfig(
      new ConfigReader({
        glidepath: {
          dora: {
            productionEnvironments: ['Prod', 'prod-eu'],
            historyDays: 30,
            countSimulatedReleases: true,
            weeklyReport: {
              enabled: false,
              schedule: { frequency: { days: 7 }, timeout: { minutes: 5 } },
              backfillWeeks: 2,
            },
          },
        },
      }),
    ).dora;
    expect(dora).toEqual({
      productionEnvironments: ['prod', 'prod-eu'],
      historyDays: 30,
      countSimulatedReleases: true,
      weeklyReport: {
        enabled: false,
        schedule: expect.objectContaining({ frequency: { days: 7 } }),
        backfillWeeks: 2,
      },
    });
  });

  it.each([
    [
      { productionEnvironments: [] },
      "glidepath.dora.productionEnvironments': expected a non-empty list of environment names, got []",
    ],
    [
      { productionEnvironments: [' '] },
      `glidepath.dora.productionEnvironments': expected a non-empty list of environment names, got [" "]`,
    ],
    [
      { historyDays: 0 },
      "glidepath.dora.historyDays': expected a whole number from 1 to 731, got 0",
    ],
    [
      { historyDays: 1000 },
      "glidepath.dora.historyDays': expected a whole number from 1 to 731, got 1000",
    ],
    [
      { weeklyReport: { backfillWeeks: 1.5 } },
      "glidepath.dora.weeklyReport.backfillWeeks': expected a whole number from 1 to 52, got 1.5",
    ],
  ])('refuses %j', (dora, message) => {
    expect(() =>
      readGlidepathBackendConfig(new ConfigReader({ glidepath: { dora } })),
    ).toThrow(`Invalid config at '${message}`);
  });
});
