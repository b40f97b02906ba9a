import type {
  Analysis,
  AnalysisDecision,
  MetricEvidence,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import { Knex } from 'knex';
import { v4 as uuid } from 'uuid';
import {
  DbTimestamp,
  readIsoTimestamp,
  readTimestamp,
} from '../shared/timestamps';
import type { AnalysisStore, HoldRun, NewAnalysis } from './AnalysisStore';

type AnalysisRow = {
  id: string;
  release_id: string;
  entity_ref: string;
  evaluated_at: DbTimestamp;
  range_from: DbTimestamp;
  range_to: DbTimestamp;
  policy: string;
  metrics_provider: string | null;
  simulated: boolean | number;
  verdict: string;
  decision: string;
  reason: string;
  metrics: string;
  action_id: string | null;
};

const HOLDS: AnalysisDecision[] = ['hold', 'escalate'];
const UNDECIDED_VERDICTS: Verdict[] = ['inconclusive', 'no_data'];

/**
 * Analyses that decided nothing: holds, escalations, and watching on with
 * an inconclusive verdict (the warm-up's too; `decide` leaves it out).
 */
function undecided(query: Knex.QueryBuilder) {
  query
    .whereIn('decision', HOLDS)
    .orWhere(watching =>
      watching
        .where('decision', 'continue')
        .whereIn('verdict', UNDECIDED_VERDICTS),
    );
}

function toAnalysis(row: AnalysisRow): Analysis {
  return {
    id: row.id,
    releaseId: row.release_id,
    entityRef: row.entity_ref,
    evaluatedAt: readIsoTimestamp(row.evaluated_at),
    from: readIsoTimestamp(row.range_from),
    to: readIsoTimestamp(row.range_to),
    policy: row.policy,
    metricsProvider: row.metrics_provider,
    simulated: Boolean(row.simulated),
    verdict: row.verdict as Verdict,
    decision: row.decision as AnalysisDecision,
    reason: row.reason,
    metrics: JSON.parse(row.metrics) as MetricEvidence[],
    actionId: row.action_id,
  };
}

/** Analyses in the release store's database (table `release_analyses`). */
export class DatabaseAnalysisStore implements AnalysisStore {
  constructor(private readonly db: Knex) {}

  async addAnalysis(analysis: NewAnalysis): Promise<Analysis> {
    const row: AnalysisRow = {
      id: uuid(),
      release_id: analysis.releaseId,
      entity_ref: analysis.entityRef,
      // Bind Dates, never strings: see timestamps.ts.
      evaluated_at: new Date(analysis.evaluatedAt),
      range_from: new Date(analysis.from),
      range_to: new Date(analysis.to),
      policy: analysis.policy,
      metrics_provider: analysis.metricsProvider,
      simulated: analysis.simulated,
      verdict: analysis.verdict,
      decision: analysis.decision,
      reason: analysis.reason,
      metrics: JSON.stringify(analysis.metrics),
      action_id: analysis.actionId,
    };
    await this.db<AnalysisRow>('release_analyses').insert(row);
    return toAnalysis(row);
  }

  async listAnalyses(releaseId: string, limit: number): Promise<Analysis[]> {
    const rows = await this.db<AnalysisRow>('release_analyses')
      .where('release_id', releaseId)
      .orderBy([
        { column: 'evaluated_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.reverse().map(toAnalysis);
  }

  async getHoldRun(releaseId: string): Promise<HoldRun> {
    const lastOther = await this.db<AnalysisRow>('release_analyses')
      .where('release_id', releaseId)
      .whereNot(undecided)
      .max({ at: 'evaluated_at' })
      .first();
    const holds = this.db<AnalysisRow>('release_analyses')
      .where('release_id', releaseId)
      .where(undecided);
    if (lastOther?.at !== null && lastOther?.at !== undefined) {
      holds.where('evaluated_at', '>', readTimestamp(lastOther.at));
    }
    const run = await holds
      .min({ since: 'evaluated_at' })
      .count({
        escalations: this.db.raw("case when decision = 'escalate' then 1 end"),
      })
      .first();
    if (!run || run.since === null || run.since === undefined) {
      return { since: null, escalated: false };
    }
    return {
      since: readTimestamp(run.since as DbTimestamp),
      escalated: Number(run.escalations) > 0,
    };
  }
}
