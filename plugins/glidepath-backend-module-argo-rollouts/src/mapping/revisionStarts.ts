/**
 * When a Rollout's current revision began, for the revisions Glidepath saw
 * begin. Argo records no start for a revision whose ReplicaSet it reused (a
 * rollback or a roll forward brings back a template it still has a
 * ReplicaSet for, and gives that ReplicaSet the next revision): the
 * ReplicaSet keeps its first creation time, from before the rollback.
 */
import type { Rollout } from '../resources/rollout';

/** When the revision began, if it was seen to begin; null when not. */
export type RevisionStartedAt = (rollout: Rollout) => Date | null;

/**
 * The start of a revision that began between two reads: the controller's
 * transition of the `Completed` condition to False (its first sync of the
 * new template, Argo Rollouts 1.2+) when it lies between them, else the
 * later read.
 */
function beganBetween(rollout: Rollout, after: number, upTo: number): Date {
  const completed = rollout.status.conditions.find(
    c => c.type === 'Completed' && c.status === 'False',
  );
  const time = completed?.lastTransitionTime
    ? Date.parse(completed.lastTransitionTime)
    : NaN;
  return new Date(time > after && time <= upTo ? time : upTo);
}

/**
 * Remembers, read after read, each Rollout's revision and when a newer one
 * was first seen. A revision already current at the first read has no
 * known start (null): nothing tells a reused ReplicaSet's from its first
 * creation then.
 */
export class RevisionStarts {
  #seen = new Map<string, Seen>();
  #lastReadAt: number | null = null;

  /** Records one read of a cluster's Rollouts, made at `readAt`. */
  observe(rollouts: Rollout[], readAt: number): RevisionStartedAt {
    const next = new Map<string, Seen>();
    for (const rollout of rollouts) {
      const revision = rollout.revision;
      if (revision === null) continue;
      // By namespace and name: a Rollout deleted and created again under
      // the same name has another uid and counts its revisions anew.
      const key = keyOf(rollout);
      const before = this.#seen.get(key);
      const same = before?.uid === rollout.meta.uid;
      let startedAt: Date | null = null;
      if (same && before.revision === revision) {
        startedAt = before.startedAt;
      } else if (
        same &&
        revision > before.revision &&
        this.#lastReadAt !== null
      ) {
        startedAt = beganBetween(rollout, this.#lastReadAt, readAt);
      }
      next.set(key, { uid: rollout.meta.uid, revision, startedAt });
    }
    this.#seen = next;
    this.#lastReadAt = readAt;
    return rollout => {
      const entry = next.get(keyOf(rollout));
      return entry?.uid === rollout.meta.uid &&
        entry.revision === rollout.revision
        ? entry.startedAt
        : null;
    };
  }
}

type Seen = { uid: string; revision: number; startedAt: Date | null };

function keyOf(rollout: Rollout) {
  return `${rollout.meta.namespace}/${rollout.meta.name}`;
}
