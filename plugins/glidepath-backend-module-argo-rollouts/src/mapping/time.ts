/**
 * Durations in words, and the timestamps of Kubernetes objects as dates.
 */
/** "10s", "1m 30s". */
export function seconds(value: number): string {
  if (value < 60) return `${value}s`;
  const minutes = Math.floor(value / 60);
  const rest = value % 60;
  if (minutes < 60) return rest ? `${minutes}m ${rest}s` : `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  return restMinutes ? `${hours}h ${restMinutes}m` : `${hours}h`;
}

/** The latest of some timestamps; null when there is none. */
export function latest(times: Array<string | null | undefined>): string | null {
  let best: string | null = null;
  for (const time of times) {
    if (time && (!best || Date.parse(time) > Date.parse(best))) best = time;
  }
  return best;
}

/** A timestamp as a Date; `fallback` when it is missing or unreadable. */
export function date(time: string | null, fallback: Date): Date {
  if (!time) return fallback;
  const parsed = new Date(time);
  return Number.isNaN(parsed.getTime()) ? fallback : parsed;
}
