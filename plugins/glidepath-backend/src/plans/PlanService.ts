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
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  glidepathFreezeOverridePermission,
  glidepathReleaseControlPermission,
  Plan,
  PlanControl,
  PlanControlRequest,
  PlanGates,
  PlanRequest,
  PlanState,
  Release,
} from '@glidepath/backstage-plugin-common';
import type { Request } from 'express';
import type { AnalysisStore } from '../analysis/AnalysisStore';
import type { CalendarService } from '../calendar/CalendarService';
import type { CalendarStore } from '../calendar/CalendarStore';
import type { ChecklistStore } from '../checklists/ChecklistStore';
import type { GraphService } from '../graph/GraphService';
import type { ActionStore } from '../releases/ActionStore';
import type { ReleaseStore } from '../releases/ReleaseStore';
import type { ReleaseSync } from '../releases/ReleaseSync';
import type { ActionSubmitter } from '../releases/submitAction';
import type { RollbackTestService } from '../rollbackTests/RollbackTestService';
import { audited, requirePermission } from '../shared/authorize';
import type { Caller } from '../shared/caller';
import { errorMessage } from '../shared/errors';
import { withCachedEntityReads } from '../shared/cachedEntityReads';
import { withTimeout } from '../shared/timeout';
import { analysisGate } from './gates';
import {
  decidePlan,
  MemberObservation,
  PlanDecision,
  PlanNotice,
  startKeyOf,
} from './lifecycle';
import {
  ACTIVE_PLAN_STATES,
  FINISHED_PLAN_STATES,
  PlanStore,
  PlanWrite,
  StoredPlan,
  StoredPlanMember,
} from './PlanStore';
import { graphProblems, normaliseMembers, planWaves } from './waves';

/** Who acts for a plan in the audit log and on releases. */
export const PLAN_ACTOR = {
  kind: 'policy',
  ref: 'release-plan',
  displayName: 'Release plan',
} as const;

/** The plans' settings (`glidepath.plans`). */
export type PlansSettings = {
  /** How long a release the provider accepted may take to show up. */
  startTimeoutMs: number;
  /** How long a provider call may take. */
  actionTimeoutMs: number;
};

const DEFAULT_GATES: Required<PlanGates> = {
  soakMinutes: 0,
  analysisPassed: true,
  checklistItems: [],
  rollbackTestPassed: true,
};

/** Moves of one plan per run, at most: a run never spins. */
const MAX_MOVES_PER_RUN = 40;

function requireKey(key: string | undefined): string {
  if (!key) {
    throw new InputError(
      'An Idempotency-Key header is required: a retried request then plans once',
    );
  }
  return key;
}

