import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { FlagState } from '@glidepath/backstage-plugin-common';
import type { Request } from 'express';
import type { CallerOf } from '../shared/caller';
import { entityRefOf, GlidepathRouter } from '../shared/router';
import type { FlagService } from './FlagService';

/** Feature flags: the inventory, an entity's flags, keep and archive. */
export function addFlagRoutes(
  router: GlidepathRouter,
  deps: { flags: FlagService; httpAuth: HttpAuthService; callerOf: CallerOf },
) {
  const { flags, httpAuth } = deps;
  const list = (value: unknown) =>
    value === undefined ? undefined : [value].flat().map(String);

  router.get('/flags', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = req.query as Record<string, unknown>;
    res.json(
      await flags.listFlags(
        {
          owner: list(query.owner),
          entity: list(query.entity),
          state: list(query.state) as FlagState[] | undefined,
          limit: query.limit === undefined ? undefined : Number(query.limit),
          offset: query.offset === undefined ? undefined : Number(query.offset),
        },
        credentials,
      ),
    );
  });

  router.get('/flags/coverage', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = req.query as Record<string, unknown>;
    res.json(
      await flags.coverage(
        {
          from: query.from === undefined ? undefined : String(query.from),
          to: query.to === undefined ? undefined : String(query.to),
        },
        credentials,
      ),
    );
  });

  router.get('/flags/summary', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await flags.summary(credentials));
  });

  router.get('/entities/:kind/:namespace/:name/flags', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await flags.getEntityFlags(entityRefOf(req.params), credentials));
  });

  router.post(
    '/entities/:kind/:namespace/:name/flags/:flagId/keep',
    async (req, res) => {
      const httpRequest = req as unknown as Request;
      res.json(
        await flags.keepFlag({
          entityRef: entityRefOf(req.params),
          flagId: req.params.flagId,
          request: req.body,
          caller: deps.callerOf(httpRequest),
          httpRequest,
        }),
      );
    },
  );

  router.post(
    '/entities/:kind/:namespace/:name/flags/:flagId/archive',
    async (req, res) => {
      const httpRequest = req as unknown as Request;
      res.json(
        await flags.archiveFlag({
          entityRef: entityRefOf(req.params),
          flagId: req.params.flagId,
          request: req.body,
          caller: deps.callerOf(httpRequest),
          httpRequest,
        }),
      );
    },
  );
}
