import type {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EnvironmentDefinition,
  ERROR_BUDGET_WINDOW_DAYS,
  ErrorBudget,
  errorBudgetOf,
  ErrorBudgetReading,
  glidepathReleaseControlPermission,
  readGlidepathAnnotations,
  Release,
  ReleaseFix,
  ReleaseFixRequest,
} from '@glidepath/backstage-plugin-common';
import type { MetricsProvider } from '@glidepath/backstage-plugin-node';
import type { Request } from 'express';
import type { ReleaseStore } from '../releases/ReleaseStore';
import { audited, requirePermission } from '../shared/authorize';
import type { Caller } from '../shared/caller';
import { errorMessage } from '../shared/errors';
import { entityKey } from '../shared/refs';
import { withTimeout } from '../shared/timeout';
import type { ErrorBudgetConfig } from './config';
import type { ReleaseFixStore } from './ReleaseFixStore';

const DAY_MS = 24 * 60 * 60 * 1000;

type CachedReading = {
  reading: ErrorBudgetReading;
  readAt: Date;
  expiresAt: number;
};

/**
 * The error-budget policy (issue 21, docs/calendar.md): a service whose SLO
 * (`glidepath.dev/slo`) error budget over the last 28 days is spent is
 * frozen in its production environments, except for releases marked as
 * fixes, until the budget recovers.
 *
 * The counts come from the entity's metrics provider (`readServiceErrors`)
 * and are cached per entity for `cacheTtlMs` (failures and empty readings
 * for `failureTtlMs`), so a promote does not query the provider: at most
 * one read per entity per TTL per replica, concurrent asks sharing it. The
 * SLO itself is read from the entity on every ask, so changing it takes
 * effect at once.
 */
export class ErrorBudgetService {
  private readonly cache = new Map<string, CachedReading>();
  private readonly inFlight = new Map<string, Promise<CachedReading>>();

