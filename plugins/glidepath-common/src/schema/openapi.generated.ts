// ******************************************************************
// * THIS IS A GENERATED FILE. DO NOT EDIT IT.                       *
// * Edit plugins/glidepath-backend/src/schema/openapi.yaml and run  *
// * `yarn generate:openapi`.                                        *
// ******************************************************************

/* eslint-disable */
export interface paths {
  '/entities/{kind}/{namespace}/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The entity's release summary: its current release, the most recent ones, and the problems found in its Glidepath annotations. */
    get: operations['GetEntityReleaseSummary'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities/{kind}/{namespace}/{name}/releases': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The entity's release history, newest first; of one environment with `environment`. */
    get: operations['ListEntityReleases'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/releases': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The releases in flight across the catalog right now (progressing or paused), newest first, each with its entity's title and owner; only those of entities the caller may read. */
    get: operations['ListReleasesInFlight'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/releases/{releaseId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description One release with its steps, events, actions and the analyses of its canary (oldest first, at most the latest 500). */
    get: operations['GetRelease'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/releases/{releaseId}/actions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Asks for an action on the release. The action runs asynchronously; poll GET /actions/{actionId} or listen to the entity's signal channel. The same Idempotency-Key always returns the same action, and the provider is called once. */
    post: operations['CreateReleaseAction'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities/{kind}/{namespace}/{name}/rollback-tests': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The entity's rollback tests, newest first; of one environment with `environment`. */
    get: operations['ListRollbackTests'];
    put?: never;
    /** @description Runs a rollback test now of the completed release that runs in a non-production environment (the first one in promotion order unless `environment` names one): Glidepath rolls it back, waits until the previous version is healthy, and rolls it forward again. Needs the rollback permission on the entity. 409 when the entity has no non-production environment, nothing completed runs there, or a test of it is already running. The same Idempotency-Key returns the same test. */
    post: operations['RunRollbackTest'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/releases/{releaseId}/rollback-gate/override': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Lets a production release go on without a passed rollback test of its version. Needs the permission to steer the release; the reason is required, audited and shown on the release. Overriding twice keeps the first override. */
    post: operations['OverrideRollbackGate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/calendar/windows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The freeze windows (deny and allow), oldest first. */
    get: operations['ListFreezeWindows'];
    put?: never;
    /** @description Adds a freeze window. Needs `glidepath.calendar.manage`; audited. An invalid rule, time or timezone is a 400 naming the field (with the parser's message). The same Idempotency-Key returns the same window. */
    post: operations['CreateFreezeWindow'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/calendar/windows/{windowId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** @description Removes a freeze window. Needs `glidepath.calendar.manage`; audited. A window defined in config (`definedIn: app-config`) is a 409. */
    delete: operations['DeleteFreezeWindow'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/calendar/trains': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The release trains with their next slots. */
    get: operations['ListReleaseTrains'];
    put?: never;
    /** @description Adds a release train. Needs `glidepath.calendar.manage`; audited. */
    post: operations['CreateReleaseTrain'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/calendar/trains/{trainId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** @description Removes a release train. Needs `glidepath.calendar.manage`; audited. A train defined in config (`definedIn: app-config`) is a 409. */
    delete: operations['DeleteReleaseTrain'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/calendar/feed.ics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The release calendar as an iCalendar (RFC 5545) feed that calendar apps can subscribe to: every freeze window and release train, or, with `owner`, those whose scope applies to the owner's entities (and the organisation's and environments'). Recurring ones keep their RRULE and TZID (with a VTIMEZONE), not expanded. Opened with a Backstage token, or with the `token` of a link from /calendar/feed-link when `glidepath.calendar.feeds.secret` is set (docs/calendar.md). */
    get: operations['GetCalendarFeed'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/calendar/feed-link': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The link of the organisation's feed, or an owner's, for the signed-in caller: its path under the plugin's base URL, with a token that opens it without a Backstage token when feed links are configured (`subscribable`). */
    get: operations['GetCalendarFeedLink'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities/{kind}/{namespace}/{name}/calendar': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Whether releasing the entity is frozen now in each of its environments, why, when that next changes, the break-glass override of each environment's latest release, and its next train slots. */
    get: operations['GetEntityCalendar'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/releases/{releaseId}/freeze-override': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Break-glass: lets a release be promoted and resumed during a freeze. Needs `glidepath.freeze.override` (a basic permission); the reason is required, audited and shown on the release (the `override` of its environment in the entity's calendar while it is the latest there). */
    post: operations['OverrideFreeze'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/releases/{releaseId}/fix': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Marks a release as a fix: it may be promoted and resumed while its service's error budget is spent (a freeze window still holds it). Needs `glidepath.release.control` on the entity; the reason is required, audited and shown on the entity's Releases tab. The first mark stays. */
    post: operations['MarkReleaseAsFix'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/plans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Release plans, newest first: the active ones (scheduled, running, paused, rolling back) by default, or finished ones, or all. */
    get: operations['ListPlans'];
    put?: never;
    /** @description Plans a coordinated release of several services: waves from the dependency graph and the version requirements, started at a time or at the next slot of a release train, with gates between waves and a failure policy. Needs `glidepath.release.control` on every member (403 names those the caller may not steer); audited. 404 names an unknown member (or one the caller may not read), 409 a member already in another active plan, a train without a next slot, a dependency cycle or a requirement the plan breaks (unless `overrideReason` is given). Reads (`GET /plans`, `GET /plans/{id}`) show only the plans whose members the caller may all read. */
    post: operations['CreatePlan'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/plans/{planId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description A plan with its waves, members and timeline. */
    get: operations['GetPlan'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/plans/{planId}/{control}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Pauses, resumes or aborts a plan, or lets its waves go on during a freeze (`freeze-override`, needs `glidepath.freeze.override`). Pause, resume and abort need `glidepath.release.control` on one of its members (their owners, or admins). Audited, with the reason. */
    post: operations['ControlPlan'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities/{kind}/{namespace}/{name}/plans': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The plans the entity is a member of, active ones first. */
    get: operations['GetEntityPlans'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/actions/{actionId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description An action's state and result. */
    get: operations['GetReleaseAction'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities/{kind}/{namespace}/{name}/checklists': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Attaches a release checklist to the entity's current release or to its next one (the first release that starts after the checklist was created). Needs glidepath.release.control on the entity. While a required item is open the release waits before its final step. The same Idempotency-Key returns the same checklist. */
    post: operations['CreateChecklist'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities/{kind}/{namespace}/{name}/drills': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description A rollback drill: makes the entity's next release carry a fault on its canary, which the analysis engine should catch and roll back. Only for rollout providers that can inject faults (the sandbox). In the entity's first non-production environment unless `environment` names one; a production environment is refused (409) unless `productionOverride` gives a reason and the caller has glidepath.drill.production. Needs glidepath.release.control on the entity; audited. Recorded with its timings (drill-history). Asking again before that release starts replaces the fault. */
    post: operations['ScheduleDrill'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities/{kind}/{namespace}/{name}/drill-history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The entity's rollback drills (from game days or scheduled on their own), newest first, each with its timings. */
    get: operations['ListEntityDrills'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/game-days': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Game days, the latest scheduled first, with each fault's drill and timings. Only the services the caller can read. */
    get: operations['ListGameDays'];
    put?: never;
    /** @description Records a game day: at `scheduledAt` Glidepath schedules each fault as a rollback drill and records, per fault, when it was injected, detected, rolled back, healthy again and the owners notified. Needs glidepath.release.control on each service; a fault in a production environment also needs `productionOverride` with a reason and the glidepath.drill.production permission (else 409). Audited. The same Idempotency-Key returns the same game day. */
    post: operations['CreateGameDay'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/game-days/{gameDayId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description One game day with each fault's drill and timings. */
    get: operations['GetGameDay'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/game-days/{gameDayId}/outcome': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** @description Writes the game day's outcome (what was learnt, follow-ups as links), replacing the previous one. The facilitator may, and so may whoever has glidepath.release.control on every service of the game day (the demo's admins). Audited. */
    put: operations['SetGameDayOutcome'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/drills/teams': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Per owning team, the rollback drills of the last `days` days (90 by default) with the median time to detect and to recover, and the same medians per 30-day period, oldest first, for the trend. */
    get: operations['GetDrillTeamStats'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/checklists/{checklistId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description One checklist with its items, their history and its gate. */
    get: operations['GetChecklist'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/checklists/{checklistId}/items/{itemId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** @description Checks or unchecks one item, as the caller (who and when are kept and audited). Needs glidepath.release.control on the entity. A checklist of a finished release is read-only. */
    put: operations['SetChecklistItem'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/policies/{policyName}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description A rollback policy from glidepath.analysis.policies, as the engine applies it (the limits of each trigger), for tools that express it elsewhere, such as an Argo Rollouts AnalysisTemplate. */
    get: operations['GetRollbackPolicy'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/graph': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The dependency graph around an entity, of a system, a domain, an owner's entities, or of the whole catalog (none of entity, system, domain or owner given): components and resources with their owners, deployed versions and current rollout phase, and the edges between them (dependsOn, consumesApi resolved to the providing components, and the glidepath.dev/requires version requirements, each checked against the deployed versions). Read from the catalog with the caller's credentials, in a number of catalog calls that depends on the depth and not on the size of the graph; the Server-Timing header says how many were made. */
    get: operations['GetDependencyGraph'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/graph/check': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Given proposed versions for some entities (a release or a rollback), the version requirements of other entities they would break and the order to release them in (dependencies first), or the cycles that prevent an order. Changes nothing. */
    post: operations['CheckProposedChanges'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/events/deployments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Deployments that Glidepath does not drive, from CI/CD systems (for DORA). One DeploymentEvent, or up to 1,000 as { "events": [...] } (at most 4 MB). Authenticated as a service (an external access token); needs glidepath.events.create. Idempotent on the event id: an id already received is replaced by the new content and counted once. Entities the catalog does not know are stored and reported as unmatched. A bad field (a malformed entityRef included) or an id sent twice in one request refuses the whole request with a 400 naming it (events[i].field in a batch). A firstCommitAt after deployedAt (clock skew) is stored without a lead time and reported in the event's warnings. */
    post: operations['PostDeploymentEvents'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/events/incidents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Incidents from paging tools, for DORA's change failure rate and recovery time. An event opens an incident (entityRef and openedAt), resolves it (resolvedAt; null reopens), or both; fields left out keep what is stored, so a resolve that arrives before its create is kept and completed later. One IncidentEvent, or up to 1,000 as { "events": [...] }. Authenticated as a service; needs glidepath.events.create. */
    post: operations['PostIncidentEvents'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/events/unmatched': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Received events whose entity the catalog did not know when they arrived, newest first. They are stored and count in the organisation's measures; fix the sender's entity reference to have them count for the entity. */
    get: operations['ListUnmatchedEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/dora': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The four DORA measures (deployment frequency, lead time for changes, change failure rate, failed deployment recovery time) of an entity, an owner's entities, a system's entities, or the whole organisation (none given), over a period, overall and per week or month, with their DORA 2024 levels, the latest failed changes with the rule that attributed each, and optionally a breakdown per owner or per entity. With format=csv, the series as CSV. Definitions: docs/dora.md. */
    get: operations['GetDora'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/dora/reports': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Weekly DORA reports, newest week first: of one team (owner), or of every team. Written each week by a scheduled task and sent to the team through the notifications service. */
    get: operations['ListDoraReports'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/dora/reports/{reportId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description One weekly report. */
    get: operations['GetDoraReport'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/release-metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The release metrics of an entity, an owner's entities, a system's entities, or the whole organisation (none given), over a period (default: the last 182 days), overall and per week or month: the share of production releases whose version passed a rollback test in a non-production environment before the release went past its first step (target 70%), the share using progressive delivery (canary or blue-green against all at once; releases of unknown strategy are counted apart and left out of the share), and rollback time, automatic (asked by a policy) and by hand, median and p90, against two minutes. Definitions: docs/release-metrics.md. */
    get: operations['GetReleaseMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/flags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The feature flags of every entity annotated glidepath.dev/flags that the caller may read, each with its governance state and owner, as of the last flag sync; filterable by owner, entity and state. Oldest first (then by name, compared by code point, then by id), a page at a time: limit flags from offset, with nextOffset for the next page. */
    get: operations['ListFlags'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/flags/coverage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The share of new features behind flags over [from, to) (default: the last 28 days): of the production deployments of entities the caller may read whose first commit is known, the share for which at least one of the entity's flags was created or last changed between that first commit and the deployment; for the organisation and each team (lowest share first), against the 80% target. */
    get: operations['GetFlagCoverage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/flags/summary': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The portal's Feature flags page, over the flags of entities the caller may read: how many in each state, teams (owners) ranked by stale flags, an age distribution, and flag debt (flags and stale flags) at the end of each of the last 26 weeks, of today's flags (flags archived since are not counted). */
    get: operations['GetFlagSummary'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities/{kind}/{namespace}/{name}/flags': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The entity's feature flags with their states, where they were read from (and whether that last worked), the problems of its glidepath.dev/flags annotation, and the latest actions on its flags. */
    get: operations['GetEntityFlags'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities/{kind}/{namespace}/{name}/flags/{flagId}/keep': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Decides to keep a flag whatever its state until expiresAt, with a reason: the automated cleanup leaves it alone until then. Needs glidepath.release.control on the entity; audited as flag-keep. A new decision replaces the previous one. */
    post: operations['KeepFlag'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/entities/{kind}/{namespace}/{name}/flags/{flagId}/archive': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Archives the flag in its provider now, and removes it from the inventory. Needs glidepath.release.control on the entity; audited as flag-archive. A provider that cannot archive, refuses or fails makes it a failed action, recorded with the provider's reason and answered with 409 and that reason. */
    post: operations['ArchiveFlag'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Error: {
      error: {
        name: string;
        message: string;
      };
      request?: {
        method?: string;
        url?: string;
      };
      response?: {
        statusCode?: number;
      };
    };
    /** @enum {string} */
    ReleasePhase:
      | 'pending'
      | 'progressing'
      | 'paused'
      | 'succeeded'
      | 'aborted'
      | 'rolled_back'
      | 'failed';
    /** @enum {string} */
    ReleaseStrategy: 'canary' | 'blue_green' | 'rolling';
    /** @enum {string} */
    ActionType: 'rollback' | 'promote' | 'pause' | 'resume' | 'abort' | 'retry';
    /** @enum {string} */
    ActionState: 'requested' | 'running' | 'succeeded' | 'failed';
    /**
     * @description set_weight sends `weight` percent of traffic to the new version; pause waits `durationSeconds` or, without it, for a promote; analysis runs checks; preview and switch are the blue-green steps.
     * @enum {string}
     */
    StepKind: 'set_weight' | 'pause' | 'analysis' | 'preview' | 'switch';
    /** @enum {string} */
    StepStatus: 'pending' | 'running' | 'completed' | 'skipped';
    ReleaseStep: {
      index: number;
      kind: components['schemas']['StepKind'];
      weight?: number | null;
      durationSeconds?: number | null;
      description: string;
      status: components['schemas']['StepStatus'];
      experiment?: components['schemas']['StepExperiment'];
    };
    /** @description What an experiment step runs (an Argo Rollouts Experiment): the ReplicaSet of each template with its pods' readiness, and the analysis runs that judge it. Only steps that run one carry it. */
    StepExperiment: {
      name: string;
      /** @description The provider's phase (Argo - Pending, Running, Successful, Failed, Error, Inconclusive). */
      phase: string;
      /** @description The phase as a verdict; null while it runs. */
      verdict: (string & components['schemas']['Verdict']) | null;
      message: string | null;
      templates: components['schemas']['StepExperimentTemplate'][];
      analysisRuns: components['schemas']['StepExperimentRun'][];
    };
    /** @description One template of an experiment and the ReplicaSet that runs it. */
    StepExperimentTemplate: {
      name: string;
      /** @description The ReplicaSet's name; null when it was not read. */
      replicaSet: string | null;
      /** @description The provider's status of the template (Argo - Progressing, Running, Successful, Failed, Error). */
      status: string | null;
      replicas: number;
      readyReplicas: number;
      availableReplicas: number;
    };
    /** @description An analysis run of an experiment; its metrics and measurements are with the release's providerAnalysis, under the same name. */
    StepExperimentRun: {
      name: string;
      /** @description The experiment's name for the analysis it runs. */
      analysis: string | null;
      phase: string;
      verdict: (string & components['schemas']['Verdict']) | null;
      message: string | null;
    };
    /** @description Who or what did something. */
    Actor: {
      /** @enum {string} */
      kind: 'user' | 'policy' | 'provider' | 'service';
      /** @description A user entity ref, a policy name or a provider id. */
      ref: string;
      displayName?: string;
    };
    ReleasesInFlight: {
      items: components['schemas']['ReleaseInFlight'][];
      /** @description How many releases are in flight that the caller may read. */
      total: number;
    };
    ReleaseInFlight: {
      release: components['schemas']['Release'];
      /** @description The entity's metadata.title, when it has one. */
      entityTitle: string | null;
      /** @description The entity's owner, with its display name when known. */
      owner: {
        ref: string;
        title: string | null;
      } | null;
    };
    Release: {
      id: string;
      entityRef: string;
      version: string;
      previousVersion: string | null;
      environment: string;
      strategy: components['schemas']['ReleaseStrategy'];
      phase: components['schemas']['ReleasePhase'];
      steps: components['schemas']['ReleaseStep'][];
      currentStepIndex: number | null;
      /** @description Percent of traffic on the new version, 0 to 100. */
      canaryWeight: number;
      provider: string;
      /** @description The release as the provider names it. */
      providerRef: string;
      /** @description True when the provider is a simulation (the sandbox). */
      simulated: boolean;
      /** @description The provider's last message (pause reason, abort reason). */
      message: string | null;
      startedBy: components['schemas']['Actor'];
      commit: string | null;
      /** Format: date-time */
      startedAt: string;
      /** Format: date-time */
      updatedAt: string;
      /** Format: date-time */
      finishedAt: string | null;
    };
    /** @description A change of a release as Glidepath observed it. */
    ReleaseEvent: {
      id: string;
      releaseId: string;
      /** @enum {string} */
      type: 'created' | 'phase_changed' | 'step_changed';
      /**
       * @description The phase before the change; null for `created`.
       * @enum {string|null}
       */
      fromPhase:
        | 'pending'
        | 'progressing'
        | 'paused'
        | 'succeeded'
        | 'aborted'
        | 'rolled_back'
        | 'failed'
        | null;
      toPhase: components['schemas']['ReleasePhase'];
      stepIndex: number | null;
      canaryWeight: number;
      message: string | null;
      /** Format: date-time */
      occurredAt: string;
    };
    ActionRequest: {
      action: components['schemas']['ActionType'];
      reason: string;
    };
    ReleaseAction: {
      id: string;
      releaseId: string;
      entityRef: string;
      action: components['schemas']['ActionType'];
      reason: string;
      state: components['schemas']['ActionState'];
      requestedBy: components['schemas']['Actor'];
      /** Format: date-time */
      requestedAt: string;
      /** Format: date-time */
      startedAt: string | null;
      /** Format: date-time */
      finishedAt: string | null;
      /** @description Why the action failed, in the provider's words. */
      error: string | null;
    };
    ReleaseDetail: {
      release: components['schemas']['Release'];
      events: components['schemas']['ReleaseEvent'][];
      actions: components['schemas']['ReleaseAction'][];
      /** @description The actions the release's phase admits (not permissions). */
      allowedActions: components['schemas']['ActionType'][];
      /** @description The release's analyses, oldest first. */
      analyses: components['schemas']['Analysis'][];
      checklist: components['schemas']['Checklist'] | null;
      /** @description The analysis the rollout provider ran itself (Argo Rollouts' AnalysisRuns), oldest first, as it last reported them; empty when the provider runs none. Glidepath's own judgement is in analyses. */
      providerAnalysis: components['schemas']['ProviderAnalysisRun'][];
    };
    /** @description One analysis run of the rollout provider (an Argo Rollouts AnalysisRun), with each metric's measurements and Glidepath's reading of the provider's phases as verdicts. */
    ProviderAnalysisRun: {
      name: string;
      /** @description When the provider ran it, in its words (Argo: Background, Step, PrePromotion, PostPromotion). */
      kind: string | null;
      /** @description The provider's phase (Argo - Pending, Running, Successful, Failed, Error, Inconclusive). */
      phase: string;
      /** @description The phase as a verdict; null while it runs. */
      verdict: (string & components['schemas']['Verdict']) | null;
      message: string | null;
      /** Format: date-time */
      startedAt: string | null;
      metrics: components['schemas']['ProviderAnalysisMetric'][];
    };
    ProviderAnalysisMetric: {
      name: string;
      phase: string;
      verdict: (string & components['schemas']['Verdict']) | null;
      /** @description Measurements taken. */
      count: number;
      successful: number;
      failed: number;
      inconclusive: number;
      /** @description Measurements that could not be taken. */
      error: number;
      message: string | null;
      successCondition: string | null;
      failureCondition: string | null;
      failureLimit: number | null;
      /** @description The latest measurements, oldest first (at most 20 kept). */
      measurements: components['schemas']['ProviderAnalysisMeasurement'][];
    };
    ProviderAnalysisMeasurement: {
      phase: string;
      verdict: (string & components['schemas']['Verdict']) | null;
      /** @description The measured value as the provider wrote it. */
      value: string | null;
      message: string | null;
      /** Format: date-time */
      startedAt: string | null;
      /** Format: date-time */
      finishedAt: string | null;
    };
    ChecklistItemRequest: {
      title: string;
      description?: string;
      /** @description A required item holds the release before its final step (default true). */
      required?: boolean;
      /** @description Who should tick it, an entity ref (user or group). */
      owner?: string;
    };
    ChecklistRequest: {
      title: string;
      /**
       * @description current (the default): the entity's release in progress (there must be one); next: the first release that starts after now.
       * @enum {string}
       */
      release?: 'current' | 'next';
      items: components['schemas']['ChecklistItemRequest'][];
    };
    ChecklistItemChange: {
      checked: boolean;
      by: components['schemas']['Actor'];
      /** Format: date-time */
      at: string;
      note: string | null;
    };
    ChecklistItem: {
      id: string;
      title: string;
      description: string | null;
      required: boolean;
      owner: string | null;
      checked: boolean;
      checkedBy: components['schemas']['Actor'] | null;
      /** Format: date-time */
      checkedAt: string | null;
      /** @description Every check and uncheck, oldest first. */
      history: components['schemas']['ChecklistItemChange'][];
    };
    /** @description Whether the checklist holds its release before the final step, and why. */
    ChecklistGate: {
      blocking: boolean;
      /** @description Titles of the required items still open. */
      openRequired: string[];
      reason: string | null;
    };
    Checklist: {
      id: string;
      entityRef: string;
      /** @description Null while the checklist waits for the entity's next release. */
      releaseId: string | null;
      title: string;
      createdBy: components['schemas']['Actor'];
      /** Format: date-time */
      createdAt: string;
      items: components['schemas']['ChecklistItem'][];
      gate: components['schemas']['ChecklistGate'];
    };
    /** @description The limits of a rollback policy's triggers. */
    RollbackPolicy: {
      name: string;
      /** @description The canary's warm-up: its first seconds are never judged (an Argo Rollouts AnalysisTemplate's initialDelay). */
      warmupSeconds?: number;
      errorRate: {
        enabled: boolean;
        /** @description The largest tolerated excess of the canary's error rate over the baseline's (a ratio, 0.01 = one point). */
        maxIncrease: number;
      };
      latency: {
        enabled: boolean;
        maxP95IncreaseSeconds: number;
        maxP95Ratio: number;
      };
      healthChecks: {
        enabled: boolean;
        maxFailureIncrease: number;
      };
      burnRate: {
        enabled: boolean;
        windows: {
          rule: components['schemas']['AnalysisRule'];
          longSeconds: number;
          shortSeconds: number;
          factor: number;
        }[];
      };
    };
    DrillRequest: {
      /**
       * @description error-rate: a share of the canary's requests fail; latency: the canary answers slower.
       * @enum {string}
       */
      fault: 'error-rate' | 'latency';
      reason: string;
      /** @description Where the drill runs; by default the entity's first non-production environment, else production. */
      environment?: string;
      productionOverride?: components['schemas']['ProductionOverrideRequest'];
    };
    DrillScheduled: {
      entityRef: string;
      provider: string;
      simulated: boolean;
      /** @enum {string} */
      fault: 'error-rate' | 'latency';
      /** @description What the provider will do, e.g. when the release starts. */
      message: string;
      environment: string;
      drill: components['schemas']['Drill'];
    };
    /**
     * @description error-rate: a share of the canary's requests fail; latency: the canary answers slower.
     * @enum {string}
     */
    DrillFault: 'error-rate' | 'latency';
    /** @description Runs a drill in a production environment anyway: needs the glidepath.drill.production permission (the demo grants it to admins) and a reason; audited. */
    ProductionOverrideRequest: {
      reason: string;
    };
    ProductionOverride: {
      by: components['schemas']['Actor'];
      reason: string;
      /** Format: date-time */
      at: string;
    };
    /**
     * @description waiting: the fault waits for the next release; running: the release carrying it runs; recovered: rolled back and healthy again; not_detected: the release finished without a rollback (the fault got through); failed: the release ended otherwise (aborted, failed); refused: the drill could not be scheduled (the reason says why); expired: no release carried the fault within a day.
     * @enum {string}
     */
    DrillState:
      | 'waiting'
      | 'running'
      | 'recovered'
      | 'not_detected'
      | 'failed'
      | 'refused'
      | 'expired';
    /** @description A rollback drill and what Glidepath recorded of it: the release that carried the fault, its first failing verdict, the rollback, the service healthy again and the owners notified. Times to detect and to recover are counted from the release's start. */
    Drill: {
      id: string;
      entityRef: string;
      environment: string;
      fault: components['schemas']['DrillFault'];
      gameDayId: string | null;
      provider: string;
      simulated: boolean;
      reason: string;
      requestedBy: components['schemas']['Actor'];
      /** Format: date-time */
      requestedAt: string;
      productionOverride: components['schemas']['ProductionOverride'] | null;
      state: components['schemas']['DrillState'];
      stateReason: string | null;
      releaseId: string | null;
      version: string | null;
      /** Format: date-time */
      injectedAt: string | null;
      /**
       * Format: date-time
       * @description The first failing verdict on the release.
       */
      detectedAt: string | null;
      /** Format: date-time */
      rollbackDecidedAt: string | null;
      /**
       * Format: date-time
       * @description When the rollback action finished.
       */
      rolledBackAt: string | null;
      /**
       * Format: date-time
       * @description When the provider reported the release rolled back, all traffic on the previous version.
       */
      healthyAt: string | null;
      /**
       * Format: date-time
       * @description When the engine notified the owners (with its rollback or escalation).
       */
      notifiedAt: string | null;
      timeToDetectSeconds: number | null;
      timeToRecoverSeconds: number | null;
      /** Format: date-time */
      finishedAt: string | null;
    };
    GameDayFaultRequest: {
      /** @description An entity ref of one of the game day's services. */
      service: string;
      fault: components['schemas']['DrillFault'];
      /** @description Where the drill runs; by default the service's first non-production environment, else production. */
      environment?: string;
    };
    GameDayRequest: {
      title: string;
      /** @description A user entity ref. */
      facilitator: string;
      /** @description User or group entity refs. */
      participants?: string[];
      /** @description Entity refs; the faults' services are added. */
      services?: string[];
      /** Format: date-time */
      scheduledAt: string;
      faults: components['schemas']['GameDayFaultRequest'][];
      /** @description What should happen, e.g. "rolled back within 2 minutes, owners notified": a number of seconds or minutes is checked against each fault's time to recover, and "notified" against the owners' notification. */
      hypothesis: string;
      productionOverride?: components['schemas']['ProductionOverrideRequest'];
    };
    HypothesisCheck: {
      /** @description Null until the drill finished, or when nothing in the hypothesis can be checked. */
      held: boolean | null;
      reasons: string[];
    };
    GameDayFault: {
      service: string;
      fault: components['schemas']['DrillFault'];
      /** @description Null when the service's default environment is used. */
      environment: string | null;
      /** @description Null until the game day's time. */
      drill: components['schemas']['Drill'] | null;
      hypothesis: components['schemas']['HypothesisCheck'];
    };
    GameDayFollowUp: {
      title: string;
      url: string;
    };
    GameDayOutcomeRequest: {
      learnt: string;
      followUps: components['schemas']['GameDayFollowUp'][];
    };
    GameDayOutcome: {
      learnt: string;
      followUps: components['schemas']['GameDayFollowUp'][];
      by: components['schemas']['Actor'];
      /** Format: date-time */
      at: string;
    };
    GameDay: {
      id: string;
      title: string;
      facilitator: string;
      participants: string[];
      services: string[];
      /** Format: date-time */
      scheduledAt: string;
      hypothesis: string;
      /** @description The time to recover the hypothesis names, if it names one. */
      hypothesisLimitSeconds: number | null;
      hypothesisNeedsNotification: boolean;
      /** @enum {string} */
      state: 'scheduled' | 'running' | 'finished';
      faults: components['schemas']['GameDayFault'][];
      /** @description True when it held for every fault, false when it failed for one; null while drills run or nothing can be checked. */
      hypothesisHeld: boolean | null;
      outcome: components['schemas']['GameDayOutcome'] | null;
      productionOverride: components['schemas']['ProductionOverride'] | null;
      createdBy: components['schemas']['Actor'];
      /** Format: date-time */
      createdAt: string;
    };
    GameDayList: {
      items: components['schemas']['GameDay'][];
    };
    DrillPeriod: {
      /** Format: date-time */
      from: string;
      /** Format: date-time */
      to: string;
      drills: number;
      medianDetectSeconds: number | null;
      medianRecoverSeconds: number | null;
    };
    DrillTeamStats: {
      /** @description The owner of the drilled services; "unowned" when none. */
      teamRef: string;
      teamTitle: string | null;
      /** @description Newest first. */
      drills: components['schemas']['Drill'][];
      medianDetectSeconds: number | null;
      medianRecoverSeconds: number | null;
      /** @description 30-day periods, oldest first. */
      periods: components['schemas']['DrillPeriod'][];
    };
    DrillTeamStatsList: {
      /** Format: date-time */
      from: string;
      /** Format: date-time */
      to: string;
      teams: components['schemas']['DrillTeamStats'][];
    };
    /**
     * @description pass: the canary is no worse than the policy allows, with confidence; fail: it is worse, with confidence; inconclusive: not enough evidence either way yet; no_data: nothing to judge (missing, stale or unreachable metrics).
     * @enum {string}
     */
    Verdict: 'pass' | 'fail' | 'inconclusive' | 'no_data';
    /**
     * @description What the engine did after judging: continue (keep watching while the provider moves the steps), promote (the canary passed a step that waits for Glidepath), rollback (a rule failed), hold (could not judge; no action), escalate (held past the deadline: release paused and owners notified).
     * @enum {string}
     */
    AnalysisDecision: 'continue' | 'promote' | 'rollback' | 'hold' | 'escalate';
    /**
     * @description error_rate: canary error rate above the baseline's; latency_p95: canary p95 latency above the baseline's; health_checks: canary health-check failures above the baseline's; burn_rate_fast and burn_rate_slow: the canary burning the error budget of the entity's SLO (multi-window, multi-burn-rate).
     * @enum {string}
     */
    AnalysisRule:
      | 'error_rate'
      | 'latency_p95'
      | 'health_checks'
      | 'burn_rate_fast'
      | 'burn_rate_slow';
    /** @description What one side served, as the rule counts it. */
    ArmEvidence: {
      /** @description Requests (or health checks) counted. */
      trials: number;
      /** @description Of those, the bad ones: errors, requests slower than the boundary, failed checks. */
      events: number;
      /** @description The rule's measure for this side, in the rule's unit (an error ratio, p95 seconds, a failure ratio, a burn rate); null without data. */
      observed: number | null;
    };
    /** @description One rule's verdict and the numbers behind it. */
    MetricEvidence: {
      rule: components['schemas']['AnalysisRule'];
      verdict: components['schemas']['Verdict'];
      /** @description The verdict in one plain sentence. */
      summary: string;
      /** @enum {string} */
      unit: 'ratio' | 'seconds' | 'burn_rate';
      canary: components['schemas']['ArmEvidence'];
      baseline: components['schemas']['ArmEvidence'];
      /** @description The tested quantity, the canary's excess: for error_rate and health_checks its bad ratio minus the baseline's; for latency_p95 its share of requests slower than the boundary minus 5%; for burn rates its error ratio over the long window minus the ratio that burns the budget at the threshold rate. */
      estimate: number | null;
      /** @description Lower end of the estimate's anytime-valid confidence sequence. */
      lowerBound: number | null;
      /** @description Upper end of the estimate's anytime-valid confidence sequence. */
      upperBound: number | null;
      /** @description The excess the policy tolerates, in the estimate's unit: the rule passes once the upper bound is below it. */
      limit: number;
      /** @description The sequential test's evidence that the canary is worse (an e-value: large is strong evidence); null without data. */
      eValue: number | null;
      /** @description The e-value at which the rule fails (1 / alpha), provided the upper bound reaches the limit. */
      eValueThreshold: number;
      /** @description The policy's limit in the rule's unit (e.g. 0.01 for one percentage point, 0.5 for 500 ms, 14.4 for a burn rate). */
      threshold: number;
      /** @description For latency, the latency above which a canary request counts as slow (the baseline's p95 plus the threshold). */
      boundarySeconds: number | null;
      /** @description The rule's share of the release's false-rollback budget. */
      alpha: number;
    };
    /** @description One evaluation of a release's canary against its policy. */
    Analysis: {
      id: string;
      releaseId: string;
      entityRef: string;
      /** Format: date-time */
      evaluatedAt: string;
      /**
       * Format: date-time
       * @description Start of the judged range: the end of the canary's warm-up (its start plus the policy's warmupSeconds). Later than `to` while the canary warms up and nothing failed; the canary's start for a rollback during the warm-up (a gross failure, judged on the counts since the canary started).
       */
      from: string;
      /** Format: date-time */
      to: string;
      /** @description The policy's name (`default` unless the entity names one). */
      policy: string;
      metricsProvider: string | null;
      /** @description True when the metrics come from a simulation. */
      simulated: boolean;
      verdict: components['schemas']['Verdict'];
      decision: components['schemas']['AnalysisDecision'];
      /** @description The decision in one plain sentence, with the evidence. */
      reason: string;
      metrics: components['schemas']['MetricEvidence'][];
      /** @description The action the decision requested, if any. */
      actionId: string | null;
    };
    ReleasePage: {
      items: components['schemas']['Release'][];
      nextCursor: string | null;
    };
    AnnotationProblem: {
      annotation: string;
      value: string;
      message: string;
    };
    /** @description How fresh the stored releases of this entity are. */
    ProviderStatus: {
      id: string;
      registered: boolean;
      simulated: boolean;
      /** Format: date-time */
      lastSyncedAt: string | null;
      /** @description True when the last sync failed; the data shown is the last known state. */
      stale: boolean;
      error: string | null;
    };
    EntityReleaseSummary: {
      entityRef: string;
      /** @description The latest release of the entity's production environment (the latest of any environment when it has none there). */
      current: components['schemas']['Release'] | null;
      /** @description The latest releases of every environment, newest first. */
      recent: components['schemas']['Release'][];
      /** @description The actions the current release's phase admits. */
      allowedActions: components['schemas']['ActionType'][];
      recentActions: components['schemas']['ReleaseAction'][];
      provider: components['schemas']['ProviderStatus'] | null;
      problems: components['schemas']['AnnotationProblem'][];
      /** @description Each environment the entity's rollout annotation names, in promotion order, with its current release; then any other environment the entity has releases in (one its annotation no longer names, or a provider's own for the single form). */
      environments: components['schemas']['EnvironmentRelease'][];
      /** @description The current release's checklist or, when it has none, the one waiting for the next release. */
      checklist: components['schemas']['Checklist'] | null;
      /** @description The rollback gate of the production environment's latest release; null when the gate is off or no release went to production. */
      rollbackGate?: components['schemas']['RollbackGate'] | null;
    };
    /**
     * @description `pending` (recorded, not started), `rolling_back` (the rollback was asked of the provider), `restoring` (rolled back; waiting until the previous version is healthy), `rolling_forward` (the version runs again on its way), then `passed`, `failed` (with the reason) or `not_run` (with the reason: nothing was rolled back).
     * @enum {string}
     */
    RollbackTestState:
      | 'pending'
      | 'rolling_back'
      | 'restoring'
      | 'rolling_forward'
      | 'passed'
      | 'failed'
      | 'not_run';
    /** @description One rollback test of a version in a non-production environment: rolled back, the previous version healthy again, rolled forward. */
    RollbackTest: {
      id: string;
      entityRef: string;
      environment: string;
      /** @description The version tested (rolled back and forward again). */
      version: string;
      /** @description The version it is rolled back to. */
      previousVersion: string | null;
      /** @description The completed release whose version is tested. */
      releaseId: string;
      provider: string;
      /** @description True when the provider is a simulation (the sandbox). */
      simulated: boolean;
      /**
       * @description `policy` when Glidepath ran it because the release completed, `manual` when someone asked for it.
       * @enum {string}
       */
      trigger: 'policy' | 'manual';
      requestedBy: components['schemas']['Actor'];
      reason: string;
      state: components['schemas']['RollbackTestState'];
      /** @description Why it failed or was not run; while it runs, what it waits for. */
      stateReason: string | null;
      /** Format: date-time */
      requestedAt: string;
      /**
       * Format: date-time
       * @description When the provider had rolled the version back.
       */
      rolledBackAt: string | null;
      /**
       * Format: date-time
       * @description When the previous version was healthy again.
       */
      healthyAt: string | null;
      /** Format: date-time */
      finishedAt: string | null;
      /** @description Time to roll back, from the request to rolledBackAt. */
      rollbackSeconds: number | null;
      /** @description Time to healthy, from the request to healthyAt. */
      healthySeconds: number | null;
    };
    RollbackTestRequest: {
      /** @description A non-production environment of the entity; the first one in promotion order when left out. */
      environment?: string;
      reason: string;
    };
    RollbackGateOverrideRequest: {
      reason: string;
    };
    /** @description Whether a production release's version had its rollback tested before production, and what the gate does about it. */
    RollbackGate: {
      releaseId: string;
      version: string;
      /**
       * @description `required`: a release without a passed test waits at its first step; `advisory`: it is only said; `off`: not looked at.
       * @enum {string}
       */
      mode: 'required' | 'advisory' | 'off';
      /** @enum {string} */
      status: 'passed' | 'running' | 'failed' | 'missing' | 'overridden';
      /** @description True while the gate keeps the release waiting. */
      holds: boolean;
      /** @description The gate's state in plain words. */
      message: string;
      /** @description The passed test of the version, else its latest one. */
      test: components['schemas']['RollbackTest'] | null;
      override: {
        by: components['schemas']['Actor'];
        reason: string;
        /** Format: date-time */
        at: string;
      } | null;
    };
    /** @description What a window or train applies to: the organisation; a domain, system, owner or entity by `ref` (an entity ref); an environment by `name`. */
    CalendarScope: {
      /** @enum {string} */
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
    FreezeWindowRequest: {
      title: string;
      /**
       * @description `deny` closes releasing while open; with `allow` windows, releasing is closed outside them. Deny wins.
       * @enum {string}
       */
      effect: 'deny' | 'allow';
      scope: components['schemas']['CalendarScope'];
      reason: string;
      /** @description An IANA timezone, e.g. Europe/Berlin. */
      timezone: string;
      /** @description Local date and time in the timezone, YYYY-MM-DDTHH:mm. */
      start: string;
      /** @description For a one-off window, its local end. */
      end?: string;
      /** @description For a recurring window, an RFC 5545 RRULE (e.g. FREQ=WEEKLY;BYDAY=FR) from start. */
      rrule?: string;
      /** @description For a recurring window, how long each occurrence lasts. */
      durationMinutes?: number;
    };
    FreezeWindow: {
      title: string;
      /**
       * @description `deny` closes releasing while open; with `allow` windows, releasing is closed outside them. Deny wins.
       * @enum {string}
       */
      effect: 'deny' | 'allow';
      scope: components['schemas']['CalendarScope'];
      reason: string;
      /** @description An IANA timezone, e.g. Europe/Berlin. */
      timezone: string;
      /** @description Local date and time in the timezone, YYYY-MM-DDTHH:mm. */
      start: string;
      /** @description For a one-off window, its local end. */
      end?: string;
      /** @description For a recurring window, an RFC 5545 RRULE (e.g. FREQ=WEEKLY;BYDAY=FR) from start. */
      rrule?: string;
      /** @description For a recurring window, how long each occurrence lasts. */
      durationMinutes?: number;
      id: string;
      createdBy: components['schemas']['Actor'];
      /** Format: date-time */
      createdAt: string;
      /**
       * @description Set when the window is defined in config (glidepath.calendar.windows); it cannot be deleted through the API.
       * @enum {string}
       */
      definedIn?: 'app-config';
    };
    ReleaseTrainRequest: {
      title: string;
      scope: components['schemas']['CalendarScope'];
      timezone: string;
      start: string;
      rrule: string;
    };
    ReleaseTrain: {
      title: string;
      scope: components['schemas']['CalendarScope'];
      timezone: string;
      start: string;
      rrule: string;
      id: string;
      createdBy: components['schemas']['Actor'];
      /** Format: date-time */
      createdAt: string;
      /** @description The next three slots. */
      nextSlots: string[];
      /**
       * @description Set when the train is defined in config (glidepath.calendar.trains); it cannot be deleted through the API.
       * @enum {string}
       */
      definedIn?: 'app-config';
    };
    CalendarState: {
      closed: boolean;
      reason: string | null;
      windowId: string | null;
      /** Format: date-time */
      nextOpen: string | null;
      /** Format: date-time */
      nextClose: string | null;
      nextCloseReason: string | null;
    };
    CalendarFeedLink: {
      /** @description The feed's path and query under the plugin's base URL. */
      path: string;
      /** @description Whether the link opens without a Backstage token (calendar apps can subscribe); false when glidepath.calendar.feeds.secret is not set. */
      subscribable: boolean;
    };
    EntityCalendar: {
      entityRef: string;
      environments: {
        name: string;
        state: components['schemas']['CalendarState'];
        override?: components['schemas']['ReleaseFreezeOverride'];
      }[];
      trains: {
        id: string;
        title: string;
        /** Format: date-time */
        next: string | null;
      }[];
      errorBudget?: components['schemas']['ErrorBudget'];
      /** @description The entity's releases in flight marked as fixes. */
      fixes?: components['schemas']['ReleaseFix'][];
    };
    /** @description The error-budget policy's state for a service: how much of its SLO's error budget the last `windowDays` days burned, read from its metrics provider (cached), and whether its production releases are frozen for it (all but fixes). */
    ErrorBudget: {
      /**
       * @description `within` the budget, `spent` (100% or more burned: frozen except fixes), `unknown` (no data or the provider failed: not frozen), `no_slo` (no `glidepath.dev/slo`: no policy).
       * @enum {string}
       */
      status: 'within' | 'spent' | 'unknown' | 'no_slo';
      sloPercent: number | null;
      windowDays: number;
      requests: number | null;
      errors: number | null;
      /** @description Server errors per request over the window, 0 to 1. */
      errorRatio: number | null;
      /** @description The error ratio as a share of the budget (1 - SLO), in percent. */
      burnedPercent: number | null;
      frozen: boolean;
      /** @description The environments the policy freezes (production ones). */
      environments: string[];
      /** @description Why it is frozen, or why the budget is unknown. */
      reason: string | null;
      /**
       * Format: date-time
       * @description When the provider was read (the reading is cached).
       */
      readAt: string | null;
    };
    ReleaseFixRequest: {
      reason: string;
    };
    ReleaseFix: {
      releaseId: string;
      entityRef: string;
      environment: string;
      version: string;
      by: components['schemas']['Actor'];
      reason: string;
      /** Format: date-time */
      at: string;
    };
    FreezeOverrideRequest: {
      reason: string;
    };
    PlanMemberRequest: {
      entityRef: string;
      version: string;
      environment: string;
      /** @description The release fixes the service: it may go out while the service's error budget is spent. */
      fix?: boolean;
    };
    /** @description What must hold before the next wave starts. */
    PlanGates: {
      /** @description Minutes the wave's releases run complete and healthy first. */
      soakMinutes?: number;
      /** @description Every release of the wave passed its canary analysis (or had none to run). */
      analysisPassed?: boolean;
      /** @description Checklist items every release of the wave has done. */
      checklistItems?: string[];
      /** @description Every member whose rollback-test policy is on has a passed rollback test of its version. */
      rollbackTestPassed?: boolean;
    };
    /**
     * @description On a failed member: halt (stop, roll nothing back), roll back the failed wave, or roll back every wave in reverse dependency order.
     * @enum {string}
     */
    PlanFailurePolicy: 'halt' | 'rollback-wave' | 'rollback-all';
    PlanRequest: {
      title: string;
      members: components['schemas']['PlanMemberRequest'][];
      /**
       * Format: date-time
       * @description When to start; now when neither this nor trainId is given.
       */
      startAt?: string;
      /** @description Start at the next slot of this release train. */
      trainId?: string;
      gates?: components['schemas']['PlanGates'];
      failurePolicy?: components['schemas']['PlanFailurePolicy'];
      /** @description Goes ahead despite a dependency cycle or a requirement the plan breaks; recorded with the plan. */
      overrideReason?: string;
    };
    PlanControlRequest: {
      reason: string;
    };
    /** @enum {string} */
    PlanState:
      | 'scheduled'
      | 'running'
      | 'paused'
      | 'rolling_back'
      | 'succeeded'
      | 'failed'
      | 'rolled_back'
      | 'aborted';
    PlanMember: {
      entityRef: string;
      version: string;
      environment: string;
      fix: boolean;
      wave: number;
      /** @enum {string} */
      state:
        | 'pending'
        | 'starting'
        | 'manual'
        | 'releasing'
        | 'released'
        | 'failed'
        | 'rolling_back'
        | 'rolled_back';
      stateReason: string | null;
      /**
       * @description `manual` when the provider cannot start releases: the plan waits until the version shows up.
       * @enum {string}
       */
      mode: 'provider' | 'manual';
      releaseId: string | null;
      /** Format: date-time */
      startedAt: string | null;
      /** Format: date-time */
      completedAt: string | null;
      /** Format: date-time */
      rolledBackAt: string | null;
    };
    PlanWave: {
      index: number;
      /** @enum {string} */
      state:
        | 'pending'
        | 'waiting'
        | 'releasing'
        | 'soaking'
        | 'done'
        | 'failed'
        | 'rolling_back'
        | 'rolled_back';
      /** @description What the wave waits for (a gate, a freeze), in words. */
      waitingFor: string | null;
      /** Format: date-time */
      startedAt: string | null;
      /** Format: date-time */
      completedAt: string | null;
    };
    PlanEvent: {
      /** Format: date-time */
      at: string;
      kind: string;
      message: string;
      wave: number | null;
      entityRef: string | null;
      actor: components['schemas']['Actor'] | null;
    };
    PlanOverride: {
      by: components['schemas']['Actor'];
      reason: string;
      /** Format: date-time */
      at: string;
      problems: string[];
    };
    Plan: {
      id: string;
      title: string;
      state: components['schemas']['PlanState'];
      stateReason: string | null;
      failurePolicy: components['schemas']['PlanFailurePolicy'];
      gates: components['schemas']['PlanGates'];
      /** Format: date-time */
      startAt: string;
      trainId: string | null;
      createdBy: components['schemas']['Actor'];
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      startedAt: string | null;
      /** Format: date-time */
      finishedAt: string | null;
      currentWave: number | null;
      override: components['schemas']['PlanOverride'] | null;
      freezeOverride: components['schemas']['PlanOverride'] | null;
      waves: components['schemas']['PlanWave'][];
      members: components['schemas']['PlanMember'][];
      /** @description The timeline, oldest first (the latest 200). */
      events: components['schemas']['PlanEvent'][];
      /** @description A member's provider is a simulation. */
      simulated: boolean;
    };
    FreezeOverride: {
      releaseId: string;
      by: components['schemas']['Actor'];
      reason: string;
      windowId: string | null;
      /** Format: date-time */
      at: string;
    };
    /** @description The break-glass override of an environment's latest release, with its version: that release may be promoted and resumed during a freeze. Absent when the latest release has none. */
    ReleaseFreezeOverride: {
      releaseId: string;
      version: string;
      by: components['schemas']['Actor'];
      reason: string;
      /** @description The freeze window open when the glass was broken, if any. */
      windowId: string | null;
      /** Format: date-time */
      at: string;
    };
    /** @description One environment of an entity and what runs there. */
    EnvironmentRelease: {
      /** @description The environment, e.g. `staging`. */
      name: string;
      /** @description Whether it is a production environment: marked so in `glidepath.environments`, or the target of a single-form annotation (which means production). */
      production: boolean;
      /** @description The rollout provider of the entity's target here; null when the annotation names no target here. */
      provider: string | null;
      /** @description The provider's reference of the target here. */
      ref: string | null;
      /** @description The latest release here (by start), whatever its phase: what runs, or what is on its way (its previousVersion is what ran before). */
      current: components['schemas']['Release'] | null;
      /** @description The latest rollback test here (non-production environments); null when none ran. */
      rollbackTest?: components['schemas']['RollbackTest'] | null;
    };
    /** @enum {string} */
    GraphDirection: 'dependencies' | 'dependents' | 'both';
    /** @description What the graph was asked for. */
    GraphScope: {
      /** @enum {string} */
      type: 'entity' | 'system' | 'domain' | 'owner' | 'all';
      /** @description The root entity, system, domain or owner, normalised. */
      ref: string | null;
      depth: number | null;
      direction: components['schemas']['GraphDirection'];
    };
    /** @description What runs in one environment: the stable version (the latest release that succeeded, or the version a failed, aborted or rolled back release left in place) and the release in progress, if any. */
    GraphDeployment: {
      environment: string;
      version: string | null;
      /** @description The latest release in this environment. */
      releaseId: string;
      releasePhase: components['schemas']['ReleasePhase'];
      /** @description The version being rolled out, while a release progresses. */
      releasingVersion: string | null;
      simulated: boolean;
    };
    GraphNode: {
      /** @description kind:namespace/name in lower case. */
      entityRef: string;
      kind: string;
      namespace: string;
      name: string;
      title: string | null;
      /** @description spec.type, e.g. service, database. */
      type: string | null;
      owner: string | null;
      /** @description The system it is part of (its partOf relation of kind System); a subcomponent has none of its parent's, as in Backstage. */
      system: string | null;
      lifecycle: string | null;
      /**
       * @description The phase of the entity's most recent release, in any environment (the values of ReleasePhase), or null without releases.
       * @enum {string|null}
       */
      phase:
        | 'pending'
        | 'progressing'
        | 'paused'
        | 'succeeded'
        | 'aborted'
        | 'rolled_back'
        | 'failed'
        | null;
      deployments: components['schemas']['GraphDeployment'][];
      /** @description Hops from the root or the scope; 0 for the root and scope members. */
      distance: number | null;
      /** @description False for nodes outside a system, domain or owner reached by depth. */
      inScope: boolean;
      /** @description A layered drawing, dependencies left of their dependents. */
      layout: {
        layer: number;
        row: number;
      };
      problems: components['schemas']['AnnotationProblem'][];
    };
    /** @description A requirement checked against the version deployed in one environment. */
    RequirementCheck: {
      environment: string;
      version: string | null;
      status: components['schemas']['RequirementStatus'];
      /** @description True for the version a release in progress is rolling out, which will run everywhere if it is promoted. */
      releasing: boolean;
      message: string | null;
    };
    /** @enum {string} */
    RequirementStatus: 'satisfied' | 'broken' | 'unknown';
    GraphRequirement: {
      range: string;
      /** @description The entry as written in glidepath.dev/requires. */
      text: string;
      status: components['schemas']['RequirementStatus'];
      checks: components['schemas']['RequirementCheck'][];
    };
    /** @description `from` depends on `to`: `to` is released first. */
    GraphEdge: {
      from: string;
      to: string;
      relations: ('dependsOn' | 'consumesApi' | 'requires')[];
      /** @description The APIs through which `from` consumes `to`. */
      apis: string[];
      requirement: components['schemas']['GraphRequirement'] | null;
    };
    /** @description Topological layers, dependencies first: each layer can be released once the layers before it are done. Null when cycles prevent an order. */
    ReleaseOrder: {
      layers: string[][] | null;
      cycles: string[][];
    };
    DependencyGraph: {
      scope: components['schemas']['GraphScope'];
      nodes: components['schemas']['GraphNode'][];
      edges: components['schemas']['GraphEdge'][];
      releaseOrder: components['schemas']['ReleaseOrder'];
      /** @description Entities named by a relation or requirement of a node that give no edge: the catalog did not return them (absent, or not readable by the caller), or they are of the wrong kind (a consumesApis entry naming a component). Sorted. */
      missing: string[];
      /** @description Why each entry of `missing` is there, in the same order. */
      missingDetails?: components['schemas']['GraphMissing'][];
      /** Format: date-time */
      generatedAt: string;
    };
    /** @description An entity a node names that gives no edge, and why. */
    GraphMissing: {
      entityRef: string;
      /**
       * @description not-found: the catalog did not return it (absent, or not readable by the caller); wrong-kind: it exists but the relation needs another kind (consumesApis names APIs).
       * @enum {string}
       */
      reason: 'not-found' | 'wrong-kind';
      /** @description The nodes of the graph that name it, sorted. */
      namedBy: string[];
      /** @description The relations that name it, sorted. */
      relations: ('dependsOn' | 'consumesApi' | 'requires')[];
      message: string;
    };
    ProposedChange: {
      entityRef: string;
      version: string;
      /** @description Defaults to every environment the entity is deployed to. */
      environment?: string;
    };
    GraphCheckRequest: {
      changes: components['schemas']['ProposedChange'][];
    };
    RequirementViolation: {
      /** @description The entity whose requirement breaks. */
      from: string;
      /** @description The changed entity. */
      to: string;
      range: string;
      text: string;
      proposedVersion: string;
      /** @description What the environment runs now, when known. */
      currentVersion: string | null;
      environment: string | null;
      /** @description True when the deployed version already breaks it. */
      alreadyBroken: boolean;
      message: string;
    };
    GraphCheckResult: {
      broken: components['schemas']['RequirementViolation'][];
      /** @description Requirements that cannot be judged (a version that is not semver). */
      unknown: components['schemas']['RequirementViolation'][];
      releaseOrder: components['schemas']['ReleaseOrder'];
      /** @description Every entity that depends on a changed one, directly or not. */
      blastRadius: string[];
      /** @description Changed entities the catalog did not return. */
      missing: string[];
    };
    /** @description A deployment to an environment, as a CI/CD system reports it. */
    DeploymentEvent: {
      /** @description The sender's id of this deployment; unique per deployment. */
      id: string;
      /** @description The deployed entity; kind defaults to component, namespace to default. */
      entityRef: string;
      /** @description Where it went; the environments in glidepath.dora.productionEnvironments (default production) count. */
      environment: string;
      version: string;
      /** Format: date-time */
      deployedAt: string;
      /**
       * Format: date-time
       * @description The first commit of the change, for lead time.
       */
      firstCommitAt?: string;
      commit?: string;
      /**
       * @default succeeded
       * @enum {string}
       */
      outcome: 'succeeded' | 'failed' | 'rolled_back' | 'aborted';
      /**
       * Format: date-time
       * @description When it ended; for failed, rolled back or aborted deployments, when the previous version was serving again.
       */
      finishedAt?: string;
      url?: string;
      /**
       * @description How it went out, for the share of progressive delivery: canary and blue_green count as progressive, rolling and recreate as all at once; left out, it counts as unknown.
       * @enum {string}
       */
      strategy?: 'canary' | 'blue_green' | 'rolling' | 'recreate';
    };
    /** @description An incident opened or resolved, as a paging tool reports it. */
    IncidentEvent: {
      id: string;
      entityRef?: string;
      /** Format: date-time */
      openedAt?: string;
      /** Format: date-time */
      resolvedAt?: string | null;
      title?: string;
      severity?: string;
      url?: string;
      /** @description The id of the deployment event that caused it (an explicit link). */
      deploymentId?: string;
      /** @description The entity's version that caused it (an explicit link). */
      version?: string;
    };
    EventsReceived: {
      received: number;
      created: number;
      updated: number;
      /** @description Ids received before with the same content (not counted twice). */
      unchanged: number;
      results: {
        id: string;
        /** @enum {string} */
        status: 'created' | 'updated' | 'unchanged';
        /** @description Whether the catalog knows the event's entity. */
        matched: boolean;
        /** @description What was stored but not counted as sent, by field: a firstCommitAt after deployedAt (clock skew) gives the deployment no lead time. Absent when there is nothing to say. */
        warnings?: {
          field: string;
          message: string;
        }[];
      }[];
      /** @description Entities of these events the catalog does not know. */
      unmatched: string[];
    };
    UnmatchedEvent: {
      /** @enum {string} */
      type: 'deployment' | 'incident';
      id: string;
      entityRef: string;
      /** Format: date-time */
      receivedAt: string;
    };
    /** @enum {string} */
    DoraBucket: 'week' | 'month';
    /** @description Release metrics of a scope over a period; docs/release-metrics.md. */
    ReleaseMetricsResponse: {
      scope: {
        /** @enum {string} */
        type: 'entity' | 'owner' | 'system' | 'all';
        ref: string | null;
      };
      /** Format: date-time */
      from: string;
      /** Format: date-time */
      to: string;
      bucket: components['schemas']['DoraBucket'];
      targets: {
        /** @description The share of production releases that should have passed a rollback test first (0.7). */
        rollbackTestedShare: number;
        /** @description The longest a rollback should take (120000, two minutes). */
        rollbackTimeMs: number;
        /** @description The share of cross-service releases that should go through a release plan (0.7). */
        plannedShare?: number;
      };
      summary: components['schemas']['ReleaseMetricsMeasures'];
      series: {
        /** Format: date-time */
        start: string;
        /** Format: date-time */
        end: string;
        measures: components['schemas']['ReleaseMetricsMeasures'];
      }[];
      /** @description Production releases of the period made up by a simulation (the sandbox). */
      simulatedReleases: number;
    };
    ReleaseMetricsMeasures: {
      productionReleases: number;
      /** @description Production releases whose version passed a rollback test in a non-production environment before they went past their first step (posted deployments, without steps, before they started). */
      rollbackTested: {
        releases: number;
        tested: number;
        share: number | null;
      };
      /** @description Production releases by strategy; share is progressive / (progressive + allAtOnce), unknown left out. */
      progressiveDelivery: {
        progressive: number;
        allAtOnce: number;
        unknown: number;
        share: number | null;
        strategies: {
          canary: number;
          blue_green: number;
          rolling: number;
          recreate: number;
        };
      };
      rollbackTime: {
        automatic: components['schemas']['RollbackTimeMeasure'];
        manual: components['schemas']['RollbackTimeMeasure'];
      };
      plannedCrossService?: components['schemas']['PlannedCrossServiceMeasure'];
    };
    /** @description Cross-service releases (production releases of two or more services linked by a dependency or a version requirement, started within one day of each other) and how many went through a release plan (every release of the group a member release of one plan). Left out of weekly reports made before the measure existed. Definitions in docs/release-metrics.md. */
    PlannedCrossServiceMeasure: {
      crossServiceReleases: number;
      planned: number;
      share: number | null;
    };
    /** @description The release metrics section of a team's weekly report: the week's measures of the team's services against the targets. */
    DoraReportReleaseMetrics: {
      measures: components['schemas']['ReleaseMetricsMeasures'];
      targets: {
        rollbackTestedShare: number;
        rollbackTimeMs: number;
        plannedShare?: number;
      };
    };
    /** @description Rollbacks of production releases, from the request of the rollback to the release rolled back; unfinished ones (failed, or still running) are counted apart and left out of the times. */
    RollbackTimeMeasure: {
      /** @description Rollbacks that finished. */
      rollbacks: number;
      medianMs: number | null;
      p90Ms: number | null;
      /** @description Finished rollbacks that took at most the target. */
      withinTarget: number;
      unfinished: number;
    };
    /** @enum {string} */
    DoraLevel: 'elite' | 'high' | 'medium' | 'low';
    /** @description The four DORA measures over a period (see docs/dora.md). */
    DoraMeasures: {
      deployments: number;
      deploymentsPerDay: number;
      /** @enum {string|null} */
      deploymentFrequencyLevel: 'elite' | 'high' | 'medium' | 'low' | null;
      leadTime: {
        count: number;
        medianMs: number | null;
        p90Ms: number | null;
        /** @enum {string|null} */
        level: 'elite' | 'high' | 'medium' | 'low' | null;
      };
      changeFailureRate: {
        failures: number;
        deployments: number;
        rate: number | null;
        /** @enum {string|null} */
        level: 'elite' | 'high' | 'medium' | 'low' | null;
      };
      recoveryTime: {
        count: number;
        open: number;
        medianMs: number | null;
        p90Ms: number | null;
        /** @enum {string|null} */
        level: 'elite' | 'high' | 'medium' | 'low' | null;
      };
    };
    /** @description A failed change and the rule that made it one. */
    DoraFailure: {
      deploymentId: string;
      entityRef: string;
      environment: string;
      version: string | null;
      /** @enum {string} */
      outcome: 'succeeded' | 'failed' | 'rolled_back' | 'aborted';
      /** Format: date-time */
      deployedAt: string;
      /** @enum {string} */
      rule: 'rolled-back' | 'linked-incident' | 'latest-release';
      /** Format: date-time */
      failureStartedAt: string | null;
      /** Format: date-time */
      restoredAt: string | null;
      incidents: {
        id: string;
        title: string | null;
        url: string | null;
      }[];
    };
    DoraGroup: {
      ref: string;
      title: string | null;
      entities: number;
      summary: components['schemas']['DoraMeasures'];
    };
    DoraResponse: {
      scope: {
        /** @enum {string} */
        type: 'entity' | 'owner' | 'system' | 'all';
        ref: string | null;
      };
      /** Format: date-time */
      from: string;
      /** Format: date-time */
      to: string;
      bucket: components['schemas']['DoraBucket'];
      summary: components['schemas']['DoraMeasures'];
      series: {
        /** Format: date-time */
        start: string;
        /** Format: date-time */
        end: string;
        measures: components['schemas']['DoraMeasures'];
      }[];
      /** @description The latest failed changes of the period (at most 20), newest first. */
      failures: components['schemas']['DoraFailure'][];
      groups?: components['schemas']['DoraGroup'][];
      /** @description Stored events whose entity the catalog did not know. */
      unmatchedEvents: number;
      /** @description Deployments of the period made up by a simulation (the sandbox's demo history and releases); show them as such. */
      simulatedDeployments: number;
    };
    DoraReportSummary: {
      id: string;
      ownerRef: string;
      /** Format: date-time */
      periodStart: string;
      /** Format: date-time */
      periodEnd: string;
      /** Format: date-time */
      createdAt: string;
      deployments: number;
      changeFailureRate: number | null;
    };
    DoraChange: {
      /** @enum {string} */
      measure:
        | 'deploymentFrequency'
        | 'leadTime'
        | 'changeFailureRate'
        | 'recoveryTime';
      current: number | null;
      previous: number | null;
      /** @enum {string} */
      trend: 'better' | 'worse' | 'same' | 'no-data';
    };
    /** @description A team's week: its measures, the week before's, how each moved, its services, its failed changes and its slowest lead times. */
    DoraWeeklyReport: {
      id: string;
      ownerRef: string;
      /** Format: date-time */
      periodStart: string;
      /** Format: date-time */
      periodEnd: string;
      /** Format: date-time */
      createdAt: string;
      summary: components['schemas']['DoraMeasures'];
      previous: components['schemas']['DoraMeasures'];
      changes: components['schemas']['DoraChange'][];
      services: {
        entityRef: string;
        deployments: number;
        failures: number;
        leadTimeMedianMs: number | null;
      }[];
      failures: components['schemas']['DoraFailure'][];
      slowestLeadTimes: {
        deploymentId: string;
        entityRef: string;
        version: string | null;
        /** Format: date-time */
        deployedAt: string;
        leadTimeMs: number;
      }[];
      flags?: components['schemas']['DoraReportFlags'];
      releaseMetrics?: components['schemas']['DoraReportReleaseMetrics'];
    };
    /** @description The feature-flag section of a team's weekly report: the team's stale flags with the day each is due for cleanup, and the share of the week's new features behind flags, the team's and the organisation's, against the target. Absent from reports written without the flags capability (no flag provider installed) and from reports written before it. */
    DoraReportFlags: {
      /**
       * Format: date-time
       * @description When the flag inventory was last read completely (its latest source's reading) when the report was written; null when it had not been read yet (a report written right after a start, before the first flag sync), so that no flag is known.
       */
      inventoryReadAt: string | null;
      /** @description Flags of the team's services in the inventory when written. */
      flags: number;
      /** @description Of those, how many were stale. */
      staleTotal: number;
      /** @description The stale flags, the longest stale first (at most 50). Null in a report written afterwards for a past week: the inventory is the day's, not that week's. */
      staleFlags: components['schemas']['DoraReportStaleFlag'][] | null;
      /**
       * @description What the automated cleanup does after the due day: archives the flag (when it is off everywhere or launched to everyone and not a kill switch), only reports (a dry run), or does not run.
       * @enum {string}
       */
      cleanup: 'archives' | 'dry_run' | 'off';
      /** @description The share of the week's production releases behind a flag, for the team and the organisation. */
      coverage: {
        /** @description The target share (0.8). */
        target: number;
        team: components['schemas']['FlagCoverageShare'];
        organisation: components['schemas']['FlagCoverageShare'];
      };
    };
    DoraReportStaleFlag: {
      entityRef: string;
      provider: string;
      key: string;
      name: string;
      /**
       * Format: date-time
       * @description When the flag became stale, where known.
       */
      staleAt: string | null;
      /** @description Why the flag is stale, in words. */
      reason: string;
      /**
       * Format: date-time
       * @description The day it is due for cleanup: after it, the flag is archived (or, in a dry run, would be). The day the cleanup announced; for a flag not announced yet (announced), the earliest it can be, the report's writing plus the grace period (the daily cleanup announces it at its next run). Null when the cleanup does not run or a keep decision holds.
       */
      dueAt: string | null;
      /** @description Whether the cleanup has announced the flag to its owner. */
      announced: boolean;
      /**
       * Format: date-time
       * @description Until when a keep decision holds, with its reason.
       */
      keptUntil: string | null;
      keepReason: string | null;
    };
    /**
     * @description A flag's governance state: stale (older than its type's lifetime), launched (one variation served everywhere for launchedAfterDays), inactive (not evaluated for inactiveAfterDays), due_soon (in the last dueSoonDays of its lifetime), fresh, or permanent (a kill switch, a permission flag, a flag not marked temporary).
     * @enum {string}
     */
    FlagState:
      | 'fresh'
      | 'due_soon'
      | 'stale'
      | 'launched'
      | 'inactive'
      | 'permanent';
    /** @description A flag in one environment, as its provider last reported it. */
    FlagEnvironment: {
      environment: string;
      /** @description The provider's kind of environment, e.g. production. */
      type?: string;
      enabled: boolean;
      /**
       * Format: date-time
       * @description Null when never evaluated; absent when unknown.
       */
      lastEvaluatedAt?: string | null;
      /** @description The variation everyone gets here, when all get the same (true or false for a boolean flag). */
      servesEveryone?: string;
      /** Format: date-time */
      servingSince?: string;
      /** @description The provider's own status here, e.g. launched. */
      status?: string;
      /** @description The targeting in a few words, e.g. on for 25%. */
      summary?: string;
    };
    /** @description A decision to keep a flag whatever its state, until expiresAt. */
    FlagKeep: {
      reason: string;
      /** Format: date-time */
      expiresAt: string;
      expired: boolean;
      decidedBy: components['schemas']['Actor'];
      /** Format: date-time */
      decidedAt: string;
    };
    Flag: {
      /** @description Glidepath's id of the flag, stable while it exists. */
      id: string;
      entityRef: string;
      provider: string;
      /** @description True for a simulation (the sandbox). */
      simulated: boolean;
      /** @description The provider's key of the flag. */
      key: string;
      name: string;
      project: string | null;
      description: string | null;
      /** @description The provider's flag type, e.g. release or kill-switch. */
      type: string | null;
      temporary: boolean | null;
      /** Format: date-time */
      createdAt: string;
      createdBy: string | null;
      ageDays: number;
      /** @description The annotated entity's owner (an entity ref), else the provider's maintainer, else null. */
      owner: string | null;
      /** @enum {string|null} */
      ownerSource: 'catalog' | 'provider' | null;
      environments: components['schemas']['FlagEnvironment'][];
      /**
       * Format: date-time
       * @description The latest evaluation anywhere; null when never or when the provider cannot tell (see evaluationKnown).
       */
      lastEvaluatedAt: string | null;
      evaluationKnown: boolean;
      lifecycle: string | null;
      /** @description The provider itself marks the flag (potentially) stale. */
      providerStale: boolean;
      tags: string[];
      url: string | null;
      state: components['schemas']['FlagState'];
      /** @description The state in a sentence. */
      stateReason: string;
      /**
       * Format: date-time
       * @description When the flag is or became stale; null when permanent.
       */
      staleAt: string | null;
      keep: components['schemas']['FlagKeep'] | null;
      /** @description The last reading of the flag's source failed: this is the last inventory that could be read. */
      inventoryStale: boolean;
      /**
       * Format: date-time
       * @description When the flag's source was last read completely.
       */
      readAt: string | null;
    };
    FlagList: {
      items: components['schemas']['Flag'][];
      /** @description How many flags match, all pages together. */
      total: number;
      /** @description How many matching flags are in each state. */
      counts: {
        [key: string]: number;
      };
      /** @description Where this page starts among the matching flags. */
      offset: number;
      /** @description The most flags a page has, as asked (default 1000). */
      limit: number;
      /** @description The offset of the next page; null on the last page. */
      nextOffset: number | null;
    };
    /** @description One entry of the entity's glidepath.dev/flags annotation. */
    FlagSource: {
      provider: string;
      ref: string;
      simulated: boolean;
      /** @description Whether the provider can archive flags. */
      canArchive: boolean;
      /**
       * Format: date-time
       * @description When its flags were last read completely.
       */
      readAt: string | null;
      /** Format: date-time */
      attemptedAt: string | null;
      /** @description Why the last reading failed; its flags are then the last that could be read. */
      error: string | null;
    };
    /** @description Something done to a flag, with its outcome. */
    FlagAction: {
      id: string;
      entityRef: string;
      provider: string;
      flagKey: string;
      flagName: string;
      /** @enum {string} */
      action: 'archive' | 'keep';
      reason: string;
      actor: components['schemas']['Actor'];
      /** @enum {string} */
      status: 'succeeded' | 'failed';
      /** @description The provider's account, or its reason for refusing. */
      message: string | null;
      /** Format: date-time */
      at: string;
    };
    EntityFlags: {
      entityRef: string;
      flags: components['schemas']['Flag'][];
      sources: components['schemas']['FlagSource'][];
      /** @description The problems of the entity's glidepath.dev/flags annotation. */
      problems: components['schemas']['AnnotationProblem'][];
      /** @description The latest actions on the entity's flags, newest first. */
      actions: components['schemas']['FlagAction'][];
    };
    FlagKeepRequest: {
      reason: string;
      /**
       * Format: date-time
       * @description Until when; in the future, at most a year ahead.
       */
      expiresAt: string;
    };
    FlagArchiveRequest: {
      reason: string;
    };
    /** @description How many flags are in each state (states with none left out). */
    FlagStateCounts: {
      fresh?: number;
      due_soon?: number;
      stale?: number;
      launched?: number;
      inactive?: number;
      permanent?: number;
    };
    FlagSummary: {
      total: number;
      /** @description How many of the flags come from a simulated provider (the sandbox's demo flags), which the page labels as such. */
      simulated?: number;
      counts: components['schemas']['FlagStateCounts'];
      /** @description Owners ranked, most stale flags first, then most flags. */
      teams: {
        /** @description An entity ref, a provider's maintainer, or null. */
        owner: string | null;
        /** @description The owner's name in the catalog (its title or display name), when it is an entity the caller may read and has one. */
        title?: string | null;
        total: number;
        stale: number;
        counts: components['schemas']['FlagStateCounts'];
      }[];
      ages: {
        label: string;
        count: number;
      }[];
      /** @description The last 26 weeks, oldest first. */
      debt: {
        /** Format: date */
        weekEnding: string;
        flags: number;
        stale: number;
      }[];
    };
    FlagCoverageShare: {
      /** @description Production deployments with a known first commit. */
      releases: number;
      /** @description Of those, how many had a flag made or changed meanwhile. */
      behindFlags: number;
      share: number | null;
    };
    FlagCoverage: {
      /** Format: date-time */
      from: string;
      /** Format: date-time */
      to: string;
      /** @description The target share (0.8). */
      target: number;
      organisation: components['schemas']['FlagCoverageShare'];
      teams: (components['schemas']['FlagCoverageShare'] & {
        owner: string | null;
        /** @description The owner's name in the catalog (its title or display name), when it is an entity the caller may read and has one. */
        title: string | null;
      })[];
    };
  };
  responses: {
    /** @description An error. */
    ErrorResponse: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
  };
  parameters: {
    kind: string;
    namespace: string;
    name: string;
    releaseId: string;
    checklistId: string;
    flagId: string;
    gameDayId: string;
    planId: string;
  };
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  GetEntityReleaseSummary: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        kind: components['parameters']['kind'];
        namespace: components['parameters']['namespace'];
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The summary. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EntityReleaseSummary'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ListEntityReleases: {
    parameters: {
      query?: {
        limit?: number;
        /** @description The nextCursor of the previous page. */
        cursor?: string;
        /** @description Only the releases that went to this environment, e.g. `staging` (keep it with the nextCursor of its pages). */
        environment?: string;
      };
      header?: never;
      path: {
        kind: components['parameters']['kind'];
        namespace: components['parameters']['namespace'];
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page of releases. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReleasePage'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ListReleasesInFlight: {
    parameters: {
      query: {
        /** @description Which releases; only those in flight for now. */
        state: 'in_flight';
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The releases in flight. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReleasesInFlight'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetRelease: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        releaseId: components['parameters']['releaseId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The release. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReleaseDetail'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  CreateReleaseAction: {
    parameters: {
      query?: never;
      header: {
        /** @description A caller-chosen key, unique per intended action (a UUID per click). */
        'Idempotency-Key': string;
      };
      path: {
        releaseId: components['parameters']['releaseId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ActionRequest'];
      };
    };
    responses: {
      /** @description The action, as recorded. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReleaseAction'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ListRollbackTests: {
    parameters: {
      query?: {
        environment?: string;
        limit?: number;
      };
      header?: never;
      path: {
        kind: components['parameters']['kind'];
        namespace: components['parameters']['namespace'];
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The tests. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['RollbackTest'][];
          };
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  RunRollbackTest: {
    parameters: {
      query?: never;
      header: {
        /** @description A caller-chosen key, unique per intended test. */
        'Idempotency-Key': string;
      };
      path: {
        kind: components['parameters']['kind'];
        namespace: components['parameters']['namespace'];
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RollbackTestRequest'];
      };
    };
    responses: {
      /** @description The test, as recorded; it runs in the background. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RollbackTest'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  OverrideRollbackGate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        releaseId: components['parameters']['releaseId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RollbackGateOverrideRequest'];
      };
    };
    responses: {
      /** @description The gate of the release, overridden. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RollbackGate'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ListFreezeWindows: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The windows. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['FreezeWindow'][];
          };
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  CreateFreezeWindow: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['FreezeWindowRequest'];
      };
    };
    responses: {
      /** @description The window. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FreezeWindow'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  DeleteFreezeWindow: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        windowId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Removed. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ListReleaseTrains: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The trains. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['ReleaseTrain'][];
          };
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  CreateReleaseTrain: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReleaseTrainRequest'];
      };
    };
    responses: {
      /** @description The train. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReleaseTrain'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  DeleteReleaseTrain: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        trainId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Removed. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetCalendarFeed: {
    parameters: {
      query?: {
        /** @description A group or user, e.g. group:default/team-checkout. */
        owner?: string;
        /** @description The feed link's token, made for this feed (organisation or owner). */
        token?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The feed. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/calendar': string;
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetCalendarFeedLink: {
    parameters: {
      query?: {
        /** @description A group or user, e.g. group:default/team-checkout. */
        owner?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The link. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CalendarFeedLink'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetEntityCalendar: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        kind: components['parameters']['kind'];
        namespace: components['parameters']['namespace'];
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The entity's calendar. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EntityCalendar'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  OverrideFreeze: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        releaseId: components['parameters']['releaseId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['FreezeOverrideRequest'];
      };
    };
    responses: {
      /** @description The override (the first one, if overridden before). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FreezeOverride'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  MarkReleaseAsFix: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        releaseId: components['parameters']['releaseId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReleaseFixRequest'];
      };
    };
    responses: {
      /** @description The mark (the first one, if marked before). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReleaseFix'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ListPlans: {
    parameters: {
      query?: {
        state?: 'active' | 'finished' | 'all';
        /** @description Only plans with this entity among their members. */
        entity?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The plans. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Plan'][];
          };
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  CreatePlan: {
    parameters: {
      query?: never;
      header: {
        'Idempotency-Key': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PlanRequest'];
      };
    };
    responses: {
      /** @description The plan created earlier with this Idempotency-Key. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Plan'];
        };
      };
      /** @description The plan (200 with the same plan for a repeated key). */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Plan'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetPlan: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        planId: components['parameters']['planId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The plan. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Plan'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ControlPlan: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        planId: components['parameters']['planId'];
        control: 'pause' | 'resume' | 'abort' | 'freeze-override';
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PlanControlRequest'];
      };
    };
    responses: {
      /** @description The plan after the change. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Plan'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetEntityPlans: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        kind: components['parameters']['kind'];
        namespace: components['parameters']['namespace'];
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The plans. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Plan'][];
          };
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetReleaseAction: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        actionId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The action. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReleaseAction'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  CreateChecklist: {
    parameters: {
      query?: never;
      header: {
        /** @description A caller-chosen key, unique per intended checklist. */
        'Idempotency-Key': string;
      };
      path: {
        kind: components['parameters']['kind'];
        namespace: components['parameters']['namespace'];
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ChecklistRequest'];
      };
    };
    responses: {
      /** @description The checklist, as stored. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Checklist'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ScheduleDrill: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        kind: components['parameters']['kind'];
        namespace: components['parameters']['namespace'];
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['DrillRequest'];
      };
    };
    responses: {
      /** @description The drill is scheduled. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DrillScheduled'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ListEntityDrills: {
    parameters: {
      query?: {
        limit?: number;
      };
      header?: never;
      path: {
        kind: components['parameters']['kind'];
        namespace: components['parameters']['namespace'];
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The drills. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['Drill'][];
          };
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ListGameDays: {
    parameters: {
      query?: {
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The game days. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GameDayList'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  CreateGameDay: {
    parameters: {
      query?: never;
      header: {
        /** @description A caller-chosen key, unique per intended game day. */
        'Idempotency-Key': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['GameDayRequest'];
      };
    };
    responses: {
      /** @description The game day, as recorded. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GameDay'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetGameDay: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        gameDayId: components['parameters']['gameDayId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The game day. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GameDay'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  SetGameDayOutcome: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        gameDayId: components['parameters']['gameDayId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['GameDayOutcomeRequest'];
      };
    };
    responses: {
      /** @description The game day with its outcome. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GameDay'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetDrillTeamStats: {
    parameters: {
      query?: {
        days?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The teams' drills. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DrillTeamStatsList'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetChecklist: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        checklistId: components['parameters']['checklistId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The checklist. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Checklist'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  SetChecklistItem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        checklistId: components['parameters']['checklistId'];
        itemId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          checked: boolean;
          note?: string;
        };
      };
    };
    responses: {
      /** @description The checklist after the change. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Checklist'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetRollbackPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        policyName: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The policy. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RollbackPolicy'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetDependencyGraph: {
    parameters: {
      query?: {
        /** @description The root entity, e.g. component:default/checkout-service. */
        entity?: string;
        /** @description A system, e.g. system:default/checkout or checkout. */
        system?: string;
        /** @description A domain, e.g. domain:default/commerce or commerce. */
        domain?: string;
        /** @description An owner, e.g. group:default/team-checkout or team-checkout. */
        owner?: string;
        /** @description How many hops to follow from the root or the scope's members (0 to 10). Defaults to 2 for an entity and 1 for a system, domain or owner; the whole catalog has no depth. */
        depth?: number;
        /** @description Follow dependencies, dependents, or both (the default). */
        direction?: components['schemas']['GraphDirection'];
        /** @description Only nodes of these kinds (component, resource): every node, the members of a system, domain or owner and the whole catalog's included; the entity a graph is drawn around always stays. Hops are counted over the whole catalog. */
        kind?: ('component' | 'resource')[];
        /** @description Only nodes with these lifecycles, e.g. production (a node without a lifecycle, such as a resource that gives none, does not pass); applied like kind. */
        lifecycle?: string[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The graph. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DependencyGraph'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  CheckProposedChanges: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['GraphCheckRequest'];
      };
    };
    responses: {
      /** @description The requirements the changes break and their order. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GraphCheckResult'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  PostDeploymentEvents: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': Record<string, never>;
      };
    };
    responses: {
      /** @description What was stored. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EventsReceived'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  PostIncidentEvents: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': Record<string, never>;
      };
    };
    responses: {
      /** @description What was stored. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EventsReceived'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ListUnmatchedEvents: {
    parameters: {
      query?: {
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The unmatched events. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['UnmatchedEvent'][];
          };
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetDora: {
    parameters: {
      query?: {
        /** @description An entity, e.g. component:default/payments-service. */
        entity?: string;
        /** @description A group or user, e.g. group:default/team-checkout. */
        owner?: string;
        /** @description A system, e.g. system:default/checkout. */
        system?: string;
        /** @description Start (a date or date-time); defaults to 182 days before `to`. */
        from?: string;
        /** @description End, exclusive (a date or date-time); defaults to now. */
        to?: string;
        bucket?: components['schemas']['DoraBucket'];
        /** @description Add a row per owner or per entity, most deployments first. */
        groupBy?: 'owner' | 'entity';
        /** @description json (the default) or csv (the series, one row per bucket). */
        format?: 'json' | 'csv';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The measures. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DoraResponse'];
          'text/csv': string;
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ListDoraReports: {
    parameters: {
      query?: {
        /** @description A group, e.g. group:default/team-checkout. */
        owner?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The reports, without their bodies. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: components['schemas']['DoraReportSummary'][];
          };
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetDoraReport: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        reportId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The report. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DoraWeeklyReport'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetReleaseMetrics: {
    parameters: {
      query?: {
        /** @description An entity, e.g. component:default/payments-service. */
        entity?: string;
        /** @description A group or user, e.g. group:default/team-checkout. */
        owner?: string;
        /** @description A system, e.g. system:default/checkout. */
        system?: string;
        /** @description Start (a date or date-time); defaults to 182 days before `to`. */
        from?: string;
        /** @description End, exclusive (a date or date-time); defaults to now. */
        to?: string;
        bucket?: components['schemas']['DoraBucket'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The measures. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReleaseMetricsResponse'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ListFlags: {
    parameters: {
      query?: {
        /** @description Only flags of this owner: an entity ref such as group:default/team-a (the annotated entity's owner), or a provider's maintainer as the provider gives it. Repeat for several. */
        owner?: string[];
        /** @description Only flags of this entity (an entity ref, kind component by default). Repeat for several. */
        entity?: string[];
        /** @description Only flags in this state. Repeat for several. */
        state?: components['schemas']['FlagState'][];
        limit?: number;
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The flags. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FlagList'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetFlagCoverage: {
    parameters: {
      query?: {
        from?: string;
        to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The share. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FlagCoverage'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetFlagSummary: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The summary. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FlagSummary'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  GetEntityFlags: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        kind: components['parameters']['kind'];
        namespace: components['parameters']['namespace'];
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The entity's flags. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EntityFlags'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  KeepFlag: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        kind: components['parameters']['kind'];
        namespace: components['parameters']['namespace'];
        name: components['parameters']['name'];
        flagId: components['parameters']['flagId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['FlagKeepRequest'];
      };
    };
    responses: {
      /** @description The flag with its keep decision. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Flag'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
  ArchiveFlag: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        kind: components['parameters']['kind'];
        namespace: components['parameters']['namespace'];
        name: components['parameters']['name'];
        flagId: components['parameters']['flagId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['FlagArchiveRequest'];
      };
    };
    responses: {
      /** @description The action, succeeded. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FlagAction'];
        };
      };
      default: components['responses']['ErrorResponse'];
    };
  };
}
