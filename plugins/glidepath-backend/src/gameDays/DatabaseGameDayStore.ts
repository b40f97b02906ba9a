import type {
  DrillFaultKind,
  GameDayOutcome,
  ProductionOverride,
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
  GameDayStore,
  NewDrill,
  NewGameDay,
  PlannedFault,
  StoredDrill,
  StoredGameDay,
} from './GameDayStore';
import { DrillTimings, secondsBetween } from './timings';

type GameDayRow = {
  id: string;
  title: string;
  facilitator: string;
  participants: string;
  services: string;
  faults: string;
  hypothesis: string;
  scheduled_at: DbTimestamp;
  production_override: string | null;
  created_by: string;
  created_at: DbTimestamp;
  idempotency_key: string | null;
  drills_scheduled_at: DbTimestamp | null;
  outcome: string | null;
  revision: number;
};

type DrillRow = {
  id: string;
  entity_ref: string;
  owner_ref: string | null;
  environment: string;
  fault: string;
  game_day_id: string | null;
  game_day_key: string | null;
  provider: string;
  simulated: boolean | number;
  reason: string;
  requested_by: string;
  requested_at: DbTimestamp;
  production_override: string | null;
  state: string;
  state_reason: string | null;
  release_id: string | null;
  version: string | null;
  injected_at: DbTimestamp | null;
  detected_at: DbTimestamp | null;
  rollback_decided_at: DbTimestamp | null;
  rolled_back_at: DbTimestamp | null;
  healthy_at: DbTimestamp | null;
  notified_at: DbTimestamp | null;
  finished_at: DbTimestamp | null;
  revision: number;
};

const UNFINISHED = ['waiting', 'running'];

function readJson<T>(json: string | null): T | null {
  return json === null ? null : (JSON.parse(json) as T);
}

function toGameDay(row: GameDayRow): StoredGameDay {
  return {
    id: row.id,
    title: row.title,
    facilitator: row.facilitator,
    participants: JSON.parse(row.participants) as string[],
    services: JSON.parse(row.services) as string[],
    faults: JSON.parse(row.faults) as PlannedFault[],
    hypothesis: row.hypothesis,
    scheduledAt: readIsoTimestamp(row.scheduled_at),
    productionOverride: readJson<ProductionOverride>(row.production_override),
    createdBy: readActor(row.created_by),
    createdAt: readIsoTimestamp(row.created_at),
    drillsScheduledAt: readOptionalIsoTimestamp(row.drills_scheduled_at),
    outcome: readJson<GameDayOutcome>(row.outcome),
  };
}

function toDrill(row: DrillRow): StoredDrill {
  const injectedAt = readOptionalIsoTimestamp(row.injected_at);
  const detectedAt = readOptionalIsoTimestamp(row.detected_at);
  const healthyAt = readOptionalIsoTimestamp(row.healthy_at);
  return {
    id: row.id,
    entityRef: row.entity_ref,
    ownerRef: row.owner_ref,
    gameDayFaultIndex: row.game_day_key
      ? Number(row.game_day_key.slice(row.game_day_key.lastIndexOf('|') + 1))
      : null,
    environment: row.environment,
    fault: row.fault as DrillFaultKind,
    gameDayId: row.game_day_id,
    provider: row.provider,
    simulated: Boolean(row.simulated),
    reason: row.reason,
    requestedBy: readActor(row.requested_by),
    requestedAt: readIsoTimestamp(row.requested_at),
    productionOverride: readJson<ProductionOverride>(row.production_override),
    state: row.state as StoredDrill['state'],
    stateReason: row.state_reason,
    releaseId: row.release_id,
    version: row.version,
    injectedAt,
    detectedAt,
    rollbackDecidedAt: readOptionalIsoTimestamp(row.rollback_decided_at),
    rolledBackAt: readOptionalIsoTimestamp(row.rolled_back_at),
    healthyAt,
    notifiedAt: readOptionalIsoTimestamp(row.notified_at),
    timeToDetectSeconds: secondsBetween(injectedAt, detectedAt),
    timeToRecoverSeconds: secondsBetween(injectedAt, healthyAt),
    finishedAt: readOptionalIsoTimestamp(row.finished_at),
    revision: Number(row.revision),
  };
}

const toDate = (iso: string | null) => (iso === null ? null : new Date(iso));

/**
 * Game days and drills in the release store's database (tables
 * `game_days`, `drills`).
 */
export class DatabaseGameDayStore implements GameDayStore {
  constructor(private readonly db: Knex) {}

