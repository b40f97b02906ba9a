import type {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Actor,
  DrillFaultKind,
  DrillRequest,
  DrillScheduled,
  EnvironmentDefinition,
  glidepathDrillProductionPermission,
  glidepathReleaseControlPermission,
  ProductionOverride,
  readGlidepathAnnotations,
} from '@glidepath/backstage-plugin-common';
import type { RolloutProvider } from '@glidepath/backstage-plugin-node';
import type { Request } from 'express';
import type { GameDayStore, StoredDrill } from '../gameDays/GameDayStore';
import type { ReleaseSync } from '../releases/ReleaseSync';
import { audited, requirePermission } from '../shared/authorize';
import type { Caller } from '../shared/caller';
import { errorMessage } from '../shared/errors';
import { entityKey } from '../shared/refs';

/** Where a drill on an entity would run, once checked. */
export type DrillPlan = {
  entityRef: string;
  environment: string;
  production: boolean;
  provider: RolloutProvider;
  override: ProductionOverride | null;
};

/**
 * Rollback drills: a fault injected into an entity's next release through
 * its rollout provider, on its own or for a game day. Every drill goes
 * through here: checked (release control on the entity; a production
 * environment refused unless someone with glidepath.drill.production gives
 * a reason), recorded (the `drills` table, whose timings the game-day task
 * fills in), then injected. Audited as `release-drill`.
 */
