/**
 * Cross-service releases and whether they went through a release plan
 * (issue 21), as pure functions over plain facts: the store reads the
 * production releases with the plan each was a member release of, the
 * catalog gives the links between services, and these functions group the
 * releases and count. Definitions in docs/release-metrics.md.
 */
import type { ReleaseMetricsMeasures } from '@glidepath/backstage-plugin-common';

/** Cross-service releases and how many went through a plan. */
export type PlannedCrossServiceMeasure = NonNullable<
  ReleaseMetricsMeasures['plannedCrossService']
>;

/** The share of cross-service releases that should go through a plan. */
export const PLANNED_TARGET = 0.7;

/** How close in time two linked releases must start to be one release. */
export const CROSS_SERVICE_WINDOW_MS = 86_400_000;

/** One production release, with the plan it was a member release of. */
export type CrossServiceReleaseFact = {
  /** The deployment's id (for a stable order among equal times). */
  id: string;
  entityRef: string;
  /** When it started. */
  deployedAt: number;
  /** The plan whose member release it was (`plan_members.release_id`), or null. */
  planId: string | null;
  simulated?: boolean;
};

/** A link between two services: a dependency or a version requirement. */
export type ServiceLink = { from: string; to: string };

/** Releases of linked services that went out together. */
export type CrossServiceGroup = {
  /** When its first release started. */
  startedAt: number;
  releases: CrossServiceReleaseFact[];
  /** Its services, sorted. */
  entityRefs: string[];
  /** The plan every release of the group was a member of, or null. */
  planId: string | null;
};

/** A cross-service release as the measure counts it. */
export type CrossServiceFact = { startedAt: number; planned: boolean };

/** Each service's linked services, either direction, itself left out. */
export function linkedServices(
  links: Iterable<ServiceLink>,
): Map<string, Set<string>> {
  const linked = new Map<string, Set<string>>();
  const add = (a: string, b: string) => {
    if (a === b) return;
    const set = linked.get(a) ?? new Set<string>();
    set.add(b);
    linked.set(a, set);
  };
  for (const { from, to } of links) {
    add(from, to);
    add(to, from);
  }
  return linked;
}

/** Start order; ties by service, then id. */
function inOrder(a: CrossServiceReleaseFact, b: CrossServiceReleaseFact) {
  return (
    a.deployedAt - b.deployedAt ||
    a.entityRef.localeCompare(b.entityRef) ||
    a.id.localeCompare(b.id)
  );
}

/**
 * Groups production releases into releases that went out together. The
 * releases of a group are of different services, each linked to another
 * of the group (a dependency or a version requirement, either direction),
 * and all started within `windowMs` (one day) of the group's first. In two
 * passes, each in start order (ties by service and id):
 *
 * 1. a plan's member releases: each joins the earliest group of its own
 *    plan it fits, or starts one;
 * 2. the other releases: each joins the earliest group it fits, of a plan
 *    or not (a group of a plan that one joins did not wholly go through
 *    the plan), or starts one.
 *
 * Anchored at their first release, groups do not chain: a service released
 * every hour does not join six months into one group. Every group is
 * returned, in start order, single releases included; `isCrossService`
 * tells them apart.
 */