function owners(entity: Entity | undefined): string[] {
  return (entity?.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
}

/**
 * Release plans: made through the API (validated against the catalog, the
 * dependency graph, the calendar and the other active plans), and moved on
 * by one leased task, a write per move conditional on the plan's revision.
 */
export class PlanService {
  constructor(
    private readonly deps: {
      store: PlanStore;
      releases: ReleaseStore;
      actions: ActionStore;
      analyses: AnalysisStore;
      checklists: ChecklistStore;
      sync: ReleaseSync;
      graph: GraphService;
      calendar: CalendarService;
      calendarStore: CalendarStore;
      rollbackTests: RollbackTestService;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      auditor: AuditorService;
      notifications?: NotificationService;
      submit: ActionSubmitter;
      settings: PlansSettings;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.readsForPages = withCachedEntityReads(deps.catalog);
  }

  /**
   * The catalog for what pages poll (a plan's page every 3 s, the Plans tab
   * every 5 s): a caller's reads kept a few seconds. Creating a plan and the
   * executor read the catalog fresh.
   */
  private readonly readsForPages: CatalogService;

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private async serviceCredentials() {
    return this.deps.auth.getOwnServiceCredentials();
  }

  // --- The API -----------------------------------------------------------

  /** A stored plan as the API shows it, with its timeline. */
  private async view(plan: StoredPlan): Promise<Plan> {
    const { revision, pausedFrom, members, ...rest } = plan;
    return {
      ...rest,
      members: members.map(
        ({
          idx,
          provider,
          knownReleaseIds,
          startKey,
          startCalledAt,
          rollbackActionId,
          ...member
        }) => member,
      ),
      events: await this.deps.store.listEvents(plan.id, 200),
    };
  }

  /**
   * A plan, for a caller who may read every one of its members in the
   * catalog (as an entity one cannot read has no releases for one): to
   * others it does not exist.
   */
  async getPlan(id: string, credentials: BackstageCredentials): Promise<Plan> {
    const plan = await this.deps.store.getPlan(id);
    const [readable] = plan ? await this.readable([plan], credentials) : [];
    if (!readable) throw new NotFoundError(`No release plan ${id}`);
    return this.view(readable);
  }

  /**
   * Of the plans, those none of whose members is hidden from the caller: a
   * member the caller cannot read that the catalog still has. A member
   * since removed from the catalog hides nothing (its owners still see
   * what became of their plan).
   */
  private async readable(
    plans: StoredPlan[],
    credentials: BackstageCredentials,
  ): Promise<StoredPlan[]> {
    const key = (ref: string) => ref.toLocaleLowerCase('en-US');
    const refs = [
      ...new Set(plans.flatMap(p => p.members.map(m => key(m.entityRef)))),
    ];
    const fields = ['kind', 'metadata.namespace', 'metadata.name'];
    const unread = async (
      entityRefs: string[],
      as: BackstageCredentials,
    ): Promise<string[]> => {
      if (!entityRefs.length) return [];
      const { items } = await this.readsForPages.getEntitiesByRefs(
        { entityRefs, fields },
        { credentials: as },
      );
      return entityRefs.filter((_, i) => !items[i]);
    };
    const notForCaller = await unread(refs, credentials);
    const gone = new Set(
      await unread(notForCaller, await this.serviceCredentials()),
    );
    const hidden = new Set(notForCaller.filter(ref => !gone.has(ref)));
    return plans.filter(p =>
      p.members.every(m => !hidden.has(key(m.entityRef))),
    );
  }

  async listPlans(
    options: {
      state?: 'active' | 'finished' | 'all';
      entityRef?: string;
      limit?: number;
    },
    credentials: BackstageCredentials,
  ): Promise<{ items: Plan[] }> {
    let entityRef: string | undefined;
    if (options.entityRef) {
      try {
        entityRef = stringifyEntityRef(
          parseEntityRef(options.entityRef, {
            defaultKind: 'component',
            defaultNamespace: 'default',
          }),
        ).toLocaleLowerCase('en-US');
      } catch {
        throw new InputError(
          `entity: "${options.entityRef}" is not an entity ref (e.g. component:default/checkout-service)`,
        );
      }
    }
    const state = options.state ?? 'active';
    const states = {
      all: undefined,
      active: ACTIVE_PLAN_STATES,
      finished: FINISHED_PLAN_STATES,
    }[state];
    const plans = await this.deps.store.listPlans({
      states,
      entityRef,
      limit: options.limit ?? 50,
    });
    const visible = await this.readable(plans, credentials);
    return { items: await Promise.all(visible.map(p => this.view(p))) };
  }

  /** The plans an entity is in, active ones first. */
  async entityPlans(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ items: Plan[] }> {
    const plans = await this.readable(
      await this.deps.store.listPlans({
        entityRef: entityRef.toLocaleLowerCase('en-US'),
        limit: 10,
      }),
      credentials,
    );
    const active = (p: StoredPlan) => ACTIVE_PLAN_STATES.includes(p.state);
    plans.sort((a, b) => Number(active(b)) - Number(active(a)));
    return { items: await Promise.all(plans.map(p => this.view(p))) };
  }

  /** The entities a caller may not control, of those given. */
  private async refusedControl(
    refs: readonly string[],
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    const decisions = await this.deps.permissions.authorize(
      refs.map(resourceRef => ({
        permission: glidepathReleaseControlPermission,
        resourceRef,
      })),
      { credentials },
    );
    return refs.filter((_, i) => decisions[i].result !== AuthorizeResult.ALLOW);
  }

  async createPlan(options: {
    request: PlanRequest;
    idempotencyKey: string | undefined;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<{ plan: Plan; created: boolean }> {
    const { request } = options;
    return audited(
      this.deps.auditor,
      {
        eventId: 'release-plan',
        severityLevel: 'high',
        request: options.httpRequest,
        meta: {
          change: 'create',
          title: request?.title ?? null,
          members: request?.members?.length ?? 0,
        },
      },
      async () => {
        const key = requireKey(options.idempotencyKey);
        const title = request.title.trim();
        if (!title) throw new InputError('title is empty');
        if (request.startAt && request.trainId) {
          throw new InputError(
            'Give startAt or trainId, not both: a plan starts at a time or at the next slot of a train',
          );
        }
        const normalised = normaliseMembers(request.members);
        if ('problem' in normalised) throw new InputError(normalised.problem);
        const { members } = normalised;
        const { actor, credentials } = await options.caller();

        const refs = [...new Set(members.map(m => m.entityRef))];
        const { items } = await this.deps.catalog.getEntitiesByRefs(
          { entityRefs: refs },
          { credentials },
        );
        const entities = new Map<string, Entity>();
        refs.forEach((ref, i) => items[i] && entities.set(ref, items[i]!));
        const unknown = refs.filter(ref => !entities.has(ref));
        if (unknown.length) {
          throw new NotFoundError(
            `No entit${unknown.length === 1 ? 'y' : 'ies'} ${unknown.join(
              ', ',
            )} in the catalog`,
          );
        }
        const refused = await this.refusedControl(refs, credentials);
        if (refused.length) {
          throw new NotAllowedError(
            `You may not release ${refused.join(
              ', ',
            )} (glidepath.release.control): a plan needs it on every member`,
          );
        }
        const targets = members.map((member, i) => {
          const resolved = this.deps.sync.targetFor(
            entities.get(member.entityRef)!,
            member.environment,
          );
          if ('error' in resolved) {
            throw new InputError(
              `members[${i}]: ${member.entityRef} cannot be released in ${member.environment}: ${resolved.error}`,
            );
          }
          return resolved;
        });

        const { result: check } = await this.deps.graph.checkChanges(
          members.map(m => ({
            entityRef: m.entityRef,
            version: m.version,
            environment: m.environment,
          })),
          credentials,
        );
        const problems = graphProblems(check);
        if (problems.missing.length) {
          throw new NotFoundError(
            `Not in the dependency graph: ${problems.missing.join(', ')}`,
          );
        }
        if (problems.unjudgeable.length) {
          throw new InputError(
            `A version cannot be checked against the requirements on it: ${problems.unjudgeable.join(
              '; ',
            )}`,
          );
        }
        const overrideReason = request.overrideReason?.trim();
        if (problems.blocking.length && !overrideReason) {
          throw new ConflictError(
            `The plan is refused: ${problems.blocking.join(
              '; ',
            )}. Fix it, or give overrideReason to go ahead anyway`,
          );
        }
        const waves = planWaves(members, check.releaseOrder.layers);

        let startAt = this.now();
        if (request.startAt) {
          startAt = new Date(request.startAt);
          if (Number.isNaN(startAt.getTime())) {
            throw new InputError(
              `startAt: "${request.startAt}" is not a time (e.g. 2026-12-08T09:00:00Z)`,
            );
          }
        }
        if (request.trainId) {
          const train = (await this.deps.calendar.listTrains()).find(
            t => t.id === request.trainId,
          );
          if (!train) {
            throw new NotFoundError(`No release train ${request.trainId}`);
          }
          if (!train.nextSlots.length) {
            throw new ConflictError(
              `The release train "${train.title}" has no next slot`,
            );
          }
          startAt = new Date(train.nextSlots[0]);
        }

        const stored = await this.deps.store.createPlan({
          title,
          failurePolicy: request.failurePolicy ?? 'rollback-wave',
          gates: { ...DEFAULT_GATES, ...(request.gates ?? {}) },
          startAt,
          trainId: request.trainId ?? null,
          createdBy: actor,
          createdAt: this.now(),
          override:
            problems.blocking.length && overrideReason
              ? {
                  by: actor,
                  reason: overrideReason,
                  at: this.now().toISOString(),
                  problems: problems.blocking,
                }
              : null,
          simulated: targets.some(t => t.provider.simulated),
          idempotencyKey: `${actor.ref ?? actor.kind}|${key}`,
          waveCount: Math.max(...waves) + 1,
          members: members.map((m, i) => ({
            ...m,
            wave: waves[i],
            mode: targets[i].provider.startRelease ? 'provider' : 'manual',
            provider: targets[i].provider.id,
          })),
        });
        if ('conflict' in stored) {
          const { planId, entityRef, environment } = stored.conflict;
          const other = await this.deps.store.getPlan(planId);
          throw new ConflictError(
            `${entityRef} in ${environment} is already in the active release plan ${planId}${
              other ? ` ("${other.title}", ${other.state})` : ''
            }`,
          );
        }
        return {
          result: {
            plan: await this.view(stored.plan),
            created: stored.created,
          },
          meta: { planId: stored.plan.id, created: stored.created },
        };
      },
    );
  }

  async controlPlan(options: {
    planId: string;
    control: PlanControl;
    request: PlanControlRequest;
    caller: () => Promise<Caller>;
    httpRequest?: Request;
  }): Promise<Plan> {
    const { planId, control } = options;
    return audited(
      this.deps.auditor,
      {
        eventId: 'release-plan',
        severityLevel: control === 'pause' ? 'medium' : 'high',
        request: options.httpRequest,
        meta: {
          change: control,
          planId,
          reason: options.request?.reason ?? null,
        },
      },
      async () => {
        const reason = options.request?.reason?.trim();
        if (!reason) {
          throw new InputError(`A reason is required to ${control} a plan`);
        }
        const { actor, credentials } = await options.caller();
        for (let attempt = 0; attempt < 5; attempt++) {
          const plan = await this.deps.store.getPlan(planId);
          if (!plan) throw new NotFoundError(`No release plan ${planId}`);
          if (control === 'freeze-override') {
            await requirePermission(this.deps.permissions, {
              credentials,
              permission: glidepathFreezeOverridePermission,
              refusal:
                'You may not let a plan go on during a freeze (glidepath.freeze.override)',
            });
          } else {
            const refs = [...new Set(plan.members.map(m => m.entityRef))];
            const refused = await this.refusedControl(refs, credentials);
            if (refused.length === refs.length) {
              throw new NotAllowedError(
                `You may not ${control} this plan: it needs glidepath.release.control on one of its members (their owners, or admins)`,
              );
            }
          }
          const write = controlWrite(plan, control, actor, reason, this.now());
          if (await this.deps.store.writePlan(plan.id, plan.revision, write)) {
            return {
              result: await this.getPlan(plan.id, credentials),
              meta: { planId, state: write.plan?.state ?? plan.state },
            };
          }
        }
        throw new ConflictError(`The plan ${planId} kept changing; try again`);
      },
    );
  }

  // --- The executor ------------------------------------------------------

  /** One run of the scheduled task: every moving plan, as far as it goes. */
  async runOnce(): Promise<{ moved: number }> {
    let moved = 0;
    const entities = new Map<string, Entity | undefined>();
    for (const listed of await this.deps.store.listMoving()) {
      try {
        moved += await this.advance(listed.id, entities);
      } catch (error) {
        this.deps.logger.warn(
          `Glidepath release plan ${
            listed.id
          } could not move on: ${errorMessage(error)}`,
        );
      }
    }
    return { moved };
  }

  private async entity(
    ref: string,
    cache: Map<string, Entity | undefined>,
  ): Promise<Entity | undefined> {
    if (!cache.has(ref)) {
      cache.set(
        ref,
        await this.deps.catalog.getEntityByRef(ref, {
          credentials: await this.serviceCredentials(),
        }),
      );
    }
    return cache.get(ref);
  }

  private async advance(
    id: string,
    entities: Map<string, Entity | undefined>,
  ): Promise<number> {
    let moves = 0;
    // The owners are told once the plan has moved as far as it goes: a
    // notice (a catalog read and a send) never delays the next wave's
    // provider calls.
    const notices: Array<{ plan: StoredPlan; notice: PlanNotice }> = [];
    try {
      while (moves < MAX_MOVES_PER_RUN) {
        const plan = await this.deps.store.getPlan(id);
        if (!plan) return moves;
        const decision = decidePlan(plan, await this.observe(plan, entities));
        if (
          !decision.write &&
          !decision.starts.length &&
          !decision.rollbacks.length
        ) {
          return moves;
        }
        if (!(await this.apply(plan, decision, entities))) return moves;
        if (decision.notice) notices.push({ plan, notice: decision.notice });
        moves += 1;
      }
      return moves;
    } finally {
      for (const { plan, notice } of notices) {
        await this.notify(plan, notice, entities).catch(error =>
          this.deps.logger.warn(
            `Glidepath could not notify the owners of release plan ${
              plan.id
            }: ${errorMessage(error)}`,
          ),
        );
      }
    }
  }

  private async observe(
    plan: StoredPlan,
    entities: Map<string, Entity | undefined>,
  ) {
    const now = this.now();
    const members = new Map<number, MemberObservation>();
    const seen = {
      now,
      members,
      startTimeoutMs: this.deps.settings.startTimeoutMs,
      graphProblem: undefined as string | undefined,
    };
    if (plan.state !== 'running' && plan.state !== 'rolling_back') return seen;
    const index = plan.currentWave ?? 0;
    const wave = plan.waves[index];
    const starting = wave.state === 'pending' || wave.state === 'waiting';
    const credentials = await this.serviceCredentials();
    await Promise.all(
      plan.members
        .filter(m => m.wave === index)
        .map(async member => {
          const entity = await this.entity(member.entityRef, entities);
          members.set(
            member.idx,
            await this.observeMember(plan, member, entity, {
              starting,
              soaking: wave.state === 'soaking',
              credentials,
            }),
          );
        }),
    );
    if (starting && plan.state === 'running' && !plan.override) {
      seen.graphProblem = await this.graphProblem(plan, index, credentials);
    }
    return seen;
  }

  private async observeMember(
    plan: StoredPlan,
    member: StoredPlanMember,
    entity: Entity | undefined,
    options: {
      starting: boolean;
      soaking: boolean;
      credentials: BackstageCredentials;
    },
  ): Promise<MemberObservation> {
    const { releases, actions } = this.deps;
    if (!entity) {
      return {
        recent: [],
        canStart: false,
        targetProblem: `${member.entityRef} is no longer in the catalog`,
      };
    }
    const resolved = this.deps.sync.targetFor(entity, member.environment);
    const [page, release, rollbackAction] = await Promise.all([
      releases.listReleases({
        entityRef: member.entityRef,
        environment: member.environment,
        limit: 10,
      }),
      member.releaseId
        ? releases.getRelease(member.releaseId)
        : Promise.resolve(undefined),
      member.rollbackActionId
        ? actions.getAction(member.rollbackActionId)
        : Promise.resolve(undefined),
    ]);
    const seen: MemberObservation = {
      recent: page.items,
      release,
      rollbackAction,
      canStart: !('error' in resolved) && !!resolved.provider.startRelease,
      targetProblem: 'error' in resolved ? resolved.error : undefined,
    };
    if (options.starting && plan.state === 'running' && !plan.freezeOverride) {
      const state = await this.deps.calendar.freezeFor(
        entity,
        member.environment,
        { fix: member.fix, credentials: options.credentials },
      );
      if (state.closed) {
        seen.frozen = `${member.environment} is frozen for ${
          member.entityRef
        }: ${state.reason}${
          state.nextOpen ? ` (it opens at ${state.nextOpen})` : ''
        }`;
      }
    }
    if (options.soaking && release && member.state === 'released') {
      const gate = await this.gateProblem(plan, release, entity);
      seen.gateProblem = gate.waitingFor;
      seen.gateNote = gate.note;
    }
    return seen;
  }

  /**
   * The first gate a wave member's release does not meet (`waitingFor`),
   * else nothing, or a note on how the analysis gate let it through.
   */
  private async gateProblem(
    plan: StoredPlan,
    release: Release,
    entity: Entity,
  ): Promise<{ waitingFor?: string; note?: string }> {
    const gates = { ...DEFAULT_GATES, ...plan.gates };
    let note: string | undefined;
    if (gates.analysisPassed) {
      // The engine judges a release while it runs (see analysisGate).
      const analysis = analysisGate(
        await this.deps.analyses.listAnalyses(release.id, 50),
        release.phase,
      );
      if (analysis.waitingFor) return analysis;
      note = analysis.note;
    }
    if (gates.checklistItems.length) {
      const checklist = await this.deps.checklists.checklistForRelease(release);
      if (!checklist) {
        return {
          waitingFor: `the release has no checklist, and the plan needs ${gates.checklistItems
            .map(i => `"${i}"`)
            .join(', ')} done`,
        };
      }
      for (const wanted of gates.checklistItems) {
        const item = checklist.items.find(
          i => i.id === wanted || i.title === wanted,
        );
        if (!item)
          return { waitingFor: `its checklist has no item "${wanted}"` };
        if (!item.checked) {
          return {
            waitingFor: `the checklist item "${item.title}" is not done`,
          };
        }
      }
    }
    if (gates.rollbackTestPassed) {
      // Where the entity's rollback tests are on or its gate is required.
      const gate = await this.deps.rollbackTests.gateOf(release, entity);
      // Where a test can run: the entity has a non-production environment.
      const applies =
        gate &&
        this.deps.rollbackTests.canTest(entity) &&
        (gate.mode === 'required' ||
          this.deps.rollbackTests.policyOf(entity) === 'auto');
      if (applies && gate.status !== 'passed' && gate.status !== 'overridden') {
        return {
          waitingFor: `no passed rollback test of ${release.version} (${gate.message})`,
        };
      }
    }
    return { note };
  }

  /** What the dependency check says against the waves not yet started. */
  private async graphProblem(
    plan: StoredPlan,
    index: number,
    credentials: BackstageCredentials,
  ): Promise<string | undefined> {
    const rest = plan.members.filter(m => m.wave >= index);
    const { result } = await this.deps.graph.checkChanges(
      rest.map(m => ({
        entityRef: m.entityRef,
        version: m.version,
        environment: m.environment,
      })),
      credentials,
    );
    const problems = graphProblems(result);
    const all = [
      ...problems.missing.map(ref => `${ref} is no longer in the catalog`),
      ...problems.blocking,
    ];
    return all.length ? `the dependency check: ${all.join('; ')}` : undefined;
  }

  /** Makes a decision's calls and writes it; false when another write came first. */
  private async apply(
    plan: StoredPlan,
    decision: PlanDecision,
    entities: Map<string, Entity | undefined>,
  ): Promise<boolean> {
    const write: PlanWrite = {
      ...decision.write,
      members: [...(decision.write?.members ?? [])],
      events: [...(decision.write?.events ?? [])],
    };
    for (const rollback of decision.rollbacks) {
      const member = plan.members[rollback.idx];
      try {
        const { actionId } = await this.deps.submit({
          releaseId: rollback.releaseId,
          action: 'rollback',
          reason: `Release plan "${plan.title}": ${
            plan.stateReason ?? 'rolling back'
          }`,
          idempotencyKey: rollback.key,
          actor: PLAN_ACTOR,
        });
        write.members!.push({
          idx: rollback.idx,
          patch: {
            state: 'rolling_back',
            stateReason: null,
            rollbackActionId: actionId,
          },
        });
        write.events!.push({
          kind: 'rollback_requested',
          message: `Rolling back ${member.entityRef} ${member.version} in ${member.environment}`,
          wave: member.wave,
          entityRef: member.entityRef,
        });
      } catch (error) {
        const reason = `could not roll back: ${errorMessage(error)}`;
        write.members!.push({
          idx: rollback.idx,
          patch: { state: 'failed', stateReason: reason },
        });
        write.events!.push({
          kind: 'rollback_failed',
          message: `${member.entityRef} ${member.version}: ${reason}`,
          wave: member.wave,
          entityRef: member.entityRef,
        });
      }
    }
    const writes =
      write.plan ||
      write.waves?.length ||
      write.members?.length ||
      write.events?.length ||
      write.releaseClaims;
    if (
      writes &&
      !(await this.deps.store.writePlan(plan.id, plan.revision, write))
    ) {
      return false;
    }
    if (plan.freezeOverride) {
      // The plan's break-glass covers the releases it starts.
      for (const { idx, patch } of write.members ?? []) {
        if (!patch.releaseId) continue;
        await this.deps.calendarStore.setOverride({
          releaseId: patch.releaseId,
          entityRef: plan.members[idx].entityRef,
          by: plan.freezeOverride.by,
          reason: `Release plan "${plan.title}": ${plan.freezeOverride.reason}`,
          windowId: null,
          at: this.now(),
        });
      }
    }
    if (decision.starts.length) {
      await this.startMembers(plan, decision.starts, entities);
    }
    return true;
  }

  /** Asks the providers to start members' releases, ten at a time. */
  private async startMembers(
    plan: StoredPlan,
    indexes: number[],
    entities: Map<string, Entity | undefined>,
  ): Promise<void> {
    const refusals: Array<{ idx: number; reason: string }> = [];
    for (let i = 0; i < indexes.length; i += 10) {
      await Promise.all(
        indexes.slice(i, i + 10).map(async idx => {
          const member = plan.members[idx];
          const key = startKeyOf(plan.id, idx);
          const entity = await this.entity(member.entityRef, entities);
          const resolved = entity
            ? this.deps.sync.targetFor(entity, member.environment)
            : { error: `${member.entityRef} is no longer in the catalog` };
          try {
            if ('error' in resolved) throw new Error(resolved.error);
            const { provider, target } = resolved;
            if (!provider.startRelease) {
              throw new Error(
                `the provider "${provider.id}" cannot start releases`,
              );
            }
            await audited(
              this.deps.auditor,
              {
                eventId: 'release-plan',
                severityLevel: 'medium',
                meta: {
                  change: 'start-release',
                  planId: plan.id,
                  entityRef: member.entityRef,
                  environment: member.environment,
                  version: member.version,
                },
              },
              async () => {
                await withTimeout(
                  `The rollout provider "${provider.id}"`,
                  this.deps.settings.actionTimeoutMs,
                  signal =>
                    provider.startRelease!({
                      target,
                      version: member.version,
                      idempotencyKey: key,
                      reason: `Release plan "${plan.title}", wave ${
                        member.wave + 1
                      }`,
                      actor: PLAN_ACTOR,
                      signal,
                    }),
                );
                return { result: undefined, meta: { planId: plan.id } };
              },
            );
            await this.deps.store.markStartCalled(
              plan.id,
              idx,
              key,
              this.now(),
            );
          } catch (error) {
            refusals.push({ idx, reason: errorMessage(error) });
          }
        }),
      );
    }
    if (!refusals.length) return;
    for (let attempt = 0; attempt < 5; attempt++) {
      const fresh = await this.deps.store.getPlan(plan.id);
      if (!fresh) return;
      const failing = refusals.filter(
        r => fresh.members[r.idx].state === 'starting',
      );
      if (!failing.length) return;
      const written = await this.deps.store.writePlan(
        fresh.id,
        fresh.revision,
        {
          members: failing.map(r => ({
            idx: r.idx,
            patch: {
              state: 'failed',
              stateReason: `the provider did not start it: ${r.reason}`,
            },
          })),
          events: failing.map(r => ({
            kind: 'member_failed',
            message: `${fresh.members[r.idx].entityRef} ${
              fresh.members[r.idx].version
            }: the provider did not start it: ${r.reason}`,
            wave: fresh.members[r.idx].wave,
            entityRef: fresh.members[r.idx].entityRef,
          })),
        },
      );
      if (written) return;
    }
  }

  /** Tells the owners of every member. */
  private async notify(
    plan: StoredPlan,
    notice: PlanNotice,
    entities: Map<string, Entity | undefined>,
  ): Promise<void> {
    const { notifications, logger } = this.deps;
    if (!notifications) return;
    const refs = [...new Set(plan.members.map(m => m.entityRef))];
    // The members not read yet in this run, in one catalog call.
    const unread = refs.filter(ref => !entities.has(ref));
    if (unread.length) {
      const { items } = await this.deps.catalog.getEntitiesByRefs(
        { entityRefs: unread },
        { credentials: await this.serviceCredentials() },
      );
      unread.forEach((ref, i) => entities.set(ref, items[i] ?? undefined));
    }
    const ownerRefs = new Set<string>();
    for (const ref of refs) {
      owners(await this.entity(ref, entities)).forEach(o => ownerRefs.add(o));
    }
    if (!ownerRefs.size) return;
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: [...ownerRefs] },
        payload: {
          title: notice.title,
          description: notice.description,
          link: `/glidepath/plans/${plan.id}`,
          severity: notice.severity,
          topic: 'glidepath-release-plan',
        },
      });
    } catch (error) {
      logger.warn(
        `Glidepath could not notify the owners of release plan ${
          plan.id
        }: ${errorMessage(error)}`,
      );
    }
  }
}

