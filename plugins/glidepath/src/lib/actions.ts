import { ResponseError } from '@backstage/errors';
import type {
  ActionState,
  ActionType,
  Release,
} from '@glidepath/backstage-plugin-common';

/** The order in which action buttons are shown; rollback comes last. */
export const ACTION_ORDER: readonly ActionType[] = [
  'promote',
  'pause',
  'resume',
  'abort',
  'retry',
  'rollback',
];

const LABELS: Record<ActionType, string> = {
  promote: 'Promote',
  pause: 'Pause',
  resume: 'Resume',
  abort: 'Abort',
  retry: 'Retry',
  rollback: 'Roll back',
};

/** The button label of an action ("Roll back"). */
export function actionLabel(action: ActionType): string {
  return LABELS[action];
}

/** Actions that take traffic away from the new version. */
export function isDestructiveAction(action: ActionType): boolean {
  return action === 'rollback' || action === 'abort';
}

/** The admitted actions in the order the buttons are shown. */
export function orderActions(actions: readonly ActionType[]): ActionType[] {
  return ACTION_ORDER.filter(action => actions.includes(action));
}

/** True once an action will not change any more. */
export function isTerminalActionState(state: ActionState): boolean {
  return state === 'succeeded' || state === 'failed';
}

/** The confirmation dialog's title ("Roll back checkout-service?"). */
export function confirmationTitle(
  action: ActionType,
  entityName: string,
  release: Pick<Release, 'version'>,
): string {
  switch (action) {
    case 'rollback':
      return `Roll back ${entityName}?`;
    case 'promote':
      return `Promote ${entityName} ${release.version}?`;
    default:
      return `${LABELS[action]} the rollout of ${entityName} ${release.version}?`;
  }
}

type ReleaseForCopy = Pick<
  Release,
  'version' | 'previousVersion' | 'steps' | 'currentStepIndex' | 'canaryWeight'
>;

function stable(release: ReleaseForCopy): string {
  return release.previousVersion ?? 'the stable version';
}

function currentStep(release: ReleaseForCopy) {
  return release.currentStepIndex === null
    ? undefined
    : release.steps.find(step => step.index === release.currentStepIndex);
}

function nextStep(release: ReleaseForCopy) {
  if (release.currentStepIndex === null) {
    return release.steps.find(step => step.status === 'pending');
  }
  const current = release.currentStepIndex;
  return [...release.steps]
    .sort((a, b) => a.index - b.index)
    .find(step => step.index > current);
}

/**
 * What will happen when the action is taken, in one or two sentences, with
 * the release's own versions and step names.
 */
export function actionConsequence(
  action: ActionType,
  release: ReleaseForCopy,
): string {
  const { version } = release;
  switch (action) {
    case 'rollback':
      return `All traffic returns to ${stable(
        release,
      )} and ${version} is taken out of service. The release becomes rolled back.`;
    case 'abort':
      return `All traffic returns to ${stable(
        release,
      )} and ${version} stops receiving traffic. The release becomes aborted; it can be retried later.`;
    case 'promote': {
      const next = nextStep(release);
      return next
        ? `The rollout moves on to its next step: ${next.description}.`
        : `The rollout completes: all traffic goes to ${version} and the release becomes succeeded.`;
    }
    case 'pause': {
      const step = currentStep(release);
      return `The rollout stops${
        step ? ` at "${step.description}"` : ''
      } with ${
        release.canaryWeight
      }% of traffic on ${version}, until someone resumes or promotes it.`;
    }
    case 'resume': {
      const step = currentStep(release);
      return `The rollout of ${version} continues${
        step ? ` from "${step.description}"` : ''
      } and follows its remaining steps.`;
    }
    case 'retry': {
      const first = [...release.steps].sort((a, b) => a.index - b.index)[0];
      return `The rollout of ${version} starts again from its first step${
        first ? `: ${first.description}` : ''
      }.`;
    }
    default:
      return '';
  }
}

const VERBS: Record<ActionType, string> = {
  promote: 'promote',
  pause: 'pause',
  resume: 'resume',
  abort: 'abort',
  retry: 'retry',
  rollback: 'roll back',
};

function joinOr(items: string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * Why the signed-in user may not take these actions, and who may, around
 * the owner's name: "You cannot roll back this service: only its owners" +
 * " (Payments)" + " and release admins can". Shown next to the disabled
 * buttons, with the owner's name from the catalog, linked.
 */
export function permissionRefusal(
  actions: readonly ActionType[],
  subject: string,
): { before: string; after: string } {
  return {
    before: `You cannot ${joinOr(
      actions.map(action => VERBS[action]),
    )} this ${subject}: only its owners`,
    after: 'and release admins can',
  };
}

/** A failed request as the person who sent it needs to read it. */
export function describeRequestError(error: Error): string {
  if (ResponseError.is(error)) {
    const message = error.cause?.message || error.message;
    switch (error.statusCode) {
      case 403:
        return `Not allowed: ${message}`;
      case 409:
        return `Conflict: ${message}`;
      default:
        if (error.statusCode >= 500) {
          return `Glidepath failed (${error.statusCode}): ${message}. Confirm again to retry; the same request is sent again, so the action is taken at most once.`;
        }
        return `${error.statusCode} ${error.statusText}: ${message}`;
    }
  }
  return `Could not reach Glidepath (${error.message}). Confirm again to retry; the same request is sent again, so the action is taken at most once.`;
}
