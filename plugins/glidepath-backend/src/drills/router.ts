import type { Request } from 'express';
import type { CallerOf } from '../shared/caller';
import { entityRefOf, GlidepathRouter } from '../shared/router';
import type { DrillService } from './DrillService';

/** Rollback drills: a fault scheduled into an entity's next release. */
export function addDrillRoutes(
  router: GlidepathRouter,
  deps: { drills: DrillService; callerOf: CallerOf },
) {
  router.post('/entities/:kind/:namespace/:name/drills', async (req, res) => {
    const httpRequest = req as unknown as Request;
    res.status(202).json(
      await deps.drills.scheduleDrill({
        entityRef: entityRefOf(req.params),
        request: req.body,
        httpRequest,
        caller: deps.callerOf(httpRequest),
      }),
    );
  });
}
