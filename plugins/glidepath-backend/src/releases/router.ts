import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import type { Request } from 'express';
import type { CallerOf } from '../shared/caller';
import { entityRefOf, GlidepathRouter } from '../shared/router';
import type { ActionRunner } from './ActionRunner';
import type { ReleaseService } from './ReleaseService';
import { submitAction } from './submitAction';

/** Releases: an entity's summary and history, one release, its actions. */
export function addReleaseRoutes(
  router: GlidepathRouter,
  deps: {
    service: ReleaseService;
    runner: ActionRunner;
    auditor: AuditorService;
    httpAuth: HttpAuthService;
    /** Who steers: see releaseControlCallers. */
    callerOf: CallerOf;
  },
) {
  const { service, httpAuth } = deps;

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
          environment: req.query.environment as string | undefined,
        },
        credentials,
      ),
    );
  });

  router.get('/releases', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(
      await service.listInFlight(Number(req.query.limit ?? 50), credentials),
    );
  });

  router.get('/releases/:releaseId', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await service.getRelease(req.params.releaseId, credentials));
  });

  router.post('/releases/:releaseId/actions', async (req, res) => {
    const httpRequest = req as unknown as Request;
    const { action } = await submitAction(deps, {
      releaseId: req.params.releaseId,
      request: req.body,
      idempotencyKey: req.header('idempotency-key')?.trim(),
      httpRequest,
      caller: deps.callerOf(httpRequest),
    });
    res.status(202).json(action);
  });

  router.get('/actions/:actionId', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await service.getAction(req.params.actionId, credentials));
  });
}
