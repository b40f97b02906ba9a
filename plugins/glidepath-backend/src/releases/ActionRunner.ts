import type {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  actionRefusal,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import type { ActionStore } from './ActionStore';
import type { ReleaseStore } from './ReleaseStore';
import { ProviderRegistry } from './ProviderRegistry';
import { errorMessage } from '../shared/errors';
import { withTimeout } from '../shared/timeout';
import { ReleaseNotifier } from './ReleaseNotifier';
import { ReleaseSync } from './ReleaseSync';

/**
 * Runs requested actions in the background: one at a time per release, each
 * re-checked against the release's latest phase, with a deadline on the
 * provider. Success triggers an immediate sync of the entity so the new phase
 * shows without waiting for the schedule; failure records the provider's
 * reason and leaves the stored release as it was.
 */
export class ActionRunner {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: {
      store: ReleaseStore;
      actions: ActionStore;
      providers: ProviderRegistry;
      sync: ReleaseSync;
      catalog: CatalogService;
      auth: AuthService;
      auditor: AuditorService;
      notifier: ReleaseNotifier;
      logger: LoggerService;
      actionTimeoutMs: number;
    },
  ) {}

  /** Queues an action; resolves when it has finished (for tests and tools). */
  enqueue(action: ReleaseAction): Promise<void> {
    const previous = this.chains.get(action.releaseId) ?? Promise.resolve();
    const next = previous.then(() => this.run(action));
    this.chains.set(action.releaseId, next);
    next.finally(() => {
      if (this.chains.get(action.releaseId) === next) {
        this.chains.delete(action.releaseId);
      }
    });
    return next;
  }

  /** Resolves when every queued action has finished. */
  async idle(): Promise<void> {
    while (this.chains.size) {
      await Promise.all(this.chains.values());
    }
  }

  private async run(action: ReleaseAction): Promise<void> {
    const { actions, notifier, logger, auditor } = this.deps;
    const audit = await auditor.createEvent({
      eventId: 'release-action-execution',
      severityLevel: action.action === 'rollback' ? 'high' : 'medium',
      meta: {
        actionId: action.id,
        releaseId: action.releaseId,
        entityRef: action.entityRef,
        action: action.action,
        reason: action.reason,
        requestedBy: action.requestedBy.ref,
      },
    });
    try {
      await actions.updateActionState(action.id, 'running');
      await notifier.notify({
        type: 'action-updated',
        entityRef: action.entityRef,
        releaseId: action.releaseId,
        actionId: action.id,
      });
      const message = await this.perform(action);
      // A sync that read the provider before this is stale from now on.
      await this.deps.store.markProviderChanged(action.releaseId, new Date());
      await actions.updateActionState(action.id, 'succeeded');
      await audit.success({
        meta: message ? { providerMessage: message } : {},
      });
      try {
        await this.deps.sync.syncEntity(action.entityRef);
      } catch (error) {
        logger.warn(
          `Glidepath: action ${action.id} succeeded but the follow-up sync of ${
            action.entityRef
          } failed: ${errorMessage(error)}`,
        );
      }
    } catch (error) {
      const reason = errorMessage(error);
      logger.info(
        `Glidepath: ${action.action} of release ${action.releaseId} (${action.entityRef}) failed: ${reason}`,
      );
      try {
        await actions.updateActionState(action.id, 'failed', { error: reason });
      } catch (storeError) {
        logger.error(
          `Glidepath: could not record the failure of action ${
            action.id
          }: ${errorMessage(storeError)}`,
        );
      }
      await audit.fail({
        error: error instanceof Error ? error : new Error(reason),
      });
    }
    await notifier.notify({
      type: 'action-updated',
      entityRef: action.entityRef,
      releaseId: action.releaseId,
      actionId: action.id,
    });
  }

  /** Calls the provider; throws with the reason the action cannot complete. */
  private async perform(action: ReleaseAction): Promise<string | undefined> {
    const { store, providers, catalog, auth } = this.deps;
    const release = await store.getRelease(action.releaseId);
    if (!release) {
      throw new Error(`release ${action.releaseId} no longer exists`);
    }
    const refusal = actionRefusal(release, action.action);
    if (refusal) {
      throw new Error(
        `not done: ${refusal} (the release is now ${release.phase.replace(
          '_',
          ' ',
        )})`,
      );
    }
    const provider = providers.get(release.provider);
    if (!provider) {
      throw new Error(providers.unknownProviderMessage(release.provider));
    }
    const entity = await catalog.getEntityByRef(release.entityRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    if (!entity) {
      throw new Error(`${release.entityRef} is no longer in the catalog`);
    }
    const resolved = this.deps.sync.targetFor(entity);
    if ('error' in resolved) {
      throw new Error(resolved.error);
    }
    if (resolved.provider.id !== release.provider) {
      throw new Error(
        `${release.entityRef} now uses the provider "${resolved.provider.id}", not "${release.provider}" that reported this release`,
      );
    }
    const result = await withTimeout(
      `The rollout provider "${provider.id}"`,
      this.deps.actionTimeoutMs,
      signal =>
        provider.performAction({
          target: resolved.target,
          providerReleaseId: release.providerRef,
          action: action.action,
          reason: action.reason,
          actor: action.requestedBy,
          signal,
        }),
    );
    return result?.message;
  }
}
