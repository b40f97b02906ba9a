import type { StrategyAnnotation } from '@glidepath/backstage-plugin-common';
import { naturalDurationMs, planRelease } from './steps';

/**
 * The moment the sandbox's release trains start: release 0 of every service
 * starts within one release interval after it. Anchoring the schedule on
 * absolute time lets a restarted backend carry on with the same releases.
 * @public
 */
export const SANDBOX_EPOCH = new Date(Date.UTC(2025, 0, 1));

/**
 * What places one service's releases in time. Slot `k` starts at
 * `SANDBOX_EPOCH + offsetMs + k * releaseIntervalMs`; a release starts on
 * every `stride`-th slot.
 */
export type TrainSchedule = {
  /** Where slot 0 starts after `SANDBOX_EPOCH`, less than an interval. */
  offsetMs: number;
  releaseIntervalMs: number;
  /** The length of a pause step. */
  stepDurationMs: number;
  /** The strategy of the service's next release. */
  strategy: StrategyAnnotation | undefined;
  /** The major version of slot 0, before it rolls over. */
  baseMajor: number;
  /**
   * The service whose versions, commits and seeded faults this one shares:
   * for the staging twin of a production service (see
   * `SandboxService.follows`), the production service; absent otherwise.
   */
  lineage?: string;
  /**
   * For a service in `pinnedReleases`: its versions, its stride when first
   * seen, kept so that a changed strategy cannot move the slots of the
   * versions (and release one twice), and the slot of its first release:
   * its releases are the last ones before the sandbox first saw it.
   */
  pinned?: { versions: string[]; stride: number; firstSlot: number };
};

/** How long a release of the schedule's strategy takes when left alone. */
export function releaseDurationMs(schedule: TrainSchedule): number {
  return naturalDurationMs(
    planRelease(schedule.strategy, '', schedule.stepDurationMs),
  );
}

/**
 * Releases start on every `stride`-th slot, so that a release left alone
 * finishes before the next one starts even when it takes longer than the
 * release interval.
 */
export function stride(schedule: TrainSchedule): number {
  if (schedule.pinned) return schedule.pinned.stride;
  return Math.max(
    1,
    Math.ceil(releaseDurationMs(schedule) / schedule.releaseIntervalMs),
  );
}

/** The slot of the last release of a pinned service: its train stops there. */
export function lastSlot(schedule: TrainSchedule): number {
  if (!schedule.pinned) return Infinity;
  const { versions, stride: pinnedStride, firstSlot } = schedule.pinned;
  return firstSlot + (versions.length - 2) * pinnedStride;
}

export function slotStart(schedule: TrainSchedule, slot: number): number {
  return (
    SANDBOX_EPOCH.getTime() +
    schedule.offsetMs +
    slot * schedule.releaseIntervalMs
  );
}

/** The slot that started last at or before `time` (negative before 0). */
export function slotAtOrBefore(schedule: TrainSchedule, time: number): number {
  return Math.floor(
    (time - SANDBOX_EPOCH.getTime() - schedule.offsetMs) /
      schedule.releaseIntervalMs,
  );
}

/** The release slot at or before `slot`. */
export function alignDown(schedule: TrainSchedule, slot: number): number {
  const s = stride(schedule);
  return Math.floor(slot / s) * s;
}

/** The release slot at or after `slot`, and not before slot 0. */
export function alignUp(schedule: TrainSchedule, slot: number): number {
  const s = stride(schedule);
  return Math.max(0, Math.ceil(slot / s) * s);
}

/**
 * Versions count up with the slot: patch every release, minor every 100,
 * major every 10 000, from `baseMajor`. Slot -1 is the version deployed
 * before the train started. A pinned service takes its versions from its
 * list instead, one per release slot from its first; the slots before it
 * have the version deployed before.
 */
export function versionOf(schedule: TrainSchedule, slot: number): string {
  if (schedule.pinned) {
    const { versions, stride: pinnedStride, firstSlot } = schedule.pinned;
    return versions[
      Math.max(0, Math.floor((slot - firstSlot) / pinnedStride) + 1)
    ];
  }
  const i = slot + 1;
  const major = schedule.baseMajor + Math.floor(i / 10000);
  return `${major}.${Math.floor(i / 100) % 100}.${i % 100}`;
}

/**
 * The slot whose release has `version`, the inverse of `versionOf`: -1 for
 * the version deployed before the train started (before a pinned history);
 * undefined for a version the schedule never releases.
 */
export function slotOfVersion(
  schedule: TrainSchedule,
  version: string,
): number | undefined {
  if (schedule.pinned) {
    const { versions, stride: pinnedStride, firstSlot } = schedule.pinned;
    const index = versions.indexOf(version);
    if (index < 0) return undefined;
    return index === 0 ? -1 : firstSlot + (index - 1) * pinnedStride;
  }
  const parts = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!parts) return undefined;
  const [major, minor, patch] = parts.slice(1).map(Number);
  if (minor > 99 || patch > 99) return undefined;
  const slot = (major - schedule.baseMajor) * 10000 + minor * 100 + patch - 1;
  return slot >= -1 && versionOf(schedule, slot) === version ? slot : undefined;
}
