import { ConfigReader } from '@backstage/config';
import { readLaunchDarklyConfig } from './config';

const read = (launchdarkly: unknown) =>
  readLaunchDarklyConfig(
    new ConfigReader({ glidepath: { launchdarkly } } as any),
  );

describe('readLaunchDarklyConfig', () => {
  it('reads the settings, with the defaults', () => {
    expect(read({ token: ' api-1 ' })).toEqual({
      baseUrl: 'https://app.launchdarkly.com',
      token: 'api-1',
      timeoutMs: 30_000,
    });
    expect(
      read({
        token: 'api-1',
        baseUrl: 'https://app.eu.launchdarkly.com/',
        environments: ['production', 'staging', 'production'],
        timeout: { seconds: 5 },
      }),
    ).toEqual({
      baseUrl: 'https://app.eu.launchdarkly.com',
      token: 'api-1',
      environments: ['production', 'staging'],
      timeoutMs: 5_000,
    });
  });

  it.each([
    [undefined, "'glidepath.launchdarkly.token' is not set"],
    [
      { baseUrl: 'https://app.launchdarkly.com' },
      "'glidepath.launchdarkly.token' is not set",
    ],
    [
      { token: 't', baseUrl: 'app.launchdarkly.com' },
      `Invalid config at 'glidepath.launchdarkly.baseUrl': "app.launchdarkly.com" is not a URL`,
    ],
    [
      { token: 't', baseUrl: 'ftp://x' },
      `Invalid config at 'glidepath.launchdarkly.baseUrl': expected an http or https URL`,
    ],
    [
      { token: 't', baseUrl: 'https://app.launchdarkly.com/api/v2' },
      "give LaunchDarkly's URL without /api/v2",
    ],
    [
      { token: 't', environments: [] },
      `Invalid config at 'glidepath.launchdarkly.environments': expected a non-empty list of environment keys`,
    ],
    [
      { token: 't', environments: 'production' },
      `Invalid config at 'glidepath.launchdarkly.environments'`,
    ],
    [{ token: 't', environments: ['prod uction'] }, `got ["prod uction"]`],
    [
      { token: 't', timeout: 'soon' },
      "Invalid config at 'glidepath.launchdarkly.timeout'",
    ],
  ])('refuses %j: %s', (launchdarkly, message) => {
    expect(() => read(launchdarkly)).toThrow(message);
  });
});
