import type { DatabaseService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  ProviderAnalysisRun,
  Release,
  ReleaseEvent,
  ReleasePhase,
} from '@glidepath/backstage-plugin-common';
import {
  isTerminalPhase,
  settledPhase,
} from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import { Knex } from 'knex';
import { normaliseProviderAnalysis } from './providerAnalysis';
import { isUniqueViolation, openGlidepathDatabase } from '../shared/database';
import { v4 as uuid } from 'uuid';
import { DbTimestamp, readTimestamp } from '../shared/timestamps';
import type {
  LatestRelease,
  ReleaseListPage,
  ReleaseStore,
  SyncState,
  UpsertReleaseResult,
} from './ReleaseStore';

import {
  ReleaseRow,
  StepRow,
  EventRow,
  ProviderAnalysisRow,
  SyncStateRow,
  toRelease,
  toEvent,
  toStepRows,
  observedColumns,
  comparable,
  comparableSteps,
  encodeCursor,
  decodeCursor,
} from './releaseRows';

export class DatabaseReleaseStore implements ReleaseStore {
  /** The store on the plugin's database, migrated (see openGlidepathDatabase). */
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseReleaseStore> {
    return new DatabaseReleaseStore(await openGlidepathDatabase(options));
  }

  constructor(private readonly db: Knex) {}

  async upsertObservedRelease(options: {
    entityRef: string;
    provider: string;
    simulated: boolean;
    observed: ObservedRelease;
    observedAt: Date;
  }): Promise<UpsertReleaseResult> {
    try {
      return await this.db.transaction(tx => this.upsertIn(tx, options));
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      // Another writer (another backend replica) inserted the same release
      // between our read and our insert. It is there now: compare against it.
      return await this.db.transaction(tx => this.upsertIn(tx, options));
    }
  }

  async upsertObservedReleases(options: {
    entityRef: string;
    provider: string;
    simulated: boolean;
    observed: ObservedRelease[];
    observedAt: Date;
  }): Promise<UpsertReleaseResult[]> {
    const unchanged = await this.unchangedObservations(options);
    const results: UpsertReleaseResult[] = [];
    for (const observed of options.observed) {
      const stored = unchanged.get(observed.providerReleaseId);
      results.push(
        stored
          ? { release: stored, changed: false, events: [] }
          : await this.upsertObservedRelease({ ...options, observed }),
      );
    }
    return results;
  }

  /**
   * The stored releases that these observations would leave as they are
   * (stale, or the same), by provider release id: three reads for all of
   * them, without a transaction or a lock. Skipping a write can lose no
   * update; an observation this does not find unchanged goes through the
   * locked, conditional upsert.
   */
  private async unchangedObservations(options: {
    provider: string;
    observed: ObservedRelease[];
    observedAt: Date;
  }): Promise<Map<string, Release>> {
    const { provider, observed, observedAt } = options;
    const unchanged = new Map<string, Release>();
    if (!observed.length) return unchanged;
    const rows = await this.db<ReleaseRow>('releases')
      .where({ provider })
      .whereIn(
        'provider_release_id',
        observed.map(o => o.providerReleaseId),
      );
    if (!rows.length) return unchanged;
    const ids = rows.map(row => row.id);
    const stepRows = await this.db<StepRow>('release_steps')
      .whereIn('release_id', ids)
      .orderBy('step_index');
    const storedRuns = new Map<string, string>();
    if (observed.some(o => o.providerAnalysis !== undefined)) {
      const analyses = await this.db<ProviderAnalysisRow>(
        'release_provider_analyses',
      )
        .whereIn('release_id', ids)
        .select('release_id', 'runs');
      for (const a of analyses) storedRuns.set(a.release_id, a.runs);
    }
    const rowOf = new Map(rows.map(row => [row.provider_release_id, row]));
    for (const o of observed) {
      const row = rowOf.get(o.providerReleaseId);
      if (!row) continue;
      const plan = planObservation(
        row,
        stepRows.filter(step => step.release_id === row.id),
        o,
        observedAt,
      );
      const runs = providerAnalysisJson(o);
      if (
        plan.stale ||
        (!plan.changed &&
          (runs === undefined || runs === storedRuns.get(row.id)))
      ) {
        unchanged.set(o.providerReleaseId, plan.before);
      }
    }
    return unchanged;
  }

