import {
  FLAG_STATES,
  type Flag,
  type FlagState,
} from '@glidepath/backstage-plugin-common';

/** A state as people read it. */
export const FLAG_STATE_LABELS: Record<FlagState, string> = {
  stale: 'Stale',
  launched: 'Launched',
  inactive: 'Inactive',
  due_soon: 'Due soon',
  fresh: 'Fresh',
  permanent: 'Permanent',
};

/** A flag's age in plain words: "today", "1 day", "52 days". */
export function formatFlagAge(days: number): string {
  if (days <= 0) return 'today';
  return days === 1 ? '1 day' : `${days} days`;
}

/** What the flag's type is called: its provider's type, or temporary. */
export function flagTypeLabel(flag: Pick<Flag, 'type' | 'temporary'>): string {
  if (flag.type) return flag.type.replace(/-/g, ' ');
  if (flag.temporary === true) return 'temporary';
  if (flag.temporary === false) return 'permanent';
  return '—';
}

/**
 * How many flags are in each state, in a sentence: "12 flags: 3 stale,
 * 1 launched, 8 fresh".
 */
export function summarizeFlagStates(flags: Array<Pick<Flag, 'state'>>): string {
  if (flags.length === 0) return 'No flags';
  const counts = new Map<FlagState, number>();
  for (const flag of flags) {
    counts.set(flag.state, (counts.get(flag.state) ?? 0) + 1);
  }
  const parts = FLAG_STATES.filter(s => counts.has(s)).map(
    s => `${counts.get(s)} ${FLAG_STATE_LABELS[s].toLowerCase()}`,
  );
  return `${flags.length} ${
    flags.length === 1 ? 'flag' : 'flags'
  }: ${parts.join(', ')}`;
}

/**
 * When the flag was last evaluated, in words: "never", "unknown" (the
 * provider cannot tell), or a time in the reader's locale.
 */
export function lastEvaluatedText(
  flag: Pick<Flag, 'lastEvaluatedAt' | 'evaluationKnown'>,
  formatTime: (iso: string) => string,
): string {
  if (flag.lastEvaluatedAt) return formatTime(flag.lastEvaluatedAt);
  return flag.evaluationKnown ? 'never' : 'unknown';
}

/** The default expiry of a keep decision: this many days ahead. */
export const DEFAULT_KEEP_DAYS = 30;

/** A date `days` ahead of `now`, as the yyyy-mm-dd of a date input. */
export function dateInputValue(now: Date, days: number): string {
  const date = new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
  return date.toISOString().slice(0, 10);
}

/**
 * The end of the day a date input names, in the reader's time zone, as ISO:
 * a keep "until 2027-01-15" lasts through that day. Undefined for a value
 * that is not a date.
 */
export function keepUntilIso(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const date = new Date(
    Number(match[1]),
    Number(match[2]) - 1,
    Number(match[3]),
    23,
    59,
    59,
  );
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
