import { ConfigReader } from '@backstage/config';
import {
  invalidConfig,
  invalidConfigValue,
  readConfigDurationMs,
  readConfigHttpUrl,
} from './config';

const options = { prefix: 'glidepath.example', fallbackMs: 5000 };

describe('readConfigDurationMs', () => {
  it.each([
    ['a string', { every: '10s' }, {}, 10_000],
    ['ISO 8601', { every: 'PT1M' }, {}, 60_000],
    ['an object', { every: { seconds: 2 } }, {}, 2000],
    ['the fallback when not set', {}, {}, 5000],
    ['exactly the minimum', { every: '1s' }, { minMs: 1000 }, 1000],
    ['zero when allowed', { every: { seconds: 0 } }, { minMs: 0 }, 0],
    ['the fallback when not set, whatever the minimum', {}, { minMs: 0 }, 5000],
  ])('reads %s', (_name, data, extra, expected) => {
    expect(
      readConfigDurationMs(new ConfigReader(data), 'every', {
        ...options,
        ...extra,
      }),
    ).toBe(expected);
  });

  it.each([
    [
      'not a duration',
      { every: 'soon' },
      {},
      "Invalid config at 'glidepath.example.every': ",
    ],
    [
      'zero',
      { every: { seconds: 0 } },
      {},
      'Invalid config at \'glidepath.example.every\': expected a duration above zero, got {"seconds":0}',
    ],
    [
      'below the minimum',
      { every: '500ms' },
      { minMs: 1000 },
      `Invalid config at 'glidepath.example.every': expected a duration of at least 1000 ms, got "500ms"`,
    ],
    [
      'below zero',
      { every: { seconds: -1 } },
      { minMs: 0 },
      `Invalid config at 'glidepath.example.every': expected a duration of zero or more, got {"seconds":-1}`,
    ],
    [
      'a list',
      { every: ['10s'] },
      {},
      "Invalid config at 'glidepath.example.every': ",
    ],
  ])('refuses %s, naming the key', (_name, data, extra, message) => {
    expect(() =>
      readConfigDurationMs(new ConfigReader(data), 'every', {
        ...options,
        ...extra,
      }),
    ).toThrow(message);
  });
});

describe('invalidConfig', () => {
  it.each([
    [
      'glidepath.example',
      'url',
      'not a URL',
      "Invalid config at 'glidepath.example.url': not a URL",
    ],
    [
      'glidepath.example',
      'clusters[0].name',
      'every cluster needs a name',
      "Invalid config at 'glidepath.example.clusters[0].name': every cluster needs a name",
    ],
  ])('names %s.%s and the problem', (prefix, key, problem, message) => {
    expect(invalidConfig(prefix, key, problem).message).toBe(message);
  });
});

describe('invalidConfigValue', () => {
  it.each<[string, unknown, string]>([
    [
      'a number from 0 to 1',
      1.5,
      "Invalid config at 'glidepath.example.rate': expected a number from 0 to 1, got 1.5",
    ],
    [
      'a number from 0 to 1',
      'often',
      `Invalid config at 'glidepath.example.rate': expected a number from 0 to 1, got "often"`,
    ],
    [
      'a non-empty list',
      [],
      "Invalid config at 'glidepath.example.rate': expected a non-empty list, got []",
    ],
    [
      'a number',
      { n: 1 },
      `Invalid config at 'glidepath.example.rate': expected a number, got {"n":1}`,
    ],
  ])('says it expected %s and got %j', (expected, value, message) => {
    expect(
      invalidConfigValue('glidepath.example', 'rate', expected, value).message,
    ).toBe(message);
  });
});

describe('readConfigHttpUrl', () => {
  const read = (value: unknown) =>
    readConfigHttpUrl(new ConfigReader({ url: value } as any), 'url', {
      prefix: 'glidepath.acme',
    });

  it.each([
    [undefined, undefined],
    ['  ', undefined],
    ['https://acme.example.com/', 'https://acme.example.com'],
    [' http://10.0.0.7:4242/base// ', 'http://10.0.0.7:4242/base'],
  ])('reads %j as %j', (value, expected) => {
    expect(read(value)).toBe(expected);
  });

  it.each([
    [
      'acme.example.com',
      `Invalid config at 'glidepath.acme.url': "acme.example.com" is not a URL`,
    ],
    [
      'ftp://acme',
      `Invalid config at 'glidepath.acme.url': expected an http or https URL, got "ftp://acme"`,
    ],
  ])('refuses %j', (value, message) => {
    expect(() => read(value)).toThrow(message);
  });
});
