import {
  CROSS_SERVICE_WINDOW_MS,
  CrossServiceFact,
  crossServiceFacts,
  groupReleases,
  linkedServices,
  ServiceLink,
  servicesToRead,
} from './crossService';
import type { ReleaseMetricsStore } from './ReleaseMetricsStore';

/** The links between services as the catalog says now. */
export type ServiceLinks = () => Promise<readonly ServiceLink[]>;

/**
 * The links of the dependency graph's catalog snapshot (dependsOn,
 * consumesApi through the providing components, glidepath.dev/requires),
 * read with the backend's own credentials: the measure counts releases,
 * whoever may read the entities.
 */
export function snapshotLinks(snapshot: {
  read(): Promise<{ index: { edges(): { edges: readonly ServiceLink[] } } }>;
}): ServiceLinks {
  return async () => (await snapshot.read()).index.edges().edges;
}

/**
 * The cross-service releases of a scope (its services; all without them)
 * that started in [from, to), each with whether it went through a plan:
 * the releases of the scope's linked services and of the services linked
 * to them, from a day before `from` so that a group is whole, grouped by
 * the pure functions of crossService.ts.
 */
export async function readCrossServiceFacts(
  deps: {
    store: Pick<ReleaseMetricsStore, 'listCrossServiceCandidates'>;
    links: ServiceLinks;
  },
  query: { from: Date; to: Date; entityRefs?: readonly string[] },
): Promise<CrossServiceFact[]> {
  const linked = linkedServices(await deps.links());
  const refs = servicesToRead(linked, query.entityRefs);
  if (refs.length === 0) return [];
  const from = query.from.getTime();
  const to = query.to.getTime();
  const releases = await deps.store.listCrossServiceCandidates({
    from: new Date(from - CROSS_SERVICE_WINDOW_MS),
    to: query.to,
    entityRefs: refs,
  });
  const groups = groupReleases(releases, linked);
  return crossServiceFacts(
    groups,
    query.entityRefs ? new Set(query.entityRefs) : undefined,
  ).filter(f => f.startedAt >= from && f.startedAt < to);
}
