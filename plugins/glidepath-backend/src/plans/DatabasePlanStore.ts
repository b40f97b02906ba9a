import type {
  Plan,
  PlanOverride,
  PlanState,
} from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import { readActor, toActorJson } from '../shared/actors';
import { isUniqueViolation } from '../shared/database';
import {
  DbTimestamp,
  readIsoTimestamp,
  readOptionalIsoTimestamp,
} from '../shared/timestamps';
import {
  ACTIVE_PLAN_STATES,
  NewPlan,
  PlanMemberPatch,
  PlanStore,
  PlanWavePatch,
  PlanWrite,
  StoredPlan,
  StoredPlanMember,
} from './PlanStore';

type PlanRow = {
  id: string;
  title: string;
  state: string;
  state_reason: string | null;
  paused_from: string | null;
  failure_policy: string;
  gates: string;
  start_at: DbTimestamp;
  train_id: string | null;
  created_by: string;
  created_at: DbTimestamp;
  started_at: DbTimestamp | null;
  finished_at: DbTimestamp | null;
  current_wave: number | null;
  override: string | null;
  freeze_override: string | null;
  simulated: boolean | number;
  idempotency_key: string;
  revision: number;
};

type WaveRow = {
  plan_id: string;
  idx: number;
  state: string;
  waiting_for: string | null;
  started_at: DbTimestamp | null;
  completed_at: DbTimestamp | null;
};

type MemberRow = {
  plan_id: string;
  idx: number;
  entity_ref: string;
  environment: string;
  version: string;
  fix: boolean | number;
  wave: number;
  state: string;
  state_reason: string | null;
  mode: string;
  provider: string | null;
  release_id: string | null;
  known_release_ids: string | null;
  start_key: string | null;
  start_called_at: DbTimestamp | null;
  rollback_action_id: string | null;
  started_at: DbTimestamp | null;
  completed_at: DbTimestamp | null;
  rolled_back_at: DbTimestamp | null;
};

type EventRow = {
  seq: number;
  plan_id: string;
  at: DbTimestamp;
  kind: string;
  message: string;
  wave: number | null;
  entity_ref: string | null;
  actor: string | null;
};

function readOverride(json: string | null): PlanOverride | null {
  if (!json) return null;
  const parsed = JSON.parse(json);
  return { ...parsed, by: readActor(JSON.stringify(parsed.by)) };
}

function toMember(row: MemberRow): StoredPlanMember {
  return {
    idx: Number(row.idx),
    entityRef: row.entity_ref,
    environment: row.environment,
    version: row.version,
    fix: Boolean(row.fix),
    wave: Number(row.wave),
    state: row.state as StoredPlanMember['state'],
    stateReason: row.state_reason,
    mode: row.mode as StoredPlanMember['mode'],
    provider: row.provider,
    releaseId: row.release_id,
    knownReleaseIds: row.known_release_ids
      ? (JSON.parse(row.known_release_ids) as string[])
      : null,
    startKey: row.start_key,
    startCalledAt: readOptionalIsoTimestamp(row.start_called_at),
    rollbackActionId: row.rollback_action_id,
    startedAt: readOptionalIsoTimestamp(row.started_at),
    completedAt: readOptionalIsoTimestamp(row.completed_at),
    rolledBackAt: readOptionalIsoTimestamp(row.rolled_back_at),
  };
}

function toPlan(
  row: PlanRow,
  waves: WaveRow[],
  members: MemberRow[],
): StoredPlan {
  return {
    id: row.id,
    title: row.title,
    state: row.state as PlanState,
    stateReason: row.state_reason,
    pausedFrom: (row.paused_from as PlanState | null) ?? null,
    failurePolicy: row.failure_policy as StoredPlan['failurePolicy'],
    gates: JSON.parse(row.gates),
    startAt: readIsoTimestamp(row.start_at),
    trainId: row.train_id,
    createdBy: readActor(row.created_by),
    createdAt: readIsoTimestamp(row.created_at),
    startedAt: readOptionalIsoTimestamp(row.started_at),
    finishedAt: readOptionalIsoTimestamp(row.finished_at),
    currentWave: row.current_wave === null ? null : Number(row.current_wave),
    override: readOverride(row.override),
    freezeOverride: readOverride(row.freeze_override),
    simulated: Boolean(row.simulated),
    revision: Number(row.revision),
    waves: waves
      .sort((a, b) => a.idx - b.idx)
      .map(w => ({
        index: Number(w.idx),
        state: w.state as StoredPlan['waves'][number]['state'],
        waitingFor: w.waiting_for,
        startedAt: readOptionalIsoTimestamp(w.started_at),
        completedAt: readOptionalIsoTimestamp(w.completed_at),
      })),
    members: members.sort((a, b) => a.idx - b.idx).map(toMember),
  };
}

function overrideJson(override: PlanOverride | null | undefined) {
  return override ? JSON.stringify(override) : null;
}

