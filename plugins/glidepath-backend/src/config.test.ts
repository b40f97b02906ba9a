import { ConfigReader } from '@backstage/config';
import { DEFAULT_POLICY } from './lib/judge';
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
            latency: { maxP95Increase: '200ms' },
            burnRate: { fastFactor: 10 },
          },
        },
      }),
    );
    expect(policies.get('default')).toMatchObject({
      name: 'default',
      holdDeadlineMs: 120_000,
      errorRate: { enabled: true, maxIncrease: 0.005 },
    });
    const strict = policies.get('strict')!;
    expect(strict).toMatchObject({
      name: 'strict',
      falseRollbackBudget: 0.01,
      holdDeadlineMs: 120_000,
      errorRate: { maxIncrease: 0.005 },
      latency: { maxP95IncreaseSeconds: 0.2 },
    });
    expect(strict.burnRate.windows.map(w => w.factor)).toEqual([10, 6]);
  });

  it.each([
    [{ falseRollbackBudget: 0 }, 'policies.default.falseRollbackBudget: 0'],
    [{ falseRollbackBudget: 0.5 }, 'policies.default.falseRollbackBudget: 0.5'],
    [
      { errorRate: { maxIncreasePercentagePoints: -1 } },
      'policies.default.errorRate.maxIncreasePercentagePoints: -1',
    ],
    [
      { burnRate: { slowFactor: 'six' } },
      'policies.default.burnRate.slowFactor: "six"',
    ],
  ])('rejects %j naming the key and value', (policy, message) => {
    expect(() =>
      readAnalysisConfig(new ConfigReader({ policies: { default: policy } })),
    ).toThrow(`Invalid Glidepath config glidepath.analysis.${message}`);
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
