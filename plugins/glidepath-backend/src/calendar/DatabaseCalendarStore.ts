import type {
  Actor,
  CalendarScope,
  FreezeOverride,
  FreezeWindow,
  FreezeWindowRequest,
  ReleaseTrainRequest,
} from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import { readActor, toActorJson } from '../shared/actors';
import { isUniqueViolation } from '../shared/database';
import { DbTimestamp, readIsoTimestamp } from '../shared/timestamps';
import type { CalendarStore, StoredReleaseTrain } from './CalendarStore';

type WindowRow = {
  id: string;
  title: string;
  effect: string;
  scope_kind: string;
  scope_ref: string | null;
  reason: string;
  timezone: string;
  start_local: string;
  end_local: string | null;
  rrule: string | null;
  duration_minutes: number | null;
  created_by: string;
  created_at: DbTimestamp;
  idempotency_key: string | null;
};

type TrainRow = {
  id: string;
  title: string;
  scope_kind: string;
  scope_ref: string | null;
  timezone: string;
  start_local: string;
  rrule: string;
  created_by: string;
  created_at: DbTimestamp;
  idempotency_key: string | null;
};

type OverrideRow = {
  release_id: string;
  entity_ref: string;
  actor: string;
  reason: string;
  window_id: string | null;
  at: DbTimestamp;
};

function scopeColumns(scope: CalendarScope) {
  return {
    scope_kind: scope.kind,
    scope_ref:
      scope.kind === 'organisation'
        ? null
        : (scope.kind === 'environment' ? scope.name : scope.ref) ?? null,
  };
}

function readScope(kind: string, ref: string | null): CalendarScope {
  if (kind === 'organisation') return { kind };
  if (kind === 'environment') return { kind, name: ref ?? '' };
  return { kind: kind as CalendarScope['kind'], ref: ref ?? '' };
}

function toWindow(row: WindowRow): FreezeWindow {
  return {
    id: row.id,
    title: row.title,
    effect: row.effect as FreezeWindow['effect'],
    scope: readScope(row.scope_kind, row.scope_ref),
    reason: row.reason,
    timezone: row.timezone,
    start: row.start_local,
    ...(row.end_local !== null && { end: row.end_local }),
    ...(row.rrule !== null && { rrule: row.rrule }),
    ...(row.duration_minutes !== null && {
      durationMinutes: Number(row.duration_minutes),
    }),
    createdBy: readActor(row.created_by),
    createdAt: readIsoTimestamp(row.created_at),
  };
}

function toTrain(row: TrainRow): StoredReleaseTrain {
  return {
    id: row.id,
    title: row.title,
    scope: readScope(row.scope_kind, row.scope_ref),
    timezone: row.timezone,
    start: row.start_local,
    rrule: row.rrule,
    createdBy: readActor(row.created_by),
    createdAt: readIsoTimestamp(row.created_at),
  };
}

function toOverride(row: OverrideRow): FreezeOverride {
  return {
    releaseId: row.release_id,
    by: readActor(row.actor),
    reason: row.reason,
    windowId: row.window_id,
    at: readIsoTimestamp(row.at),
  };
}

/**
 * The release calendar in Glidepath's database (tables `calendar_windows`,
 * `calendar_trains`, `freeze_overrides`).
 */
export class DatabaseCalendarStore implements CalendarStore {
  constructor(private readonly db: Knex) {}

  private async insertOnce<Row extends { idempotency_key: string | null }>(
    table: string,
    row: Row,
  ): Promise<{ id: string; created: boolean }> {
    const existing = async () =>
      this.db(table)
        .where({ idempotency_key: row.idempotency_key })
        .first('id');
    const found = await existing();
    if (found) return { id: found.id, created: false };
    try {
      await this.db(table).insert(row);
    } catch (error) {
      const again = isUniqueViolation(error) && (await existing());
      if (again) return { id: again.id, created: false };
      throw error;
    }
    return { id: (row as unknown as { id: string }).id, created: true };
  }

  async createWindow(options: {
    request: FreezeWindowRequest;
    by: Actor;
    at: Date;
    idempotencyKey: string;
  }): Promise<{ window: FreezeWindow; created: boolean }> {
    const { request } = options;
    const { id, created } = await this.insertOnce<WindowRow>(
      'calendar_windows',
      {
        id: uuid(),
        title: request.title,
        effect: request.effect,
        ...scopeColumns(request.scope),
        reason: request.reason,
        timezone: request.timezone,
        start_local: request.start,
        end_local: request.end ?? null,
        rrule: request.rrule ?? null,
        duration_minutes: request.durationMinutes ?? null,
        created_by: toActorJson(options.by),
        created_at: options.at,
        idempotency_key: options.idempotencyKey,
      },
    );
    const row = await this.db<WindowRow>('calendar_windows')
      .where({ id })
      .first();
    return { window: toWindow(row!), created };
  }

  async listWindows(): Promise<FreezeWindow[]> {
    const rows = await this.db<WindowRow>('calendar_windows').orderBy([
      { column: 'created_at' },
      { column: 'id' },
    ]);
    return rows.map(toWindow);
  }

  async deleteWindow(id: string): Promise<boolean> {
    return (await this.db('calendar_windows').where({ id }).delete()) > 0;
  }

  async createTrain(options: {
    request: ReleaseTrainRequest;
    by: Actor;
    at: Date;
    idempotencyKey: string;
  }): Promise<{ train: StoredReleaseTrain; created: boolean }> {
    const { request } = options;
    const { id, created } = await this.insertOnce<TrainRow>('calendar_trains', {
      id: uuid(),
      title: request.title,
      ...scopeColumns(request.scope),
      timezone: request.timezone,
      start_local: request.start,
      rrule: request.rrule,
      created_by: toActorJson(options.by),
      created_at: options.at,
      idempotency_key: options.idempotencyKey,
    });
    const row = await this.db<TrainRow>('calendar_trains')
      .where({ id })
      .first();
    return { train: toTrain(row!), created };
  }

  async listTrains(): Promise<StoredReleaseTrain[]> {
    const rows = await this.db<TrainRow>('calendar_trains').orderBy([
      { column: 'created_at' },
      { column: 'id' },
    ]);
    return rows.map(toTrain);
  }

  async deleteTrain(id: string): Promise<boolean> {
    return (await this.db('calendar_trains').where({ id }).delete()) > 0;
  }

  async getOverride(releaseId: string): Promise<FreezeOverride | null> {
    const row = await this.db<OverrideRow>('freeze_overrides')
      .where({ release_id: releaseId })
      .first();
    return row ? toOverride(row) : null;
  }

  async listOverrides(
    releaseIds: readonly string[],
  ): Promise<FreezeOverride[]> {
    if (!releaseIds.length) return [];
    const rows = await this.db<OverrideRow>('freeze_overrides')
      .whereIn('release_id', [...releaseIds])
      .orderBy([{ column: 'at' }, { column: 'release_id' }]);
    return rows.map(toOverride);
  }

  async setOverride(options: {
    releaseId: string;
    entityRef: string;
    by: Actor;
    reason: string;
    windowId: string | null;
    at: Date;
  }): Promise<FreezeOverride> {
    try {
      await this.db('freeze_overrides').insert({
        release_id: options.releaseId,
        entity_ref: options.entityRef,
        actor: toActorJson(options.by),
        reason: options.reason,
        window_id: options.windowId,
        at: options.at,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    return (await this.getOverride(options.releaseId))!;
  }
}
