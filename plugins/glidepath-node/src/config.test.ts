import { ConfigReader } from '@backstage/config';
import { readConfigDurationMs } from './config';

const options = { prefix: 'glidepath.example', fallbackMs: 5000 };

describe('readConfigDurationMs', () => {
  it.each([
    ['a string', { every: '10s' }, {}, 10_000],
    ['ISO 8601', { every: 'PT1M' }, {}, 60_000],
    ['an object', { every: { seconds: 2 } }, {}, 2000],
    ['the fallback when not set', {}, {}, 5000],
    ['exactly the minimum', { every: '1s' }, { minMs: 1000 }, 1000],
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
  ])('refuses %s, naming the key', (_name, data, extra, message) => {
    expect(() =>
      readConfigDurationMs(new ConfigReader(data), 'every', {
        ...options,
        ...extra,
      }),
    ).toThrow(message);
  });
});
