import type { Entity } from '@backstage/catalog-model';
import type { Actor } from '@glidepath/backstage-plugin-common';

/**
 * One entry of an entity's `glidepath.dev/flags` annotation that a flag
 * provider is asked about. An entity may name several targets, of one
 * provider or of several.
 * @public
 */
export type FlagTarget = {
  /** The entity's ref, e.g. `component:default/checkout-service`. */
  entityRef: string;
  /**
   * The part of the annotation entry after `<provider>:`, as written, e.g.
   * `checkout?tags=cart` (an Unleash project and a tag filter) or `web-app`
   * (a LaunchDarkly project). What it means is the provider's to say; it
   * never contains a comma (entries are separated by commas).
   */
  ref: string;
  /** The entity itself, for providers that read more of it. */
  entity: Entity;
};

/**
 * A flag's type as its provider names it. Unleash's types are `release`,
 * `experiment`, `operational`, `kill-switch` and `permission`; Glidepath's
 * lifetimes (`glidepath.flags.lifetimes`) are keyed by these names, and a
 * provider without types (LaunchDarkly) leaves the type out and says whether
 * the flag is `temporary`.
 * @public
 */
export type FlagType =
  | 'release'
  | 'experiment'
  | 'operational'
  | 'kill-switch'
  | 'permission'
  | (string & {});

/** A flag in one environment. @public */
export type ObservedFlagEnvironment = {
  /** The environment's key as the provider names it, e.g. `production`. */
  environment: string;
  /**
   * The provider's kind of environment when it has one, e.g. Unleash's
   * `production` / `development`, or `production` for a LaunchDarkly
   * environment marked critical.
   */
  type?: string;
  /** Whether the flag is on (serves its targeting) in this environment. */
  enabled: boolean;
  /**
   * When the flag was last evaluated here (Unleash `lastSeenAt`,
   * LaunchDarkly `lastRequested`): `null` when never, absent when the
   * provider cannot tell.
   */
  lastEvaluatedAt?: Date | null;
  /**
   * What every context gets here when all get the same, as the provider
   * names the variation (`'true'` / `'false'` for a boolean flag, a
   * variation's name otherwise); absent when traffic is split or targeted,
   * or when the provider cannot tell. A flag that is off serves its off
   * variation to everyone (`'false'` for a boolean flag).
   */
  servesEveryone?: string;
  /**
   * Since when `servesEveryone` holds, when the provider knows (the last
   * change of the flag's configuration in this environment). Glidepath
   * calls a flag launched once one variation has been served everywhere
   * for long enough, counting from the latest of these.
   */
  servingSince?: Date;
  /**
   * The provider's own status here, when it has one, e.g. LaunchDarkly's
   * `new`, `active`, `launched` or `inactive`.
   */
  status?: string;
  /**
   * A short account of the targeting for people, e.g. `on for 100%`,
   * `50% rollout`, `3 rules, default 'off'`.
   */
  summary?: string;
};

/**
 * A flag as its provider reports it.
 * @public
 */
export type ObservedFlag = {
  /**
   * The flag's id, unique and stable within the provider (e.g.
   * `<project>/<name>`): Glidepath keys its inventory, keep decisions and
   * archive requests on it.
   */
  key: string;
  /** The flag's name or key as people know it, e.g. `new-checkout-flow`. */
  name: string;
  /** The provider's project, when it has projects. */
  project?: string;
  description?: string;
  /** The provider's flag type, when it has types. */
  type?: FlagType;
  /**
   * Whether the flag is meant to be removed one day (LaunchDarkly's
   * `temporary`). Absent when the provider has no such notion; the type
   * then decides.
   */
  temporary?: boolean;
  createdAt: Date;
  /** Who created it: a person's email or name, as the provider gives it. */
  createdBy?: string;
  /**
   * Who maintains it in the provider (LaunchDarkly `_maintainer`): an email,
   * a name or a team key. The flag's owner when the entity has none.
   */
  maintainer?: string;
  /** The flag in each environment the provider knows of. */
  environments: ObservedFlagEnvironment[];
  /**
   * When the flag was last evaluated anywhere, for providers that only know
   * it across environments; otherwise derived from the environments.
   */
  lastEvaluatedAt?: Date | null;
  /** When the flag's definition last changed, when known. */
  updatedAt?: Date;
  /**
   * The provider's lifecycle stage or status, e.g. Unleash's `initial`,
   * `pre-live`, `live`, `completed`, `archived`.
   */
  lifecycle?: string;
  /** True when the provider itself marks the flag (potentially) stale. */
  providerStale?: boolean;
  /** Tags as the provider writes them, e.g. `simple:cart`. */
  tags: string[];
  /** True for a flag archived in the provider. */
  archived: boolean;
  /** Where to open the flag in the provider's own UI. */
  url?: string;
};

