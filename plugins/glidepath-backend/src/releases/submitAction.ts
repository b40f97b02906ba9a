import type {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  ActionRequest,
  Actor,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import type { Request } from 'express';
import type { ActionRunner } from './ActionRunner';
import type { ReleaseService } from './ReleaseService';

const ACTION_SEVERITY = {
  rollback: 'high',
  abort: 'high',
  promote: 'medium',
  pause: 'medium',
  resume: 'medium',
  retry: 'medium',
} as const;

/**
 * The one path every action takes, whether a person asks through the API or
 * the analysis engine decides: audited as `release-action`, recorded once
 * per idempotency key (permission and phase checked for a new request), then
 * run in the background.
 */
export async function submitAction(
  deps: {
    service: ReleaseService;
    runner: ActionRunner;
    auditor: AuditorService;
  },
  options: {
    releaseId: string;
    request: ActionRequest;
    idempotencyKey: string | undefined;
    /** Who asks, resolved inside the audited section (it may fail: 401). */
    caller: () => Promise<{ actor: Actor; credentials: BackstageCredentials }>;
    /** The HTTP request, when a person asked through the API. */
    httpRequest?: Request;
  },
): Promise<{ action: ReleaseAction; created: boolean }> {
  const { service, runner, auditor } = deps;
  const { releaseId, request, idempotencyKey } = options;
  const audit = await auditor.createEvent({
    eventId: 'release-action',
    severityLevel: ACTION_SEVERITY[request?.action as 'rollback'] ?? 'medium',
    request: options.httpRequest,
    meta: {
      releaseId,
      action: request?.action ?? null,
      reason: request?.reason ?? null,
      idempotencyKey: idempotencyKey ?? null,
    },
  });
  try {
    if (!idempotencyKey) {
      throw new InputError(
        'The Idempotency-Key header is required: send a new unique value (for example a UUID) for each intended action, and the same value when retrying it',
      );
    }
    const { actor, credentials } = await options.caller();
    const { action, created } = await service.requestAction({
      releaseId,
      request,
      idempotencyKey,
      actor,
      credentials,
    });
    if (created) {
      runner.enqueue(action).catch(() => {
        // The runner records failures on the action itself.
      });
    }
    await audit.success({
      meta: {
        actionId: action.id,
        entityRef: action.entityRef,
        requestedBy: `${actor.kind}:${actor.ref}`,
        replay: !created,
      },
    });
    return { action, created };
  } catch (error) {
    await audit.fail({ error: error as Error });
    throw error;
  }
}
