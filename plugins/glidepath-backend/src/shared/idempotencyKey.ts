import { InputError } from '@backstage/errors';

/**
 * The request's Idempotency-Key, or a 400 saying what it is for: every
 * create and action of the API is recorded once per key, so that a retried
 * request (a timeout, a crash) does not do it twice.
 */
export function requireIdempotencyKey(
  key: string | undefined,
  what: string,
): string {
  const trimmed = key?.trim();
  if (!trimmed) {
    throw new InputError(
      `The Idempotency-Key header is required: send a new unique value (for example a UUID) for each ${what}, and the same value when retrying it`,
    );
  }
  return trimmed;
}
