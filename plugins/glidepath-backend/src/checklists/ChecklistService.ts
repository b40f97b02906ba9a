import type {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Checklist,
  ChecklistRequest,
  glidepathReleaseControlPermission,
  isTerminalPhase,
  mergeChecklistItems,
  phaseLabel,
} from '@glidepath/backstage-plugin-common';
import type { JsonObject } from '@backstage/types';
import type { Request } from 'express';
import type { ChecklistStore } from './ChecklistStore';
import type { ReleaseStore } from '../releases/ReleaseStore';
import { audited, requirePermission } from '../shared/authorize';
import type { Caller } from '../shared/caller';
import { entityKey } from '../shared/refs';
import { requireIdempotencyKey } from '../shared/idempotencyKey';

/**
 * Release checklists: attached to an entity's current or next release, read
 * by whoever can read the entity, changed (items checked and unchecked) by
 * whoever may steer its releases (`glidepath.release.control`), also after
 * the release finished. Every change is audited as `release-checklist`.
 */
export class ChecklistService {
  constructor(
    private readonly deps: {
      checklists: ChecklistStore;
      releases: ReleaseStore;
      catalog: CatalogService;
      permissions: PermissionsService;
      auditor: AuditorService;
    },
  ) {}

  async createChecklist(options: {
    entityRef: string;
    request: ChecklistRequest;
    idempotencyKey: string | undefined;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<{ checklist: Checklist; created: boolean }> {
    const { request, idempotencyKey } = options;
    return this.audited(
      options.httpRequest,
      {
        operation: 'create',
        entityRef: options.entityRef,
        release: request?.release ?? 'current',
        idempotencyKey: idempotencyKey ?? null,
      },
      async () => {
        const requiredKey = requireIdempotencyKey(
          idempotencyKey,
          'intended checklist',
        );
        const { actor, credentials } = await options.caller();
        const entity = await this.deps.catalog.getEntityByRef(
          options.entityRef,
          { credentials },
        );
        if (!entity) {
          throw new NotFoundError(
            `No entity ${options.entityRef} in the catalog`,
          );
        }
        const key = entityKey(entity);
        await this.authorize(
          key,
          credentials,
          `You are not allowed to attach checklists to releases of ${key}`,
        );
        if (!request.title.trim()) {
          throw new InputError('title must not be blank');
        }
        let items;
        try {
          items = mergeChecklistItems(false, request.items);
        } catch (error) {
          throw new InputError(`items: ${(error as Error).message}`);
        }
        let releaseId: string | null = null;
        if ((request.release ?? 'current') === 'current') {
          const {
            items: [latest],
          } = await this.deps.releases.listReleases({
            entityRef: key,
            limit: 1,
          });
          if (!latest) {
            throw new ConflictError(
              `${key} has no release yet; attach the checklist to its next release instead`,
            );
          }
          if (isTerminalPhase(latest.phase)) {
            throw new ConflictError(
              `${key} has no release in progress (its latest, ${
                latest.version
              }, ${phaseLabel(
                latest.phase,
              )}); attach the checklist to its next release instead`,
            );
          }
          releaseId = latest.id;
        }
        const result = await this.deps.checklists.createChecklist({
          entityRef: key,
          releaseId,
          title: request.title.trim(),
          createdBy: actor,
          idempotencyKey: requiredKey,
          items,
        });
        return {
          result,
          meta: {
            checklistId: result.checklist.id,
            releaseId: result.checklist.releaseId,
            items: result.checklist.items.length,
            replay: !result.created,
            by: `${actor.kind}:${actor.ref}`,
          },
        };
      },
    );
  }

  async getChecklist(
    checklistId: string,
    credentials: BackstageCredentials,
  ): Promise<Checklist> {
    return this.readable(checklistId, credentials);
  }

  async setItem(options: {
    checklistId: string;
    itemId: string;
    checked: boolean;
    note?: string;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<Checklist> {
    const { checklistId, itemId, checked } = options;
    return this.audited(
      options.httpRequest,
      { operation: 'set-item', checklistId, itemId, checked },
      async () => {
        const { actor, credentials } = await options.caller();
        const checklist = await this.readable(checklistId, credentials);
        await this.authorize(
          checklist.entityRef,
          credentials,
          `You are not allowed to change checklists of ${checklist.entityRef}`,
        );
        // A finished release's checklist still takes ticks: a drill's
        // runbook is ticked after the rollback, and a late tick is kept with
        // its time like any other.
        const result = await this.deps.checklists.setItem({
          checklistId,
          itemId,
          checked,
          actor,
          note: options.note,
        });
        return {
          result: result.checklist,
          meta: {
            entityRef: checklist.entityRef,
            releaseId: checklist.releaseId,
            changed: result.changed,
            blocking: result.checklist.gate.blocking,
            by: `${actor.kind}:${actor.ref}`,
          },
        };
      },
    );
  }

  private async readable(
    checklistId: string,
    credentials: BackstageCredentials,
  ): Promise<Checklist> {
    const checklist = await this.deps.checklists.getChecklist(checklistId);
    // A checklist of an entity the caller cannot read does not exist for them.
    const visible =
      checklist &&
      (await this.deps.catalog.getEntityByRef(checklist.entityRef, {
        credentials,
      }));
    if (!checklist || !visible) {
      throw new NotFoundError(`No checklist with id ${checklistId}`);
    }
    return checklist;
  }

  private async authorize(
    entityRef: string,
    credentials: BackstageCredentials,
    refusal: string,
  ) {
    await requirePermission(this.deps.permissions, {
      permission: glidepathReleaseControlPermission,
      entityRef,
      credentials,
      refusal,
    });
  }

  private audited<T>(
    request: Request | undefined,
    meta: JsonObject,
    fn: () => Promise<{ result: T; meta: JsonObject }>,
  ): Promise<T> {
    return audited(
      this.deps.auditor,
      { eventId: 'release-checklist', severityLevel: 'medium', request, meta },
      fn,
    );
  }
}