/**
 * A target's flags on one page, or the reason the provider could not read
 * that target. A target's flags may be spread over several pages (then it
 * appears on each of them); a target missing from every page has no flags.
 * @public
 */
export type ObservedFlags =
  | {
      entityRef: string;
      /** The target's `ref`, as in the request. */
      ref: string;
      flags: ObservedFlag[];
    }
  | {
      entityRef: string;
      ref: string;
      /**
       * The provider could not read this target (e.g. its project does not
       * exist); the others are fine. Glidepath keeps the target's last
       * inventory, marked stale with this error.
       */
      error: string;
    };

/** A request for one page of flags. @public */
export type FlagListRequest = {
  /** The same targets for every page of one listing. */
  targets: FlagTarget[];
  /** The previous page's `nextCursor`; absent for the first page. */
  cursor?: string;
  /** At most this many flags per page, as a hint; fewer is fine. */
  pageSize: number;
  /** Aborted when Glidepath gives up waiting for the provider. */
  signal: AbortSignal;
};

/** One page of flags. @public */
export type FlagPage = {
  items: ObservedFlags[];
  /** Where the next page starts; absent on the last page. */
  nextCursor?: string;
};

/** A request to archive one flag in its provider. @public */
export type FlagArchiveRequest = {
  /** The target whose listing reported the flag. */
  target: FlagTarget;
  /** The flag's `key`, as the provider reported it. */
  flagKey: string;
  /** Why, for the provider's own audit log where it has one. */
  reason: string;
  /** Who asked: a person, or a policy (the automated cleanup). */
  actor: Actor;
  /** Aborted when Glidepath gives up waiting for the provider. */
  signal: AbortSignal;
};

/** What a provider did when asked to archive a flag. @public */
export type FlagArchiveResult = {
  /** A short account of what happened, shown with the action. */
  message?: string;
};

/**
 * A source of feature flags: the sandbox, Unleash, LaunchDarkly, ...
 * Registered by backend modules through
 * `glidepathFlagProvidersExtensionPoint`.
 *
 * A provider reports failure by throwing (or rejecting), never by returning
 * an empty page: an unreachable provider is an outage, not "no flags".
 * Glidepath then keeps the last inventory of every target, marked stale with
 * the error, and archives nothing.
 * @public
 */
export interface FlagProvider {
  /** The id used in `glidepath.dev/flags: <id>:<ref>`. */
  readonly id: string;
  /** True for simulations; the UI labels their flags as simulated. */
  readonly simulated?: boolean;
  /**
   * Reads one page of the flags of many targets at once. Glidepath asks for
   * the next page with `nextCursor` until there is none; a listing is used
   * only when all of its pages were read.
   */
  listFlags(request: FlagListRequest): Promise<FlagPage>;
  /**
   * Optional: archives the flag in the provider. Resolves when the provider
   * has archived it (or it already was); throws with the provider's reason
   * when it refuses or fails. Without it, Glidepath cannot archive this
   * provider's flags and says so.
   */
  archiveFlag?(request: FlagArchiveRequest): Promise<FlagArchiveResult>;
}
