import {
  FreezeWindow,
  trainSlots,
  windowOccurrences,
} from '@glidepath/backstage-plugin-common';
import ICAL from 'ical.js';
import type { StoredReleaseTrain } from './CalendarStore';
import {
  calendarFeed,
  feedRule,
  feedToken,
  feedTokenValid,
  TRAIN_SLOT_MINUTES,
} from './feed';

const by = { kind: 'user' as const, ref: 'user:default/admin' };
const createdAt = '2026-01-01T00:00:00.000Z';

function window(overrides: Partial<FreezeWindow>): FreezeWindow {
  return {
    id: 'w1',
    title: 'Weekend',
    effect: 'deny',
    scope: { kind: 'environment', name: 'production' },
    reason: 'No releases at the weekend',
    timezone: 'Europe/Berlin',
    start: '2026-03-27T16:00',
    rrule: 'FREQ=WEEKLY;BYDAY=FR',
    durationMinutes: 3840,
    createdBy: by,
    createdAt,
    ...overrides,
  } as FreezeWindow;
}

const train: StoredReleaseTrain = {
  id: 't1',
  title: 'Checkout train',
  scope: { kind: 'system', ref: 'system:default/checkout' },
  timezone: 'Europe/Berlin',
  start: '2026-01-06T10:00',
  rrule: 'FREQ=WEEKLY;BYDAY=TU,TH',
  createdBy: by,
  createdAt,
};

/** Parses a feed as a calendar app would, with its VTIMEZONEs registered. */
function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.reset();
  for (const zone of calendar.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(zone);
  }
  const events = calendar
    .getAllSubcomponents('vevent')
    .map(component => new ICAL.Event(component));
  return { calendar, events };
}

/** An event's occurrences overlapping [from, to), as instants. */
function occurrences(event: ICAL.Event, from: Date, to: Date) {
  const result: Array<{ start: string; end: string }> = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    const start = details.startDate.toJSDate();
    const end = details.endDate.toJSDate();
    if (start >= to) break;
    if (end > from) {
      result.push({ start: start.toISOString(), end: end.toISOString() });
    }
  }
  return result;
}

