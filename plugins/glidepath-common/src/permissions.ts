import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { ActionType } from './types';

/**
 * Roll back an entity's release (redeploy its previous version). Checked
 * against the entity; the action is `update`, so a policy that lets owners
 * change their entities covers it.
 * @public
 */
export const glidepathReleaseRollbackPermission = createPermission({
  name: 'glidepath.release.rollback',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Steer an entity's rollout: promote, pause, resume, abort, retry. Checked
 * against the entity, separately from rollback so that a policy can grant
 * one without the other.
 * @public
 */
export const glidepathReleaseControlPermission = createPermission({
  name: 'glidepath.release.control',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Post deployment and incident events for DORA (`/events/...`). Not tied to
 * an entity: the tools that post them are services with an external access
 * token, which a policy can allow or deny by this permission.
 * @public
 */
export const glidepathEventsCreatePermission = createPermission({
  name: 'glidepath.events.create',
  attributes: { action: 'create' },
});

/**
 * Run a rollback drill in a production environment (from a game day or on
 * its own), with a reason. A basic permission: an organisation grants it to
 * its release admins (the demo policy does to `permission.adminGroups`);
 * the drill also needs glidepath.release.control on the entity.
 * @public
 */
export const glidepathDrillProductionPermission = createPermission({
  name: 'glidepath.drill.production',
  attributes: { action: 'update' },
});

/**
 * Manage the release calendar: add and remove freeze windows and release
 * trains (`/calendar/...`). A basic permission: windows reach beyond one
 * entity (an organisation-wide freeze).
 * @public
 */
export const glidepathCalendarManagePermission = createPermission({
  name: 'glidepath.calendar.manage',
  attributes: { action: 'update' },
});

/**
 * Break-glass: promote or resume a release during a freeze window, with a
 * reason (audited, shown on the release). A basic permission, meant for a
 * few people; the release also needs glidepath.release.control.
 * @public
 */
export const glidepathFreezeOverridePermission = createPermission({
  name: 'glidepath.freeze.override',
  attributes: { action: 'update' },
});

/** All of Glidepath's permissions. @public */
export const glidepathPermissions = [
  glidepathReleaseRollbackPermission,
  glidepathReleaseControlPermission,
  glidepathEventsCreatePermission,
  glidepathDrillProductionPermission,
  glidepathCalendarManagePermission,
  glidepathFreezeOverridePermission,
];

/** The permission an action needs. @public */
export function permissionForAction(
  action: ActionType,
): ResourcePermission<typeof RESOURCE_TYPE_CATALOG_ENTITY> {
  return action === 'rollback'
    ? glidepathReleaseRollbackPermission
    : glidepathReleaseControlPermission;
}
