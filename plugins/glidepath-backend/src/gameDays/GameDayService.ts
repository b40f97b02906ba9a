import type {
  AuditorService,
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  Drill,
  DrillTeamStats,
  DrillTeamStatsList,
  GameDay,
  GameDayOutcomeRequest,
  GameDayRequest,
  glidepathReleaseControlPermission,
  ProductionOverride,
} from '@glidepath/backstage-plugin-common';
import type { Request } from 'express';
import type { AnalysisStore } from '../analysis/AnalysisStore';
import { DrillService, publicDrill } from '../drills/DrillService';
import type { ActionStore } from '../releases/ActionStore';
import type { ReleaseStore } from '../releases/ReleaseStore';
import { audited, requirePermission } from '../shared/authorize';
import type { Caller } from '../shared/caller';
import { errorMessage } from '../shared/errors';
import type {
  GameDayStore,
  PlannedFault,
  StoredDrill,
  StoredGameDay,
} from './GameDayStore';
import {
  checkHypothesis,
  faultCarrier,
  gameDayHeld,
  measureDrill,
  median,
  parseHypothesis,
} from './timings';
import { requireIdempotencyKey } from '../shared/idempotencyKey';

/** A drill without a release this long after it was asked for expires. */
export const DRILL_EXPIRY_SECONDS = 24 * 3600;

const DAY_MS = 24 * 3600 * 1000;
const PERIOD_DAYS = 30;