/** The write of a pause, resume, abort or freeze override; 409 when it does not apply. */
export function controlWrite(
  plan: StoredPlan,
  control: PlanControl,
  actor: Caller['actor'],
  reason: string,
  now: Date,
): PlanWrite {
  const by = actor.displayName ?? actor.ref ?? actor.kind;
  const event = (kind: string, message: string) => ({
    kind,
    message,
    actor,
  });
  const refuse = (why: string): never => {
    throw new ConflictError(
      `The plan is ${plan.state.replace('_', ' ')}: ${why}`,
    );
  };
  switch (control) {
    case 'pause':
      if (plan.state !== 'scheduled' && plan.state !== 'running') {
        refuse('only a scheduled or running plan can be paused');
      }
      return {
        plan: {
          state: 'paused',
          pausedFrom: plan.state,
          stateReason: `Paused by ${by}: ${reason}`,
        },
        events: [event('paused', `Paused by ${by}: ${reason}`)],
      };
    case 'resume':
      if (plan.state !== 'paused') refuse('only a paused plan can be resumed');
      return {
        plan: {
          state: (plan.pausedFrom ?? 'running') as PlanState,
          pausedFrom: null,
          stateReason: null,
        },
        events: [event('resumed', `Resumed by ${by}: ${reason}`)],
      };
    case 'abort':
      if (!ACTIVE_PLAN_STATES.includes(plan.state))
        refuse('it is over already');
      return {
        plan: {
          state: 'aborted',
          stateReason: `Aborted by ${by}: ${reason}. Releases in flight go on under their own analysis`,
          finishedAt: now,
        },
        events: [event('aborted', `Aborted by ${by}: ${reason}`)],
        releaseClaims: true,
      };
    case 'freeze-override':
      if (!ACTIVE_PLAN_STATES.includes(plan.state))
        refuse('it is over already');
      if (plan.state === 'rolling_back') {
        refuse('a rollback is running, and freezes never hold a rollback');
      }
      if (plan.freezeOverride) return { events: [] };
      return {
        plan: {
          freezeOverride: {
            by: actor,
            reason,
            at: now.toISOString(),
            problems: [],
          },
        },
        events: [
          event(
            'freeze_override',
            `${by} let the plan go on during freezes: ${reason}`,
          ),
        ],
      };
    default:
      throw new InputError(`Unknown plan control "${control}"`);
  }
}