  constructor(
    private readonly deps: {
      config: ErrorBudgetConfig;
      metricsProviders: {
        get(id: string): MetricsProvider | undefined;
      };
      environments: readonly EnvironmentDefinition[];
      fixes: ReleaseFixStore;
      releases: ReleaseStore;
      catalog: CatalogService;
      permissions: PermissionsService;
      auditor: AuditorService;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** Whether an environment counts as production (the ones the policy freezes). */
  isProduction(environment: string): boolean {
    return this.deps.environments.some(
      e => e.name === environment && e.production,
    );
  }

  /** The policy's state for an entity: its SLO, the burn, whether it freezes. */
  async budgetFor(entity: Entity): Promise<ErrorBudget> {
    const annotations = readGlidepathAnnotations(entity, {
      environments: this.deps.environments,
    });
    const names = (annotations.rollouts ?? []).map(r => r.environment);
    const environments = [...new Set(names)].filter(name =>
      this.isProduction(name),
    );
    const sloPercent = annotations.slo;
    if (!this.deps.config.enabled || sloPercent === undefined) {
      const budget = errorBudgetOf({
        sloPercent,
        reading: undefined,
        environments,
        readAt: undefined,
      });
      return this.deps.config.enabled || sloPercent === undefined
        ? budget
        : {
            ...budget,
            reason:
              'The error-budget policy is off here (glidepath.calendar.errorBudget.enabled: false)',
          };
    }
    const cached = await this.reading(entity);
    return errorBudgetOf({
      sloPercent,
      reading: cached.reading,
      environments,
      readAt: cached.readAt,
    });
  }

  /**
   * The budget when it freezes a release of the entity to `environment`
   * (spent, and the environment is a production one); else undefined.
   */
  async freezing(
    entity: Entity,
    environment: string,
  ): Promise<ErrorBudget | undefined> {
    if (!this.deps.config.enabled || !this.isProduction(environment)) {
      return undefined;
    }
    if (readGlidepathAnnotations(entity).slo === undefined) return undefined;
    const budget = await this.budgetFor(entity);
    return budget.status === 'spent' ? budget : undefined;
  }

  /** The cached reading of an entity, read again once it expires. */
  private async reading(entity: Entity): Promise<CachedReading> {
    const key = entityKey(entity).toLowerCase();
    const now = this.now().getTime();
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now) return cached;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const read = this.read(entity)
      .then(reading => {
        const readAt = this.now();
        const entry: CachedReading = {
          reading,
          readAt,
          expiresAt:
            readAt.getTime() +
            (reading.status === 'ok'
              ? this.deps.config.cacheTtlMs
              : this.deps.config.failureTtlMs),
        };
        this.cache.set(key, entry);
        return entry;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, read);
    return read;
  }

  /** Reads the last 28 days of the entity's production traffic. */
  private async read(entity: Entity): Promise<ErrorBudgetReading> {
    const annotations = readGlidepathAnnotations(entity, {
      environments: this.deps.environments,
    });
    const metricsProblem = annotations.problems.find(
      p => p.annotation === 'glidepath.dev/metrics',
    );
    if (metricsProblem) {
      return {
        status: 'failed',
        reason: `glidepath.dev/metrics: ${metricsProblem.message}`,
      };
    }
    const rollout = annotations.rollout;
    const providerId = annotations.metrics?.provider ?? rollout?.provider;
    if (!providerId) {
      return {
        status: 'failed',
        reason:
          'The service has neither glidepath.dev/metrics nor glidepath.dev/rollout, so no metrics provider to read',
      };
    }
    const provider = this.deps.metricsProviders.get(providerId);
    if (!provider) {
      return {
        status: 'failed',
        reason: `No metrics provider "${providerId}" is installed`,
      };
    }
    if (!provider.readServiceErrors) {
      return {
        status: 'failed',
        reason: `The metrics provider "${providerId}" cannot read a service's errors over ${ERROR_BUDGET_WINDOW_DAYS} days (it has no readServiceErrors)`,
      };
    }
    const to = this.now();
    const from = new Date(to.getTime() - ERROR_BUDGET_WINDOW_DAYS * DAY_MS);
    try {
      const reading = await withTimeout(
        `The metrics provider "${providerId}"`,
        this.deps.config.timeoutMs,
        signal =>
          provider.readServiceErrors!({
            entityRef: entityKey(entity),
            entity,
            selector: annotations.metrics?.selector ?? rollout?.ref ?? '',
            rolloutProvider: rollout?.provider ?? providerId,
            environment: rollout?.environment ?? 'production',
            from,
            to,
            signal,
          }),
      );
      return reading;
    } catch (error) {
      return { status: 'failed', reason: errorMessage(error) };
    }
  }

  /** The mark of a release, if it is marked as a fix. */
  async fixOf(releaseId: string): Promise<ReleaseFix | null> {
    return this.deps.fixes.getFix(releaseId);
  }

  /** The marks of an entity's latest release in each environment. */
  async fixesOf(entityRef: string): Promise<ReleaseFix[]> {
    const latest = await this.deps.releases.listLatestReleases([entityRef]);
    return this.deps.fixes.listFixes(latest.map(r => r.id));
  }

  /**
   * Marks a release as a fix: it may be promoted and resumed while its
   * service's budget is spent. Needs glidepath.release.control on the
   * entity; audited (`release-fix`); the first mark stays.
   */
  async markAsFix(options: {
    releaseId: string;
    request: ReleaseFixRequest;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<ReleaseFix> {
    const { releaseId, request } = options;
    return audited(
      this.deps.auditor,
      {
        eventId: 'release-fix',
        severityLevel: 'medium',
        request: options.httpRequest,
        meta: { releaseId, reason: request?.reason ?? null },
      },
      async () => {
        const reason =
          typeof request?.reason === 'string' ? request.reason.trim() : '';
        if (!reason) {
          throw new InputError(
            'reason: say what this release fixes (it may go out while the error budget is spent)',
          );
        }
        const { actor, credentials } = await options.caller();
        const release: Release | undefined =
          await this.deps.releases.getRelease(releaseId);
        // A release of an entity the caller cannot read is as absent as
        // one that never existed.
        const entity =
          release &&
          (await this.deps.catalog.getEntityByRef(release.entityRef, {
            credentials,
          }));
        if (!release || !entity) {
          throw new NotFoundError(`No release with id ${releaseId}`);
        }
        await requirePermission(this.deps.permissions, {
          credentials,
          permission: glidepathReleaseControlPermission,
          entityRef: release.entityRef,
          refusal: `You may not mark releases of ${release.entityRef} as fixes (glidepath.release.control)`,
        });
        const { fix, created } = await this.deps.fixes.markFix({
          releaseId,
          entityRef: release.entityRef,
          environment: release.environment,
          version: release.version,
          by: actor,
          reason,
          at: this.now(),
        });
        return {
          result: fix,
          meta: { entityRef: release.entityRef, created },
        };
      },
    );
  }
}
