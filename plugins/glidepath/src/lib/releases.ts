import type {
  Actor,
  ProviderStatus,
  Release,
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
  const from = provider.lastSyncedAt
    ? ` from ${formatTime(provider.lastSyncedAt)}`
    : '';
  const reported = provider.error
    ? `; the provider reported: ${provider.error}`
    : '';
  return `Showing the last known state${from}${reported}`;
}
