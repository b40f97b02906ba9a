import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { glidepathPermissions } from '@glidepath/backstage-plugin-common';
import {
  glidepathMetricsProvidersExtensionPoint,
  glidepathRolloutProvidersExtensionPoint,
  MetricsProvider,
  RolloutProvider,
} from '@glidepath/backstage-plugin-node';
import { readGlidepathBackendConfig } from './config';
import { DatabaseAnalysisStore } from './analysis/DatabaseAnalysisStore';
import { DatabaseDoraStore } from './dora/DatabaseDoraStore';
import { DatabaseReleaseStore } from './releases/DatabaseReleaseStore';
import { ActionRunner } from './releases/ActionRunner';
import { AnalysisEngine } from './analysis/AnalysisEngine';
import { CatalogSnapshot } from './graph/CatalogSnapshot';
import { DoraService } from './dora/DoraService';
import { DoraWeeklyReports } from './dora/DoraWeeklyReports';
import { GraphService } from './graph/GraphService';
import { ProviderRegistry } from './releases/ProviderRegistry';
import { submitAction } from './releases/submitAction';
import { ChecklistService } from './checklists/ChecklistService';
import { DrillService } from './drills/DrillService';
import { DatabaseChecklistStore } from './checklists/DatabaseChecklistStore';
import { ReleaseNotifier } from './releases/ReleaseNotifier';
import { ReleaseService } from './releases/ReleaseService';
import { ReleaseSync } from './releases/ReleaseSync';
import { createRouter } from './router';

/**
 * Glidepath's backend plugin: the release store, the provider sync, the
 * action runner and the REST API at /api/glidepath.
 * @public
 */
