import type { DoraReportReleaseMetrics } from '@glidepath/backstage-plugin-common';
import type { WeeklyReportReleaseMetricsSection } from '../dora/DoraWeeklyReports';
import { PLANNED_TARGET } from './crossService';
import {
  measureReleases,
  ROLLBACK_TESTED_TARGET,
  ROLLBACK_TIME_TARGET_MS,
} from './measures';
import { readCrossServiceFacts, ServiceLinks } from './plannedReleases';
import type { ReleaseMetricsStore } from './ReleaseMetricsStore';

const PERCENT = new Intl.NumberFormat('en', {
  style: 'percent',
  maximumFractionDigits: 0,
});

/** A duration in words: "45 s", "2 min 5 s". */
export function durationWords(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

/**
 * The release metrics section in a sentence, for the notification:
 * "3 of 4 production releases rollback-tested first (75%, target 70%); 2
 * of 3 progressive; automatic rollbacks took 40 s at the median (target
 * 2 min)." Empty when the week had no production release nor rollback.
 */
export function describeReleaseMetrics(
  section: DoraReportReleaseMetrics,
): string {
  const { measures, targets } = section;
  const parts: string[] = [];
  const { rollbackTested, progressiveDelivery, rollbackTime } = measures;
  const planned = measures.plannedCrossService;
  if (rollbackTested.share !== null) {
    parts.push(
      `${rollbackTested.tested} of ${
        rollbackTested.releases
      } production release${
        rollbackTested.releases === 1 ? '' : 's'
      } rollback-tested first (${PERCENT.format(
        rollbackTested.share,
      )}, target ${PERCENT.format(targets.rollbackTestedShare)})`,
    );
  }
  if (progressiveDelivery.share !== null) {
    const known =
      progressiveDelivery.progressive + progressiveDelivery.allAtOnce;
    parts.push(
      `${progressiveDelivery.progressive} of ${known} progressive (canary or blue-green)`,
    );
  }
  for (const [kind, words] of [
    ['automatic', 'automatic rollbacks'],
    ['manual', 'rollbacks by hand'],
  ] as const) {
    const time = rollbackTime[kind];
    if (time.medianMs !== null) {
      parts.push(
        `${words} took ${durationWords(
          time.medianMs,
        )} at the median (target ${durationWords(targets.rollbackTimeMs)})`,
      );
    }
  }
  if (planned?.share !== null && planned?.share !== undefined) {
    parts.push(
      `${planned.planned} of ${
        planned.crossServiceReleases
      } cross-service release${
        planned.crossServiceReleases === 1 ? '' : 's'
      } through a release plan (${PERCENT.format(planned.share)}${
        targets.plannedShare === undefined
          ? ''
          : `, target ${PERCENT.format(targets.plannedShare)}`
      })`,
    );
  }
  return parts.length
    ? `${parts.join('; ')}.`.replace(/^./, c => c.toUpperCase())
    : '';
}

/**
 * The weekly report's release metrics section: the week's measures of the
 * team's services, against the targets.
 */
export class ReleaseMetricsReportSection
  implements WeeklyReportReleaseMetricsSection
{
  constructor(
    private readonly deps: {
      store: ReleaseMetricsStore;
      /** The links between services; without them no cross-service measure. */
      links?: ServiceLinks;
    },
  ) {}

  async forTeam(options: {
    ownerRef: string;
    entityRefs: readonly string[];
    from: Date;
    to: Date;
  }): Promise<DoraReportReleaseMetrics> {
    const { entityRefs, from, to } = options;
    const range = { entityRefs, from, to };
    const { store, links } = this.deps;
    const [releases, rollbacks, crossService] = entityRefs.length
      ? await Promise.all([
          store.listProductionReleases(range),
          store.listRollbacks(range),
          links ? readCrossServiceFacts({ store, links }, range) : undefined,
        ])
      : [[], [], links ? [] : undefined];
    return {
      measures: measureReleases(
        releases,
        rollbacks,
        ROLLBACK_TIME_TARGET_MS,
        crossService,
      ),
      targets: {
        rollbackTestedShare: ROLLBACK_TESTED_TARGET,
        rollbackTimeMs: ROLLBACK_TIME_TARGET_MS,
        ...(links && { plannedShare: PLANNED_TARGET }),
      },
    };
  }

  describe(section: DoraReportReleaseMetrics): string {
    return describeReleaseMetrics(section);
  }
}
