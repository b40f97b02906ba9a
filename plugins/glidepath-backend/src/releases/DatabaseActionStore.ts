import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  ActionState,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import { toActorJson } from '../shared/actors';
import { isForeignKeyViolation } from '../shared/database';
import type { ActionStore, CreateActionResult, NewAction } from './ActionStore';
import { ActionRow, toAction } from './releaseRows';

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
}
