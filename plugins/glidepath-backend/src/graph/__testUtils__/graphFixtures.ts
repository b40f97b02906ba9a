/*
 * The catalogs and releases the graph's tests are built from.
 */
import type { GraphScope } from '@glidepath/backstage-plugin-common';
import {
  catalogWithRelations,
  EntitySketch,
} from '../../__testUtils__/catalogWithRelations';
import type { LatestRelease } from '../../releases/ReleaseStore';
import { buildGraph } from '../buildGraph';
import { EntityIndex } from '../entityIndex';

export const c = (name: string) => `component:default/${name}`;

export function indexOf(sketches: EntitySketch[]): EntityIndex {
  const index = new EntityIndex();
  catalogWithRelations(sketches).forEach(e => index.add(e));
  return index;
}

export function latest(
  name: string,
  version: string,
  phase: LatestRelease['phase'] = 'succeeded',
  extra: Partial<LatestRelease> = {},
): LatestRelease {
  return {
    id: `${name}@${version}`,
    entityRef: c(name),
    environment: 'production',
    version,
    previousVersion: null,
    phase,
    simulated: false,
    startedAt: new Date('2026-11-01T00:00:00Z'),
    ...extra,
  };
}

/** A shop for the pure functions: consumed APIs, requirements, resources. */
export const SHOP: EntitySketch[] = [
  {
    name: 'web',
    consumesApis: ['checkout-api'],
    dependsOn: ['component:gateway'],
  },
  { name: 'gateway', dependsOn: ['identity'] },
  { name: 'identity', dependsOn: ['resource:identity-db'] },
  {
    name: 'checkout',
    providesApis: ['checkout-api'],
    consumesApis: ['payments-api'],
    requires: 'payments@>=2.3.0 <3, resource:orders-db@^14',
    system: 'shop',
  },
  { name: 'payments', providesApis: ['payments-api'], system: 'shop' },
  { kind: 'Resource', name: 'orders-db', system: 'shop' },
  { kind: 'Resource', name: 'identity-db' },
  { kind: 'API', name: 'checkout-api' },
  { kind: 'API', name: 'payments-api' },
  { kind: 'System', name: 'shop' },
];

/** buildGraph on `sketches`, around the first root, from nothing. */
export function graph(
  sketches: EntitySketch[],
  options: Partial<Parameters<typeof buildGraph>[1]> & { roots: string[] },
) {
  const scope: GraphScope = {
    type: 'entity',
    ref: options.roots[0],
    depth: 2,
    direction: 'both',
  };
  return buildGraph(indexOf(sketches), {
    scope,
    depth: Infinity,
    direction: 'both',
    latest: [],
    now: new Date('2026-11-27T00:00:00Z'),
    ...options,
  });
}

/**
 * The shop the service and its routes serve: groups, a system and a domain
 * to scope by, rollouts for the test backend's fake provider, a dependency
 * only a requirement makes, and a requirement that does not parse.
 */
export const SERVICE_SHOP: EntitySketch[] = [
  { kind: 'Group', name: 'team-a' },
  { kind: 'Group', name: 'team-b' },
  { kind: 'System', name: 'shop' },
  { kind: 'Domain', name: 'commerce' },
  {
    name: 'checkout',
    system: 'shop',
    consumesApis: ['payments-api'],
    requires: 'payments@>=2.3.0 <3, ledger@^1',
    annotations: { 'glidepath.dev/rollout': 'fake:checkout' },
  },
  {
    name: 'payments',
    system: 'shop',
    owner: 'team-b',
    providesApis: ['payments-api'],
    annotations: { 'glidepath.dev/rollout': 'fake:payments' },
  },
  // Only a requirement links ledger to checkout: no catalog relation.
  { name: 'ledger', owner: 'team-b' },
  {
    name: 'broken',
    requires: 'payments@>=2, ledger@two',
    dependsOn: ['payments'],
  },
  { kind: 'API', name: 'payments-api' },
];
