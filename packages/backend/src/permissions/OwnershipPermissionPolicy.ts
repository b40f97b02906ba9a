import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  glidepathCalendarManagePermission,
  glidepathDrillProductionPermission,
  glidepathFreezeOverridePermission,
} from '@glidepath/backstage-plugin-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

/**
 * True for a permission that changes something about one catalog entity:
 * entity-scoped (`resourceType: catalog-entity`) with an `update` or `delete`
 * action. This covers the catalog's own `catalog.entity.refresh` and
 * `catalog.entity.delete`, and every Glidepath permission that acts on a
 * service's releases (rollback, promote, pause, ...), which are declared the
 * same way.
 */
export function isEntityChange(permission: Permission): boolean {
  if (!isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
    return false;
  }
  const action = permission.attributes.action;
  return action === 'update' || action === 'delete';
}

/**
 * Permissions only admins hold: running rollback drills in a production
 * environment (`glidepath.drill.production`), managing the release calendar
 * (`glidepath.calendar.manage`) and breaking a freeze
 * (`glidepath.freeze.override`): basic permissions that would otherwise
 * fall under "everything else".
 */
export const ADMIN_ONLY_PERMISSIONS: ReadonlySet<string> = new Set([
  glidepathDrillProductionPermission.name,
  glidepathCalendarManagePermission.name,
  glidepathFreezeOverridePermission.name,
]);

/**
 * Normalises group references from config (`release-admins`,
 * `group:release-admins`, `group:default/release-admins`) to full refs.
 */
export function normalizeGroupRefs(refs: string[]): string[] {
  return refs.map(ref =>
    stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    ),
  );
}

/**
 * The demo portal's policy:
 *
 * - members of an admin group may do everything, and only they may run
 *   rollback drills in production environments and manage the release
 *   calendar; they and the members of a release-manager group may break a
 *   freeze;
 * - anyone may change an entity (refresh or delete it in the catalog, act on
 *   its releases in Glidepath) only when the entity is owned by them or by a
 *   group they belong to;
 * - every signed-in user may read everything and use everything else.
 *
 * Ownership is checked by the catalog itself: the policy answers with the
 * catalog's `isEntityOwner` condition over the user's ownership claims (the
 * user and the groups it is a member of), and the permission backend has the
 * catalog evaluate it against the entity in question.
 */
export class OwnershipPermissionPolicy implements PermissionPolicy {
  private readonly adminGroupRefs: Set<string>;
  private readonly releaseManagerGroupRefs: Set<string>;

  constructor(options: {
    adminGroupRefs: string[];
    /**
     * Groups whose members may break a freeze
     * (`glidepath.freeze.override`) without being admins: release managers
     * who let a fix or a plan go out during a freeze, with a reason.
     */
    releaseManagerGroupRefs?: string[];
  }) {
    this.adminGroupRefs = new Set(normalizeGroupRefs(options.adminGroupRefs));
    this.releaseManagerGroupRefs = new Set(
      normalizeGroupRefs(options.releaseManagerGroupRefs ?? []),
    );
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];

    if (claims.some(ref => this.adminGroupRefs.has(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }

    if (
      request.permission.name === glidepathFreezeOverridePermission.name &&
      claims.some(ref => this.releaseManagerGroupRefs.has(ref))
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (ADMIN_ONLY_PERMISSIONS.has(request.permission.name)) {
      return { result: AuthorizeResult.DENY };
    }
    if (isEntityChange(request.permission)) {
      if (!user || claims.length === 0) {
        return { result: AuthorizeResult.DENY };
      }
      return createCatalogConditionalDecision(
        request.permission as Parameters<
          typeof createCatalogConditionalDecision
        >[0],
        catalogConditions.isEntityOwner({ claims }),
      );
    }

    return { result: AuthorizeResult.ALLOW };
  }
}
