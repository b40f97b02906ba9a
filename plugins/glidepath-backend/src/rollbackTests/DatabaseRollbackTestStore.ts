import type {
  Actor,
  RollbackGateOverride,
} from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import { readActor, toActorJson } from '../shared/actors';
import { isUniqueViolation } from '../shared/database';
import {
  DbTimestamp,
  readIsoTimestamp,
  readOptionalIsoTimestamp,
  readTimestamp,
} from '../shared/timestamps';
import {
  NewRollbackTest,
  policyKey,
  RollbackTestPatch,
  RollbackTestStore,
  StoredRollbackTest,
} from './RollbackTestStore';

type TestRow = {
  id: string;
  entity_ref: string;
  environment: string;
  version: string;
  previous_version: string | null;
  release_id: string;
  provider: string;
  simulated: boolean | number;
  trigger: string;
  requested_by: string;
  reason: string;
  state: string;
  state_reason: string | null;
  policy_key: string | null;
  idempotency_key: string | null;
  known_release_ids: string;
  rollback_action_id: string | null;
  requested_at: DbTimestamp;
  rolled_back_at: DbTimestamp | null;
  healthy_at: DbTimestamp | null;
  forward_requested_at: DbTimestamp | null;
  finished_at: DbTimestamp | null;
  revision: number;
  updated_at: DbTimestamp;
};

type OverrideRow = {
  release_id: string;
  entity_ref: string;
  actor: string;
  reason: string;
  at: DbTimestamp;
};

const UNFINISHED = ['pending', 'rolling_back', 'restoring', 'rolling_forward'];

function secondsBetween(
  from: DbTimestamp,
  to: DbTimestamp | null,
): number | null {
  if (to === null) return null;
  return (readTimestamp(to).getTime() - readTimestamp(from).getTime()) / 1000;
}

function toTest(row: TestRow): StoredRollbackTest {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    environment: row.environment,
    version: row.version,
    previousVersion: row.previous_version,
    releaseId: row.release_id,
    provider: row.provider,
    simulated: Boolean(row.simulated),
    trigger: row.trigger as StoredRollbackTest['trigger'],
    requestedBy: readActor(row.requested_by),
    reason: row.reason,
    state: row.state as StoredRollbackTest['state'],
    stateReason: row.state_reason,
    requestedAt: readIsoTimestamp(row.requested_at),
    rolledBackAt: readOptionalIsoTimestamp(row.rolled_back_at),
    healthyAt: readOptionalIsoTimestamp(row.healthy_at),
    finishedAt: readOptionalIsoTimestamp(row.finished_at),
    rollbackSeconds: secondsBetween(row.requested_at, row.rolled_back_at),
    healthySeconds: secondsBetween(row.requested_at, row.healthy_at),
    revision: Number(row.revision),
    rollbackActionId: row.rollback_action_id,
    forwardRequestedAt: readOptionalIsoTimestamp(row.forward_requested_at),
    knownReleaseIds: JSON.parse(row.known_release_ids) as string[],
  };
}

function toOverride(row: OverrideRow): RollbackGateOverride {
  return {
    by: readActor(row.actor),
    reason: row.reason,
    at: readIsoTimestamp(row.at),
  };
}

/**
 * Rollback tests and gate overrides in the release store's database (tables
 * `rollback_tests`, `rollback_gate_overrides`).
 */
export class DatabaseRollbackTestStore implements RollbackTestStore {
  constructor(private readonly db: Knex) {}

