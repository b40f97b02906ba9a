/**
 * The release metrics of issue 20 as pure functions over plain facts: the
 * share of production releases whose version passed a rollback test first,
 * the share using progressive delivery, and rollback time. The store reads
 * the facts (releaseMetrics/DatabaseReleaseMetricsStore.ts); definitions in
 * docs/release-metrics.md.
 */
import {
  bucketsOf,
  DoraBucket,
  quantile,
  ReleaseMetricsMeasures,
  RollbackTimeMeasure,
} from '@glidepath/backstage-plugin-common';
import { CrossServiceFact, measurePlanned } from './crossService';

/** The share of production releases that should be rollback-tested first. */
export const ROLLBACK_TESTED_TARGET = 0.7;
/** The longest a rollback should take: two minutes. */
export const ROLLBACK_TIME_TARGET_MS = 120_000;

/** The strategies a deployment may say it used. */
export const DEPLOYMENT_STRATEGIES = [
  'canary',
  'blue_green',
  'rolling',
  'recreate',
] as const;
export type DeploymentStrategy = (typeof DEPLOYMENT_STRATEGIES)[number];

/** One production release (a deployment to a production environment). */
export type ProductionReleaseFact = {
  /** When it started. */
  deployedAt: number;
  /** How it went out; null when nobody said. */
  strategy: string | null;
  /**
   * Whether its version passed a rollback test in a non-production
   * environment of the same entity before the release went past its first
   * step (before `deployedAt` for a deployment without steps).
   */
  tested: boolean;
  simulated: boolean;
  /**
   * How many releases of that day, strategy, test and simulation this fact
   * stands for (the store counts them in SQL); 1 when left out.
   */
  count?: number;
};

/** How many releases a fact stands for. */
export const releasesOf = (fact: ProductionReleaseFact) => fact.count ?? 1;

/** A rollback asked for on a production release. */
export type RollbackFact = {
  requestedAt: number;
  /** Asked by a policy (the engine), not by a person or a tool. */
  automatic: boolean;
  /** When the rollback finished (see `rollbackFinishedAt`), or null. */
  finishedAt: number | null;
  /** The action failed, or is still running, without the release rolled back. */
  unfinished: boolean;
};

/**
 * How a strategy counts: canary and blue-green shift traffic step by step
 * or switch after a preview, so they are progressive; a rolling update or
 * a recreate sends every user to the new version without a judged step, so
 * they count as all at once; anything else (null, a value we do not know)
 * is unknown.
 */
export function deliveryOf(
  strategy: string | null,
): 'progressive' | 'allAtOnce' | 'unknown' {
  switch (strategy) {
    case 'canary':
    case 'blue_green':
      return 'progressive';
    case 'rolling':
    case 'recreate':
      return 'allAtOnce';
    default:
      return 'unknown';
  }
}

/**
 * When a rollback finished, from what is stored of it: the earlier of the
 * provider's finish of the release (when the release is rolled back and its
 * provider dates the finish at or after the request) and the first time
 * Glidepath observed the release rolled back at or after the request. Null
 * when neither is there (the rollback failed, is still running, or the
 * release was rolled back before it was asked).
 */
export function rollbackFinishedAt(options: {
  requestedAt: number;
  releasePhase: string;
  releaseFinishedAt: number | null;
  /** The first `rolled_back` phase change observed at or after the request. */
  rolledBackObservedAt: number | null;
}): number | null {
  const { requestedAt, releasePhase, releaseFinishedAt } = options;
  const candidates: number[] = [];
  if (
    options.rolledBackObservedAt !== null &&
    options.rolledBackObservedAt >= requestedAt
  ) {
    candidates.push(options.rolledBackObservedAt);
  }
  if (
    releasePhase === 'rolled_back' &&
    releaseFinishedAt !== null &&
    releaseFinishedAt >= requestedAt
  ) {
    candidates.push(releaseFinishedAt);
  }
  return candidates.length ? Math.min(...candidates) : null;
}

function rollbackTime(
  rollbacks: readonly RollbackFact[],
  targetMs: number,
): RollbackTimeMeasure {
  const durations = rollbacks
    .filter(r => r.finishedAt !== null)
    .map(r => r.finishedAt! - r.requestedAt)
    .sort((a, b) => a - b);
  return {
    rollbacks: durations.length,
    medianMs: quantile(durations, 0.5),
    p90Ms: quantile(durations, 0.9),
    withinTarget: durations.filter(d => d <= targetMs).length,
    unfinished: rollbacks.filter(r => r.finishedAt === null && r.unfinished)
      .length,
  };
}

