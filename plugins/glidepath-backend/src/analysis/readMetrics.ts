import type {
  ArmMetrics,
  MetricsProvider,
  MetricsReading,
  MetricsTarget,
} from '@glidepath/backstage-plugin-node';
import {
  burnWindowSeconds,
  judgeCanary,
  JudgePolicy,
  judgeWarmup,
  MetricsOutcome,
} from './judge';
import { errorMessage } from '../shared/errors';
import { withTimeout } from '../shared/timeout';

/**
 * Reads the cumulative counts since the end of the canary's warm-up and, for
 * burn rates, the trailing windows (each within `timeoutMs`), and judges
 * them. During the warm-up it reads the counts since the canary started,
 * judged only for a gross failure (`judgeWarmup`); a failed read then is
 * no more than the warm-up's wait.
 */
export async function readMetrics(
  provider: MetricsProvider,
  target: MetricsTarget,
  policy: JudgePolicy,
  range: { from: Date; to: Date; sloPercent?: number },
  timeoutMs: number,
): Promise<MetricsOutcome> {
  const { to, sloPercent } = range;
  // The warm-up's counts are never judged: the judged range starts after it.
  const from = new Date(range.from.getTime() + policy.warmupSeconds * 1000);
  if (to.getTime() <= from.getTime()) {
    if (to.getTime() <= range.from.getTime()) {
      return { status: 'warming_up', until: from };
    }
    try {
      const reading = await withTimeout(
        `The metrics provider "${provider.id}"`,
        timeoutMs,
        signal =>
          provider.readMetrics({ target, from: range.from, to, signal }),
      );
      if (reading.status !== 'ok') return { status: 'warming_up', until: from };
      return {
        status: 'warming_up',
        until: from,
        judgement: judgeWarmup(reading, policy),
      };
    } catch {
      return { status: 'warming_up', until: from };
    }
  }
  const starts = new Map<number, number>([[from.getTime(), 0]]);
  const windows = sloPercent === undefined ? [] : burnWindowSeconds(policy);
  for (const seconds of windows) {
    starts.set(
      Math.max(from.getTime(), to.getTime() - seconds * 1000),
      seconds,
    );
  }
  // The current recent window, from the second one on.
  const windowMs = policy.recentWindowSeconds * 1000;
  const recentIndex = Math.floor((to.getTime() - from.getTime()) / windowMs);
  const recentStart = from.getTime() + recentIndex * windowMs;
  if (recentIndex >= 1) starts.set(recentStart, -1);
  const readings = new Map<number, MetricsReading>();
  try {
    await Promise.all(
      [...starts.keys()].map(async start => {
        const reading = await withTimeout(
          `The metrics provider "${provider.id}"`,
          timeoutMs,
          signal =>
            provider.readMetrics({
              target,
              from: new Date(start),
              to,
              signal,
            }),
        );
        readings.set(start, reading);
      }),
    );
  } catch (error) {
    return { status: 'outage', reason: errorMessage(error) };
  }
  for (const reading of readings.values()) {
    if (reading.status !== 'ok') return reading;
  }
  const cumulative = readings.get(from.getTime()) as Extract<
    MetricsReading,
    { status: 'ok' }
  >;
  const byWindow: Record<number, { canary: ArmMetrics; baseline: ArmMetrics }> =
    {};
  for (const seconds of windows) {
    const start = Math.max(from.getTime(), to.getTime() - seconds * 1000);
    const reading = readings.get(start) as Extract<
      MetricsReading,
      { status: 'ok' }
    >;
    byWindow[seconds] = {
      canary: reading.canary,
      baseline: reading.baseline,
    };
  }
  const recent =
    recentIndex >= 1
      ? (readings.get(recentStart) as Extract<MetricsReading, { status: 'ok' }>)
      : undefined;
  return {
    status: 'ok',
    judgement: judgeCanary(
      {
        canary: cumulative.canary,
        baseline: cumulative.baseline,
        windows: byWindow,
        recent: recent && {
          canary: recent.canary,
          baseline: recent.baseline,
          index: recentIndex,
        },
        sloPercent,
      },
      policy,
    ),
  };
}
