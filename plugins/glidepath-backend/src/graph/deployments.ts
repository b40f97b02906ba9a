/*
 * What runs of each entity in each environment, from its latest releases,
 * and whether that satisfies a requirement on it. Pure: no I/O.
 */
import {
  checkVersion,
  EnvironmentDefinition,
  GraphDeployment,
  GraphRequirement,
  isTerminalPhase,
  normalizeEntityRef,
  RequirementCheck,
  sortEnvironments,
  VersionRequirement,
} from '@glidepath/backstage-plugin-common';
import type { LatestRelease } from '../releases/ReleaseStore';

const FAILED = new Set(['rolled_back', 'aborted', 'failed']);

/**
 * What runs of an entity in the environment of its latest release there:
 * that release's version once it succeeded; otherwise (in progress, failed,
 * aborted or rolled back) the version it replaced, which still serves.
 */
export function deploymentOf(latest: LatestRelease): GraphDeployment {
  const active = !isTerminalPhase(latest.phase);
  const replaced = active || FAILED.has(latest.phase);
  return {
    environment: latest.environment,
    version: replaced ? latest.previousVersion : latest.version,
    releaseId: latest.id,
    releasePhase: latest.phase,
    releasingVersion: active ? latest.version : null,
    simulated: latest.simulated,
  };
}

/** A requirement checked against every environment the target runs in. */
export function checkRequirement(
  requirement: VersionRequirement,
  deployments: readonly GraphDeployment[],
): GraphRequirement {
  const checks: RequirementCheck[] = [];
  for (const d of deployments) {
    const stable = checkVersion(d.version, requirement.range);
    checks.push({
      environment: d.environment,
      version: d.version,
      releasing: false,
      status: stable.status,
      message: stable.status === 'satisfied' ? null : stable.message,
    });
    if (d.releasingVersion) {
      const next = checkVersion(d.releasingVersion, requirement.range);
      checks.push({
        environment: d.environment,
        version: d.releasingVersion,
        releasing: true,
        status: next.status,
        message:
          next.status === 'satisfied'
            ? null
            : `the release in progress: ${next.message}`,
      });
    }
  }
  let status: GraphRequirement['status'] = 'unknown';
  if (checks.some(c => c.status === 'broken')) status = 'broken';
  else if (checks.length && checks.every(c => c.status === 'satisfied')) {
    status = 'satisfied';
  }
  return {
    range: requirement.range,
    text: requirement.text,
    status,
    checks,
  };
}

/**
 * Groups the latest releases by entity, each entity's environments in
 * promotion order (`environments`, the configured ones; those it does not
 * know after them, alphabetically), or alphabetically without it.
 */
export function deploymentsByEntity(
  latest: readonly LatestRelease[],
  environments?: readonly EnvironmentDefinition[],
): Map<string, { deployments: GraphDeployment[]; newest?: LatestRelease }> {
  const out = new Map<
    string,
    { deployments: GraphDeployment[]; newest?: LatestRelease }
  >();
  for (const release of latest) {
    const ref = normalizeEntityRef(release.entityRef);
    let entry = out.get(ref);
    if (!entry) {
      entry = { deployments: [] };
      out.set(ref, entry);
    }
    entry.deployments.push(deploymentOf(release));
    if (!entry.newest || release.startedAt > entry.newest.startedAt) {
      entry.newest = release;
    }
  }
  // Environments in a stable order; each entity has only a few.
  for (const entry of out.values()) {
    if (entry.deployments.length > 1) {
      if (environments) {
        const order = sortEnvironments(
          entry.deployments.map(d => d.environment),
          environments,
        );
        entry.deployments.sort(
          (a, b) => order.indexOf(a.environment) - order.indexOf(b.environment),
        );
      } else {
        entry.deployments.sort((a, b) =>
          a.environment < b.environment
            ? -1
            : Number(a.environment > b.environment),
        );
      }
    }
  }
  return out;
}

/** Whether two lists of deployments say the same. */
export function sameDeployments(
  a: readonly GraphDeployment[],
  b: readonly GraphDeployment[],
): boolean {
  return (
    a.length === b.length &&
    a.every(
      (x, i) =>
        x.environment === b[i].environment &&
        x.version === b[i].version &&
        x.releaseId === b[i].releaseId &&
        x.releasePhase === b[i].releasePhase &&
        x.releasingVersion === b[i].releasingVersion &&
        x.simulated === b[i].simulated,
    )
  );
}
