import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Actor,
  Checklist,
  checklistGate,
  ChecklistItem,
} from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import type { ChecklistStore, NewChecklist } from './ChecklistStore';
import { readActor, toActorJson } from '../shared/actors';
import { isForeignKeyViolation, isUniqueViolation } from '../shared/database';
import {
  DbTimestamp,
  readIsoTimestamp,
  readOptionalIsoTimestamp,
  readTimestamp,
} from '../shared/timestamps';

type ChecklistRow = {
  id: string;
  entity_ref: string;
  release_id: string | null;
  title: string;
  created_by: string;
  created_at: DbTimestamp;
  idempotency_key: string;
};

type ItemRow = {
  id: string;
  checklist_id: string;
  position: number;
  title: string;
  description: string | null;
  required: boolean | number;
  owner: string | null;
  checked: boolean | number;
  checked_by: string | null;
  checked_at: DbTimestamp | null;
};

type ChangeRow = {
  id: number;
  item_id: string;
  checked: boolean | number;
  changed_by: string;
  changed_at: DbTimestamp;
  note: string | null;
};

/**
 * Release checklists in the release store's database (tables
 * `release_checklists`, `release_checklist_items`,
 * `release_checklist_changes`). One checklist per release, and at most one
 * waiting for an entity's next release.
 */
export class DatabaseChecklistStore implements ChecklistStore {
  constructor(private readonly db: Knex) {}

