import type {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { JudgePolicy } from './analysis/judge';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  Actor,
  doraCsv,
  DoraQuery,
  DoraWeeklyReport,
  GraphDirection,
  glidepathEventsCreatePermission,
} from '@glidepath/backstage-plugin-common';
import express, { Request, Response } from 'express';

/** The largest request body: a batch of 1,000 events fits. */
export const MAX_BODY = '4mb';
import { createOpenApiRouter } from './schema/openapi.generated';
import { ActionRunner } from './releases/ActionRunner';
import { Caller, ChecklistService } from './checklists/ChecklistService';
import { DrillService } from './drills/DrillService';
import { DoraService, toDoraResponse } from './dora/DoraService';
import {
  DoraWeeklyReports,
  WeeklyReportContent,
} from './dora/DoraWeeklyReports';
import { sendEncodedJson } from './graph/EncodedJson';
import { GraphService, GraphTiming } from './graph/GraphService';
import { ReleaseService } from './releases/ReleaseService';
import { submitAction } from './releases/submitAction';

/** Glidepath's REST API, validated against its OpenAPI spec. */
export async function createRouter(deps: {
  service: ReleaseService;
  checklists: ChecklistService;
  drills: DrillService;
  /** The rollback policies by name, as the engine applies them. */
  policies: ReadonlyMap<string, JudgePolicy>;
  graph: GraphService;
  runner: ActionRunner;
  dora: DoraService;
  reports: DoraWeeklyReports;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}) {
  const { service, httpAuth } = deps;
  // Event batches (up to 1,000 events) are larger than express's 100 KB.
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: MAX_BODY })],
  });

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

  /** Who asks for a mutation: a user, or a service acting on its own. */
  const callerOf = (req: unknown) => async (): Promise<Caller> => {
    const credentials = await httpAuth.credentials(req as Request, {
      allow: ['user', 'service'],
    });
    const actor: Actor =
      credentials.principal.type === 'user'
        ? { kind: 'user', ref: credentials.principal.userEntityRef }
        : { kind: 'service', ref: credentials.principal.subject };
    return { actor, credentials };
  };

  router.post('/releases/:releaseId/actions', async (req, res) => {
    const { action } = await submitAction(deps, {
      releaseId: req.params.releaseId,
      request: req.body,
      idempotencyKey: req.header('idempotency-key')?.trim(),
      httpRequest: req as unknown as Request,
      caller: callerOf(req),
    });
    res.status(202).json(action);
  });

  router.post(
    '/entities/:kind/:namespace/:name/checklists',
    async (req, res) => {
      const { checklist, created } = await deps.checklists.createChecklist({
        entityRef: entityRefOf(req.params),
        request: req.body,
        idempotencyKey: req.header('idempotency-key')?.trim(),
        httpRequest: req as unknown as Request,
        caller: callerOf(req),
      });
      // A repeat of the same request answers as the first one did.
      res.status(201).setHeader('X-Glidepath-Replay', String(!created));
      res.json(checklist);
    },
  );

  router.post('/entities/:kind/:namespace/:name/drills', async (req, res) => {
    res.status(202).json(
      await deps.drills.scheduleDrill({
        entityRef: entityRefOf(req.params),
        request: req.body,
        httpRequest: req as unknown as Request,
        caller: callerOf(req),
      }),
    );
  });

  router.get('/checklists/:checklistId', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(
      await deps.checklists.getChecklist(req.params.checklistId, credentials),
    );
  });

  router.put('/checklists/:checklistId/items/:itemId', async (req, res) => {
    res.json(
      await deps.checklists.setItem({
        checklistId: req.params.checklistId,
        itemId: req.params.itemId,
        checked: req.body.checked,
        note: req.body.note,
        httpRequest: req as unknown as Request,
        caller: callerOf(req),
      }),
    );
  });

  router.get('/actions/:actionId', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(await service.getAction(req.params.actionId, credentials));
  });

  router.get('/policies/:policyName', async (req, res) => {
    await httpAuth.credentials(req);
    const policy = deps.policies.get(req.params.policyName);
    if (!policy) {
      throw new NotFoundError(
        `No rollback policy "${
          req.params.policyName
        }" in glidepath.analysis.policies (known: ${[
          ...deps.policies.keys(),
        ].join(', ')})`,
      );
    }
    const { name, errorRate, latency, healthChecks, burnRate } = policy;
    res.json({
      name,
      errorRate,
      latency,
      healthChecks,
      burnRate: { enabled: burnRate.enabled, windows: [...burnRate.windows] },
    });
  });

  router.get('/graph', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = req.query as Record<string, unknown>;
    const list = (value: unknown) =>
      value === undefined ? undefined : [value].flat().map(String);
    const { body, timing } = await deps.graph.getGraph(
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
    const { result, timing } = await deps.graph.checkChanges(
      req.body.changes,
      credentials,
    );
    res.setHeader('Server-Timing', serverTiming(timing));
    res.json(result);
  });

  /** Audited: who posted what, and what was stored or why it was refused. */
  const receiveEvents = async (
    type: 'deployments' | 'incidents',
    req: Request,
  ) => {
    const audit = await deps.auditor.createEvent({
      eventId: 'dora-events',
      severityLevel: 'low',
      request: req,
      meta: { type, events: eventCount(req.body) },
    });
    try {
      const credentials = await httpAuth.credentials(req, {
        allow: ['service'],
      });
      const [decision] = await deps.permissions.authorize(
        [{ permission: glidepathEventsCreatePermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Posting events needs the permission ${glidepathEventsCreatePermission.name}`,
        );
      }
      const result =
        type === 'deployments'
          ? await deps.dora.ingestDeployments(req.body)
          : await deps.dora.ingestIncidents(req.body);
      await audit.success({
        meta: {
          created: result.created,
          updated: result.updated,
          unchanged: result.unchanged,
          unmatched: result.unmatched,
        },
      });
      return result;
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  };

  router.post('/events/deployments', async (req, res) => {
    res.json(await receiveEvents('deployments', req as unknown as Request));
  });

  router.post('/events/incidents', async (req, res) => {
    res.json(await receiveEvents('incidents', req as unknown as Request));
  });

  router.get('/events/unmatched', async (req, res) => {
    await httpAuth.credentials(req);
    const items = await deps.dora.listUnmatched(Number(req.query.limit ?? 100));
    res.json({ items });
  });

  router.get('/dora', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = req.query as DoraQuery & { format?: string };
    const answer = await deps.dora.getDora(query, credentials);
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
    const reports = await deps.reports.list(
      req.query.owner as string | undefined,
      Number(req.query.limit ?? 26),
      credentials,
    );
    res.json({
      items: reports.map(report => {
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
    const report = await deps.reports.get(req.params.reportId, credentials);
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

  return router;
}

function eventCount(body: unknown): number {
  const events = (body as { events?: unknown } | undefined)?.events;
  return Array.isArray(events) ? events.length : 1;
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
