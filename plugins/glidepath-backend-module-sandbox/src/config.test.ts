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
      pinnedReleases: {},
      environment: 'production',
      historySize: 10,
      actionLatencyMs: 0,
      stagingLeadMs: 120_000,
      awaitPromotion: false,
      rollbackFailureShare: 0.1,
      rollbackFailureShareByService: {},
      startedReleaseHoldMs: 3_600_000,
      history: { enabled: true, trends: {} },
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
        pinnedReleases: { 'ledger-service': ['2.2.0', '2.3.0'] },
        environment: 'staging',
        historySize: 25,
        actionLatency: 'PT1.5S',
        stagingLead: { seconds: 50 },
        awaitPromotion: true,
        rollbackFailureShare: 0.25,
        rollbackFailureShareByService: { 'ledger-service': 1 },
        startedReleaseHold: '15m',
        history: {
          enabled: false,
          trends: { 'team-a': 'improving', 'team-b': 'worsening' },
        },
      }),
    ).toEqual({
      enabled: false,
      seed: 'demo',
      releaseIntervalMs: 120_000,
      stepDurationMs: 45_000,
      faultRate: 0.5,
      faultRateByService: { 'search-service': 1 },
      pinnedReleases: { 'ledger-service': ['2.2.0', '2.3.0'] },
      environment: 'staging',
      historySize: 25,
      actionLatencyMs: 1_500,
      stagingLeadMs: 50_000,
      awaitPromotion: true,
      rollbackFailureShare: 0.25,
      rollbackFailureShareByService: { 'ledger-service': 1 },
      startedReleaseHoldMs: 15 * 60_000,
      history: {
        enabled: false,
        trends: { 'team-a': 'improving', 'team-b': 'worsening' },
      },
    });
  });

  it('leads staging by half the release interval unless told', () => {
    expect(read({ releaseInterval: { minutes: 10 } }).stagingLeadMs).toBe(
      300_000,
    );
  });

  it('reads pinned release histories, in semver order', () => {
    const pinnedReleases = {
      'ledger-service': ['2.2.0', '2.3.0'],
      'refunds-service': [
        '0.9.10',
        '1.0.0-alpha',
        '1.0.0-alpha.1',
        '1.0.0-alpha.beta',
        '1.0.0-beta.2',
        '1.0.0-beta.11',
        '1.0.0-rc.1',
        '1.0.0',
        '1.2.0',
        '1.10.0',
        '10.0.0',
      ],
    };
    expect(read({ pinnedReleases }).pinnedReleases).toEqual(pinnedReleases);
  });

  const PINNED = 'glidepath.sandbox.pinnedReleases.ledger-service';
  it.each<[string, unknown, string]>([
    [
      'a single version',
      ['2.3.0'],
      `${PINNED} must list at least two versions: the one deployed before, then each one released, got ["2.3.0"]`,
    ],
    [
      'no version',
      [],
      `${PINNED} must list at least two versions: the one deployed before, then each one released`,
    ],
    [
      'a version that is not semver',
      ['2.2.0', '2.3'],
      `${PINNED}: "2.3" is not a semver version such as "2.3.0" or "2.3.0-rc.1"`,
    ],
    ['a leading v', ['v2.2.0', '2.3.0'], `${PINNED}: "v2.2.0" is not a semver`],
    [
      'a leading zero',
      ['2.2.0', '2.03.0'],
      `${PINNED}: "2.03.0" is not a semver`,
    ],
    [
      'build metadata',
      ['2.2.0', '2.3.0+b1'],
      `${PINNED}: "2.3.0+b1" is not a semver`,
    ],
    ['a number', ['2.2.0', 3], `${PINNED}: 3 is not a semver version`],
    [
      'a repeated version',
      ['2.2.0', '2.3.0', '2.3.0'],
      `${PINNED}: "2.3.0" does not follow "2.3.0": versions must increase`,
    ],
    [
      'a decreasing version, compared as numbers',
      ['2.10.0', '2.9.0'],
      `${PINNED}: "2.9.0" does not follow "2.10.0": versions must increase`,
    ],
    [
      'a pre-release after its release',
      ['2.3.0', '2.3.0-rc.1'],
      `${PINNED}: "2.3.0-rc.1" does not follow "2.3.0": versions must increase`,
    ],
    [
      'a string',
      '2.3.0',
      `${PINNED} must be a list of versions such as ['2.2.0', '2.3.0'], got "2.3.0"`,
    ],
    [
      'a map',
      { from: '2.2.0', to: '2.3.0' },
      `${PINNED} must be a list of versions`,
    ],
  ])('refuses a pinned history with %s', (_name, versions, message) => {
    expect(() =>
      read({ pinnedReleases: { 'ledger-service': versions } }),
    ).toThrow(message);
  });

  it('refuses pinnedReleases that is not a map of services', () => {
    expect(() => read({ pinnedReleases: ['2.2.0', '2.3.0'] })).toThrow(
      'glidepath.sandbox.pinnedReleases',
    );
  });

  it.each([
    [
      { history: { trends: { 'team-a': 'sideways' } } },
      'Invalid config at \'glidepath.sandbox.history.trends.team-a\': expected improving, worsening, steady, got "sideways"',
    ],
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
      { rollbackFailureShare: 1.1 },
      "Invalid config at 'glidepath.sandbox.rollbackFailureShare': expected a number from 0 to 1, got 1.1",
    ],
    [
      { rollbackFailureShare: 'rarely' },
      'glidepath.sandbox.rollbackFailureShare',
    ],
    [
      { rollbackFailureShareByService: { 'ledger-service': -1 } },
      "Invalid config at 'glidepath.sandbox.rollbackFailureShareByService.ledger-service': expected a number from 0 to 1, got -1",
    ],
    [
      { rollbackFailureShareByService: { 'ledger-service': 'always' } },
      'Invalid config at \'glidepath.sandbox.rollbackFailureShareByService.ledger-service\': expected a number from 0 to 1, got "always"',
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
      '\'glidepath.sandbox.stepDuration\': expected a duration of at least 1000 ms, got "500ms"',
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
