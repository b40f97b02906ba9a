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
      /^Invalid config at glidepath\.calendar\.windows\[0\]: timezone: "Berlin" is not an IANA timezone/,
    ],
    [
      { rrule: 'FREQ=WEEKLY;INTERVAL=x' },
      'Invalid config at glidepath.calendar.windows[0]: rrule: INTERVAL=x is not a valid INTERVAL',
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
});