describe('calendarFeed', () => {
  const from = new Date('2026-03-01T00:00:00Z');
  const to = new Date('2026-05-01T00:00:00Z');

  it('keeps a recurring window as one event with its RRULE and TZID, and a calendar app places it as Glidepath does across the spring change', () => {
    const weekend = window({});
    const text = calendarFeed({
      name: 'Release calendar',
      windows: [weekend],
      trains: [],
    });
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20260327T160000');
    // 64 hours later, after clocks went forward on Sunday 29 March: 09:00.
    expect(text).toContain('DTEND;TZID=Europe/Berlin:20260330T090000');
    expect(text).toContain('RRULE:FREQ=WEEKLY;BYDAY=FR');
    const { calendar, events } = parse(text);
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe(
      'Release calendar',
    );
    expect(
      calendar
        .getAllSubcomponents('vtimezone')
        .map(z => z.getFirstPropertyValue('tzid')),
    ).toEqual(['Europe/Berlin']);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event.isRecurring()).toBe(true);
    expect(event.startDate.zone.tzid).toBe('Europe/Berlin');
    expect(event.summary).toBe('Release freeze: Weekend');
    expect(event.description).toContain(
      'Releases are frozen: No releases at the weekend',
    );
    expect(event.description).toContain('the production environment');

    const app = occurrences(event, from, to);
    const glidepath = windowOccurrences(specOf(weekend), from, to).map(o => ({
      start: o.start.toISOString(),
      end: o.end.toISOString(),
    }));
    // Every occurrence starts where Glidepath's does: 16:00 in Berlin on
    // both sides of the change, 15:00 UTC, then 14:00.
    expect(app.map(o => o.start)).toEqual(glidepath.map(o => o.start));
    expect(app.slice(0, 2).map(o => o.start)).toEqual([
      '2026-03-27T15:00:00.000Z',
      '2026-04-03T14:00:00.000Z',
    ]);
    // The first occurrence spans the change: its DTEND is Monday 09:00 in
    // Berlin, 64 hours (3840 minutes) later, as in Glidepath. (ical.js
    // adds an occurrence's length in wall-clock time, so for this one
    // occurrence its expansion ends an hour early; RFC 5545 says a DTEND's
    // duration is exact.)
    expect(event.endDate.toJSDate().toISOString()).toBe(glidepath[0].end);
    expect(glidepath[0].end).toBe('2026-03-30T07:00:00.000Z');
    expect(app.slice(1)).toEqual(glidepath.slice(1));
  });

  it('places a window across the autumn change in its own timezone', () => {
    const nightly = window({
      id: 'w2',
      title: 'Nightly batch',
      timezone: 'America/New_York',
      start: '2026-10-30T22:00',
      rrule: 'FREQ=DAILY',
      // Each occurrence ends before 02:00; one that spans the change itself
      // lasts its exact minutes (RFC 5545: DTEND gives an exact duration),
      // which ical.js adds in wall-clock time instead (an hour longer).
      durationMinutes: 120,
    });
    const { events } = parse(
      calendarFeed({ name: 'x', windows: [nightly], trains: [] }),
    );
    const app = occurrences(
      events[0],
      new Date('2026-10-30T00:00:00Z'),
      new Date('2026-11-04T00:00:00Z'),
    );
    expect(app.map(o => o.start)).toEqual([
      '2026-10-31T02:00:00.000Z',
      '2026-11-01T02:00:00.000Z',
      // Clocks went back on 1 November: 22:00 New York is 03:00 UTC now.
      '2026-11-02T03:00:00.000Z',
      '2026-11-03T03:00:00.000Z',
    ]);
    expect(app).toEqual(
      windowOccurrences(
        specOf(nightly),
        new Date('2026-10-30T00:00:00Z'),
        new Date('2026-11-04T00:00:00Z'),
      ).map(o => ({ start: o.start.toISOString(), end: o.end.toISOString() })),
    );
  });

  it('writes a one-off window with its local start and end, and an allow window as such', () => {
    const text = calendarFeed({
      name: 'x',
      windows: [
        window({
          id: 'w3',
          title: 'Year end',
          rrule: undefined,
          durationMinutes: undefined,
          start: '2026-12-24T00:00',
          end: '2027-01-02T00:00',
          scope: { kind: 'organisation' },
          reason: 'Holidays',
        }),
        window({
          id: 'w4',
          title: 'Business hours',
          effect: 'allow',
          rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH',
          start: '2026-01-05T09:00',
          durationMinutes: 480,
          reason: 'Releases with people around',
        }),
      ],
      trains: [],
    });
    const { events } = parse(text);
    const [yearEnd, hours] = events;
    expect(yearEnd.isRecurring()).toBe(false);
    expect(yearEnd.startDate.toJSDate().toISOString()).toBe(
      '2026-12-23T23:00:00.000Z',
    );
    expect(yearEnd.endDate.toJSDate().toISOString()).toBe(
      '2027-01-01T23:00:00.000Z',
    );
    expect(yearEnd.description).toContain('the whole organisation');
    expect(hours.summary).toBe('Release window: Business hours');
    expect(hours.description).toContain(
      'Releases are allowed only in this window: Releases with people around',
    );
  });

  it('gives a train its slots, each lasting the feed’s slot length, as trainSlots does', () => {
    const { events } = parse(
      calendarFeed({ name: 'x', windows: [], trains: [train] }),
    );
    expect(events[0].summary).toBe('Release train: Checkout train');
    const app = occurrences(events[0], from, to);
    const slots = trainSlots(train, from, app.length).map(d => d.toISOString());
    expect(app.map(o => o.start)).toEqual(slots);
    expect(app.length).toBeGreaterThan(10);
    for (const o of app) {
      expect(Date.parse(o.end) - Date.parse(o.start)).toBe(
        TRAIN_SLOT_MINUTES * 60_000,
      );
    }
  });

  it('writes a local UNTIL as the instant in UTC, so the app stops where Glidepath does', () => {
    expect(
      feedRule('FREQ=WEEKLY;BYDAY=FR;UNTIL=20260410', 'Europe/Berlin'),
    ).toBe('FREQ=WEEKLY;BYDAY=FR;UNTIL=20260409T220000Z');
    const until = window({ rrule: 'FREQ=WEEKLY;BYDAY=FR;UNTIL=20260411' });
    const { events } = parse(
      calendarFeed({ name: 'x', windows: [until], trains: [] }),
    );
    const app = occurrences(events[0], from, to).map(o => o.start);
    expect(app).toEqual([
      '2026-03-27T15:00:00.000Z',
      '2026-04-03T14:00:00.000Z',
      '2026-04-10T14:00:00.000Z',
    ]);
    expect(app).toEqual(
      windowOccurrences(specOf(until), from, to).map(o =>
        o.start.toISOString(),
      ),
    );
  });
});

describe('feed tokens', () => {
  const secret = 'a-secret-of-at-least-thirty-two-chars';

  it('opens only the feed the link was made for, and no longer after the secret changes', () => {
    const org = feedToken(secret, {});
    const team = feedToken(secret, { owner: 'group:default/team-checkout' });
    expect(org).not.toBe(team);
    expect(feedTokenValid(secret, {}, org)).toBe(true);
    expect(feedTokenValid(secret, {}, team)).toBe(false);
    expect(
      feedTokenValid(secret, { owner: 'group:default/team-checkout' }, team),
    ).toBe(true);
    expect(
      feedTokenValid(secret, { owner: 'group:default/team-payments' }, team),
    ).toBe(false);
    expect(feedTokenValid(`${secret}-rotated`, {}, org)).toBe(false);
    expect(feedTokenValid(secret, {}, '')).toBe(false);
  });
});

/** A stored window as the pure calendar reads it. */
function specOf(w: FreezeWindow) {
  return {
    effect: w.effect,
    scope: w.scope,
    reason: w.reason,
    timezone: w.timezone,
    start: w.start,
    end: w.end,
    rrule: w.rrule,
    durationMinutes: w.durationMinutes,
  };
}
