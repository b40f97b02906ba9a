/*
 * The release calendar's pure logic (issue 21): release trains and freeze
 * windows as RFC 5545 recurrence rules (the rrule library) in their own
 * IANA timezone (luxon), and the state a page or a gate needs: whether
 * releasing is closed now, why, and when it next opens and closes.
 *
 * Recurrences are expanded in local wall-clock time, then each occurrence
 * is placed in its timezone: "Fridays 16:00 Europe/Berlin" is 16:00 in
 * Berlin on both sides of a daylight-saving change. A local time that does
 * not exist (02:30 on the spring-forward night) moves forward to the first
 * one that does; an ambiguous one (the fall-back night) is its first
 * occurrence.
 */
import { DateTime, IANAZone } from 'luxon';
import { rrulestr } from 'rrule';

import type { CalendarScope } from './types';

/**
 * A freeze window: `deny` closes releasing while it is open; `allow`
 * windows, when any apply, close releasing outside them. Deny wins.
 * Either recurring (`rrule` from `start`, each occurrence lasting
 * `durationMinutes`) or one-off (`start` to `end`). Times are local
 * (`2026-12-24T00:00`) in `timezone`.
 * @public
 */
export type CalendarWindowSpec = {
  effect: 'deny' | 'allow';
  scope: CalendarScope;
  reason: string;
  timezone: string;
  start: string;
  end?: string;
  rrule?: string;
  durationMinutes?: number;
};

/** A window as the calendar evaluates it. @public */
export type CalendarWindow = CalendarWindowSpec & { id: string; title: string };

/** A release train: slots as a recurrence in a timezone. @public */
export type ReleaseTrainSpec = {
  scope: CalendarScope;
  timezone: string;
  start: string;
  rrule: string;
};

/** What releasing may do for a target now. @public */
export type CalendarState = {
  closed: boolean;
  /** Why it is closed (the deny window's reason, or outside the allow windows). */
  reason: string | null;
  /** The window that closes it, when one deny window does. */
  windowId: string | null;
  /** When it next opens (if closed) within the horizon; null if not. */
  nextOpen: string | null;
  /** When it next closes (after now, or after nextOpen) within the horizon. */
  nextClose: string | null;
  /** The reason it will close then. */
  nextCloseReason: string | null;
};

/** Where a release goes, as scopes are matched. @public */
export type CalendarTarget = {
  entityRef: string;
  environment: string;
  owner?: string;
  system?: string;
  domain?: string;
};

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

const SCOPE_KINDS: ReadonlyArray<string> = [
  'organisation',
  'domain',
  'system',
  'owner',
  'entity',
  'environment',
];

/** Why a scope cannot be used, naming the field, or undefined. @public */
export function scopeProblem(scope: CalendarScope): string | undefined {
  if (!SCOPE_KINDS.includes(scope.kind)) {
    return `scope.kind: "${scope.kind}" is not ${SCOPE_KINDS.slice(0, -1).join(
      ', ',
    )} or ${SCOPE_KINDS[SCOPE_KINDS.length - 1]}`;
  }
  if (scope.kind === 'organisation') return undefined;
  if (scope.kind === 'environment') {
    return scope.name?.trim()
      ? undefined
      : 'scope.name: an environment scope names the environment';
  }
  return scope.ref?.trim()
    ? undefined
    : `scope.ref: ${/^[aeiou]/.test(scope.kind) ? 'an' : 'a'} ${
        scope.kind
      } scope names the ${scope.kind} by its entity ref`;
}

/** Why a timezone name cannot be used, or undefined. @public */
export function timezoneProblem(timezone: string): string | undefined {
  return IANAZone.isValidZone(timezone)
    ? undefined
    : `"${timezone}" is not an IANA timezone (for example Europe/Berlin or UTC)`;
}

function local(text: string, timezone: string): DateTime {
  // Spring forward: luxon moves a time in the gap forward by the gap.
  return DateTime.fromISO(text, { zone: timezone });
}

/** The wall-clock fields of a local time as a UTC Date (rrule's floating time). */
function floating(dt: DateTime): Date {
  return new Date(
    Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute, dt.second),
  );
}

function fromFloating(date: Date, timezone: string): DateTime {
  return DateTime.fromObject(
    {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
      second: date.getUTCSeconds(),
    },
    { zone: timezone },
  );
}

function dtstartLine(start: string): string {
  const [date, time] = start.split('T');
  const [h, m, s = '00'] = time.split(':');
  return `DTSTART:${date.replace(/-/g, '')}T${h}${m}${s}`;
}

const DAY = '[+-]?\\d{0,2}(MO|TU|WE|TH|FR|SA|SU)';
const ints = (max: number) => (v: string) =>
  v.split(',').every(n => /^[+-]?\d+$/.test(n) && Math.abs(Number(n)) <= max);
