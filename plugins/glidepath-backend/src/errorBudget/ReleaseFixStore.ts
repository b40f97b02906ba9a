import type { Actor, ReleaseFix } from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import { readActor, toActorJson } from '../shared/actors';
import { isUniqueViolation } from '../shared/database';
import { DbTimestamp, readIsoTimestamp } from '../shared/timestamps';

type FixRow = {
  release_id: string;
  entity_ref: string;
  environment: string;
  version: string;
  actor: string;
  reason: string;
  at: DbTimestamp;
};

function toFix(row: FixRow): ReleaseFix {
  return {
    releaseId: row.release_id,
    entityRef: row.entity_ref,
    environment: row.environment,
    version: row.version,
    by: readActor(row.actor),
    reason: row.reason,
    at: readIsoTimestamp(row.at),
  };
}

/** Where releases marked as fixes are kept (table `release_fixes`). */
export class ReleaseFixStore {
  constructor(private readonly db: Knex) {}

  async getFix(releaseId: string): Promise<ReleaseFix | null> {
    const row = await this.db<FixRow>('release_fixes')
      .where({ release_id: releaseId })
      .first();
    return row ? toFix(row) : null;
  }

  /** The marks of these releases (those that have one). */
  async listFixes(releaseIds: readonly string[]): Promise<ReleaseFix[]> {
    if (!releaseIds.length) return [];
    const rows = await this.db<FixRow>('release_fixes')
      .whereIn('release_id', [...releaseIds])
      .orderBy([{ column: 'at' }, { column: 'release_id' }]);
    return rows.map(toFix);
  }

  /**
   * Marks a release as a fix; the first mark stays (a conditional insert:
   * a second one, however concurrent, returns the first).
   */
  async markFix(options: {
    releaseId: string;
    entityRef: string;
    environment: string;
    version: string;
    by: Actor;
    reason: string;
    at: Date;
  }): Promise<{ fix: ReleaseFix; created: boolean }> {
    let created = true;
    try {
      await this.db('release_fixes').insert({
        release_id: options.releaseId,
        entity_ref: options.entityRef,
        environment: options.environment,
        version: options.version,
        actor: toActorJson(options.by),
        reason: options.reason,
        at: options.at,
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      created = false;
    }
    return { fix: (await this.getFix(options.releaseId))!, created };
  }
}
