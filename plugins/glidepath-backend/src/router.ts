import express from 'express';
import { createOpenApiRouter } from './schema/openapi.generated';
import { addAnalysisRoutes } from './analysis/router';
import { addCalendarRoutes } from './calendar/router';
import { addChecklistRoutes } from './checklists/router';
import { addDoraRoutes } from './dora/router';
import { addDrillRoutes } from './drills/router';
import { addErrorBudgetRoutes } from './errorBudget/router';
import { addFlagRoutes } from './flags/router';
import { addGameDayRoutes } from './gameDays/router';
import { addGraphRoutes } from './graph/router';
import { addPlanRoutes } from './plans/router';
import { addReleaseMetricsRoutes } from './releaseMetrics/router';
import { addReleaseRoutes } from './releases/router';
import { addRollbackTestRoutes } from './rollbackTests/router';
import { finishRouter, guardRequests } from './shared/badInput';

/** The largest request body: a batch of 1,000 events fits. */
export const MAX_BODY = '4mb';

/**
 * Glidepath's REST API, validated against its OpenAPI spec: each
 * capability's routes, from its own folder.
 */
export async function createRouter(
  deps: Parameters<typeof addReleaseRoutes>[1] &
    Parameters<typeof addChecklistRoutes>[1] &
    Parameters<typeof addDrillRoutes>[1] &
    Parameters<typeof addGameDayRoutes>[1] &
    Parameters<typeof addAnalysisRoutes>[1] &
    Parameters<typeof addGraphRoutes>[1] &
    Parameters<typeof addDoraRoutes>[1] &
    Parameters<typeof addFlagRoutes>[1] &
    Parameters<typeof addRollbackTestRoutes>[1] &
    Parameters<typeof addCalendarRoutes>[1] &
    Parameters<typeof addPlanRoutes>[1] &
    Parameters<typeof addErrorBudgetRoutes>[1] &
    Parameters<typeof addReleaseMetricsRoutes>[1],
) {
  // Event batches (up to 1,000 events) are larger than express's 100 KB.
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: MAX_BODY })],
  });
  // Bad input is refused with a 4xx naming the field: shared/badInput.ts.
  guardRequests(router as any);
  addReleaseRoutes(router, deps);
  addChecklistRoutes(router, deps);
  addDrillRoutes(router, deps);
  addGameDayRoutes(router, deps);
  addAnalysisRoutes(router, deps);
  addGraphRoutes(router, deps);
  addDoraRoutes(router, deps);
  addFlagRoutes(router, deps);
  addRollbackTestRoutes(router, deps);
  addCalendarRoutes(router, deps);
  addPlanRoutes(router, deps);
  addErrorBudgetRoutes(router, deps);
  addReleaseMetricsRoutes(router, deps);
  finishRouter(router as any);
  return router;
}
