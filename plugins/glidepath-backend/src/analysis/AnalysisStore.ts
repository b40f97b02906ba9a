import type { Analysis } from '@glidepath/backstage-plugin-common';

/** A new analysis, as the engine records it. */
export type NewAnalysis = Omit<Analysis, 'id'>;

/**
 * When the current run of analyses without a decision of a release began,
 * and if it escalated.
 */
export type HoldRun = {
  since: Date | null;
  escalated: boolean;
};

/** Glidepath's storage of canary analyses. */
export interface AnalysisStore {
  /** Records an analysis and returns it with its id. */
  addAnalysis(analysis: NewAnalysis): Promise<Analysis>;
  /** The latest `limit` analyses of a release, oldest first. */
  listAnalyses(releaseId: string, limit: number): Promise<Analysis[]>;
  /**
   * The run of analyses that decided nothing (`hold`, `escalate`, and
   * `continue` with an inconclusive or no-data verdict) since the release's
   * last other analysis: when it began (null when the latest analysis
   * decided) and whether it escalated.
   */
  getHoldRun(releaseId: string): Promise<HoldRun>;
}
