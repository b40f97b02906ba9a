import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { OwnershipPermissionPolicy } from './OwnershipPermissionPolicy';

/**
 * Installs {@link OwnershipPermissionPolicy} into the permission backend.
 *
 * Config: `permission.adminGroups`, the groups whose members may change every
 * entity (default: none); `permission.releaseManagerGroups`, the groups whose
 * members may also break a freeze (default: none).
 */
export const ownershipPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'ownership-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ policy, config, logger }) {
        const adminGroupRefs =
          config.getOptionalStringArray('permission.adminGroups') ?? [];
        logger.info(
          `Ownership policy: entity changes need ownership; admin groups: ${
            adminGroupRefs.length ? adminGroupRefs.join(', ') : 'none'
          }`,
        );
        const releaseManagerGroupRefs =
          config.getOptionalStringArray('permission.releaseManagerGroups') ??
          [];
        if (releaseManagerGroupRefs.length) {
          logger.info(
            `Ownership policy: release managers (may break a freeze): ${releaseManagerGroupRefs.join(
              ', ',
            )}`,
          );
        }
        policy.setPolicy(
          new OwnershipPermissionPolicy({
            adminGroupRefs,
            releaseManagerGroupRefs,
          }),
        );
      },
    });
  },
});
