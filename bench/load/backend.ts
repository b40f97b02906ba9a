/*
 * The load bench's backend, run as its own process by bench/load/run.ts:
 * the demo portal's backend (packages/backend/src/features.ts: catalog,
 * auth with the guest provider, permission backend with the portal's
 * ownership policy, signals, notifications, scaffolder, Glidepath) with the
 * sandbox rollout and metrics providers as the portal has them, configured
 * by the config file given with --config. The only difference from the
 * portal is that the sandbox's performAction is wrapped: on entry it sends
 * the parent, over the IPC channel, the provider release id, the action, the
 * actor and the time (performance.timeOrigin + performance.now(), the same
 * clock the parent reads), so that the parent can time request -> provider
 * call across the two processes.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs \
 *     bench/load/backend.ts --config app-config.load.yaml
 */
import { performance } from 'node:perf_hooks';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  readSandboxConfig,
  SandboxRolloutProvider,
} from '@glidepath/backstage-plugin-backend-module-sandbox';
import {
  glidepathMetricsProvidersExtensionPoint,
  glidepathRolloutProvidersExtensionPoint,
  RolloutActionRequest,
} from '@glidepath/backstage-plugin-node';
import { portalFeatures } from '../../packages/backend/src/features';

/** What the child tells the parent on each provider call. */
export type ProviderCallMessage = {
  type: 'provider-call';
  providerReleaseId: string;
  action: string;
  actor: string;
  /** performance.timeOrigin + performance.now() at performAction's entry. */
  at: number;
};

const instrumentedSandbox = createBackendModule({
  pluginId: 'glidepath',
  moduleId: 'sandbox-load-bench',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: glidepathRolloutProvidersExtensionPoint,
        metricsProviders: glidepathMetricsProvidersExtensionPoint,
        config: coreServices.rootConfig,
        database: coreServices.database,
      },
      async init({ providers, metricsProviders, config, database }) {
        // As the sandbox module does (module.ts), with performAction timed.
        const sandbox = new SandboxRolloutProvider({
          ...readSandboxConfig(config),
          database,
        });
        await sandbox.ready();
        const performAction = (req: RolloutActionRequest) => {
          const message: ProviderCallMessage = {
            type: 'provider-call',
            providerReleaseId: req.providerReleaseId,
            action: req.action,
            actor: `${req.actor.kind}:${req.actor.ref}`,
            at: performance.timeOrigin + performance.now(),
          };
          process.send?.(message);
          return sandbox.performAction(req);
        };
        const provider = new Proxy(sandbox, {
          get(target, key) {
            if (key === 'performAction') return performAction;
            const value = Reflect.get(target, key, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
        providers.addRolloutProvider(provider);
        metricsProviders.addMetricsProvider(sandbox.metricsProvider());
      },
    });
  },
});

async function main() {
  const i = process.argv.indexOf('--config');
  if (i < 0) throw new Error('--config <file> is required');
  const configPath = process.argv[i + 1];
  const { createBackend } = await import('@backstage/backend-defaults');
  const { rootConfigServiceFactory } = await import(
    '@backstage/backend-defaults/rootConfig'
  );
  const backend = createBackend();
  backend.add(
    rootConfigServiceFactory({ argv: ['--config', configPath], watch: false }),
  );
  for (const feature of portalFeatures) {
    backend.add(feature);
  }
  backend.add(instrumentedSandbox);
  await backend.start();
  // Stop on the parent's word (SIGTERM) or when the parent goes away.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    await backend.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
