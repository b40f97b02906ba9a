import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { GlidepathRouter } from '../shared/router';
import type { JudgePolicy } from './judge';

/** Rollback policies, as the analysis engine applies them. */
export function addAnalysisRoutes(
  router: GlidepathRouter,
  deps: {
    /** The rollback policies by name. */
    policies: ReadonlyMap<string, JudgePolicy>;
    httpAuth: HttpAuthService;
  },
) {
  const { policies, httpAuth } = deps;

  router.get('/policies/:policyName', async (req, res) => {
    await httpAuth.credentials(req);
    const policy = policies.get(req.params.policyName);
    if (!policy) {
      throw new NotFoundError(
        `No rollback policy "${
          req.params.policyName
        }" in glidepath.analysis.policies (known: ${[...policies.keys()].join(
          ', ',
        )})`,
      );
    }
    const { name, warmupSeconds, errorRate, latency, healthChecks, burnRate } =
      policy;
    res.json({
      name,
      warmupSeconds,
      errorRate,
      latency,
      healthChecks,
      burnRate: { enabled: burnRate.enabled, windows: [...burnRate.windows] },
    });
  });
}