const PARTS: Record<string, (value: string) => boolean> = {
  FREQ: v => ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(v),
  INTERVAL: v => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 1000,
  COUNT: v => /^\d+$/.test(v) && Number(v) >= 1,
  UNTIL: v => /^\d{8}(T\d{6}Z?)?$/.test(v),
  WKST: v => /^(MO|TU|WE|TH|FR|SA|SU)$/.test(v),
  BYDAY: v => v.split(',').every(d => new RegExp(`^${DAY}$`).test(d)),
  BYMONTH: ints(12),
  BYMONTHDAY: ints(31),
  BYYEARDAY: ints(366),
  BYWEEKNO: ints(53),
  BYHOUR: ints(23),
  BYMINUTE: ints(59),
  BYSETPOS: ints(366),
};

/**
 * Checks a rule's parts before the rrule library reads it (it loops
 * forever on some bad values, e.g. INTERVAL=x), then parses it.
 */
function parseRule(rule: string, start: string) {
  const text = rule.trim().replace(/^RRULE:/i, '');
  const parts = text.split(';').filter(Boolean);
  const keys = new Set<string>();
  for (const part of parts) {
    const [key, value, ...rest] = part.split('=');
    const name = key.toUpperCase();
    const check = PARTS[name];
    if (!check) {
      throw new Error(
        `"${key}" is not a recurrence rule part Glidepath reads (${Object.keys(
          PARTS,
        ).join(', ')})`,
      );
    }
    if (rest.length || value === undefined || !check(value.toUpperCase())) {
      throw new Error(`${name}=${value ?? ''} is not a valid ${name}`);
    }
    keys.add(name);
  }
  if (!keys.has('FREQ')) {
    throw new Error(
      'FREQ is missing (HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY)',
    );
  }
  return rrulestr(`${dtstartLine(start)}\nRRULE:${text.toUpperCase()}`);
}

/**
 * Why a window cannot be used, naming the field, or undefined. The rrule
 * parser's own message is passed on.
 * @public
 */
export function freezeWindowProblem(
  spec: CalendarWindowSpec,
): string | undefined {
  const zone = timezoneProblem(spec.timezone);
  if (zone) return `timezone: ${zone}`;
  if (!LOCAL.test(spec.start) || !local(spec.start, spec.timezone).isValid) {
    return `start: "${spec.start}" is not a local date and time (YYYY-MM-DDTHH:mm)`;
  }
  if (!spec.reason.trim()) return 'reason: must not be blank';
  const scope = scopeProblem(spec.scope);
  if (scope) return scope;
  if (spec.rrule !== undefined) {
    if (spec.end !== undefined) {
      return 'end: a recurring window has durationMinutes, not an end';
    }
    if (
      spec.durationMinutes === undefined ||
      !Number.isInteger(spec.durationMinutes) ||
      spec.durationMinutes < 1
    ) {
      return 'durationMinutes: a recurring window needs a whole number of minutes above 0';
    }
    try {
      parseRule(spec.rrule, spec.start);
    } catch (error) {
      return `rrule: ${(error as Error).message}`;
    }
    return undefined;
  }
  if (spec.end === undefined) {
    return 'end: a one-off window needs an end (or an rrule and durationMinutes)';
  }
  if (!LOCAL.test(spec.end) || !local(spec.end, spec.timezone).isValid) {
    return `end: "${spec.end}" is not a local date and time (YYYY-MM-DDTHH:mm)`;
  }
  if (
    local(spec.end, spec.timezone).toMillis() <=
    local(spec.start, spec.timezone).toMillis()
  ) {
    return 'end: must be after start';
  }
  return undefined;
}

/** Why a train cannot be used, naming the field, or undefined. @public */
export function releaseTrainProblem(
  spec: ReleaseTrainSpec,
): string | undefined {
  const zone = timezoneProblem(spec.timezone);
  if (zone) return `timezone: ${zone}`;
  if (!LOCAL.test(spec.start) || !local(spec.start, spec.timezone).isValid) {
    return `start: "${spec.start}" is not a local date and time (YYYY-MM-DDTHH:mm)`;
  }
  const scope = scopeProblem(spec.scope);
  if (scope) return scope;
  try {
    parseRule(spec.rrule, spec.start);
  } catch (error) {
    return `rrule: ${(error as Error).message}`;
  }
  return undefined;
}

/** An occurrence of a window, as instants, half-open [start, end). @public */
export type Occurrence = { start: Date; end: Date };

/**
 * The occurrences of a window that overlap [from, to), oldest first.
 * @public
 */
