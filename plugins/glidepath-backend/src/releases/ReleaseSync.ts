import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ROLLOUT,
  readGlidepathAnnotations,
  Release,
} from '@glidepath/backstage-plugin-common';
import type {
  RolloutProvider,
  RolloutTarget,
} from '@glidepath/backstage-plugin-node';
import type { ReleaseStore } from './ReleaseStore';
import { ProviderRegistry } from './ProviderRegistry';
import { errorMessage } from '../shared/errors';
import { entityKey } from '../shared/refs';
import { withTimeout } from '../shared/timeout';
import { ReleaseNotifier } from './ReleaseNotifier';

/** A provider and the targets it has. */
export type ProviderTargets = {
  provider: RolloutProvider;
  targets: RolloutTarget[];
};

/** What one sync pass did, for logs and tests. */
export type SyncReport = {
  entities: number;
  releasesChanged: number;
  failedProviders: string[];
  failedEntities: string[];
};

/**
 * Reads every entity annotated `glidepath.dev/rollout` from the catalog, asks
 * each provider for the rollouts of its entities, and records what changed.
 * A provider that fails leaves its entities' stored releases as they were and
 * marks them stale; the other providers are unaffected.
 */
export class ReleaseSync {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      store: ReleaseStore;
      providers: ProviderRegistry;
      notifier: ReleaseNotifier;
      logger: LoggerService;
      providerTimeoutMs: number;
      /**
       * Told of every release whose recorded state changed (DORA records
       * the ones that ended). Its failure is logged, never fails the sync.
       */
      onReleaseChanged?: (release: Release) => Promise<void>;
      now?: () => Date;
    },
  ) {}

  /** Every entity with a glidepath.dev/rollout annotation. */
  private async annotatedEntities(): Promise<Entity[]> {
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_ROLLOUT}`]: CATALOG_FILTER_EXISTS,
        },
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    return items;
  }

  /** Syncs every annotated entity. */
  async syncAll(): Promise<SyncReport> {
    return this.syncEntities(await this.annotatedEntities());
  }

  /** The annotated entities as targets, by the provider that has them. */
  async targetsByProvider(): Promise<ProviderTargets[]> {
    return this.groupByProvider(await this.annotatedEntities(), () => {});
  }

  /**
   * Syncs one entity now, e.g. right after an action on it: given as read
   * from the catalog, or by its ref (then read with Glidepath's own
   * credentials).
   */
  async syncEntity(entity: Entity | string): Promise<SyncReport> {
    const read =
      typeof entity === 'string'
        ? await this.deps.catalog.getEntityByRef(entity, {
            credentials: await this.deps.auth.getOwnServiceCredentials(),
          })
        : entity;
    return this.syncEntities(read ? [read] : []);
  }

  /** The provider target for an entity, or a reason there is none. */
  targetFor(
    entity: Entity,
  ):
    | { provider: RolloutProvider; target: RolloutTarget }
    | { error: string; providerId?: string } {
    const annotations = readGlidepathAnnotations(entity);
    if (!annotations.rollout) {
      return {
        error:
          annotations.problems.find(p => p.annotation === ANNOTATION_ROLLOUT)
            ?.message ?? `the entity has no ${ANNOTATION_ROLLOUT} annotation`,
      };
    }
    const provider = this.deps.providers.get(annotations.rollout.provider);
    if (!provider) {
      return {
        error: this.deps.providers.unknownProviderMessage(
          annotations.rollout.provider,
        ),
        providerId: annotations.rollout.provider,
      };
    }
    return {
      provider,
      target: {
        entityRef: entityKey(entity),
        ref: annotations.rollout.ref,
        strategy: annotations.strategy,
        entity,
      },
    };
  }

  private async syncEntities(entities: Entity[]): Promise<SyncReport> {
    const now = this.deps.now ?? (() => new Date());
    const report: SyncReport = {
      entities: entities.length,
      releasesChanged: 0,
      failedProviders: [],
      failedEntities: [],
    };
    const groups = await this.groupByProvider(
      entities,
      async (entity, resolved) => {
        // Annotation problems are shown from the annotation itself; an
        // unknown provider is recorded so the page can say so.
        if (resolved.providerId) {
          await this.deps.store.recordSyncAttempt({
            entityRef: entityKey(entity),
            provider: resolved.providerId,
            at: now(),
            error: resolved.error,
          });
          report.failedEntities.push(entityKey(entity));
        }
      },
    );

    await Promise.all(
      groups.map(({ provider, targets }) =>
        this.syncProvider(provider, targets, report, now),
      ),
    );
    return report;
  }

  private async groupByProvider(
    entities: Entity[],
    onError: (
      entity: Entity,
      resolved: { error: string; providerId?: string },
    ) => void | Promise<void>,
  ): Promise<ProviderTargets[]> {
    const byProvider = new Map<string, ProviderTargets>();
    for (const entity of entities) {
      const resolved = this.targetFor(entity);
      if ('error' in resolved) {
        await onError(entity, resolved);
        continue;
      }
      const group = byProvider.get(resolved.provider.id) ?? {
        provider: resolved.provider,
        targets: [],
      };
      group.targets.push(resolved.target);
      byProvider.set(resolved.provider.id, group);
    }
    return [...byProvider.values()];
  }

  private async syncProvider(
    provider: RolloutProvider,
    targets: RolloutTarget[],
    report: SyncReport,
    now: () => Date,
  ): Promise<void> {
    const { store, notifier, logger } = this.deps;
    // What the provider says is as of the moment it was asked: an action
    // that takes effect meanwhile makes this reading stale (the store then
    // keeps what it has).
    const readAt = now();
    let rollouts;
    try {
      rollouts = await withTimeout(
        `The rollout provider "${provider.id}"`,
        this.deps.providerTimeoutMs,
        () => provider.listRollouts(targets),
      );
    } catch (error) {
      const message = `the rollout provider "${
        provider.id
      }" could not be read: ${errorMessage(error)}`;
      logger.warn(
        `Glidepath sync: ${message}; keeping the last known state of ${targets.length} entities`,
      );
      report.failedProviders.push(provider.id);
      const at = now();
      for (const target of targets) {
        await store.recordSyncAttempt({
          entityRef: target.entityRef,
          provider: provider.id,
          at,
          error: message,
        });
      }
      return;
    }

    const answered = new Set<string>();
    for (const rollout of rollouts) {
      const entityRef = entityKey(rollout.entityRef);
      answered.add(entityRef);
      const at = now();
      if ('error' in rollout) {
        report.failedEntities.push(entityRef);
        await store.recordSyncAttempt({
          entityRef,
          provider: provider.id,
          at,
          error: rollout.error,
        });
        continue;
      }
      const changed = new Set<string>();
      const results = await store.upsertObservedReleases({
        entityRef,
        provider: provider.id,
        simulated: Boolean(provider.simulated),
        observed: rollout.releases,
        observedAt: readAt,
      });
      for (const result of results) {
        if (result.changed) {
          report.releasesChanged += 1;
          changed.add(result.release.id);
          await this.deps
            .onReleaseChanged?.(result.release)
            .catch(error =>
              logger.warn(
                `Glidepath could not record release ${
                  result.release.id
                } for DORA: ${errorMessage(error)}`,
              ),
            );
        }
      }
      await store.recordSyncAttempt({ entityRef, provider: provider.id, at });
      for (const releaseId of changed) {
        await notifier.notify({
          type: 'release-updated',
          entityRef,
          releaseId,
        });
      }
    }
    for (const target of targets) {
      if (!answered.has(target.entityRef)) {
        report.failedEntities.push(target.entityRef);
        await store.recordSyncAttempt({
          entityRef: target.entityRef,
          provider: provider.id,
          at: now(),
          error: `the rollout provider "${provider.id}" said nothing about this entity`,
        });
      }
    }
  }
}
