import type { AuthService } from '@backstage/backend-plugin-api';
import type {
  DoraReportFlags,
  DoraReportStaleFlag,
  Flag,
  FlagCoverage,
} from '@glidepath/backstage-plugin-common';
import type { FlagService } from './FlagService';
import type { FlagAnnouncement, FlagStore } from './FlagStore';

/*
 * The flags section of a team's weekly report, written by the flags
 * capability for the DORA reports: the team's stale flags with the day the
 * cleanup announced each due, and the share of the week's new features
 * behind flags (the team's and the organisation's) against the target.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** At most this many stale flags are listed in a report. */
export const REPORT_STALE_FLAGS = 50;

/** Stale flags read per team, of which the longest stale are listed. */
const STALE_FLAGS_READ = 1000;

/** What the automated cleanup does once a flag is due. */
export type ReportCleanupMode = DoraReportFlags['cleanup'];

const announcementKey = (a: {
  entityRef: string;
  provider: string;
  flagKey: string;
}) => JSON.stringify([a.entityRef, a.provider, a.flagKey]);

/**
 * The section from what the flags capability knows of one team: its flags'
 * total, its stale flags (with their keep decisions), the cleanup's
 * announcements and the share behind flags over the report's week.
 * `current` is false for a report written afterwards for a past week:
 * the inventory is the day's, so no stale flags are listed.
 */
export function flagsReportSection(input: {
  ownerRef: string;
  /** When the inventory was last read completely; null when never. */
  inventoryReadAt: Date | null;
  flags: number;
  stale: Flag[];
  staleTotal: number;
  announcements: FlagAnnouncement[];
  cleanup: ReportCleanupMode;
  coverage: FlagCoverage;
  current: boolean;
  /** When the report is written, and the cleanup's grace period. */
  now: Date;
  graceDays: number;
}): DoraReportFlags {
  const { cleanup, coverage } = input;
  // The announcements of the cleanup as it runs: a dry run's were never
  // sent, and a real run's do not hold once it is a dry run again.
  const announced = new Map(
    input.announcements
      .filter(a => cleanup !== 'off' && a.dryRun === (cleanup === 'dry_run'))
      .map(a => [announcementKey(a), a] as const),
  );
  const staleFlags = input.stale
    .filter(flag => flag.state === 'stale')
    .map((flag): DoraReportStaleFlag => {
      const kept = flag.keep && !flag.keep.expired ? flag.keep : null;
      const announcement = announced.get(
        announcementKey({ ...flag, flagKey: flag.key }),
      );
      // Not announced yet: the next daily run announces it, due a grace
      // period from then at the earliest.
      const earliest =
        cleanup === 'off'
          ? null
          : new Date(input.now.getTime() + input.graceDays * DAY_MS);
      return {
        entityRef: flag.entityRef,
        provider: flag.provider,
        key: flag.key,
        name: flag.name,
        staleAt: flag.staleAt,
        reason: flag.stateReason,
        dueAt: kept
          ? null
          : (announcement?.dueAt ?? earliest)?.toISOString() ?? null,
        announced: Boolean(announcement) && !kept,
        keptUntil: kept?.expiresAt ?? null,
        keepReason: kept?.reason ?? null,
      };
    })
    // The longest stale first; those without a known day after them.
    .sort(
      (a, b) =>
        (a.staleAt ? Date.parse(a.staleAt) : Infinity) -
          (b.staleAt ? Date.parse(b.staleAt) : Infinity) ||
        a.name.localeCompare(b.name) ||
        a.entityRef.localeCompare(b.entityRef),
    )
    .slice(0, REPORT_STALE_FLAGS);
  const team = coverage.teams.find(t => t.owner === input.ownerRef);
  return {
    inventoryReadAt: input.inventoryReadAt?.toISOString() ?? null,
    flags: input.flags,
    staleTotal: input.staleTotal,
    staleFlags: input.current ? staleFlags : null,
    cleanup,
    coverage: {
      target: coverage.target,
      team: team
        ? {
            releases: team.releases,
            behindFlags: team.behindFlags,
            share: team.share,
          }
        : { releases: 0, behindFlags: 0, share: null },
      organisation: coverage.organisation,
    },
  };
}

/** How long a read is reused across the teams of one run. */
const REUSE_MS = 10 * 60 * 1000;

/**
 * Writes the flags section of a team's weekly report through the flag
 * service's reads (as Glidepath itself, which may read every entity), the
 * cleanup's announcements and when the inventory was last read. One run of
 * the reports covers many teams over the same weeks: each week's share
 * behind flags, the announcements and the inventory's reading time are read
 * once and reused for a few minutes.
 */
export class FlagReportSection {
  private readonly reads = new Map<
    string,
    { at: number; value: Promise<unknown> }
  >();

  constructor(
    private readonly deps: {
      flags: Pick<FlagService, 'listFlags' | 'coverage'>;
      inventory: Pick<FlagStore, 'listAnnouncements' | 'listTargets'>;
      auth: Pick<AuthService, 'getOwnServiceCredentials'>;
      cleanup: { enabled: boolean; dryRun: boolean; gracePeriodDays: number };
      now?: () => Date;
    },
  ) {}

  /** `read()`, or its value of the last few minutes under `key`. */
  private reuse<T>(key: string, read: () => Promise<T>): Promise<T> {
    const now = (this.deps.now?.() ?? new Date()).getTime();
    for (const [k, entry] of this.reads) {
      if (now - entry.at > REUSE_MS) this.reads.delete(k);
    }
    const cached = this.reads.get(key);
    if (cached) return cached.value as Promise<T>;
    const value = read();
    this.reads.set(key, { at: now, value });
    // A failed read is not reused.
    value.catch(() => this.reads.delete(key));
    return value;
  }

  /** When the inventory was last read completely: the latest target's. */
  private async inventoryReadAt(): Promise<Date | null> {
    const targets = await this.deps.inventory.listTargets();
    const times = targets.flatMap(t => (t.readAt ? [t.readAt.getTime()] : []));
    return times.length ? new Date(Math.max(...times)) : null;
  }

  /** The section for the team `ownerRef` and the week [from, to). */
  async forTeam(options: {
    ownerRef: string;
    from: Date;
    to: Date;
    current: boolean;
  }): Promise<DoraReportFlags> {
    const { ownerRef, from, to, current } = options;
    const { flags, inventory, cleanup } = this.deps;
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const [all, stale, coverage, announced, readAt] = await Promise.all([
      // The total only.
      flags.listFlags({ owner: [ownerRef], limit: 1 }, credentials),
      flags.listFlags(
        { owner: [ownerRef], state: ['stale'], limit: STALE_FLAGS_READ },
        credentials,
      ),
      this.reuse(`coverage ${from.toISOString()}/${to.toISOString()}`, () =>
        flags.coverage(
          { from: from.toISOString(), to: to.toISOString() },
          credentials,
        ),
      ),
      current && cleanup.enabled
        ? this.reuse('announcements', () => inventory.listAnnouncements())
        : Promise.resolve([]),
      this.reuse('read', () => this.inventoryReadAt()),
    ]);
    return flagsReportSection({
      ownerRef,
      inventoryReadAt: readAt,
      flags: all.total,
      stale: stale.items,
      staleTotal: stale.total,
      announcements: announced,
      cleanup: cleanup.enabled
        ? (cleanup.dryRun && 'dry_run') || 'archives'
        : 'off',
      coverage,
      current,
      now: this.deps.now?.() ?? new Date(),
      graceDays: cleanup.gracePeriodDays,
    });
  }
}
