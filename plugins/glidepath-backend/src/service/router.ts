import type {
  AuditorService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { Actor, GraphDirection } from '@glidepath/backstage-plugin-common';
import { Request } from 'express';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { ActionRunner } from './ActionRunner';
import { GraphService, GraphTiming } from './GraphService';
import { ReleaseService } from './ReleaseService';
import { submitAction } from './submitAction';

/** Glidepath's REST API, validated against its OpenAPI spec. */
export async function createRouter(deps: {
  service: ReleaseService;
  graph: GraphService;
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

  router.get('/graph', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = req.query as Record<string, unknown>;
    const list = (value: unknown) =>
      value === undefined ? undefined : [value].flat().map(String);
    const { graph, timing } = await deps.graph.getGraph(
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
    res.json(graph);
  });

  router.post('/graph/check', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { result, timing } = await deps.graph.checkChanges(
      req.body.changes,
      credentials,
    );
    res.setHeader('Server-Timing', serverTiming(timing));
    res.json(result);
  });

  return router;
}

/** The cost of a graph request, in the standard Server-Timing header. */
function serverTiming(timing: GraphTiming): string {
  return [
    `catalog;dur=${timing.catalogMs.toFixed(1)};desc="${
      timing.catalogCalls
    } calls"`,
    `store;dur=${timing.storeMs.toFixed(1)}`,
    `build;dur=${timing.buildMs.toFixed(1)}`,
  ].join(', ');
}
