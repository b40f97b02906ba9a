import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@glidepath/backstage-plugin-backend',
  'migrations',
);

/**
 * The plugin's database (SQLite or PostgreSQL), with every Glidepath
 * migration applied unless the backend or the caller skips them. Each
 * capability's store is built on the client it returns.
 */
export async function openGlidepathDatabase(options: {
  database: DatabaseService;
  skipMigrations?: boolean;
}): Promise<Knex> {
  const { database, skipMigrations } = options;
  const client = await database.getClient();
  if (!database.migrations?.skip && !skipMigrations) {
    await client.migrate.latest({ directory: migrationsDir });
  }
  return client;
}

/** PostgreSQL `foreign_key_violation`, or SQLite's foreign key failure. */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** PostgreSQL `unique_violation`, or SQLite's unique / primary key failure. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
