import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ROLLOUT,
  DEFAULT_ENVIRONMENTS,
  EnvironmentDefinition,
  EnvironmentRollout,
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

/** A target as the sync reads it: its provider and the annotation's entry. */
type ResolvedTarget = {
  provider: RolloutProvider;
  target: RolloutTarget;
  rollout: EnvironmentRollout;
};

/** Why an entity (or one of its environments) has no usable target. */
type TargetError = { error: string; providerId?: string };

/**
 * The outcome of one entity's sync: the errors of its environments' reads
 * (none: a success), recorded once the entity's every environment is read.
 */
type EntityAttempt = { provider: string; errors: string[]; several: boolean };

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
       * The organisation's environments (`glidepath.environments`; the
       * default ones when not given).
       */
      environments?: readonly EnvironmentDefinition[];
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

  /**
   * The annotated entities' production targets (one per entity), by the
   * provider that has them: what DORA reads the history of.
   */
  async targetsByProvider(): Promise<ProviderTargets[]> {
    const byProvider = new Map<string, ProviderTargets>();
    for (const entity of await this.annotatedEntities()) {
      const resolved = this.targetFor(entity);
      if ('error' in resolved) continue;
      const group = byProvider.get(resolved.provider.id) ?? {
        provider: resolved.provider,
        targets: [],
      };
      group.targets.push(resolved.target);
      byProvider.set(resolved.provider.id, group);
    }
    return [...byProvider.values()];
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

  /**
   * The provider target of an entity in one environment (by default its
   * production target), or a reason there is none. A release recorded
   * before the entity named several environments (in the provider's own
   * environment) is acted on through the single-form target.
   */
  targetFor(
    entity: Entity,
    environment?: string,
  ): { provider: RolloutProvider; target: RolloutTarget } | TargetError {
    const annotations = readGlidepathAnnotations(entity, {
      environments: this.deps.environments ?? DEFAULT_ENVIRONMENTS,
    });
    const rollouts = annotations.rollouts ?? [];
    const rollout =
      environment === undefined
        ? annotations.rollout
        : rollouts.find(r => r.environment === environment) ??
          (rollouts.length === 1 && rollouts[0].implied
            ? rollouts[0]
            : undefined);
    if (!rollout) {
      if (environment !== undefined && rollouts.length) {
        return {
          error: `the entity's ${ANNOTATION_ROLLOUT} annotation names no target for the environment "${environment}" (it names ${rollouts
            .map(r => r.environment)
            .join(', ')})`,
        };
      }
      return {
        error:
          annotations.problems.find(p => p.annotation === ANNOTATION_ROLLOUT)
            ?.message ?? `the entity has no ${ANNOTATION_ROLLOUT} annotation`,
      };
    }
    return this.resolve(entity, rollout, annotations.strategy);
  }

  private resolve(
    entity: Entity,
    rollout: EnvironmentRollout,
    strategy: RolloutTarget['strategy'],
  ): ResolvedTarget | TargetError {
    const provider = this.deps.providers.get(rollout.provider);
    if (!provider) {
      return {
        error: this.deps.providers.unknownProviderMessage(rollout.provider),
        providerId: rollout.provider,
      };
    }
    return {
      provider,
      rollout,
      target: {
        entityRef: entityKey(entity),
        ref: rollout.ref,
        environment: rollout.environment,
        strategy,
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
    // One batch per provider and environment: a provider answers about an
    // entity once per call, so each answer names its target.
    const batches = new Map<
      string,
      { provider: RolloutProvider; targets: ResolvedTarget[] }
    >();
    const attempts = new Map<string, EntityAttempt>();
    for (const entity of entities) {
      const key = entityKey(entity);
      const annotations = readGlidepathAnnotations(entity, {
        environments: this.deps.environments ?? DEFAULT_ENVIRONMENTS,
      });
      const rollouts = annotations.rollouts ?? [];
      if (!rollouts.length) {
        // Annotation problems are shown from the annotation itself.
        continue;
      }
      const several = rollouts.length > 1;
      const attempt: EntityAttempt = {
        provider: (annotations.rollout ?? rollouts[0]).provider,
        errors: [],
        several,
      };
      for (const rollout of rollouts) {
        const resolved = this.resolve(entity, rollout, annotations.strategy);
        if ('error' in resolved) {
          // An unknown provider is recorded so the page can say so.
          attempt.errors.push(
            several
              ? `${rollout.environment}: ${resolved.error}`
              : resolved.error,
          );
          continue;
        }
        const batchKey = `${resolved.provider.id}\u0000${rollout.environment}`;
        const batch = batches.get(batchKey) ?? {
          provider: resolved.provider,
          targets: [],
        };
        batch.targets.push(resolved);
        batches.set(batchKey, batch);
      }
      attempts.set(key, attempt);
    }

    const fail = (target: RolloutTarget, error: string) => {
      const attempt = attempts.get(target.entityRef);
      attempt?.errors.push(
        attempt.several ? `${target.environment}: ${error}` : error,
      );
    };

    await Promise.all(
      [...batches.values()].map(({ provider, targets }) =>
        this.syncProvider(provider, targets, report, now, fail),
      ),
    );

    for (const [entityRef, attempt] of attempts) {
      if (attempt.errors.length) report.failedEntities.push(entityRef);
      await this.deps.store.recordSyncAttempt({
        entityRef,
        provider: attempt.provider,
        at: now(),
        error: attempt.errors.length ? attempt.errors.join('; ') : undefined,
      });
    }
    report.failedProviders = [...new Set(report.failedProviders)];
    report.failedEntities = [...new Set(report.failedEntities)];
    return report;
  }

  private async syncProvider(
    provider: RolloutProvider,
    resolved: ResolvedTarget[],
    report: SyncReport,
    now: () => Date,
    fail: (target: RolloutTarget, error: string) => void,
  ): Promise<void> {
    const { store, notifier, logger } = this.deps;
    const targets = resolved.map(r => r.target);
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
      for (const target of targets) fail(target, message);
      return;
    }

    // A batch has one target per entity (one environment's).
    const byEntity = new Map(resolved.map(r => [r.target.entityRef, r]));
    const answered = new Set<string>();
    for (const rollout of rollouts) {
      const entityRef = entityKey(rollout.entityRef);
      const target = byEntity.get(entityRef);
      if (!target || answered.has(entityRef)) continue;
      answered.add(entityRef);
      if ('error' in rollout) {
        fail(target.target, rollout.error);
        continue;
      }
      // The annotation's environment, when it names one, is where the
      // releases went; the single form leaves the provider's own.
      const observed = target.rollout.implied
        ? rollout.releases
        : rollout.releases.map(release => ({
            ...release,
            environment: target.rollout.environment,
          }));
      const changed = new Set<string>();
      const results = await store.upsertObservedReleases({
        entityRef,
        provider: provider.id,
        simulated: Boolean(provider.simulated),
        observed,
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
        fail(
          target,
          `the rollout provider "${provider.id}" said nothing about this entity`,
        );
      }
    }
  }
}
