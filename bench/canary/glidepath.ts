/**
 * Glidepath's judge on a recording, the way the analysis engine runs it: at
 * every scrape, during the policy's warm-up only a gross failure of the
 * counts since the start is judged (`judgeWarmup`); after it, a
 * scrape that is not `ok` is a hold; an `ok` scrape is judged by
 * `judgeCanary` on the counts since the warm-up ended (and, when the
 * recording has an SLO, the trailing windows the burn-rate rules need), and
 * `decide` turns the judgement into rollback, promote, hold, escalate or
 * continue.
 *
 * The whole run is watched: a pass promotes (the first promotion is the
 * time to promote), but the judge keeps judging the later steps until the
 * run ends, and any fail, even after a promotion, is a rollback. That is
 * stricter than stopping at the first pass.
 */
import type { Release } from '@glidepath/backstage-plugin-common';
import type { ArmMetrics } from '@glidepath/backstage-plugin-node';
import {
  burnWindowSeconds,
  decide,
  DEFAULT_POLICY,
  judgeCanary,
  judgeWarmup,
  type ArmPair,
  type JudgeInput,
  type JudgePolicy,
  type MetricsOutcome,
} from '../../plugins/glidepath-backend/src/analysis/judge';
import type { Recording } from './corpus';
import { lastAtOrBefore } from './prometheus';

/** What a judge did with one recording. Times in seconds since the canary started. */
export type JudgeOutcome = {
  rollbackAt: number | null;
  /** What the rollback rested on: the metrics, or missing/failed data. */
  cause: 'metrics' | 'missing_data' | null;
  promoteAt: number | null;
  /** Until when the judge watched (its process ended, or the run did). */
  watchEnd: number;
  /** Glidepath only: when it first escalated a hold. */
  escalatedAt?: number | null;
  /** Glidepath only: the rules that failed at the rollback. */
  failedRules?: string[];
};

/** A release standing on a pause step that Glidepath may promote. */
const RELEASE = {
  id: 'bench',
  entityRef: 'component:default/bench',
  // Times are seconds since the canary started: it started at the epoch.
  startedAt: new Date(0).toISOString(),
  version: 'v2',
  previousVersion: 'v1',
  currentStepIndex: 0,
  steps: [{ kind: 'pause', durationSeconds: null, status: 'running' }],
} as unknown as Release;

/**
 * The counts between two cumulative samples (what a provider returns for a
 * range that starts later), health checks included.
 */
export function minus(a: ArmMetrics, b: ArmMetrics | undefined): ArmMetrics {
  if (!b) return a;
  return {
    requests: a.requests - b.requests,
    errors: a.errors - b.errors,
    latencyBuckets: a.latencyBuckets.map((bucket, i) => ({
      le: bucket.le,
      count: bucket.count - (b.latencyBuckets[i]?.count ?? 0),
    })),
    ...(a.healthChecks
      ? {
          healthChecks: {
            passed: a.healthChecks.passed - (b.healthChecks?.passed ?? 0),
            failed: a.healthChecks.failed - (b.healthChecks?.failed ?? 0),
          },
        }
      : {}),
  };
}

export function runGlidepath(
  recording: Recording,
  policy: JudgePolicy = DEFAULT_POLICY,
): JudgeOutcome {
  const windows =
    recording.sloPercent === undefined ? [] : burnWindowSeconds(policy);
  // Scrapes with both arms, for the starts of the trailing windows.
  const times: number[] = [];
  const samples: ArmPair[] = [];
  let holdingSince: Date | null = null;
  let escalated = false;
  let escalatedAt: number | null = null;
  let promoteAt: number | null = null;
  const end = recording.durationSeconds;

  const warmup = policy.warmupSeconds;
  // The counts at the end of the warm-up: the engine's range starts there.
  let atWarmup: ArmPair | undefined;
  const since = (pair: ArmPair, start: number): ArmPair => {
    const i = lastAtOrBefore(times, start);
    const from = start <= warmup ? atWarmup : i >= 0 ? samples[i] : undefined;
    return {
      canary: minus(pair.canary, from?.canary),
      baseline: minus(pair.baseline, from?.baseline),
    };
  };

  for (const scrape of recording.scrapes) {
    let outcome: MetricsOutcome;
    if (scrape.t <= warmup) {
      // As the engine reads it: the counts since the canary started,
      // judged only for a gross failure.
      outcome = {
        status: 'warming_up',
        until: new Date(warmup * 1000),
        judgement:
          scrape.status === 'ok' && scrape.canary && scrape.baseline
            ? judgeWarmup(
                { canary: scrape.canary, baseline: scrape.baseline },
                policy,
              )
            : undefined,
      };
    } else if (scrape.status === 'ok' && scrape.canary && scrape.baseline) {
      const pair = since(
        { canary: scrape.canary, baseline: scrape.baseline },
        warmup,
      );
      const judged = scrape.t - warmup;
      let byWindow: Record<number, ArmPair> | undefined;
      if (windows.length) {
        byWindow = {};
        for (const seconds of windows) {
          byWindow[seconds] =
            seconds >= judged
              ? pair
              : since(
                  { canary: scrape.canary, baseline: scrape.baseline },
                  scrape.t - seconds,
                );
        }
      }
      // The current recent window, from the second one on, as the engine
      // reads it: the counts since the window's start.
      const index = Math.floor(judged / policy.recentWindowSeconds);
      let recent: JudgeInput['recent'];
      if (index >= 1) {
        recent = {
          ...since(
            { canary: scrape.canary, baseline: scrape.baseline },
            warmup + index * policy.recentWindowSeconds,
          ),
          index,
        };
      }
      outcome = {
        status: 'ok',
        judgement: judgeCanary(
          {
            ...pair,
            windows: byWindow,
            recent,
            sloPercent: recording.sloPercent,
          },
          policy,
        ),
      };
    } else {
      outcome = {
        status: scrape.status === 'ok' ? 'no_data' : scrape.status,
        reason: scrape.status,
      };
    }
    if (scrape.canary && scrape.baseline) {
      times.push(scrape.t);
      samples.push({ canary: scrape.canary, baseline: scrape.baseline });
      if (scrape.t <= warmup) atWarmup = samples[samples.length - 1];
    }

    const now = new Date(scrape.t * 1000);
    const decision = decide({
      outcome,
      release: RELEASE,
      policy,
      now,
      holdingSince,
      escalated,
    });
    switch (decision.decision) {
      case 'rollback':
        return {
          rollbackAt: scrape.t,
          cause: 'metrics',
          promoteAt,
          watchEnd: scrape.t,
          escalatedAt,
          failedRules: decision.metrics
            .filter(m => m.verdict === 'fail')
            .map(m => m.rule),
        };
      case 'hold':
        holdingSince = holdingSince ?? now;
        break;
      case 'escalate':
        holdingSince = holdingSince ?? now;
        escalated = true;
        escalatedAt = escalatedAt ?? scrape.t;
        break;
      case 'promote':
        promoteAt = promoteAt ?? scrape.t;
        holdingSince = null;
        escalated = false;
        break;
      default:
        // As the store counts it: watching on without a verdict either
        // way (or warming up) decides nothing.
        if (
          decision.verdict === 'inconclusive' ||
          decision.verdict === 'no_data'
        ) {
          holdingSince = holdingSince ?? now;
        } else {
          holdingSince = null;
          escalated = false;
        }
    }
  }
  return {
    rollbackAt: null,
    cause: null,
    promoteAt,
    watchEnd: end,
    escalatedAt,
  };
}