export class DrillService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      auditor: AuditorService;
      sync: ReleaseSync;
      store: GameDayStore;
      environments: readonly EnvironmentDefinition[];
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** Whether drills in the environment need a production override. */
  isProductionEnvironment(environment: string): boolean {
    return this.isProduction(environment);
  }

  private isProduction(environment: string): boolean {
    return this.deps.environments.some(
      e => e.name === environment && e.production,
    );
  }

  /**
   * The environment a drill on the entity runs in: the one asked for, else
   * the entity's first non-production environment, else its production
   * one.
   */
  environmentOf(entity: Entity, asked?: string): string {
    if (asked !== undefined) return asked;
    const rollouts =
      readGlidepathAnnotations(entity, {
        environments: this.deps.environments,
      }).rollouts ?? [];
    const nonProduction = rollouts.find(r => !this.isProduction(r.environment));
    return (
      nonProduction?.environment ??
      rollouts[0]?.environment ??
      this.deps.environments.find(e => e.production)?.name ??
      'production'
    );
  }

  /**
   * Checks that the caller may run `fault` drills on the entity in the
   * environment: release control on the entity (403), a target whose
   * provider can inject faults (409), and for a production environment an
   * override with a reason (409 without, 400 blank) by someone with
   * glidepath.drill.production (403).
   */
  async planDrill(options: {
    entity: Entity;
    environment?: string;
    productionOverride?: { reason: string };
    caller: Caller;
  }): Promise<DrillPlan> {
    const { entity, caller } = options;
    const key = entityKey(entity);
    await requirePermission(this.deps.permissions, {
      permission: glidepathReleaseControlPermission,
      entityRef: key,
      credentials: caller.credentials,
      refusal: `You are not allowed to run drills on releases of ${key}`,
    });
    const environment = this.environmentOf(entity, options.environment);
    const provider = this.providerFor(entity, environment);
    const production = this.isProduction(environment);
    let override: ProductionOverride | null = null;
    if (production) {
      override = await this.productionOverride({
        entityRef: key,
        environment,
        request: options.productionOverride,
        caller,
      });
    }
    return { entityRef: key, environment, production, provider, override };
  }

  private providerFor(entity: Entity, environment: string): RolloutProvider {
    const key = entityKey(entity);
    const found = this.deps.sync.targetFor(entity, environment);
    if ('error' in found) {
      throw new ConflictError(`Cannot run a drill on ${key}: ${found.error}`);
    }
    if (!found.provider.injectFault) {
      throw new ConflictError(
        `The ${found.provider.id} rollout provider cannot inject faults: run the drill on a sandbox service, or deploy a faulty build of ${key} to staging yourself`,
      );
    }
    return found.provider;
  }

  private async productionOverride(options: {
    entityRef: string;
    environment: string;
    request?: { reason: string };
    caller: Caller;
  }): Promise<ProductionOverride> {
    const { entityRef, environment, request, caller } = options;
    if (!request) {
      throw new ConflictError(
        `${environment} is a production environment of ${entityRef}: drills there are refused unless an admin overrides with a reason (productionOverride)`,
      );
    }
    const reason = request.reason.trim();
    if (!reason) {
      throw new InputError(
        'productionOverride.reason must not be blank: say why the drill runs in production',
      );
    }
    await requirePermission(this.deps.permissions, {
      permission: glidepathDrillProductionPermission,
      credentials: caller.credentials,
      refusal: `Only admins (glidepath.drill.production) may run drills in the production environment ${environment} of ${entityRef}`,
    });
    return { by: caller.actor, reason, at: this.now().toISOString() };
  }

  /**
   * Records a checked drill and injects its fault through the provider. A
   * game day's fault is recorded once (a repeated call returns its drill
   * without injecting again); a provider refusal leaves the drill refused
   * with the provider's reason, and is thrown on for `throwOnRefusal`.
   */
  async startDrill(options: {
    entity: Entity;
    plan: Omit<DrillPlan, 'provider'> & { provider?: RolloutProvider };
    fault: DrillFaultKind;
    reason: string;
    actor: Actor;
    gameDay?: { id: string; faultIndex: number };
    throwOnRefusal?: boolean;
  }): Promise<{ drill: StoredDrill; message: string }> {
    const { entity, plan, fault, actor } = options;
    const key = entityKey(entity);
    const requestedAt = this.now();
    let provider = plan.provider;
    let refusal: string | null = null;
    if (!provider) {
      try {
        provider = this.providerFor(entity, plan.environment);
      } catch (error) {
        refusal = errorMessage(error);
      }
    }
    if (!refusal && plan.production && !plan.override) {
      refusal = `${plan.environment} is a production environment of ${key}: drills there are refused unless an admin overrides with a reason`;
    }
    const { drill, created } = await this.deps.store.createDrill({
      entityRef: key,
      ownerRef: ownerOf(entity),
      environment: plan.environment,
      fault,
      gameDay: options.gameDay,
      provider: provider?.id ?? 'none',
      simulated: Boolean(provider?.simulated),
      reason: options.reason,
      requestedBy: actor,
      requestedAt,
      productionOverride: plan.override,
      state: refusal ? 'refused' : 'waiting',
      stateReason: refusal,
    });
    if (!created || refusal || !provider?.injectFault) {
      if (refusal && options.throwOnRefusal) throw new ConflictError(refusal);
      return { drill, message: drill.stateReason ?? '' };
    }
    const found = this.deps.sync.targetFor(entity, plan.environment);
    try {
      if ('error' in found) throw new ConflictError(found.error);
      const result = await provider.injectFault({
        target: found.target,
        fault,
        reason: options.reason,
        actor,
      });
      return {
        drill,
        message:
          result.message ??
          `The next release of ${key} in ${plan.environment} carries the ${fault} fault`,
      };
    } catch (error) {
      const reason = `${provider.id} could not inject the fault: ${errorMessage(
        error,
      )}`;
      await this.deps.store.updateDrill(drill.id, drill.revision, {
        state: 'refused',
        stateReason: reason,
        releaseId: null,
        version: null,
        injectedAt: null,
        detectedAt: null,
        rollbackDecidedAt: null,
        rolledBackAt: null,
        healthyAt: null,
        notifiedAt: null,
        finishedAt: this.now().toISOString(),
      });
      if (options.throwOnRefusal) throw error;
      return {
        drill: (await this.deps.store.getDrill(drill.id))!,
        message: reason,
      };
    }
  }

  /** `POST /entities/{kind}/{namespace}/{name}/drills`. */
  async scheduleDrill(options: {
    entityRef: string;
    request: DrillRequest;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<DrillScheduled> {
    const { request } = options;
    return audited(
      this.deps.auditor,
      {
        eventId: 'release-drill',
        severityLevel: request?.productionOverride ? 'high' : 'medium',
        request: options.httpRequest,
        meta: {
          entityRef: options.entityRef,
          fault: request?.fault ?? null,
          reason: request?.reason ?? null,
          environment: request?.environment ?? null,
          productionOverride: request?.productionOverride?.reason ?? null,
        },
      },
      async () => {
        const reason = request.reason.trim();
        if (!reason) throw new InputError('The reason must not be blank');
        const caller = await options.caller();
        const entity = await this.readEntity(
          options.entityRef,
          caller.credentials,
        );
        const plan = await this.planDrill({
          entity,
          environment: request.environment,
          productionOverride: request.productionOverride,
          caller,
        });
        const { drill, message } = await this.startDrill({
          entity,
          plan,
          fault: request.fault,
          reason,
          actor: caller.actor,
          throwOnRefusal: true,
        });
        const scheduled: DrillScheduled = {
          entityRef: plan.entityRef,
          provider: plan.provider.id,
          simulated: Boolean(plan.provider.simulated),
          fault: request.fault,
          environment: plan.environment,
          message,
          drill: publicDrill(drill),
        };
        return {
          result: scheduled,
          meta: {
            by: `${caller.actor.kind}:${caller.actor.ref}`,
            provider: plan.provider.id,
            environment: plan.environment,
            drillId: drill.id,
          },
        };
      },
    );
  }

  /** An entity read with the caller's credentials, or 404 naming it. */
  async readEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return entity;
  }
}

/** The entity's owner, a full ref, or null. */
function ownerOf(entity: Entity): string | null {
  const related = (entity.relations ?? []).find(
    r => r.type === RELATION_OWNED_BY,
  )?.targetRef;
  if (related) return related;
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return null;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return null;
  }
}

/** A stored drill as the API gives it. */
export function publicDrill(drill: StoredDrill) {
  const {
    ownerRef: _owner,
    revision: _revision,
    gameDayFaultIndex: _index,
    ...rest
  } = drill;
  return rest;
}
