import type {
  ActionType,
  Actor,
  ProviderStatus,
  Release,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import { formatTime } from './time';

const STRATEGY_LABEL: Record<Release['strategy'], string> = {
  canary: 'Canary',
  blue_green: 'Blue-green',
  rolling: 'Rolling',
};

/** The release's strategy as people say it ("Blue-green"). */
export function strategyLabel(strategy: Release['strategy']): string {
  return STRATEGY_LABEL[strategy] ?? strategy;
}

/** Who or what did something, by name when known. */
export function actorName(actor: Actor): string {
  return actor.displayName ?? actor.ref;
}

/** The actions that end a release in each finished phase. */
const ENDED_BY: Partial<Record<Release['phase'], ActionType[]>> = {
  rolled_back: ['rollback'],
  aborted: ['abort'],
  succeeded: ['promote'],
};

/**
 * The action that ended a finished release, when a person or a policy ended
 * it: the newest succeeded action of the kind its phase comes from (a
 * rollback for rolled_back, an abort for aborted, a promote for succeeded).
 */
export function endingAction(
  release: Pick<Release, 'id' | 'phase'>,
  actions: readonly ReleaseAction[],
): ReleaseAction | undefined {
  const kinds = ENDED_BY[release.phase] ?? [];
  return actions
    .filter(
      a =>
        a.releaseId === release.id &&
        a.state === 'succeeded' &&
        kinds.includes(a.action),
    )
    .sort((a, b) => Date.parse(b.requestedAt) - Date.parse(a.requestedAt))[0];
}

/** "1.4.2 → 1.5.0", or the version alone for a first release. */
export function versionChange(
  release: Pick<Release, 'version' | 'previousVersion'>,
): string {
  return release.previousVersion
    ? `${release.previousVersion} → ${release.version}`
    : release.version;
}

/** "Showing the last known state from …; the provider reported: …". */
export function staleMessage(provider: ProviderStatus): string {
  // Never read: there is no last known state, only what the provider said
  // (e.g. the Rollout it names was rejected by its controller).
  if (!provider.lastSyncedAt && provider.error) {
    return `Nothing was read for this entity yet; the provider reported: ${provider.error}`;
  }
  const from = provider.lastSyncedAt
    ? ` from ${formatTime(provider.lastSyncedAt)}`
    : '';
  const reported = provider.error
    ? `; the provider reported: ${provider.error}`
    : '';
  return `Showing the last known state${from}${reported}`;
}
