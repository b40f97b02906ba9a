import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { Actor } from '@glidepath/backstage-plugin-common';
import { Request } from 'express';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { ActionRunner } from './ActionRunner';
import { ReleaseService } from './ReleaseService';
import { submitAction } from './submitAction';

/** Glidepath's REST API, validated against its OpenAPI spec. */
export async function createRouter(deps: {
  service: ReleaseService;
  runner: ActionRunner;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
}) {
  const { service, httpAuth } = deps;
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
    const { action } = await submitAction(deps, {
      releaseId: req.params.releaseId,
      request: req.body,
      idempotencyKey: req.header('idempotency-key')?.trim(),
      httpRequest: req as unknown as Request,
      caller: async () => {
        const credentials = await httpAuth.credentials(req, {
          allow: ['user', 'service'],
        });
        const actor: Actor =
          credentials.principal.type === 'user'
            ? { kind: 'user', ref: credentials.principal.userEntityRef }
            : { kind: 'service', ref: credentials.principal.subject };
        return { actor, credentials };
      },
    });
    res.status(202).json(action);
  });

  router.get('/actions/:actionId', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await service.getAction(req.params.actionId, credentials));
  });

  return router;
}
