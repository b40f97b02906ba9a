/*
 * The demo portal's backend: Backstage's own plugins on the new backend
 * system, the permission policy that Glidepath's permissions plug into, and
 * Glidepath with its sandbox provider (features.ts lists all but the
 * providers).
 */
import { createBackend } from '@backstage/backend-defaults';
import { argoRolloutsWhenConfigured } from './argoRollouts';
import { portalFeatures } from './features';

const backend = createBackend();

for (const feature of portalFeatures) {
  backend.add(feature);
}
// The simulated sandbox fleet: the rollout provider of the demo catalog.
backend.add(import('@glidepath/backstage-plugin-backend-module-sandbox'));
// Argo Rollouts, when clusters are configured (the browser tests do).
backend.add(argoRolloutsWhenConfigured);

backend.start();
