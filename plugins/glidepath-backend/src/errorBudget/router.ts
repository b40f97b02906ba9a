import type { Request } from 'express';
import type { CallerOf } from '../shared/caller';
import type { GlidepathRouter } from '../shared/router';
import type { ErrorBudgetService } from './ErrorBudgetService';

/** The error-budget policy: marking a release as a fix. */
export function addErrorBudgetRoutes(
  router: GlidepathRouter,
  deps: { errorBudget: ErrorBudgetService; callerOf: CallerOf },
) {
  router.post('/releases/:releaseId/fix', async (req, res) => {
    const httpRequest = req as unknown as Request;
    res.json(
      await deps.errorBudget.markAsFix({
        releaseId: req.params.releaseId,
        request: req.body,
        caller: deps.callerOf(httpRequest),
        httpRequest,
      }),
    );
  });
}