  private async upsertIn(
    tx: Knex.Transaction,
    options: {
      entityRef: string;
      provider: string;
      simulated: boolean;
      observed: ObservedRelease;
      observedAt: Date;
    },
  ): Promise<UpsertReleaseResult> {
    const { entityRef, provider, simulated, observed, observedAt } = options;

    // forUpdate serialises concurrent observations of one release on
    // PostgreSQL, so a change is recorded once; SQLite has one writer anyway.
    const existing = await tx<ReleaseRow>('releases')
      .where({ provider, provider_release_id: observed.providerReleaseId })
      .forUpdate()
      .first();

    if (!existing) {
      const row: ReleaseRow = {
        id: uuid(),
        entity_ref: entityRef,
        provider,
        provider_release_id: observed.providerReleaseId,
        ...observedColumns(observed),
        simulated,
        started_at: observed.startedAt,
        updated_at: observed.updatedAt,
        observed_at: observedAt,
      };
      await tx('releases').insert(row);
      const steps = toStepRows(row.id, observed.steps);
      if (steps.length > 0) {
        await tx('release_steps').insert(steps);
      }
      await this.writeProviderAnalysis(tx, row.id, observed, observedAt);
      const event = await this.insertEvent(tx, {
        release_id: row.id,
        entity_ref: entityRef,
        type: 'created',
        from_phase: null,
        to_phase: observed.phase,
        step_index: observed.currentStepIndex,
        canary_weight: observed.canaryWeight,
        message: observed.message,
        occurred_at: observedAt,
      });
      return { release: toRelease(row, steps), changed: true, events: [event] };
    }

    const existingSteps = await tx<StepRow>('release_steps')
      .where('release_id', existing.id)
      .orderBy('step_index');
    const plan = planObservation(existing, existingSteps, observed, observedAt);
    if (plan.stale) {
      return { release: plan.before, changed: false, events: [] };
    }
    const { before, after, changes, steps, stepsChanged } = plan;

    const analysisChanged = await this.writeProviderAnalysis(
      tx,
      existing.id,
      observed,
      observedAt,
    );
    if (!plan.changed) {
      return { release: before, changed: analysisChanged, events: [] };
    }

    const id = existing.id;
    await tx('releases').where({ id }).update(changes);
    if (stepsChanged) {
      await tx('release_steps').where('release_id', id).delete();
      if (steps.length > 0) {
        await tx('release_steps').insert(steps);
      }
    }

    // One event per observation at most: a phase change takes precedence and
    // carries the step and weight it was observed with; otherwise a move of
    // the current step or the canary weight is a step change. Other changes
    // (message, steps' statuses, finishedAt, ...) update the release only.
    const events: ReleaseEvent[] = [];
    const eventBase = {
      release_id: id,
      entity_ref: existing.entity_ref,
      from_phase: before.phase,
      to_phase: after.phase,
      step_index: after.currentStepIndex,
      canary_weight: after.canaryWeight,
      message: after.message,
      occurred_at: observedAt,
    };
    if (before.phase !== after.phase) {
      events.push(
        await this.insertEvent(tx, { ...eventBase, type: 'phase_changed' }),
      );
    } else if (
      before.currentStepIndex !== after.currentStepIndex ||
      before.canaryWeight !== after.canaryWeight
    ) {
      events.push(
        await this.insertEvent(tx, { ...eventBase, type: 'step_changed' }),
      );
    }

    return { release: after, changed: true, events };
  }

  /**
   * Replaces the stored provider analysis of a release with the observed one
   * when the observation carries it and it differs. True when it wrote.
   */
  private async writeProviderAnalysis(
    tx: Knex.Transaction,
    releaseId: string,
    observed: ObservedRelease,
    observedAt: Date,
  ): Promise<boolean> {
    const runs = providerAnalysisJson(observed);
    if (runs === undefined) {
      return false;
    }
    const stored = await tx<ProviderAnalysisRow>('release_provider_analyses')
      .where({ release_id: releaseId })
      .first('runs');
    if (stored?.runs === runs) {
      return false;
    }
    await tx('release_provider_analyses')
      .insert({ release_id: releaseId, runs, observed_at: observedAt })
      .onConflict('release_id')
      .merge(['runs', 'observed_at']);
    return true;
  }

  async getProviderAnalysis(releaseId: string): Promise<ProviderAnalysisRun[]> {
    const row = await this.db<ProviderAnalysisRow>('release_provider_analyses')
      .where({ release_id: releaseId })
      .first('runs');
    return row ? (JSON.parse(row.runs) as ProviderAnalysisRun[]) : [];
  }

  private async insertEvent(
    tx: Knex.Transaction,
    row: Omit<EventRow, 'id' | 'occurred_at'> & { occurred_at: Date },
  ): Promise<ReleaseEvent> {
    const [{ id }] = await tx('release_events').insert(row).returning('id');
    return toEvent({ ...row, id });
  }

