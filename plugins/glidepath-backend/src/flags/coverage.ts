/*
 * "Share of new features behind flags", defined concretely: of the
 * production deployments in a period whose first commit is known, the
 * share for which at least one of the entity's feature flags was created
 * or last changed between that first commit and the deployment. A pure
 * function over DORA's deployment facts and the flag inventory.
 */

/** A production deployment with its first commit. */
export type CoverageDeployment = {
  entityRef: string;
  firstCommitAt: number;
  deployedAt: number;
};

/** The share for a team or for the organisation. */
export type CoverageShare = {
  /** Production deployments with a known first commit. */
  releases: number;
  /** Of those, how many had a flag of the entity made or changed meanwhile. */
  behindFlags: number;
  /** behindFlags / releases; null without releases. */
  share: number | null;
};

/** The measure for the organisation and each team, against the target. */
export type FlagCoverage = {
  target: number;
  organisation: CoverageShare;
  teams: Array<CoverageShare & { owner: string | null }>;
};

/** Glidepath's users asked for at least 80% of new features behind flags. */
export const FLAG_COVERAGE_TARGET = 0.8;

function share(releases: number, behindFlags: number): CoverageShare {
  return {
    releases,
    behindFlags,
    share: releases ? behindFlags / releases : null,
  };
}

/**
 * The share of new features behind flags. `flagTimes` gives, per entity,
 * the times its flags were created or last changed; `owners` each entity's
 * owner (teams are ranked by their share, lowest first, so those furthest
 * from the target come first).
 */
export function flagCoverage(
  deployments: CoverageDeployment[],
  flagTimes: ReadonlyMap<string, number[]>,
  owners: ReadonlyMap<string, string | null>,
  target = FLAG_COVERAGE_TARGET,
): FlagCoverage {
  let releases = 0;
  let behind = 0;
  const teams = new Map<string | null, { releases: number; behind: number }>();
  for (const deployment of deployments) {
    if (deployment.firstCommitAt > deployment.deployedAt) continue;
    const times = flagTimes.get(deployment.entityRef) ?? [];
    const flagged = times.some(
      t => t >= deployment.firstCommitAt && t <= deployment.deployedAt,
    );
    releases += 1;
    if (flagged) behind += 1;
    const owner = owners.get(deployment.entityRef) ?? null;
    const team = teams.get(owner) ?? { releases: 0, behind: 0 };
    team.releases += 1;
    if (flagged) team.behind += 1;
    teams.set(owner, team);
  }
  return {
    target,
    organisation: share(releases, behind),
    teams: [...teams]
      .map(([owner, t]) => ({ owner, ...share(t.releases, t.behind) }))
      .sort(
        (a, b) =>
          (a.share ?? 1) - (b.share ?? 1) ||
          b.releases - a.releases ||
          (a.owner ?? '~').localeCompare(b.owner ?? '~'),
      ),
  };
}
