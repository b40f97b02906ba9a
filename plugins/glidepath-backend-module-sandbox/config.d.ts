import type { HumanDuration } from '@backstage/types';

export interface Config {
  glidepath?: {
    /**
     * The sandbox: a simulated fleet whose services release on a schedule,
     * some of them with injected faults. Entities opt in with the annotation
     * `glidepath.dev/rollout: sandbox:<name>`.
     */
    sandbox?: {
      /** Registers the sandbox provider. Defaults to true. */
      enabled?: boolean;
      /**
       * Everything the simulation draws derives from the seed: the same seed
       * gives the same releases, faults and traffic. Defaults to "glidepath".
       */
      seed?: string;
      /**
       * How often each service starts a release, e.g. "4m", "PT4M" or
       * { minutes: 4 }. Defaults to 4 minutes.
       */
      releaseInterval?: HumanDuration | string;
      /** The length of a pause step. Defaults to 30 seconds. */
      stepDuration?: HumanDuration | string;
      /** The share of releases that carry a fault, 0 to 1. Defaults to 0.2. */
      faultRate?: number;
      /** The environment the releases go to. Defaults to "production". */
      environment?: string;
      /**
       * How many finished releases are reported per service, 1 to 1000.
       * Defaults to 10.
       */
      historySize?: number;
      /**
       * How long the simulated provider takes to perform an action.
       * Defaults to none.
       */
      actionLatency?: HumanDuration | string;
    };
  };
}
