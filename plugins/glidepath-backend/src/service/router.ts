import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { Actor } from '@glidepath/backstage-plugin-common';
import { Request } from 'express';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { ActionRunner } from './ActionRunner';
import { ReleaseService } from './ReleaseService';

const ACTION_SEVERITY = {
  rollback: 'high',
  abort: 'high',
  promote: 'medium',
  pause: 'medium',
  resume: 'medium',
  retry: 'medium',
} as const;

/** Glidepath's REST API, validated against its OpenAPI spec. */
export async function createRouter(deps: {
  service: ReleaseService;
  runner: ActionRunner;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
}) {
  const { service, runner, httpAuth, auditor } = deps;
  const router = await createOpenApiRouter();

  const entityRefOf = (params: {
    kind: string;
    namespace: string;
    name: string;
  }) => stringifyEntityRef(params);

  router.get('/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await service.getSummary(entityRefOf(req.params), credentials));
  });

  router.get('/entities/:kind/:namespace/:name/releases', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(
      await service.listReleases(
        entityRefOf(req.params),
        {
          limit: Number(req.query.limit ?? 20),
          cursor: req.query.cursor as string | undefined,
        },
        credentials,
      ),
    );
  });

  router.get('/releases/:releaseId', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await service.getRelease(req.params.releaseId, credentials));
  });

  router.post('/releases/:releaseId/actions', async (req, res) => {
    const idempotencyKey = req.header('idempotency-key')?.trim();
    const audit = await auditor.createEvent({
      eventId: 'release-action',
      severityLevel:
        ACTION_SEVERITY[req.body?.action as 'rollback'] ?? 'medium',
      request: req as unknown as Request,
      meta: {
        releaseId: req.params.releaseId,
        action: req.body?.action ?? null,
        reason: req.body?.reason ?? null,
        idempotencyKey: idempotencyKey ?? null,
      },
    });
    try {
      if (!idempotencyKey) {
        throw new InputError(
          'The Idempotency-Key header is required: send a new unique value (for example a UUID) for each intended action, and the same value when retrying it',
        );
      }
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const actor: Actor =
        credentials.principal.type === 'user'
          ? { kind: 'user', ref: credentials.principal.userEntityRef }
          : { kind: 'service', ref: credentials.principal.subject };
      const { action, created } = await service.requestAction({
        releaseId: req.params.releaseId,
        request: req.body,
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
          replay: !created,
        },
      });
      res.status(202).json(action);
    } catch (error) {
      await audit.fail({ error });
      throw error;
    }
  });

  router.get('/actions/:actionId', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await service.getAction(req.params.actionId, credentials));
  });

  return router;
}
