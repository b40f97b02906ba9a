import { makeValidator, parseEntityRef } from '@backstage/catalog-model';
import { isTerminalPhase } from './phases';
import type {
  ActionType,
  ChecklistGate,
  ChecklistItem,
  ChecklistItemRequest,
  Release,
} from './types';

/**
 * The standard release checklist, the items every release of a service
 * should have ticked before it takes all traffic. The "Release checklist"
 * template and `glidepath:checklist:create` start from it; teams add their
 * own items.
 * @public
 */
export const STANDARD_RELEASE_CHECKLIST: readonly Required<
  Omit<ChecklistItemRequest, 'owner'>
>[] = [
  {
    title: 'Change summary written and communicated',
    description:
      'What changes, why, and who is affected, posted where the users of the service read it.',
    required: true,
  },
  {
    title: 'Rollback plan verified',
    description:
      'The previous version is known and rolling back to it has been tried (or a rollback drill passed this quarter).',
    required: true,
  },
  {
    title: 'Dashboards and alerts checked',
    description:
      'The dashboards show the canary and the stable version side by side; the alerts for the service are on.',
    required: true,
  },
  {
    title: 'On-call aware',
    description:
      'The on-call engineer knows the release is going out and how to roll it back.',
    required: true,
  },
  {
    title: 'Feature flags set',
    description:
      'New code paths are behind flags with the intended defaults for this release.',
    required: false,
  },
  {
    title: 'Dependent teams told',
    description:
      'Teams whose services depend on this one know about the release and its changes.',
    required: false,
  },
];

/**
 * Whether a checklist holds its release: it does while any required item is
 * open. The reason names the open items, so that whoever waits knows what
 * to do.
 * @public
 */
export function checklistGate(
  items: ReadonlyArray<Pick<ChecklistItem, 'title' | 'required' | 'checked'>>,
): ChecklistGate {
  const openRequired = items
    .filter(item => item.required && !item.checked)
    .map(item => item.title);
  if (!openRequired.length) {
    return { blocking: false, openRequired, reason: null };
  }
  const count =
    openRequired.length === 1
      ? '1 required item is open'
      : `${openRequired.length} required items are open`;
  return {
    blocking: true,
    openRequired,
    reason: `The release checklist holds the release before its final step: ${count} (${openRequired.join(
      ', ',
    )})`,
  };
}

/**
 * True when the release stands at its checklist gate: the step it is on is
 * the last but one or the last, so that moving on enters the final step or
 * completes the release. A release without steps (rolling) is always there.
 * @public
 */
export function atChecklistGate(
  release: Pick<Release, 'phase' | 'steps' | 'currentStepIndex'>,
): boolean {
  if (isTerminalPhase(release.phase) || release.phase === 'pending') {
    return false;
  }
  if (!release.steps.length) return true;
  const current = release.currentStepIndex ?? 0;
  return current >= release.steps.length - 2;
}

/**
 * Why the checklist refuses an action on its release, or undefined when it
 * does not: a promote or a resume at the gate while required items are open.
 * Rollback, abort, pause and retry are never held by a checklist.
 * @public
 */
export function checklistRefusal(
  release: Pick<Release, 'phase' | 'steps' | 'currentStepIndex'>,
  action: ActionType,
  gate: ChecklistGate | undefined,
): string | undefined {
  if (!gate?.blocking) return undefined;
  if (action !== 'promote' && action !== 'resume') return undefined;
  if (!atChecklistGate(release)) return undefined;
  return gate.reason ?? undefined;
}

const catalogNames = makeValidator();

/** An item's owner must name a user or a group (`group:default/team`). */
function checkOwner(title: string, owner: string) {
  let valid = false;
  try {
    const ref = parseEntityRef(owner.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    valid =
      ['user', 'group'].includes(ref.kind.toLocaleLowerCase('en-US')) &&
      catalogNames.isValidNamespace(ref.namespace) &&
      catalogNames.isValidEntityName(ref.name);
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new TypeError(
      `The item ${JSON.stringify(
        title,
      )} has an owner that is not a user or group reference (e.g. group:default/team-checkout)`,
    );
  }
}

/**
 * The items of a new checklist: the standard ones (when asked for) followed
 * by the team's own. An item whose title matches a standard one (ignoring
 * case) replaces it in place, so that a team can, for example, make "Feature
 * flags set" required for its service. Titles must be unique.
 * @public
 */
export function mergeChecklistItems(
  useStandard: boolean,
  items: readonly ChecklistItemRequest[],
): ChecklistItemRequest[] {
  const merged: ChecklistItemRequest[] = useStandard
    ? STANDARD_RELEASE_CHECKLIST.map(item => ({ ...item }))
    : [];
  const key = (title: string) => title.trim().toLocaleLowerCase('en-US');
  const seen = new Set<string>();
  for (const item of items) {
    const title = item.title.trim();
    if (!title) {
      throw new TypeError('A checklist item needs a title');
    }
    if (seen.has(key(title))) {
      throw new TypeError(`The checklist has the item "${title}" twice`);
    }
    seen.add(key(title));
    if (item.owner !== undefined) checkOwner(title, item.owner);
    const at = merged.findIndex(
      (existing, index) =>
        index < STANDARD_RELEASE_CHECKLIST.length &&
        useStandard &&
        key(existing.title) === key(title),
    );
    const next = { ...item, title };
    if (at >= 0) merged[at] = { ...merged[at], ...next };
    else merged.push(next);
  }
  return merged;
}
