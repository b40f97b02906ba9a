import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  ActionState,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import { toActorJson } from '../shared/actors';
import { isForeignKeyViolation } from '../shared/database';
import { readTimestamp } from '../shared/timestamps';
import type {
  ActionStore,
  ClaimedAction,
  CreateActionResult,
  NewAction,
} from './ActionStore';
import { ActionRow, toAction } from './releaseRows';

/** The lease columns of an action row. */
type LeaseRow = ActionRow & {
  lease_owner: string | null;
  lease_expires_at: Date | number | string | null;
  attempts: number;
  step_index: number | null;
};

/** Whether nobody holds a running action: no lease, or one that ran out. */
function leaseLapsed(row: LeaseRow, now: Date): boolean {
  return (
    row.lease_expires_at === null ||
    readTimestamp(row.lease_expires_at).getTime() < now.getTime()
  );
}

/**
 * The {@link ActionStore} on the plugin's knex database (table
 * `release_actions`).
 */
export class DatabaseActionStore implements ActionStore {
  constructor(private readonly db: Knex) {}

  async createAction(action: NewAction): Promise<CreateActionResult> {
    const id = uuid();
    try {
      // ON CONFLICT DO NOTHING: of concurrent inserts with one key, PostgreSQL
      // lets one win and makes the others wait for it, then skip.
      await this.db('release_actions')
        .insert({
          id,
          release_id: action.releaseId,
          entity_ref: action.entityRef,
          action: action.action,
          reason: action.reason,
          state: 'requested',
          requested_by: toActorJson(action.requestedBy),
          idempotency_key: action.idempotencyKey,
          requested_at: new Date(),
          started_at: null,
          finished_at: null,
          error: null,
          step_index: action.stepIndex ?? null,
        })
        .onConflict('idempotency_key')
        .ignore();
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new NotFoundError(`No release with id ${action.releaseId}`);
      }
      throw error;
    }

