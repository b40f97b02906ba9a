import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { Request } from 'express';
import type { CallerOf } from '../shared/caller';
import { entityRefOf, GlidepathRouter } from '../shared/router';
import type { PlanService } from './PlanService';

/** Release plans: make one, read them, pause, resume, abort, break a freeze. */
export function addPlanRoutes(
  router: GlidepathRouter,
  deps: { plans: PlanService; callerOf: CallerOf; httpAuth: HttpAuthService },
) {
  // Reads show only the plans whose members the caller may read.
  router.get('/plans', async (req, res) => {
    res.json(
      await deps.plans.listPlans(
        {
          state: req.query.state,
          entityRef: req.query.entity,
          limit: req.query.limit,
        },
        await deps.httpAuth.credentials(req),
      ),
    );
  });

  router.post('/plans', async (req, res) => {
    const httpRequest = req as unknown as Request;
    const { plan, created } = await deps.plans.createPlan({
      request: req.body,
      idempotencyKey: req.header('Idempotency-Key')?.trim(),
      caller: deps.callerOf(httpRequest),
      httpRequest,
    });
    res.status(created ? 201 : 200).json(plan);
  });

  router.get('/plans/:planId', async (req, res) => {
    res.json(
      await deps.plans.getPlan(
        req.params.planId,
        await deps.httpAuth.credentials(req),
      ),
    );
  });

  router.post('/plans/:planId/:control', async (req, res) => {
    const httpRequest = req as unknown as Request;
    res.json(
      await deps.plans.controlPlan({
        planId: req.params.planId,
        control: req.params.control,
        request: req.body,
        caller: deps.callerOf(httpRequest),
        httpRequest,
      }),
    );
  });

  router.get('/entities/:kind/:namespace/:name/plans', async (req, res) => {
    res.json(
      await deps.plans.entityPlans(
        entityRefOf(req.params),
        await deps.httpAuth.credentials(req),
      ),
    );
  });
}
