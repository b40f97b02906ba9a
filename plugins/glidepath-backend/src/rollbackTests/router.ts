import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { Request } from 'express';
import type { CallerOf } from '../shared/caller';
import { entityRefOf, GlidepathRouter } from '../shared/router';
import type { RollbackTestService } from './RollbackTestService';

/** Rollback tests: run one, list them, override a production gate. */
export function addRollbackTestRoutes(
  router: GlidepathRouter,
  deps: {
    rollbackTests: RollbackTestService;
    callerOf: CallerOf;
    httpAuth: HttpAuthService;
  },
) {
  router.get(
    '/entities/:kind/:namespace/:name/rollback-tests',
    async (req, res) => {
      const httpRequest = req as unknown as Request;
      const items = await deps.rollbackTests.listTests({
        entityRef: entityRefOf(req.params),
        environment: req.query.environment,
        limit: req.query.limit ?? 20,
        credentials: await deps.httpAuth.credentials(httpRequest),
      });
      res.json({ items });
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/rollback-tests',
    async (req, res) => {
      const httpRequest = req as unknown as Request;
      const { test } = await deps.rollbackTests.requestTest({
        entityRef: entityRefOf(req.params),
        request: req.body,
        idempotencyKey: req.header('Idempotency-Key'),
        caller: deps.callerOf(httpRequest),
        httpRequest,
      });
      res.status(202).json(test);
    },
  );

  router.post(
    '/releases/:releaseId/rollback-gate/override',
    async (req, res) => {
      const httpRequest = req as unknown as Request;
      res.json(
        await deps.rollbackTests.overrideGate({
          releaseId: req.params.releaseId,
          request: req.body,
          caller: deps.callerOf(httpRequest),
          httpRequest,
        }),
      );
    },
  );
}