function memberColumns(patch: PlanMemberPatch): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  if (patch.state !== undefined) columns.state = patch.state;
  if (patch.stateReason !== undefined) columns.state_reason = patch.stateReason;
  if (patch.mode !== undefined) columns.mode = patch.mode;
  if (patch.releaseId !== undefined) columns.release_id = patch.releaseId;
  if (patch.knownReleaseIds !== undefined)
    columns.known_release_ids = JSON.stringify(patch.knownReleaseIds);
  if (patch.startKey !== undefined) columns.start_key = patch.startKey;
  if (patch.rollbackActionId !== undefined)
    columns.rollback_action_id = patch.rollbackActionId;
  if (patch.startedAt !== undefined) columns.started_at = patch.startedAt;
  if (patch.completedAt !== undefined) columns.completed_at = patch.completedAt;
  if (patch.rolledBackAt !== undefined)
    columns.rolled_back_at = patch.rolledBackAt;
  return columns;
}

function waveColumns(patch: PlanWavePatch): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  if (patch.state !== undefined) columns.state = patch.state;
  if (patch.waitingFor !== undefined) columns.waiting_for = patch.waitingFor;
  if (patch.startedAt !== undefined) columns.started_at = patch.startedAt;
  if (patch.completedAt !== undefined) columns.completed_at = patch.completedAt;
  return columns;
}

/**
 * Release plans in the release store's database (tables `plans`,
 * `plan_waves`, `plan_members`, `plan_events`, `plan_claims`).
 */
