import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { Request } from 'express';
import type { CallerOf } from '../shared/caller';
import { entityRefOf, GlidepathRouter } from '../shared/router';
import type { CalendarService } from './CalendarService';

/** The release calendar: freeze windows, trains, an entity's freeze state, break-glass. */
export function addCalendarRoutes(
  router: GlidepathRouter,
  deps: {
    calendar: CalendarService;
    callerOf: CallerOf;
    httpAuth: HttpAuthService;
  },
) {
  router.get('/calendar/windows', async (req, res) => {
    await deps.httpAuth.credentials(req as unknown as Request);
    res.json({ items: await deps.calendar.listWindows() });
  });

  router.post('/calendar/windows', async (req, res) => {
    const httpRequest = req as unknown as Request;
    res.status(201).json(
      await deps.calendar.createWindow({
        request: req.body,
        idempotencyKey: req.header('Idempotency-Key'),
        caller: deps.callerOf(httpRequest),
        httpRequest,
      }),
    );
  });

  router.delete('/calendar/windows/:windowId', async (req, res) => {
    const httpRequest = req as unknown as Request;
    await deps.calendar.deleteWindow({
      windowId: req.params.windowId,
      caller: deps.callerOf(httpRequest),
      httpRequest,
    });
    res.status(204).end();
  });

  router.get('/calendar/trains', async (req, res) => {
    await deps.httpAuth.credentials(req as unknown as Request);
    res.json({ items: await deps.calendar.listTrains() });
  });

  router.post('/calendar/trains', async (req, res) => {
    const httpRequest = req as unknown as Request;
    res.status(201).json(
      await deps.calendar.createTrain({
        request: req.body,
        idempotencyKey: req.header('Idempotency-Key'),
        caller: deps.callerOf(httpRequest),
        httpRequest,
      }),
    );
  });

  router.delete('/calendar/trains/:trainId', async (req, res) => {
    const httpRequest = req as unknown as Request;
    await deps.calendar.deleteTrain({
      trainId: req.params.trainId,
      caller: deps.callerOf(httpRequest),
      httpRequest,
    });
    res.status(204).end();
  });

  router.get('/entities/:kind/:namespace/:name/calendar', async (req, res) => {
    const httpRequest = req as unknown as Request;
    res.json(
      await deps.calendar.entityCalendar(
        entityRefOf(req.params),
        await deps.httpAuth.credentials(httpRequest),
      ),
    );
  });

  router.post('/releases/:releaseId/freeze-override', async (req, res) => {
    const httpRequest = req as unknown as Request;
    res.json(
      await deps.calendar.overrideFreeze({
        releaseId: req.params.releaseId,
        request: req.body,
        caller: deps.callerOf(httpRequest),
        httpRequest,
      }),
    );
  });
}
