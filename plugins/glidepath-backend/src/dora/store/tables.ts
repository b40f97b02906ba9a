import { Knex } from 'knex';
import { DbTimestamp, readTimestamp } from '../../shared/timestamps';
import { chunks, ColumnTypes, DeploymentRow } from './rows';

/**
 * The statements of the DORA tables whose fastest form differs between
 * PostgreSQL and SQLite, and which database this is.
 */
export class DoraTables {
  constructor(private readonly db: Knex) {}

  /** Whether this is PostgreSQL. */
  postgres(): boolean {
    return this.db.client.config.client === 'pg';
  }

  /** Whether this is SQLite (better-sqlite3 or sqlite3). */
  sqlite(): boolean {
    return String(this.db.client.config.client).includes('sqlite');
  }

  /** Whether this database computes DORA's aggregates (percentile_cont). */
  aggregatesInSql(): boolean {
    return this.postgres();
  }

  async deploymentsById(
    db: Knex,
    ids: string[],
  ): Promise<Map<string, DeploymentRow>> {
    const out = new Map<string, DeploymentRow>();
    for (const row of await this.rowsWhereIn<DeploymentRow>(
      db,
      'dora_deployments',
      'event_id',
      ids,
    )) {
      out.set(row.event_id, row);
    }
    return out;
  }

  /**
   * Inserts rows: on PostgreSQL one statement with an array per column
   * through `unnest` (a thousand rows as a list of values are 21,000
   * parameters to number, send and plan), lists of 200 rows elsewhere.
   */
  async insertRows<Row extends object>(
    trx: Knex,
    table: string,
    columns: ColumnTypes<Row>,
    rows: readonly Row[],
  ) {
    if (rows.length === 0) return;
    if (!this.postgres()) {
      for (const part of chunks(rows, 200)) await trx(table).insert(part);
      return;
    }
    const names = Object.keys(columns) as Array<keyof Row & string>;
    const arrays = names.map(name =>
      rows.map(row => {
        const value = row[name] as unknown;
        if (value === null || value === undefined) return null;
        return columns[name] === 'timestamptz'
          ? readTimestamp(value as DbTimestamp).toISOString()
          : value;
      }),
    );
    await trx.raw(
      `insert into ?? (${names.map(() => '??').join(', ')})
       select * from unnest(${names
         .map(name => `?::${columns[name]}[]`)
         .join(', ')})`,
      [table, ...names, ...arrays] as Knex.Value[],
    );
  }

  /**
   * The rows where one of the text columns is one of the values: given, or
   * those of a query selecting one column named `value`. On PostgreSQL one
   * query (with an array parameter: a list of a thousand parameters costs
   * more to send and plan) that probes the columns' indexes once per value.
   * As `column = any(...)` or `in (select ...)`, the planner, believing the
   * table small (a freshly loaded table has no statistics), scanned it
   * instead: 18 ms per thousand ids at 100,000 deployments; every incident
   * for the links of each incident batch. Elsewhere one query per column,
   * with lists of at most CHUNK values. A row may come more than once.
   */
  async rowsWhereIn<Row>(
    db: Knex,
    table: string,
    columns: string | readonly string[],
    values: readonly string[] | Knex.QueryBuilder,
  ): Promise<Row[]> {
    const given = Array.isArray(values) ? (values as readonly string[]) : null;
    if (given?.length === 0) return [];
    const names = typeof columns === 'string' ? [columns] : columns;
    if (this.postgres()) {
      // `offset 0` keeps the subquery a lookup per value (an index probe)
      // instead of a join the planner may answer with a scan.
      const { rows } = await db.raw(
        `select t.* from ${given ? 'unnest(?::text[])' : '(?)'} as v(value)
           cross join lateral (select * from ?? where ${names
             .map(() => '?? = v.value')
             .join(' or ')} offset 0) as t`,
        [given ? [...new Set(given)] : values, table, ...names] as Knex.Value[],
      );
      return rows as Row[];
    }
    let rows: Row[] = [];
    for (const column of names) {
      if (!given) {
        const query = (values as Knex.QueryBuilder).clone();
        rows = rows.concat((await db(table).whereIn(column, query)) as Row[]);
        continue;
      }
      for (const part of chunks(given)) {
        rows = rows.concat((await db(table).whereIn(column, part)) as Row[]);
      }
    }
    return rows;
  }
}
