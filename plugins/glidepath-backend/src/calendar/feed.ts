/*
 * The release calendar as an iCalendar feed (RFC 5545) that Google
 * Calendar, Outlook or Apple Calendar can subscribe to: each freeze window
 * and release train is one event in its own timezone (TZID, with its
 * VTIMEZONE), recurring ones with their RRULE kept as it is, not expanded,
 * so that the calendar app places "Fridays 16:00 Europe/Berlin" on both
 * sides of a daylight-saving change as Glidepath does.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import type {
  CalendarScope,
  FreezeWindow,
} from '@glidepath/backstage-plugin-common';
import ical, { ICalEventTransparency } from 'ical-generator';
import { DateTime } from 'luxon';
import type { StoredReleaseTrain } from './CalendarStore';

/** How long a train's slot lasts in the feed (a train is an instant). */
export const TRAIN_SLOT_MINUTES = 30;

/** A scope in words, as the feed's events and the pages say it. */
export function scopeText(scope: CalendarScope): string {
  switch (scope.kind) {
    case 'organisation':
      return 'the whole organisation';
    case 'environment':
      return `the ${scope.name} environment`;
    default:
      return `${scope.kind} ${scope.ref}`;
  }
}

/**
 * A rule as the feed writes it. With a DTSTART in a timezone, RFC 5545
 * wants UNTIL in UTC; Glidepath reads an UNTIL without `Z` (and a date) as
 * local time in the window's timezone, so it is written as that instant.
 */
export function feedRule(rrule: string, timezone: string): string {
  return rrule
    .trim()
    .replace(/^RRULE:/i, '')
    .split(';')
    .filter(Boolean)
    .map(part => {
      const [key, value] = part.split('=');
      if (key.toUpperCase() !== 'UNTIL') return part.toUpperCase();
      const match =
        /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/i.exec(value);
      if (!match) return part.toUpperCase();
      const [, y, mo, d, h = '00', mi = '00', s = '00'] = match;
      const at = DateTime.fromObject(
        {
          year: +y,
          month: +mo,
          day: +d,
          hour: +h,
          minute: +mi,
          second: +s,
        },
        { zone: timezone },
      ).toUTC();
      return `UNTIL=${at.toFormat("yyyyMMdd'T'HHmmss'Z'")}`;
    })
    .join(';');
}

function localStart(text: string, timezone: string): DateTime {
  return DateTime.fromISO(text, { zone: timezone });
}

/**
 * The iCalendar text of a feed of windows and trains.
 */
export function calendarFeed(options: {
  /** The calendar's name in the subscriber's app. */
  name: string;
  windows: readonly FreezeWindow[];
  trains: readonly StoredReleaseTrain[];
  /** Where the windows and trains are seen in Backstage, if known. */
  pageUrl?: string;
}): string {
  const calendar = ical({
    name: options.name,
    prodId: { company: 'Glidepath', product: 'release-calendar' },
    description:
      'Freeze windows and release trains from Glidepath. Rollbacks are never blocked by a freeze.',
    // One VTIMEZONE per timezone the events use.
    timezone: { name: null, generator: getVtimezoneComponent },
    ttl: 60 * 15,
  });
  for (const window of options.windows) {
    const start = localStart(window.start, window.timezone);
    const end = window.rrule
      ? start.plus({ minutes: window.durationMinutes ?? 0 })
      : localStart(window.end!, window.timezone);
    const deny = window.effect === 'deny';
    calendar.createEvent({
      id: `glidepath-window-${window.id}@glidepath`,
      summary: deny
        ? `Release freeze: ${window.title}`
        : `Release window: ${window.title}`,
      description: [
        deny
          ? `Releases are frozen: ${window.reason}`
          : `Releases are allowed only in this window: ${window.reason}`,
        `Applies to ${scopeText(window.scope)}.`,
        'Rollbacks are never blocked.',
      ].join('\n'),
      start,
      end,
      timezone: window.timezone,
      repeating: window.rrule
        ? feedRule(window.rrule, window.timezone)
        : undefined,
      stamp: DateTime.fromISO(window.createdAt),
      categories: [{ name: deny ? 'Release freeze' : 'Release window' }],
      transparency: ICalEventTransparency.TRANSPARENT,
      url: options.pageUrl,
    });
  }
  for (const train of options.trains) {
    const start = localStart(train.start, train.timezone);
    calendar.createEvent({
      id: `glidepath-train-${train.id}@glidepath`,
      summary: `Release train: ${train.title}`,
      description: `A slot of the ${train.title} release train, for ${scopeText(
        train.scope,
      )}.`,
      start,
      end: start.plus({ minutes: TRAIN_SLOT_MINUTES }),
      timezone: train.timezone,
      repeating: feedRule(train.rrule, train.timezone),
      stamp: DateTime.fromISO(train.createdAt),
      categories: [{ name: 'Release train' }],
      transparency: ICalEventTransparency.TRANSPARENT,
      url: options.pageUrl,
    });
  }
  return calendar.toString();
}

/** What a feed link opens: the organisation's feed, or a team's. */
export type FeedKey = { owner?: string };

/**
 * The token of a feed's link: an HMAC of the feed's name with the
 * configured secret, so a link opens only the feed it was made for, and
 * rotating the secret revokes every link.
 */
export function feedToken(secret: string, key: FeedKey): string {
  return createHmac('sha256', secret)
    .update(`glidepath-calendar-feed:${key.owner?.toLowerCase() ?? '*'}`)
    .digest('base64url');
}

/** Whether a token opens a feed (compared in constant time). */
export function feedTokenValid(
  secret: string,
  key: FeedKey,
  token: string,
): boolean {
  const expected = Buffer.from(feedToken(secret, key));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
