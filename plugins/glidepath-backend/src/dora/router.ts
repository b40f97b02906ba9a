import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  doraCsv,
  DoraQuery,
  DoraWeeklyReport,
  glidepathEventsCreatePermission,
} from '@glidepath/backstage-plugin-common';
import type { Request, Response } from 'express';
import { audited, requirePermission } from '../shared/authorize';
import type { GlidepathRouter } from '../shared/router';
import type { DoraIngestion } from './DoraIngestion';
import type { DoraService } from './DoraService';
import { toDoraResponse } from './response';
import type {
  DoraWeeklyReports,
  WeeklyReportContent,
} from './DoraWeeklyReports';

/**
 * DORA: deployment and incident events in, metrics (JSON and CSV) and the
 * weekly reports out.
 */
export function addDoraRoutes(
  router: GlidepathRouter,
  deps: {
    dora: DoraService;
    ingestion: DoraIngestion;
    reports: DoraWeeklyReports;
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    auditor: AuditorService;
  },
) {
  const { dora, ingestion, reports, httpAuth } = deps;

  /** Audited: who posted what, and what was stored or why it was refused. */
  const receiveEvents = (type: 'deployments' | 'incidents', req: Request) =>
    audited(
      deps.auditor,
      {
        eventId: 'dora-events',
        severityLevel: 'low',
        request: req,
        meta: { type, events: eventCount(req.body) },
      },
      async () => {
        const credentials = await httpAuth.credentials(req, {
          allow: ['service'],
        });
        await requirePermission(deps.permissions, {
          permission: glidepathEventsCreatePermission,
          credentials,
          refusal: `Posting events needs the permission ${glidepathEventsCreatePermission.name}`,
        });
        const result =
          type === 'deployments'
            ? await ingestion.ingestDeployments(req.body)
            : await ingestion.ingestIncidents(req.body);
        return {
          result,
          meta: {
            created: result.created,
            updated: result.updated,
            unchanged: result.unchanged,
            unmatched: result.unmatched,
          },
        };
      },
    );

  router.post('/events/deployments', async (req, res) => {
    res.json(await receiveEvents('deployments', req as unknown as Request));
  });

  router.post('/events/incidents', async (req, res) => {
    res.json(await receiveEvents('incidents', req as unknown as Request));
  });

  router.get('/events/unmatched', async (req, res) => {
    await httpAuth.credentials(req);
    const items = await ingestion.listUnmatched(Number(req.query.limit ?? 100));
    res.json({ items });
  });

  router.get('/dora', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = req.query as DoraQuery & { format?: string };
    const answer = await dora.getDora(query, credentials);
    if (query.format === 'csv') {
      const scope = answer.scope.ref ?? 'all';
      // The spec's text/csv response; the typed router knows only JSON.
      const plain = res as unknown as Response;
      plain.setHeader('Content-Type', 'text/csv; charset=utf-8');
      plain.setHeader(
        'Content-Disposition',
        `attachment; filename="dora-${scope.replace(/[^a-z0-9-]+/gi, '_')}-${
          answer.report.bucket
        }.csv"`,
      );
      plain.send(doraCsv(answer.report, scope));
      return;
    }
    res.json(toDoraResponse(answer));
  });

  router.get('/dora/reports', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const list = await reports.list(
      req.query.owner as string | undefined,
      Number(req.query.limit ?? 26),
      credentials,
    );
    res.json({
      items: list.map(report => {
        const { summary } = report.content as WeeklyReportContent;
        return {
          id: report.id,
          ownerRef: report.ownerRef,
          periodStart: report.periodStart.toISOString(),
          periodEnd: report.periodEnd.toISOString(),
          createdAt: report.createdAt.toISOString(),
          deployments: summary.deployments,
          changeFailureRate: summary.changeFailureRate.rate,
        };
      }),
    });
  });

  router.get('/dora/reports/:reportId', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const report = await reports.get(req.params.reportId, credentials);
    const body: DoraWeeklyReport = {
      id: report.id,
      ownerRef: report.ownerRef,
      periodStart: report.periodStart.toISOString(),
      periodEnd: report.periodEnd.toISOString(),
      createdAt: report.createdAt.toISOString(),
      ...(report.content as WeeklyReportContent),
    };
    res.json(body);
  });
}

function eventCount(body: unknown): number {
  const events = (body as { events?: unknown } | undefined)?.events;
  return Array.isArray(events) ? events.length : 1;
}
