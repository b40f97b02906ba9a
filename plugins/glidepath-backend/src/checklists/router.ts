import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { Request } from 'express';
import type { CallerOf } from '../shared/caller';
import { entityRefOf, GlidepathRouter } from '../shared/router';
import type { ChecklistService } from './ChecklistService';

/** Release checklists: attach one, read it, tick its items. */
export function addChecklistRoutes(
  router: GlidepathRouter,
  deps: {
    checklists: ChecklistService;
    httpAuth: HttpAuthService;
    callerOf: CallerOf;
  },
) {
  const { checklists, httpAuth } = deps;

  router.post(
    '/entities/:kind/:namespace/:name/checklists',
    async (req, res) => {
      const httpRequest = req as unknown as Request;
      const { checklist, created } = await checklists.createChecklist({
        entityRef: entityRefOf(req.params),
        request: req.body,
        idempotencyKey: req.header('idempotency-key')?.trim(),
        httpRequest,
        caller: deps.callerOf(httpRequest),
      });
      // A repeat of the same request answers as the first one did.
      res.status(201).setHeader('X-Glidepath-Replay', String(!created));
      res.json(checklist);
    },
  );

  router.get('/checklists/:checklistId', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(
      await checklists.getChecklist(req.params.checklistId, credentials),
    );
  });

  router.put('/checklists/:checklistId/items/:itemId', async (req, res) => {
    const httpRequest = req as unknown as Request;
    res.json(
      await checklists.setItem({
        checklistId: req.params.checklistId,
        itemId: req.params.itemId,
        checked: req.body.checked,
        note: req.body.note,
        httpRequest,
        caller: deps.callerOf(httpRequest),
      }),
    );
  });
}
