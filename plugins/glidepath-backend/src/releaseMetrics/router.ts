import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { ReleaseMetricsQuery } from '@glidepath/backstage-plugin-common';
import type { GlidepathRouter } from '../shared/router';
import type { ReleaseMetricsService } from './ReleaseMetricsService';

/** GET /release-metrics: the three release metrics of a scope. */
export function addReleaseMetricsRoutes(
  router: GlidepathRouter,
  deps: { releaseMetrics: ReleaseMetricsService; httpAuth: HttpAuthService },
) {
  router.get('/release-metrics', async (req, res) => {
    const credentials = await deps.httpAuth.credentials(req);
    res.json(
      await deps.releaseMetrics.getReleaseMetrics(
        req.query as ReleaseMetricsQuery,
        credentials,
      ),
    );
  });
}
