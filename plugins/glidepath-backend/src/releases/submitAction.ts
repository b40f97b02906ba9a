import type {
  AuditorService,
  AuthService,
} from '@backstage/backend-plugin-api';
import type {
  ActionRequest,
  ActionType,
  Actor,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import type { Request } from 'express';
import { audited } from '../shared/authorize';
import type { Caller } from '../shared/caller';
import type { ActionRunner } from './ActionRunner';
import type { ReleaseService } from './ReleaseService';
import { requireIdempotencyKey } from '../shared/idempotencyKey';

/** What the engine needs to request an action through the common path. */
export type ActionSubmitter = (options: {
  releaseId: string;
  action: ActionType;
  reason: string;
  idempotencyKey: string;
  actor: Actor;
}) => Promise<{ actionId: string; created: boolean }>;

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
    caller: () => Promise<Caller>;
    /** The HTTP request, when a person asked through the API. */
    httpRequest?: Request;
  },
): Promise<{ action: ReleaseAction; created: boolean }> {
  const { service, runner, auditor } = deps;
  const { releaseId, request, idempotencyKey } = options;
  return audited(
    auditor,
    {
      eventId: 'release-action',
      severityLevel: ACTION_SEVERITY[request?.action as 'rollback'] ?? 'medium',
      request: options.httpRequest,
      meta: {
        releaseId,
        action: request?.action ?? null,
        reason: request?.reason ?? null,
        idempotencyKey: idempotencyKey ?? null,
      },
    },
    async () => {
      const requiredKey = requireIdempotencyKey(
        idempotencyKey,
        'intended action',
      );
      const { actor, credentials } = await options.caller();
      const { action, created } = await service.requestAction({
        releaseId,
        request,
        idempotencyKey: requiredKey,
        actor,
        credentials,
      });
      // A new action runs now; a retry of one that has not finished (its
      // runner died) resumes it, unless a runner still holds it.
      if (created || !isFinished(action)) {
        runner.enqueue(action).catch(() => {
          // The runner records failures on the action itself.
        });
      }
      return {
        result: { action, created },
        meta: {
          actionId: action.id,
          entityRef: action.entityRef,
          requestedBy: `${actor.kind}:${actor.ref}`,
          replay: !created,
        },
      };
    },
  );
}

/**
 * The engine's way to act: {@link submitAction} on behalf of its policy
 * actor, with the plugin's own service credentials.
 */
export function policySubmitter(deps: {
  service: ReleaseService;
  runner: ActionRunner;
  auditor: AuditorService;
  auth: AuthService;
}): ActionSubmitter {
  return async request => {
    const { action, created } = await submitAction(deps, {
      releaseId: request.releaseId,
      request: { action: request.action, reason: request.reason },
      idempotencyKey: request.idempotencyKey,
      caller: async () => ({
        actor: request.actor,
        credentials: await deps.auth.getOwnServiceCredentials(),
      }),
    });
    return { actionId: action.id, created };
  };
}

function isFinished(action: ReleaseAction): boolean {
  return action.state === 'succeeded' || action.state === 'failed';
}
