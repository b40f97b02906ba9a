import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createChecklistAction } from './actions/checklist';
import { createDrillAction } from './actions/drill';
import { createGameDayAction } from './actions/gameDay';
import { createPlanAction } from './actions/plan';
import { createReleaseActionAction } from './actions/releaseAction';
import { createRolloutGenerateAction } from './actions/rolloutGenerate';
import { createRollbackTestAction } from './actions/rollbackTest';
import { glidepathClientFactory } from './glidepathApi';

/**
 * Glidepath's scaffolder actions: `glidepath:rollback`, `glidepath:promote`,
 * `glidepath:checklist:create`, `glidepath:rollout:generate`,
 * `glidepath:drill:schedule`, `glidepath:rollback-test:run`,
 * `glidepath:game-day:create` and `glidepath:plan:create`. They call
 * Glidepath's API as the user running the template.
 * @public
 */
export const scaffolderModuleGlidepath = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'glidepath',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        const clients = glidepathClientFactory({ discovery, auth });
        scaffolder.addActions(
          createReleaseActionAction('rollback', clients),
          createReleaseActionAction('promote', clients),
          createChecklistAction(clients),
          createRolloutGenerateAction(clients),
          createDrillAction(clients),
          createRollbackTestAction(clients),
          createGameDayAction(clients),
          createPlanAction(clients),
        );
      },
    });
  },
});
