import { InputError } from '@backstage/errors';
import type {
  ActionState,
  ActionType,
  Actor,
  Release,
  ReleaseAction,
  ReleaseEvent,
  ReleasePhase,
  ReleaseStep,
  ReleaseStrategy,
  StepExperiment,
} from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';
import { toActorJson } from '../shared/actors';
import {
  DbTimestamp,
  readIsoTimestamp,
  readOptionalIsoTimestamp,
  readTimestamp,
} from '../shared/timestamps';

/*
 * The rows of the release tables as the database holds them, and their
 * mapping to and from the API's shapes: pure functions, no I/O.
 */

export type ReleaseRow = {
  id: string;
  entity_ref: string;
  provider: string;
  provider_release_id: string;
  version: string;
  previous_version: string | null;
  environment: string;
  strategy: string;
  phase: string;
  current_step_index: number | null;
  canary_weight: number;
  message: string | null;
  started_by: string;
  commit_sha: string | null;
  simulated: boolean | number;
  started_at: DbTimestamp;
  updated_at: DbTimestamp;
  finished_at: DbTimestamp | null;
  observed_at: DbTimestamp;
};

export type StepRow = {
  release_id: string;
  step_index: number;
  kind: string;
  weight: number | null;
  duration_seconds: number | null;
  description: string;
  status: string;
  /** StepExperiment as JSON; null for a step without one. */
  experiment?: string | null;
};

export type EventRow = {
  /** bigint: a string from PostgreSQL, a number from SQLite. */
  id: string | number;
  release_id: string;
  entity_ref: string;
  type: ReleaseEvent['type'];
  from_phase: string | null;
  to_phase: string;
  step_index: number | null;
  canary_weight: number;
  message: string | null;
  occurred_at: DbTimestamp;
};

export type ActionRow = {
  id: string;
  release_id: string;
  entity_ref: string;
  action: string;
  reason: string;
  state: string;
  requested_by: string;
  idempotency_key: string;
  requested_at: DbTimestamp;
  started_at: DbTimestamp | null;
  finished_at: DbTimestamp | null;
  error: string | null;
};

export type ProviderAnalysisRow = {
  release_id: string;
  runs: string;
  observed_at: DbTimestamp;
};

export type SyncStateRow = {
  entity_ref: string;
  provider: string;
  last_attempt_at: DbTimestamp;
  last_success_at: DbTimestamp | null;
  error: string | null;
};

export function toStep(row: StepRow): ReleaseStep {
  return {
    index: row.step_index,
    kind: row.kind as ReleaseStep['kind'],
    weight: row.weight,
    durationSeconds: row.duration_seconds,
    description: row.description,
    status: row.status as ReleaseStep['status'],
    ...(row.experiment
      ? { experiment: JSON.parse(row.experiment) as StepExperiment }
      : {}),
  };
}

export function toRelease(row: ReleaseRow, steps: StepRow[]): Release {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    version: row.version,
    previousVersion: row.previous_version,
    environment: row.environment,
    strategy: row.strategy as ReleaseStrategy,
    phase: row.phase as ReleasePhase,
    steps: steps.map(toStep),
    currentStepIndex: row.current_step_index,
    canaryWeight: Number(row.canary_weight),
    provider: row.provider,
    providerRef: row.provider_release_id,
    simulated: Boolean(row.simulated),
    message: row.message,
    startedBy: JSON.parse(row.started_by) as Actor,
    commit: row.commit_sha,
    startedAt: readIsoTimestamp(row.started_at),
    updatedAt: readIsoTimestamp(row.updated_at),
    finishedAt: readOptionalIsoTimestamp(row.finished_at),
  };
}

export function toEvent(row: EventRow): ReleaseEvent {
  return {
    id: String(row.id),
    releaseId: row.release_id,
    type: row.type,
    // null for `created` events only.
    fromPhase: row.from_phase as ReleaseEvent['fromPhase'],
    toPhase: row.to_phase as ReleasePhase,
    stepIndex: row.step_index,
    canaryWeight: Number(row.canary_weight),
    message: row.message,
    occurredAt: readIsoTimestamp(row.occurred_at),
  };
}

export function toAction(row: ActionRow): ReleaseAction {
  return {
    id: row.id,
    releaseId: row.release_id,
    entityRef: row.entity_ref,
    action: row.action as ActionType,
    reason: row.reason,
    state: row.state as ActionState,
    requestedBy: JSON.parse(row.requested_by) as Actor,
    requestedAt: readIsoTimestamp(row.requested_at),
    startedAt: readOptionalIsoTimestamp(row.started_at),
    finishedAt: readOptionalIsoTimestamp(row.finished_at),
    error: row.error,
  };
}

export function toStepRows(
  releaseId: string,
  steps: ObservedRelease['steps'],
): StepRow[] {
  return steps.map((step, index) => ({
    release_id: releaseId,
    step_index: index,
    kind: step.kind,
    weight: step.weight ?? null,
    duration_seconds: step.durationSeconds ?? null,
    description: step.description,
    status: step.status,
    experiment: step.experiment ? JSON.stringify(step.experiment) : null,
  }));
}

/** The columns of a release that come from what its provider reports. */
export function observedColumns(observed: ObservedRelease) {
  return {
    version: observed.version,
    previous_version: observed.previousVersion,
    environment: observed.environment,
    strategy: observed.strategy,
    phase: observed.phase,
    current_step_index: observed.currentStepIndex,
    canary_weight: observed.canaryWeight,
    message: observed.message,
    started_by: toActorJson(observed.startedBy),
    commit_sha: observed.commit,
    finished_at: observed.finishedAt,
  };
}

/**
 * The part of a release an observation can change, in one comparable shape.
 * startedAt, updatedAt and the time of observation are left out: a provider
 * that reports a new updatedAt with nothing else changed has nothing to record.
 */
export function comparable(release: Release) {
  return JSON.stringify([
    release.version,
    release.previousVersion,
    release.environment,
    release.strategy,
    release.phase,
    release.currentStepIndex,
    release.canaryWeight,
    release.message,
    release.finishedAt,
    release.commit,
    [
      release.startedBy.kind,
      release.startedBy.ref,
      release.startedBy.displayName ?? null,
    ],
    comparableSteps(release.steps),
  ]);
}

export function comparableSteps(steps: Array<Omit<ReleaseStep, 'index'>>) {
  return JSON.stringify(
    steps.map(s => [
      s.kind,
      s.weight ?? null,
      s.durationSeconds ?? null,
      s.description,
      s.status,
      s.experiment ?? null,
    ]),
  );
}

export type Cursor = { startedAt: Date; id: string };

export function encodeCursor(row: ReleaseRow): string {
  const startedAt = readTimestamp(row.started_at).getTime();
  return Buffer.from(JSON.stringify([startedAt, row.id])).toString('base64url');
}

export function decodeCursor(cursor: string): Cursor {
  const invalid = new InputError(
    'The cursor is invalid: pass the nextCursor of a previous page unchanged',
  );
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalid;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    !Number.isSafeInteger(parsed[0]) ||
    typeof parsed[1] !== 'string' ||
    parsed[1].length === 0
  ) {
    throw invalid;
  }
  return { startedAt: new Date(parsed[0]), id: parsed[1] };
}

/**
 * The {@link ReleaseStore} on the plugin's knex database (SQLite or
 * PostgreSQL).
 *
 * Timestamps are bound as Dates (knex stores epoch milliseconds on SQLite and
 * `timestamptz(3)` on PostgreSQL) and read back through `readTimestamp`.
 */
