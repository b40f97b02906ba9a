import { ResponseError } from '@backstage/errors';
import type { operations } from './schema/openapi.generated';
import type { DoraBucket } from './dora';
import type {
  ActionRequest,
  CalendarFeedLink,
  Checklist,
  ChecklistRequest,
  Drill,
  DrillRequest,
  DrillScheduled,
  DrillTeamStatsList,
  GameDay,
  GameDayOutcomeRequest,
  GameDayRequest,
  DependencyGraph,
  DoraReportSummary,
  DoraResponse,
  DoraWeeklyReport,
  EntityCalendar,
  EntityFlags,
  EntityReleaseSummary,
  Flag,
  FlagAction,
  FlagArchiveRequest,
  FlagCoverage,
  FlagKeepRequest,
  FlagList,
  FlagState,
  FlagSummary,
  FreezeOverride,
  FreezeOverrideRequest,
  FreezeWindow,
  FreezeWindowRequest,
  ReleaseFix,
  ReleaseFixRequest,
  Plan,
  PlanControl,
  PlanControlRequest,
  PlanRequest,
  GraphCheckResult,
  GraphDirection,
  ProposedChange,
  ReleaseAction,
  ReleaseDetail,
  ReleaseMetricsResponse,
  ReleaseTrain,
  ReleasesInFlight,
  ReleasePage,
  RollbackGateOverrideRequest,
  RollbackGate,
  RollbackPolicy,
  RollbackTest,
  RollbackTestRequest,
} from './types';

type JsonOf<
  O extends keyof operations,
  S extends keyof operations[O]['responses'],
> = operations[O]['responses'][S] extends {
  content: { 'application/json': infer T };
}
  ? T
  : never;

/** What the client needs from Backstage's discovery and fetch APIs. @public */
export type GlidepathClientOptions = {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi?: { fetch: typeof fetch };
};

/** An entity as the API addresses it. @public */
export type EntityName = { kind: string; namespace: string; name: string };

/**
 * What a dependency graph is asked for: around `entity`, of a `system`,
 * `domain` or `owner`, or of the whole catalog when none is given.
 * @public
 */
export type GraphQuery = {
  entity?: string;
  system?: string;
  domain?: string;
  owner?: string;
  depth?: number;
  direction?: GraphDirection;
  kind?: string[];
  lifecycle?: string[];
};

/**
 * What DORA measures are asked for: of an `entity`, an `owner`'s entities,
 * a `system`'s, or the whole organisation when none is given; from and to
 * as dates or date-times (default: the last 182 days).
 * @public
 */
export type DoraQuery = {
  entity?: string;
  owner?: string;
  system?: string;
  from?: string;
  to?: string;
  bucket?: DoraBucket;
  groupBy?: 'owner' | 'entity';
};

/**
 * Which release metrics are asked for: of an `entity`, an `owner`'s
 * entities, a `system`'s, or the whole organisation when none is given;
 * from and to as dates or date-times (default: the last 182 days).
 * @public
 */
export type ReleaseMetricsQuery = Omit<DoraQuery, 'groupBy'>;

/**
 * Which flags are asked for: of these owners, entities and states (each
 * optional, several allowed), a page of them.
 * @public
 */
export type FlagQuery = {
  owner?: string[];
  entity?: string[];
  state?: FlagState[];
  limit?: number;
  offset?: number;
};