export class DatabasePlanStore implements PlanStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async read(
    rows: PlanRow[],
    db: Knex | Knex.Transaction = this.db,
  ): Promise<StoredPlan[]> {
    if (!rows.length) return [];
    const ids = rows.map(r => r.id);
    const [waves, members] = await Promise.all([
      db<WaveRow>('plan_waves').whereIn('plan_id', ids),
      db<MemberRow>('plan_members').whereIn('plan_id', ids),
    ]);
    return rows.map(row =>
      toPlan(
        row,
        waves.filter(w => w.plan_id === row.id),
        members.filter(m => m.plan_id === row.id),
      ),
    );
  }

  async createPlan(plan: NewPlan): ReturnType<PlanStore['createPlan']> {
    const existing = await this.db<PlanRow>('plans')
      .where({ idempotency_key: plan.idempotencyKey })
      .first();
    if (existing) {
      return { plan: (await this.read([existing]))[0], created: false };
    }
    const id = uuid();
    const now = this.now();
    try {
      return await this.db.transaction(async tx => {
        // The claims first: another active plan holding a pair refuses it.
        const pairs = plan.members.map(m => ({
          entity_ref: m.entityRef,
          environment: m.environment,
        }));
        for (let i = 0; i < pairs.length; i += 200) {
          const held = await tx('plan_claims')
            .whereIn(
              ['entity_ref', 'environment'],
              pairs.slice(i, i + 200).map(p => [p.entity_ref, p.environment]),
            )
            .first();
          if (held) {
            return {
              conflict: {
                planId: held.plan_id as string,
                entityRef: held.entity_ref as string,
                environment: held.environment as string,
              },
            };
          }
        }
        await tx('plans').insert({
          id,
          title: plan.title,
          state: 'scheduled',
          state_reason: null,
          paused_from: null,
          failure_policy: plan.failurePolicy,
          gates: JSON.stringify(plan.gates),
          start_at: plan.startAt,
          train_id: plan.trainId,
          created_by: toActorJson(plan.createdBy),
          created_at: plan.createdAt,
          current_wave: null,
          override: overrideJson(plan.override),
          freeze_override: null,
          simulated: plan.simulated,
          idempotency_key: plan.idempotencyKey,
          revision: 0,
          updated_at: now,
        });
        await tx.batchInsert(
          'plan_waves',
          Array.from({ length: plan.waveCount }, (_, idx) => ({
            plan_id: id,
            idx,
            state: 'pending',
            waiting_for: null,
          })),
          200,
        );
        await tx.batchInsert(
          'plan_members',
          plan.members.map((m, idx) => ({
            plan_id: id,
            idx,
            entity_ref: m.entityRef,
            environment: m.environment,
            version: m.version,
            fix: m.fix,
            wave: m.wave,
            state: 'pending',
            mode: m.mode,
            provider: m.provider,
          })),
          100,
        );
        await tx.batchInsert(
          'plan_claims',
          pairs.map(p => ({ ...p, plan_id: id })),
          200,
        );
        await tx('plan_events').insert({
          plan_id: id,
          at: plan.createdAt,
          kind: 'created',
          message: `Planned ${plan.members.length} release${
            plan.members.length === 1 ? '' : 's'
          } in ${plan.waveCount} wave${
            plan.waveCount === 1 ? '' : 's'
          }, from ${plan.startAt.toUTCString().replace(/:\d\d GMT$/, ' UTC')}${
            plan.override
              ? `, despite ${plan.override.problems.join('; ')} (${
                  plan.override.reason
                })`
              : ''
          }`,
          actor: toActorJson(plan.createdBy),
        });
        const row = await tx<PlanRow>('plans').where({ id }).first();
        return { plan: (await this.read([row!], tx))[0], created: true };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // The same key at once (its plan won), or a claim taken meanwhile.
      const again = await this.db<PlanRow>('plans')
        .where({ idempotency_key: plan.idempotencyKey })
        .first();
      if (again) return { plan: (await this.read([again]))[0], created: false };
      const held = await this.db('plan_claims')
        .whereIn(
          ['entity_ref', 'environment'],
          plan.members.map(m => [m.entityRef, m.environment]),
        )
        .first();
      if (held) {
        return {
          conflict: {
            planId: held.plan_id,
            entityRef: held.entity_ref,
            environment: held.environment,
          },
        };
      }
      throw error;
    }
  }

  async getPlan(id: string): Promise<StoredPlan | undefined> {
    const row = await this.db<PlanRow>('plans').where({ id }).first();
    return row ? (await this.read([row]))[0] : undefined;
  }

  async listEvents(id: string, limit: number): Promise<Plan['events']> {
    const rows = await this.db<EventRow>('plan_events')
      .where({ plan_id: id })
      .orderBy('seq', 'desc')
      .limit(limit);
    return rows.reverse().map(row => ({
      at: readIsoTimestamp(row.at),
      kind: row.kind,
      message: row.message,
      wave: row.wave === null ? null : Number(row.wave),
      entityRef: row.entity_ref,
      actor: row.actor ? readActor(row.actor) : null,
    }));
  }

  async listPlans(options: {
    states?: readonly PlanState[];
    entityRef?: string;
    limit: number;
  }): Promise<StoredPlan[]> {
    const query = this.db<PlanRow>('plans')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit);
    if (options.states) query.whereIn('state', options.states);
    if (options.entityRef) {
      query.whereIn(
        'id',
        this.db('plan_members')
          .select('plan_id')
          .where({ entity_ref: options.entityRef }),
      );
    }
    return this.read(await query);
  }

  async listMoving(): Promise<StoredPlan[]> {
    const rows = await this.db<PlanRow>('plans')
      .whereIn('state', ['scheduled', 'running', 'rolling_back'])
      .orderBy('created_at', 'asc');
    return this.read(rows);
  }

  async writePlan(
    id: string,
    revision: number,
    write: PlanWrite,
  ): Promise<boolean> {
    const now = this.now();
    return this.db.transaction(async tx => {
      const columns: Record<string, unknown> = {
        revision: revision + 1,
        updated_at: now,
      };
      const patch = write.plan ?? {};
      if (patch.state !== undefined) columns.state = patch.state;
      if (patch.stateReason !== undefined)
        columns.state_reason = patch.stateReason;
      if (patch.pausedFrom !== undefined)
        columns.paused_from = patch.pausedFrom;
      if (patch.startedAt !== undefined) columns.started_at = patch.startedAt;
      if (patch.finishedAt !== undefined)
        columns.finished_at = patch.finishedAt;
      if (patch.currentWave !== undefined)
        columns.current_wave = patch.currentWave;
      if (patch.freezeOverride !== undefined)
        columns.freeze_override = overrideJson(patch.freezeOverride);
      const updated = await tx('plans').where({ id, revision }).update(columns);
      if (updated !== 1) return false;
      for (const { index, patch: wave } of write.waves ?? []) {
        await tx('plan_waves')
          .where({ plan_id: id, idx: index })
          .update(waveColumns(wave));
      }
      for (const { idx, patch: member } of write.members ?? []) {
        await tx('plan_members')
          .where({ plan_id: id, idx })
          .update(memberColumns(member));
      }
      if (write.events?.length) {
        await tx.batchInsert(
          'plan_events',
          write.events.map(e => ({
            plan_id: id,
            at: now,
            kind: e.kind,
            message: e.message,
            wave: e.wave ?? null,
            entity_ref: e.entityRef ?? null,
            actor: e.actor ? toActorJson(e.actor) : null,
          })),
          100,
        );
      }
      if (write.releaseClaims) {
        await tx('plan_claims').where({ plan_id: id }).delete();
      }
      return true;
    });
  }

  async markStartCalled(
    id: string,
    idx: number,
    startKey: string,
    at: Date,
  ): Promise<void> {
    await this.db('plan_members')
      .where({ plan_id: id, idx, start_key: startKey })
      .whereNull('start_called_at')
      .update({ start_called_at: at });
  }
}

/** Whether a plan still holds its members. */
export function isActivePlan(state: PlanState): boolean {
  return ACTIVE_PLAN_STATES.includes(state);
}
