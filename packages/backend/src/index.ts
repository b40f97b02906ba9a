/*
 * The demo portal's backend: Backstage's own plugins on the new backend
 * system, the permission policy that Glidepath's permissions plug into, and
 * Glidepath with its sandbox provider.
 */
import { createBackend } from '@backstage/backend-defaults';
import { argoRolloutsWhenConfigured } from './argoRollouts';
import { ownershipPermissionPolicyModule } from './permissions/module';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(ownershipPermissionPolicyModule);

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// publish:github, for Glidepath's "New service with a canary rollout"
// template (it needs a GitHub integration to run for real).
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));

backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Glidepath: the release API and store, with the simulated sandbox fleet as
// its rollout provider for the demo catalog.
backend.add(import('@glidepath/backstage-plugin-backend'));
backend.add(import('@glidepath/backstage-plugin-backend-module-sandbox'));
// Argo Rollouts, when clusters are configured (the browser tests do).
backend.add(argoRolloutsWhenConfigured);
// Glidepath's scaffolder actions: glidepath:rollback, glidepath:promote,
// glidepath:checklist:create, glidepath:rollout:generate.
backend.add(import('@glidepath/backstage-plugin-scaffolder-backend-module'));

backend.start();
