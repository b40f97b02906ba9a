import type {
  Plan,
  PlanControl,
  PlanMember,
  PlanMemberState,
  PlanState,
  PlanWaveState,
  ReleaseInFlight,
} from '@glidepath/backstage-plugin-common';
import { shortRef } from './entity';

/** The states of a plan that has not finished. */
const ACTIVE_STATES: readonly PlanState[] = [
  'scheduled',
  'running',
  'paused',
  'rolling_back',
];

/** Whether a plan is still going (and worth reading again every few seconds). */
export function isPlanActive(plan: Pick<Plan, 'state'>): boolean {
  return ACTIVE_STATES.includes(plan.state);
}

/** A plan's state as people read it, and how it looks. */
export const PLAN_STATE: Record<
  PlanState,
  { label: string; tone: 'ok' | 'running' | 'pending' | 'warning' | 'error' }
> = {
  scheduled: { label: 'Scheduled', tone: 'pending' },
  running: { label: 'Running', tone: 'running' },
  paused: { label: 'Paused', tone: 'warning' },
  rolling_back: { label: 'Rolling back', tone: 'warning' },
  succeeded: { label: 'Succeeded', tone: 'ok' },
  failed: { label: 'Failed', tone: 'error' },
  rolled_back: { label: 'Rolled back', tone: 'error' },
  aborted: { label: 'Aborted', tone: 'warning' },
};

/** A wave's state as people read it. */
export const WAVE_STATE: Record<PlanWaveState, string> = {
  pending: 'Not started',
  waiting: 'Waiting',
  releasing: 'Releasing',
  soaking: 'Soaking',
  done: 'Done',
  failed: 'Failed',
  rolling_back: 'Rolling back',
  rolled_back: 'Rolled back',
};

/** A member's state as people read it, and how it looks. */
export const MEMBER_STATE: Record<
  PlanMemberState,
  { label: string; tone: 'ok' | 'running' | 'pending' | 'warning' | 'error' }
> = {
  pending: { label: 'Not started', tone: 'pending' },
  starting: { label: 'Starting', tone: 'running' },
  manual: { label: 'Waiting for a manual release', tone: 'warning' },
  releasing: { label: 'Releasing', tone: 'running' },
  released: { label: 'Released', tone: 'ok' },
  failed: { label: 'Failed', tone: 'error' },
  rolling_back: { label: 'Rolling back', tone: 'warning' },
  rolled_back: { label: 'Rolled back', tone: 'error' },
};

/** "2 of 3 waves done", or how it ended when it rolled back. */
export function wavesProgress(plan: Pick<Plan, 'waves'>): string {
  const total = plan.waves.length;
  const done = plan.waves.filter(w => w.state === 'done').length;
  const rolledBack = plan.waves.filter(w => w.state === 'rolled_back').length;
  const base = `${done} of ${total} ${total === 1 ? 'wave' : 'waves'} done`;
  return rolledBack ? `${base}, ${rolledBack} rolled back` : base;
}

/** The members of each wave, in wave order (waves without members too). */
export function membersByWave(
  plan: Pick<Plan, 'waves' | 'members'>,
): Array<{ index: number; members: PlanMember[] }> {
  const indexes = new Set<number>([
    ...plan.waves.map(w => w.index),
    ...plan.members.map(m => m.wave),
  ]);
  return [...indexes]
    .sort((a, b) => a - b)
    .map(index => ({
      index,
      members: plan.members
        .filter(m => m.wave === index)
        .sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
    }));
}

/**
 * What the plan waits for now, in words: the pause and its reason, the
 * current wave's `waitingFor`, or its start while scheduled; undefined
 * when it waits for nothing.
 */
export function planWaitingFor(plan: Plan): string | undefined {
  if (!isPlanActive(plan)) return undefined;
  // A pause holds the plan whatever its wave waits for.
  if (plan.state === 'paused') {
    return plan.stateReason
      ? `Paused: ${readableRefs(plan.stateReason)}`
      : 'Paused';
  }
  const wave =
    plan.currentWave !== null
      ? plan.waves.find(w => w.index === plan.currentWave)
      : plan.waves.find(w => w.waitingFor);
  if (wave?.waitingFor) {
    return `Wave ${wave.index + 1} waits for ${readableRefs(wave.waitingFor)}`;
  }
  if (plan.state === 'scheduled') {
    return `Starts ${new Date(plan.startAt).toLocaleString()}`;
  }
  return undefined;
}

/**
 * Why a control cannot be used on the plan in its state, or undefined when
 * it can (the server still checks the permission).
 */
export function controlUnavailable(
  plan: Pick<Plan, 'state' | 'freezeOverride'>,
  control: PlanControl,
): string | undefined {
  if (!isPlanActive(plan)) {
    return `The plan has finished (${PLAN_STATE[
      plan.state
    ].label.toLowerCase()}).`;
  }
  switch (control) {
    case 'pause':
      if (plan.state === 'paused') return 'The plan is paused already.';
      if (plan.state === 'rolling_back') {
        return 'A rollback is running; it is not paused.';
      }
      return undefined;
    case 'resume':
      return plan.state === 'paused' ? undefined : 'The plan is not paused.';
    case 'abort':
      return plan.state === 'rolling_back'
        ? 'A rollback is running; it is not aborted.'
        : undefined;
    case 'freeze-override':
      if (plan.freezeOverride)
        return 'The plan already goes on during freezes.';
      return plan.state === 'rolling_back'
        ? 'A rollback is running, and freezes never hold a rollback.'
        : undefined;
    default:
      return undefined;
  }
}

/** The filters of the releases in flight; undefined matches all. */
export type InFlightFilters = {
  owner?: string;
  system?: string;
  environment?: string;
};

/**
 * The releases in flight that match the filters, `systems` giving each
 * entity's system (from the catalog).
 */
export function filterInFlight(
  items: readonly ReleaseInFlight[],
  filters: InFlightFilters,
  systems: ReadonlyMap<string, string>,
): ReleaseInFlight[] {
  return items.filter(
    ({ release, owner }) =>
      (!filters.owner || owner?.ref === filters.owner) &&
      (!filters.environment || release.environment === filters.environment) &&
      (!filters.system || systems.get(release.entityRef) === filters.system),
  );
}

/** The distinct values to filter by, sorted, with the label each shows. */
export function inFlightFilterOptions(
  items: readonly ReleaseInFlight[],
  systems: ReadonlyMap<string, string>,
): {
  owners: Array<{ value: string; label: string }>;
  systems: string[];
  environments: string[];
} {
  const owners = new Map<string, string>();
  for (const { owner } of items) {
    if (owner) owners.set(owner.ref, owner.title ?? shortRef(owner.ref));
  }
  const sorted = (values: Iterable<string>) =>
    [...new Set(values)].sort((a, b) => a.localeCompare(b));
  return {
    owners: [...owners.entries()]
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    systems: sorted(
      items
        .map(i => systems.get(i.release.entityRef))
        .filter((s): s is string => Boolean(s)),
    ),
    environments: sorted(items.map(i => i.release.environment)),
  };
}

/**
 * A plan's message as people read it: entity refs in the default
 * namespace by their names ("component:default/cart-service" → "cart-service").
 */
export function readableRefs(text: string): string {
  return text.replace(/\b[a-z]+:default\/([a-z0-9][\w.-]*)/gi, '$1');
}
