import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  actionRefusal,
  ActionRequest,
  Actor,
  allowedActions,
  ANNOTATION_ROLLOUT,
  checklistRefusal,
  DEFAULT_ENVIRONMENTS,
  EntityReleaseSummary,
  EnvironmentDefinition,
  EnvironmentRelease,
  GlidepathAnnotations,
  permissionForAction,
  readGlidepathAnnotations,
  Release,
  ReleaseAction,
  ReleaseDetail,
  ReleasePage,
  ReleasesInFlight,
  RollbackGate,
  RollbackTest,
  sortEnvironments,
} from '@glidepath/backstage-plugin-common';
import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import type { ChecklistStore } from '../checklists/ChecklistStore';
import type { AnalysisStore } from '../analysis/AnalysisStore';
import type { ActionStore } from './ActionStore';
import type { ReleaseStore } from './ReleaseStore';
import { ProviderRegistry } from './ProviderRegistry';
import { requirePermission } from '../shared/authorize';
import { entityKey } from '../shared/refs';

const SUMMARY_RECENT = 10;
const SUMMARY_ACTIONS = 20;
const MAX_ANALYSES = 500;

const ACTION_VERB: Record<ActionRequest['action'], string> = {
  rollback: 'roll back',
  promote: 'promote',
  pause: 'pause',
  resume: 'resume',
  abort: 'abort',
  retry: 'retry',
};

/**
 * What the REST API does, independent of HTTP: reads go through the catalog
 * with the caller's credentials (an entity the caller cannot see does not
 * exist for them), mutations check Glidepath's permission on the entity.
 */
/**
 * What the release views and actions read of rollback tests (issue 20):
 * each environment's latest test, a production release's gate, and the
 * gate's refusal of a promote or resume while it holds.
 */
export type RollbackTestsView = {
  latestByEnvironment(entityRef: string): Promise<Map<string, RollbackTest>>;
  gateOf(release: Release, entity: Entity): Promise<RollbackGate | null>;
  refusal(
    release: Release,
    entity: Entity,
    action: string,
  ): Promise<string | undefined>;
};

export class ReleaseService {
  constructor(
    private readonly deps: {
      store: ReleaseStore;
      actions: ActionStore;
      analyses: AnalysisStore;
      catalog: CatalogService;
      permissions: PermissionsService;
      providers: ProviderRegistry;
      checklists: ChecklistStore;
      /**
       * The organisation's environments (`glidepath.environments`; the
       * default ones when not given).
       */
      environments?: readonly EnvironmentDefinition[];
      /** Rollback tests and the production gate, when wired. */
      rollbackTests?: RollbackTestsView;
      /** The release calendar's freezes, when wired. */
      calendar?: {
        refusal(
          release: Release,
          entity: Entity,
          action: string,
          credentials: BackstageCredentials,
        ): Promise<string | undefined>;
      };
    },
  ) {}

