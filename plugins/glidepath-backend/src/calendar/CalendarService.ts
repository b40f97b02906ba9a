import type {
  AuditorService,
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CalendarScope,
  calendarState,
  CalendarState,
  CalendarTarget,
  EntityCalendar,
  EnvironmentDefinition,
  ErrorBudget,
  FreezeOverride,
  FreezeOverrideRequest,
  FreezeWindow,
  FreezeWindowRequest,
  freezeWindowProblem,
  glidepathCalendarManagePermission,
  glidepathFreezeOverridePermission,
  readGlidepathAnnotations,
  Release,
  ReleaseTrain,
  ReleaseTrainRequest,
  releaseTrainProblem,
  scopeApplies,
  trainSlots,
} from '@glidepath/backstage-plugin-common';
import type { Request } from 'express';
import type { ErrorBudgetService } from '../errorBudget/ErrorBudgetService';
import type { ReleaseStore } from '../releases/ReleaseStore';
import { audited, requirePermission } from '../shared/authorize';
import type { Caller } from '../shared/caller';
import { requireIdempotencyKey } from '../shared/idempotencyKey';
import { entityKey } from '../shared/refs';
import type { CalendarStore, StoredReleaseTrain } from './CalendarStore';
import type { ConfigReleaseTrain } from './config';
import { calendarFeed, feedToken, feedTokenValid } from './feed';

/** Entity kinds a feed's `owner` may name. */
const OWNER_KINDS = ['group', 'user'];

/** The kind a scope's ref means when it does not say one. */
const SCOPE_DEFAULT_KIND: Record<string, string> = {
  owner: 'group',
  entity: 'component',
  system: 'system',
  domain: 'domain',
};

function relationRef(
  value: unknown,
  kind: string,
  namespace: string,
): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind: kind, defaultNamespace: namespace }),
    ).toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The release calendar (issue 21): freeze windows and release trains, the
 * freeze state of an entity's environments, the refusal of promote and
 * resume during a freeze (rollbacks are never blocked), and break-glass
 * overrides per release.
 */
