import type { CrossServiceReleaseFact } from './crossService';
import type { ProductionReleaseFact, RollbackFact } from './measures';

/** A period [from, to), of the entities given or (without them) of all. */
export type ReleaseMetricsQuery = {
  from: Date;
  to: Date;
  entityRefs?: readonly string[];
};

/**
 * What the release metrics read: the production releases of a period with
 * whether their version was rollback-tested first and how they went out,
 * and the rollbacks of production releases with when each finished.
 * `DatabaseReleaseMetricsStore` implements it over the DORA deployments,
 * the rollback tests and the release actions.
 */
export interface ReleaseMetricsStore {
  /**
   * The production releases (deployments to a production environment,
   * Glidepath's or posted) that started in [from, to).
   */
  listProductionReleases(
    query: ReleaseMetricsQuery,
  ): Promise<ProductionReleaseFact[]>;

  /**
   * The rollbacks asked for in [from, to) on releases to a production
   * environment, but for a rollback test's.
   */
  listRollbacks(query: ReleaseMetricsQuery): Promise<RollbackFact[]>;

  /**
   * The production releases of these entities that started in [from, to),
   * one by one, each with the release plan it was a member release of
   * (`plan_members.release_id`), for grouping into cross-service releases.
   */
  listCrossServiceCandidates(
    query: ReleaseMetricsQuery & { entityRefs: readonly string[] },
  ): Promise<CrossServiceReleaseFact[]>;
}
