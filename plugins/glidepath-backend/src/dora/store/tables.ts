import { Knex } from 'knex';
import { DbTimestamp, readTimestamp } from '../../shared/timestamps';
import { chunks, ColumnTypes, DeploymentRow } from './rows';

/** The first key of DORA's advisory locks ('DORA'), apart from others'. */
const ENTITY_LOCK_CLASS = 0x444f5241;
/**
 * How many locks the entities share: a batch of a thousand entities takes
 * at most this many (PostgreSQL's lock table holds 64 per connection by
 * default), and two entities of one slot only wait for each other.
 */
const ENTITY_LOCK_SLOTS = 256;

/** An entity's lock slot: FNV-1a of its ref. */
function entityLockSlot(ref: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < ref.length; i++) {
    hash = Math.imul(hash ^ ref.charCodeAt(i), 0x01000193);
  }
  return (hash >>> 0) % ENTITY_LOCK_SLOTS;
}

/**
 * The statements of the DORA tables whose fastest form differs between
 * PostgreSQL and SQLite, and which database this is.
 */
export class DoraTables {
  /** The entity lock slots each transaction holds. */
  private readonly held = new WeakMap<Knex, Set<number>>();

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

  /**
   * Makes the writes that derive these entities' facts take turns: each
   * reads an entity's history and writes what it derives from it, so two
   * at once would each miss the other's events (an incident attributed to
   * the deployment before one that arrived at the same moment). On
   * PostgreSQL a lock per entity (a slot of ENTITY_LOCK_SLOTS), held until
   * the transaction ends, taken before reading the history, in the order
   * of the slots; what a transaction locks later (an entity found through
   * a link) may deadlock with another, which `retryOnConflict` runs again.
   * SQLite runs one transaction at a time.
   */
  async lockEntities(trx: Knex, refs: Iterable<string | null | undefined>) {
    if (!this.postgres()) return;
    const held = this.held.get(trx) ?? new Set<number>();
    this.held.set(trx, held);
    const slots = new Set<number>();
    for (const ref of refs) {
      if (!ref) continue;
      const slot = entityLockSlot(ref);
      if (!held.has(slot)) slots.add(slot);
    }
    if (slots.size === 0) return;
    const ordered = [...slots].sort((a, b) => a - b);
    await trx.raw(
      'select pg_advisory_xact_lock(?, slot) from unnest(?::int[]) as slot',
      [ENTITY_LOCK_CLASS, ordered] as Knex.Value[],
    );
    for (const slot of ordered) held.add(slot);
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
