/*
 * The plans bench's backend process: the demo portal's backend features
 * (packages/backend/src/features.ts) and the sandbox provider, started with
 * the config files given as `--config` arguments only (no app-config.yaml),
 * so that bench/plans/run.ts can SIGKILL it and start it again on the same
 * PostgreSQL databases.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs \
 *     bench/plans/backend.ts --config <file>
 */
import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import { portalFeatures } from '../../packages/backend/src/features';

const backend = createBackend();
backend.add(rootConfigServiceFactory({ argv: process.argv, watch: false }));
for (const feature of portalFeatures) {
  backend.add(feature);
}
backend.add(import('@glidepath/backstage-plugin-backend-module-sandbox'));
backend.start().catch(error => {
  console.error(error);
  process.exit(1);
});
