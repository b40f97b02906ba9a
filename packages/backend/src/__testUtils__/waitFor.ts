import { resolve as resolvePath } from 'path';

/** The repository root, for the demo catalog and app-config files. */
export const repoRoot = resolvePath(__dirname, '../../../..');

/**
 * Polls `probe` until it returns a value other than `undefined`. A probe that
 * throws counts as not yet. Fails after `timeoutMs` with what was awaited, the
 * last error, and `details()`; fails at once when `abort()` returns a reason.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: {
    timeoutMs?: number;
    intervalMs?: number;
    abort?: () => string | undefined;
    details?: () => string;
  } = {},
): Promise<T> {
  const { timeoutMs = 60_000, intervalMs = 250, abort, details } = options;
  const suffix = () => (details ? `:\n${details()}` : '');
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const reason = abort?.();
    if (reason) {
      throw new Error(`${reason} while waiting for ${what}${suffix()}`);
    }
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what} (last error: ${last})${suffix()}`,
      );
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}
