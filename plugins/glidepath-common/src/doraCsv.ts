import type { DoraReport } from './dora';

const HOUR_MS = 3_600_000;

const CSV_COLUMNS = [
  'scope',
  'bucket_start',
  'bucket_end',
  'deployments',
  'deployments_per_day',
  'lead_time_median_hours',
  'lead_time_p90_hours',
  'change_failure_rate',
  'failures',
  'recovery_median_hours',
  'recovery_p90_hours',
  'open_failures',
  'deployment_frequency_level',
  'lead_time_level',
  'change_failure_rate_level',
  'recovery_time_level',
];

/** RFC 4180: quoted when it holds a comma, a quote or a line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** At most 3 decimals, no trailing zeros; empty for null. */
function csvNumber(value: number | null): string {
  return value === null ? '' : String(Number(value.toFixed(3)));
}

function csvHours(ms: number | null): string {
  return csvNumber(ms === null ? null : ms / HOUR_MS);
}

/**
 * The series of a report as CSV (RFC 4180, CRLF after each record): a header
 * and one row per bucket, nothing else. Times are ISO 8601 UTC, durations in
 * hours, the change failure rate in 0..1, numbers with at most 3 decimals,
 * null as an empty cell. `scope` (what the report is about, e.g. a group
 * ref) fills the first column and is quoted when needed.
 * @public
 */
export function doraCsv(report: DoraReport, scope: string): string {
  const scopeField = csvField(scope);
  const rows = report.series.map(({ start, end, measures: m }) =>
    [
      scopeField,
      new Date(start).toISOString(),
      new Date(end).toISOString(),
      String(m.deployments),
      csvNumber(m.deploymentsPerDay),
      csvHours(m.leadTime.medianMs),
      csvHours(m.leadTime.p90Ms),
      csvNumber(m.changeFailureRate.rate),
      String(m.changeFailureRate.failures),
      csvHours(m.recoveryTime.medianMs),
      csvHours(m.recoveryTime.p90Ms),
      String(m.recoveryTime.open),
      m.deploymentFrequencyLevel ?? '',
      m.leadTime.level ?? '',
      m.changeFailureRate.level ?? '',
      m.recoveryTime.level ?? '',
    ].join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].map(line => `${line}\r\n`).join('');
}