export function windowOccurrences(
  spec: CalendarWindowSpec,
  from: Date,
  to: Date,
): Occurrence[] {
  if (spec.rrule === undefined) {
    const start = local(spec.start, spec.timezone).toJSDate();
    const end = local(spec.end!, spec.timezone).toJSDate();
    return start < to && end > from ? [{ start, end }] : [];
  }
  const durationMs = spec.durationMinutes! * 60_000;
  const rule = parseRule(spec.rrule, spec.start);
  // In floating time, widened by a day each side for the zone's offset.
  const day = 86_400_000;
  const after = floating(
    DateTime.fromJSDate(new Date(from.getTime() - durationMs - day), {
      zone: spec.timezone,
    }),
  );
  const before = floating(
    DateTime.fromJSDate(new Date(to.getTime() + day), { zone: spec.timezone }),
  );
  return rule
    .between(after, before, true)
    .map(date => {
      const start = fromFloating(date, spec.timezone).toJSDate();
      return { start, end: new Date(start.getTime() + durationMs) };
    })
    .filter(o => o.start < to && o.end > from);
}

/**
 * The next `count` slots of a train from `from` (inclusive), as instants.
 * @public
 */
export function trainSlots(
  spec: ReleaseTrainSpec,
  from: Date,
  count: number,
): Date[] {
  const rule = parseRule(spec.rrule, spec.start);
  const slots: Date[] = [];
  let cursor = floating(
    DateTime.fromJSDate(new Date(from.getTime() - 86_400_000), {
      zone: spec.timezone,
    }),
  );
  while (slots.length < count) {
    const next = rule.after(cursor, false);
    if (!next) break;
    cursor = next;
    const at = fromFloating(next, spec.timezone).toJSDate();
    if (at >= from) slots.push(at);
  }
  return slots;
}

/** Whether a scope covers a target. @public */
export function scopeApplies(
  scope: CalendarScope,
  target: CalendarTarget,
): boolean {
  const same = (a: string | undefined, b: string) =>
    a !== undefined && a.toLowerCase() === b.toLowerCase();
  switch (scope.kind) {
    case 'organisation':
      return true;
    case 'entity':
      return scope.ref !== undefined && same(target.entityRef, scope.ref);
    case 'owner':
      return scope.ref !== undefined && same(target.owner, scope.ref);
    case 'system':
      return scope.ref !== undefined && same(target.system, scope.ref);
    case 'domain':
      return scope.ref !== undefined && same(target.domain, scope.ref);
    case 'environment':
      return scope.name !== undefined && same(target.environment, scope.name);
    default:
      return false;
  }
}

type Evaluated = {
  closed: boolean;
  reason: string | null;
  windowId: string | null;
};

function evaluate(
  windows: ReadonlyArray<{ window: CalendarWindow; occurrences: Occurrence[] }>,
  at: Date,
): Evaluated {
  const t = at.getTime();
  const open = (o: Occurrence) => o.start.getTime() <= t && t < o.end.getTime();
  const deny = windows.find(
    w => w.window.effect === 'deny' && w.occurrences.some(open),
  );
  if (deny) {
    return {
      closed: true,
      reason: deny.window.reason,
      windowId: deny.window.id,
    };
  }
  const allows = windows.filter(w => w.window.effect === 'allow');
  if (allows.length && !allows.some(w => w.occurrences.some(open))) {
    return {
      closed: true,
      reason: `outside the allowed release windows (${allows
        .map(w => w.window.title)
        .join(', ')})`,
      windowId: null,
    };
  }
  return { closed: false, reason: null, windowId: null };
}

/**
 * Whether releasing is closed for `target` at `at`, why, and when it next
 * opens and closes (within `horizonDays`, 60 by default). Deny wins over
 * allow; with allow windows, releasing is closed outside all of them.
 * @public
 */
export function calendarState(
  windows: readonly CalendarWindow[],
  target: CalendarTarget,
  at: Date,
  horizonDays = 60,
): CalendarState {
  const to = new Date(at.getTime() + horizonDays * 86_400_000);
  const applicable = windows
    .filter(w => scopeApplies(w.scope, target))
    .map(window => ({
      window,
      occurrences: windowOccurrences(window, at, to),
    }));
  const now = evaluate(applicable, at);
  const boundaries = [
    ...new Set(
      applicable.flatMap(w =>
        w.occurrences.flatMap(o => [o.start.getTime(), o.end.getTime()]),
      ),
    ),
  ]
    .filter(b => b > at.getTime() && b <= to.getTime())
    .sort((a, b) => a - b);
  let nextOpen: number | null = null;
  let nextClose: number | null = null;
  let nextCloseReason: string | null = null;
  let closed = now.closed;
  for (const b of boundaries) {
    const state = evaluate(applicable, new Date(b));
    if (closed && !state.closed && nextOpen === null) nextOpen = b;
    if (!closed && state.closed && nextClose === null) {
      nextClose = b;
      nextCloseReason = state.reason;
    }
    closed = state.closed;
    if (nextClose !== null && (nextOpen !== null || !now.closed)) break;
  }
  const iso = (ms: number | null) =>
    ms === null ? null : new Date(ms).toISOString();
  return {
    closed: now.closed,
    reason: now.reason,
    windowId: now.windowId,
    nextOpen: iso(nextOpen),
    nextClose: iso(nextClose),
    nextCloseReason,
  };
}
