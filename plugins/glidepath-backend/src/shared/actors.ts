import type { Actor } from '@glidepath/backstage-plugin-common';

/** An Actor as the stores keep it in a text column. */
export function toActorJson(actor: Actor): string {
  return JSON.stringify({
    kind: actor.kind,
    ref: actor.ref,
    ...(actor.displayName !== undefined && { displayName: actor.displayName }),
  });
}

/** Reads an Actor column back. */
export function readActor(json: string): Actor {
  return JSON.parse(json) as Actor;
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
