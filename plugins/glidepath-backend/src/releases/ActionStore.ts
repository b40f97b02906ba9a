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
}