/** Glidepath's REST API. @public */
export interface GlidepathApi {
  getEntityReleaseSummary(entity: EntityName): Promise<EntityReleaseSummary>;
  /** The entity's releases, newest first; of one environment when given. */
  listEntityReleases(
    entity: EntityName,
    options?: { limit?: number; cursor?: string; environment?: string },
  ): Promise<ReleasePage>;
  getRelease(releaseId: string): Promise<ReleaseDetail>;
  /** The releases in flight across the catalog, newest first. */
  listReleasesInFlight(options?: { limit?: number }): Promise<ReleasesInFlight>;
  createReleaseAction(
    releaseId: string,
    request: ActionRequest,
    options: { idempotencyKey: string },
  ): Promise<ReleaseAction>;
  getReleaseAction(actionId: string): Promise<ReleaseAction>;
  /** Attaches a checklist to the entity's current or next release. */
  createChecklist(
    entity: EntityName,
    request: ChecklistRequest,
    options: { idempotencyKey: string },
  ): Promise<Checklist>;
  getChecklist(checklistId: string): Promise<Checklist>;
  /** Checks or unchecks one item; returns the checklist after the change. */
  setChecklistItem(
    checklistId: string,
    itemId: string,
    change: { checked: boolean; note?: string },
  ): Promise<Checklist>;
  /** A rollback policy as the engine applies it. */
  getRollbackPolicy(name: string): Promise<RollbackPolicy>;
  /** The entity's rollback tests, newest first; of one environment when given. */
  listRollbackTests(
    entity: EntityName,
    options?: { environment?: string; limit?: number },
  ): Promise<{ items: RollbackTest[] }>;
  /**
   * Runs a rollback test now in a non-production environment (the first in
   * promotion order unless the request names one).
   */
  runRollbackTest(
    entity: EntityName,
    request: RollbackTestRequest,
    options: { idempotencyKey: string },
  ): Promise<RollbackTest>;
  /** Lets a production release go on without a passed rollback test. */
  overrideRollbackGate(
    releaseId: string,
    request: RollbackGateOverrideRequest,
  ): Promise<RollbackGate>;
  /** Injects a fault into the entity's next release (a rollback drill). */
  scheduleDrill(
    entity: EntityName,
    request: DrillRequest,
  ): Promise<DrillScheduled>;
  /** The entity's rollback drills with their timings, newest first. */
  listEntityDrills(
    entity: EntityName,
    options?: { limit?: number },
  ): Promise<{ items: Drill[] }>;
  /** Game days, the latest scheduled first. */
  listGameDays(options?: { limit?: number }): Promise<{ items: GameDay[] }>;
  getGameDay(id: string): Promise<GameDay>;
  /** Records a game day; the same key returns the same one. */
  createGameDay(
    request: GameDayRequest,
    options: { idempotencyKey: string },
  ): Promise<GameDay>;
  /** Writes a game day's outcome (the facilitator, or an admin). */
  setGameDayOutcome(
    id: string,
    request: GameDayOutcomeRequest,
  ): Promise<GameDay>;
  /** Per team, the drills of the last `days` days (90) with their medians. */
  getDrillTeamStats(options?: { days?: number }): Promise<DrillTeamStatsList>;
  getDependencyGraph(query: GraphQuery): Promise<DependencyGraph>;
  checkProposedChanges(changes: ProposedChange[]): Promise<GraphCheckResult>;
  getDora(query: DoraQuery): Promise<DoraResponse>;
  /** The series of a DORA query as CSV, one row per bucket. */
  getDoraCsv(query: DoraQuery): Promise<string>;
  /**
   * The release metrics (rollback-tested share, progressive delivery,
   * rollback time) of a scope, overall and per week or month.
   */
  getReleaseMetrics(
    query: ReleaseMetricsQuery,
  ): Promise<ReleaseMetricsResponse>;
  listDoraReports(options?: {
    owner?: string;
    limit?: number;
  }): Promise<{ items: DoraReportSummary[] }>;
  getDoraReport(reportId: string): Promise<DoraWeeklyReport>;
  listFlags(query?: FlagQuery): Promise<FlagList>;
  getEntityFlags(entity: EntityName): Promise<EntityFlags>;
  getFlagSummary(): Promise<FlagSummary>;
  getFlagCoverage(range?: {
    from?: string;
    to?: string;
  }): Promise<FlagCoverage>;
  keepFlag(
    entity: EntityName,
    flagId: string,
    request: FlagKeepRequest,
  ): Promise<Flag>;
  archiveFlag(
    entity: EntityName,
    flagId: string,
    request: FlagArchiveRequest,
  ): Promise<FlagAction>;
  /** Each environment's freeze state for an entity, and its next trains. */
  getEntityCalendar(entity: EntityName): Promise<EntityCalendar>;
  /** The freeze windows, oldest first. */
  listFreezeWindows(): Promise<{ items: FreezeWindow[] }>;
  /** The release trains with their next slots. */
  listReleaseTrains(): Promise<{ items: ReleaseTrain[] }>;
  /** Adds a freeze window (glidepath.calendar.manage). */
  createFreezeWindow(
    request: FreezeWindowRequest,
    options: { idempotencyKey: string },
  ): Promise<FreezeWindow>;
  deleteFreezeWindow(id: string): Promise<void>;
  /**
   * Marks a release as a fix (glidepath.release.control): it may go out
   * while its service's error budget is spent.
   */
  markReleaseAsFix(
    releaseId: string,
    request: ReleaseFixRequest,
  ): Promise<ReleaseFix>;
  /**
   * Break-glass (glidepath.freeze.override): lets one release be promoted
   * and resumed during a freeze, with a reason; the first override stays.
   */
  overrideFreeze(
    releaseId: string,
    request: FreezeOverrideRequest,
  ): Promise<FreezeOverride>;
  /** The link of the organisation's iCalendar feed, or an owner's. */
  getCalendarFeedLink(options?: {
    owner?: string;
  }): Promise<CalendarFeedLink & { url: string }>;
  /** Release plans: active ones by default, newest first. */
  listPlans(options?: {
    state?: 'active' | 'finished' | 'all';
    entity?: string;
    limit?: number;
  }): Promise<{ items: Plan[] }>;
  getPlan(id: string): Promise<Plan>;
  /** Plans a coordinated release (glidepath.release.control on every member). */
  createPlan(
    request: PlanRequest,
    options: { idempotencyKey: string },
  ): Promise<Plan>;
  /** Pauses, resumes or aborts a plan, or lets it go on during a freeze. */
  controlPlan(
    id: string,
    control: PlanControl,
    request: PlanControlRequest,
  ): Promise<Plan>;
  /** The plans an entity is a member of, active ones first. */
  getEntityPlans(entity: EntityName): Promise<{ items: Plan[] }>;
}

