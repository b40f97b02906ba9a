import type {
  Drill,
  DrillPeriod,
  GameDay,
} from '@glidepath/backstage-plugin-common';
import { formatDuration } from './time';

/** Seconds as people read them ("40s", "1m 30s"), or a dash. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  return formatDuration(Math.round(seconds) * 1000);
}

/** A fault in words. */
export const FAULT_LABELS: Record<Drill['fault'], string> = {
  'error-rate': 'error rate',
  latency: 'latency',
};

/** How long ago, in words: "just now", "5m ago", "2h ago", "3d ago". */
export function ago(iso: string, now: number = Date.now()): string {
  const ms = now - Date.parse(iso);
  if (ms < 60_000) return 'just now';
  return `${formatDuration(ms).split(' ')[0]} ago`;
}

/** One drill in a sentence, as the Releases tab says it. */
export function describeDrill(drill: Drill, now: number = Date.now()): string {
  const what = `${FAULT_LABELS[drill.fault]} fault in ${drill.environment}`;
  switch (drill.state) {
    case 'waiting':
      return `Drill asked for ${ago(
        drill.requestedAt,
        now,
      )} (${what}): waiting for the next release to carry it`;
    case 'running':
      return `Drill running (${what}): ${
        drill.version ?? 'the release'
      } started ${drill.injectedAt ? ago(drill.injectedAt, now) : 'lately'}${
        drill.detectedAt
          ? `, detected in ${formatSeconds(drill.timeToDetectSeconds)}`
          : ', not detected yet'
      }`;
    case 'recovered':
      return `Last drill ${ago(
        drill.injectedAt ?? drill.requestedAt,
        now,
      )} (${what}): ${
        drill.detectedAt
          ? `detected in ${formatSeconds(drill.timeToDetectSeconds)}`
          : 'rolled back without a failing verdict'
      }, healthy again after ${formatSeconds(drill.timeToRecoverSeconds)}`;
    default:
      return `Last drill ${ago(drill.requestedAt, now)} (${what}): ${
        drill.state === 'refused' || drill.state === 'expired'
          ? 'did not run'
          : 'not rolled back'
      }: ${drill.stateReason ?? drill.state}`;
  }
}

/** Upcoming game days (soonest first) and the others (latest first). */
export function splitGameDays(gameDays: GameDay[]): {
  upcoming: GameDay[];
  past: GameDay[];
} {
  const upcoming = gameDays
    .filter(g => g.state === 'scheduled')
    .sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt));
  const past = gameDays
    .filter(g => g.state !== 'scheduled')
    .sort((a, b) => Date.parse(b.scheduledAt) - Date.parse(a.scheduledAt));
  return { upcoming, past };
}

/**
 * The trend of a team's time to recover: its latest period with a median
 * against the one before with a median.
 */
export function recoveryTrend(periods: DrillPeriod[]): string {
  const measured = periods.filter(p => p.medianRecoverSeconds !== null);
  if (measured.length < 2) return 'Too few drills for a trend';
  const [before, last] = measured.slice(-2);
  const was = before.medianRecoverSeconds!;
  const now = last.medianRecoverSeconds!;
  const change = was > 0 ? (now - was) / was : 0;
  if (Math.abs(change) < 0.1) {
    return `Steady: recovers in ${formatSeconds(now)}`;
  }
  return `${change < 0 ? 'Faster' : 'Slower'}: recovers in ${formatSeconds(
    now,
  )}, was ${formatSeconds(was)}`;
}

/**
 * Follow-ups as typed in the outcome form, one per line: `title | link`, or
 * a bare link (its own title). Returns the problem of the first bad line.
 */
export function parseFollowUps(
  text: string,
): { followUps: Array<{ title: string; url: string }> } | { error: string } {
  const followUps: Array<{ title: string; url: string }> = [];
  const lines = text
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const bar = line.lastIndexOf('|');
    const title = (bar >= 0 ? line.slice(0, bar) : line).trim();
    const url = (bar >= 0 ? line.slice(bar + 1) : line).trim();
    if (!/^https?:\/\/\S+$/.test(url)) {
      return {
        error: `Follow-up ${i + 1} needs a link (https://…): "${line}"`,
      };
    }
    followUps.push({ title: title || url, url });
  }
  return { followUps };
}
