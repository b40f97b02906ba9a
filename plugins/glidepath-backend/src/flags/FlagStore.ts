import type { Actor } from '@glidepath/backstage-plugin-common';
import type { FlagState } from '@glidepath/backstage-plugin-common';
import type { FlagFact, FlagSummaryBounds, FlagSummaryCounts } from './summary';

/** One entry of an entity's `glidepath.dev/flags`, as the sync keeps it. */
export type FlagTargetKey = {
  entityRef: string;
  provider: string;
  ref: string;
};

/** Where an entity's flags were read from, and how that went. */
export type FlagTargetRecord = FlagTargetKey & {
  simulated: boolean;
  /** When its flags were last read completely; null when never. */
  readAt: Date | null;
  attemptedAt: Date;
  /** Why the last read failed; the flags are then the last read. */
  error: string | null;
};

/** A flag in one environment, as stored (times as ISO strings). */
export type StoredFlagEnvironment = {
  environment: string;
  type?: string;
  enabled: boolean;
  lastEvaluatedAt?: string | null;
  servesEveryone?: string;
  servingSince?: string;
  status?: string;
  summary?: string;
};

/** A flag as the sync writes it, its state and owner worked out. */
export type NewFlagRecord = {
  key: string;
  name: string;
  project: string | null;
  description: string | null;
  type: string | null;
  temporary: boolean | null;
  createdAt: Date;
  createdBy: string | null;
  maintainer: string | null;
  owner: string | null;
  ownerSource: 'catalog' | 'provider' | null;
  environments: StoredFlagEnvironment[];
  /** null: never, or unknown when `evaluationKnown` is false. */
  lastEvaluatedAt: Date | null;
  evaluationKnown: boolean;
  changedAt: Date | null;
  lifecycle: string | null;
  providerStale: boolean;
  tags: string[];
  url: string | null;
  state: FlagState;
  stateReason: string;
  staleAt: Date | null;
};

/** A decision to keep a flag whatever its state, until it expires. */
export type FlagKeep = {
  reason: string;
  expiresAt: Date;
  decidedBy: Actor;
  decidedAt: Date;
};

/** A stored flag. */
export type FlagRecord = NewFlagRecord & {
  id: string;
  entityRef: string;
  provider: string;
  targetRef: string;
  firstSeenAt: Date;
  seenAt: Date;
  /** The latest keep decision, expired or not. */
  keep: FlagKeep | null;
};

/** What the flag list is narrowed to; every field optional. */
export type FlagQuery = {
  entityRefs?: string[];
  owners?: string[];
  /** Owners in lower case, matched against each owner in lower case. */
  ownerKeys?: string[];
  states?: FlagState[];
};

/** A page of the flag list: `limit` flags from `offset` in list order. */
export type FlagPageQuery = FlagQuery & { limit: number; offset: number };

/**
 * A page of the flag list, in the list's order (oldest first, then by name
 * compared by code point, then by id), and how many flags match the query
 * in each state, all pages together.
 */
export type FlagPageRecord = {
  items: FlagRecord[];
  counts: Partial<Record<FlagState, number>>;
};

/** Something done to a flag. */
export type FlagActionRecord = {
  id: string;
  entityRef: string;
  provider: string;
  flagKey: string;
  flagName: string;
  action: 'archive' | 'keep';
  reason: string;
  actor: Actor;
  status: 'succeeded' | 'failed';
  message: string | null;
  at: Date;
};

/** A stale flag announced to its owner, due for archiving at `dueAt`. */
export type FlagAnnouncement = {
  entityRef: string;
  provider: string;
  flagKey: string;
  owner: string | null;
  dryRun: boolean;
  announcedAt: Date;
  dueAt: Date;
};

/** The flag inventory. */
export interface FlagStore {
  /** Every target, or those of the given entities. */
  listTargets(entityRefs?: string[]): Promise<FlagTargetRecord[]>;
  /**
   * Replaces a target's flags with a complete reading: flags no longer
   * listed are removed, the others keep their id and first-seen time.
   */
  recordRead(options: {
    target: FlagTargetKey & { simulated: boolean };
    at: Date;
    flags: NewFlagRecord[];
  }): Promise<void>;
  /** Marks a target's last reading stale with the error; keeps its flags. */
  recordFailure(options: {
    target: FlagTargetKey & { simulated: boolean };
    at: Date;
    error: string;
  }): Promise<void>;
  /** Forgets targets (and their flags) no longer annotated. */
  removeTargets(targets: FlagTargetKey[]): Promise<void>;
  listFlags(query: FlagQuery): Promise<FlagRecord[]>;
  getFlag(id: string): Promise<FlagRecord | undefined>;
  /** The entities that have flags (matching the query, when given). */
  listFlagEntityRefs(query?: FlagQuery): Promise<string[]>;
  /** A page of the flags matching the query, counted by state. */
  pageFlags(query: FlagPageQuery): Promise<FlagPageRecord>;
  /**
   * The portal summary's counts over the flags of these entities, per owner
   * and state, per age and per week, counted by the database (see
   * `summarizeFlagCounts`).
   */
  countFlagSummary(options: {
    entityRefs: string[];
    bounds: FlagSummaryBounds;
  }): Promise<FlagSummaryCounts>;
  /** What the portal's summary needs of every flag of these entities. */
  listFlagFacts(entityRefs: string[]): Promise<FlagFact[]>;
  /**
   * Brings the database's statistics of the inventory up to date after a
   * sync, so that the page's queries are planned for the flags there are
   * (PostgreSQL's autovacuum may be off or not yet run).
   */
  refreshStatistics(): Promise<void>;
  /** Removes a flag from the inventory, e.g. once archived. */
  removeFlag(id: string): Promise<void>;
  setKeep(options: {
    entityRef: string;
    provider: string;
    flagKey: string;
    keep: FlagKeep;
  }): Promise<void>;
  recordAction(action: Omit<FlagActionRecord, 'id'>): Promise<FlagActionRecord>;
  listActions(entityRef: string): Promise<FlagActionRecord[]>;
  listAnnouncements(): Promise<FlagAnnouncement[]>;
  /** Records announcements, replacing earlier ones of the same flags. */
  announce(announcements: FlagAnnouncement[]): Promise<void>;
  /** Drops the announcements of these flags. */
  withdraw(
    flags: Array<Pick<FlagAnnouncement, 'entityRef' | 'provider' | 'flagKey'>>,
  ): Promise<void>;
}