  async markProviderChanged(releaseId: string, at: Date): Promise<void> {
    // Only forward: a later observation already stored is newer still.
    await this.db('releases')
      .where({ id: releaseId })
      .andWhere('observed_at', '<', at)
      .update({ observed_at: at });
  }

  async getRelease(id: string): Promise<Release | undefined> {
    const row = await this.db<ReleaseRow>('releases').where({ id }).first();
    if (!row) {
      return undefined;
    }
    const steps = await this.db<StepRow>('release_steps')
      .where('release_id', id)
      .orderBy('step_index');
    return toRelease(row, steps);
  }

  async listActiveReleases(): Promise<Release[]> {
    const rows = await this.db<ReleaseRow>('releases')
      .whereIn('phase', ['progressing', 'paused'])
      .orderBy([{ column: 'started_at' }, { column: 'id' }]);
    if (!rows.length) return [];
    const steps = await this.db<StepRow>('release_steps')
      .whereIn(
        'release_id',
        rows.map(r => r.id),
      )
      .orderBy(['release_id', 'step_index']);
    const byRelease = new Map<string, StepRow[]>();
    for (const step of steps) {
      const list = byRelease.get(step.release_id) ?? [];
      list.push(step);
      byRelease.set(step.release_id, list);
    }
    return rows.map(row => toRelease(row, byRelease.get(row.id) ?? []));
  }

  async listLatestReleases(
    entityRefs?: readonly string[],
  ): Promise<LatestRelease[]> {
    const columns = [
      'id',
      'entity_ref',
      'environment',
      'version',
      'previous_version',
      'phase',
      'simulated',
      'started_at',
    ];
    const read = async (refs?: readonly string[]) => {
      const ranked = this.db('releases')
        .select(columns)
        .select(
          this.db.raw(
            'row_number() over (partition by entity_ref, environment order by started_at desc, id desc) as head',
          ),
        );
      if (refs) ranked.whereIn('entity_ref', refs);
      return (await this.db
        .select(columns)
        .from(ranked.as('ranked'))
        .where('head', 1)) as ReleaseRow[];
    };
    let rows: ReleaseRow[];
    if (!entityRefs) {
      rows = await read();
    } else {
      // Stay well below the bound-parameter limits of SQLite and PostgreSQL.
      rows = [];
      for (let i = 0; i < entityRefs.length; i += 5000) {
        rows.push(...(await read(entityRefs.slice(i, i + 5000))));
      }
    }
    return rows.map(row => ({
      id: row.id,
      entityRef: row.entity_ref,
      environment: row.environment,
      version: row.version,
      previousVersion: row.previous_version,
      phase: row.phase as ReleasePhase,
      simulated: Boolean(row.simulated),
      startedAt: readTimestamp(row.started_at),
    }));
  }

  async releasesVersion(): Promise<string> {
    // Every insert and change writes observed_at (the time of the sync that
    // saw it), and nothing deletes a release: the count and the latest
    // observation move with every write.
    const row = (await this.db('releases')
      .count({ n: '*' })
      .max({ at: 'observed_at' })
      .first()) as { n: number | string; at: DbTimestamp | null } | undefined;
    const at = row?.at ? readTimestamp(row.at).getTime() : 0;
    return `${Number(row?.n ?? 0)}:${at}`;
  }

  /** The store's knex client, for stores of other concepts in the same database. */
  get client(): Knex {
    return this.db;
  }

  async listReleases(options: {
    entityRef: string;
    limit: number;
    cursor?: string;
    environment?: string;
  }): Promise<ReleaseListPage> {
    const { entityRef, limit, cursor, environment } = options;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new InputError(
        `The limit must be a positive integer, not ${limit}`,
      );
    }
    const after = cursor === undefined ? undefined : decodeCursor(cursor);

