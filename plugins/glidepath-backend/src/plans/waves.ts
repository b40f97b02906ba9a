/*
 * A plan's waves and what is wrong with its members. Pure: no I/O.
 */
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  GraphCheckResult,
  PlanMemberRequest,
} from '@glidepath/backstage-plugin-common';

/** A member as the plan keeps it: its entity normalised. */
export type PlanMemberInput = {
  entityRef: string;
  version: string;
  environment: string;
  fix: boolean;
};

/**
 * The members normalised, or the first problem naming the member (a 400):
 * an unreadable entity ref, or the same entity and environment twice.
 */
export function normaliseMembers(
  members: readonly PlanMemberRequest[],
): { members: PlanMemberInput[] } | { problem: string } {
  const seen = new Map<string, number>();
  const out: PlanMemberInput[] = [];
  for (const [i, member] of members.entries()) {
    let entityRef: string;
    try {
      entityRef = stringifyEntityRef(
        parseEntityRef(member.entityRef.trim(), {
          defaultKind: 'component',
          defaultNamespace: 'default',
        }),
      ).toLocaleLowerCase('en-US');
    } catch (error) {
      return {
        problem: `members[${i}].entityRef: "${member.entityRef}" is not an entity ref (e.g. component:default/checkout-service)`,
      };
    }
    const version = member.version.trim();
    const environment = member.environment.trim();
    if (!version) return { problem: `members[${i}].version is empty` };
    if (!environment) return { problem: `members[${i}].environment is empty` };
    const key = `${entityRef}|${environment}`;
    const twice = seen.get(key);
    if (twice !== undefined) {
      return {
        problem: `members[${i}]: ${entityRef} in ${environment} is already members[${twice}]; a plan releases one version of an entity per environment`,
      };
    }
    seen.set(key, i);
    out.push({ entityRef, version, environment, fix: member.fix ?? false });
  }
  return { members: out };
}

/** What the dependency check says against a plan, in words. */
export type PlanGraphProblems = {
  /** Members the catalog does not know (a 404). */
  missing: string[];
  /** Versions that cannot be judged against a requirement on them (a 400). */
  unjudgeable: string[];
  /** Dependency cycles among the members, and requirements the plan breaks (a 409 unless overridden). */
  blocking: string[];
};

/** The problems of a dependency check of the plan's versions. */
export function graphProblems(check: GraphCheckResult): PlanGraphProblems {
  return {
    missing: [...check.missing],
    unjudgeable: check.unknown.map(
      v =>
        `${v.to} ${v.proposedVersion}: ${v.message} (${v.from} requires ${v.text})`,
    ),
    blocking: [
      ...check.releaseOrder.cycles.map(
        cycle => `a dependency cycle: ${[...cycle, cycle[0]].join(' → ')}`,
      ),
      ...check.broken.map(v => v.message),
    ],
  };
}

/**
 * The wave of each member (by position): the layer of its entity in the
 * release order, dependencies first; members of one entity share a wave.
 * Without an order (an overridden cycle), every member is in one wave.
 */
export function planWaves(
  members: readonly PlanMemberInput[],
  layers: readonly string[][] | null,
): number[] {
  if (!layers) return members.map(() => 0);
  const layerOf = new Map<string, number>();
  layers.forEach((layer, i) => layer.forEach(ref => layerOf.set(ref, i)));
  const used = [...new Set(members.map(m => layerOf.get(m.entityRef) ?? 0))];
  used.sort((a, b) => a - b);
  const compact = new Map(used.map((layer, i) => [layer, i]));
  return members.map(m => compact.get(layerOf.get(m.entityRef) ?? 0)!);
}
