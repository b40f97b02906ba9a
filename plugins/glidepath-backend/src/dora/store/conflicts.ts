import { isUniqueViolation } from '../../shared/database';

/** How many times a write runs at most before its conflict is the answer. */
export const MAX_WRITE_ATTEMPTS = 8;

/** PostgreSQL's `deadlock_detected` and `serialization_failure`. */
function isDeadlock(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Runs a write transaction again when it lost a race with another one.
 * Each write reads which of its ids are stored, then inserts the others:
 * two writes that carry the same new id at once both insert it, and the
 * second meets the first's row (PostgreSQL waits for the first to commit,
 * then refuses). Run again, the write reads the committed row and answers
 * what resending the event answers (`unchanged` or `updated`), with the
 * facts derived from both. Writes whose ids overlap in opposite orders may
 * also deadlock; PostgreSQL aborts one, which runs again. The transaction
 * of the attempt that failed was rolled back, so nothing of it remains.
 * SQLite runs one transaction at a time: it meets neither.
 */
export async function retryOnConflict<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const conflict = isUniqueViolation(error);
      if ((!conflict && !isDeadlock(error)) || attempt >= MAX_WRITE_ATTEMPTS) {
        throw error;
      }
      // The other write has committed when a key conflicts: go at once.
      // After a deadlock the survivor is still running: let it finish.
      if (!conflict) {
        await new Promise(resolve =>
          setTimeout(resolve, 5 + Math.random() * 20 * attempt),
        );
      }
    }
  }
}