    const query = this.db<ReleaseRow>('releases')
      .where('entity_ref', entityRef)
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit + 1);
    if (environment !== undefined) {
      query.where('environment', environment);
    }
    if (after) {
      query.where(q =>
        q
          .where('started_at', '<', after.startedAt)
          .orWhere(q2 =>
            q2
              .where('started_at', '=', after.startedAt)
              .where('id', '<', after.id),
          ),
      );
    }
    const rows = await query;

    const page = rows.slice(0, limit);
    const stepsByRelease = await this.stepsOf(page.map(r => r.id));
    return {
      items: page.map(r => toRelease(r, stepsByRelease.get(r.id) ?? [])),
      nextCursor:
        rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  private async stepsOf(releaseIds: string[]): Promise<Map<string, StepRow[]>> {
    const byRelease = new Map<string, StepRow[]>();
    if (releaseIds.length === 0) {
      return byRelease;
    }
    const rows = await this.db<StepRow>('release_steps')
      .whereIn('release_id', releaseIds)
      .orderBy(['release_id', 'step_index']);
    for (const row of rows) {
      const steps = byRelease.get(row.release_id) ?? [];
      steps.push(row);
      byRelease.set(row.release_id, steps);
    }
    return byRelease;
  }

  async listEvents(releaseId: string): Promise<ReleaseEvent[]> {
    const rows = await this.db<EventRow>('release_events')
      .where('release_id', releaseId)
      .orderBy('id', 'asc');
    return rows.map(toEvent);
  }

  async recordSyncAttempt(options: {
    entityRef: string;
    provider: string;
    at: Date;
    error?: string;
  }): Promise<void> {
    const { entityRef, provider, at, error } = options;
    const failed = error !== undefined;
    await this.db('entity_sync_state')
      .insert({
        entity_ref: entityRef,
        provider,
        last_attempt_at: at,
        last_success_at: failed ? null : at,
        error: failed ? error : null,
      })
      .onConflict('entity_ref')
      // A failure keeps the time of the last success: the data shown is from then.
      .merge(
        failed
          ? ['provider', 'last_attempt_at', 'error']
          : ['provider', 'last_attempt_at', 'last_success_at', 'error'],
      );
  }

  async getSyncState(entityRef: string): Promise<SyncState | undefined> {
    const row = await this.db<SyncStateRow>('entity_sync_state')
      .where('entity_ref', entityRef)
      .first();
    if (!row) {
      return undefined;
    }
    return {
      entityRef: row.entity_ref,
      provider: row.provider,
      lastAttemptAt: readTimestamp(row.last_attempt_at),
      lastSuccessAt: row.last_success_at
        ? readTimestamp(row.last_success_at)
        : null,
      error: row.error,
    };
  }
}

/**
 * Whether an observation must not be written over the stored release: it
 * was read before the stored state was (another sync's, or an action's
 * effect), or it would move a finished release back into progress while
 * the provider reports no update since the release finished.
 */
function isStaleObservation(
  row: ReleaseRow,
  stored: Release,
  observed: ObservedRelease,
  observedAt: Date,
): boolean {
  if (readTimestamp(row.observed_at).getTime() > observedAt.getTime()) {
    return true;
  }
  return (
    isTerminalPhase(stored.phase) &&
    !isTerminalPhase(observed.phase) &&
    observed.updatedAt.getTime() <= new Date(stored.updatedAt).getTime()
  );
}

/**
 * What an observation does to a stored release: nothing when it is stale
 * (see isStaleObservation); otherwise the release after it, the columns
 * and steps to write, and whether anything an observation can change did.
 */
function planObservation(
  existing: ReleaseRow,
  existingSteps: StepRow[],
  observed: ObservedRelease,
  observedAt: Date,
):
  | { stale: true; before: Release }
  | {
      stale: false;
      before: Release;
      after: Release;
      changed: boolean;
      changes: Partial<ReleaseRow>;
      steps: StepRow[];
      stepsChanged: boolean;
    } {
  const before = toRelease(existing, existingSteps);
  if (isStaleObservation(existing, before, observed, observedAt)) {
    return { stale: true, before };
  }
  const changes: Partial<ReleaseRow> = {
    ...observedColumns(observed),
    updated_at: observed.updatedAt,
    observed_at: observedAt,
  };
  // What ended badly stays so (see settledPhase), with its traffic.
  const phase = settledPhase(before.phase, observed.phase);
  if (phase !== observed.phase) {
    changes.phase = phase;
    changes.canary_weight = before.canaryWeight;
  }
  const updated: ReleaseRow = { ...existing, ...changes };
  const stepsChanged =
    comparableSteps(before.steps) !== comparableSteps(observed.steps);
  const steps = stepsChanged
    ? toStepRows(existing.id, observed.steps)
    : existingSteps;
  const after = toRelease(updated, steps);
  return {
    stale: false,
    before,
    after,
    changed: comparable(before) !== comparable(after),
    changes,
    steps,
    stepsChanged,
  };
}

/** The observation's provider analysis as stored, if it carries one. */
function providerAnalysisJson(observed: ObservedRelease): string | undefined {
  return observed.providerAnalysis === undefined
    ? undefined
    : JSON.stringify(normaliseProviderAnalysis(observed.providerAnalysis));
}
