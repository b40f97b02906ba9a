import { Knex } from 'knex';
import type {
  AggregateQuery,
  DeploymentRecord,
  DoraRange,
  DoraStore,
  FactsQuery,
  FailuresQuery,
  GroupsQuery,
  IncidentRecord,
  PruneOptions,
  ReportsQuery,
  SlowestQuery,
  StoredReport,
} from './DoraStore';
import { DoraAggregation } from './store/aggregation';
import { DoraDerivation } from './store/derivation';
import { DoraIngestion } from './store/ingestion';
import { DoraListings } from './store/listings';
import { DoraReportStore } from './store/reports';
import { DoraRollup } from './store/rollupTable';
import { DoraTables } from './store/tables';

/**
 * DORA's storage in the plugin's database (PostgreSQL or SQLite), made of
 * one part per job under `store/`: ingestion (`store/ingestion.ts`), which
 * re-derives the facts of the entities every write touches, in the same
 * transaction, with the pure functions of `-common` (`store/derivation.ts`),
 * so that the queries only read; the aggregates by the database
 * (`store/aggregation.ts`) and their rollup (`store/rollupTable.ts`); the
 * lists (`store/listings.ts`) and the weekly reports (`store/reports.ts`).
 * What differs between the databases is in `store/tables.ts`.
 */
export class DatabaseDoraStore implements DoraStore {
  private readonly ingestion: DoraIngestion;
  private readonly aggregation: DoraAggregation;
  private readonly listings: DoraListings;
  private readonly reports: DoraReportStore;

  constructor(db: Knex) {
    const tables = new DoraTables(db);
    this.ingestion = new DoraIngestion(db, tables, new DoraDerivation(tables));
    this.aggregation = new DoraAggregation(db, tables, new DoraRollup(db));
    this.listings = new DoraListings(db);
    this.reports = new DoraReportStore(db);
  }

  recordDeployments(records: DeploymentRecord[], now?: Date) {
    return this.ingestion.recordDeployments(records, now);
  }

  recordIncidents(records: IncidentRecord[], now?: Date) {
    return this.ingestion.recordIncidents(records, now);
  }

  pruneHistory(options: PruneOptions) {
    return this.ingestion.pruneHistory(options);
  }

  listFacts(options: FactsQuery) {
    return this.listings.listFacts(options);
  }

  aggregate(options: AggregateQuery) {
    return this.aggregation.aggregate(options);
  }

  aggregateGroups(options: GroupsQuery) {
    return this.aggregation.aggregateGroups(options);
  }

  listDeployedEntities(options: DoraRange) {
    return this.listings.listDeployedEntities(options);
  }

  listFailures(options: FailuresQuery) {
    return this.listings.listFailures(options);
  }

  listUnmatched(limit: number) {
    return this.listings.listUnmatched(limit);
  }

  countUnmatched() {
    return this.listings.countUnmatched();
  }

  listSlowestLeadTimes(options: SlowestQuery) {
    return this.listings.listSlowestLeadTimes(options);
  }

  getIncident(id: string) {
    return this.listings.getIncident(id);
  }

  insertReport(report: StoredReport) {
    return this.reports.insertReport(report);
  }

  hasReport(ownerRef: string, periodStart: Date) {
    return this.reports.hasReport(ownerRef, periodStart);
  }

  listReports(options: ReportsQuery) {
    return this.reports.listReports(options);
  }

  getReport(id: string) {
    return this.reports.getReport(id);
  }
}
