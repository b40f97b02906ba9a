import type { Entity } from '@backstage/catalog-model';
import type {
  EntityReleaseSummary,
  Release,
  ReleaseAction,
  ReleaseDetail,
} from '@glidepath/backstage-plugin-common';

export const checkoutService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-service',
    namespace: 'default',
    annotations: { 'glidepath.dev/rollout': 'sandbox:checkout-service' },
  },
  spec: { type: 'service', owner: 'team-checkout', lifecycle: 'production' },
};

export function makeRelease(overrides: Partial<Release> = {}): Release {
  return {
    id: 'rel-1',
    entityRef: 'component:default/checkout-service',
    version: '1.5.0',
    previousVersion: '1.4.2',
    environment: 'production',
    strategy: 'canary',
    phase: 'paused',
    steps: [
      {
        index: 0,
        kind: 'set_weight',
        weight: 10,
        description: 'Send 10% of traffic to 1.5.0',
        status: 'completed',
      },
      {
        index: 1,
        kind: 'set_weight',
        weight: 25,
        description: 'Send 25% of traffic to 1.5.0',
        status: 'completed',
      },
      {
        index: 2,
        kind: 'pause',
        description: 'Wait for a promotion',
        status: 'running',
      },
      {
        index: 3,
        kind: 'set_weight',
        weight: 50,
        description: 'Send 50% of traffic to 1.5.0',
        status: 'pending',
      },
      {
        index: 4,
        kind: 'set_weight',
        weight: 100,
        description: 'Send all traffic to 1.5.0',
        status: 'pending',
      },
    ],
    currentStepIndex: 2,
    canaryWeight: 25,
    provider: 'sandbox',
    providerRef: 'checkout-service',
    simulated: false,
    message: 'Waiting for a promotion',
    startedBy: { kind: 'user', ref: 'user:default/ada', displayName: 'Ada' },
    commit: '0123456789abcdef',
    startedAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:05:00.000Z',
    finishedAt: null,
    ...overrides,
  };
}

export function makeAction(
  overrides: Partial<ReleaseAction> = {},
): ReleaseAction {
  return {
    id: 'act-1',
    releaseId: 'rel-1',
    entityRef: 'component:default/checkout-service',
    action: 'rollback',
    reason: 'error rate doubled',
    state: 'requested',
    requestedBy: {
      kind: 'user',
      ref: 'user:default/guest',
      displayName: 'Guest',
    },
    requestedAt: '2025-03-01T10:06:00.000Z',
    startedAt: null,
    finishedAt: null,
    error: null,
    ...overrides,
  };
}

export function makeSummary(
  overrides: Partial<EntityReleaseSummary> = {},
): EntityReleaseSummary {
  const current =
    overrides.current === undefined ? makeRelease() : overrides.current;
  return {
    entityRef: 'component:default/checkout-service',
    current,
    recent: current ? [current] : [],
    allowedActions: ['promote', 'resume', 'abort', 'rollback'],
    recentActions: [],
    provider: {
      id: 'sandbox',
      registered: true,
      simulated: false,
      lastSyncedAt: '2025-03-01T10:05:00.000Z',
      stale: false,
      error: null,
    },
    problems: [],
    checklist: null,
    // A single-form annotation: production only.
    environments: [
      {
        name: 'production',
        production: true,
        provider: 'sandbox',
        ref: 'checkout-service',
        current,
      },
    ],
    ...overrides,
  };
}

/** A release's detail: no events, actions or analyses unless given. */
export function makeDetail(
  overrides: Partial<ReleaseDetail> = {},
): ReleaseDetail {
  return {
    release: makeRelease(),
    events: [],
    actions: [],
    allowedActions: ['promote', 'resume', 'abort', 'rollback'],
    analyses: [],
    checklist: null,
    providerAnalysis: [],
    ...overrides,
  };
}
