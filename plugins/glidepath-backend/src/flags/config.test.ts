import { ConfigReader } from '@backstage/config';
import { readFlagsConfig } from './config';

const read = (flags: object) =>
  readFlagsConfig(new ConfigReader({ flags }).getOptionalConfig('flags'));

describe('readFlagsConfig', () => {
  it("defaults to Unleash's lifetimes and 90 days for temporary flags", () => {
    const config = readFlagsConfig(undefined);
    expect(Object.fromEntries(config.rules.lifetimes)).toEqual({
      release: 40,
      experiment: 40,
      operational: 7,
      'kill-switch': null,
      permission: null,
    });
    expect(config.rules).toMatchObject({
      temporaryLifetimeDays: 90,
      dueSoonDays: 7,
      launchedAfterDays: 7,
      inactiveAfterDays: 30,
    });
    expect(config.sync).toEqual({
      schedule: expect.objectContaining({ frequency: { minutes: 10 } }),
      providerTimeoutMs: 30_000,
      pageSize: 500,
    });
    // The cleanup runs daily, only reporting until told otherwise.
    expect(config.cleanup).toEqual({
      enabled: true,
      dryRun: true,
      gracePeriodDays: 14,
      schedule: expect.objectContaining({ frequency: { cron: '0 8 * * *' } }),
    });
  });

  it('reads the cleanup', () => {
    expect(
      read({ cleanup: { dryRun: false, gracePeriodDays: 7, enabled: false } })
        .cleanup,
    ).toMatchObject({ enabled: false, dryRun: false, gracePeriodDays: 7 });
  });

  it('overrides a type, makes one permanent and adds another', () => {
    const config = read({
      lifetimes: { release: 21, Operational: 'permanent', migration: 60 },
      temporaryLifetimeDays: 120,
      sync: {
        pageSize: 100,
        providerTimeout: '2m',
        schedule: { frequency: { minutes: 1 }, timeout: { minutes: 1 } },
      },
    });
    expect(Object.fromEntries(config.rules.lifetimes)).toEqual({
      release: 21,
      experiment: 40,
      operational: null,
      'kill-switch': null,
      permission: null,
      migration: 60,
    });
    expect(config.rules.temporaryLifetimeDays).toBe(120);
    expect(config.sync).toEqual({
      schedule: { frequency: { minutes: 1 }, timeout: { minutes: 1 } },
      providerTimeoutMs: 120_000,
      pageSize: 100,
    });
  });

  it.each([
    [
      { lifetimes: { release: 'forever' } },
      "'glidepath.flags.lifetimes.release': expected a number of days from 1 to 3650, or 'permanent', got \"forever\"",
    ],
    [{ lifetimes: { release: 0 } }, "'glidepath.flags.lifetimes.release'"],
    [
      { temporaryLifetimeDays: 2.5 },
      "'glidepath.flags.temporaryLifetimeDays': expected a whole number from 1 to 3650, got 2.5",
    ],
    [{ dueSoonDays: -1 }, "'glidepath.flags.dueSoonDays'"],
    [{ launchedAfterDays: 'a week' }, "'glidepath.flags.launchedAfterDays'"],
    [{ inactiveAfterDays: 0 }, "'glidepath.flags.inactiveAfterDays'"],
    [
      { cleanup: { gracePeriodDays: 0 } },
      "'glidepath.flags.cleanup.gracePeriodDays': expected a whole number from 1 to 365, got 0",
    ],
    [
      { sync: { pageSize: 0 } },
      "'glidepath.flags.sync.pageSize': expected a whole number from 1 to 10000, got 0",
    ],
    [
      { sync: { providerTimeout: 'soon' } },
      "'glidepath.flags.sync.providerTimeout'",
    ],
  ])('refuses %j naming the key', (flags, message) => {
    expect(() => read(flags)).toThrow(message);
  });
});
