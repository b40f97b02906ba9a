import type {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DrillRequest,
  DrillScheduled,
  glidepathReleaseControlPermission,
} from '@glidepath/backstage-plugin-common';
import type { Request } from 'express';
import type { ReleaseSync } from '../releases/ReleaseSync';
import { audited, requirePermission } from '../shared/authorize';
import type { Caller } from '../shared/caller';
import { entityKey } from '../shared/refs';

/**
 * Rollback drills: a fault injected into an entity's next release through
 * its rollout provider, for game days. Permission-checked like steering the
 * release, audited as `release-drill`, refused on production entities of
 * real providers.
 */
export class DrillService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      auditor: AuditorService;
      sync: ReleaseSync;
    },
  ) {}

  async scheduleDrill(options: {
    entityRef: string;
    request: DrillRequest;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<DrillScheduled> {
    const { request } = options;
    return audited(
      this.deps.auditor,
      {
        eventId: 'release-drill',
        severityLevel: 'medium',
        request: options.httpRequest,
        meta: {
          entityRef: options.entityRef,
          fault: request?.fault ?? null,
          reason: request?.reason ?? null,
        },
      },
      async () => {
        const reason = request.reason.trim();
        if (!reason) throw new InputError('The reason must not be blank');
        const { actor, credentials } = await options.caller();
        const entity = await this.deps.catalog.getEntityByRef(
          options.entityRef,
          {
            credentials,
          },
        );
        if (!entity) {
          throw new NotFoundError(
            `No entity ${options.entityRef} in the catalog`,
          );
        }
        const key = entityKey(entity);
        await requirePermission(this.deps.permissions, {
          permission: glidepathReleaseControlPermission,
          entityRef: key,
          credentials,
          refusal: `You are not allowed to run drills on releases of ${key}`,
        });
        const found = this.deps.sync.targetFor(entity);
        if ('error' in found) {
          throw new ConflictError(
            `Cannot run a drill on ${key}: ${found.error}`,
          );
        }
        const { provider, target } = found;
        if (!provider.injectFault) {
          throw new ConflictError(
            `The ${provider.id} rollout provider cannot inject faults: run the drill on a sandbox service, or deploy a faulty build of ${key} to staging yourself`,
          );
        }
        const lifecycle = (entity.spec as { lifecycle?: unknown } | undefined)
          ?.lifecycle;
        if (!provider.simulated && lifecycle === 'production') {
          throw new ConflictError(
            `${key} is a production service of a real provider (${provider.id}): drills run on sandbox or staging services only`,
          );
        }
        const result = await provider.injectFault({
          target,
          fault: request.fault,
          reason,
          actor,
        });
        const scheduled: DrillScheduled = {
          entityRef: key,
          provider: provider.id,
          simulated: Boolean(provider.simulated),
          fault: request.fault,
          message:
            result.message ??
            `The next release of ${key} carries the ${request.fault} fault`,
        };
        return {
          result: scheduled,
          meta: { by: `${actor.kind}:${actor.ref}`, provider: provider.id },
        };
      },
    );
  }
}
