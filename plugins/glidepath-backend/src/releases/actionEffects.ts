import type { ActionType, Release } from '@glidepath/backstage-plugin-common';

/**
 * Whether what an action asks for is already so: a rollback whose release
 * is rolled back, a promote whose release stands past the step it was
 * requested on, and so on. Such an action succeeds without calling the
 * provider again, so that running it twice (a runner that died after the
 * call, two requests with different keys) acts once.
 */
export function effectAlreadyThere(
  release: Pick<Release, 'phase' | 'currentStepIndex'>,
  action: { action: ActionType; stepIndex: number | null },
): boolean {
  switch (action.action) {
    case 'rollback':
      return release.phase === 'rolled_back';
    case 'abort':
      return release.phase === 'aborted';
    case 'pause':
      return release.phase === 'paused';
    case 'resume':
    case 'retry':
      return release.phase === 'progressing';
    case 'promote':
      return (
        release.phase === 'succeeded' ||
        (action.stepIndex !== null &&
          release.currentStepIndex !== null &&
          release.currentStepIndex > action.stepIndex)
      );
    default:
      return false;
  }
}

/** How an action whose effect was already there is reported. */
export function alreadyThereMessage(action: ActionType): string {
  const done: Record<ActionType, string> = {
    rollback: 'rolled back',
    abort: 'aborted',
    pause: 'paused',
    resume: 'running',
    retry: 'running',
    promote: 'promoted',
  };
  return `The release was already ${done[action]}; the provider was not called again`;
}
