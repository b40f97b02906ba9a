import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { Request } from 'express';
import type { CallerOf } from '../shared/caller';
import { entityRefOf, GlidepathRouter } from '../shared/router';
import type { GameDayService } from './GameDayService';

/** Game days and the drills' records. */
export function addGameDayRoutes(
  router: GlidepathRouter,
  deps: {
    gameDays: GameDayService;
    callerOf: CallerOf;
    httpAuth: HttpAuthService;
  },
) {
  router.get('/game-days', async (req, res) => {
    const httpRequest = req as unknown as Request;
    const items = await deps.gameDays.listGameDays({
      limit: req.query.limit ?? 50,
      credentials: await deps.httpAuth.credentials(httpRequest),
    });
    res.json({ items });
  });

  router.post('/game-days', async (req, res) => {
    const httpRequest = req as unknown as Request;
    const { gameDay } = await deps.gameDays.createGameDay({
      request: req.body,
      idempotencyKey: req.header('Idempotency-Key'),
      caller: deps.callerOf(httpRequest),
      httpRequest,
    });
    res.status(201).json(gameDay);
  });

  router.get('/game-days/:gameDayId', async (req, res) => {
    const httpRequest = req as unknown as Request;
    res.json(
      await deps.gameDays.getGameDay({
        id: req.params.gameDayId,
        credentials: await deps.httpAuth.credentials(httpRequest),
      }),
    );
  });

  router.put('/game-days/:gameDayId/outcome', async (req, res) => {
    const httpRequest = req as unknown as Request;
    res.json(
      await deps.gameDays.setOutcome({
        id: req.params.gameDayId,
        request: req.body,
        caller: deps.callerOf(httpRequest),
        httpRequest,
      }),
    );
  });

  router.get('/drills/teams', async (req, res) => {
    const httpRequest = req as unknown as Request;
    res.json(
      await deps.gameDays.teamStats({
        days: req.query.days ?? 90,
        credentials: await deps.httpAuth.credentials(httpRequest),
      }),
    );
  });

  router.get(
    '/entities/:kind/:namespace/:name/drill-history',
    async (req, res) => {
      const httpRequest = req as unknown as Request;
      const items = await deps.gameDays.listEntityDrills({
        entityRef: entityRefOf(req.params),
        limit: req.query.limit ?? 20,
        credentials: await deps.httpAuth.credentials(httpRequest),
      });
      res.json({ items });
    },
  );
}
