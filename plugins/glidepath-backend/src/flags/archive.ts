import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_FLAGS,
  type Actor,
} from '@glidepath/backstage-plugin-common';
import type { FlagActionRecord, FlagRecord, FlagStore } from './FlagStore';
import type { FlagProviderRegistry, FlagSync } from './FlagSync';
import { errorMessage } from '../shared/errors';
import { withTimeout } from '../shared/timeout';

/** What archiving a flag needs. */
export type FlagArchiveDeps = {
  store: FlagStore;
  providers: FlagProviderRegistry;
  sync: Pick<FlagSync, 'targetOf'>;
  actionTimeoutMs: number;
  now: () => Date;
};

/**
 * Archives a flag through its provider, for a person or for the cleanup:
 * removed from the inventory and recorded as a succeeded action, or, when
 * the provider cannot archive, refuses or fails, recorded as a failed
 * action with its reason. The one place flags are archived.
 */
export async function archiveFlagInProvider(
  deps: FlagArchiveDeps,
  options: { entity: Entity; flag: FlagRecord; reason: string; actor: Actor },
): Promise<{ action: FlagActionRecord; failure?: string }> {
  const { entity, flag, reason, actor } = options;
  const record = (status: 'succeeded' | 'failed', message: string) =>
    deps.store.recordAction({
      entityRef: flag.entityRef,
      provider: flag.provider,
      flagKey: flag.key,
      flagName: flag.name,
      action: 'archive',
      reason,
      actor,
      status,
      message,
      at: deps.now(),
    });
  const provider = deps.providers.get(flag.provider);
  const target = deps.sync.targetOf(entity, flag.provider, flag.targetRef);
  let failure: string;
  if (!provider) {
    failure = deps.providers.unknownProviderMessage(flag.provider);
  } else if (!provider.archiveFlag) {
    failure = `The flag provider "${flag.provider}" cannot archive flags; archive ${flag.name} in the provider itself`;
  } else if (!target) {
    failure = `${flag.entityRef} no longer names ${flag.provider}:${flag.targetRef} in ${ANNOTATION_FLAGS}`;
  } else {
    try {
      const archive = provider.archiveFlag.bind(provider);
      const result = await withTimeout(
        `The flag provider "${flag.provider}"`,
        deps.actionTimeoutMs,
        signal => archive({ target, flagKey: flag.key, reason, actor, signal }),
      );
      // Recorded before the flag leaves the inventory, so that a sync that
      // read the provider before the archive does not bring it back.
      const action = await record(
        'succeeded',
        result?.message ?? `${flag.name} archived`,
      );
      await deps.store.removeFlag(flag.id);
      return { action };
    } catch (error) {
      failure = errorMessage(error);
    }
  }
  return { action: await record('failed', failure), failure };
}
