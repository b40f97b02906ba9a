import {
  atChecklistGate,
  awaitsPromotion,
  ChecklistGate,
  Release,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';

/** The actor of the pauses and resumes the checklist gate asks for. */
export const CHECKLIST_ACTOR = {
  kind: 'policy',
  ref: 'release-checklist',
  displayName: 'Release checklist',
} as const;

/** What the engine does about a release's checklist on one run. */
export type ChecklistHold = {
  action: 'pause' | 'resume';
  reason: string;
  /** Derived from the state it answers, so that every run and replica asks once. */
  idempotencyKey: string;
};

/** True when the action is a pause the checklist gate asked for, in effect. */
export function pausedByChecklist(action: ReleaseAction | undefined): boolean {
  return (
    action?.action === 'pause' &&
    action.state === 'succeeded' &&
    action.requestedBy.kind === CHECKLIST_ACTOR.kind &&
    action.requestedBy.ref === CHECKLIST_ACTOR.ref
  );
}

/**
 * The checklist gate in the engine: a release that would move into its final
 * step by itself (a timed pause or a weight step at the gate) while a
 * required item is open is paused, with the reason; once no required item
 * is open, a release the gate paused is resumed. A release waiting on an
 * indefinite pause is not paused: it cannot move on without a promote, and
 * a promote is refused while the gate holds.
 *
 * `latestAction` is the release's most recent action (any state).
 */
export function checklistHold(options: {
  release: Release;
  gate: ChecklistGate | undefined;
  latestAction: ReleaseAction | undefined;
}): ChecklistHold | undefined {
  const { release, gate, latestAction } = options;
  const after = latestAction?.id ?? 'start';
  if (
    gate?.blocking &&
    release.phase === 'progressing' &&
    atChecklistGate(release) &&
    !awaitsPromotion(release)
  ) {
    return {
      action: 'pause',
      reason: `${gate.reason}. Glidepath paused ${release.version} there; it resumes by itself once they are ticked.`,
      idempotencyKey: `checklist-pause:${release.id}:after:${after}`,
    };
  }
  if (
    !gate?.blocking &&
    release.phase === 'paused' &&
    pausedByChecklist(latestAction)
  ) {
    return {
      action: 'resume',
      reason: `The release checklist has no required item open: resumed ${release.version}, which waited for it before its final step.`,
      idempotencyKey: `checklist-resume:${release.id}:after:${after}`,
    };
  }
  return undefined;
}
