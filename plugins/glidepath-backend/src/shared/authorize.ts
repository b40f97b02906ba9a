import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Checks an entity-scoped Glidepath permission for the caller, and throws
 * NotAllowedError (403) with `refusal` when it is not granted.
 */
export async function requireEntityPermission(
  permissions: PermissionsService,
  options: {
    permission: ResourcePermission<'catalog-entity'>;
    entityRef: string;
    credentials: BackstageCredentials;
    refusal: string;
  },
): Promise<void> {
  const [decision] = await permissions.authorize(
    [{ permission: options.permission, resourceRef: options.entityRef }],
    { credentials: options.credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(options.refusal);
  }
}