/**
 * The three measures of some production releases and rollbacks, and, given
 * the cross-service releases, the share of them that went through a plan.
 */
export function measureReleases(
  releases: readonly ProductionReleaseFact[],
  rollbacks: readonly RollbackFact[],
  rollbackTimeTargetMs = ROLLBACK_TIME_TARGET_MS,
  crossService?: readonly CrossServiceFact[],
): ReleaseMetricsMeasures {
  const strategies = { canary: 0, blue_green: 0, rolling: 0, recreate: 0 };
  let progressive = 0;
  let allAtOnce = 0;
  let tested = 0;
  let total = 0;
  for (const release of releases) {
    const n = releasesOf(release);
    total += n;
    if (release.tested) tested += n;
    const delivery = deliveryOf(release.strategy);
    if (delivery === 'progressive') progressive += n;
    if (delivery === 'allAtOnce') allAtOnce += n;
    if (delivery !== 'unknown') {
      strategies[release.strategy as DeploymentStrategy] += n;
    }
  }
  const known = progressive + allAtOnce;
  return {
    productionReleases: total,
    rollbackTested: {
      releases: total,
      tested,
      share: total ? tested / total : null,
    },
    progressiveDelivery: {
      progressive,
      allAtOnce,
      unknown: total - known,
      share: known ? progressive / known : null,
      strategies,
    },
    rollbackTime: {
      automatic: rollbackTime(
        rollbacks.filter(r => r.automatic),
        rollbackTimeTargetMs,
      ),
      manual: rollbackTime(
        rollbacks.filter(r => !r.automatic),
        rollbackTimeTargetMs,
      ),
    },
    ...(crossService && { plannedCrossService: measurePlanned(crossService) }),
  };
}

/**
 * The measures of [from, to) overall and per calendar week or month (as the
 * DORA series: the first and last buckets may reach beyond the range).
 * Releases count in the bucket of their start, rollbacks in that of their
 * request, cross-service releases (when given) in that of their first
 * release's start; facts outside the range are left out.
 */
export function releaseMetricsSeries(
  releases: readonly ProductionReleaseFact[],
  rollbacks: readonly RollbackFact[],
  options: {
    from: number;
    to: number;
    bucket: DoraBucket;
    crossService?: readonly CrossServiceFact[];
  },
): {
  summary: ReleaseMetricsMeasures;
  series: Array<{
    start: number;
    end: number;
    measures: ReleaseMetricsMeasures;
  }>;
} {
  const { from, to, bucket } = options;
  const inRange = <T>(items: readonly T[], time: (item: T) => number) =>
    items.filter(item => time(item) >= from && time(item) < to);
  const ownReleases = inRange(releases, r => r.deployedAt);
  const ownRollbacks = inRange(rollbacks, r => r.requestedAt);
  const ownCrossService =
    options.crossService && inRange(options.crossService, c => c.startedAt);
  const buckets = bucketsOf(from, to, bucket);
  const releasesBy = buckets.map((): ProductionReleaseFact[] => []);
  const rollbacksBy = buckets.map((): RollbackFact[] => []);
  const crossServiceBy = buckets.map((): CrossServiceFact[] => []);
  const indexOf = (time: number) => {
    // Buckets are few (26 weeks); a binary search would not pay.
    for (let i = buckets.length - 1; i >= 0; i--) {
      if (time >= buckets[i].start) return i;
    }
    return 0;
  };
  for (const release of ownReleases) {
    releasesBy[indexOf(release.deployedAt)].push(release);
  }
  for (const rollback of ownRollbacks) {
    rollbacksBy[indexOf(rollback.requestedAt)].push(rollback);
  }
  for (const fact of ownCrossService ?? []) {
    crossServiceBy[indexOf(fact.startedAt)].push(fact);
  }
  return {
    summary: measureReleases(
      ownReleases,
      ownRollbacks,
      ROLLBACK_TIME_TARGET_MS,
      ownCrossService,
    ),
    series: buckets.map((b, i) => ({
      start: b.start,
      end: b.end,
      measures: measureReleases(
        releasesBy[i],
        rollbacksBy[i],
        ROLLBACK_TIME_TARGET_MS,
        ownCrossService && crossServiceBy[i],
      ),
    })),
  };
}
