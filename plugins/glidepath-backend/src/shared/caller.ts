import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
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
 * A person's name as the catalog knows it (their profile's display name, or
 * the entity's title), so that what records and shows the actor (the audit
 * trail, the provider's messages, notifications) names them, not their ref.
 * Undefined when the catalog has none or cannot be read: the action goes on.
 */
export async function userDisplayName(
  catalog: Pick<CatalogService, 'getEntityByRef'>,
  userRef: string,
  credentials: BackstageCredentials,
): Promise<string | undefined> {
  try {
    const user: Entity | undefined = await catalog.getEntityByRef(userRef, {
      credentials,
    });
    const profile = user?.spec?.profile as
      | { displayName?: unknown }
      | undefined;
    const name =
      typeof profile?.displayName === 'string'
        ? profile.displayName
        : user?.metadata.title;
    return name?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * How long a person's catalog name is reused. Names change rarely, and each
 * read is a catalog request (with the catalog's own permission check) on the
 * way from a rollback request to the provider call.
 */
export const DISPLAY_NAME_TTL_MS = 5 * 60_000;
/** How many people's names are kept at most (the oldest go first). */
const DISPLAY_NAMES_KEPT = 1_000;

/**
 * {@link userDisplayName}, remembered per person for
 * {@link DISPLAY_NAME_TTL_MS}. Only names found are kept: a person the
 * catalog does not know, or a failed read, is asked again next time.
 */
export function cachedUserDisplayNames(
  catalog: Pick<CatalogService, 'getEntityByRef'>,
  now: () => number = Date.now,
) {
  const names = new Map<string, { name: string; until: number }>();
  return async (
    userRef: string,
    credentials: BackstageCredentials,
  ): Promise<string | undefined> => {
    const kept = names.get(userRef);
    if (kept && kept.until > now()) return kept.name;
    const name = await userDisplayName(catalog, userRef, credentials);
    names.delete(userRef);
    if (name) {
      names.set(userRef, { name, until: now() + DISPLAY_NAME_TTL_MS });
      if (names.size > DISPLAY_NAMES_KEPT) {
        names.delete(names.keys().next().value!);
      }
    }
    return name;
  };
}

/**
 * Resolves who steers a release: a user, directly or through a plugin on
 * their behalf (the scaffolder), named as the catalog names them, or one of
 * `allowedServices` (by subject, e.g. a static token's subject
 * `ci-deployer`). Any other service is refused with 403: a static token must
 * not steer every service's releases on behalf of nobody.
 */
export function releaseControlCallers(
  httpAuth: HttpAuthService,
  options: {
    allowedServices: readonly string[];
    /** For users' names; without it, users are recorded by their ref. */
    catalog?: Pick<CatalogService, 'getEntityByRef'>;
  },
): CallerOf {
  const allowed = new Set(options.allowedServices);
  const displayName = options.catalog
    ? cachedUserDisplayNames(options.catalog)
    : undefined;
  return request => async () => {
    const credentials = await httpAuth.credentials(request, {
      allow: ['user', 'service'],
    });
    if (credentials.principal.type === 'user') {
      const ref = credentials.principal.userEntityRef;
      const name = await displayName?.(ref, credentials);
      return {
        actor: { kind: 'user', ref, ...(name && { displayName: name }) },
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
