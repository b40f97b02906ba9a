import { HumanDuration } from '@backstage/types';
import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  glidepath?: {
    /**
     * The organisation's environments in promotion order (a version goes to
     * the first, then the next, ...). An entity's `glidepath.dev/rollout`
     * names one target per environment (`staging=sandbox:cart-staging;
     * production=sandbox:cart-service`); an environment not listed here is
     * a problem on the entity naming it, and the single form
     * (`sandbox:cart-service`) means the first production environment.
     * Default: staging, then production (production). See
     * docs/environments.md.
     */
    environments?: Array<{
      /** Lower-case letters, digits and dashes, e.g. `staging`. */
      name: string;
      /**
       * Whether releases here are production releases (the production
       * target of an entity, DORA's default production environments).
       * Default: false; at least one environment must be production.
       */
      production?: boolean;
    }>;
    sync?: {
      /**
       * How often releases are read from their providers into Glidepath's
       * store. Runs once across all backend replicas.
       * Default: every 10 seconds, 1 minute timeout.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How long one provider may take to list its rollouts before the sync
       * gives up on it and marks its entities stale. Default: 20 seconds.
       */
      providerTimeout?: HumanDuration | string;
    };
    graph?: {
      /**
       * The dependency graph keeps one snapshot of the catalog's components,
       * resources, APIs, systems and domains (read with the backend's own
       * credentials) for callers the permission framework lets read every
       * entity, and refreshes it when it is older than this; callers with
       * conditional read access get the catalog read with their own
       * credentials on every request. A graph is thus at most this much
       * behind the catalog. 0 turns the snapshot off. Default: 30 seconds.
       */
      catalogCache?: HumanDuration | string;
    };
    dora?: {
      /**
       * The environments whose deployments count for DORA (compared without
       * case). Applies to events as they arrive. Default: the environments
       * of `glidepath.environments` marked `production`.
       */
      productionEnvironments?: string[];
      /**
       * How many days back the deployments and incidents that rollout
       * providers report from before Glidepath watched them (the sandbox's
       * demo history) are read, at start-up and daily. Default: 190.
       */
      historyDays?: number;
      /**
       * Whether the releases of simulated rollout providers (the sandbox,
       * whose train releases every few minutes) count as deployments. The
       * sandbox's made-up history counts either way. Default: false.
       */
      countSimulatedReleases?: boolean;
      weeklyReport?: {
        /** Whether teams get a weekly report. Default: true. */
        enabled?: boolean;
        /**
         * When the reports of the week that ended are written and sent; runs
         * once across all backend replicas. Default: Mondays at 07:00 UTC
         * (`cron: '0 7 * * 1'`). It also runs once at start-up, to write
         * what is missing (idempotent per team and week).
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * How many past weeks a team without reports gets on the first run
         * (only the latest is sent as a notification). Default: 8.
         */
        backfillWeeks?: number;
      };
    };
    analysis?: {
      /**
       * Whether the analysis engine judges canaries and acts on its
       * verdicts. Default: true.
       */
      enabled?: boolean;
      /**
       * How often every release whose canary takes traffic is judged. Runs
       * once across all backend replicas. Default: every 10 seconds.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How long a metrics provider may take to answer one query before the
       * evaluation holds as an outage. Default: 10 seconds.
       */
      metricsTimeout?: HumanDuration | string;
      /**
       * Rollback policies by name; an entity picks one with the
       * `glidepath.dev/policy` annotation. `default` applies to every other
       * entity and overrides the built-in defaults; every other policy
       * overrides `default`.
       */
      policies?: {
        [name: string]: {
          /**
           * The largest chance per release of rolling back a canary that is
           * no worse than its baseline, split between the rules that apply.
           * Default: 0.002.
           */
          falseRollbackBudget?: number;
          /**
           * A rule fails only once the canary has at least this many bad
           * events (errors, slow requests, failed checks). Default: 5.
           */
          minCanaryEvents?: number;
          /**
           * The error-rate and health-check rules fail only when the
           * measured excess is at least this share of their limit (pods
           * differ, so a canary can be significantly worse than its baseline
           * by a harmless margin). Default: 0.75.
           */
          materialShare?: number;
          /**
           * Also material: a canary error (or failed-check) rate at least
           * this many times the baseline's, with a measured excess of at
           * least half the limit. Default: 2.
           */
          materialRatio?: number;
          /**
           * The error-rate and health-check rules test for an excess of at
           * least this share of the baseline's own rate instead of any
           * excess. Default: 0.25.
           */
          relativeMargin?: number;
          /**
           * How far apart two healthy arms' error (or failed-check) rates
           * wander, as a share of the baseline's rate: counted with the
           * sampling error when the materiality check asks whether an
           * excess is large enough to blame the canary. Default: 0.35.
           */
          armSpread?: number;
          /**
           * The same within the recent window, where a rate wanders more.
           * Default: 1 (the canary at least doubles the baseline's rate).
           */
          recentRelativeMargin?: number;
          /**
           * Each rule also judges the counts of the current window of this
           * length, so that a regression that starts late is caught as fast
           * as one that starts with the canary. Default: 5 minutes.
           */
          recentWindow?: HumanDuration | string;
          /**
           * How long the engine may go without deciding about a release
           * before it escalates: time holding (no, stale or failing
           * metrics) and time judging without enough evidence either way
           * (too little traffic) both count, from the end of the warm-up; a
           * pass ends the count. A hold escalates by pausing the release and
           * notifying its owners; a canary without enough evidence by
           * notifying them (it is judged on). Default: 5 minutes.
           */
          holdDeadline?: HumanDuration | string;
          /**
           * The canary's warm-up: the judge ignores its first minute (or
           * this long) and judges the counts from then on, so that errors
           * and slowness while new pods fill caches, open connections and
           * compile hot code do not roll it back (Flagger's first check
           * comes a minute in; Argo Rollouts' analyses take an
           * initialDelay). Meanwhile only a gross failure rolls it back:
           * more than half of its requests or health checks failing beyond
           * the baseline's rate. Any other regression is caught this much
           * later. 0 judges from the first scrape. Default: 1 minute.
           */
          warmup?: HumanDuration | string;
          errorRate?: {
            /** Default: true. */
            enabled?: boolean;
            /**
             * The canary fails when its error rate is this many percentage
             * points above the baseline's. Default: 1.
             */
            maxIncreasePercentagePoints?: number;
          };
          latency?: {
            /** Default: true (when the metrics have a latency histogram). */
            enabled?: boolean;
            /**
             * The canary fails when its p95 latency is this much above the
             * baseline's. Default: 500 milliseconds.
             */
            maxP95Increase?: HumanDuration | string;
            /**
             * The canary also fails when its p95 latency is more than this
             * many times the baseline's (whichever limit comes first).
             * Default: 1.75.
             */
            maxP95Ratio?: number;
            /**
             * Judged with this share of the allowance more, for the arms'
             * own wander and the histogram's coarse buckets: 0.2 fails a
             * canary past 1.9x under a 1.75x limit. Default: 0.2.
             */
            marginShare?: number;
          };
          healthChecks?: {
            /** Default: true (when the metrics have health checks). */
            enabled?: boolean;
            /**
             * The canary fails when this many more percentage points of its
             * health checks fail than the baseline's. Default: 5.
             */
            maxFailureIncreasePercentagePoints?: number;
          };
          burnRate?: {
            /** Default: true (for entities with `glidepath.dev/slo`). */
            enabled?: boolean;
            /** Burn rate over 1 hour and 5 minutes. Default: 14.4. */
            fastFactor?: number;
            /** Burn rate over 6 hours and 30 minutes. Default: 6. */
            slowFactor?: number;
          };
        };
      };
    };
    /**
     * Feature-flag governance: the flags of entities annotated
     * `glidepath.dev/flags`, with their age and state. See docs/flags.md.
     */
    /**
     * The release calendar (docs/calendar.md).
     */
    calendar?: {
      /**
       * Freeze windows kept in config, besides those added through the
       * API (which cannot delete these). Times are local to `timezone`; a
       * recurring window has `rrule` and `durationMinutes`, a one-off one
       * `end`. Checked at startup; a bad one names its field.
       */
      windows?: Array<{
        title: string;
        /** deny (default) or allow. */
        effect?: 'deny' | 'allow';
        scope: {
          kind:
            | 'organisation'
            | 'domain'
            | 'system'
            | 'owner'
            | 'entity'
            | 'environment';
          ref?: string;
          name?: string;
        };
        reason: string;
        timezone: string;
        start: string;
        end?: string;
        rrule?: string;
        durationMinutes?: number;
      }>;
      /**
       * Release trains kept in config, besides those added through the API
       * (which cannot delete these): slots as an RFC 5545 `rrule` (e.g.
       * `FREQ=WEEKLY;BYDAY=TU,TH`) from `start`, a local time
       * (`2026-01-06T10:00`) in the IANA `timezone`. Listed with ids
       * `config-train-1`, `config-train-2`, ... in this order; a release
       * plan can start at a train's next slot by that id. Checked at
       * startup; a bad one names its field.
       */
      trains?: Array<{
        title: string;
        /**
         * What the train is for: the organisation; a domain, system, owner
         * or entity by `ref` (an entity ref, e.g. group:default/team-checkout);
         * an environment by `name`.
         */
        scope: {
          kind:
            | 'organisation'
            | 'domain'
            | 'system'
            | 'owner'
            | 'entity'
            | 'environment';
          ref?: string;
          name?: string;
        };
        /** An IANA timezone, e.g. Europe/Berlin. */
        timezone: string;
        /** The first slot, local to `timezone`: YYYY-MM-DDTHH:mm. */
        start: string;
        /** The slots: an RFC 5545 RRULE from `start`. */
        rrule: string;
      }>;
      feeds?: {
        /**
         * Signs iCalendar feed links (at least 32 characters, e.g.
         * `openssl rand -hex 16`): a link opens only its own feed, without
         * a Backstage token, so calendar apps can subscribe. Changing it
         * revokes every link. Without it, feeds need a Backstage token.
         * @visibility secret
         */
        secret?: string;
      };
      /**
       * The error-budget policy: a service whose SLO (`glidepath.dev/slo`)
       * error budget over the last 28 days is spent is frozen in its
       * production environments, except for releases marked as fixes,
       * until the budget recovers. Read from the service's metrics
       * provider (`readServiceErrors`) and cached.
       */
      errorBudget?: {
        /** False turns the policy off. Default: true. */
        enabled?: boolean;
        /**
         * How long a reading is used before the provider is read again
         * (per entity, per replica); a failed or empty one is kept at most
         * a minute. Default: 5 minutes.
         */
        cacheTtl?: HumanDuration | string;
        /** How long one reading may take. Default: 10 seconds. */
        timeout?: HumanDuration | string;
      };
    };
    /**
     * Rollback tests and the production gate (docs/rollback-tests.md): in a
     * non-production environment, once a release completes, Glidepath rolls
     * it back through its provider, waits until the previous version is
     * healthy again, rolls it forward again, and records the timings.
     */
    rollbackTests?: {
      /**
       * `auto`: test every release that completes in a non-production
       * environment (once per version and environment); `off`: only tests
       * someone asks for. Per entity: `glidepath.dev/rollback-test`.
       * Default: off.
       */
      policy?: 'auto' | 'off';
      /**
       * What a production release of a version without a passed rollback
       * test does: `required` (waits at its first step, paused with the
       * reason, until a test passes or someone allowed to steer the release
       * overrides the gate with a reason), `advisory` (the Releases tab says
       * so) or `off`. Per entity: `glidepath.dev/rollback-gate`.
       * Default: advisory.
       */
      gate?: 'required' | 'advisory' | 'off';
      /**
       * How long the previous version may take to be healthy again after
       * the rollback before the test fails. Default: 15 minutes.
       */
      healthyWithin?: HumanDuration | string;
      /**
       * How long rolling the version forward again may take before the
       * test fails. Default: 15 minutes.
       */
      forwardWithin?: HumanDuration | string;
      /**
       * Releases that started longer ago than this are not tested by the
       * policy (a first start does not test old releases). Default: 1 day.
       */
      completedWithin?: HumanDuration | string;
      /** How often tests move on. Default: every 10 seconds. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /**
     * Release plans (docs/plans.md): several services released together in
     * waves from the dependency graph, moved on by one scheduled task.
     */
    plans?: {
      /**
       * How long a release the provider accepted to start may take to show
       * up before the member fails. Default: 10 minutes.
       */
      startTimeout?: HumanDuration | string;
      /** How often plans move on. Default: every 2 seconds. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /**
     * Game days (docs/game-days.md): at a game day's time its faults become
     * rollback drills, and each drill's times (injected, detected, rolled
     * back, healthy, owners notified) are read from the stored releases.
     */
    gameDays?: {
      /**
       * How often due game days start their drills and running drills are
       * measured. Default: every 10 seconds.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    flags?: {
      /**
       * Each flag type's expected lifetime in days, or `permanent` to exempt
       * the type; keys are the providers' type names (compared without
       * case). Merged over the defaults, which are Unleash's: release 40,
       * experiment 40, operational 7, kill-switch and permission permanent.
       */
      lifetimes?: { [type: string]: number | 'permanent' };
      /**
       * The lifetime in days of a temporary flag whose type has none (a
       * LaunchDarkly flag marked temporary, a flag without a type).
       * Default: 90.
       */
      temporaryLifetimeDays?: number;
      /**
       * A flag is due soon this many days before its lifetime ends (at most
       * in the second half of its lifetime). Default: 7.
       */
      dueSoonDays?: number;
      /**
       * A flag is launched once one variation has been served to everyone
       * in every environment for this many days. Default: 7.
       */
      launchedAfterDays?: number;
      /**
       * A flag is inactive once it has not been evaluated anywhere for this
       * many days. Default: 30.
       */
      inactiveAfterDays?: number;
      sync?: {
        /**
         * How often the flags of every annotated entity are read from
         * their providers. Runs once across all backend replicas.
         * Default: every 10 minutes, 10 minutes timeout.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * How long a provider may take for one page of flags before the
         * sync gives up on it and keeps its last inventory, marked stale.
         * Default: 30 seconds.
         */
        providerTimeout?: HumanDuration | string;
        /** Flags asked for per page. Default: 500. */
        pageSize?: number;
      };
      /**
       * The automated cleanup: a stale flag is announced to its owning
       * team with the day it becomes due; after the grace period without a
       * keep decision it is archived in its provider when it is off
       * everywhere or launched to everyone and not a kill switch, never on
       * stale inventory.
       */
      cleanup?: {
        /** Default: true. */
        enabled?: boolean;
        /**
         * Only report what would be announced and archived (in the log):
         * nothing is sent or archived. Default: true; turn it off after a
         * few weeks of reading its reports.
         */
        dryRun?: boolean;
        /** Days from the announcement to the archiving. Default: 14. */
        gracePeriodDays?: number;
        /**
         * When it runs, once across replicas. Default: daily at 08:00 UTC
         * (`cron: '0 8 * * *'`).
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
    actions?: {
      /**
       * How long a provider may take to perform an action before the action
       * fails with a timeout. Default: 30 seconds.
       */
      timeout?: HumanDuration | string;
      /**
       * Release control (actions, drills, checklist ticks) needs a person:
       * a signed-in user, or a plugin calling on behalf of one (as the
       * scaffolder does). Services listed here by their principal's subject
       * may steer releases on their own, e.g. `ci-deployer`, the subject of
       * a CI job's static token; the permission policy still decides what
       * each may do. Default: none.
       */
      allowedServices?: string[];
    };
  };
}
