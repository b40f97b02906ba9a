import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_FLAGS,
  normalizeEntityRef,
  readGlidepathAnnotations,
} from '@glidepath/backstage-plugin-common';
import type {
  FlagProvider,
  FlagTarget,
  ObservedFlag,
} from '@glidepath/backstage-plugin-node';
import type { FlagStore, FlagTargetKey, NewFlagRecord } from './FlagStore';
import { assessFlag, flagOwner, FlagRules } from './rules';
import type { ProviderRegistry } from '../releases/ProviderRegistry';
import { errorMessage } from '../shared/errors';
import { entityKey } from '../shared/refs';
import { withTimeout } from '../shared/timeout';

/** The flag providers installed in this backend, by id. */
export type FlagProviderRegistry = ProviderRegistry<FlagProvider>;

/** What one flag sync did, for logs and tests. */
export type FlagSyncReport = {
  entities: number;
  targets: number;
  flags: number;
  failedProviders: string[];
  /** `<entity ref> <provider>:<ref>` of each target that failed. */
  failedTargets: string[];
};

/** A listing must end: a provider that pages on and on is broken. */
const MAX_PAGES = 10_000;

const targetId = (t: { entityRef: string; ref: string }) =>
  JSON.stringify([t.entityRef, t.ref]);

/** The entity's owner: its ownedBy relation, else `spec.owner`. */
export function entityOwner(entity: Entity): string | undefined {
  const relation = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  if (relation) return normalizeEntityRef(relation.targetRef);
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner.trim()) return undefined;
  try {
    return normalizeEntityRef(
      stringifyEntityRef(
        parseEntityRef(owner.trim(), {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    );
  } catch {
    return undefined;
  }
}

function iso(date: Date | null | undefined): string | null | undefined {
  return date instanceof Date ? date.toISOString() : date;
}

function isValidDate(date: unknown): date is Date {
  return date instanceof Date && !Number.isNaN(date.getTime());
}

/**
 * A flag as the store keeps it, with its state under the rules at `now` and
 * its owner. Throws when the provider gave something unusable.
 */
export function toFlagRecord(
  flag: ObservedFlag,
  options: { owner: string | undefined; rules: FlagRules; now: Date },
): NewFlagRecord {
  if (!flag.key || !flag.name) {
    throw new Error(
      `a flag without a key or name (${JSON.stringify(flag.key ?? flag.name)})`,
    );
  }
  if (!isValidDate(flag.createdAt)) {
    throw new Error(`the flag "${flag.key}" has no valid creation time`);
  }
  const assessment = assessFlag(flag, options.rules, options.now);
  const owner = flagOwner(options.owner, flag.maintainer);
  const evaluationKnown = assessment.lastEvaluatedAt !== undefined;
  return {
    key: flag.key,
    name: flag.name,
    project: flag.project ?? null,
    description: flag.description ?? null,
    type: flag.type ?? null,
    temporary: flag.temporary ?? null,
    createdAt: flag.createdAt,
    createdBy: flag.createdBy ?? null,
    maintainer: flag.maintainer ?? null,
    owner: owner.owner,
    ownerSource: owner.source,
    environments: flag.environments.map(env => ({
      environment: env.environment,
      ...(env.type !== undefined && { type: env.type }),
      enabled: env.enabled,
      ...(env.lastEvaluatedAt !== undefined && {
        lastEvaluatedAt: iso(env.lastEvaluatedAt),
      }),
      ...(env.servesEveryone !== undefined && {
        servesEveryone: env.servesEveryone,
      }),
      ...(env.servingSince !== undefined && {
        servingSince: env.servingSince.toISOString(),
      }),
      ...(env.status !== undefined && { status: env.status }),
      ...(env.summary !== undefined && { summary: env.summary }),
    })),
    lastEvaluatedAt: assessment.lastEvaluatedAt ?? null,
    evaluationKnown,
    changedAt: flag.updatedAt ?? null,
    lifecycle: flag.lifecycle ?? null,
    providerStale: flag.providerStale ?? false,
    tags: flag.tags ?? [],
    url: flag.url ?? null,
    state: assessment.state,
    stateReason: assessment.reason,
    staleAt: assessment.staleAt,
  };
}

type AnnotatedTarget = FlagTarget & { provider: string; owner?: string };

/**
 * Reads the flags of every entity annotated `glidepath.dev/flags` from their
 * providers into the inventory, with each flag's state and owner. A provider
 * (or a target) that fails keeps its last inventory, marked stale with the
 * error; a flag no longer listed is gone; a target no longer annotated is
 * forgotten.
 */
export class FlagSync {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      store: FlagStore;
      providers: FlagProviderRegistry;
      logger: LoggerService;
      rules: FlagRules;
      pageSize: number;
      providerTimeoutMs: number;
      now?: () => Date;
    },
  ) {}

  /** Every entity with a glidepath.dev/flags annotation. */
  private async annotatedEntities(): Promise<Entity[]> {
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_FLAGS}`]: CATALOG_FILTER_EXISTS,
        },
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    return items;
  }

  /** The provider that has a target, by id. */
  provider(id: string): FlagProvider | undefined {
    return this.deps.providers.get(id);
  }

  /** The flag target an entity names for a provider and ref, if it does. */
  targetOf(
    entity: Entity,
    provider: string,
    ref: string,
  ): FlagTarget | undefined {
    const entry = readGlidepathAnnotations(entity).flags?.find(
      f => f.provider === provider && f.ref === ref,
    );
    return entry ? { entityRef: entityKey(entity), ref, entity } : undefined;
  }

  async syncAll(): Promise<FlagSyncReport> {
    const now = this.deps.now ?? (() => new Date());
    const { store, providers } = this.deps;
    const entities = await this.annotatedEntities();
    const report: FlagSyncReport = {
      entities: entities.length,
      targets: 0,
      flags: 0,
      failedProviders: [],
      failedTargets: [],
    };

    const byProvider = new Map<string, AnnotatedTarget[]>();
    for (const entity of entities) {
      const owner = entityOwner(entity);
      for (const entry of readGlidepathAnnotations(entity).flags ?? []) {
        const list = byProvider.get(entry.provider) ?? [];
        list.push({
          entityRef: entityKey(entity),
          ref: entry.ref,
          entity,
          provider: entry.provider,
          owner,
        });
        byProvider.set(entry.provider, list);
        report.targets += 1;
      }
    }

    const present = new Set<string>();
    for (const targets of byProvider.values()) {
      for (const t of targets) {
        present.add(JSON.stringify([t.entityRef, t.provider, t.ref]));
      }
    }
    const gone: FlagTargetKey[] = (await store.listTargets()).filter(
      t => !present.has(JSON.stringify([t.entityRef, t.provider, t.ref])),
    );
    await store.removeTargets(gone);

    await Promise.all(
      [...byProvider].map(async ([id, targets]) => {
        const provider = providers.get(id);
        if (!provider) {
          const error = providers.unknownProviderMessage(id);
          for (const target of targets) {
            await store.recordFailure({
              target: { ...target, provider: id, simulated: false },
              at: now(),
              error,
            });
            report.failedTargets.push(
              `${target.entityRef} ${id}:${target.ref}`,
            );
          }
          report.failedProviders.push(id);
          return;
        }
        await this.syncProvider(provider, targets, report, now);
      }),
    );
    await store.refreshStatistics().catch(error => {
      this.deps.logger.warn(
        `Glidepath flag sync: could not refresh the statistics of the flag tables: ${errorMessage(
          error,
        )}`,
      );
    });
    return report;
  }

  private async syncProvider(
    provider: FlagProvider,
    targets: AnnotatedTarget[],
    report: FlagSyncReport,
    now: () => Date,
  ): Promise<void> {
    const { store, logger, rules } = this.deps;
    const simulated = Boolean(provider.simulated);
    const readAt = now();
    const known = new Map(targets.map(t => [targetId(t), t]));
    const flags = new Map<string, ObservedFlag[]>();
    const errors = new Map<string, string>();
    const fail = async (target: AnnotatedTarget, error: string) => {
      await store.recordFailure({
        target: { ...target, provider: provider.id, simulated },
        at: readAt,
        error,
      });
      report.failedTargets.push(
        `${target.entityRef} ${provider.id}:${target.ref}`,
      );
    };

    try {
      const request = targets.map(({ entityRef, ref, entity }) => ({
        entityRef,
        ref,
        entity,
      }));
      let cursor: string | undefined;
      const cursors = new Set<string>();
      let pages = 0;
      do {
        const pageCursor = cursor;
        const page = await withTimeout(
          `The flag provider "${provider.id}"`,
          this.deps.providerTimeoutMs,
          signal =>
            provider.listFlags({
              targets: request,
              cursor: pageCursor,
              pageSize: this.deps.pageSize,
              signal,
            }),
        );
        for (const item of page.items ?? []) {
          const id = targetId(item);
          if (!known.has(id)) continue;
          if ('error' in item) {
            errors.set(id, item.error);
          } else {
            const list = flags.get(id) ?? [];
            list.push(...item.flags);
            flags.set(id, list);
          }
        }
        cursor = page.nextCursor || undefined;
        pages += 1;
        if (cursor !== undefined) {
          if (cursors.has(cursor) || pages >= MAX_PAGES) {
            throw new Error(
              `gave the cursor "${cursor}" again after ${pages} pages; the listing does not end`,
            );
          }
          cursors.add(cursor);
        }
      } while (cursor !== undefined);
    } catch (error) {
      const message = `The flag provider "${
        provider.id
      }" failed: ${errorMessage(error)}`;
      logger.warn(`Glidepath flag sync: ${message}`);
      report.failedProviders.push(provider.id);
      for (const target of targets) await fail(target, message);
      return;
    }

    for (const target of targets) {
      const id = targetId(target);
      const error = errors.get(id);
      if (error !== undefined) {
        await fail(target, error);
        continue;
      }
      let records: NewFlagRecord[];
      try {
        records = (flags.get(id) ?? [])
          .filter(flag => !flag.archived)
          .map(flag =>
            toFlagRecord(flag, { owner: target.owner, rules, now: readAt }),
          );
      } catch (problem) {
        await fail(
          target,
          `The flag provider "${provider.id}" gave ${errorMessage(problem)}`,
        );
        continue;
      }
      await store.recordRead({
        target: { ...target, provider: provider.id, simulated },
        at: readAt,
        flags: records,
      });
      report.flags += records.length;
    }
  }
}
