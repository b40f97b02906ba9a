import type {
  Actor,
  FreezeOverride,
  FreezeWindow,
  FreezeWindowRequest,
  ReleaseTrainRequest,
} from '@glidepath/backstage-plugin-common';

/** A train as stored (its next slots are computed when read). */
export type StoredReleaseTrain = ReleaseTrainRequest & {
  id: string;
  createdBy: Actor;
  createdAt: string;
};

/** Where the release calendar is kept. */
export interface CalendarStore {
  /** Records a window, or returns the one recorded under the same key. */
  createWindow(options: {
    request: FreezeWindowRequest;
    by: Actor;
    at: Date;
    idempotencyKey: string;
  }): Promise<{ window: FreezeWindow; created: boolean }>;
  listWindows(): Promise<FreezeWindow[]>;
  /** False when there was no such window. */
  deleteWindow(id: string): Promise<boolean>;

  createTrain(options: {
    request: ReleaseTrainRequest;
    by: Actor;
    at: Date;
    idempotencyKey: string;
  }): Promise<{ train: StoredReleaseTrain; created: boolean }>;
  listTrains(): Promise<StoredReleaseTrain[]>;
  deleteTrain(id: string): Promise<boolean>;

  getOverride(releaseId: string): Promise<FreezeOverride | null>;
  /** The overrides of these releases (those that have one). */
  listOverrides(releaseIds: readonly string[]): Promise<FreezeOverride[]>;
  /** Records a break-glass override; the first one stays. */
  setOverride(options: {
    releaseId: string;
    entityRef: string;
    by: Actor;
    reason: string;
    windowId: string | null;
    at: Date;
  }): Promise<FreezeOverride>;
}
