import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { GraphDirection } from '@glidepath/backstage-plugin-common';
import type { GlidepathRouter } from '../shared/router';
import { sendEncodedJson } from './EncodedJson';
import type { GraphService, GraphTiming } from './GraphService';

/** The dependency graph and the check of planned version changes. */
export function addGraphRoutes(
  router: GlidepathRouter,
  deps: { graph: GraphService; httpAuth: HttpAuthService },
) {
  const { graph, httpAuth } = deps;

  router.get('/graph', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = req.query as Record<string, unknown>;
    const list = (value: unknown) =>
      value === undefined ? undefined : [value].flat().map(String);
    const { body, timing } = await graph.getGraph(
      {
        entity: query.entity as string | undefined,
        system: query.system as string | undefined,
        domain: query.domain as string | undefined,
        owner: query.owner as string | undefined,
        depth: query.depth === undefined ? undefined : Number(query.depth),
        direction: query.direction as GraphDirection | undefined,
        kind: list(query.kind),
        lifecycle: list(query.lifecycle),
      },
      credentials,
    );
    res.setHeader('Server-Timing', serverTiming(timing));
    await sendEncodedJson(req, res, body);
  });

  router.post('/graph/check', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { result, timing } = await graph.checkChanges(
      req.body.changes,
      credentials,
    );
    res.setHeader('Server-Timing', serverTiming(timing));
    res.json(result);
  });
}

/** The cost of a graph request, in the standard Server-Timing header. */
function serverTiming(timing: GraphTiming): string {
  return [
    `catalog;dur=${timing.catalogMs.toFixed(1)};desc="${
      timing.catalogCalls
    } calls"`,
    `store;dur=${timing.storeMs.toFixed(1)}`,
    `build;dur=${timing.buildMs.toFixed(1)}`,
    ...(timing.cached ? ['cache;desc="hit"'] : []),
  ].join(', ');
}