  async createGameDay(
    gameDay: NewGameDay,
  ): Promise<{ gameDay: StoredGameDay; created: boolean }> {
    const existing = async () => {
      const row = await this.db<GameDayRow>('game_days')
        .where({ idempotency_key: gameDay.idempotencyKey })
        .first();
      return row ? toGameDay(row) : undefined;
    };
    const found = await existing();
    if (found) return { gameDay: found, created: false };
    const id = uuid();
    try {
      await this.db('game_days').insert({
        id,
        title: gameDay.title,
        facilitator: gameDay.facilitator,
        participants: JSON.stringify(gameDay.participants),
        services: JSON.stringify(gameDay.services),
        faults: JSON.stringify(gameDay.faults),
        hypothesis: gameDay.hypothesis,
        scheduled_at: new Date(gameDay.scheduledAt),
        production_override: gameDay.productionOverride
          ? JSON.stringify(gameDay.productionOverride)
          : null,
        created_by: toActorJson(gameDay.createdBy),
        created_at: gameDay.createdAt,
        idempotency_key: gameDay.idempotencyKey,
        drills_scheduled_at: null,
        outcome: null,
        revision: 0,
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const raced = await existing();
        if (raced) return { gameDay: raced, created: false };
      }
      throw error;
    }
    return { gameDay: (await this.getGameDay(id))!, created: true };
  }

  async getGameDay(id: string): Promise<StoredGameDay | undefined> {
    const row = await this.db<GameDayRow>('game_days').where({ id }).first();
    return row ? toGameDay(row) : undefined;
  }

  async listGameDays(options: { limit: number }): Promise<StoredGameDay[]> {
    const rows = await this.db<GameDayRow>('game_days')
      .orderBy([
        { column: 'scheduled_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(toGameDay);
  }

  async listDueGameDays(now: Date): Promise<StoredGameDay[]> {
    const rows = await this.db<GameDayRow>('game_days')
      .whereNull('drills_scheduled_at')
      .andWhere('scheduled_at', '<=', now)
      .orderBy([{ column: 'scheduled_at' }, { column: 'id' }]);
    return rows.map(toGameDay);
  }

  async markDrillsScheduled(id: string, at: Date): Promise<boolean> {
    const updated = await this.db('game_days')
      .where({ id })
      .whereNull('drills_scheduled_at')
      .update({ drills_scheduled_at: at });
    return updated === 1;
  }

  async setOutcome(id: string, outcome: GameDayOutcome): Promise<void> {
    await this.db('game_days')
      .where({ id })
      .update({
        outcome: JSON.stringify(outcome),
        revision: this.db.raw('revision + 1'),
      });
  }

  async createDrill(
    drill: NewDrill,
  ): Promise<{ drill: StoredDrill; created: boolean }> {
    const key = drill.gameDay
      ? `${drill.gameDay.id}|${drill.gameDay.faultIndex}`
      : null;
    const existing = async () => {
      if (!key) return undefined;
      const row = await this.db<DrillRow>('drills')
        .where({ game_day_key: key })
        .first();
      return row ? toDrill(row) : undefined;
    };
    const found = await existing();
    if (found) return { drill: found, created: false };
    const id = uuid();
    try {
      await this.db('drills').insert({
        id,
        entity_ref: drill.entityRef,
        owner_ref: drill.ownerRef,
        environment: drill.environment,
        fault: drill.fault,
        game_day_id: drill.gameDay?.id ?? null,
        game_day_key: key,
        provider: drill.provider,
        simulated: drill.simulated,
        reason: drill.reason,
        requested_by: toActorJson(drill.requestedBy),
        requested_at: drill.requestedAt,
        production_override: drill.productionOverride
          ? JSON.stringify(drill.productionOverride)
          : null,
        state: drill.state,
        state_reason: drill.stateReason,
        finished_at: drill.state === 'refused' ? drill.requestedAt : null,
        revision: 0,
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const raced = await existing();
        if (raced) return { drill: raced, created: false };
      }
      throw error;
    }
    return { drill: (await this.getDrill(id))!, created: true };
  }

  async getDrill(id: string): Promise<StoredDrill | undefined> {
    const row = await this.db<DrillRow>('drills').where({ id }).first();
    return row ? toDrill(row) : undefined;
  }

  async listDrills(options: {
    entityRef?: string;
    gameDayIds?: readonly string[];
    since?: Date;
    limit: number;
  }): Promise<StoredDrill[]> {
    const query = this.db<DrillRow>('drills');
    if (options.entityRef !== undefined) {
      query.where({ entity_ref: options.entityRef });
    }
    if (options.gameDayIds !== undefined) {
      if (!options.gameDayIds.length) return [];
      query.whereIn('game_day_id', [...options.gameDayIds]);
    }
    if (options.since !== undefined) {
      query.where('requested_at', '>=', options.since);
    }
    const rows = await query
      .orderBy([
        { column: 'requested_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(toDrill);
  }

  async listUnfinishedDrills(): Promise<StoredDrill[]> {
    const rows = await this.db<DrillRow>('drills')
      .whereIn('state', UNFINISHED)
      .orderBy([{ column: 'requested_at' }, { column: 'id' }]);
    return rows.map(toDrill);
  }

  async updateDrill(
    id: string,
    revision: number,
    timings: DrillTimings,
  ): Promise<boolean> {
    const updated = await this.db('drills')
      .where({ id, revision })
      .update({
        state: timings.state,
        state_reason: timings.stateReason,
        release_id: timings.releaseId,
        version: timings.version,
        injected_at: toDate(timings.injectedAt),
        detected_at: toDate(timings.detectedAt),
        rollback_decided_at: toDate(timings.rollbackDecidedAt),
        rolled_back_at: toDate(timings.rolledBackAt),
        healthy_at: toDate(timings.healthyAt),
        notified_at: toDate(timings.notifiedAt),
        finished_at: toDate(timings.finishedAt),
        revision: revision + 1,
      });
    return updated === 1;
  }
}