  async getSummary(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityReleaseSummary> {
    const { store, catalog, providers } = this.deps;
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    const key = entityKey(entity);
    const annotations = readGlidepathAnnotations(entity, {
      environments: this.deps.environments ?? DEFAULT_ENVIRONMENTS,
    });
    const problems = [...annotations.problems];
    let provider: EntityReleaseSummary['provider'] = null;
    if (annotations.rollout) {
      const registered = providers.get(annotations.rollout.provider);
      if (!registered) {
        problems.push({
          annotation: ANNOTATION_ROLLOUT,
          value: entity.metadata.annotations?.[ANNOTATION_ROLLOUT] ?? '',
          message: providers.unknownProviderMessage(
            annotations.rollout.provider,
          ),
        });
      }
      const sync = await store.getSyncState(key);
      provider = {
        id: annotations.rollout.provider,
        registered: Boolean(registered),
        simulated: Boolean(registered?.simulated),
        lastSyncedAt: sync?.lastSuccessAt?.toISOString() ?? null,
        stale: Boolean(registered && sync?.error),
        error: registered ? sync?.error ?? null : null,
      };
    }
    const page = await store.listReleases({
      entityRef: key,
      limit: SUMMARY_RECENT,
    });
    const environments = await this.environmentReleases(key, annotations);
    const productionName = annotations.rollout?.environment;
    const production = environments.find(e => e.name === productionName);
    const current = production?.current ?? page.items[0] ?? null;
    const rollbackGate =
      production?.current && this.deps.rollbackTests
        ? await this.deps.rollbackTests.gateOf(production.current, entity)
        : null;
    const checklist =
      (current && (await this.deps.checklists.checklistForRelease(current))) ||
      (await this.deps.checklists.waitingChecklist(key)) ||
      null;
    return {
      entityRef: key,
      current,
      checklist,
      recent: page.items,
      allowedActions: current ? allowedActions(current) : [],
      recentActions: await this.deps.actions.listActions({
        entityRef: key,
        limit: SUMMARY_ACTIONS,
      }),
      provider,
      problems,
      environments,
      rollbackGate,
    };
  }

  /**
   * The environments the annotation names, in promotion order, then those
   * the entity has releases in without naming them; each with its latest
   * release.
   */
  private async environmentReleases(
    entityRef: string,
    annotations: GlidepathAnnotations,
  ): Promise<EnvironmentRelease[]> {
    const { store } = this.deps;
    const configured = this.deps.environments ?? DEFAULT_ENVIRONMENTS;
    const latest = await store.listLatestReleases([entityRef]);
    let rollouts = annotations.rollouts ?? [];
    // The single form leaves the environment to the provider (an Argo
    // cluster's, say): its target is that of every environment it reported.
    if (rollouts.length === 1 && rollouts[0].implied && latest.length) {
      const only = rollouts[0];
      rollouts = sortEnvironments(
        latest.map(l => l.environment),
        configured,
      ).map(environment => ({ ...only, environment }));
    }
    const unnamed = sortEnvironments(
      latest
        .map(l => l.environment)
        .filter(name => !rollouts.some(r => r.environment === name)),
      configured,
    );
    const names = [...rollouts.map(r => r.environment), ...unnamed];
    const tests =
      (await this.deps.rollbackTests?.latestByEnvironment(entityRef)) ??
      new Map<string, RollbackTest>();
    return Promise.all(
      names.map(async name => {
        const rollout = rollouts.find(r => r.environment === name);
        const head = latest.find(l => l.environment === name);
        return {
          name,
          // The single form's target is the production one, wherever the
          // provider puts it.
          production:
            Boolean(rollout?.implied) ||
            configured.some(e => e.name === name && e.production),
          provider: rollout?.provider ?? null,
          ref: rollout?.ref ?? null,
          current: (head && (await store.getRelease(head.id))) ?? null,
          rollbackTest: tests.get(name) ?? null,
        };
      }),
    );
  }

  async listReleases(
    entityRef: string,
    options: { limit: number; cursor?: string; environment?: string },
    credentials: BackstageCredentials,
  ): Promise<ReleasePage> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    return this.deps.store.listReleases({
      entityRef: entityKey(entity),
      limit: options.limit,
      cursor: options.cursor,
      environment: options.environment,
    });
  }

