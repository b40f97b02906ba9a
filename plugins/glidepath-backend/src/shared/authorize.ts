import type {
  AuditorService,
  AuditorServiceEventSeverityLevel,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import type { Request } from 'express';

/**
 * Checks a Glidepath permission for the caller, and throws NotAllowedError
 * (403) with `refusal` when it is not granted: an entity-scoped permission
 * against `entityRef`, or a basic one.
 */
export async function requirePermission(
  permissions: PermissionsService,
  options: {
    credentials: BackstageCredentials;
    refusal: string;
  } & (
    | { permission: ResourcePermission<'catalog-entity'>; entityRef: string }
    | { permission: BasicPermission; entityRef?: undefined }
  ),
): Promise<void> {
  const [decision] = await permissions.authorize(
    [
      options.entityRef === undefined
        ? { permission: options.permission as BasicPermission }
        : {
            permission:
              options.permission as ResourcePermission<'catalog-entity'>,
            resourceRef: options.entityRef,
          },
    ],
    { credentials: options.credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(options.refusal);
  }
}

/**
 * Runs a mutation as one auditor event: `meta` says what was asked before
 * anything is checked; the event succeeds with the meta `fn` returns, or
 * fails with what `fn` threw (a refusal included), which is thrown on.
 * Every mutation of Glidepath, by a person or by the engine, goes through
 * here.
 */
export async function audited<T>(
  auditor: AuditorService,
  event: {
    eventId: string;
    severityLevel: AuditorServiceEventSeverityLevel;
    /** The HTTP request, when a person or a service asked through the API. */
    request?: Request;
    meta: JsonObject;
  },
  fn: () => Promise<{ result: T; meta: JsonObject }>,
): Promise<T> {
  const audit = await auditor.createEvent(event);
  try {
    const { result, meta } = await fn();
    await audit.success({ meta });
    return result;
  } catch (error) {
    await audit.fail({ error: error as Error });
    throw error;
  }
}
