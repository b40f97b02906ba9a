import type { HttpAuthService } from '@backstage/backend-plugin-api';
import type { Request, Response } from 'express';
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

  // Opened by calendar apps, which cannot send a Backstage token: with a
  // feed link's token when glidepath.calendar.feeds.secret is set (the
  // plugin then lets this one path through without a token), else with
  // the caller's credentials. docs/calendar.md says why.
  router.get('/calendar/feed.ics', async (req, res) => {
    const httpRequest = req as unknown as Request;
    const query = req.query as { owner?: string; token?: string };
    const feed = await deps.calendar.feed({
      owner: query.owner,
      token: query.token,
      credentials: () =>
        deps.httpAuth.credentials(httpRequest, { allow: ['user', 'service'] }),
    });
    // The spec's text/calendar response; the typed router knows only JSON.
    const plain = res as unknown as Response;
    plain.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    plain.setHeader(
      'Content-Disposition',
      `inline; filename="${
        query.owner
          ? `release-calendar-${query.owner.replace(/[^a-z0-9-]+/gi, '_')}`
          : 'release-calendar'
      }.ics"`,
    );
    plain.setHeader('Cache-Control', 'private, max-age=300');
    plain.send(feed.text);
  });

  router.get('/calendar/feed-link', async (req, res) => {
    const httpRequest = req as unknown as Request;
    res.json(
      await deps.calendar.feedLink({
        owner: (req.query as { owner?: string }).owner,
        credentials: await deps.httpAuth.credentials(httpRequest),
      }),
    );
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