  /**
   * Stores a checklist, or returns the one stored earlier under the same
   * idempotency key (`created: false`). Throws ConflictError when the key
   * was used for another entity, or when the release (or, for the next
   * release, the entity) already has a checklist.
   */
  async createChecklist(
    checklist: NewChecklist,
  ): Promise<{ checklist: Checklist; created: boolean }> {
    const earlier = await this.earlierAnswer(checklist);
    if (earlier) return earlier;

    const id = uuid();
    try {
      await this.db.transaction(async tx => {
        const existing = await tx<ChecklistRow>('release_checklists')
          .where(this.slotOf(checklist))
          .first();
        if (existing) throw this.slotTaken(checklist, existing);
        await tx('release_checklists').insert({
          id,
          entity_ref: checklist.entityRef,
          release_id: checklist.releaseId,
          title: checklist.title,
          created_by: toActorJson(checklist.createdBy),
          created_at: new Date(),
          idempotency_key: checklist.idempotencyKey,
        });
        await tx('release_checklist_items').insert(
          checklist.items.map((item, position) => ({
            id: uuid(),
            checklist_id: id,
            position,
            title: item.title,
            description: item.description ?? null,
            required: item.required ?? true,
            owner: item.owner ?? null,
            checked: false,
            checked_by: null,
            checked_at: null,
          })),
        );
      });
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new NotFoundError(`No release with id ${checklist.releaseId}`);
      }
      if (error instanceof ConflictError || isUniqueViolation(error)) {
        // Another request got there after our first read (the unique indexes
        // on the key, the release and the waiting checklist keep the rules):
        // answer as if it had come first. A retry of this very request is
        // that request's checklist.
        const answer = await this.earlierAnswer(checklist);
        if (answer) return answer;
      }
      if (isUniqueViolation(error)) {
        const taken = await this.db<ChecklistRow>('release_checklists')
          .where(this.slotOf(checklist))
          .first();
        if (taken) throw this.slotTaken(checklist, taken);
      }
      throw error;
    }
    const stored = await this.getChecklist(id);
    return { checklist: stored!, created: true };
  }

  /** The checklist an earlier request with the same key created, if any. */
  private async earlierAnswer(
    checklist: NewChecklist,
  ): Promise<{ checklist: Checklist; created: false } | undefined> {
    const earlier = await this.db<ChecklistRow>('release_checklists')
      .where('idempotency_key', checklist.idempotencyKey)
      .first();
    if (!earlier) return undefined;
    if (earlier.entity_ref !== checklist.entityRef) {
      throw new ConflictError(
        'This Idempotency-Key was already used for a checklist of another entity; use a new key for a new checklist',
      );
    }
    return { checklist: await this.read(earlier), created: false };
  }

  /** Where a new checklist goes: its release, or its entity's next one. */
  private slotOf(checklist: NewChecklist) {
    return checklist.releaseId
      ? { release_id: checklist.releaseId }
      : { entity_ref: checklist.entityRef, release_id: null };
  }

  private slotTaken(checklist: NewChecklist, existing: ChecklistRow) {
    return new ConflictError(
      checklist.releaseId
        ? `Release ${checklist.releaseId} already has the checklist "${existing.title}" (${existing.id}); tick its items instead of adding another`
        : `${checklist.entityRef} already has the checklist "${existing.title}" (${existing.id}) waiting for its next release`,
    );
  }

  async getChecklist(id: string): Promise<Checklist | undefined> {
    const row = await this.db<ChecklistRow>('release_checklists')
      .where({ id })
      .first();
    return row ? this.read(row) : undefined;
  }

  /**
   * The release's checklist. When it has none, the entity's checklist
   * waiting for its next release is bound to this release, if the release
   * started after that checklist was created; the binding is written once
   * (the first release to ask takes it).
   */
  async checklistForRelease(release: {
    id: string;
    entityRef: string;
    startedAt: string;
  }): Promise<Checklist | undefined> {
    const bound = await this.db<ChecklistRow>('release_checklists')
      .where('release_id', release.id)
      .first();
    if (bound) return this.read(bound);
    const waiting = await this.waitingRow(release.entityRef);
    if (
      !waiting ||
      readTimestamp(waiting.created_at).getTime() >
        new Date(release.startedAt).getTime()
    ) {
      return undefined;
    }
    try {
      await this.db('release_checklists')
        .where({ id: waiting.id, release_id: null })
        .update({ release_id: release.id });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A checklist was created for this release meanwhile: it is the
      // release's, and the waiting one waits for the next release.
      const raced = await this.db<ChecklistRow>('release_checklists')
        .where('release_id', release.id)
        .first();
      return raced ? this.read(raced) : undefined;
    }
    return this.getChecklist(waiting.id);
  }

  /** The entity's checklist waiting for its next release, if any. */
  async waitingChecklist(entityRef: string): Promise<Checklist | undefined> {
    const row = await this.waitingRow(entityRef);
    return row ? this.read(row) : undefined;
  }

  /**
   * Checks or unchecks an item, keeping who and when. Setting the state an
   * item already has records nothing. Returns the checklist after the change
   * and whether anything changed.
   */
  async setItem(options: {
    checklistId: string;
    itemId: string;
    checked: boolean;
    actor: Actor;
    note?: string;
    at?: Date;
  }): Promise<{ checklist: Checklist; changed: boolean }> {
    const { checklistId, itemId, checked, actor } = options;
    const at = options.at ?? new Date();
    // A conditional update, so that of two people ticking the same item at
    // once one records the change and the other finds it done.
    const changed = await this.db.transaction(async tx => {
      const updated = await tx('release_checklist_items')
        .where({ id: itemId, checklist_id: checklistId, checked: !checked })
        .update({
          checked,
          checked_by: checked ? toActorJson(actor) : null,
          checked_at: checked ? at : null,
        });
      if (!updated) {
        const item = await tx('release_checklist_items')
          .where({ id: itemId, checklist_id: checklistId })
          .first('id');
        if (!item) {
          throw new NotFoundError(
            `Checklist ${checklistId} has no item with id ${itemId}`,
          );
        }
        return false;
      }
      await tx('release_checklist_changes').insert({
        item_id: itemId,
        checked,
        changed_by: toActorJson(actor),
        changed_at: at,
        note: options.note?.trim() || null,
      });
      return true;
    });
    const checklist = await this.getChecklist(checklistId);
    if (!checklist) {
      throw new NotFoundError(`No checklist with id ${checklistId}`);
    }
    return { checklist, changed };
  }

  private async waitingRow(entityRef: string) {
    return this.db<ChecklistRow>('release_checklists')
      .where({ entity_ref: entityRef, release_id: null })
      .orderBy('created_at', 'desc')
      .first();
  }

  private async read(row: ChecklistRow): Promise<Checklist> {
    const items = await this.db<ItemRow>('release_checklist_items')
      .where('checklist_id', row.id)
      .orderBy('position', 'asc');
    const changes = items.length
      ? await this.db<ChangeRow>('release_checklist_changes')
          .whereIn(
            'item_id',
            items.map(item => item.id),
          )
          .orderBy('id', 'asc')
      : [];
    const history = new Map<string, ChecklistItem['history']>();
    for (const change of changes) {
      const list = history.get(change.item_id) ?? [];
      list.push({
        checked: Boolean(change.checked),
        by: readActor(change.changed_by),
        at: readIsoTimestamp(change.changed_at),
        note: change.note,
      });
      history.set(change.item_id, list);
    }
    const checklistItems: ChecklistItem[] = items.map(item => ({
      id: item.id,
      title: item.title,
      description: item.description,
      required: Boolean(item.required),
      owner: item.owner,
      checked: Boolean(item.checked),
      checkedBy: item.checked_by ? readActor(item.checked_by) : null,
      checkedAt: readOptionalIsoTimestamp(item.checked_at),
      history: history.get(item.id) ?? [],
    }));
    return {
      id: row.id,
      entityRef: row.entity_ref,
      releaseId: row.release_id,
      title: row.title,
      createdBy: readActor(row.created_by),
      createdAt: readIsoTimestamp(row.created_at),
      items: checklistItems,
      gate: checklistGate(checklistItems),
    };
  }
}
