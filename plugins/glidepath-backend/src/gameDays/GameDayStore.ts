import type {
  Actor,
  Drill,
  DrillFaultKind,
  DrillState,
  GameDayOutcome,
  ProductionOverride,
} from '@glidepath/backstage-plugin-common';
import type { DrillTimings } from './timings';

/** A drill as stored: the API's shape and what the task needs. */
export type StoredDrill = Drill & {
  /** The entity's owner when the drill was asked for (for team figures). */
  ownerRef: string | null;
  /** For a game day's drill, the index of its fault. */
  gameDayFaultIndex: number | null;
  /** Bumped by every write; a write names the revision it read. */
  revision: number;
};

/** A drill to record. */
export type NewDrill = {
  entityRef: string;
  ownerRef: string | null;
  environment: string;
  fault: DrillFaultKind;
  /** The game day and the index of its fault, for a game day's drill. */
  gameDay?: { id: string; faultIndex: number };
  provider: string;
  simulated: boolean;
  reason: string;
  requestedBy: Actor;
  requestedAt: Date;
  productionOverride: ProductionOverride | null;
  state: Extract<DrillState, 'waiting' | 'refused'>;
  stateReason: string | null;
};

/** A fault of a game day as asked for. */
export type PlannedFault = {
  service: string;
  fault: DrillFaultKind;
  environment: string | null;
};

/** A game day as stored, before its drills are joined. */
export type StoredGameDay = {
  id: string;
  title: string;
  facilitator: string;
  participants: string[];
  services: string[];
  faults: PlannedFault[];
  hypothesis: string;
  scheduledAt: string;
  productionOverride: ProductionOverride | null;
  createdBy: Actor;
  createdAt: string;
  /** When its faults became drills; null before its time. */
  drillsScheduledAt: string | null;
  outcome: GameDayOutcome | null;
};

/** A game day to record. */
export type NewGameDay = Omit<
  StoredGameDay,
  'id' | 'createdAt' | 'drillsScheduledAt' | 'outcome'
> & {
  createdAt: Date;
  /** The creator and the Idempotency-Key of the request. */
  idempotencyKey: string;
};

/** Where game days and drills are kept. */
export interface GameDayStore {
  /**
   * Records a game day, or returns the one recorded for the same
   * Idempotency-Key with `created: false`.
   */
  createGameDay(
    gameDay: NewGameDay,
  ): Promise<{ gameDay: StoredGameDay; created: boolean }>;

  getGameDay(id: string): Promise<StoredGameDay | undefined>;

  /** The latest scheduled first. */
  listGameDays(options: { limit: number }): Promise<StoredGameDay[]>;

  /** Game days whose time has come and whose faults are not drills yet. */
  listDueGameDays(now: Date): Promise<StoredGameDay[]>;

  /** Marks a game day's faults as drills; false when another run did. */
  markDrillsScheduled(id: string, at: Date): Promise<boolean>;

  /** Writes (replaces) a game day's outcome. */
  setOutcome(id: string, outcome: GameDayOutcome): Promise<void>;

  /**
   * Records a drill, or returns the one already recorded for the same game
   * day fault with `created: false`.
   */
  createDrill(
    drill: NewDrill,
  ): Promise<{ drill: StoredDrill; created: boolean }>;

  getDrill(id: string): Promise<StoredDrill | undefined>;

  /** Newest first; of one entity, one game day, or since a time. */
  listDrills(options: {
    entityRef?: string;
    gameDayIds?: readonly string[];
    since?: Date;
    limit: number;
  }): Promise<StoredDrill[]>;

  /** Drills still waiting for their release or running, oldest first. */
  listUnfinishedDrills(): Promise<StoredDrill[]>;

  /**
   * Writes a drill's timings if it is still at `revision`; false (nothing
   * written) when another run wrote it since.
   */
  updateDrill(
    id: string,
    revision: number,
    timings: DrillTimings,
  ): Promise<boolean>;
}