  /**
   * The releases in flight across the catalog, newest first, of entities
   * the caller may read, each with its entity's title and owner (the owner
   * named by its title when the caller may read the owner too).
   */
  async listInFlight(
    limit: number,
    credentials: BackstageCredentials,
  ): Promise<ReleasesInFlight> {
    const { catalog } = this.deps;
    const active = await this.deps.store.listActiveReleases();
    const refs = [...new Set(active.map(r => r.entityRef))];
    const entities = new Map<string, Entity>();
    for (let i = 0; i < refs.length; i += 500) {
      const part = refs.slice(i, i + 500);
      const { items } = await catalog.getEntitiesByRefs(
        {
          entityRefs: part,
          fields: ['kind', 'metadata', 'relations'],
        },
        { credentials },
      );
      items.forEach((item, j) => {
        if (item) entities.set(part[j], item);
      });
    }
    const ownerOf = (entity: Entity) =>
      entity.relations?.find(r => r.type === RELATION_OWNED_BY)?.targetRef;
    const ownerRefs = [
      ...new Set(
        [...entities.values()].map(ownerOf).filter((r): r is string => !!r),
      ),
    ];
    const owners = new Map<string, string | null>();
    if (ownerRefs.length) {
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: ownerRefs, fields: ['kind', 'metadata', 'spec.profile'] },
        { credentials },
      );
      items.forEach((item, i) => {
        const profile = (item?.spec as { profile?: { displayName?: string } })
          ?.profile;
        owners.set(
          ownerRefs[i],
          profile?.displayName ?? item?.metadata.title ?? null,
        );
      });
    }
    const visible = active
      .filter(release => entities.has(release.entityRef))
      .sort(
        (a, b) =>
          b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id),
      );
    return {
      total: visible.length,
      items: visible.slice(0, limit).map(release => {
        const entity = entities.get(release.entityRef)!;
        const owner = ownerOf(entity);
        return {
          release,
          entityTitle: entity.metadata.title ?? null,
          owner: owner
            ? { ref: owner, title: owners.get(owner) ?? null }
            : null,
        };
      }),
    };
  }

  async getRelease(
    releaseId: string,
    credentials: BackstageCredentials,
  ): Promise<ReleaseDetail> {
    const release = await this.readableRelease(releaseId, credentials);
    const [events, actions, analyses, checklist, providerAnalysis] =
      await Promise.all([
        this.deps.store.listEvents(release.id),
        this.deps.actions.listActions({ releaseId: release.id, limit: 100 }),
        this.deps.analyses.listAnalyses(release.id, MAX_ANALYSES),
        this.deps.checklists.checklistForRelease(release),
        this.deps.store.getProviderAnalysis(release.id),
      ]);
    return {
      release,
      events,
      actions,
      allowedActions: allowedActions(release),
      analyses,
      checklist: checklist ?? null,
      providerAnalysis,
    };
  }

  async getAction(
    actionId: string,
    credentials: BackstageCredentials,
  ): Promise<ReleaseAction> {
    const action = await this.deps.actions.getAction(actionId);
    if (!action) {
      throw new NotFoundError(`No action with id ${actionId}`);
    }
    const entity = await this.deps.catalog.getEntityByRef(action.entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No action with id ${actionId}`);
    }
    return action;
  }

  /**
   * Records an action once per idempotency key. Returns `created: false` for
   * a repeat of an earlier request, which must not be run again.
   */
  async requestAction(options: {
    releaseId: string;
    request: ActionRequest;
    idempotencyKey: string;
    actor: Actor;
    credentials: BackstageCredentials;
  }): Promise<{ action: ReleaseAction; created: boolean }> {
    const { permissions } = this.deps;
    const { releaseId, request, idempotencyKey, actor, credentials } = options;
    const reason = request.reason.trim();
    if (!reason) {
      throw new InputError('The reason must not be blank');
    }
    // Whether the caller may read the entity and whether they may act on it
    // are asked together (each is a request to another plugin); one who
    // cannot read it gets a 404 whatever the answer to the other.
    const release = await this.readableRelease(releaseId, credentials, stored =>
      requirePermission(permissions, {
        permission: permissionForAction(request.action),
        entityRef: stored.entityRef,
        credentials,
        refusal: `You are not allowed to ${
          ACTION_VERB[request.action]
        } releases of ${stored.entityRef}`,
      }),
    );

    // A repeat of an accepted request returns what it got the first time
    // (the store checks it is the same request), even if the release has
    // moved on since; only a new request is checked against the phase.
    const earlier = await this.deps.actions.findActionByIdempotencyKey(
      idempotencyKey,
    );
    // A release waits before its final step while its checklist has a
    // required item open: promote and resume are refused there.
    const refusal = earlier
      ? undefined
      : actionRefusal(release, request.action) ??
        checklistRefusal(
          release,
          request.action,
          (await this.deps.checklists.checklistForRelease(release))?.gate,
        );
    // A production release waits at its first step while its rollback gate
    // holds (the gate's own resume is how it goes on), and nothing is
    // promoted or resumed during a freeze of its environment.
    const gateRefusal =
      !refusal && !earlier
        ? await this.gateRefusal(release, request.action, actor, credentials)
        : undefined;
    if (refusal || gateRefusal) {
      throw new ConflictError(
        `Cannot ${ACTION_VERB[request.action]} release ${release.id} (${
          release.version
        } of ${release.entityRef}): ${refusal ?? gateRefusal}`,
      );
    }
    return this.deps.actions.createAction({
      releaseId,
      entityRef: release.entityRef,
      action: request.action,
      reason,
      requestedBy: actor,
      idempotencyKey,
      stepIndex: release.currentStepIndex,
    });
  }

  private async gateRefusal(
    release: Release,
    action: ActionRequest['action'],
    actor: Actor,
    credentials: BackstageCredentials,
  ): Promise<string | undefined> {
    if (action !== 'promote' && action !== 'resume') return undefined;
    const { rollbackTests, calendar } = this.deps;
    if (!rollbackTests && !calendar) return undefined;
    const entity = await this.deps.catalog.getEntityByRef(release.entityRef, {
      credentials,
    });
    if (!entity) return undefined;
    const frozen = await calendar?.refusal(
      release,
      entity,
      action,
      credentials,
    );
    if (frozen) return frozen;
    const gateResumes =
      actor.kind === 'policy' && actor.ref === 'rollback-gate';
    return rollbackTests && !gateResumes
      ? rollbackTests.refusal(release, entity, action)
      : undefined;
  }

  /**
   * The release, if the caller may read its entity; with `alsoCheck`, a
   * further check of the release run beside the catalog's, whose refusal
   * counts only when the release is readable.
   */
  private async readableRelease(
    releaseId: string,
    credentials: BackstageCredentials,
    alsoCheck?: (release: Release) => Promise<void>,
  ) {
    const release = await this.deps.store.getRelease(releaseId);
    const [visible, checked] = await Promise.all([
      // A release of an entity the caller cannot read is as absent as one
      // that never existed.
      release &&
        this.deps.catalog.getEntityByRef(release.entityRef, {
          credentials,
        }),
      release && alsoCheck
        ? alsoCheck(release).then(
            () => ({ ok: true as const }),
            (error: unknown) => ({ ok: false as const, error }),
          )
        : { ok: true as const },
    ]);
    if (!release || !visible) {
      throw new NotFoundError(`No release with id ${releaseId}`);
    }
    if (!checked.ok) throw checked.error;
    return release;
  }
}
