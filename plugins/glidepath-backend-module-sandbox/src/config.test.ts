import { ConfigReader } from '@backstage/config';
import { readSandboxConfig, SANDBOX_DEFAULTS } from './config';

function read(sandbox: unknown) {
  return readSandboxConfig(new ConfigReader({ glidepath: { sandbox } } as any));
}

describe('readSandboxConfig', () => {
  it('uses the defaults when nothing is configured', () => {
    expect(readSandboxConfig(new ConfigReader({}))).toEqual({
      enabled: true,
      seed: 'glidepath',
      releaseIntervalMs: 240_000,
      stepDurationMs: 30_000,
      faultRate: 0.2,
      faultRateByService: {},
      environment: 'production',
      historySize: 10,
      actionLatencyMs: 0,
      awaitPromotion: false,
    });
    expect(read({})).toEqual(SANDBOX_DEFAULTS);
  });

  it('reads every key', () => {
    expect(
      read({
        enabled: false,
        seed: 'demo',
        releaseInterval: { minutes: 2 },
        stepDuration: '45s',
        faultRate: 0.5,
        faultRateByService: { 'search-service': 1 },
        environment: 'staging',
        historySize: 25,
        actionLatency: 'PT1.5S',
        awaitPromotion: true,
      }),
    ).toEqual({
      enabled: false,
      seed: 'demo',
      releaseIntervalMs: 120_000,
      stepDurationMs: 45_000,
      faultRate: 0.5,
      faultRateByService: { 'search-service': 1 },
      environment: 'staging',
      historySize: 25,
      actionLatencyMs: 1_500,
      awaitPromotion: true,
    });
  });

  it.each([
    [
      { faultRate: 1.5 },
      "Invalid config at 'glidepath.sandbox.faultRate': expected a number from 0 to 1, got 1.5",
    ],
    [
      { faultRate: -0.1 },
      "'glidepath.sandbox.faultRate': expected a number from 0 to 1, got -0.1",
    ],
    [{ faultRate: 'often' }, 'glidepath.sandbox.faultRate'],
    [
      { faultRateByService: { 'search-service': 2 } },
      "Invalid config at 'glidepath.sandbox.faultRateByService.search-service': expected a number from 0 to 1, got 2",
    ],
    [
      { historySize: 0 },
      "'glidepath.sandbox.historySize': expected a whole number from 1 to 1000, got 0",
    ],
    [
      { historySize: 2.5 },
      "'glidepath.sandbox.historySize': expected a whole number from 1 to 1000, got 2.5",
    ],
    [
      { releaseInterval: 'soon' },
      "Invalid config at 'glidepath.sandbox.releaseInterval'",
    ],
    [
      { releaseInterval: { fortnights: 1 } },
      "Invalid config at 'glidepath.sandbox.releaseInterval'",
    ],
    [
      { stepDuration: '500ms' },
      '\'glidepath.sandbox.stepDuration\': expected a duration of at least 1s, got "500ms"',
    ],
    [
      { actionLatency: { seconds: -1 } },
      "'glidepath.sandbox.actionLatency': expected a duration of zero or more",
    ],
    [{ seed: '  ' }, "'glidepath.sandbox.seed': expected a non-empty string"],
    [{ environment: '' }, 'glidepath.sandbox.environment'],
    [{ enabled: 'yes please' }, 'glidepath.sandbox.enabled'],
    [{ awaitPromotion: 'when asked' }, 'glidepath.sandbox.awaitPromotion'],
  ])('refuses %j', (sandbox, message) => {
    expect(() => read(sandbox)).toThrow(message);
  });
});
