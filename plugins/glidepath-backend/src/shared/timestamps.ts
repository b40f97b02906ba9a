/**
 * What a timestamp column gives back: PostgreSQL (node-postgres) returns a
 * Date; better-sqlite3 returns the epoch milliseconds knex stored for a Date
 * binding, or text when a value was written as text (e.g. `CURRENT_TIMESTAMP`).
 */
export type DbTimestamp = Date | number | string;

// SQLite's CURRENT_TIMESTAMP: UTC, without a zone designator.
const SQLITE_UTC_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/;

/** Reads a timestamp column into a Date, the same way on every database. */
export function readTimestamp(value: DbTimestamp): Date {
  let date: Date;
  if (value instanceof Date) {
    date = value;
  } else if (typeof value === 'number') {
    date = new Date(value);
  } else if (/^-?\d+(\.\d+)?$/.test(value)) {
    date = new Date(Number(value));
  } else if (SQLITE_UTC_TEXT.test(value)) {
    date = new Date(`${value.replace(' ', 'T')}Z`);
  } else {
    date = new Date(value);
  }
  if (Number.isNaN(date.getTime())) {
    throw new TypeError(`Unreadable timestamp from the database: ${value}`);
  }
  return date;
}

/** Reads a timestamp column into the ISO string the API types carry. */
export function readIsoTimestamp(value: DbTimestamp): string {
  return readTimestamp(value).toISOString();
}

/** Like {@link readIsoTimestamp}, keeping null (and undefined) as null. */
export function readOptionalIsoTimestamp(
  value: DbTimestamp | null | undefined,
): string | null {
  return value === null || value === undefined ? null : readIsoTimestamp(value);
}
