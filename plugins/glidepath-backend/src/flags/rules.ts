import type { FlagState } from '@glidepath/backstage-plugin-common';
import type { ObservedFlag } from '@glidepath/backstage-plugin-node';

/** The governance rules, from `glidepath.flags` (see config.d.ts). */
export type FlagRules = {
  /**
   * A flag type's lifetime in days, or `null` for a permanent type. Keys
   * are lower case.
   */
  lifetimes: ReadonlyMap<string, number | null>;
  /** The lifetime of a temporary flag whose type has no lifetime. */
  temporaryLifetimeDays: number;
  /** How many days before the end of its lifetime a flag is due soon. */
  dueSoonDays: number;
  /** How long one variation is served everywhere before launched. */
  launchedAfterDays: number;
  /** How long without evaluation before inactive. */
  inactiveAfterDays: number;
};

/** Unleash's flag types and their expected lifetimes. */
export const DEFAULT_FLAG_LIFETIMES: ReadonlyMap<string, number | null> =
  new Map([
    ['release', 40],
    ['experiment', 40],
    ['operational', 7],
    ['kill-switch', null],
    ['permission', null],
  ]);

export const DEFAULT_FLAG_RULES: FlagRules = {
  lifetimes: DEFAULT_FLAG_LIFETIMES,
  temporaryLifetimeDays: 90,
  dueSoonDays: 7,
  launchedAfterDays: 7,
  inactiveAfterDays: 30,
};

/** What the rules need of a flag. */
export type GovernedFlag = Pick<
  ObservedFlag,
  | 'type'
  | 'temporary'
  | 'createdAt'
  | 'environments'
  | 'lastEvaluatedAt'
  | 'updatedAt'
>;

/** A flag's state with what it follows from. */
export type FlagAssessment = {
  state: FlagState;
  /** The lifetime that applies in days; `null` for a permanent flag. */
  lifetimeDays: number | null;
  /** When the flag is (or became) stale; `null` for a permanent flag. */
  staleAt: Date | null;
  /** Whole days since the flag was created. */
  ageDays: number;
  /**
   * The variation served everywhere and since when, when one is; whether
   * it has been for long enough is `state === 'launched'` (or stale).
   */
  servesEveryone: { variation: string; since: Date | null } | null;
  /** The latest evaluation anywhere: `null` never, `undefined` unknown. */
  lastEvaluatedAt: Date | null | undefined;
  /** True when not evaluated for `inactiveAfterDays`. */
  inactive: boolean;
  /** True when one variation is served everywhere for `launchedAfterDays`. */
  launched: boolean;
  /** One sentence for people, e.g. "release flag, 52 days old: ...". */
  reason: string;
};

const DAY_MS = 24 * 60 * 60 * 1000;

function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The lifetime of a flag in days, `null` when it is permanent. */
export function flagLifetimeDays(
  flag: Pick<GovernedFlag, 'type' | 'temporary'>,
  rules: FlagRules,
): number | null {
  const type = flag.type?.trim().toLowerCase();
  if (type && rules.lifetimes.has(type)) {
    const lifetime = rules.lifetimes.get(type)!;
    // A flag its provider marks temporary is not exempt by its type alone.
    if (lifetime === null && flag.temporary === true) {
      return rules.temporaryLifetimeDays;
    }
    return lifetime;
  }
  if (flag.temporary === false) return null;
  return rules.temporaryLifetimeDays;
}

/**
 * The latest evaluation of the flag anywhere: a date, `null` when the
 * provider says it was never evaluated, `undefined` when it cannot tell.
 */
export function latestEvaluation(
  flag: Pick<GovernedFlag, 'environments' | 'lastEvaluatedAt'>,
): Date | null | undefined {
  let latest: Date | null | undefined = flag.lastEvaluatedAt;
  for (const env of flag.environments) {
    const seen = env.lastEvaluatedAt;
    if (seen === undefined) continue;
    if (seen === null) {
      if (latest === undefined) latest = null;
      continue;
    }
    if (!latest || seen.getTime() > latest.getTime()) latest = seen;
  }
  return latest;
}

/**
 * The variation every environment serves to everyone, and since when (the
 * latest `servingSince`, else the flag's last change, else unknown); `null`
 * when the environments serve different ones, any of them splits traffic,
 * or there are none.
 */
