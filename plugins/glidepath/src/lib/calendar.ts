import {
  CalendarState,
  FreezeWindow,
  windowOccurrences,
} from '@glidepath/backstage-plugin-common';

/** The reader's own timezone. */
export function viewerTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function formatIn(date: Date, timeZone?: string, withDay = true): string {
  return date.toLocaleString(undefined, {
    ...(withDay
      ? { weekday: 'short', day: 'numeric', month: 'short' }
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
