import type {
  ActionState,
  ActionType,
  Actor,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';

/** A new action, as the API asks for it. */
export type NewAction = {
  releaseId: string;
  entityRef: string;
  action: ActionType;
  reason: string;
  requestedBy: Actor;
  idempotencyKey: string;
  /** The release's current step when it was requested. */
  stepIndex?: number | null;
};

/** An action a runner holds the lease of, with what a takeover needs. */
export type ClaimedAction = ReleaseAction & {
  /** How many times a runner took it up, this time included. */
  attempts: number;
  /** The release's current step when it was requested. */
  stepIndex: number | null;
};

/** Whether the action was created now or already existed under the key. */
export type CreateActionResult = {
  action: ReleaseAction;
  created: boolean;
};

/** Glidepath's storage of the actions taken on releases. */
export interface ActionStore {
  /**
   * Creates an action in state `requested`, or returns the existing one with
   * the same idempotency key (`created: false`). Safe under concurrency: of
   * many simultaneous calls with one key exactly one gets `created: true`.
   * Throws ConflictError when the key exists for a different release, action
   * or requester.
   */
  createAction(action: NewAction): Promise<CreateActionResult>;

  getAction(id: string): Promise<ReleaseAction | undefined>;

  findActionByIdempotencyKey(key: string): Promise<ReleaseAction | undefined>;

  /** Newest first. */
  listActions(options: {
    releaseId?: string;
    entityRef?: string;
    limit: number;
  }): Promise<ReleaseAction[]>;

  /**
   * Moves an action to a new state, setting startedAt (running) or finishedAt
   * (succeeded, failed) and the error. Returns the updated action.
   */
  updateActionState(
    id: string,
    state: ActionState,
    options?: { error?: string; at?: Date },
  ): Promise<ReleaseAction>;

  /**
   * Takes up an action for `owner` with a lease of `leaseMs`: one requested,
   * or one running whose lease ran out (its runner died). Moves it to
   * running and counts the attempt. Refused (undefined) when the action is
   * held or finished, or when another action of the same release holds a
   * live lease: a release's actions run one at a time across replicas.
   */
  claimAction(options: {
    id: string;
    owner: string;
    leaseMs: number;
    now?: Date;
  }): Promise<ClaimedAction | undefined>;

  /** Extends the lease while `owner` still holds it; false when it lost it. */
  renewLease(options: {
    id: string;
    owner: string;
    leaseMs: number;
    now?: Date;
  }): Promise<boolean>;

  /**
   * Finishes an action `owner` holds, releasing the lease. Undefined when it
   * no longer holds it (another runner took it over).
   */
  finishAction(options: {
    id: string;
    owner: string;
    state: 'succeeded' | 'failed';
    error?: string;
    at?: Date;
  }): Promise<ReleaseAction | undefined>;

  /**
   * Actions nobody is running: requested before `requestedBefore` and not
   * taken up, or running with a lease that ran out. Oldest first.
   */
  listUnfinishedActions(options: {
    requestedBefore: Date;
    now?: Date;
    limit: number;
  }): Promise<ReleaseAction[]>;
}
