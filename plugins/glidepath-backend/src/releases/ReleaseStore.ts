import type {
  ProviderAnalysisRun,
  Release,
  ReleasePhase,
  ReleaseEvent,
} from '@glidepath/backstage-plugin-common';
import type { ObservedRelease } from '@glidepath/backstage-plugin-node';

/** The outcome of recording one observed release. */
export type UpsertReleaseResult = {
  release: Release;
  /** True when the release was new or any field changed. */
  changed: boolean;
  /** The events recorded by this upsert (created, phase_changed, step_changed). */
  events: ReleaseEvent[];
};

/** Per-entity record of the last sync with its provider. */
export type SyncState = {
  entityRef: string;
  provider: string;
  lastAttemptAt: Date;
  lastSuccessAt: Date | null;
  error: string | null;
};

/** A page of releases. */
export type ReleaseListPage = {
  items: Release[];
  nextCursor: string | null;
};

/**
 * Glidepath's storage of releases (with their steps), the events observed on
 * them, and per-entity sync state. Actions are in the {@link ActionStore}.
 */
export interface ReleaseStore {
  /**
   * Records a release as observed from its provider: inserts it (event
   * `created`) or updates it, recording `phase_changed` and `step_changed`
   * events with the time of the observation. Keyed on (provider,
   * providerReleaseId). Writes nothing when nothing changed. The provider's
   * own analysis runs, when the observation has them, replace the stored ones
   * (a change there is a change of the release, without an event).
   *
   * `observedAt` is when the provider was read (before the call). The write
   * is conditional: an observation older than what is stored (a sync that
   * read before another sync, or before an action took effect) changes
   * nothing, and a release in a final phase only moves again when the
   * provider reports it updated after it finished (a retry).
   */
  upsertObservedRelease(options: {
    entityRef: string;
    provider: string;
    simulated: boolean;
    observed: ObservedRelease;
    observedAt: Date;
  }): Promise<UpsertReleaseResult>;

  /**
   * {@link ReleaseStore.upsertObservedRelease} for each of one entity's
   * observed releases, in order, with one read for those it would leave as
   * they are (a sync mostly finds nothing new): only the others are written,
   * each conditionally.
   */
  upsertObservedReleases(options: {
    entityRef: string;
    provider: string;
    simulated: boolean;
    observed: ObservedRelease[];
    observedAt: Date;
  }): Promise<UpsertReleaseResult[]>;

  getRelease(id: string): Promise<Release | undefined>;

  /**
   * Records that the provider's state of a release changed at `at` (an
   * action took effect there): observations read before then are stale and
   * will not be written over what the next one finds.
   */
  markProviderChanged(releaseId: string, at: Date): Promise<void>;

  /** Releases in phase progressing or paused, oldest first, with their steps. */
  listActiveReleases(): Promise<Release[]>;

  /** Newest first (startedAt, then id); of one environment when given. */
  listReleases(options: {
    entityRef: string;
    limit: number;
    cursor?: string;
    environment?: string;
  }): Promise<ReleaseListPage>;

  /** Oldest first. */
  listEvents(releaseId: string): Promise<ReleaseEvent[]>;

  /** The provider's own analysis runs of a release as last observed; [] when none. */
  getProviderAnalysis(releaseId: string): Promise<ProviderAnalysisRun[]>;

  recordSyncAttempt(options: {
    entityRef: string;
    provider: string;
    at: Date;
    error?: string;
  }): Promise<void>;

  getSyncState(entityRef: string): Promise<SyncState | undefined>;

  /**
   * The most recent release of each entity in each environment (by start
   * time), for the given entities or all of them.
   */
  listLatestReleases(entityRefs?: readonly string[]): Promise<LatestRelease[]>;

  /**
   * A value that changes whenever a release is recorded or changes (for
   * answers kept while no release changed).
   */
  releasesVersion(): Promise<string>;
}

/** The most recent release of an entity in one environment. */
export type LatestRelease = {
  id: string;
  entityRef: string;
  environment: string;
  version: string;
  previousVersion: string | null;
  phase: ReleasePhase;
  simulated: boolean;
  startedAt: Date;
};
