import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { Actor } from '@glidepath/backstage-plugin-common';
import type { Request } from 'express';

/** Who asks for a mutation, as the router resolves it. */
export type Caller = { actor: Actor; credentials: BackstageCredentials };

/**
 * For a request, the function that resolves its caller when asked (inside
 * the audited section, so that a 401 or 403 is audited too).
 */
export type CallerOf = (request: Request) => () => Promise<Caller>;

/**
 * Resolves who steers a release: a user, directly or through a plugin on
 * their behalf (the scaffolder), or one of `allowedServices` (by subject,
 * e.g. a static token's subject `ci-deployer`). Any other service is refused with 403: a
 * static token must not steer every service's releases on behalf of nobody.
 */
export function releaseControlCallers(
  httpAuth: HttpAuthService,
  options: { allowedServices: readonly string[] },
): CallerOf {
  const allowed = new Set(options.allowedServices);
  return request => async () => {
    const credentials = await httpAuth.credentials(request, {
      allow: ['user', 'service'],
    });
    if (credentials.principal.type === 'user') {
      return {
        actor: { kind: 'user', ref: credentials.principal.userEntityRef },
        credentials,
      };
    }
    const { subject } = credentials.principal;
    if (!allowed.has(subject)) {
      throw new NotAllowedError(
        `Release control needs a person: ${subject} is a service acting on behalf of nobody. Call on behalf of a user, or list the service in glidepath.actions.allowedServices`,
      );
    }
    return { actor: { kind: 'service', ref: subject }, credentials };
  };
}
