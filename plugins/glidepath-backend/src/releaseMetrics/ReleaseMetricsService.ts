import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  DoraBucket,
  ReleaseMetricsQuery,
  ReleaseMetricsResponse,
} from '@glidepath/backstage-plugin-common';
import { doraPeriod, DoraService } from '../dora/DoraService';
import { PLANNED_TARGET } from './crossService';
import {
  releaseMetricsSeries,
  releasesOf,
  ROLLBACK_TESTED_TARGET,
  ROLLBACK_TIME_TARGET_MS,
} from './measures';
import { readCrossServiceFacts, ServiceLinks } from './plannedReleases';
import type { ReleaseMetricsStore } from './ReleaseMetricsStore';

/**
 * The release metrics of a scope (an entity, an owner's or a system's
 * entities, or the organisation) over a period: the scope is resolved as
 * DORA's is, with the caller's credentials; the facts come from the store
 * and are measured by the pure functions of measures.ts.
 */
export class ReleaseMetricsService {
  constructor(
    private readonly deps: {
      store: ReleaseMetricsStore;
      dora: Pick<DoraService, 'resolveScope'>;
      /**
       * The links between services (the dependency graph's); without them
       * the share of cross-service releases that went through a plan is
       * not measured.
       */
      links?: ServiceLinks;
      now?: () => Date;
    },
  ) {}

  async getReleaseMetrics(
    query: ReleaseMetricsQuery,
    credentials: BackstageCredentials,
  ): Promise<ReleaseMetricsResponse> {
    const bucket: DoraBucket = query.bucket ?? 'week';
    if (!['week', 'month'].includes(bucket)) {
      throw new InputError(`bucket must be week or month, not "${bucket}"`);
    }
    const now = (this.deps.now?.() ?? new Date()).getTime();
    const { from, to } = doraPeriod(query, now);
    const scope = await this.deps.dora.resolveScope(query, credentials);
    const none = scope.entityRefs !== null && scope.entityRefs.length === 0;
    const range = {
      from: new Date(from),
      to: new Date(to),
      entityRefs: scope.entityRefs ?? undefined,
    };
    const { store, links } = this.deps;
    const [releases, rollbacks, crossService] = none
      ? [[], [], links ? [] : undefined]
      : await Promise.all([
          store.listProductionReleases(range),
          store.listRollbacks(range),
          links ? readCrossServiceFacts({ store, links }, range) : undefined,
        ]);
    const { summary, series } = releaseMetricsSeries(releases, rollbacks, {
      from,
      to,
      bucket,
      crossService,
    });
    return {
      scope: { type: scope.type, ref: scope.ref },
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      bucket,
      targets: {
        rollbackTestedShare: ROLLBACK_TESTED_TARGET,
        rollbackTimeMs: ROLLBACK_TIME_TARGET_MS,
        ...(links && { plannedShare: PLANNED_TARGET }),
      },
      summary,
      series: series.map(b => ({
        start: new Date(b.start).toISOString(),
        end: new Date(b.end).toISOString(),
        measures: b.measures,
      })),
      simulatedReleases: releases
        .filter(r => r.simulated)
        .reduce((sum, r) => sum + releasesOf(r), 0),
    };
  }
}
