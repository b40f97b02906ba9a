import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { glidepathPermissions } from '@glidepath/backstage-plugin-common';
import {
  FlagProvider,
  glidepathFlagProvidersExtensionPoint,
  glidepathMetricsProvidersExtensionPoint,
  glidepathRolloutProvidersExtensionPoint,
  MetricsProvider,
  RolloutProvider,
} from '@glidepath/backstage-plugin-node';
import { AnalysisEngine } from './analysis/AnalysisEngine';
import { scheduleAnalysis } from './analysis/analysisTask';
import { DatabaseAnalysisStore } from './analysis/DatabaseAnalysisStore';
import { ChecklistService } from './checklists/ChecklistService';
import { DatabaseChecklistStore } from './checklists/DatabaseChecklistStore';
import { readGlidepathBackendConfig } from './config';
import { DatabaseDoraStore } from './dora/DatabaseDoraStore';
import { DoraIngestion } from './dora/DoraIngestion';
import { DoraService } from './dora/DoraService';
import { DoraWeeklyReports } from './dora/DoraWeeklyReports';
import { scheduleDoraTasks } from './dora/tasks';
import { DrillService } from './drills/DrillService';
import { readGameDaysConfig } from './gameDays/config';
import { DatabaseGameDayStore } from './gameDays/DatabaseGameDayStore';
import { GameDayService } from './gameDays/GameDayService';
import { scheduleGameDays } from './gameDays/task';
import { DatabaseFlagStore } from './flags/DatabaseFlagStore';
import { scheduleFlagCleanup } from './flags/cleanupTask';
import { FlagCleanup } from './flags/FlagCleanup';
import { FlagService } from './flags/FlagService';
import { FlagSync } from './flags/FlagSync';
import { FlagReportSection } from './flags/reportSection';
import { scheduleFlagSync } from './flags/syncTask';
import { CatalogSnapshot } from './graph/CatalogSnapshot';
import { GraphService } from './graph/GraphService';
import { ActionRunner } from './releases/ActionRunner';
import { DatabaseActionStore } from './releases/DatabaseActionStore';
import { DatabaseReleaseStore } from './releases/DatabaseReleaseStore';
import { ProviderRegistry } from './releases/ProviderRegistry';
import { ReleaseNotifier } from './releases/ReleaseNotifier';
import { ReleaseService } from './releases/ReleaseService';
import { ReleaseSync } from './releases/ReleaseSync';
import { ActionSubmitter, policySubmitter } from './releases/submitAction';
import { scheduleReleaseSync } from './releases/syncTask';
import { scheduleActionSweep } from './releases/actionSweepTask';
import { CalendarService } from './calendar/CalendarService';
import { DatabaseCalendarStore } from './calendar/DatabaseCalendarStore';
import { readCalendarConfig } from './calendar/config';
import { readPlansConfig } from './plans/config';
import { DatabasePlanStore } from './plans/DatabasePlanStore';
import { PlanService } from './plans/PlanService';
import { schedulePlans } from './plans/task';
import { ErrorBudgetService } from './errorBudget/ErrorBudgetService';
import { ReleaseFixStore } from './errorBudget/ReleaseFixStore';
import { readErrorBudgetConfig } from './errorBudget/config';
import { DatabaseRollbackTestStore } from './rollbackTests/DatabaseRollbackTestStore';
import {
  pausedByGate,
  ROLLBACK_GATE_ACTOR,
  RollbackTestService,
} from './rollbackTests/RollbackTestService';
import { scheduleRollbackTests } from './rollbackTests/task';
import { DatabaseReleaseMetricsStore } from './releaseMetrics/DatabaseReleaseMetricsStore';
import { ReleaseMetricsService } from './releaseMetrics/ReleaseMetricsService';
import { ReleaseMetricsReportSection } from './releaseMetrics/weeklyReportSection';
import { snapshotLinks } from './releaseMetrics/plannedReleases';
import { createRouter } from './router';
import { releaseControlCallers } from './shared/caller';
import { withCachedEntityReads } from './shared/cachedEntityReads';
import { openGlidepathDatabase } from './shared/database';
import { DatabaseTaskLeases } from './shared/taskLeases';

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
    const flagProviders = new ProviderRegistry<FlagProvider>('flag');
    env.registerExtensionPoint(glidepathFlagProvidersExtensionPoint, {
      addFlagProvider(provider: FlagProvider) {
        flagProviders.add(provider);
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
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, scheduler, auth, catalog } = deps;
        const { permissions, auditor, notifications } = deps;
        const settings = readGlidepathBackendConfig(config);
        deps.permissionsRegistry.addPermissions(glidepathPermissions);
        if (providers.ids().length === 0) {
          logger.warn(
            'No Glidepath rollout provider is installed; add one, e.g. @glidepath/backstage-plugin-backend-module-sandbox',
          );
        }

        const db = await openGlidepathDatabase(deps);
        const store = new DatabaseReleaseStore(db);
        const actions = new DatabaseActionStore(db);
        const analyses = new DatabaseAnalysisStore(db);
        const checklistStore = new DatabaseChecklistStore(db);
        const doraStore = new DatabaseDoraStore(db);
        const flagStore = new DatabaseFlagStore(db);
        const gameDayStore = new DatabaseGameDayStore(db);
        const notifier = new ReleaseNotifier(deps.signals, logger);

        const dora = new DoraService({ store: doraStore, catalog });
        const releaseMetricsStore = new DatabaseReleaseMetricsStore(db, {
          productionEnvironments: settings.dora.productionEnvironments,
        });
        // The links between services, for the share of cross-service
        // releases that went through a plan: the dependency graph's catalog
        // entities, read with the backend's own credentials, at most every
        // five minutes (docs/release-metrics.md).
        const releaseMetricsLinks = snapshotLinks(
          new CatalogSnapshot({
            catalog,
            auth,
            logger,
            maxAgeMs: Math.max(settings.graphCatalogCacheMs, 300_000),
          }),
        );
        const ingestion = new DoraIngestion({
          store: doraStore,
          catalog,
          auth,
          productionEnvironments: settings.dora.productionEnvironments,
          countSimulatedReleases: settings.dora.countSimulatedReleases,
        });
        const flagSync = new FlagSync({
          catalog,
          auth,
          store: flagStore,
          providers: flagProviders,
          logger,
          rules: settings.flags.rules,
          pageSize: settings.flags.sync.pageSize,
          providerTimeoutMs: settings.flags.sync.providerTimeoutMs,
        });
        const flags = new FlagService({
          store: flagStore,
          catalog,
          permissions,
          auditor,
          providers: flagProviders,
          sync: flagSync,
          actionTimeoutMs: settings.actionTimeoutMs,
          dora: doraStore,
        });
        const reports = new DoraWeeklyReports({
          store: doraStore,
          catalog,
          auth,
          notifications,
          logger,
          backfillWeeks: settings.dora.weeklyReport.backfillWeeks,
          // Without a flag provider, reports have no flags section.
          flags:
            flagProviders.ids().length > 0
              ? new FlagReportSection({
                  flags,
                  inventory: flagStore,
                  auth,
                  cleanup: settings.flags.cleanup,
                })
              : undefined,
          releaseMetrics: new ReleaseMetricsReportSection({
            store: releaseMetricsStore,
            links: releaseMetricsLinks,
          }),
        });
        const sync = new ReleaseSync({
          catalog,
          auth,
          store,
          providers,
          notifier,
          logger,
          providerTimeoutMs: settings.providerTimeoutMs,
          environments: settings.environments,
          onReleaseChanged: release => ingestion.recordRelease(release),
        });
        const runner = new ActionRunner({
          store,
          actions,
          providers,
          sync,
          catalog,
          auth,
          auditor,
          notifier,
          logger,
          actionTimeoutMs: settings.actionTimeoutMs,
        });
        // The tests act through the common action path, built just below.
        const policyPath: { submit?: ActionSubmitter } = {};
        const rollbackTests: RollbackTestService = new RollbackTestService({
          store: new DatabaseRollbackTestStore(db),
          releases: store,
          actions,
          sync,
          catalog,
          auth,
          permissions,
          auditor,
          submit: request => policyPath.submit!(request),
          environments: settings.environments,
          settings: settings.rollbackTests,
          actionTimeoutMs: settings.actionTimeoutMs,
          logger,
        });
        const calendarConfig = readCalendarConfig(config);
        if (calendarConfig.feedSecret) {
          // Calendar apps cannot send a Backstage token: the feed checks
          // its link's token itself (docs/calendar.md).
          deps.httpRouter.addAuthPolicy({
            path: '/calendar/feed.ics',
            allow: 'unauthenticated',
          });
        }
        // The error-budget policy: a spent SLO budget freezes production
        // releases except fixes; readings are cached (docs/calendar.md).
        const errorBudget = new ErrorBudgetService({
          config: readErrorBudgetConfig(config),
          metricsProviders,
          environments: settings.environments,
          fixes: new ReleaseFixStore(db),
          releases: store,
          catalog,
          permissions,
          auditor,
        });
        const calendarStore = new DatabaseCalendarStore(db);
        const calendar = new CalendarService({
          store: calendarStore,
          releases: store,
          catalog,
          permissions,
          auditor,
          environments: settings.environments,
          auth,
          feedSecret: calendarConfig.feedSecret,
          configWindows: calendarConfig.windows,
          configTrains: calendarConfig.trains,
          errorBudget,
        });
        const service = new ReleaseService({
          store,
          actions,
          analyses,
          // Entity pages poll and re-read on signals: a person's reads are
          // kept a few seconds.
          catalog: withCachedEntityReads(catalog),
          permissions,
          providers,
          checklists: checklistStore,
          environments: settings.environments,
          rollbackTests,
          calendar,
        });
        const submitAsPolicy = policySubmitter({
          service,
          runner,
          auditor,
          auth,
        });
        policyPath.submit = submitAsPolicy;

        await scheduleDoraTasks({
          scheduler,
          settings: settings.dora,
          ingestion,
          reports,
          targetsByProvider: () => sync.targetsByProvider(),
          logger,
        });
        await scheduleActionSweep({ scheduler, actions, runner, logger });
        await scheduleFlagSync({
          scheduler,
          logger,
          schedule: settings.flags.sync.schedule,
          sync: flagSync,
        });
        if (settings.flags.cleanup.enabled) {
          await scheduleFlagCleanup({
            scheduler,
            logger,
            schedule: settings.flags.cleanup.schedule,
            cleanup: new FlagCleanup({
              store: flagStore,
              providers: flagProviders,
              sync: flagSync,
              actionTimeoutMs: settings.actionTimeoutMs,
              now: () => new Date(),
              catalog,
              auth,
              auditor,
              notifications,
              logger,
              graceDays: settings.flags.cleanup.gracePeriodDays,
              dryRun: settings.flags.cleanup.dryRun,
            }),
          });
        }
        const leasedTasks = {
          scheduler,
          lifecycle: deps.lifecycle,
          leases: new DatabaseTaskLeases(db, runner.owner),
          logger,
        };
        await scheduleReleaseSync(leasedTasks, {
          schedule: settings.syncSchedule,
          sync,
        });
        await scheduleRollbackTests(leasedTasks, {
          schedule: settings.rollbackTests.schedule,
          tests: rollbackTests,
        });
        const drills = new DrillService({
          catalog,
          permissions,
          auditor,
          sync,
          store: gameDayStore,
          environments: settings.environments,
        });
        const gameDays = new GameDayService({
          store: gameDayStore,
          drills,
          releases: store,
          analyses,
          actions,
          catalog,
          auth,
          permissions,
          auditor,
          logger,
        });
        await scheduleGameDays(leasedTasks, {
          schedule: readGameDaysConfig(config).schedule,
          gameDays,
        });
        const graph = new GraphService({
          catalog,
          store,
          permissions,
          environments: settings.environments,
          snapshot:
            settings.graphCatalogCacheMs > 0
              ? new CatalogSnapshot({
                  catalog,
                  auth,
                  logger,
                  maxAgeMs: settings.graphCatalogCacheMs,
                })
              : undefined,
        });
        const plansConfig = readPlansConfig(
          config.getOptionalConfig('glidepath.plans'),
        );
        const plans = new PlanService({
          store: new DatabasePlanStore(db),
          releases: store,
          actions,
          analyses,
          checklists: checklistStore,
          sync,
          graph,
          calendar,
          calendarStore,
          rollbackTests,
          catalog,
          auth,
          permissions,
          auditor,
          notifications,
          submit: submitAsPolicy,
          settings: {
            startTimeoutMs: plansConfig.startTimeoutMs,
            actionTimeoutMs: settings.actionTimeoutMs,
          },
          logger,
        });
        await schedulePlans(leasedTasks, {
          schedule: plansConfig.schedule,
          plans,
        });
        if (settings.analysis.enabled) {
          const engine = new AnalysisEngine({
            releases: store,
            actions,
            analyses,
            checklists: checklistStore,
            metricsProviders,
            catalog,
            auth,
            notifier,
            notifications,
            policies: settings.analysis.policies,
            metricsTimeoutMs: settings.analysis.metricsTimeoutMs,
            logger,
            submit: submitAsPolicy,
            rollbackGate: {
              gateHold: (release, entity, latestAction) =>
                rollbackTests.gateHold(release, entity, latestAction),
              pausedByGate,
              appliesTo: release => rollbackTests.appliesTo(release),
              actor: ROLLBACK_GATE_ACTOR,
            },
          });
          await scheduleAnalysis(leasedTasks, {
            schedule: settings.analysis.schedule,
            engine,
          });
        }

        deps.httpRouter.use(
          await createRouter({
            service,
            runner,
            checklists: new ChecklistService({
              checklists: checklistStore,
              releases: store,
              catalog,
              permissions,
              auditor,
            }),
            drills,
            gameDays,
            policies: settings.analysis.policies,
            graph,
            plans,
            dora,
            ingestion,
            reports,
            flags,
            rollbackTests,
            calendar,
            errorBudget,
            releaseMetrics: new ReleaseMetricsService({
              store: releaseMetricsStore,
              dora,
              links: releaseMetricsLinks,
            }),
            httpAuth: deps.httpAuth,
            callerOf: releaseControlCallers(deps.httpAuth, {
              allowedServices: settings.releaseControlServices,
              catalog,
            }),
            permissions,
            auditor,
          }),
        );
      },
    });
  },
});