export const glidepathPlugin = createBackendPlugin({
  pluginId: 'glidepath',
  register(env) {
    const providers = new ProviderRegistry();
    env.registerExtensionPoint(glidepathRolloutProvidersExtensionPoint, {
      addRolloutProvider(provider: RolloutProvider) {
        providers.add(provider);
      },
    });
    const metricsProviders = new ProviderRegistry<MetricsProvider>('metrics');
    env.registerExtensionPoint(glidepathMetricsProvidersExtensionPoint, {
      addMetricsProvider(provider: MetricsProvider) {
        metricsProviders.add(provider);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init({
        config,
        logger,
        database,
        scheduler,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        auditor,
        catalog,
        signals,
        notifications,
      }) {
        const settings = readGlidepathBackendConfig(config);
        permissionsRegistry.addPermissions(glidepathPermissions);

        const store = await DatabaseReleaseStore.create({ database });
        const notifier = new ReleaseNotifier(signals, logger);
        const doraStore = new DatabaseDoraStore(store.client);
        const dora = new DoraService({
          store: doraStore,
          catalog,
          auth,
          productionEnvironments: settings.dora.productionEnvironments,
          countSimulatedReleases: settings.dora.countSimulatedReleases,
        });
        const reports = new DoraWeeklyReports({
          store: doraStore,
          catalog,
          auth,
          notifications,
          logger,
          backfillWeeks: settings.dora.weeklyReport.backfillWeeks,
        });
        if (settings.dora.weeklyReport.enabled) {
          await scheduler.scheduleTask({
            id: 'glidepath-dora-weekly-report',
            scope: 'global',
            ...settings.dora.weeklyReport.schedule,
            fn: async () => {
              const { written, notified } = await reports.run();
              if (written) {
                logger.info(
                  `Glidepath weekly reports: ${written} written, ${notified} teams notified`,
                );
              }
            },
          });
        }
        const sync = new ReleaseSync({
          catalog,
          auth,
          store,
          providers,
          notifier,
          logger,
          providerTimeoutMs: settings.providerTimeoutMs,
          onReleaseChanged: release => dora.recordRelease(release),
        });
        const runner = new ActionRunner({
          store,
          providers,
          sync,
          catalog,
          auth,
          auditor,
          notifier,
          logger,
          actionTimeoutMs: settings.actionTimeoutMs,
        });
        const analyses = new DatabaseAnalysisStore(store.client);
        const checklistStore = new DatabaseChecklistStore(store.client);
        const service = new ReleaseService({
          store,
          analyses,
          catalog,
          permissions,
          providers,
          checklists: checklistStore,
        });
        const checklists = new ChecklistService({
          checklists: checklistStore,
          releases: store,
          catalog,
          permissions,
          auditor,
        });

        if (providers.ids().length === 0) {
          logger.warn(
            'No Glidepath rollout provider is installed; add one, e.g. @glidepath/backstage-plugin-backend-module-sandbox',
          );
        }

        await scheduler.scheduleTask({
          id: 'glidepath-release-sync',
          scope: 'global',
          ...settings.syncSchedule,
          fn: async () => {
            const report = await sync.syncAll();
            if (report.failedProviders.length || report.releasesChanged) {
              logger.debug(
                `Glidepath sync: ${report.entities} entities, ${
                  report.releasesChanged
                } releases changed, failed providers: ${
                  report.failedProviders.join(', ') || 'none'
                }`,
              );
            }
          },
        });

        await scheduler.scheduleTask({
          id: 'glidepath-dora-history',
          scope: 'global',
          frequency: { hours: 24 },
          timeout: { minutes: 10 },
          initialDelay: { seconds: 5 },
          fn: async () => {
            const imported = await dora.importHistory(
              await sync.targetsByProvider(),
              settings.dora.historyDays,
            );
            if (imported.created || imported.updated || imported.deleted) {
              logger.info(
                `Glidepath DORA history: ${imported.created} events recorded, ${imported.updated} updated, ${imported.deleted} deleted, from ${imported.providers} providers`,
              );
            }
            // Then the weekly reports, once: a week missed while the backend
            // was down (or a new installation's past weeks, with the history
            // just read) is written without waiting for Monday. Writing is
            // idempotent per team and week.
            if (settings.dora.weeklyReport.enabled) {
              await Promise.resolve()
                .then(() =>
                  scheduler.triggerTask('glidepath-dora-weekly-report'),
                )
                .catch(error =>
                  logger.debug(
                    `Glidepath weekly reports not triggered: ${error}`,
                  ),
                );
            }
          },
        });

        const analysis = settings.analysis;
        if (analysis.enabled) {
          const engine = new AnalysisEngine({
            releases: store,
            analyses,
            checklists: checklistStore,
            metricsProviders,
            catalog,
            auth,
            notifier,
            notifications,
            policies: analysis.policies,
            metricsTimeoutMs: analysis.metricsTimeoutMs,
            logger,
            submit: async request => {
              const { action, created } = await submitAction(
                { service, runner, auditor },
                {
                  releaseId: request.releaseId,
                  request: { action: request.action, reason: request.reason },
                  idempotencyKey: request.idempotencyKey,
                  caller: async () => ({
                    actor: request.actor,
                    credentials: await auth.getOwnServiceCredentials(),
                  }),
                },
              );
              return { actionId: action.id, created };
            },
          });
          await scheduler.scheduleTask({
            id: 'glidepath-release-analysis',
            scope: 'global',
            ...analysis.schedule,
            fn: async () => {
              const report = await engine.evaluateAll();
              if (report.evaluated || report.skipped) {
                logger.debug(
                  `Glidepath analysis: ${
                    report.evaluated
                  } releases judged (${JSON.stringify(report.decisions)}), ${
                    report.skipped
                  } skipped`,
                );
              }
            },
          });
        }

        httpRouter.use(
          await createRouter({
            service,
            checklists,
            drills: new DrillService({ catalog, permissions, auditor, sync }),
            policies: settings.analysis.policies,
            graph: new GraphService({
              catalog,
              store,
              permissions,
              snapshot:
                settings.graphCatalogCacheMs > 0
                  ? new CatalogSnapshot({
                      catalog,
                      auth,
                      logger,
                      maxAgeMs: settings.graphCatalogCacheMs,
                    })
                  : undefined,
            }),
            runner,
            dora,
            reports,
            httpAuth,
            permissions,
            auditor,
          }),
        );
      },
    });
  },
});
