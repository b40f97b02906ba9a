import type {
  Actor,
  Plan,
  PlanFailurePolicy,
  PlanGates,
  PlanMember,
  PlanOverride,
  PlanState,
  PlanWave,
} from '@glidepath/backstage-plugin-common';

/** A member as stored: the API's shape and what the executor needs. */
export type StoredPlanMember = PlanMember & {
  idx: number;
  /** The provider of the member's target when the plan was made. */
  provider: string | null;
  /** The environment's releases before the member's wave; the others are the plan's. */
  knownReleaseIds: string[] | null;
  /** The key of the provider call that starts the release, stored before the call. */
  startKey: string | null;
  /** When the provider accepted that call. */
  startCalledAt: string | null;
  rollbackActionId: string | null;
};

/** A plan as stored. */
export type StoredPlan = Omit<Plan, 'members' | 'events'> & {
  /** Bumped by every write; a write names the revision it read. */
  revision: number;
  /** The state a resume returns to. */
  pausedFrom: PlanState | null;
  members: StoredPlanMember[];
};

/** An entry of the timeline to add. */
export type NewPlanEvent = {
  kind: string;
  message: string;
  wave?: number | null;
  entityRef?: string | null;
  actor?: Actor | null;
};

/** What a plan write changes; times as Dates. */
export type PlanPatch = {
  state?: PlanState;
  stateReason?: string | null;
  pausedFrom?: PlanState | null;
  startedAt?: Date;
  finishedAt?: Date;
  currentWave?: number | null;
  freezeOverride?: PlanOverride;
};

export type PlanWavePatch = {
  state?: PlanWave['state'];
  waitingFor?: string | null;
  startedAt?: Date;
  completedAt?: Date;
};

export type PlanMemberPatch = {
  state?: PlanMember['state'];
  stateReason?: string | null;
  mode?: PlanMember['mode'];
  releaseId?: string;
  knownReleaseIds?: string[];
  startKey?: string;
  rollbackActionId?: string;
  startedAt?: Date;
  completedAt?: Date;
  rolledBackAt?: Date;
};

/** One conditional write of a plan, its waves, members and timeline. */
export type PlanWrite = {
  plan?: PlanPatch;
  waves?: Array<{ index: number; patch: PlanWavePatch }>;
  members?: Array<{ idx: number; patch: PlanMemberPatch }>;
  events?: NewPlanEvent[];
  /** The plan ended: its members may be in other plans again. */
  releaseClaims?: boolean;
};

/** A plan to record. */
export type NewPlan = {
  title: string;
  failurePolicy: PlanFailurePolicy;
  gates: Required<PlanGates>;
  startAt: Date;
  trainId: string | null;
  createdBy: Actor;
  createdAt: Date;
  override: PlanOverride | null;
  simulated: boolean;
  /** The creator and the caller's Idempotency-Key. */
  idempotencyKey: string;
  waveCount: number;
  members: Array<{
    entityRef: string;
    version: string;
    environment: string;
    fix: boolean;
    wave: number;
    mode: PlanMember['mode'];
    provider: string | null;
  }>;
};

/** Where plans are kept. */
export interface PlanStore {
  /**
   * Records a plan and claims its members' entity and environment pairs,
   * or returns the plan already recorded with the same key (`created:
   * false`). When another active plan holds a pair, nothing is written and
   * `conflict` names it.
   */
  createPlan(
    plan: NewPlan,
  ): Promise<
    | { plan: StoredPlan; created: boolean }
    | { conflict: { planId: string; entityRef: string; environment: string } }
  >;

  getPlan(id: string): Promise<StoredPlan | undefined>;

  /** The latest `limit` entries of a plan's timeline, oldest first. */
  listEvents(id: string, limit: number): Promise<Plan['events']>;

  /** Newest first. */
  listPlans(options: {
    states?: readonly PlanState[];
    entityRef?: string;
    limit: number;
  }): Promise<StoredPlan[]>;

  /** Plans the executor moves on: scheduled, running and rolling back. */
  listMoving(): Promise<StoredPlan[]>;

  /**
   * Writes if the plan is still at `revision`; false (nothing written)
   * when another write came first.
   */
  writePlan(id: string, revision: number, write: PlanWrite): Promise<boolean>;

  /**
   * Records that the provider accepted a member's start (a fact, written
   * whatever the plan's revision): only for the key it was called with.
   */
  markStartCalled(
    id: string,
    idx: number,
    startKey: string,
    at: Date,
  ): Promise<void>;
}

/** Plan states that still hold their members. */
export const ACTIVE_PLAN_STATES: readonly PlanState[] = [
  'scheduled',
  'running',
  'paused',
  'rolling_back',
];

/** Plan states that are over. */
export const FINISHED_PLAN_STATES: readonly PlanState[] = [
  'succeeded',
  'failed',
  'rolled_back',
  'aborted',
];
