import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { SandboxFleetEvent } from './fleet';

/*
 * The sandbox's journal in the database: when each service was first seen,
 * and what people did to the fleet (actions, drills, roll forwards, starts
 * of releases on request with their idempotency keys), in order. Replicas on one database and a
 * restarted backend replay it and report the same releases.
 */

const MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@glidepath/backstage-plugin-backend-module-sandbox',
  'migrations',
);

/** Apart from the Glidepath backend's `knex_migrations`. */
export const SANDBOX_MIGRATIONS_TABLE = 'glidepath_sandbox_knex_migrations';

const SERVICES = 'glidepath_sandbox_services';
const EVENTS = 'glidepath_sandbox_events';
/** Names per query, well under SQLite's limit on bound values. */
const CHUNK = 500;

/** Runs the sandbox's migrations (its own migrations table). */
export async function migrateSandboxDatabase(client: Knex): Promise<void> {
  await client.migrate.latest({
    directory: MIGRATIONS_DIRECTORY,
    tableName: SANDBOX_MIGRATIONS_TABLE,
  });
}

/** The sandbox's migrations directory, for tests that walk it. */
export function sandboxMigrationsDirectory(): string {
  return MIGRATIONS_DIRECTORY;
}

/**
 * An event of the journal, with its place in it; no event for a kind that a
 * later version of the sandbox wrote and this one does not know.
 */
export type JournalEntry = { id: number; event?: SandboxFleetEvent };

type EventRow = {
  id: number | string;
  service: string;
  kind: string;
  payload: string;
  at: number | string;
};

function toEntry(row: EventRow): JournalEntry {
  const id = Number(row.id);
  const service = row.service;
  const at = new Date(Number(row.at));
  const payload = JSON.parse(row.payload);
  switch (row.kind) {
    case 'action':
      return { id, event: { kind: 'action', service, at, action: payload } };
    case 'fault':
      return { id, event: { kind: 'fault', service, at, fault: payload } };
    case 'forward':
      return { id, event: { kind: 'forward', service, at, forward: payload } };
    case 'start':
      return { id, event: { kind: 'start', service, at, start: payload } };
    default:
      return { id };
  }
}

function releaseIdOf(event: SandboxFleetEvent): string | null {
  if (event.kind === 'action') return event.action.providerReleaseId;
  if (event.kind === 'forward') return event.forward.providerReleaseId;
  return null;
}

function payloadOf(event: SandboxFleetEvent): unknown {
  if (event.kind === 'action') return event.action;
  if (event.kind === 'forward') return event.forward;
  if (event.kind === 'start') return event.start;
  return event.fault;
}

/** The journal of one fleet (one seed) in the plugin's database. */
export class SandboxJournal {
  private readonly database: DatabaseService;
  private readonly seed: string;
  private client?: Promise<Knex>;

  constructor(options: { database: DatabaseService; seed: string }) {
    this.database = options.database;
    this.seed = options.seed;
  }

  /** The database, migrated unless the backend skips migrations. */
  ready(): Promise<Knex> {
    if (!this.client) {
      this.client = (async () => {
        const client = await this.database.getClient();
        if (!this.database.migrations?.skip) {
          await migrateSandboxDatabase(client);
        }
        return client;
      })();
      // A failed start is tried again on the next call.
      this.client.catch(() => {
        this.client = undefined;
      });
    }
    return this.client;
  }

  /**
   * When each service was first seen: stored for those seen before, `now`
   * for the others (stored so, unless another replica stored its time first).
   */
  async firstSeen(services: string[], now: Date): Promise<Map<string, Date>> {
    const client = await this.ready();
    const seen = new Map<string, Date>();
    const names = [...new Set(services)];
    for (let i = 0; i < names.length; i += CHUNK) {
      const chunk = names.slice(i, i + CHUNK);
      const read = async () =>
        (await client(SERVICES)
          .where({ seed: this.seed })
          .whereIn('service', chunk)
          .select('service', 'first_seen_at')) as Array<{
          service: string;
          first_seen_at: number | string;
        }>;
      let rows = await read();
      if (rows.length < chunk.length) {
        const known = new Set(rows.map(r => r.service));
        await client(SERVICES)
          .insert(
            chunk
              .filter(name => !known.has(name))
              .map(service => ({
                seed: this.seed,
                service,
                first_seen_at: now.getTime(),
              })),
          )
          .onConflict(['seed', 'service'])
          .ignore();
        rows = await read();
      }
      for (const row of rows) {
        seen.set(row.service, new Date(Number(row.first_seen_at)));
      }
    }
    return seen;
  }

  /** The events after `afterId`, in order. */
  async read(afterId: number, trx?: Knex.Transaction): Promise<JournalEntry[]> {
    const client = trx ?? (await this.ready());
    const rows = (await client(EVENTS)
      .where({ seed: this.seed })
      .andWhere('id', '>', afterId)
      .orderBy('id')
      .select('id', 'service', 'kind', 'payload', 'at')) as EventRow[];
    return rows.map(toEntry);
  }

  /**
   * Runs `fn` in a transaction that holds the journal's write lock: while it
   * runs, no other replica appends, so what `fn` reads is the whole journal
   * and its events take the next places in it.
   */
  async writing<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    const client = await this.ready();
    return client.transaction(async trx => {
      if (client.client.config.client === 'pg') {
        // Readers go on; writers wait their turn, so ids are committed in
        // order and a reader that has seen id n has seen every id before.
        await trx.raw(`LOCK TABLE ${EVENTS} IN SHARE ROW EXCLUSIVE MODE`);
      }
      // SQLite runs one write transaction at a time.
      return fn(trx);
    });
  }

  /** Appends `event` within `writing`; its id. */
  async append(
    trx: Knex.Transaction,
    event: SandboxFleetEvent,
  ): Promise<number> {
    const [row] = await trx(EVENTS)
      .insert({
        seed: this.seed,
        service: event.service,
        kind: event.kind,
        release_id: releaseIdOf(event),
        // Unique per fleet: a start is recorded once, whatever races.
        idempotency_key:
          event.kind === 'start' ? event.start.idempotencyKey : null,
        payload: JSON.stringify(payloadOf(event)),
        at: event.at.getTime(),
      })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }
}
