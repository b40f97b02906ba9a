import type {
  CalendarScope,
  FreezeWindow,
  ReleaseTrain,
} from '@glidepath/backstage-plugin-common';
import { CalendarItem, calendarWeeks } from './calendar';

/** Midnight (local) of the Monday on or before `date`. */
export function weekStart(date: Date): Date {
  const day = new Date(date);
  day.setHours(0, 0, 0, 0);
  // getDay: Sunday 0 … Saturday 6; weeks start on Monday.
  day.setDate(day.getDate() - ((day.getDay() + 6) % 7));
  return day;
}

/**
 * The days a month view shows: whole weeks (Monday first) from the week of
 * the month's first day to the week of its last.
 */
export function monthDays(month: Date): Date[] {
  const first = new Date(month.getFullYear(), month.getMonth(), 1);
  const last = new Date(month.getFullYear(), month.getMonth() + 1, 0);
  const start = weekStart(first);
  const end = weekStart(last);
  end.setDate(end.getDate() + 7);
  const days: Date[] = [];
  for (let d = new Date(start); d < end; d.setDate(d.getDate() + 1)) {
    days.push(new Date(d));
  }
  return days;
}

/** The seven days of the week of `date`, Monday first. */
export function weekDays(date: Date): Date[] {
  const start = weekStart(date);
  return Array.from({ length: 7 }, (_, i) => {
    const d = new Date(start);
    d.setDate(start.getDate() + i);
    return d;
  });
}

/** The end of a calendar item: a train slot is a moment. */
function itemEnd(item: CalendarItem): Date {
  return item.type === 'window' ? item.end : item.start;
}

/**
 * The windows' occurrences and the trains' slots over `days` (consecutive
 * local days), per day: a window open across several days is on each of
 * them. Soonest first within a day.
 */
export function itemsPerDay(
  windows: readonly FreezeWindow[],
  trains: readonly ReleaseTrain[],
  days: readonly Date[],
): CalendarItem[][] {
  if (days.length === 0) return [];
  const weeks = Math.ceil(days.length / 7);
  const items = calendarWeeks(windows, trains, days[0], weeks).flatMap(
    w => w.items,
  );
  return days.map(day => {
    const next = new Date(day);
    next.setDate(day.getDate() + 1);
    return items.filter(item =>
      item.type === 'train'
        ? item.start >= day && item.start < next
        : item.start < next && itemEnd(item) > day,
    );
  });
}

/** The refs a scope names whose owner decides whether it is a team's. */
export function ownedScopeRefs(scopes: readonly CalendarScope[]): string[] {
  return [
    ...new Set(
      scopes
        .filter(s => ['system', 'entity', 'domain'].includes(s.kind) && s.ref)
        .map(s => s.ref!.toLocaleLowerCase('en-US')),
    ),
  ].sort();
}

/**
 * Whether a train or window concerns a team: those of the whole
 * organisation and of an environment concern everyone; those of an owner
 * concern that team; those of a system, domain or entity concern its owner
 * (`owners`, keyed by lower-case ref).
 */
export function scopeConcernsTeam(
  scope: CalendarScope,
  team: string,
  owners: ReadonlyMap<string, string>,
): boolean {
  const same = (a: string | undefined) =>
    a !== undefined &&
    a.toLocaleLowerCase('en-US') === team.toLocaleLowerCase('en-US');
  switch (scope.kind) {
    case 'organisation':
    case 'environment':
      return true;
    case 'owner':
      return same(scope.ref);
    default:
      return (
        scope.ref !== undefined &&
        same(owners.get(scope.ref.toLocaleLowerCase('en-US')))
      );
  }
}
