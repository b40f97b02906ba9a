import { parseEntityRef } from '@backstage/catalog-model';
import {
  CalendarScope,
  CalendarState,
  FreezeWindow,
  ReleaseTrain,
  trainSlots,
  windowOccurrences,
} from '@glidepath/backstage-plugin-common';

/** The reader's own timezone. */
export function viewerTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function formatIn(date: Date, timeZone?: string, withDay = true): string {
  const year = (d: Date) =>
    d.toLocaleString('en-US', { year: 'numeric', timeZone });
  return date.toLocaleString(undefined, {
    ...(withDay
      ? { weekday: 'short', day: 'numeric', month: 'short' }
      : undefined),
    // The year only when it is not this one.
    ...(withDay && year(date) !== year(new Date())
      ? { year: 'numeric' }
      : undefined),
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  });
}

/**
 * A time in the reader's timezone and, when it differs, in the window's or
 * train's own: "Fri 27 Mar, 17:00 (16:00 Europe/London)".
 */
export function formatCalendarTime(
  iso: string,
  timeZone?: string,
  viewer: string = viewerTimeZone(),
): string {
  const date = new Date(iso);
  const mine = formatIn(date, viewer);
  if (!timeZone || timeZone === viewer) return mine;
  const sameDay =
    formatIn(date, viewer).split(',')[0] ===
    formatIn(date, timeZone).split(',')[0];
  return `${mine} (${formatIn(date, timeZone, !sameDay)} ${timeZone})`;
}

/**
 * The window whose occurrence starts at `at` with `reason` (the one a
 * state's next close comes from), for its timezone.
 */
export function windowStartingAt(
  windows: readonly FreezeWindow[],
  at: string,
  reason: string | null,
): FreezeWindow | undefined {
  const t = new Date(at);
  const next = new Date(t.getTime() + 1);
  return windows.find(
    w =>
      (reason === null || w.reason === reason) &&
      windowOccurrences(w, t, next).some(
        o => o.start.getTime() === t.getTime(),
      ),
  );
}

/**
 * An environment's freeze state in a sentence: "Frozen: <reason>, opens
 * <time>" or "Open; next freeze <time>: <reason>".
 */
export function describeFreezeState(
  state: CalendarState,
  windows: readonly FreezeWindow[],
  viewer: string = viewerTimeZone(),
): string {
  if (state.closed) {
    const window = windows.find(w => w.id === state.windowId);
    const opens = state.nextOpen
      ? `, opens ${formatCalendarTime(
          state.nextOpen,
          window?.timezone,
          viewer,
        )}`
      : ', not opening within 60 days';
    return `Frozen: ${state.reason}${opens}`;
  }
  if (!state.nextClose) return 'Open; no freeze within 60 days';
  const window = windowStartingAt(
    windows,
    state.nextClose,
    state.nextCloseReason,
  );
  return `Open; next freeze ${formatCalendarTime(
    state.nextClose,
    window?.timezone,
    viewer,
  )}: ${state.nextCloseReason}`;
}

/** A freeze window's occurrence or a train's slot, as the calendar page lists it. */
export type CalendarItem =
  | {
      type: 'window';
      id: string;
      start: Date;
      end: Date;
      window: FreezeWindow;
    }
  | { type: 'train'; id: string; start: Date; train: ReleaseTrain };

/** A week of the calendar page, from its first day's midnight (local). */
export type CalendarWeek = { start: Date; end: Date; items: CalendarItem[] };

/**
 * The next `weeks` weeks from `from`'s day (local midnight), each with the
 * occurrences of the windows and the slots of the trains that fall in it,
 * soonest first. A window already open is listed in the first week only.
 */
export function calendarWeeks(
  windows: readonly FreezeWindow[],
  trains: readonly ReleaseTrain[],
  from: Date,
  weeks = 4,
): CalendarWeek[] {
  const day0 = new Date(from);
  day0.setHours(0, 0, 0, 0);
  const result: CalendarWeek[] = [];
  // A window open across weeks is listed once, in the first.
  const listed = new Set<string>();
  for (let i = 0; i < weeks; i++) {
    const start = new Date(day0);
    start.setDate(day0.getDate() + 7 * i);
    const end = new Date(day0);
    end.setDate(day0.getDate() + 7 * (i + 1));
    const items: CalendarItem[] = [];
    for (const window of windows) {
      for (const o of windowOccurrences(window, start, end)) {
        const id = `${window.id}@${o.start.toISOString()}`;
        if (listed.has(id)) continue;
        listed.add(id);
        items.push({
          type: 'window',
          id,
          start: o.start,
          end: o.end,
          window,
        });
      }
    }
    for (const train of trains) {
      let cursor = start;
      for (;;) {
        const [slot] = trainSlots(train, cursor, 1);
        if (!slot || slot >= end) break;
        items.push({
          type: 'train',
          id: `${train.id}@${slot.toISOString()}`,
          start: slot,
          train,
        });
        cursor = new Date(slot.getTime() + 1);
      }
    }
    items.sort((a, b) => a.start.getTime() - b.start.getTime());
    result.push({ start, end, items });
  }
  return result;
}

/** A window's rule in words: "every FREQ=WEEKLY;BYDAY=FR from …, 64h each". */
export function describeWindowRule(window: FreezeWindow): string {
  if (!window.rrule) {
    return `${window.start.replace('T', ' ')} to ${window.end?.replace(
      'T',
      ' ',
    )} ${window.timezone}`;
  }
  const minutes = window.durationMinutes ?? 0;
  const length = minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes} minutes`;
  return `${window.rrule} from ${window.start.replace('T', ' ')} ${
    window.timezone
  }, ${length} each`;
}

/**
 * A scope in plain words, for places that cannot link (a picker's options):
 * "Whole organisation", "Environment production", "System checkout".
 */
export function describeScope(scope: CalendarScope): string {
  if (scope.kind === 'organisation') return 'Whole organisation';
  if (scope.kind === 'environment') {
    return scope.name ? `Environment ${scope.name}` : 'Environment';
  }
  const kind = `${scope.kind[0].toUpperCase()}${scope.kind.slice(1)}`;
  let name = scope.ref ?? '';
  try {
    name = parseEntityRef(name).name;
  } catch {
    // Shown as given.
  }
  return `${kind} ${name}`;
}

/**
 * A train for a picker: its next slot in the reader's time and the train's
 * own timezone, or that it has none.
 */
export function describeTrainNext(
  train: ReleaseTrain,
  viewer: string = viewerTimeZone(),
): string {
  const next = train.nextSlots?.[0];
  return next
    ? `next slot ${formatCalendarTime(next, train.timezone, viewer)}`
    : 'no next slot';
}
