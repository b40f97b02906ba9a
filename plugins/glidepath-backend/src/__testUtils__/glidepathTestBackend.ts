import type { Server } from 'node:http';
import {
  BackendFeature,
  createBackendModule,
  createServiceFactory,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import type { Knex } from 'knex';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  FlagProvider,
  glidepathFlagProvidersExtensionPoint,
  glidepathMetricsProvidersExtensionPoint,
  glidepathRolloutProvidersExtensionPoint,
  MetricsProvider,
  RolloutProvider,
} from '@glidepath/backstage-plugin-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { glidepathPlugin } from '../plugin';

/** A component entity with Glidepath annotations, owned by a group. */
export function component(
  name: string,
  owner: string,
  annotations: Record<string, string> = {
    'glidepath.dev/rollout': `fake:${name}`,
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner },
  };
}

/**
 * Starts the Glidepath backend plugin with the given providers and catalog,
 * a permission service that allows an action when `allow(user, entityRef)`
 * says so, captured signals and audit events, and the sync task under the
 * test's control.
 */
export async function startGlidepathTestBackend(options: {
  providers: RolloutProvider[];
  metricsProviders?: MetricsProvider[];
  flagProviders?: FlagProvider[];
  /**
   * Which entities a person may read in the catalog (all by default);
   * Glidepath itself (a service) reads all.
   */
  readable?: (userRef: string, entityRef: string) => boolean;
  /**
   * Entities taken out of the catalog since (for everyone, Glidepath
   * included), asked at each read.
   */
  removed?: (entityRef: string) => boolean;
  /** More backend features, e.g. a provider module. */
  features?: BackendFeature[];
  entities: Entity[];
  allow?: (
    userRef: string | undefined,
    resourceRef: string | undefined,
    permission: string,
  ) => boolean;
  /**
   * The decision on catalog.entity.read for the graph: `allow` (the default,
   * served from the shared snapshot) or `conditional` (read as the caller).
   */
  catalogRead?: 'allow' | 'conditional';
  config?: JsonObject;
  databaseId?: TestDatabaseId;
  databases?: TestDatabases;
  /** A database connection to use instead of the default in-memory SQLite. */
  knex?: Knex;
}) {
  const tasks = new Map<string, SchedulerServiceTaskFunction>();
  const signals: Array<{ channel: string; message: unknown }> = [];
  const notifications: NotificationSendOptions[] = [];
  const auditor = mockServices.auditor.mock();
  const auditEvents: Array<{
    eventId: string;
    outcome?: 'success' | 'fail';
    meta?: unknown;
    error?: Error;
  }> = [];
  auditor.createEvent.mockImplementation(async ({ eventId, meta }) => {
    const event: (typeof auditEvents)[number] = { eventId, meta };
    auditEvents.push(event);
    return {
      success: async () => {
        event.outcome = 'success';
      },
      fail: async ({ error }) => {
        event.outcome = 'fail';
        event.error = error;
      },
    };
  });

  const allow = options.allow ?? (() => true);
  const permissions = mockServices.permissions.mock({
    authorize: async (requests, { credentials }) =>
      requests.map(request => ({
        result: allow(
          (credentials.principal as { userEntityRef?: string }).userEntityRef,
          (request as { resourceRef?: string }).resourceRef,
          request.permission.name,
        )
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      })) as any,
    authorizeConditional: async requests =>
      requests.map(() =>
        options.catalogRead === 'conditional'
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: { claims: [] },
              },
            }
          : { result: AuthorizeResult.ALLOW },
      ) as any,
  });

  const providersModule = createBackendModule({
    pluginId: 'glidepath',
    moduleId: 'test-providers',
    register(reg) {
      reg.registerInit({
        deps: {
          extension: glidepathRolloutProvidersExtensionPoint,
          metrics: glidepathMetricsProvidersExtensionPoint,
          flags: glidepathFlagProvidersExtensionPoint,
        },
        async init({ extension, metrics, flags }) {
          for (const provider of options.flagProviders ?? []) {
            flags.addFlagProvider(provider);
          }
          for (const provider of options.providers) {
            extension.addRolloutProvider(provider);
          }
          for (const provider of options.metricsProviders ?? []) {
            metrics.addMetricsProvider(provider);
          }
        },
      });
    },
  });

  const features: BackendFeature[] = [
    glidepathPlugin,
    providersModule,
    ...(options.features ?? []),
    options.readable || options.removed
      ? readableCatalog(
          options.entities,
          options.readable ?? (() => true),
          options.removed ?? (() => false),
        )
      : catalogServiceMock.factory({ entities: options.entities }),
    permissions.factory,
    auditor.factory,
    mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.set(task.id, task.fn as SchedulerServiceTaskFunction);
      },
    }).factory,
    createServiceFactory({
      service: signalsServiceRef,
      deps: {},
      factory: () => ({
        publish: async signal => {
          signals.push({ channel: signal.channel, message: signal.message });
        },
      }),
    }),
    createServiceFactory({
      service: notificationService,
      deps: {},
      factory: () => ({
        send: async (notification: NotificationSendOptions) => {
          notifications.push(notification);
        },
      }),
    }),
    mockServices.rootConfig.factory({ data: options.config ?? {} }),
  ];
  if (options.databases && options.databaseId) {
    const knex = await options.databases.init(options.databaseId);
    features.push(mockServices.database.factory({ knex }));
  } else if (options.knex) {
    features.push(mockServices.database.factory({ knex: options.knex }));
  }
  const backend = await startTestBackend({ features });

  return {
    server: backend.server as Server,
    stop: () => backend.stop(),
    signals,
    auditEvents,
    notifications,
    /** Runs the scheduled sync once, as the scheduler would. */
    async sync() {
      const fn = tasks.get('glidepath-release-sync');
      if (!fn) throw new Error('the sync task was not scheduled');
      await fn(new AbortController().signal);
    },
    /** Runs a scheduled task once by its id, as the scheduler would. */
    async runTask(id: string) {
      const fn = tasks.get(id);
      if (!fn) throw new Error(`the task ${id} was not scheduled`);
      await fn(new AbortController().signal);
    },
    /** Runs the scheduled flag sync once, as the scheduler would. */
    async syncFlags() {
      const fn = tasks.get('glidepath-flag-sync');
      if (!fn) throw new Error('the flag sync task was not scheduled');
      await fn(new AbortController().signal);
    },
    /** Runs the scheduled analysis once, as the scheduler would. */
    async analyze() {
      const fn = tasks.get('glidepath-release-analysis');
      if (!fn) throw new Error('the analysis task was not scheduled');
      await fn(new AbortController().signal);
    },
  };
}

