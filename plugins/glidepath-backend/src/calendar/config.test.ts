import { ConfigReader } from '@backstage/config';
import { readCalendarConfig } from './config';

const read = (calendar: object) =>
  readCalendarConfig(
    new ConfigReader({ glidepath: { calendar } }),
    new Date('2026-12-01T00:00:00Z'),
  );

describe('readCalendarConfig', () => {
  it('reads windows kept in config, marked as such', () => {
    const { windows } = read({
      windows: [
        {
          title: 'Order freeze',
          scope: { kind: 'entity', ref: 'component:default/order-service' },
          reason: 'Order migration',
          timezone: 'UTC',
          start: '2026-01-01T00:00',
          rrule: 'FREQ=DAILY',
          durationMinutes: 1440,
        },
      ],
    });
    expect(windows).toEqual([
      {
        id: 'config-1',
        title: 'Order freeze',
        effect: 'deny',
        scope: { kind: 'entity', ref: 'component:default/order-service' },
        reason: 'Order migration',
        timezone: 'UTC',
        start: '2026-01-01T00:00',
        rrule: 'FREQ=DAILY',
        durationMinutes: 1440,
        createdBy: {
          kind: 'service',
          ref: 'app-config',
          displayName: 'app-config',
        },
        createdAt: '2026-12-01T00:00:00.000Z',
        definedIn: 'app-config',
      },
    ]);
    expect(read({}).windows).toEqual([]);
  });

  it.each([
    [
      { timezone: 'Berlin' },
      /^Invalid config at glidepath\.calendar\.windows\[0\]\.timezone: "Berlin" is not an IANA timezone/,
    ],
    [
      { rrule: 'FREQ=WEEKLY;INTERVAL=x' },
      'Invalid config at glidepath.calendar.windows[0].rrule: INTERVAL=x is not a valid INTERVAL',
    ],
    [
      { effect: 'block' },
      'Invalid config at glidepath.calendar.windows[0].effect: "block" is neither deny nor allow',
    ],
    [
      { scope: { kind: 'team' } },
      /^Invalid config at glidepath\.calendar\.windows\[0\]\.scope\.kind: "team"/,
    ],
  ])('names what is wrong with a window: %j', (change, message) => {
    expect(() =>
      read({
        windows: [
          {
            title: 'x',
            scope: { kind: 'organisation' },
            reason: 'x',
            timezone: 'UTC',
            start: '2026-01-01T00:00',
            rrule: 'FREQ=DAILY',
            durationMinutes: 60,
            ...change,
          },
        ],
      }),
    ).toThrow(message);
  });

  it('reads trains kept in config, marked as such, with ids of their own', () => {
    const { trains, windows } = read({
      windows: [
        {
          title: 'Weekend',
          scope: { kind: 'organisation' },
          reason: 'No releases at the weekend',
          timezone: 'Europe/Berlin',
          start: '2026-01-02T16:00',
          rrule: 'FREQ=WEEKLY;BYDAY=FR',
          durationMinutes: 3840,
        },
      ],
      trains: [
        {
          title: 'Checkout train',
          scope: { kind: 'owner', ref: 'group:default/team-checkout' },
          timezone: 'Europe/Berlin',
          start: '2026-01-06T10:00',
          rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
        },
        {
          title: 'Everyone',
          scope: { kind: 'organisation' },
          timezone: 'UTC',
          start: '2026-01-07T09:00',
          rrule: 'FREQ=WEEKLY;BYDAY=WE',
        },
      ],
    });
    expect(trains).toEqual([
      {
        id: 'config-train-1',
        title: 'Checkout train',
        scope: { kind: 'owner', ref: 'group:default/team-checkout' },
        timezone: 'Europe/Berlin',
        start: '2026-01-06T10:00',
        rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
        createdBy: {
          kind: 'service',
          ref: 'app-config',
          displayName: 'app-config',
        },
        createdAt: '2026-12-01T00:00:00.000Z',
        definedIn: 'app-config',
      },
      expect.objectContaining({
        id: 'config-train-2',
        title: 'Everyone',
        scope: { kind: 'organisation' },
      }),
    ]);
    // A window's id and a train's never meet.
    expect(windows.map(w => w.id)).toEqual(['config-1']);
    expect(read({}).trains).toEqual([]);
  });

  it.each([
    [
      { rrule: 'FREQ=WEEKLY;BYDAY=XX' },
      'Invalid config at glidepath.calendar.trains[0].rrule: BYDAY=XX is not a valid BYDAY',
    ],
    [
      { rrule: 'BYDAY=TU' },
      /^Invalid config at glidepath\.calendar\.trains\[0\]\.rrule: FREQ is missing/,
    ],
    [
      { timezone: 'Berlin' },
      /^Invalid config at glidepath\.calendar\.trains\[0\]\.timezone: "Berlin" is not an IANA timezone/,
    ],
    [
      { start: 'Tuesday 10:00' },
      'Invalid config at glidepath.calendar.trains[0].start: "Tuesday 10:00" is not a local date and time (YYYY-MM-DDTHH:mm)',
    ],
    [
      { scope: { kind: 'team', ref: 'group:default/team-checkout' } },
      'Invalid config at glidepath.calendar.trains[0].scope.kind: "team" is not organisation, domain, system, owner, entity or environment',
    ],
    [
      { scope: { kind: 'owner' } },
      'Invalid config at glidepath.calendar.trains[0].scope.ref: an owner scope names the owner by its entity ref',
    ],
    [
      { scope: { kind: 'environment' } },
      'Invalid config at glidepath.calendar.trains[0].scope.name: an environment scope names the environment',
    ],
  ])('names what is wrong with a train: %j', (change, message) => {
    expect(() =>
      read({
        trains: [
          {
            title: 'Checkout train',
            scope: { kind: 'owner', ref: 'group:default/team-checkout' },
            timezone: 'Europe/Berlin',
            start: '2026-01-06T10:00',
            rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
            ...change,
          },
        ],
      }),
    ).toThrow(message);
  });

  it.each(['title', 'scope', 'timezone', 'start', 'rrule'])(
    'names a train without its %s',
    field => {
      const train: Record<string, unknown> = {
        title: 'Checkout train',
        scope: { kind: 'owner', ref: 'group:default/team-checkout' },
        timezone: 'Europe/Berlin',
        start: '2026-01-06T10:00',
        rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
      };
      delete train[field];
      expect(() => read({ trains: [train] })).toThrow(
        `Missing required config value at 'glidepath.calendar.trains[0].${field}'`,
      );
    },
  );
});
