/**
 * What the DORA table tests share: hours and days in ms, three entities,
 * a deployment and an incident with defaults, and a two-week dataset.
 */
import { DoraDeployment, DoraIncident } from './dora';
import { deploymentFacts } from './doraAttribution';

export const H = 3_600_000;
export const D = 24 * H;
export const h = (hours: number) => hours * H;
export const utc = (iso: string) => Date.parse(iso);

export const A = 'component:default/a';
export const B = 'component:default/b';
export const C = 'component:default/c';

export function deployment(
  id: string,
  entityRef: string,
  deployedAt: number,
  fields: Partial<DoraDeployment> = {},
): DoraDeployment {
  return {
    id,
    entityRef,
    version: null,
    deployedAt,
    firstCommitAt: null,
    outcome: 'succeeded',
    finishedAt: null,
    ...fields,
  };
}

export function incident(
  id: string,
  fields: Partial<DoraIncident>,
): DoraIncident {
  return {
    id,
    entityRef: A,
    openedAt: null,
    resolvedAt: null,
    deploymentId: null,
    version: null,
    ...fields,
  };
}

/**
 * Two weeks from Monday 2024-03-04, three entities. `at(day, hour)` counts
 * from that Monday.
 */
export const W0 = utc('2024-03-04T00:00:00.000Z');
export const at = (day: number, hour = 0) => W0 + day * D + hour * H;
export const PAYMENTS = 'component:default/payments';
export const SEARCH = 'component:default/search';
export const WEB = 'component:default/web';

export const DATASET_DEPLOYMENTS: DoraDeployment[] = [
  // Before the range.
  deployment('w0', WEB, at(-1), { version: 'v0', firstCommitAt: at(-2) }),
  // Week 1.
  deployment('p1', PAYMENTS, at(0, 10), {
    version: 'v1',
    firstCommitAt: at(0, 4),
  }),
  deployment('s1', SEARCH, at(1), {
    version: 'v1',
    firstCommitAt: at(0),
    outcome: 'rolled_back',
    finishedAt: at(1, 1),
  }),
  deployment('p2', PAYMENTS, at(2, 10), {
    version: 'v2',
    firstCommitAt: at(1, 10),
  }),
  deployment('s2', SEARCH, at(4), { version: 'v2', firstCommitAt: at(3, 12) }),
  // Week 2.
  deployment('s3', SEARCH, at(7), { version: 'v3' }),
  deployment('w1', WEB, at(9), { version: 'v1', firstCommitAt: at(2) }),
  deployment('w2', WEB, at(10), { version: 'v2', firstCommitAt: at(10, 1) }),
  deployment('p4', PAYMENTS, at(11), {
    version: 'v4',
    firstCommitAt: at(10),
    outcome: 'aborted',
  }),
  // After the range.
  deployment('p3', PAYMENTS, at(15), { version: 'v3', firstCommitAt: at(14) }),
];

export const DATASET_INCIDENTS: DoraIncident[] = [
  incident('i1', {
    entityRef: PAYMENTS,
    openedAt: at(3),
    resolvedAt: at(3, 2),
  }),
  // s3 is the latest search release, but the incident names v2.
  incident('i2', {
    entityRef: SEARCH,
    openedAt: at(8),
    resolvedAt: at(8, 6),
    version: 'v2',
  }),
  incident('i3', { entityRef: WEB, openedAt: at(9, 1), deploymentId: 'w1' }),
  incident('i4', { entityRef: WEB, openedAt: at(8), resolvedAt: at(8, 1) }),
  // Resolved before its create event arrived.
  incident('i5', { entityRef: null, resolvedAt: at(5) }),
  incident('i6', {
    entityRef: PAYMENTS,
    openedAt: at(11, 2),
    resolvedAt: at(11, 3),
  }),
];

export const DATASET_FACTS = deploymentFacts(
  DATASET_DEPLOYMENTS,
  DATASET_INCIDENTS,
);