function readRef(value: unknown, field: string, defaultKind: string): string {
  if (typeof value !== 'string' || !value.trim()) {
    throw new InputError(`${field} must be an entity ref`);
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind,
        defaultNamespace: 'default',
      }),
    );
  } catch (error) {
    throw new InputError(`${field}: ${errorMessage(error)}`);
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * Game days as records (issue 20): a facilitator, participants, services,
 * a time, faults and a hypothesis. At its time each fault becomes a drill
 * through {@link DrillService}; the drills' timings are then read from the
 * releases, analyses and actions Glidepath stores (see timings.ts), and the
 * facilitator writes the outcome.
 */
export class GameDayService {
  constructor(
    private readonly deps: {
      store: GameDayStore;
      drills: DrillService;
      releases: ReleaseStore;
      analyses: AnalysisStore;
      actions: ActionStore;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      auditor: AuditorService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** `POST /game-days`. */
  async createGameDay(options: {
    request: GameDayRequest;
    idempotencyKey: string | undefined;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<{ gameDay: GameDay; created: boolean }> {
    const { request } = options;
    return audited(
      this.deps.auditor,
      {
        eventId: 'game-day-create',
        severityLevel: request?.productionOverride ? 'high' : 'medium',
        request: options.httpRequest,
        meta: {
          title: request?.title ?? null,
          scheduledAt: request?.scheduledAt ?? null,
          services: (request?.faults ?? []).map(f => f.service),
          productionOverride: request?.productionOverride?.reason ?? null,
        },
      },
      async () => {
        const key = requireIdempotencyKey(
          options.idempotencyKey,
          'intended game day',
        );
        const title = request.title.trim();
        if (!title) throw new InputError('title must not be blank');
        const hypothesis = request.hypothesis.trim();
        if (!hypothesis) throw new InputError('hypothesis must not be blank');
        const scheduledAt = new Date(request.scheduledAt);
        if (Number.isNaN(scheduledAt.getTime())) {
          throw new InputError(
            `scheduledAt must be a date and time, not "${request.scheduledAt}"`,
          );
        }
        const facilitator = readRef(request.facilitator, 'facilitator', 'user');
        if (
          parseEntityRef(facilitator).kind.toLocaleLowerCase('en-US') !== 'user'
        ) {
          throw new InputError(
            `facilitator must be a user, not ${facilitator}`,
          );
        }
        const participants = unique(
          (request.participants ?? []).map((p, i) =>
            readRef(p, `participants[${i}]`, 'user'),
          ),
        );
        const faults: PlannedFault[] = request.faults.map((f, i) => ({
          service: readRef(f.service, `faults[${i}].service`, 'component'),
          fault: f.fault,
          environment: f.environment ?? null,
        }));
        const services = unique([
          ...(request.services ?? []).map((s, i) =>
            readRef(s, `services[${i}]`, 'component'),
          ),
          ...faults.map(f => f.service),
        ]);

        const caller = await options.caller();
        const { credentials } = caller;
        for (const ref of [facilitator, ...participants]) {
          const found = await this.deps.catalog.getEntityByRef(ref, {
            credentials,
          });
          if (!found) {
            throw new InputError(
              `${
                ref === facilitator ? 'facilitator' : 'participant'
              } ${ref} is not in the catalog`,
            );
          }
        }
        const entities = new Map<string, Entity>();
        for (const ref of services) {
          entities.set(
            ref,
            await this.deps.drills.readEntity(ref, credentials),
          );
        }
        let override: ProductionOverride | null = null;
        for (const ref of services) {
          const entity = entities.get(ref)!;
          const ofService = faults.filter(f => f.service === ref);
          if (!ofService.length) {
            await requirePermission(this.deps.permissions, {
              permission: glidepathReleaseControlPermission,
              entityRef: ref,
              credentials,
              refusal: `You are not allowed to run drills on releases of ${ref}`,
            });
          }
          for (const fault of ofService) {
            const plan = await this.deps.drills.planDrill({
              entity,
              environment: fault.environment ?? undefined,
              productionOverride: request.productionOverride,
              caller,
            });
            override = override ?? plan.override;
          }
        }
        const { gameDay, created } = await this.deps.store.createGameDay({
          title,
          facilitator,
          participants,
          services,
          faults,
          hypothesis,
          scheduledAt: scheduledAt.toISOString(),
          productionOverride: override,
          createdBy: caller.actor,
          createdAt: this.now(),
          idempotencyKey: `${caller.actor.kind}:${caller.actor.ref}|${key}`,
        });
        return {
          result: { gameDay: await this.view(gameDay), created },
          meta: {
            gameDayId: gameDay.id,
            created,
            by: `${caller.actor.kind}:${caller.actor.ref}`,
          },
        };
      },
    );
  }

  /** `GET /game-days`: those with a service the caller can read. */
  async listGameDays(options: {
    limit: number;
    credentials: BackstageCredentials;
  }): Promise<GameDay[]> {
    const stored = await this.deps.store.listGameDays({ limit: options.limit });
    const refs = unique(stored.flatMap(g => g.services));
    const readable = await this.readable(refs, options.credentials);
    const visible = stored.filter(g => g.services.some(s => readable.has(s)));
    const drills = await this.deps.store.listDrills({
      gameDayIds: visible.map(g => g.id),
      limit: 10_000,
    });
    return visible.map(g =>
      this.viewWith(
        g,
        drills.filter(d => d.gameDayId === g.id),
      ),
    );
  }

  /** `GET /game-days/{id}`. */
  async getGameDay(options: {
    id: string;
    credentials: BackstageCredentials;
  }): Promise<GameDay> {
    const gameDay = await this.deps.store.getGameDay(options.id);
    const readable = gameDay
      ? await this.readable(gameDay.services, options.credentials)
      : new Set<string>();
    if (!gameDay || !gameDay.services.some(s => readable.has(s))) {
      throw new NotFoundError(`No game day ${options.id}`);
    }
    return this.view(gameDay);
  }

  /** `PUT /game-days/{id}/outcome`. */
  async setOutcome(options: {
    id: string;
    request: GameDayOutcomeRequest;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<GameDay> {
    const { request } = options;
    return audited(
      this.deps.auditor,
      {
        eventId: 'game-day-outcome',
        severityLevel: 'low',
        request: options.httpRequest,
        meta: { gameDayId: options.id },
      },
      async () => {
        const learnt = request.learnt.trim();
        if (!learnt) throw new InputError('learnt must not be blank');
        const followUps = request.followUps.map((f, i) => {
          const title = f.title.trim();
          if (!title) {
            throw new InputError(`followUps[${i}].title must not be blank`);
          }
          let url: URL;
          try {
            url = new URL(f.url.trim());
          } catch {
            throw new InputError(
              `followUps[${i}].url must be an http(s) link, not "${f.url}"`,
            );
          }
          if (url.protocol !== 'http:' && url.protocol !== 'https:') {
            throw new InputError(
              `followUps[${i}].url must be an http(s) link, not "${f.url}"`,
            );
          }
          return { title, url: url.toString() };
        });
        const caller = await options.caller();
        const gameDay = await this.deps.store.getGameDay(options.id);
        if (!gameDay) throw new NotFoundError(`No game day ${options.id}`);
        if (!(await this.mayWriteOutcome(gameDay, caller))) {
          throw new NotAllowedError(
            `Only the facilitator (${gameDay.facilitator}) or someone who may steer every service of the game day may write its outcome`,
          );
        }
        await this.deps.store.setOutcome(gameDay.id, {
          learnt,
          followUps,
          by: caller.actor,
          at: this.now().toISOString(),
        });
        return {
          result: await this.view(
            (await this.deps.store.getGameDay(gameDay.id))!,
          ),
          meta: { by: `${caller.actor.kind}:${caller.actor.ref}` },
        };
      },
    );
  }

  private async mayWriteOutcome(
    gameDay: StoredGameDay,
    caller: Caller,
  ): Promise<boolean> {
    if (
      caller.actor.kind === 'user' &&
      caller.actor.ref === gameDay.facilitator
    ) {
      return true;
    }
    const decisions = await this.deps.permissions.authorize(
      gameDay.services.map(resourceRef => ({
        permission: glidepathReleaseControlPermission,
        resourceRef,
      })),
      { credentials: caller.credentials },
    );
    return (
      decisions.length > 0 &&
      decisions.every(d => d.result === AuthorizeResult.ALLOW)
    );
  }

  /** `GET /entities/{kind}/{namespace}/{name}/drill-history`. */
  async listEntityDrills(options: {
    entityRef: string;
    limit: number;
    credentials: BackstageCredentials;
  }): Promise<Drill[]> {
    const entity = await this.deps.drills.readEntity(
      options.entityRef,
      options.credentials,
    );
    const drills = await this.deps.store.listDrills({
      entityRef: stringifyEntityRef(entity),
      limit: options.limit,
    });
    return drills.map(publicDrill);
  }

  /** `GET /drills/teams`: per owning team, the drills of the last days. */
  async teamStats(options: {
    days: number;
    credentials: BackstageCredentials;
  }): Promise<DrillTeamStatsList> {
    const to = this.now();
    const from = new Date(to.getTime() - options.days * DAY_MS);
    const all = await this.deps.store.listDrills({
      since: from,
      limit: 10_000,
    });
    const readable = await this.readable(
      unique(all.map(d => d.entityRef)),
      options.credentials,
    );
    const drills = all.filter(d => readable.has(d.entityRef));
    const byTeam = new Map<string, StoredDrill[]>();
    for (const drill of drills) {
      const team = drill.ownerRef ?? 'unowned';
      byTeam.set(team, [...(byTeam.get(team) ?? []), drill]);
    }
    const titles = await this.titles([...byTeam.keys()], options.credentials);
    const periods = Math.ceil(options.days / PERIOD_DAYS);
    const teams: DrillTeamStats[] = [...byTeam.entries()].map(
      ([teamRef, teamDrills]) => ({
        teamRef,
        teamTitle: titles.get(teamRef) ?? null,
        drills: teamDrills.map(publicDrill),
        ...medians(teamDrills),
        periods: Array.from({ length: periods }, (_, i) => {
          const end = new Date(
            to.getTime() - (periods - 1 - i) * PERIOD_DAYS * DAY_MS,
          );
          const start = new Date(
            Math.max(from.getTime(), end.getTime() - PERIOD_DAYS * DAY_MS),
          );
          const inPeriod = teamDrills.filter(d => {
            const t = Date.parse(d.requestedAt);
            return (
              t >= start.getTime() &&
              t < end.getTime() + (i === periods - 1 ? 1 : 0)
            );
          });
          return {
            from: start.toISOString(),
            to: end.toISOString(),
            drills: inPeriod.length,
            ...medians(inPeriod),
          };
        }),
      }),
    );
    teams.sort(
      (a, b) =>
        b.drills.length - a.drills.length || a.teamRef.localeCompare(b.teamRef),
    );
    return { from: from.toISOString(), to: to.toISOString(), teams };
  }

  /**
   * One run of the game-day task: the faults of the game days whose time
   * has come become drills, and every unfinished drill's timings are read
   * again from the stored releases, analyses and actions.
   */
  async runOnce(): Promise<{ started: number; measured: number }> {
    let started = 0;
    for (const gameDay of await this.deps.store.listDueGameDays(this.now())) {
      try {
        started += await this.startDrills(gameDay);
      } catch (error) {
        this.deps.logger.warn(
          `Glidepath could not start the drills of game day ${
            gameDay.id
          }: ${errorMessage(error)}`,
        );
      }
    }
    let measured = 0;
    for (const drill of await this.deps.store.listUnfinishedDrills()) {
      try {
        if (await this.measure(drill)) measured += 1;
      } catch (error) {
        this.deps.logger.warn(
          `Glidepath could not read the timings of drill ${
            drill.id
          }: ${errorMessage(error)}`,
        );
      }
    }
    return { started, measured };
  }

  private async startDrills(gameDay: StoredGameDay): Promise<number> {
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    let started = 0;
    for (const [faultIndex, fault] of gameDay.faults.entries()) {
      const entity = await this.deps.catalog.getEntityByRef(fault.service, {
        credentials,
      });
      const reason = `Game day "${gameDay.title}", facilitated by ${gameDay.facilitator}`;
      if (!entity) {
        await this.deps.store.createDrill({
          entityRef: fault.service,
          ownerRef: null,
          environment: fault.environment ?? 'unknown',
          fault: fault.fault,
          gameDay: { id: gameDay.id, faultIndex },
          provider: 'none',
          simulated: false,
          reason,
          requestedBy: gameDay.createdBy,
          requestedAt: this.now(),
          productionOverride: null,
          state: 'refused',
          stateReason: `${fault.service} is no longer in the catalog`,
        });
        continue;
      }
      const environment = this.deps.drills.environmentOf(
        entity,
        fault.environment ?? undefined,
      );
      const { drill } = await this.deps.drills.startDrill({
        entity,
        plan: {
          entityRef: stringifyEntityRef(entity),
          environment,
          production: this.deps.drills.isProductionEnvironment(environment),
          override: gameDay.productionOverride,
        },
        fault: fault.fault,
        reason,
        actor: gameDay.createdBy,
        gameDay: { id: gameDay.id, faultIndex },
      });
      if (drill.state === 'waiting') started += 1;
    }
    await this.deps.store.markDrillsScheduled(gameDay.id, this.now());
    return started;
  }

  private async measure(drill: StoredDrill): Promise<boolean> {
    const { items } = await this.deps.releases.listReleases({
      entityRef: drill.entityRef,
      environment: drill.environment,
      limit: 50,
    });
    const release = faultCarrier(drill.requestedAt, items);
    const analyses = release
      ? await this.deps.analyses.listAnalyses(release.id, 500)
      : [];
    const actions = release
      ? await this.deps.actions.listActions({
          releaseId: release.id,
          limit: 50,
        })
      : [];
    const timings = measureDrill({
      entityRef: drill.entityRef,
      requestedAt: drill.requestedAt,
      release,
      analyses,
      actions,
      now: this.now().toISOString(),
      expireAfterSeconds: DRILL_EXPIRY_SECONDS,
    });
    const changed = (Object.keys(timings) as Array<keyof typeof timings>).some(
      k => timings[k] !== drill[k],
    );
    if (!changed) return false;
    return this.deps.store.updateDrill(drill.id, drill.revision, timings);
  }

  private async view(gameDay: StoredGameDay): Promise<GameDay> {
    const drills = await this.deps.store.listDrills({
      gameDayIds: [gameDay.id],
      limit: 1000,
    });
    return this.viewWith(gameDay, drills);
  }

  private viewWith(gameDay: StoredGameDay, drills: StoredDrill[]): GameDay {
    const hypothesis = parseHypothesis(gameDay.hypothesis);
    const faults = gameDay.faults.map((fault, index) => {
      const drill = drills.find(d => d.gameDayFaultIndex === index) ?? null;
      return {
        service: fault.service,
        fault: fault.fault,
        environment: fault.environment,
        drill: drill ? publicDrill(drill) : null,
        hypothesis: checkHypothesis(hypothesis, drill),
      };
    });
    const running = faults.some(
      f =>
        !f.drill || f.drill.state === 'waiting' || f.drill.state === 'running',
    );
    let state: GameDay['state'] = 'finished';
    if (!gameDay.drillsScheduledAt) state = 'scheduled';
    else if (running) state = 'running';
    return {
      id: gameDay.id,
      title: gameDay.title,
      facilitator: gameDay.facilitator,
      participants: gameDay.participants,
      services: gameDay.services,
      scheduledAt: gameDay.scheduledAt,
      hypothesis: gameDay.hypothesis,
      hypothesisLimitSeconds: hypothesis.limitSeconds,
      hypothesisNeedsNotification: hypothesis.needsNotification,
      state,
      faults,
      hypothesisHeld: gameDayHeld(faults.map(f => f.hypothesis)),
      outcome: gameDay.outcome,
      productionOverride: gameDay.productionOverride,
      createdBy: gameDay.createdBy,
      createdAt: gameDay.createdAt,
    };
  }

  private async readable(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Set<string>> {
    if (!refs.length) return new Set();
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      {
        entityRefs: refs,
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    return new Set(items.flatMap(e => (e ? [stringifyEntityRef(e)] : [])));
  }

  private async titles(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<Map<string, string>> {
    const known = refs.filter(r => r !== 'unowned');
    if (!known.length) return new Map();
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      { entityRefs: known },
      { credentials },
    );
    const titles = new Map<string, string>();
    items.forEach((e, i) => {
      const title =
        (e?.spec as { profile?: { displayName?: string } } | undefined)?.profile
          ?.displayName ?? e?.metadata.title;
      if (title) titles.set(known[i], title);
    });
    return titles;
  }
}

function medians(drills: StoredDrill[]) {
  return {
    medianDetectSeconds: median(
      drills.flatMap(d =>
        d.timeToDetectSeconds === null ? [] : [d.timeToDetectSeconds],
      ),
    ),
    medianRecoverSeconds: median(
      drills.flatMap(d =>
        d.timeToRecoverSeconds === null ? [] : [d.timeToRecoverSeconds],
      ),
    ),
  };
}