/**
 * The mock catalog, answering a person only with the entities
 * `readable(userRef, entityRef)` lets them read, and no one with those
 * `removed(entityRef)` says are gone.
 */
function readableCatalog(
  entities: Entity[],
  readable: (userRef: string, entityRef: string) => boolean,
  removed: (entityRef: string) => boolean,
) {
  const catalog = catalogServiceMock({ entities });
  const userOf = (options: { credentials: any }) =>
    options.credentials?.principal?.userEntityRef as string | undefined;
  const visible = (user: string | undefined, entity: Entity | undefined) => {
    const ref = entity && stringifyEntityRef(entity).toLowerCase();
    return ref && !removed(ref) && (user === undefined || readable(user, ref))
      ? entity
      : undefined;
  };
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () =>
      ({
        ...catalog,
        getEntities: async (req: any, opts: any) => {
          const result = await catalog.getEntities(req, opts);
          const user = userOf(opts);
          return {
            ...result,
            items: result.items.filter(e => visible(user, e)),
          };
        },
        getEntitiesByRefs: async (req: any, opts: any) => {
          const result = await catalog.getEntitiesByRefs(req, opts);
          const user = userOf(opts);
          return { items: result.items.map(e => visible(user, e)) };
        },
        getEntityByRef: async (ref: any, opts: any) =>
          visible(userOf(opts), await catalog.getEntityByRef(ref, opts)),
      } as any),
  });
}