export class CalendarService {
  constructor(
    private readonly deps: {
      store: CalendarStore;
      releases: ReleaseStore;
      catalog: CatalogService;
      permissions: PermissionsService;
      auditor: AuditorService;
      environments: EnvironmentDefinition[];
      /** For a feed opened by its link: Glidepath reads the catalog itself. */
      auth?: AuthService;
      /** Windows defined in app-config (glidepath.calendar.windows). */
      configWindows?: FreezeWindow[];
      /** Trains defined in app-config (glidepath.calendar.trains). */
      configTrains?: ConfigReleaseTrain[];
      /** Signs iCalendar feed links; without it feeds need a Backstage token. */
      feedSecret?: string;
      /**
       * The error-budget policy: a spent budget freezes a service's
       * production releases, except fixes (docs/calendar.md).
       */
      errorBudget?: Pick<
        ErrorBudgetService,
        'budgetFor' | 'freezing' | 'fixOf' | 'fixesOf'
      >;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** The windows defined in app-config first, then those added through the API. */
  async listWindows(): Promise<FreezeWindow[]> {
    return [
      ...(this.deps.configWindows ?? []),
      ...(await this.deps.store.listWindows()),
    ];
  }

  /**
   * The trains defined in app-config first, then those added through the
   * API: every reader of trains (the list, an entity's calendar, the feeds,
   * a plan's start) goes through here.
   */
  private async allTrains(): Promise<StoredReleaseTrain[]> {
    return [
      ...(this.deps.configTrains ?? []),
      ...(await this.deps.store.listTrains()),
    ];
  }

  /** Every train with its next three slots. */
  async listTrains(): Promise<ReleaseTrain[]> {
    const now = this.now();
    return (await this.allTrains()).map(train => this.withSlots(train, now));
  }

  private withSlots(train: StoredReleaseTrain, now: Date): ReleaseTrain {
    return {
      ...train,
      nextSlots: trainSlots(train, now, 3).map(d => d.toISOString()),
    };
  }

  private async manage<T>(
    options: {
      eventId: string;
      meta: Record<string, string | null>;
      caller: () => Promise<Caller>;
      httpRequest?: Request;
    },
    fn: (actor: Caller['actor']) => Promise<{ result: T; id: string }>,
  ): Promise<T> {
    return audited(
      this.deps.auditor,
      {
        eventId: options.eventId,
        severityLevel: 'medium',
        request: options.httpRequest,
        meta: options.meta,
      },
      async () => {
        const { actor, credentials } = await options.caller();
        await requirePermission(this.deps.permissions, {
          credentials,
          permission: glidepathCalendarManagePermission,
          refusal:
            'You may not change the release calendar (glidepath.calendar.manage)',
        });
        const { result, id } = await fn(actor);
        return { result, meta: { id } };
      },
    );
  }

  async createWindow(options: {
    request: FreezeWindowRequest;
    idempotencyKey: string | undefined;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<FreezeWindow> {
    const { request } = options;
    return this.manage(
      {
        eventId: 'calendar-window',
        meta: {
          change: 'create',
          title: request?.title ?? null,
          effect: request?.effect ?? null,
        },
        caller: options.caller,
        httpRequest: options.httpRequest,
      },
      async by => {
        const idempotencyKey = requireIdempotencyKey(
          options.idempotencyKey,
          'freeze window',
        );
        const problem = freezeWindowProblem(request);
        if (problem) throw new InputError(`Invalid freeze window: ${problem}`);
        const { window } = await this.deps.store.createWindow({
          request: { ...request, reason: request.reason.trim() },
          by,
          at: this.now(),
          idempotencyKey,
        });
        return { result: window, id: window.id };
      },
    );
  }

  async deleteWindow(options: {
    windowId: string;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<void> {
    return this.manage(
      {
        eventId: 'calendar-window',
        meta: { change: 'delete', id: options.windowId },
        caller: options.caller,
        httpRequest: options.httpRequest,
      },
      async () => {
        if (this.deps.configWindows?.some(w => w.id === options.windowId)) {
          throw new ConflictError(
            `The freeze window ${options.windowId} is defined in app-config (glidepath.calendar.windows); remove it there`,
          );
        }
        if (!(await this.deps.store.deleteWindow(options.windowId))) {
          throw new NotFoundError(`No freeze window ${options.windowId}`);
        }
        return { result: undefined, id: options.windowId };
      },
    );
  }

  async createTrain(options: {
    request: ReleaseTrainRequest;
    idempotencyKey: string | undefined;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<ReleaseTrain> {
    const { request } = options;
    return this.manage(
      {
        eventId: 'calendar-train',
        meta: { change: 'create', title: request?.title ?? null },
        caller: options.caller,
        httpRequest: options.httpRequest,
      },
      async by => {
        const idempotencyKey = requireIdempotencyKey(
          options.idempotencyKey,
          'release train',
        );
        const problem = releaseTrainProblem(request);
        if (problem) throw new InputError(`Invalid release train: ${problem}`);
        const { train } = await this.deps.store.createTrain({
          request,
          by,
          at: this.now(),
          idempotencyKey,
        });
        return { result: this.withSlots(train, this.now()), id: train.id };
      },
    );
  }

  async deleteTrain(options: {
    trainId: string;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<void> {
    return this.manage(
      {
        eventId: 'calendar-train',
        meta: { change: 'delete', id: options.trainId },
        caller: options.caller,
        httpRequest: options.httpRequest,
      },
      async () => {
        if (this.deps.configTrains?.some(t => t.id === options.trainId)) {
          throw new ConflictError(
            `The release train ${options.trainId} is defined in app-config (glidepath.calendar.trains); remove it there`,
          );
        }
        if (!(await this.deps.store.deleteTrain(options.trainId))) {
          throw new NotFoundError(`No release train ${options.trainId}`);
        }
        return { result: undefined, id: options.trainId };
      },
    );
  }

  /** What the scopes match an entity in an environment on. */
  private async targetOf(
    entity: Entity,
    environment: string,
    credentials: BackstageCredentials,
    needDomain: boolean,
  ): Promise<CalendarTarget> {
    const namespace = entity.metadata.namespace ?? 'default';
    const system = relationRef(entity.spec?.system, 'system', namespace);
    let domain: string | undefined;
    if (needDomain) {
      domain = relationRef(entity.spec?.domain, 'domain', namespace);
      if (!domain && system) {
        const systemEntity = await this.deps.catalog.getEntityByRef(system, {
          credentials,
        });
        domain = relationRef(systemEntity?.spec?.domain, 'domain', namespace);
      }
    }
    return {
      entityRef: entityKey(entity),
      environment,
      owner: relationRef(entity.spec?.owner, 'group', namespace),
      system,
      domain,
    };
  }

  /** The freeze state of a release's environment for its entity. */
  async stateOf(
    release: Release,
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<CalendarState> {
    const windows = await this.listWindows();
    if (!windows.length)
      return calendarState([], emptyTarget(release), this.now());
    const target = await this.targetOf(
      entity,
      release.environment,
      credentials,
      windows.some(w => w.scope.kind === 'domain'),
    );
    return calendarState(windows, target, this.now());
  }

  /**
   * Whether releasing an entity in an environment is frozen now (for a
   * release plan's next wave, or a new release through Glidepath): the
   * state, closed or not. `fix` marks a release that fixes the service.
   */
  async freezeFor(
    entity: Entity,
    environment: string,
    options: { fix: boolean; credentials: BackstageCredentials },
  ): Promise<CalendarState> {
    const windows = await this.listWindows();
    const target = windows.length
      ? await this.targetOf(
          entity,
          environment,
          options.credentials,
          windows.some(w => w.scope.kind === 'domain'),
        )
      : { entityRef: entityKey(entity), environment };
    const state = calendarState(windows, target, this.now());
    if (state.closed || options.fix || !this.deps.errorBudget) return state;
    const budget = await this.deps.errorBudget.freezing(entity, environment);
    return budget ? budgetState(budget, state) : state;
  }

  /**
   * Why a freeze refuses an action on a release, or undefined: promote and
   * resume during a freeze of its environment, unless someone broke the
   * glass for this release. Rollback, abort and pause are never refused.
   */
  async refusal(
    release: Release,
    entity: Entity,
    action: string,
    credentials: BackstageCredentials,
  ): Promise<string | undefined> {
    if (action !== 'promote' && action !== 'resume') return undefined;
    const state = await this.stateOf(release, entity, credentials);
    if (state.closed) {
      if (await this.deps.store.getOverride(release.id)) return undefined;
      return `${release.environment} is frozen for ${entityKey(entity)}: ${
        state.reason
      }${
        state.nextOpen ? ` (it opens again at ${state.nextOpen})` : ''
      }. Rollbacks are never blocked; someone with glidepath.freeze.override can let this release go on with a reason`;
    }
    const { errorBudget } = this.deps;
    const budget =
      errorBudget && (await errorBudget.freezing(entity, release.environment));
    if (!budget) return undefined;
    const [fix, override] = await Promise.all([
      errorBudget!.fixOf(release.id),
      this.deps.store.getOverride(release.id),
    ]);
    if (fix || override) return undefined;
    return `${release.environment} is frozen for ${entityKey(entity)}: ${
      budget.reason
    }. Rollbacks are never blocked; someone with glidepath.release.control can mark this release as a fix with a reason (POST /releases/${
      release.id
    }/fix), or someone with glidepath.freeze.override let it go on`;
  }

  /** An entity's freeze state per environment and its next trains. */
  async entityCalendar(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityCalendar> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    const now = this.now();
    const [windows, trains] = await Promise.all([
      this.listWindows(),
      this.allTrains(),
    ]);
    const rollouts =
      readGlidepathAnnotations(entity, {
        environments: this.deps.environments,
      }).rollouts ?? [];
    const names = rollouts.length
      ? rollouts.map(r => r.environment)
      : this.deps.environments.map(e => e.name);
    const needDomain = [...windows, ...trains].some(
      w => w.scope.kind === 'domain',
    );
    const [errorBudget, fixes] = this.deps.errorBudget
      ? await Promise.all([
          this.deps.errorBudget.budgetFor(entity),
          this.deps.errorBudget.fixesOf(entityKey(entity)),
        ])
      : [undefined, undefined];
    // Break-glass overrides of each environment's latest release.
    const latest = await this.deps.releases.listLatestReleases([
      entityKey(entity),
    ]);
    const overrides = await this.deps.store.listOverrides(
      latest.map(r => r.id),
    );
    const environments = await Promise.all(
      names.map(async name => {
        const target = await this.targetOf(
          entity,
          name,
          credentials,
          needDomain,
        );
        const state = calendarState(windows, target, now);
        const release = latest.find(r => r.environment === name);
        const override =
          release && overrides.find(o => o.releaseId === release.id);
        return {
          name,
          state:
            !state.closed &&
            errorBudget?.frozen &&
            errorBudget.environments.includes(name)
              ? budgetState(errorBudget, state)
              : state,
          ...(override && {
            override: { ...override, version: release.version },
          }),
        };
      }),
    );
    const production =
      this.deps.environments.find(e => e.production)?.name ?? 'production';
    const target = await this.targetOf(
      entity,
      production,
      credentials,
      needDomain,
    );
    return {
      entityRef: entityKey(entity),
      environments,
      trains: trains
        .filter(t => scopeApplies(t.scope, target))
        .map(t => ({
          id: t.id,
          title: t.title,
          next: trainSlots(t, now, 1)[0]?.toISOString() ?? null,
        })),
      ...(errorBudget && { errorBudget }),
      ...(fixes && { fixes }),
    };
  }

  /** The owner a feed names, as a full lower-case ref; 400 if unreadable. */
  private feedOwner(owner: string | undefined): string | undefined {
    if (owner === undefined || owner === '') return undefined;
    let ref;
    try {
      ref = parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
    } catch (error) {
      throw new InputError(
        `owner: "${owner}" is not an entity ref (e.g. group:default/team-checkout): ${
          (error as Error).message
        }`,
      );
    }
    if (!OWNER_KINDS.includes(ref.kind.toLowerCase())) {
      throw new InputError(
        `owner: "${owner}" is a ${ref.kind}; a feed's owner is a group or a user`,
      );
    }
    return stringifyEntityRef(ref).toLowerCase();
  }

  /**
   * The link of a feed, for someone signed in: its path under the plugin's
   * base URL, with the token that opens it without a Backstage token when
   * feed links are configured (glidepath.calendar.feeds.secret).
   */
  async feedLink(options: {
    owner?: string;
    credentials: BackstageCredentials;
  }): Promise<{ path: string; subscribable: boolean }> {
    const owner = this.feedOwner(options.owner);
    if (owner) await this.ownerEntity(owner, options.credentials);
    const query = new URLSearchParams();
    if (owner) query.set('owner', owner);
    const secret = this.deps.feedSecret;
    if (secret) query.set('token', feedToken(secret, { owner }));
    const text = query.toString();
    return {
      path: `/calendar/feed.ics${text ? `?${text}` : ''}`,
      subscribable: Boolean(secret),
    };
  }

  private async ownerEntity(
    owner: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.deps.catalog.getEntityByRef(owner, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`No owner ${owner} in the catalog`);
    return entity;
  }

  /**
   * An iCalendar feed: the organisation's (every window and train), or an
   * owner's (those whose scope applies to the owner's entities, and the
   * organisation's and environments'). Opened with the link's token (then
   * Glidepath reads the catalog with its own credentials) or, without a
   * token, with the caller's Backstage credentials.
   */
  async feed(options: {
    owner?: string;
    token?: string;
    credentials: () => Promise<BackstageCredentials>;
  }): Promise<{ name: string; text: string }> {
    const owner = this.feedOwner(options.owner);
    let credentials: BackstageCredentials;
    if (options.token !== undefined) {
      const secret = this.deps.feedSecret;
      if (!secret || !this.deps.auth) {
        throw new AuthenticationError(
          'Calendar feed links are not enabled here (glidepath.calendar.feeds.secret); send a Backstage token instead',
        );
      }
      if (!feedTokenValid(secret, { owner }, options.token)) {
        throw new AuthenticationError(
          `This calendar feed link is not valid for ${
            owner ?? 'the organisation'
          } (it may have been revoked by a new secret); copy it again from the Release calendar page`,
        );
      }
      credentials = await this.deps.auth.getOwnServiceCredentials();
    } else {
      credentials = await options.credentials();
    }
    const [windows, trains] = await Promise.all([
      this.listWindows(),
      this.allTrains(),
    ]);
    if (!owner) {
      return {
        name: 'Release calendar',
        text: calendarFeed({ name: 'Release calendar', windows, trains }),
      };
    }
    const ownerEntity = await this.ownerEntity(owner, credentials);
    const applies = await this.ownerScopes(owner, windows, trains, credentials);
    const title =
      (ownerEntity.spec?.profile as { displayName?: string } | undefined)
        ?.displayName ??
      ownerEntity.metadata.title ??
      ownerEntity.metadata.name;
    const name = `Release calendar: ${title}`;
    return {
      name,
      text: calendarFeed({
        name,
        windows: windows.filter(w => applies(w.scope)),
        trains: trains.filter(t => applies(t.scope)),
      }),
    };
  }

  /**
   * Whether a scope applies to an owner's entities: the organisation's and
   * environments' always; an owner's when it is this one; an entity's,
   * system's or domain's when the owner owns it or one of its entities is
   * part of it.
   */
  private async ownerScopes(
    owner: string,
    windows: readonly FreezeWindow[],
    trains: readonly StoredReleaseTrain[],
    credentials: BackstageCredentials,
  ): Promise<(scope: CalendarScope) => boolean> {
    const { items } = await this.deps.catalog.getEntities(
      { filter: { 'relations.ownedBy': owner } },
      { credentials },
    );
    const refs = new Set<string>([owner]);
    const systems = new Set<string>();
    for (const entity of items) {
      const namespace = entity.metadata.namespace ?? 'default';
      refs.add(entityKey(entity).toLowerCase());
      const system = relationRef(entity.spec?.system, 'system', namespace);
      if (system) {
        refs.add(system);
        systems.add(system);
      }
      const domain = relationRef(entity.spec?.domain, 'domain', namespace);
      if (domain) refs.add(domain);
      if (entity.kind.toLowerCase() === 'system') {
        systems.add(entityKey(entity).toLowerCase());
      }
    }
    const needDomain = [...windows, ...trains].some(
      w => w.scope.kind === 'domain',
    );
    if (needDomain && systems.size) {
      const { items: systemEntities } =
        await this.deps.catalog.getEntitiesByRefs(
          { entityRefs: [...systems] },
          { credentials },
        );
      for (const system of systemEntities) {
        if (!system) continue;
        const domain = relationRef(
          system.spec?.domain,
          'domain',
          system.metadata.namespace ?? 'default',
        );
        if (domain) refs.add(domain);
      }
    }
    return scope => {
      if (scope.kind === 'organisation' || scope.kind === 'environment') {
        return true;
      }
      const ref = relationRef(
        scope.ref,
        SCOPE_DEFAULT_KIND[scope.kind] ?? scope.kind,
        'default',
      );
      return ref !== undefined && refs.has(ref);
    };
  }

  /** Break-glass: lets one release be promoted and resumed during a freeze. */
  async overrideFreeze(options: {
    releaseId: string;
    request: FreezeOverrideRequest;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<FreezeOverride> {
    const { releaseId, request } = options;
    return audited(
      this.deps.auditor,
      {
        eventId: 'freeze-override',
        severityLevel: 'high',
        request: options.httpRequest,
        meta: { releaseId, reason: request?.reason ?? null },
      },
      async () => {
        const reason = request?.reason?.trim();
        if (!reason) {
          throw new InputError(
            'A reason is required to break a freeze: say why this release may go on now',
          );
        }
        const { actor, credentials } = await options.caller();
        const release = await this.deps.releases.getRelease(releaseId);
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
          permission: glidepathFreezeOverridePermission,
          refusal:
            'You may not break a release freeze (glidepath.freeze.override)',
        });
        const state = await this.stateOf(release, entity, credentials);
        const override = await this.deps.store.setOverride({
          releaseId,
          entityRef: release.entityRef,
          by: actor,
          reason,
          windowId: state.windowId,
          at: this.now(),
        });
        return {
          result: override,
          meta: { entityRef: release.entityRef, frozen: state.closed },
        };
      },
    );
  }
}

/**
 * The state of a release frozen by a spent error budget: closed with the
 * budget's reason, with no known time it opens (when the budget recovers);
 * the windows' next freeze as it was.
 */
function budgetState(budget: ErrorBudget, open: CalendarState): CalendarState {
  const reason = budget.reason ?? 'the error budget is spent';
  return {
    closed: true,
    reason: `${reason[0].toUpperCase()}${reason.slice(1)}`,
    windowId: null,
    nextOpen: null,
    nextClose: open.nextClose,
    nextCloseReason: open.nextCloseReason,
  };
}

function emptyTarget(release: Release): CalendarTarget {
  return { entityRef: release.entityRef, environment: release.environment };
}
