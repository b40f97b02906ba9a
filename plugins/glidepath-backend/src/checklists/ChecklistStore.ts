import type {
  Actor,
  Checklist,
  ChecklistItemRequest,
} from '@glidepath/backstage-plugin-common';

/** A new checklist, as the API asks for it. */
export type NewChecklist = {
  entityRef: string;
  /** The release it is for, or null for the entity's next release. */
  releaseId: string | null;
  title: string;
  createdBy: Actor;
  idempotencyKey: string;
  items: ChecklistItemRequest[];
};

/**
 * Glidepath's storage of release checklists: one per release, and at most
 * one waiting for an entity's next release.
 */
export interface ChecklistStore {
  /**
   * Stores a checklist, or returns the one stored earlier under the same
   * idempotency key (`created: false`). Throws ConflictError when the key
   * was used for another entity, or when the release (or, for the next
   * release, the entity) already has a checklist.
   */
  createChecklist(
    checklist: NewChecklist,
  ): Promise<{ checklist: Checklist; created: boolean }>;

  getChecklist(id: string): Promise<Checklist | undefined>;

  /**
   * The release's checklist. When it has none, the entity's checklist
   * waiting for its next release is bound to this release, if the release
   * started after that checklist was created; the binding is written once
   * (the first release to ask takes it).
   */
  checklistForRelease(release: {
    id: string;
    entityRef: string;
    startedAt: string;
  }): Promise<Checklist | undefined>;

  /** The entity's checklist waiting for its next release, if any. */
  waitingChecklist(entityRef: string): Promise<Checklist | undefined>;

  /**
   * Checks or unchecks an item, keeping who and when. Setting the state an
   * item already has records nothing. Returns the checklist after the change
   * and whether anything changed.
   */
  setItem(options: {
    checklistId: string;
    itemId: string;
    checked: boolean;
    actor: Actor;
    note?: string;
    at?: Date;
  }): Promise<{ checklist: Checklist; changed: boolean }>;
}