    const row = await this.db<ActionRow>('release_actions')
      .where('idempotency_key', action.idempotencyKey)
      .first();
    if (!row) {
      // Only if the action was deleted in between.
      throw new Error(
        `The action with Idempotency-Key ${action.idempotencyKey} disappeared while it was being created`,
      );
    }
    const stored = toAction(row);
    if (row.id === id) {
      return { action: stored, created: true };
    }
    if (
      stored.releaseId === action.releaseId &&
      stored.action === action.action &&
      stored.requestedBy.ref === action.requestedBy.ref
    ) {
      return { action: stored, created: false };
    }
    throw new ConflictError(
      'This Idempotency-Key was already used for a different request; use a new key for a new action',
    );
  }

  async getAction(id: string): Promise<ReleaseAction | undefined> {
    const row = await this.db<ActionRow>('release_actions')
      .where({ id })
      .first();
    return row ? toAction(row) : undefined;
  }

  async findActionByIdempotencyKey(
    key: string,
  ): Promise<ReleaseAction | undefined> {
    const row = await this.db<ActionRow>('release_actions')
      .where('idempotency_key', key)
      .first();
    return row ? toAction(row) : undefined;
  }

  async listActions(options: {
    releaseId?: string;
    entityRef?: string;
    limit: number;
  }): Promise<ReleaseAction[]> {
    const query = this.db<ActionRow>('release_actions')
      .orderBy([
        { column: 'requested_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    if (options.releaseId !== undefined) {
      query.where('release_id', options.releaseId);
    }
    if (options.entityRef !== undefined) {
      query.where('entity_ref', options.entityRef);
    }
    const rows = await query;
    return rows.map(toAction);
  }

  async updateActionState(
    id: string,
    state: ActionState,
    options?: { error?: string; at?: Date },
  ): Promise<ReleaseAction> {
    const at = options?.at ?? new Date();
    return await this.db.transaction(async tx => {
      const row = await tx<ActionRow>('release_actions')
        .where({ id })
        .forUpdate()
        .first();
      if (!row) {
        throw new NotFoundError(`No action with id ${id}`);
      }
      const patch: Partial<ActionRow> = { state };
      if (state === 'running') {
        patch.started_at = at;
      } else if (state === 'succeeded' || state === 'failed') {
        // An action that finished has started, even if nobody said so.
        patch.started_at = row.started_at ?? at;
        patch.finished_at = at;
        patch.error = options?.error ?? null;
      }
      await tx('release_actions').where({ id }).update(patch);
      return toAction({ ...row, ...patch });
    });
  }

  async claimAction(options: {
    id: string;
    owner: string;
    leaseMs: number;
    now?: Date;
  }): Promise<ClaimedAction | undefined> {
    const now = options.now ?? new Date();
    return this.db.transaction(async tx => {
      const first = await tx<LeaseRow>('release_actions')
        .where({ id: options.id })
        .first('release_id');
      if (!first) return undefined;
      // Claims of one release's actions take turns: the release's row is the
      // lock (PostgreSQL; SQLite has one writer anyway).
      await tx('releases')
        .where({ id: first.release_id })
        .forUpdate()
        .first('id');
      const row = await tx<LeaseRow>('release_actions')
        .where({ id: options.id })
        .first();
      if (!row) return undefined;
      const claimable =
        row.state === 'requested' ||
        (row.state === 'running' && leaseLapsed(row, now));
      if (!claimable) return undefined;
      const busy = await tx<LeaseRow>('release_actions')
        .where({ release_id: row.release_id, state: 'running' })
        .whereNot({ id: row.id })
        .andWhere('lease_expires_at', '>=', now)
        .first('id');
      if (busy) return undefined;
      const patch = {
        state: 'running',
        started_at: row.started_at ?? now,
        lease_owner: options.owner,
        lease_expires_at: new Date(now.getTime() + options.leaseMs),
        attempts: Number(row.attempts) + 1,
      };
      await tx('release_actions').where({ id: row.id }).update(patch);
      return {
        ...toAction({ ...row, ...patch }),
        attempts: patch.attempts,
        stepIndex: row.step_index,
      };
    });
  }

  async renewLease(options: {
    id: string;
    owner: string;
    leaseMs: number;
    now?: Date;
  }): Promise<boolean> {
    const now = options.now ?? new Date();
    const renewed = await this.db('release_actions')
      .where({ id: options.id, lease_owner: options.owner, state: 'running' })
      .update({ lease_expires_at: new Date(now.getTime() + options.leaseMs) });
    return renewed > 0;
  }

  async finishAction(options: {
    id: string;
    owner: string;
    state: 'succeeded' | 'failed';
    error?: string;
    at?: Date;
  }): Promise<ReleaseAction | undefined> {
    const at = options.at ?? new Date();
    const patch = {
      state: options.state,
      finished_at: at,
      error: options.error ?? null,
      lease_owner: null,
      lease_expires_at: null,
    };
    const finished = await this.db('release_actions')
      .where({ id: options.id, lease_owner: options.owner, state: 'running' })
      .update(patch);
    return finished ? this.getAction(options.id) : undefined;
  }

  async listUnfinishedActions(options: {
    requestedBefore: Date;
    now?: Date;
    limit: number;
  }): Promise<ReleaseAction[]> {
    const now = options.now ?? new Date();
    const rows = await this.db<ActionRow>('release_actions')
      .where(q =>
        q
          .where(requested =>
            requested
              .where('state', 'requested')
              .andWhere('requested_at', '<', options.requestedBefore),
          )
          .orWhere(lapsed =>
            lapsed
              .where('state', 'running')
              .andWhere(lease =>
                lease
                  .whereNull('lease_expires_at')
                  .orWhere('lease_expires_at', '<', now),
              ),
          ),
      )
      .orderBy([
        { column: 'requested_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(options.limit);
    return rows.map(toAction);
  }
}
