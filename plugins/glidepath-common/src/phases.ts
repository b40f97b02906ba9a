import type { ActionType, Release, ReleasePhase } from './types';

/** Phases after which a release does not move by itself. @public */
export function isTerminalPhase(phase: ReleasePhase): boolean {
  return (
    phase === 'succeeded' ||
    phase === 'aborted' ||
    phase === 'rolled_back' ||
    phase === 'failed'
  );
}

const ACTIONS_BY_PHASE: Record<ReleasePhase, readonly ActionType[]> = {
  pending: ['abort'],
  progressing: ['promote', 'pause', 'abort', 'rollback'],
  paused: ['promote', 'resume', 'abort', 'rollback'],
  aborted: ['retry', 'rollback'],
  failed: ['retry', 'rollback'],
  succeeded: ['rollback'],
  rolled_back: [],
};

/**
 * The actions a release admits in its phase, with Argo Rollouts' semantics:
 * promote moves one step, pause and resume stop and restart the steps, abort
 * sends all traffic back to stable, retry restarts an aborted or failed
 * release, rollback redeploys the previous version. A succeeded release can be
 * rolled back only when there is a previous version to return to.
 *
 * This says what the phase admits, not what the caller may do; permissions are
 * checked separately.
 * @public
 */
export function allowedActions(
  release: Pick<Release, 'phase' | 'previousVersion'>,
): ActionType[] {
  return ACTIONS_BY_PHASE[release.phase].filter(
    action => action !== 'rollback' || release.previousVersion !== null,
  );
}

/**
 * Why an action cannot be taken on a release in its phase, or undefined when
 * it can.
 * @public
 */
export function actionRefusal(
  release: Pick<Release, 'phase' | 'previousVersion'>,
  action: ActionType,
): string | undefined {
  if (allowedActions(release).includes(action)) {
    return undefined;
  }
  if (action === 'rollback' && release.previousVersion === null) {
    return 'there is no previous version to roll back to';
  }
  const allowed = ACTIONS_BY_PHASE[release.phase];
  return `a ${phaseLabel(release.phase)} release cannot be ${pastTense(
    action,
  )}${
    allowed.length
      ? `; it can be ${allowed.map(a => pastTense(a)).join(', ')}`
      : ''
  }`;
}

/** A phase as people say it ("rolled back"). @public */
export function phaseLabel(phase: ReleasePhase): string {
  return phase.replace('_', ' ');
}

function pastTense(action: ActionType): string {
  switch (action) {
    case 'rollback':
      return 'rolled back';
    case 'promote':
      return 'promoted';
    case 'pause':
      return 'paused';
    case 'resume':
      return 'resumed';
    case 'abort':
      return 'aborted';
    case 'retry':
      return 'retried';
    default:
      return action;
  }
}

const FAILED_OUTCOMES: readonly ReleasePhase[] = [
  'aborted',
  'failed',
  'rolled_back',
];

/**
 * The phase to store when a provider reports `observed` for a release stored
 * as `stored`. A release that ended badly (aborted, failed, rolled back)
 * does not become `succeeded` without moving again first: a provider that
 * reconstructs old revisions (Argo Rollouts keeps no record of how one
 * ended) must not turn a failed change into a success. Every other report
 * is taken as it is, including a retry (back to progressing) and a later
 * rollback of a succeeded release.
 * @public
 */
export function settledPhase(
  stored: ReleasePhase,
  observed: ReleasePhase,
): ReleasePhase {
  return FAILED_OUTCOMES.includes(stored) && observed === 'succeeded'
    ? stored
    : observed;
}

/**
 * True when the release stands on a pause step without a duration (Argo
 * Rollouts' `pause: {}`): its provider waits for someone to promote it, and
 * Glidepath may be that someone.
 * @public
 */
export function awaitsPromotion(
  release: Pick<Release, 'steps' | 'currentStepIndex'>,
): boolean {
  if (release.currentStepIndex === null) return false;
  const step = release.steps[release.currentStepIndex];
  return (
    step !== undefined &&
    step.kind === 'pause' &&
    (step.durationSeconds === null || step.durationSeconds === undefined) &&
    step.status === 'running'
  );
}
