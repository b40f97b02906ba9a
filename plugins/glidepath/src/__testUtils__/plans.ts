import type {
  Plan,
  PlanMember,
  PlanWave,
} from '@glidepath/backstage-plugin-common';

/** A plan member, released unless told otherwise. */
export function makeMember(overrides: Partial<PlanMember> = {}): PlanMember {
  return {
    entityRef: 'component:default/inventory-service',
    version: '2.0.0',
    environment: 'production',
    fix: false,
    wave: 0,
    state: 'released',
    stateReason: null,
    mode: 'provider',
    releaseId: 'rel-inv',
    startedAt: '2026-12-07T10:00:00Z',
    completedAt: '2026-12-07T10:05:00Z',
    rolledBackAt: null,
    ...overrides,
  };
}

export function makeWave(overrides: Partial<PlanWave> = {}): PlanWave {
  return {
    index: 0,
    state: 'done',
    waitingFor: null,
    startedAt: '2026-12-07T10:00:00Z',
    completedAt: '2026-12-07T10:05:00Z',
    ...overrides,
  };
}

/**
 * A running three-service plan: inventory released in wave 1, checkout
 * releasing in wave 2 (waiting for its soak), storefront pending in wave 3.
 */
export function makePlan(overrides: Partial<Plan> = {}): Plan {
  return {
    id: 'plan-1',
    title: 'Checkout 2.0',
    state: 'running',
    stateReason: null,
    failurePolicy: 'rollback-all',
    gates: { soakMinutes: 5, analysisPassed: true },
    startAt: '2026-12-07T10:00:00Z',
    trainId: null,
    createdBy: {
      kind: 'user',
      ref: 'user:default/ada',
      displayName: 'Ada Lovelace',
    },
    createdAt: '2026-12-07T09:59:00Z',
    startedAt: '2026-12-07T10:00:00Z',
    finishedAt: null,
    currentWave: 1,
    override: null,
    freezeOverride: null,
    waves: [
      makeWave(),
      makeWave({
        index: 1,
        state: 'soaking',
        waitingFor: 'the soak time: 5 min after the wave completed',
        completedAt: null,
        startedAt: '2026-12-07T10:06:00Z',
      }),
      makeWave({
        index: 2,
        state: 'pending',
        startedAt: null,
        completedAt: null,
      }),
    ],
    members: [
      makeMember(),
      makeMember({
        entityRef: 'component:default/checkout-service',
        version: '1.6.0',
        wave: 1,
        state: 'releasing',
        releaseId: 'rel-co',
        startedAt: '2026-12-07T10:06:00Z',
        completedAt: null,
      }),
      makeMember({
        entityRef: 'component:default/storefront',
        version: '3.1.0',
        wave: 2,
        state: 'pending',
        releaseId: null,
        startedAt: null,
        completedAt: null,
      }),
    ],
    events: [
      {
        at: '2026-12-07T10:00:00Z',
        kind: 'wave-started',
        message: 'Wave 1 started',
        wave: 0,
        entityRef: null,
        actor: null,
      },
      {
        at: '2026-12-07T10:05:00Z',
        kind: 'member-released',
        message: 'Released 2.0.0',
        wave: 0,
        entityRef: 'component:default/inventory-service',
        actor: null,
      },
    ],
    simulated: false,
    ...overrides,
  };
}
