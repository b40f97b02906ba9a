/*
 * The check of proposed versions against the requirements on them. Pure:
 * no I/O.
 */
import {
  blastRadius,
  checkVersion,
  GraphCheckResult,
  GraphDeployment,
  releaseOrderOf,
  RequirementViolation,
  VersionRequirement,
} from '@glidepath/backstage-plugin-common';
import type { LatestRelease } from '../releases/ReleaseStore';
import { deploymentsByEntity } from './deployments';
import type { EntityIndex } from './entityIndex';

/** A proposed change, its entity normalised. */
export type Change = {
  entityRef: string;
  version: string;
  environment?: string;
};

function violation(
  change: Change,
  from: string,
  requirement: VersionRequirement,
  current: GraphDeployment | undefined,
  message: string,
): RequirementViolation {
  const before = checkVersion(current?.version, requirement.range);
  return {
    from,
    to: change.entityRef,
    range: requirement.range,
    text: requirement.text,
    proposedVersion: change.version,
    currentVersion: current?.version ?? null,
    environment: current?.environment ?? change.environment ?? null,
    alreadyBroken: before.status === 'broken',
    message,
  };
}

/**
 * What proposed versions would break: every requirement on a changed entity
 * that its proposed version does not satisfy (per environment it runs in, or
 * the one named), those that cannot be judged, the order to release the
 * changes in, and everything that depends on them.
 */
export function checkChanges(
  index: EntityIndex,
  latest: readonly LatestRelease[],
  changes: readonly Change[],
): GraphCheckResult {
  const deployments = deploymentsByEntity(latest);
  const broken: RequirementViolation[] = [];
  const unknown: RequirementViolation[] = [];
  const missing: string[] = [];
  for (const change of changes) {
    if (!index.get(change.entityRef)) {
      missing.push(change.entityRef);
      continue;
    }
    const environments = (
      deployments.get(change.entityRef)?.deployments ?? []
    ).filter(d => !change.environment || d.environment === change.environment);
    const targets = environments.length ? environments : [undefined];
    for (const from of index.requirersOf(change.entityRef)) {
      const requirement = index
        .requirementsOf(from)
        .find(r => r.entityRef === change.entityRef)!;
      const check = checkVersion(change.version, requirement.range);
      if (check.status === 'satisfied') continue;
      for (const current of targets) {
        if (check.status === 'broken') {
          broken.push(
            violation(
              change,
              from,
              requirement,
              current,
              `${from} requires ${requirement.text}: ${check.message}`,
            ),
          );
        } else {
          unknown.push(
            violation(change, from, requirement, current, check.message),
          );
        }
      }
    }
  }
  const changed = changes.map(c => c.entityRef).filter(ref => index.get(ref));
  const { edges } = index.edges();
  const order = releaseOrderOf([...new Set(changed)], edges);
  return {
    broken,
    unknown,
    releaseOrder: order.ok
      ? { layers: order.layers, cycles: [] }
      : { layers: null, cycles: order.cycles },
    blastRadius: blastRadius(changed, edges),
    missing,
  };
}
