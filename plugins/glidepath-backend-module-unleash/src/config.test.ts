import { ConfigReader } from '@backstage/config';
import { readUnleashConfig } from './config';

const read = (unleash: unknown) =>
  readUnleashConfig(new ConfigReader({ glidepath: { unleash } } as any));

describe('readUnleashConfig', () => {
  it('reads the settings, with the default timeout', () => {
    expect(
      read({ baseUrl: 'https://unleash.example.com/', token: ' user:abc ' }),
    ).toEqual({
      baseUrl: 'https://unleash.example.com',
      token: 'user:abc',
      timeoutMs: 30_000,
    });
    expect(
      read({
        baseUrl: 'https://eu.app.unleash-hosted.com/acme',
        token: 't',
        timeout: '5s',
      }),
    ).toEqual({
      baseUrl: 'https://eu.app.unleash-hosted.com/acme',
      token: 't',
      timeoutMs: 5_000,
    });
  });

  it.each([
    [undefined, "'glidepath.unleash.baseUrl' is not set"],
    [{ token: 't' }, "'glidepath.unleash.baseUrl' is not set"],
    [
      { baseUrl: 'unleash:4242', token: 't' },
      `Invalid config at 'glidepath.unleash.baseUrl': expected an http or https URL, got "unleash:4242"`,
    ],
    [
      { baseUrl: 'not a url', token: 't' },
      `Invalid config at 'glidepath.unleash.baseUrl': "not a url" is not a URL`,
    ],
    [
      { baseUrl: 'https://unleash.example.com/api/', token: 't' },
      "Invalid config at 'glidepath.unleash.baseUrl': give Unleash's URL without /api",
    ],
    [
      { baseUrl: 'https://unleash.example.com' },
      "'glidepath.unleash.token' is not set",
    ],
    [
      { baseUrl: 'https://unleash.example.com', token: ' ' },
      "'glidepath.unleash.token' is not set",
    ],
    [
      { baseUrl: 'https://unleash.example.com', token: 't', timeout: 'soon' },
      "Invalid config at 'glidepath.unleash.timeout'",
    ],
  ])('refuses %j: %s', (unleash, message) => {
    expect(() => read(unleash)).toThrow(message);
  });
});
