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
      /**
       * Per sandbox service name, a fault rate that replaces `faultRate`,
       * e.g. `{ search-service: 1 }` to make every release of one service
       * faulty (for demos and tests).
       */
      faultRateByService?: { [service: string]: number };
      /**
       * Per sandbox service name, the share of its requests that failed
       * (0 to 1) over the error budget's 28 days, as the sandbox's metrics
       * provider reports it: a ratio above a service's SLO budget (1 - SLO)
       * spends the budget and freezes its production releases except fixes.
       * Other services get a small one from the seed (0.01% to 0.08%).
       */
      errorRatioByService?: { [service: string]: number };
      /**
       * Per sandbox service name, a release history that does not move, so
       * that a demo catalog can state version requirements that stay true
       * (or that a rollback reliably breaks), e.g.
       * `{ ledger-service: ['2.2.0', '2.3.0'] }`. The first version is the
       * one deployed before the history; each following one was released in
       * order and succeeded; the last one is the stable version now. The
       * service's train has stopped: no new release starts, and its releases
       * carry no fault whatever `faultRate` and `faultRateByService` say.
       * At least two semver versions (`MAJOR.MINOR.PATCH`, optionally
       * `-prerelease`), increasing. Defaults to none.
       */
      pinnedReleases?: { [service: string]: string[] };
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
      /**
       * How long before production a staging target runs each version. An
       * entity whose `glidepath.dev/rollout` names a sandbox target for an
       * environment before its sandbox production target (e.g.
       * `staging=sandbox:cart-staging; production=sandbox:cart-service`)
       * gets a staging twin: the same versions, commits and faults as
       * production, each released this much earlier (twice as early two
       * environments before production). Default: half the release interval.
       */
      stagingLead?: HumanDuration | string;
      /**
       * When true, the pause steps of canary releases have no duration (as
       * Argo Rollouts' `pause: {}`): a release waits on each, in phase
       * `paused`, until it is promoted (by a person or by Glidepath once its
       * analysis passes), aborted or rolled back. A release still waiting
       * when the service's next release is due is aborted and superseded by
       * it, unless a promote, resume or retry set it going within the last
       * release interval, so the train never stops. Blue-green and rolling
       * releases are unaffected. Defaults to false.
       */
      awaitPromotion?: boolean;
      /**
       * The share of versions, 0 to 1, whose rollback fails. Rolling back a
       * succeeded release (a rollback test in staging, or by hand) restores
       * the version before it as a new release that takes 20 to 45 seconds
       * (two thirds to one and a half `stepDuration`); for this share of
       * rolled-back versions, drawn from the seed per service and version,
       * the old version no longer starts (say, after the new version's
       * schema migration): the restore's canary fails every request and
       * health check, the restore fails, and the rolled-back version stays
       * the stable one. Pinned release histories ignore it (see
       * `rollbackFailureShareByService`). Defaults to 0.1.
       */
      rollbackFailureShare?: number;
      /**
       * Per sandbox service name, a share that replaces
       * `rollbackFailureShare`, e.g. `{ ledger-service: 1 }` so that every
       * rollback of one service fails (for demos and tests). Applies to
       * pinned release histories too.
       */
      rollbackFailureShareByService?: { [service: string]: number };
      /**
       * How long a service's own release train starts nothing after a
       * release started on request (a release plan's, through the
       * provider's startRelease) ended, so that the train does not
       * overwrite what the plan released. The train starts nothing while
       * such a release runs, whatever this says. Defaults to 1 hour.
       */
      startedReleaseHold?: HumanDuration | string;
      /**
       * A made-up DORA history of the months before the sandbox started
       * (deployments, rollbacks and incidents of its services), so that the
       * release analytics have something to show on a first start; labelled
       * simulated in the portal. Drawn from the seed: the same seed and week
       * give the same history.
       */
      history?: {
        /** Defaults to true. */
        enabled?: boolean;
        /**
         * Per team (the entity's owner name, e.g. team-checkout): improving,
         * worsening or steady over the six months. Teams not listed get one
         * drawn from the seed.
         */
        trends?: { [team: string]: 'improving' | 'worsening' | 'steady' };
      };
    };
  };
}
