/*
 * The demo portal's backend features apart from Glidepath's rollout
 * providers: Backstage's own plugins, the permission policy that Glidepath's
 * permissions plug into, Glidepath and its scaffolder actions. The portal
 * (index.ts) adds the sandbox and, when configured, Argo Rollouts; the
 * benchmarks (bench/lib/backend.ts) start these as they are.
 */
import { ownershipPermissionPolicyModule } from './permissions/module';

export const portalFeatures = [
  import('@backstage/plugin-app-backend'),
  import('@backstage/plugin-events-backend'),

  import('@backstage/plugin-auth-backend'),
  import('@backstage/plugin-auth-backend-module-guest-provider'),

  import('@backstage/plugin-catalog-backend'),
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  import('@backstage/plugin-catalog-backend-module-logs'),

  import('@backstage/plugin-permission-backend'),
  ownershipPermissionPolicyModule,

  import('@backstage/plugin-scaffolder-backend'),
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
  // publish:github, for Glidepath's "New service with a canary rollout"
  // template (it needs a GitHub integration to run for real).
  import('@backstage/plugin-scaffolder-backend-module-github'),

  import('@backstage/plugin-notifications-backend'),
  import('@backstage/plugin-signals-backend'),

  // Glidepath: the release API and store.
  import('@glidepath/backstage-plugin-backend'),
  // Glidepath's scaffolder actions: glidepath:rollback, glidepath:promote,
  // glidepath:checklist:create, glidepath:rollout:generate,
  // glidepath:drill:schedule.
  import('@glidepath/backstage-plugin-scaffolder-backend-module'),
];
