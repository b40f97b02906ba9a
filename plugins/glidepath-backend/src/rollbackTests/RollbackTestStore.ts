import type {
  Actor,
  RollbackGateOverride,
  RollbackTest,
  RollbackTestState,
} from '@glidepath/backstage-plugin-common';

/** A rollback test as stored: the API's shape and what the runner needs. */
export type StoredRollbackTest = RollbackTest & {
  /** Bumped by every write; a write names the revision it read. */
  revision: number;
  /** The rollback action the test asked for, once asked. */
  rollbackActionId: string | null;
  /** When the test asked the provider to roll the version forward. */
  forwardRequestedAt: string | null;
  /**
   * The releases of the environment when the test began: any other is one
   * the test brought about (the restored previous version, the version
   * rolled forward), whatever start time its provider gives it (Argo
   * Rollouts dates a restored release from its ReplicaSet's creation).
   */
  knownReleaseIds: string[];
};

/** A test to record. */
export type NewRollbackTest = {
  entityRef: string;
  environment: string;
  version: string;
  previousVersion: string | null;
  releaseId: string;
  provider: string;
  simulated: boolean;
  trigger: 'policy' | 'manual';
  requestedBy: Actor;
  reason: string;
  requestedAt: Date;
  /** For a manual test: the caller's Idempotency-Key. */
  idempotencyKey?: string;
  /** The environment's releases now (see StoredRollbackTest). */
  knownReleaseIds: string[];
};

/** What a write changes; the times as Dates. */
export type RollbackTestPatch = {
  state?: RollbackTestState;
  stateReason?: string | null;
  rollbackActionId?: string;
  rolledBackAt?: Date;
  healthyAt?: Date;
  forwardRequestedAt?: Date;
  finishedAt?: Date;
};

/** Where rollback tests and rollback-gate overrides are kept. */
export interface RollbackTestStore {
  /**
   * Records a test, or returns the one already recorded for the same
   * policy run (entity, environment, version) or the same manual request
   * (entity and Idempotency-Key), with `created: false`.
   */
  createTest(
    test: NewRollbackTest,
  ): Promise<{ test: StoredRollbackTest; created: boolean }>;

  getTest(id: string): Promise<StoredRollbackTest | undefined>;

  /** Newest first; of one environment when given. */
  listTests(options: {
    entityRef: string;
    environment?: string;
    limit: number;
  }): Promise<StoredRollbackTest[]>;

  /** Every test of the entity's versions (for the gate), any order. */
  listTestsOfVersion(options: {
    entityRef: string;
    version: string;
  }): Promise<StoredRollbackTest[]>;

  /** Tests that have no result yet, oldest first. */
  listUnfinished(): Promise<StoredRollbackTest[]>;

  /**
   * Whether the policy already ran a test of these (entity, environment,
   * version) triples: the set of their keys that it did.
   */
  policyKeysTaken(keys: readonly string[]): Promise<Set<string>>;

  /**
   * Writes `patch` if the test is still at `revision`; false (nothing
   * written) when another run wrote it since.
   */
  updateTest(
    id: string,
    revision: number,
    patch: RollbackTestPatch,
  ): Promise<boolean>;

  /** The override of a release's gate, if someone overrode it. */
  getOverride(releaseId: string): Promise<RollbackGateOverride | null>;

  /** Records an override; the first one stays (returned either way). */
  setOverride(options: {
    releaseId: string;
    entityRef: string;
    by: Actor;
    reason: string;
    at: Date;
  }): Promise<RollbackGateOverride>;
}

/** The key of the one test the policy runs per entity, environment and version. */
export function policyKey(
  entityRef: string,
  environment: string,
  version: string,
): string {
  return `${entityRef}|${environment}|${version}`;
}