/**
 * A client for Glidepath's REST API. Its request and response types are
 * generated from the OpenAPI spec the backend serves and validates against.
 * @public
 */
export class GlidepathClient implements GlidepathApi {
  private readonly discoveryApi: GlidepathClientOptions['discoveryApi'];
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: GlidepathClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi ?? { fetch: (...a) => fetch(...a) };
  }

  async getEntityReleaseSummary(
    entity: EntityName,
  ): Promise<JsonOf<'GetEntityReleaseSummary', 200>> {
    return this.request(entityPath(entity));
  }

  async listEntityReleases(
    entity: EntityName,
    options: { limit?: number; cursor?: string; environment?: string } = {},
  ): Promise<JsonOf<'ListEntityReleases', 200>> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.cursor !== undefined) query.set('cursor', options.cursor);
    if (options.environment !== undefined) {
      query.set('environment', options.environment);
    }
    const qs = query.toString();
    return this.request(`${entityPath(entity)}/releases${qs ? `?${qs}` : ''}`);
  }

  async getRelease(releaseId: string): Promise<JsonOf<'GetRelease', 200>> {
    return this.request(`/releases/${encodeURIComponent(releaseId)}`);
  }

  async listReleasesInFlight(
    options: { limit?: number } = {},
  ): Promise<JsonOf<'ListReleasesInFlight', 200>> {
    const query = new URLSearchParams({ state: 'in_flight' });
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    return this.request(`/releases?${query}`);
  }

  async createReleaseAction(
    releaseId: string,
    request: ActionRequest,
    options: { idempotencyKey: string },
  ): Promise<JsonOf<'CreateReleaseAction', 202>> {
    return this.request(`/releases/${encodeURIComponent(releaseId)}/actions`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': options.idempotencyKey,
      },
      body: JSON.stringify(request),
    });
  }

  async getReleaseAction(
    actionId: string,
  ): Promise<JsonOf<'GetReleaseAction', 200>> {
    return this.request(`/actions/${encodeURIComponent(actionId)}`);
  }

  async getDependencyGraph(
    query: GraphQuery,
  ): Promise<JsonOf<'GetDependencyGraph', 200>> {
    const params = new URLSearchParams();
    for (const key of ['entity', 'system', 'domain', 'owner'] as const) {
      const value = query[key];
      if (value) params.set(key, value);
    }
    if (query.depth !== undefined) params.set('depth', String(query.depth));
    if (query.direction) params.set('direction', query.direction);
    for (const kind of query.kind ?? []) params.append('kind', kind);
    for (const lifecycle of query.lifecycle ?? []) {
      params.append('lifecycle', lifecycle);
    }
    const qs = params.toString();
    return this.request(`/graph${qs ? `?${qs}` : ''}`);
  }

  async checkProposedChanges(
    changes: ProposedChange[],
  ): Promise<JsonOf<'CheckProposedChanges', 200>> {
    return this.request('/graph/check', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ changes }),
    });
  }

  async getDora(query: DoraQuery): Promise<JsonOf<'GetDora', 200>> {
    return this.request(`/dora${doraQueryString(query)}`);
  }

  async getDoraCsv(query: DoraQuery): Promise<string> {
    const response = await this.fetchRaw(
      `/dora${doraQueryString({ ...query }, 'csv')}`,
    );
    return response.text();
  }

  async getReleaseMetrics(
    query: ReleaseMetricsQuery,
  ): Promise<JsonOf<'GetReleaseMetrics', 200>> {
    const { entity, owner, system, from, to, bucket } = query;
    return this.request(
      `/release-metrics${doraQueryString({
        entity,
        owner,
        system,
        from,
        to,
        bucket,
      })}`,
    );
  }

  async listDoraReports(
    options: { owner?: string; limit?: number } = {},
  ): Promise<JsonOf<'ListDoraReports', 200>> {
    const params = new URLSearchParams();
    if (options.owner) params.set('owner', options.owner);
    if (options.limit) params.set('limit', String(options.limit));
    const qs = params.toString();
    return this.request(`/dora/reports${qs ? `?${qs}` : ''}`);
  }

  async createChecklist(
    entity: EntityName,
    request: ChecklistRequest,
    options: { idempotencyKey: string },
  ): Promise<JsonOf<'CreateChecklist', 201>> {
    return this.request(`${entityPath(entity)}/checklists`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': options.idempotencyKey,
      },
      body: JSON.stringify(request),
    });
  }

  async getChecklist(
    checklistId: string,
  ): Promise<JsonOf<'GetChecklist', 200>> {
    return this.request(`/checklists/${encodeURIComponent(checklistId)}`);
  }

  async setChecklistItem(
    checklistId: string,
    itemId: string,
    change: { checked: boolean; note?: string },
  ): Promise<JsonOf<'SetChecklistItem', 200>> {
    return this.request(
      `/checklists/${encodeURIComponent(
        checklistId,
      )}/items/${encodeURIComponent(itemId)}`,
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(change),
      },
    );
  }

  async scheduleDrill(
    entity: EntityName,
    request: DrillRequest,
  ): Promise<JsonOf<'ScheduleDrill', 202>> {
    return this.request(`${entityPath(entity)}/drills`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  async listEntityDrills(
    entity: EntityName,
    options: { limit?: number } = {},
  ): Promise<JsonOf<'ListEntityDrills', 200>> {
    const qs =
      options.limit !== undefined ? `?limit=${String(options.limit)}` : '';
    return this.request(`${entityPath(entity)}/drill-history${qs}`);
  }

  async listGameDays(
    options: { limit?: number } = {},
  ): Promise<JsonOf<'ListGameDays', 200>> {
    const qs =
      options.limit !== undefined ? `?limit=${String(options.limit)}` : '';
    return this.request(`/game-days${qs}`);
  }

  async getGameDay(id: string): Promise<JsonOf<'GetGameDay', 200>> {
    return this.request(`/game-days/${encodeURIComponent(id)}`);
  }

  async createGameDay(
    request: GameDayRequest,
    options: { idempotencyKey: string },
  ): Promise<JsonOf<'CreateGameDay', 201>> {
    return this.request('/game-days', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': options.idempotencyKey,
      },
      body: JSON.stringify(request),
    });
  }

  async setGameDayOutcome(
    id: string,
    request: GameDayOutcomeRequest,
  ): Promise<JsonOf<'SetGameDayOutcome', 200>> {
    return this.request(`/game-days/${encodeURIComponent(id)}/outcome`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  async getDrillTeamStats(
    options: { days?: number } = {},
  ): Promise<JsonOf<'GetDrillTeamStats', 200>> {
    const qs =
      options.days !== undefined ? `?days=${String(options.days)}` : '';
    return this.request(`/drills/teams${qs}`);
  }

  async listRollbackTests(
    entity: EntityName,
    options: { environment?: string; limit?: number } = {},
  ): Promise<JsonOf<'ListRollbackTests', 200>> {
    const query = new URLSearchParams();
    if (options.environment !== undefined) {
      query.set('environment', options.environment);
    }
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    const qs = query.toString();
    return this.request(
      `${entityPath(entity)}/rollback-tests${qs ? `?${qs}` : ''}`,
    );
  }

  async runRollbackTest(
    entity: EntityName,
    request: RollbackTestRequest,
    options: { idempotencyKey: string },
  ): Promise<JsonOf<'RunRollbackTest', 202>> {
    return this.request(`${entityPath(entity)}/rollback-tests`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': options.idempotencyKey,
      },
      body: JSON.stringify(request),
    });
  }

  async overrideRollbackGate(
    releaseId: string,
    request: RollbackGateOverrideRequest,
  ): Promise<JsonOf<'OverrideRollbackGate', 200>> {
    return this.request(
      `/releases/${encodeURIComponent(releaseId)}/rollback-gate/override`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      },
    );
  }

  async getRollbackPolicy(
    name: string,
  ): Promise<JsonOf<'GetRollbackPolicy', 200>> {
    return this.request(`/policies/${encodeURIComponent(name)}`);
  }

  async getDoraReport(reportId: string): Promise<JsonOf<'GetDoraReport', 200>> {
    return this.request(`/dora/reports/${encodeURIComponent(reportId)}`);
  }

  async listFlags(query: FlagQuery = {}): Promise<JsonOf<'ListFlags', 200>> {
    const params = new URLSearchParams();
    for (const key of ['owner', 'entity', 'state'] as const) {
      for (const value of query[key] ?? []) params.append(key, value);
    }
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.offset !== undefined) params.set('offset', String(query.offset));
    const qs = params.toString();
    return this.request(`/flags${qs ? `?${qs}` : ''}`);
  }

  async getFlagCoverage(
    range: { from?: string; to?: string } = {},
  ): Promise<JsonOf<'GetFlagCoverage', 200>> {
    const params = new URLSearchParams();
    if (range.from) params.set('from', range.from);
    if (range.to) params.set('to', range.to);
    const qs = params.toString();
    return this.request(`/flags/coverage${qs ? `?${qs}` : ''}`);
  }

  async getFlagSummary(): Promise<JsonOf<'GetFlagSummary', 200>> {
    return this.request('/flags/summary');
  }

  async getEntityFlags(
    entity: EntityName,
  ): Promise<JsonOf<'GetEntityFlags', 200>> {
    return this.request(`${entityPath(entity)}/flags`);
  }

  async keepFlag(
    entity: EntityName,
    flagId: string,
    request: FlagKeepRequest,
  ): Promise<JsonOf<'KeepFlag', 200>> {
    return this.request(
      `${entityPath(entity)}/flags/${encodeURIComponent(flagId)}/keep`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      },
    );
  }

  async archiveFlag(
    entity: EntityName,
    flagId: string,
    request: FlagArchiveRequest,
  ): Promise<JsonOf<'ArchiveFlag', 200>> {
    return this.request(
      `${entityPath(entity)}/flags/${encodeURIComponent(flagId)}/archive`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      },
    );
  }

  /** Each environment's freeze state for an entity, and its next trains. */
  async getEntityCalendar(entity: EntityName): Promise<EntityCalendar> {
    return this.request(`${entityPath(entity)}/calendar`);
  }

  async listFreezeWindows(): Promise<{ items: FreezeWindow[] }> {
    return this.request('/calendar/windows');
  }

  async listReleaseTrains(): Promise<{ items: ReleaseTrain[] }> {
    return this.request('/calendar/trains');
  }

  /** Adds a freeze window; a bad rule or timezone throws the server's 400. */
  async createFreezeWindow(
    request: FreezeWindowRequest,
    options: { idempotencyKey: string },
  ): Promise<FreezeWindow> {
    return this.request('/calendar/windows', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': options.idempotencyKey,
      },
      body: JSON.stringify(request),
    });
  }

  async deleteFreezeWindow(id: string): Promise<void> {
    await this.fetchRaw(`/calendar/windows/${encodeURIComponent(id)}`, {
      method: 'DELETE',
    });
  }

  /** Marks a release as a fix; a blank reason throws the server's 400. */
  async markReleaseAsFix(
    releaseId: string,
    request: ReleaseFixRequest,
  ): Promise<ReleaseFix> {
    return this.request(`/releases/${encodeURIComponent(releaseId)}/fix`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  /** Breaks a freeze for one release; a blank reason throws the server's 400. */
  async overrideFreeze(
    releaseId: string,
    request: FreezeOverrideRequest,
  ): Promise<FreezeOverride> {
    return this.request(
      `/releases/${encodeURIComponent(releaseId)}/freeze-override`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      },
    );
  }

  /**
   * The link of the organisation's iCalendar feed, or an owner's: `url` is
   * absolute; `subscribable` says whether calendar apps can open it.
   */
  async getCalendarFeedLink(
    options: { owner?: string } = {},
  ): Promise<CalendarFeedLink & { url: string }> {
    const qs = options.owner
      ? `?owner=${encodeURIComponent(options.owner)}`
      : '';
    const link = await this.request<CalendarFeedLink>(
      `/calendar/feed-link${qs}`,
    );
    const baseUrl = await this.discoveryApi.getBaseUrl('glidepath');
    return { ...link, url: `${baseUrl}${link.path}` };
  }

  async listPlans(
    options: {
      state?: 'active' | 'finished' | 'all';
      entity?: string;
      limit?: number;
    } = {},
  ): Promise<{ items: Plan[] }> {
    const query = new URLSearchParams();
    if (options.state) query.set('state', options.state);
    if (options.entity) query.set('entity', options.entity);
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    const qs = query.toString();
    return this.request(`/plans${qs ? `?${qs}` : ''}`);
  }

  async getPlan(id: string): Promise<Plan> {
    return this.request(`/plans/${encodeURIComponent(id)}`);
  }

  async createPlan(
    request: PlanRequest,
    options: { idempotencyKey: string },
  ): Promise<Plan> {
    return this.request('/plans', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': options.idempotencyKey,
      },
      body: JSON.stringify(request),
    });
  }

  async controlPlan(
    id: string,
    control: PlanControl,
    request: PlanControlRequest,
  ): Promise<Plan> {
    return this.request(
      `/plans/${encodeURIComponent(id)}/${encodeURIComponent(control)}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      },
    );
  }

  async getEntityPlans(entity: EntityName): Promise<{ items: Plan[] }> {
    return this.request(`${entityPath(entity)}/plans`);
  }

  private async fetchRaw(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('glidepath');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.fetchRaw(path, init)).json()) as T;
  }
}

function doraQueryString(query: DoraQuery, format?: 'csv'): string {
  const params = new URLSearchParams();
  for (const key of [
    'entity',
    'owner',
    'system',
    'from',
    'to',
    'bucket',
    'groupBy',
  ] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  if (format) params.set('format', format);
  const qs = params.toString();
  return qs ? `?${qs}` : '';
}

function entityPath(entity: EntityName): string {
  return `/entities/${[entity.kind, entity.namespace, entity.name]
    .map(part => encodeURIComponent(part))
    .join('/')}`;
}
