import type { LoggerService } from '@backstage/backend-plugin-api';
import { errorMessage } from './errors';

/**
 * Keeps a lease fresh: calls `renew` every third of the lease until the
 * returned function stops it; `onLost` runs when a renewal says the lease
 * is no longer held. The timer does not keep the process alive.
 */
export function renewLeaseEvery(options: {
  leaseMs: number;
  /** Renews the lease; false when it is no longer held. */
  renew: () => Promise<boolean>;
  onLost: () => void;
  /** What the lease is on, for the log. */
  what: string;
  logger: LoggerService;
}): () => void {
  const timer = setInterval(() => {
    options
      .renew()
      .then(held => {
        if (!held) options.onLost();
      })
      .catch(error =>
        options.logger.warn(
          `Glidepath could not renew its lease on ${
            options.what
          }: ${errorMessage(error)}`,
        ),
      );
  }, Math.max(50, Math.floor(options.leaseMs / 3)));
  timer.unref?.();
  return () => clearInterval(timer);
}
