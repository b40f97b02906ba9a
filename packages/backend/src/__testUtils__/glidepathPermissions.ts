import { createPermission } from '@backstage/plugin-permission-common';

// Permissions of the shape Glidepath's release permissions take (see
// DESIGN.md): entity-scoped, with a read or update action. They stand in for
// the real ones until glidepath-common declares them.
export const releaseRollbackPermission = createPermission({
  name: 'glidepath.release.rollback',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

export const releaseReadPermission = createPermission({
  name: 'glidepath.release.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