export function servedEverywhere(
  flag: Pick<GovernedFlag, 'environments' | 'updatedAt'>,
): { variation: string; since: Date | null } | null {
  if (flag.environments.length === 0) return null;
  const variation = flag.environments[0].servesEveryone;
  if (variation === undefined) return null;
  let since: Date | null = null;
  let sinceKnown = true;
  for (const env of flag.environments) {
    if (env.servesEveryone !== variation) return null;
    if (!env.servingSince) sinceKnown = false;
    else if (!since || env.servingSince.getTime() > since.getTime()) {
      since = env.servingSince;
    }
  }
  if (!sinceKnown) since = flag.updatedAt ?? null;
  return { variation, since };
}

/**
 * Whether the provider itself says the flag is launched (or inactive) in
 * every environment, e.g. LaunchDarkly's flag statuses.
 */
function providerStatusEverywhere(
  flag: Pick<GovernedFlag, 'environments'>,
  status: string,
): boolean {
  return (
    flag.environments.length > 0 &&
    flag.environments.every(env => env.status?.toLowerCase() === status)
  );
}

function describeDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The state of one flag at `now` under `rules`. */
export function assessFlag(
  flag: GovernedFlag,
  rules: FlagRules,
  now: Date,
): FlagAssessment {
  const ageDays = Math.max(0, Math.floor(daysBetween(flag.createdAt, now)));
  const lifetimeDays = flagLifetimeDays(flag, rules);
  const staleAt =
    lifetimeDays === null ? null : addDays(flag.createdAt, lifetimeDays);
  const typeText = flag.type ? `${flag.type} flag` : 'flag';

  const lastEvaluatedAt = latestEvaluation(flag);
  const inactiveSince = addDays(now, -rules.inactiveAfterDays);
  const inactive =
    providerStatusEverywhere(flag, 'inactive') ||
    (lastEvaluatedAt === null &&
      flag.createdAt.getTime() <= inactiveSince.getTime()) ||
    (lastEvaluatedAt instanceof Date &&
      lastEvaluatedAt.getTime() <= inactiveSince.getTime());

  const servesEveryone = servedEverywhere(flag);
  const launched =
    providerStatusEverywhere(flag, 'launched') ||
    (servesEveryone?.since
      ? daysBetween(servesEveryone.since, now) >= rules.launchedAfterDays
      : false);

  const base = {
    lifetimeDays,
    staleAt,
    ageDays,
    servesEveryone,
    lastEvaluatedAt,
    inactive,
    launched,
  };
  const age = `${typeText}, ${plural(ageDays, 'day')} old`;

  if (lifetimeDays === null || staleAt === null) {
    return {
      ...base,
      state: 'permanent',
      reason: flag.type
        ? `${typeText}: permanent by its type`
        : `${typeText} not marked temporary: permanent`,
    };
  }
  if (now.getTime() >= staleAt.getTime()) {
    return {
      ...base,
      state: 'stale',
      reason: `${age}, past its lifetime of ${plural(
        lifetimeDays,
        'day',
      )} since ${describeDate(staleAt)}`,
    };
  }
  if (launched) {
    return {
      ...base,
      state: 'launched',
      reason: servesEveryone
        ? `${age}, serving '${servesEveryone.variation}' everywhere${
            servesEveryone.since
              ? ` since ${describeDate(servesEveryone.since)}`
              : ''
          }: ready to be removed`
        : `${age}, launched in every environment: ready to be removed`,
    };
  }
  if (inactive) {
    return {
      ...base,
      state: 'inactive',
      reason:
        lastEvaluatedAt instanceof Date
          ? `${age}, not evaluated since ${describeDate(lastEvaluatedAt)}`
          : `${age}, never evaluated`,
    };
  }
  const dueSoonDays = Math.min(rules.dueSoonDays, lifetimeDays / 2);
  if (daysBetween(now, staleAt) <= dueSoonDays) {
    return {
      ...base,
      state: 'due_soon',
      reason: `${age}, stale on ${describeDate(staleAt)} (lifetime ${plural(
        lifetimeDays,
        'day',
      )})`,
    };
  }
  return {
    ...base,
    state: 'fresh',
    reason: `${age}, stale on ${describeDate(staleAt)} (lifetime ${plural(
      lifetimeDays,
      'day',
    )})`,
  };
}

/**
 * Who owns a flag: the catalog owner of the annotated entity, else the
 * provider's maintainer, else nobody.
 */
export function flagOwner(
  entityOwner: string | undefined,
  maintainer: string | undefined,
): { owner: string | null; source: 'catalog' | 'provider' | null } {
  if (entityOwner?.trim()) {
    return { owner: entityOwner.trim(), source: 'catalog' };
  }
  if (maintainer?.trim()) {
    return { owner: maintainer.trim(), source: 'provider' };
  }
  return { owner: null, source: null };
}