export function groupReleases(
  releases: readonly CrossServiceReleaseFact[],
  linked: ReadonlyMap<string, ReadonlySet<string>>,
  windowMs = CROSS_SERVICE_WINDOW_MS,
): CrossServiceGroup[] {
  const sorted = [...releases].sort(inOrder);
  type Building = {
    first: number;
    last: number;
    releases: CrossServiceReleaseFact[];
    services: Set<string>;
    /** The plan of every release so far, or null. */
    planId: string | null;
    /** When it was made, for a stable choice among equal starts. */
    order: number;
  };
  const groups: Building[] = [];
  // Each service's groups with the time of its release in them, per pass,
  // in that time's order (a pass goes in start order): a group a release
  // may join has a release of a linked service within the window of it.
  const byService = new Map<string, Array<Array<[number, Building]>>>();
  let pass = 0;
  const remember = (ref: string, time: number, group: Building) => {
    const lists = byService.get(ref) ?? [[], []];
    lists[pass].push([time, group]);
    byService.set(ref, lists);
  };
  const near = (ref: string, time: number): Building[] => {
    const out: Building[] = [];
    for (const list of byService.get(ref) ?? []) {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid][0] < time - windowMs) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < list.length && list[i][0] <= time + windowMs; i++) {
        out.push(list[i][1]);
      }
    }
    return out;
  };
  const fits = (group: Building, release: CrossServiceReleaseFact) => {
    if (group.services.has(release.entityRef)) return false;
    const first = Math.min(group.first, release.deployedAt);
    const last = Math.max(group.last, release.deployedAt);
    return last - first <= windowMs;
  };
  const place = (
    release: CrossServiceReleaseFact,
    eligible: (group: Building) => boolean,
  ) => {
    const candidates = new Set<Building>();
    for (const ref of linked.get(release.entityRef) ?? []) {
      for (const g of near(ref, release.deployedAt)) candidates.add(g);
    }
    const group = [...candidates]
      .filter(g => eligible(g) && fits(g, release))
      .sort((a, b) => a.first - b.first || a.order - b.order)[0];
    if (!group) {
      const created: Building = {
        first: release.deployedAt,
        last: release.deployedAt,
        releases: [release],
        services: new Set([release.entityRef]),
        planId: release.planId,
        order: groups.length,
      };
      groups.push(created);
      remember(release.entityRef, release.deployedAt, created);
      return;
    }
    group.first = Math.min(group.first, release.deployedAt);
    group.last = Math.max(group.last, release.deployedAt);
    group.releases.push(release);
    group.services.add(release.entityRef);
    remember(release.entityRef, release.deployedAt, group);
    if (group.planId !== release.planId) group.planId = null;
  };
  for (const release of sorted) {
    if (release.planId !== null) {
      place(release, g => g.planId === release.planId);
    }
  }
  pass = 1;
  for (const release of sorted) {
    if (release.planId === null) place(release, () => true);
  }
  return groups
    .map(g => ({
      startedAt: g.first,
      releases: [...g.releases].sort(inOrder),
      entityRefs: [...g.services].sort(),
      planId: g.planId,
    }))
    .sort((a, b) => inOrder(a.releases[0], b.releases[0]));
}

/** Two or more services' releases: a cross-service release. */
export const isCrossService = (group: CrossServiceGroup) =>
  group.entityRefs.length >= 2;

/**
 * The cross-service releases among the groups, each with whether it went
 * through a plan; with `scope`, only those with a release of one of its
 * services (a team's: a release across two teams counts for both).
 */
export function crossServiceFacts(
  groups: readonly CrossServiceGroup[],
  scope?: ReadonlySet<string>,
): CrossServiceFact[] {
  return groups
    .filter(isCrossService)
    .filter(g => !scope || g.entityRefs.some(ref => scope.has(ref)))
    .map(g => ({ startedAt: g.startedAt, planned: g.planId !== null }));
}

/** How many cross-service releases went through a plan, and the share. */
export function measurePlanned(
  facts: readonly CrossServiceFact[],
): PlannedCrossServiceMeasure {
  const planned = facts.filter(f => f.planned).length;
  return {
    crossServiceReleases: facts.length,
    planned,
    share: facts.length ? planned / facts.length : null,
  };
}

/**
 * The services whose releases a scope's cross-service releases can
 * involve: the scope's linked services and the services linked to them
 * (every linked service for the organisation). Services without a link
 * cannot be part of one, so their releases are not read.
 */
export function servicesToRead(
  linked: ReadonlyMap<string, ReadonlySet<string>>,
  scope?: readonly string[],
): string[] {
  if (!scope) return [...linked.keys()].sort();
  const out = new Set<string>();
  for (const ref of scope) {
    const neighbours = linked.get(ref);
    if (!neighbours?.size) continue;
    out.add(ref);
    for (const n of neighbours) out.add(n);
  }
  return [...out].sort();
}
