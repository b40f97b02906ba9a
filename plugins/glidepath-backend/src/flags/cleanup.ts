import type { FlagState } from '@glidepath/backstage-plugin-common';

/*
 * The automated cleanup's decisions, as a pure function: which stale flags
 * to announce to their owners, which announced ones to archive once their
 * grace period is over, and why the others are left alone. Safe by
 * default: nothing is archived on a stale inventory, while a keep decision
 * holds, for a kill switch, or for a flag that still serves different
 * variations.
 */

/** What the cleanup knows of one flag. */
export type CleanupFlag = {
  id: string;
  name: string;
  state: FlagState;
  type: string | null;
  /** The latest keep decision's expiry, when there is one. */
  keptUntil: Date | null;
  /** The variation every environment serves to everyone, if one. */
  servesEveryone: string | null;
  /** The last reading of the flag's source failed. */
  inventoryStale: boolean;
  /** The flag's provider can archive flags. */
  canArchive: boolean;
  /** When the flag was announced as due for cleanup, if it was. */
  announcement: { announcedAt: Date; dueAt: Date } | null;
};

/** What the cleanup does with one flag. */
export type CleanupDecision =
  | { flagId: string; action: 'announce'; dueAt: Date }
  | { flagId: string; action: 'archive' }
  /** The flag is no longer stale: its announcement is dropped. */
  | { flagId: string; action: 'withdraw'; reason: string }
  | { flagId: string; action: 'wait'; reason: string }
  | { flagId: string; action: 'skip'; reason: string };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Types that are never archived automatically, whatever their state. */
const NEVER_ARCHIVED = new Set(['kill-switch']);

/** The cleanup's decision for one flag at `now`. */
export function decideCleanup(
  flag: CleanupFlag,
  options: { now: Date; graceDays: number },
): CleanupDecision {
  const { now } = options;
  const flagId = flag.id;
  if (flag.state !== 'stale') {
    return flag.announcement
      ? {
          flagId,
          action: 'withdraw',
          reason: `${flag.name} is no longer stale (${flag.state})`,
        }
      : { flagId, action: 'skip', reason: `${flag.name} is not stale` };
  }
  if (flag.inventoryStale) {
    return {
      flagId,
      action: 'skip',
      reason: `the last reading of ${flag.name}'s provider failed: nothing is decided on stale inventory`,
    };
  }
  if (flag.keptUntil && flag.keptUntil.getTime() > now.getTime()) {
    return {
      flagId,
      action: 'skip',
      reason: `${flag.name} is kept until ${flag.keptUntil.toISOString()}`,
    };
  }
  if (!flag.announcement) {
    return {
      flagId,
      action: 'announce',
      dueAt: new Date(now.getTime() + options.graceDays * DAY_MS),
    };
  }
  if (now.getTime() < flag.announcement.dueAt.getTime()) {
    return {
      flagId,
      action: 'wait',
      reason: `${
        flag.name
      } is due for cleanup on ${flag.announcement.dueAt.toISOString()}`,
    };
  }
  if (flag.type && NEVER_ARCHIVED.has(flag.type.toLowerCase())) {
    return {
      flagId,
      action: 'skip',
      reason: `${flag.name} is a kill switch: never archived automatically`,
    };
  }
  if (flag.servesEveryone === null) {
    return {
      flagId,
      action: 'skip',
      reason: `${flag.name} still serves different variations (a rollout or targeting): archive it by hand once it is off everywhere or launched to everyone`,
    };
  }
  if (!flag.canArchive) {
    return {
      flagId,
      action: 'skip',
      reason: `${flag.name}'s provider cannot archive flags`,
    };
  }
  return { flagId, action: 'archive' };
}
