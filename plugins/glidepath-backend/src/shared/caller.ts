import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { Actor } from '@glidepath/backstage-plugin-common';
import type { Request } from 'express';

/** Who asks for a mutation, as the router resolves it. */
export type Caller = { actor: Actor; credentials: BackstageCredentials };

/**
 * Resolves the caller of a request when asked (inside the audited section,
 * so that a 401 is audited too): a user, or a service acting on its own.
 */
export function callerOf(
  httpAuth: HttpAuthService,
  request: Request,
): () => Promise<Caller> {
  return async () => {
    const credentials = await httpAuth.credentials(request, {
      allow: ['user', 'service'],
    });
    const actor: Actor =
      credentials.principal.type === 'user'
        ? { kind: 'user', ref: credentials.principal.userEntityRef }
        : { kind: 'service', ref: credentials.principal.subject };
    return { actor, credentials };
  };
}
