import { Knex } from 'knex';
import type { ReportsQuery, StoredReport } from '../DoraStore';
import { DbTimestamp, readTimestamp } from '../../shared/timestamps';

type ReportRow = {
  id: string;
  owner_ref: string;
  period_start: DbTimestamp;
  period_end: DbTimestamp;
  created_at: DbTimestamp;
  content: string;
};

function toStoredReport(row: ReportRow): StoredReport {
  return {
    id: row.id,
    ownerRef: row.owner_ref,
    periodStart: readTimestamp(row.period_start),
    periodEnd: readTimestamp(row.period_end),
    createdAt: readTimestamp(row.created_at),
    content: JSON.parse(row.content),
  };
}

/** The teams' weekly reports, one per team and period. */
export class DoraReportStore {
  constructor(private readonly db: Knex) {}

  /**
   * Stores a team's report for a period unless one is there already (a
   * second run, another replica); true when this call stored it.
   */
  async insertReport(report: StoredReport): Promise<boolean> {
    const inserted = await this.db('dora_reports')
      .insert({
        id: report.id,
        owner_ref: report.ownerRef,
        period_start: report.periodStart,
        period_end: report.periodEnd,
        created_at: report.createdAt,
        content: JSON.stringify(report.content),
      })
      .onConflict(['owner_ref', 'period_start'])
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  /** Whether a team has a report for the period starting then. */
  async hasReport(ownerRef: string, periodStart: Date): Promise<boolean> {
    const row = await this.db('dora_reports')
      .where({ owner_ref: ownerRef, period_start: periodStart })
      .first('id');
    return Boolean(row);
  }

  /** Reports, newest period first, of one team or of all. */
  async listReports(options: ReportsQuery): Promise<StoredReport[]> {
    const query = this.db('dora_reports')
      .orderBy([
        { column: 'period_start', order: 'desc' },
        { column: 'owner_ref', order: 'asc' },
      ])
      .limit(options.limit);
    if (options.ownerRefs) query.whereIn('owner_ref', options.ownerRefs);
    return ((await query) as ReportRow[]).map(toStoredReport);
  }

  async getReport(id: string): Promise<StoredReport | undefined> {
    const row: ReportRow | undefined = await this.db('dora_reports')
      .where('id', id)
      .first();
    return row ? toStoredReport(row) : undefined;
  }
}