  async createTest(
    test: NewRollbackTest,
  ): Promise<{ test: StoredRollbackTest; created: boolean }> {
    const key =
      test.trigger === 'policy'
        ? policyKey(test.entityRef, test.environment, test.version)
        : null;
    const idempotencyKey =
      test.idempotencyKey !== undefined
        ? `${test.entityRef}|${test.idempotencyKey}`
        : null;
    const existing = async () => {
      const row = await this.db<TestRow>('rollback_tests')
        .where(q => {
          if (key) q.orWhere({ policy_key: key });
          if (idempotencyKey) q.orWhere({ idempotency_key: idempotencyKey });
        })
        .first();
      return row ? toTest(row) : undefined;
    };
    if (key || idempotencyKey) {
      const found = await existing();
      if (found) return { test: found, created: false };
    }
    const id = uuid();
    try {
      await this.db<TestRow>('rollback_tests').insert({
        id,
        entity_ref: test.entityRef,
        environment: test.environment,
        version: test.version,
        previous_version: test.previousVersion,
        release_id: test.releaseId,
        provider: test.provider,
        simulated: test.simulated,
        trigger: test.trigger,
        requested_by: toActorJson(test.requestedBy),
        reason: test.reason,
        state: 'pending',
        state_reason: null,
        policy_key: key,
        idempotency_key: idempotencyKey,
        known_release_ids: JSON.stringify(test.knownReleaseIds),
        rollback_action_id: null,
        requested_at: test.requestedAt,
        rolled_back_at: null,
        healthy_at: null,
        forward_requested_at: null,
        finished_at: null,
        revision: 0,
        updated_at: test.requestedAt,
      } as unknown as TestRow);
    } catch (error) {
      // Another replica recorded the same test first.
      if (isUniqueViolation(error)) {
        const found = await existing();
        if (found) return { test: found, created: false };
      }
      throw error;
    }
    return { test: (await this.getTest(id))!, created: true };
  }

  async getTest(id: string): Promise<StoredRollbackTest | undefined> {
    const row = await this.db<TestRow>('rollback_tests').where({ id }).first();
    return row ? toTest(row) : undefined;
  }

  async listTests(options: {
    entityRef: string;
    environment?: string;
    limit: number;
  }): Promise<StoredRollbackTest[]> {
    const query = this.db<TestRow>('rollback_tests').where({
      entity_ref: options.entityRef,
    });
    if (options.environment !== undefined) {
      query.andWhere({ environment: options.environment });
    }
    const rows = await query
      .orderBy([
        { column: 'requested_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(toTest);
  }

  async listTestsOfVersion(options: {
    entityRef: string;
    version: string;
  }): Promise<StoredRollbackTest[]> {
    const rows = await this.db<TestRow>('rollback_tests').where({
      entity_ref: options.entityRef,
      version: options.version,
    });
    return rows.map(toTest);
  }

  async listUnfinished(): Promise<StoredRollbackTest[]> {
    const rows = await this.db<TestRow>('rollback_tests')
      .whereIn('state', UNFINISHED)
      .orderBy([{ column: 'requested_at' }, { column: 'id' }]);
    return rows.map(toTest);
  }

  async policyKeysTaken(keys: readonly string[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const rows = await this.db<TestRow>('rollback_tests')
      .whereIn('policy_key', [...keys])
      .select('policy_key');
    return new Set(rows.map(r => r.policy_key!));
  }

  async updateTest(
    id: string,
    revision: number,
    patch: RollbackTestPatch,
  ): Promise<boolean> {
    const row: Partial<Record<keyof TestRow, unknown>> = {
      revision: revision + 1,
      updated_at: new Date(),
    };
    if (patch.state !== undefined) row.state = patch.state;
    if (patch.stateReason !== undefined) row.state_reason = patch.stateReason;
    if (patch.rollbackActionId !== undefined) {
      row.rollback_action_id = patch.rollbackActionId;
    }
    if (patch.rolledBackAt) row.rolled_back_at = patch.rolledBackAt;
    if (patch.healthyAt) row.healthy_at = patch.healthyAt;
    if (patch.forwardRequestedAt) {
      row.forward_requested_at = patch.forwardRequestedAt;
    }
    if (patch.finishedAt) row.finished_at = patch.finishedAt;
    const updated = await this.db('rollback_tests')
      .where({ id, revision })
      .update(row);
    return updated === 1;
  }

  async getOverride(releaseId: string): Promise<RollbackGateOverride | null> {
    const row = await this.db<OverrideRow>('rollback_gate_overrides')
      .where({ release_id: releaseId })
      .first();
    return row ? toOverride(row) : null;
  }

  async setOverride(options: {
    releaseId: string;
    entityRef: string;
    by: Actor;
    reason: string;
    at: Date;
  }): Promise<RollbackGateOverride> {
    try {
      await this.db('rollback_gate_overrides').insert({
        release_id: options.releaseId,
        entity_ref: options.entityRef,
        actor: toActorJson(options.by),
        reason: options.reason,
        at: options.at,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    return (await this.getOverride(options.releaseId))!;
  }
}
