import type { Analysis } from '@glidepath/backstage-plugin-common';

/** A new analysis, as the engine records it. */
export type NewAnalysis = Omit<Analysis, 'id'>;

/** When the current run of holds of a release began, and if it escalated. */
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
   * The run of `hold` and `escalate` decisions since the release's last other
   * decision: when it began (null when the latest analysis is not a hold)
   * and whether it escalated.
   */
  getHoldRun(releaseId: string): Promise<HoldRun>;
}
