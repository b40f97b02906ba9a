import type {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { hostname } from 'node:os';
import { v4 as uuid } from 'uuid';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  actionRefusal,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import type { ActionStore } from './ActionStore';
import type { ReleaseStore } from './ReleaseStore';
import { ProviderRegistry } from './ProviderRegistry';
import { errorMessage } from '../shared/errors';
import { renewLeaseEvery } from '../shared/renewLease';
import { withTimeout } from '../shared/timeout';
import { ReleaseNotifier } from './ReleaseNotifier';
import { ReleaseSync } from './ReleaseSync';
import { alreadyThereMessage, effectAlreadyThere } from './actionEffects';
import type { ClaimedAction } from './ActionStore';

/** How long a runner holds an action without renewing its lease. */
export const ACTION_LEASE_MS = 10_000;
/** A runner that dies this many times on one action makes it fail. */
export const MAX_ACTION_ATTEMPTS = 5;
/**
 * How long a requested action waits here for its release's other action
 * (held on another replica) to finish before it is left to the sweep.
 */
const TURN_WAIT_MS = 30_000;
const TURN_POLL_MS = 200;

/**
 * Runs requested actions in the background, durably: the runner takes up an
 * action with a lease in the database and renews it while it works, so that
 * when a replica dies mid-action another one takes the action over (see the
 * action sweep) and finishes it. A release's actions run one at a time,
 * across replicas. Before calling the provider the runner reads its current
 * state: an action whose effect is already there succeeds without a second
 * call, and one the release's phase no longer admits fails with the reason.
 * Success syncs the entity before the action reads as succeeded, so the
 * new phase shows
 * without waiting for the schedule; failure records the provider's reason
 * and leaves the stored release as it was.
 */
export class ActionRunner {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly queued = new Set<string>();
  /**
   * This runner's name on the leases it holds: the replica's host and
   * process, so that an operator (or a test) can tell which one holds what.
   */
  readonly owner = `${hostname()}:${process.pid}:${uuid().slice(0, 8)}`;

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
      leaseMs?: number;
    },
  ) {}

  private get leaseMs() {
    return this.deps.leaseMs ?? ACTION_LEASE_MS;
  }

  /**
   * Queues an action (once while it waits here); resolves when this runner
   * has run it, or found it held or finished elsewhere.
   */
  enqueue(action: Pick<ReleaseAction, 'id' | 'releaseId'>): Promise<void> {
    if (this.queued.has(action.id)) {
      return this.chains.get(action.releaseId) ?? Promise.resolve();
    }
    this.queued.add(action.id);
    const previous = this.chains.get(action.releaseId) ?? Promise.resolve();
    const next = previous.then(() =>
      this.run(action.id).finally(() => this.queued.delete(action.id)),
    );
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

  private async run(actionId: string): Promise<void> {
    const { actions, logger } = this.deps;
    let claimed: ClaimedAction | undefined;
    try {
      claimed = await this.claimInTurn(actionId);
    } catch (error) {
      logger.warn(
        `Glidepath: could not take up action ${actionId}: ${errorMessage(
          error,
        )}`,
      );
      return;
    }
    // Held by another runner, finished, or its release busy: not ours now.
    if (!claimed) return;
    const stopRenewing = renewLeaseEvery({
      leaseMs: this.leaseMs,
      renew: () =>
        actions.renewLease({
          id: actionId,
          owner: this.owner,
          leaseMs: this.leaseMs,
        }),
      onLost: () =>
        logger.warn(
          `Glidepath: the lease on action ${actionId} was taken over while it ran`,
        ),
      what: `action ${actionId}`,
      logger,
    });
    try {
      await this.runClaimed(claimed);
    } finally {
      stopRenewing();
    }
  }

  /**
   * Takes the action up; while another action of its release runs (on
   * another replica), waits for its turn a while. Undefined when it is held
   * or finished elsewhere, or still waiting after that while (the sweep
   * takes it up later).
   */
  private async claimInTurn(
    actionId: string,
  ): Promise<ClaimedAction | undefined> {
    const { actions } = this.deps;
    const giveUpAt = Date.now() + TURN_WAIT_MS;
    for (;;) {
      const claimed = await actions.claimAction({
        id: actionId,
        owner: this.owner,
        leaseMs: this.leaseMs,
      });
      if (claimed) return claimed;
      const action = await actions.getAction(actionId);
      if (action?.state !== 'requested' || Date.now() > giveUpAt) {
        return undefined;
      }
      await new Promise(resolve => setTimeout(resolve, TURN_POLL_MS));
    }
  }

  private async runClaimed(action: ClaimedAction): Promise<void> {
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
        attempt: action.attempts,
      },
    });
    const finish = (state: 'succeeded' | 'failed', error?: string) =>
      actions.finishAction({ id: action.id, owner: this.owner, state, error });
    // Pages learn that the action runs; the provider call does not wait for
    // the signal to go out (notify never throws).
    const running = notifier.notify({
      type: 'action-updated',
      entityRef: action.entityRef,
      releaseId: action.releaseId,
      actionId: action.id,
    });
    try {
      if (action.attempts > MAX_ACTION_ATTEMPTS) {
        throw new Error(
          `given up after ${MAX_ACTION_ATTEMPTS} attempts: the backend running it stopped each time`,
        );
      }
      const { message, called, entity } = await this.perform(action);
      if (called) {
        // A sync that read the provider before this is stale from now on.
        await this.deps.store.markProviderChanged(action.releaseId, new Date());
      }
      // The release's new phase is stored before the action reads as
      // succeeded, so that whoever sees the success (the dialog, a script
      // polling the action) then reads the release as it now is.
      try {
        await this.deps.sync.syncEntity(entity);
      } catch (error) {
        logger.warn(
          `Glidepath: action ${action.id} succeeded but the follow-up sync of ${
            action.entityRef
          } failed: ${errorMessage(error)}`,
        );
      }
      if (!(await finish('succeeded'))) {
        logger.warn(
          `Glidepath: action ${action.id} was done, but another runner had taken it over`,
        );
      }
      await audit.success({
        meta: {
          ...(message && { providerMessage: message }),
          providerCalled: called,
        },
      });
    } catch (error) {
      const reason = errorMessage(error);
      logger.info(
        `Glidepath: ${action.action} of release ${action.releaseId} (${action.entityRef}) failed: ${reason}`,
      );
      try {
        await finish('failed', reason);
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
    await running;
    await notifier.notify({
      type: 'action-updated',
      entityRef: action.entityRef,
      releaseId: action.releaseId,
      actionId: action.id,
    });
  }

  /**
   * Reads the provider's state, then calls the provider unless the action's
   * effect is already there; throws with the reason the action cannot
   * complete.
   */
  private async perform(action: ClaimedAction): Promise<{
    message?: string;
    called: boolean;
    /** The entity as read for the action (its ref if it could not be), for the sync after it. */
    entity: Entity | string;
  }> {
    const { store, providers, catalog, auth, logger } = this.deps;
    // The entity is read once, for the provider read before the call, the
    // call and the sync after it (each read is a catalog request).
    let entity: Entity | undefined;
    let entityError: unknown;
    try {
      entity = await catalog.getEntityByRef(action.entityRef, {
        credentials: await auth.getOwnServiceCredentials(),
      });
    } catch (error) {
      entityError = error;
    }
    try {
      if (entityError) throw entityError;
      if (entity) await this.deps.sync.syncEntity(entity);
    } catch (error) {
      // The stored state is then the latest known; the provider has the
      // last word on what it admits.
      logger.debug(
        `Glidepath: could not read ${action.entityRef} before action ${
          action.id
        }: ${errorMessage(error)}`,
      );
    }
    const release = await store.getRelease(action.releaseId);
    if (!release) {
      throw new Error(`release ${action.releaseId} no longer exists`);
    }
    if (effectAlreadyThere(release, action)) {
      return {
        message: alreadyThereMessage(action.action),
        called: false,
        entity: entity ?? action.entityRef,
      };
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
    if (entityError) throw entityError;
    if (!entity) {
      throw new Error(`${release.entityRef} is no longer in the catalog`);
    }
    // The target of the environment the release went to.
    const resolved = this.deps.sync.targetFor(entity, release.environment);
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
    return { message: result?.message, called: true, entity };
  }
}
