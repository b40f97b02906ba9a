// ******************************************************************
// * THIS IS A GENERATED FILE. DO NOT EDIT IT.                       *
// * Edit plugins/glidepath-backend/src/schema/openapi.yaml and run  *
// * `yarn generate:openapi`.                                        *
// ******************************************************************

import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'glidepath',
    version: '1',
    description:
      "Glidepath's release API: the releases of catalog entities as their rollout providers report them, and the actions (rollback, promote, pause, resume, abort, retry) people and policies take on them.",
    license: {
      name: 'Apache-2.0',
      url: 'http://www.apache.org/licenses/LICENSE-2.0.html',
    },
  },
  servers: [
    {
      url: '/',
    },
  ],
  tags: [
    {
      name: 'releases',
    },
    {
      name: 'actions',
    },
    {
      name: 'graph',
    },
    {
      name: 'dora',
    },
    {
      name: 'checklists',
    },
    {
      name: 'flags',
    },
    {
      name: 'rollback-tests',
    },
    {
      name: 'calendar',
    },
    {
      name: 'game-days',
    },
    {
      name: 'plans',
    },
  ],
  paths: {
    '/entities/{kind}/{namespace}/{name}': {
      get: {
        operationId: 'GetEntityReleaseSummary',
        tags: ['releases'],
        description:
          "The entity's release summary: its current release, the most recent ones, and the problems found in its Glidepath annotations.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'The summary.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/EntityReleaseSummary',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/releases': {
      get: {
        operationId: 'ListEntityReleases',
        tags: ['releases'],
        description:
          "The entity's release history, newest first; of one environment with `environment`.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 20,
            },
          },
          {
            name: 'cursor',
            in: 'query',
            required: false,
            description: 'The nextCursor of the previous page.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'environment',
            in: 'query',
            required: false,
            description:
              'Only the releases that went to this environment, e.g. `staging` (keep it with the nextCursor of its pages).',
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 100,
            },
          },
        ],
        responses: {
          '200': {
            description: 'One page of releases.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ReleasePage',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/releases': {
      get: {
        operationId: 'ListReleasesInFlight',
        tags: ['releases'],
        description:
          "The releases in flight across the catalog right now (progressing or paused), newest first, each with its entity's title and owner; only those of entities the caller may read.",
        parameters: [
          {
            name: 'state',
            in: 'query',
            required: true,
            description: 'Which releases; only those in flight for now.',
            schema: {
              type: 'string',
              enum: ['in_flight'],
            },
          },
          {
            name: 'limit',
            in: 'query',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 200,
              default: 50,
            },
          },
        ],
        responses: {
          '200': {
            description: 'The releases in flight.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ReleasesInFlight',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/releases/{releaseId}': {
      get: {
        operationId: 'GetRelease',
        tags: ['releases'],
        description:
          'One release with its steps, events, actions and the analyses of its canary (oldest first, at most the latest 500).',
        parameters: [
          {
            $ref: '#/components/parameters/releaseId',
          },
        ],
        responses: {
          '200': {
            description: 'The release.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ReleaseDetail',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/releases/{releaseId}/actions': {
      post: {
        operationId: 'CreateReleaseAction',
        tags: ['actions'],
        description:
          "Asks for an action on the release. The action runs asynchronously; poll GET /actions/{actionId} or listen to the entity's signal channel. The same Idempotency-Key always returns the same action, and the provider is called once.",
        parameters: [
          {
            $ref: '#/components/parameters/releaseId',
          },
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: true,
            description:
              'A caller-chosen key, unique per intended action (a UUID per click).',
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/ActionRequest',
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'The action, as recorded.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ReleaseAction',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/rollback-tests': {
      get: {
        operationId: 'ListRollbackTests',
        tags: ['rollback-tests'],
        description:
          "The entity's rollback tests, newest first; of one environment with `environment`.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'environment',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
            },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 20,
            },
          },
        ],
        responses: {
          '200': {
            description: 'The tests.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/RollbackTest',
                      },
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
      post: {
        operationId: 'RunRollbackTest',
        tags: ['rollback-tests'],
        description:
          'Runs a rollback test now of the completed release that runs in a non-production environment (the first one in promotion order unless `environment` names one): Glidepath rolls it back, waits until the previous version is healthy, and rolls it forward again. Needs the rollback permission on the entity. 409 when the entity has no non-production environment, nothing completed runs there, or a test of it is already running. The same Idempotency-Key returns the same test.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: true,
            description: 'A caller-chosen key, unique per intended test.',
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/RollbackTestRequest',
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'The test, as recorded; it runs in the background.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RollbackTest',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/releases/{releaseId}/rollback-gate/override': {
      post: {
        operationId: 'OverrideRollbackGate',
        tags: ['rollback-tests'],
        description:
          'Lets a production release go on without a passed rollback test of its version. Needs the permission to steer the release; the reason is required, audited and shown on the release. Overriding twice keeps the first override.',
        parameters: [
          {
            $ref: '#/components/parameters/releaseId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/RollbackGateOverrideRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The gate of the release, overridden.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RollbackGate',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/calendar/windows': {
      get: {
        operationId: 'ListFreezeWindows',
        tags: ['calendar'],
        description: 'The freeze windows (deny and allow), oldest first.',
        responses: {
          '200': {
            description: 'The windows.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/FreezeWindow',
                      },
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
      post: {
        operationId: 'CreateFreezeWindow',
        tags: ['calendar'],
        description:
          "Adds a freeze window. Needs `glidepath.calendar.manage`; audited. An invalid rule, time or timezone is a 400 naming the field (with the parser's message). The same Idempotency-Key returns the same window.",
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: true,
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/FreezeWindowRequest',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The window.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/FreezeWindow',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/calendar/windows/{windowId}': {
      delete: {
        operationId: 'DeleteFreezeWindow',
        tags: ['calendar'],
        description:
          'Removes a freeze window. Needs `glidepath.calendar.manage`; audited. A window defined in config (`definedIn: app-config`) is a 409.',
        parameters: [
          {
            name: 'windowId',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '204': {
            description: 'Removed.',
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/calendar/trains': {
      get: {
        operationId: 'ListReleaseTrains',
        tags: ['calendar'],
        description: 'The release trains with their next slots.',
        responses: {
          '200': {
            description: 'The trains.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/ReleaseTrain',
                      },
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
      post: {
        operationId: 'CreateReleaseTrain',
        tags: ['calendar'],
        description:
          'Adds a release train. Needs `glidepath.calendar.manage`; audited.',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: true,
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/ReleaseTrainRequest',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The train.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ReleaseTrain',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/calendar/trains/{trainId}': {
      delete: {
        operationId: 'DeleteReleaseTrain',
        tags: ['calendar'],
        description:
          'Removes a release train. Needs `glidepath.calendar.manage`; audited. A train defined in config (`definedIn: app-config`) is a 409.',
        parameters: [
          {
            name: 'trainId',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '204': {
            description: 'Removed.',
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/calendar/feed.ics': {
      get: {
        operationId: 'GetCalendarFeed',
        tags: ['calendar'],
        description:
          "The release calendar as an iCalendar (RFC 5545) feed that calendar apps can subscribe to: every freeze window and release train, or, with `owner`, those whose scope applies to the owner's entities (and the organisation's and environments'). Recurring ones keep their RRULE and TZID (with a VTIMEZONE), not expanded. Opened with a Backstage token, or with the `token` of a link from /calendar/feed-link when `glidepath.calendar.feeds.secret` is set (docs/calendar.md).",
        parameters: [
          {
            name: 'owner',
            in: 'query',
            required: false,
            description: 'A group or user, e.g. group:default/team-checkout.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'token',
            in: 'query',
            required: false,
            description:
              "The feed link's token, made for this feed (organisation or owner).",
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The feed.',
            content: {
              'text/calendar': {
                schema: {
                  type: 'string',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/calendar/feed-link': {
      get: {
        operationId: 'GetCalendarFeedLink',
        tags: ['calendar'],
        description:
          "The link of the organisation's feed, or an owner's, for the signed-in caller: its path under the plugin's base URL, with a token that opens it without a Backstage token when feed links are configured (`subscribable`).",
        parameters: [
          {
            name: 'owner',
            in: 'query',
            required: false,
            description: 'A group or user, e.g. group:default/team-checkout.',
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The link.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/CalendarFeedLink',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/calendar': {
      get: {
        operationId: 'GetEntityCalendar',
        tags: ['calendar'],
        description:
          "Whether releasing the entity is frozen now in each of its environments, why, when that next changes, the break-glass override of each environment's latest release, and its next train slots.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: "The entity's calendar.",
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/EntityCalendar',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/releases/{releaseId}/freeze-override': {
      post: {
        operationId: 'OverrideFreeze',
        tags: ['calendar'],
        description:
          "Break-glass: lets a release be promoted and resumed during a freeze. Needs `glidepath.freeze.override` (a basic permission); the reason is required, audited and shown on the release (the `override` of its environment in the entity's calendar while it is the latest there).",
        parameters: [
          {
            $ref: '#/components/parameters/releaseId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/FreezeOverrideRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The override (the first one, if overridden before).',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/FreezeOverride',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/releases/{releaseId}/fix': {
      post: {
        operationId: 'MarkReleaseAsFix',
        tags: ['calendar'],
        description:
          "Marks a release as a fix: it may be promoted and resumed while its service's error budget is spent (a freeze window still holds it). Needs `glidepath.release.control` on the entity; the reason is required, audited and shown on the entity's Releases tab. The first mark stays.",
        parameters: [
          {
            $ref: '#/components/parameters/releaseId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/ReleaseFixRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The mark (the first one, if marked before).',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ReleaseFix',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/plans': {
      get: {
        operationId: 'ListPlans',
        tags: ['plans'],
        description:
          'Release plans, newest first: the active ones (scheduled, running, paused, rolling back) by default, or finished ones, or all.',
        parameters: [
          {
            name: 'state',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              enum: ['active', 'finished', 'all'],
            },
          },
          {
            name: 'entity',
            in: 'query',
            description: 'Only plans with this entity among their members.',
            required: false,
            schema: {
              type: 'string',
            },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 200,
            },
          },
        ],
        responses: {
          '200': {
            description: 'The plans.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/Plan',
                      },
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
      post: {
        operationId: 'CreatePlan',
        tags: ['plans'],
        description:
          'Plans a coordinated release of several services: waves from the dependency graph and the version requirements, started at a time or at the next slot of a release train, with gates between waves and a failure policy. Needs `glidepath.release.control` on every member (403 names those the caller may not steer); audited. 404 names an unknown member (or one the caller may not read), 409 a member already in another active plan, a train without a next slot, a dependency cycle or a requirement the plan breaks (unless `overrideReason` is given). Reads (`GET /plans`, `GET /plans/{id}`) show only the plans whose members the caller may all read.',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: true,
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/PlanRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The plan created earlier with this Idempotency-Key.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Plan',
                },
              },
            },
          },
          '201': {
            description:
              'The plan (200 with the same plan for a repeated key).',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Plan',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/plans/{planId}': {
      get: {
        operationId: 'GetPlan',
        tags: ['plans'],
        description: 'A plan with its waves, members and timeline.',
        parameters: [
          {
            $ref: '#/components/parameters/planId',
          },
        ],
        responses: {
          '200': {
            description: 'The plan.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Plan',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/plans/{planId}/{control}': {
      post: {
        operationId: 'ControlPlan',
        tags: ['plans'],
        description:
          'Pauses, resumes or aborts a plan, or lets its waves go on during a freeze (`freeze-override`, needs `glidepath.freeze.override`). Pause, resume and abort need `glidepath.release.control` on one of its members (their owners, or admins). Audited, with the reason.',
        parameters: [
          {
            $ref: '#/components/parameters/planId',
          },
          {
            name: 'control',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              enum: ['pause', 'resume', 'abort', 'freeze-override'],
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/PlanControlRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The plan after the change.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Plan',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/plans': {
      get: {
        operationId: 'GetEntityPlans',
        tags: ['plans'],
        description: 'The plans the entity is a member of, active ones first.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'The plans.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/Plan',
                      },
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/actions/{actionId}': {
      get: {
        operationId: 'GetReleaseAction',
        tags: ['actions'],
        description: "An action's state and result.",
        parameters: [
          {
            name: 'actionId',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The action.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ReleaseAction',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/checklists': {
      post: {
        operationId: 'CreateChecklist',
        tags: ['checklists'],
        description:
          "Attaches a release checklist to the entity's current release or to its next one (the first release that starts after the checklist was created). Needs glidepath.release.control on the entity. While a required item is open the release waits before its final step. The same Idempotency-Key returns the same checklist.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: true,
            description: 'A caller-chosen key, unique per intended checklist.',
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/ChecklistRequest',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The checklist, as stored.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Checklist',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/drills': {
      post: {
        operationId: 'ScheduleDrill',
        tags: ['releases'],
        description:
          "A rollback drill: makes the entity's next release carry a fault on its canary, which the analysis engine should catch and roll back. Only for rollout providers that can inject faults (the sandbox). In the entity's first non-production environment unless `environment` names one; a production environment is refused (409) unless `productionOverride` gives a reason and the caller has glidepath.drill.production. Needs glidepath.release.control on the entity; audited. Recorded with its timings (drill-history). Asking again before that release starts replaces the fault.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/DrillRequest',
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'The drill is scheduled.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/DrillScheduled',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/drill-history': {
      get: {
        operationId: 'ListEntityDrills',
        tags: ['game-days'],
        description:
          "The entity's rollback drills (from game days or scheduled on their own), newest first, each with its timings.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 100,
              default: 20,
            },
          },
        ],
        responses: {
          '200': {
            description: 'The drills.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/Drill',
                      },
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/game-days': {
      get: {
        operationId: 'ListGameDays',
        tags: ['game-days'],
        description:
          "Game days, the latest scheduled first, with each fault's drill and timings. Only the services the caller can read.",
        parameters: [
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 200,
              default: 50,
            },
          },
        ],
        responses: {
          '200': {
            description: 'The game days.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/GameDayList',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
      post: {
        operationId: 'CreateGameDay',
        tags: ['game-days'],
        description:
          'Records a game day: at `scheduledAt` Glidepath schedules each fault as a rollback drill and records, per fault, when it was injected, detected, rolled back, healthy again and the owners notified. Needs glidepath.release.control on each service; a fault in a production environment also needs `productionOverride` with a reason and the glidepath.drill.production permission (else 409). Audited. The same Idempotency-Key returns the same game day.',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: true,
            description: 'A caller-chosen key, unique per intended game day.',
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/GameDayRequest',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The game day, as recorded.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/GameDay',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/game-days/{gameDayId}': {
      get: {
        operationId: 'GetGameDay',
        tags: ['game-days'],
        description: "One game day with each fault's drill and timings.",
        parameters: [
          {
            $ref: '#/components/parameters/gameDayId',
          },
        ],
        responses: {
          '200': {
            description: 'The game day.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/GameDay',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/game-days/{gameDayId}/outcome': {
      put: {
        operationId: 'SetGameDayOutcome',
        tags: ['game-days'],
        description:
          "Writes the game day's outcome (what was learnt, follow-ups as links), replacing the previous one. The facilitator may, and so may whoever has glidepath.release.control on every service of the game day (the demo's admins). Audited.",
        parameters: [
          {
            $ref: '#/components/parameters/gameDayId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/GameDayOutcomeRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The game day with its outcome.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/GameDay',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/drills/teams': {
      get: {
        operationId: 'GetDrillTeamStats',
        tags: ['game-days'],
        description:
          'Per owning team, the rollback drills of the last `days` days (90 by default) with the median time to detect and to recover, and the same medians per 30-day period, oldest first, for the trend.',
        parameters: [
          {
            name: 'days',
            in: 'query',
            required: false,
            schema: {
              type: 'integer',
              minimum: 7,
              maximum: 365,
              default: 90,
            },
          },
        ],
        responses: {
          '200': {
            description: "The teams' drills.",
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/DrillTeamStatsList',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/checklists/{checklistId}': {
      get: {
        operationId: 'GetChecklist',
        tags: ['checklists'],
        description:
          'One checklist with its items, their history and its gate.',
        parameters: [
          {
            $ref: '#/components/parameters/checklistId',
          },
        ],
        responses: {
          '200': {
            description: 'The checklist.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Checklist',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/checklists/{checklistId}/items/{itemId}': {
      put: {
        operationId: 'SetChecklistItem',
        tags: ['checklists'],
        description:
          'Checks or unchecks one item, as the caller (who and when are kept and audited). Needs glidepath.release.control on the entity. A checklist of a finished release is read-only.',
        parameters: [
          {
            $ref: '#/components/parameters/checklistId',
          },
          {
            name: 'itemId',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  checked: {
                    type: 'boolean',
                  },
                  note: {
                    type: 'string',
                    maxLength: 2000,
                  },
                },
                required: ['checked'],
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The checklist after the change.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Checklist',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/policies/{policyName}': {
      get: {
        operationId: 'GetRollbackPolicy',
        tags: ['releases'],
        description:
          'A rollback policy from glidepath.analysis.policies, as the engine applies it (the limits of each trigger), for tools that express it elsewhere, such as an Argo Rollouts AnalysisTemplate.',
        parameters: [
          {
            name: 'policyName',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The policy.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/RollbackPolicy',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/graph': {
      get: {
        operationId: 'GetDependencyGraph',
        tags: ['graph'],
        description:
          "The dependency graph around an entity, of a system, a domain, an owner's entities, or of the whole catalog (none of entity, system, domain or owner given): components and resources with their owners, deployed versions and current rollout phase, and the edges between them (dependsOn, consumesApi resolved to the providing components, and the glidepath.dev/requires version requirements, each checked against the deployed versions). Read from the catalog with the caller's credentials, in a number of catalog calls that depends on the depth and not on the size of the graph; the Server-Timing header says how many were made.",
        parameters: [
          {
            name: 'entity',
            in: 'query',
            required: false,
            description:
              'The root entity, e.g. component:default/checkout-service.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'system',
            in: 'query',
            required: false,
            description: 'A system, e.g. system:default/checkout or checkout.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'domain',
            in: 'query',
            required: false,
            description: 'A domain, e.g. domain:default/commerce or commerce.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'owner',
            in: 'query',
            required: false,
            description:
              'An owner, e.g. group:default/team-checkout or team-checkout.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'depth',
            in: 'query',
            required: false,
            description:
              "How many hops to follow from the root or the scope's members (0 to 10). Defaults to 2 for an entity and 1 for a system, domain or owner; the whole catalog has no depth.",
            schema: {
              type: 'integer',
              minimum: 0,
              maximum: 10,
            },
          },
          {
            name: 'direction',
            in: 'query',
            required: false,
            description:
              'Follow dependencies, dependents, or both (the default).',
            schema: {
              $ref: '#/components/schemas/GraphDirection',
            },
          },
          {
            name: 'kind',
            in: 'query',
            required: false,
            description:
              "Only nodes of these kinds (component, resource): every node, the members of a system, domain or owner and the whole catalog's included; the entity a graph is drawn around always stays. Hops are counted over the whole catalog.",
            schema: {
              type: 'array',
              maxItems: 10,
              items: {
                type: 'string',
                enum: ['component', 'resource'],
              },
            },
          },
          {
            name: 'lifecycle',
            in: 'query',
            required: false,
            description:
              'Only nodes with these lifecycles, e.g. production (a node without a lifecycle, such as a resource that gives none, does not pass); applied like kind.',
            schema: {
              type: 'array',
              maxItems: 20,
              items: {
                type: 'string',
                minLength: 1,
                maxLength: 63,
              },
            },
          },
        ],
        responses: {
          '200': {
            description: 'The graph.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/DependencyGraph',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/graph/check': {
      post: {
        operationId: 'CheckProposedChanges',
        tags: ['graph'],
        description:
          'Given proposed versions for some entities (a release or a rollback), the version requirements of other entities they would break and the order to release them in (dependencies first), or the cycles that prevent an order. Changes nothing.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/GraphCheckRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The requirements the changes break and their order.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/GraphCheckResult',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/events/deployments': {
      post: {
        operationId: 'PostDeploymentEvents',
        tags: ['dora'],
        description:
          'Deployments that Glidepath does not drive, from CI/CD systems (for DORA). One DeploymentEvent, or up to 1,000 as { "events": [...] } (at most 4 MB). Authenticated as a service (an external access token); needs glidepath.events.create. Idempotent on the event id: an id already received is replaced by the new content and counted once. Entities the catalog does not know are stored and reported as unmatched. A bad field (a malformed entityRef included) or an id sent twice in one request refuses the whole request with a 400 naming it (events[i].field in a batch). A firstCommitAt after deployedAt (clock skew) is stored without a lead time and reported in the event\'s warnings.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                description:
                  'A DeploymentEvent or { "events": DeploymentEvent[] }, checked by the handler so that each problem names its field.',
                type: 'object',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'What was stored.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/EventsReceived',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/events/incidents': {
      post: {
        operationId: 'PostIncidentEvents',
        tags: ['dora'],
        description:
          'Incidents from paging tools, for DORA\'s change failure rate and recovery time. An event opens an incident (entityRef and openedAt), resolves it (resolvedAt; null reopens), or both; fields left out keep what is stored, so a resolve that arrives before its create is kept and completed later. One IncidentEvent, or up to 1,000 as { "events": [...] }. Authenticated as a service; needs glidepath.events.create.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                description:
                  'An IncidentEvent or { "events": IncidentEvent[] }, checked by the handler so that each problem names its field.',
                type: 'object',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'What was stored.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/EventsReceived',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/events/unmatched': {
      get: {
        operationId: 'ListUnmatchedEvents',
        tags: ['dora'],
        description:
          "Received events whose entity the catalog did not know when they arrived, newest first. They are stored and count in the organisation's measures; fix the sender's entity reference to have them count for the entity.",
        parameters: [
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 500,
              default: 100,
            },
          },
        ],
        responses: {
          '200': {
            description: 'The unmatched events.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/UnmatchedEvent',
                      },
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/dora': {
      get: {
        operationId: 'GetDora',
        tags: ['dora'],
        description:
          "The four DORA measures (deployment frequency, lead time for changes, change failure rate, failed deployment recovery time) of an entity, an owner's entities, a system's entities, or the whole organisation (none given), over a period, overall and per week or month, with their DORA 2024 levels, the latest failed changes with the rule that attributed each, and optionally a breakdown per owner or per entity. With format=csv, the series as CSV. Definitions: docs/dora.md.",
        parameters: [
          {
            name: 'entity',
            in: 'query',
            required: false,
            description: 'An entity, e.g. component:default/payments-service.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'owner',
            in: 'query',
            required: false,
            description: 'A group or user, e.g. group:default/team-checkout.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'system',
            in: 'query',
            required: false,
            description: 'A system, e.g. system:default/checkout.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'from',
            in: 'query',
            required: false,
            description:
              'Start (a date or date-time); defaults to 182 days before `to`.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'to',
            in: 'query',
            required: false,
            description:
              'End, exclusive (a date or date-time); defaults to now.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'bucket',
            in: 'query',
            required: false,
            schema: {
              $ref: '#/components/schemas/DoraBucket',
            },
          },
          {
            name: 'groupBy',
            in: 'query',
            required: false,
            description:
              'Add a row per owner or per entity, most deployments first.',
            schema: {
              type: 'string',
              enum: ['owner', 'entity'],
            },
          },
          {
            name: 'format',
            in: 'query',
            required: false,
            description:
              'json (the default) or csv (the series, one row per bucket).',
            schema: {
              type: 'string',
              enum: ['json', 'csv'],
            },
          },
        ],
        responses: {
          '200': {
            description: 'The measures.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/DoraResponse',
                },
              },
              'text/csv': {
                schema: {
                  type: 'string',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/dora/reports': {
      get: {
        operationId: 'ListDoraReports',
        tags: ['dora'],
        description:
          'Weekly DORA reports, newest week first: of one team (owner), or of every team. Written each week by a scheduled task and sent to the team through the notifications service.',
        parameters: [
          {
            name: 'owner',
            in: 'query',
            required: false,
            description: 'A group, e.g. group:default/team-checkout.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 200,
              default: 26,
            },
          },
        ],
        responses: {
          '200': {
            description: 'The reports, without their bodies.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/DoraReportSummary',
                      },
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/dora/reports/{reportId}': {
      get: {
        operationId: 'GetDoraReport',
        tags: ['dora'],
        description: 'One weekly report.',
        parameters: [
          {
            name: 'reportId',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The report.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/DoraWeeklyReport',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/release-metrics': {
      get: {
        operationId: 'GetReleaseMetrics',
        tags: ['dora'],
        description:
          "The release metrics of an entity, an owner's entities, a system's entities, or the whole organisation (none given), over a period (default: the last 182 days), overall and per week or month: the share of production releases whose version passed a rollback test in a non-production environment before the release went past its first step (target 70%), the share using progressive delivery (canary or blue-green against all at once; releases of unknown strategy are counted apart and left out of the share), and rollback time, automatic (asked by a policy) and by hand, median and p90, against two minutes. Definitions: docs/release-metrics.md.",
        parameters: [
          {
            name: 'entity',
            in: 'query',
            required: false,
            description: 'An entity, e.g. component:default/payments-service.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'owner',
            in: 'query',
            required: false,
            description: 'A group or user, e.g. group:default/team-checkout.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'system',
            in: 'query',
            required: false,
            description: 'A system, e.g. system:default/checkout.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'from',
            in: 'query',
            required: false,
            description:
              'Start (a date or date-time); defaults to 182 days before `to`.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'to',
            in: 'query',
            required: false,
            description:
              'End, exclusive (a date or date-time); defaults to now.',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'bucket',
            in: 'query',
            required: false,
            schema: {
              $ref: '#/components/schemas/DoraBucket',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The measures.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ReleaseMetricsResponse',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/flags': {
      get: {
        operationId: 'ListFlags',
        tags: ['flags'],
        description:
          'The feature flags of every entity annotated glidepath.dev/flags that the caller may read, each with its governance state and owner, as of the last flag sync; filterable by owner, entity and state. Oldest first (then by name, compared by code point, then by id), a page at a time: limit flags from offset, with nextOffset for the next page.',
        parameters: [
          {
            name: 'owner',
            in: 'query',
            description:
              "Only flags of this owner: an entity ref such as group:default/team-a (the annotated entity's owner), or a provider's maintainer as the provider gives it. Repeat for several.",
            schema: {
              type: 'array',
              items: {
                type: 'string',
                minLength: 1,
                maxLength: 500,
              },
            },
          },
          {
            name: 'entity',
            in: 'query',
            description:
              'Only flags of this entity (an entity ref, kind component by default). Repeat for several.',
            schema: {
              type: 'array',
              items: {
                type: 'string',
                minLength: 1,
                maxLength: 500,
              },
            },
          },
          {
            name: 'state',
            in: 'query',
            description: 'Only flags in this state. Repeat for several.',
            schema: {
              type: 'array',
              items: {
                $ref: '#/components/schemas/FlagState',
              },
            },
          },
          {
            name: 'limit',
            in: 'query',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: 5000,
              default: 1000,
            },
          },
          {
            name: 'offset',
            in: 'query',
            schema: {
              type: 'integer',
              minimum: 0,
              default: 0,
            },
          },
        ],
        responses: {
          '200': {
            description: 'The flags.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/FlagList',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/flags/coverage': {
      get: {
        operationId: 'GetFlagCoverage',
        tags: ['flags'],
        description:
          "The share of new features behind flags over [from, to) (default: the last 28 days): of the production deployments of entities the caller may read whose first commit is known, the share for which at least one of the entity's flags was created or last changed between that first commit and the deployment; for the organisation and each team (lowest share first), against the 80% target.",
        parameters: [
          {
            name: 'from',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
          {
            name: 'to',
            in: 'query',
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The share.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/FlagCoverage',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/flags/summary': {
      get: {
        operationId: 'GetFlagSummary',
        tags: ['flags'],
        description:
          "The portal's Feature flags page, over the flags of entities the caller may read: how many in each state, teams (owners) ranked by stale flags, an age distribution, and flag debt (flags and stale flags) at the end of each of the last 26 weeks, of today's flags (flags archived since are not counted).",
        responses: {
          '200': {
            description: 'The summary.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/FlagSummary',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/flags': {
      get: {
        operationId: 'GetEntityFlags',
        tags: ['flags'],
        description:
          "The entity's feature flags with their states, where they were read from (and whether that last worked), the problems of its glidepath.dev/flags annotation, and the latest actions on its flags.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: "The entity's flags.",
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/EntityFlags',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/flags/{flagId}/keep': {
      post: {
        operationId: 'KeepFlag',
        tags: ['flags'],
        description:
          'Decides to keep a flag whatever its state until expiresAt, with a reason: the automated cleanup leaves it alone until then. Needs glidepath.release.control on the entity; audited as flag-keep. A new decision replaces the previous one.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/flagId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/FlagKeepRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The flag with its keep decision.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Flag',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/flags/{flagId}/archive': {
      post: {
        operationId: 'ArchiveFlag',
        tags: ['flags'],
        description:
          "Archives the flag in its provider now, and removes it from the inventory. Needs glidepath.release.control on the entity; audited as flag-archive. A provider that cannot archive, refuses or fails makes it a failed action, recorded with the provider's reason and answered with 409 and that reason.",
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/flagId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/FlagArchiveRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The action, succeeded.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/FlagAction',
                },
              },
            },
          },
          default: {
            $ref: '#/components/responses/ErrorResponse',
          },
        },
      },
    },
  },
  components: {
    parameters: {
      kind: {
        name: 'kind',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
        },
      },
      namespace: {
        name: 'namespace',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
        },
      },
      name: {
        name: 'name',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
        },
      },
      releaseId: {
        name: 'releaseId',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
        },
      },
      checklistId: {
        name: 'checklistId',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
        },
      },
      flagId: {
        name: 'flagId',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
        },
      },
      gameDayId: {
        name: 'gameDayId',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
        },
      },
      planId: {
        name: 'planId',
        in: 'path',
        required: true,
        schema: {
          type: 'string',
        },
      },
    },
    responses: {
      ErrorResponse: {
        description: 'An error.',
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
    },
    schemas: {
      Error: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: {
              name: {
                type: 'string',
              },
              message: {
                type: 'string',
              },
            },
            required: ['name', 'message'],
          },
          request: {
            type: 'object',
            properties: {
              method: {
                type: 'string',
              },
              url: {
                type: 'string',
              },
            },
          },
          response: {
            type: 'object',
            properties: {
              statusCode: {
                type: 'number',
              },
            },
          },
        },
        required: ['error'],
      },
      ReleasePhase: {
        type: 'string',
        enum: [
          'pending',
          'progressing',
          'paused',
          'succeeded',
          'aborted',
          'rolled_back',
          'failed',
        ],
      },
      ReleaseStrategy: {
        type: 'string',
        enum: ['canary', 'blue_green', 'rolling'],
      },
      ActionType: {
        type: 'string',
        enum: ['rollback', 'promote', 'pause', 'resume', 'abort', 'retry'],
      },
      ActionState: {
        type: 'string',
        enum: ['requested', 'running', 'succeeded', 'failed'],
      },
      StepKind: {
        type: 'string',
        description:
          'set_weight sends `weight` percent of traffic to the new version; pause waits `durationSeconds` or, without it, for a promote; analysis runs checks; preview and switch are the blue-green steps.',
        enum: ['set_weight', 'pause', 'analysis', 'preview', 'switch'],
      },
      StepStatus: {
        type: 'string',
        enum: ['pending', 'running', 'completed', 'skipped'],
      },
      ReleaseStep: {
        type: 'object',
        properties: {
          index: {
            type: 'integer',
          },
          kind: {
            $ref: '#/components/schemas/StepKind',
          },
          weight: {
            type: 'number',
            nullable: true,
          },
          durationSeconds: {
            type: 'number',
            nullable: true,
          },
          description: {
            type: 'string',
          },
          status: {
            $ref: '#/components/schemas/StepStatus',
          },
          experiment: {
            $ref: '#/components/schemas/StepExperiment',
          },
        },
        required: ['index', 'kind', 'status', 'description'],
      },
      StepExperiment: {
        type: 'object',
        description:
          "What an experiment step runs (an Argo Rollouts Experiment): the ReplicaSet of each template with its pods' readiness, and the analysis runs that judge it. Only steps that run one carry it.",
        properties: {
          name: {
            type: 'string',
          },
          phase: {
            type: 'string',
            description:
              "The provider's phase (Argo - Pending, Running, Successful, Failed, Error, Inconclusive).",
          },
          verdict: {
            type: 'string',
            allOf: [
              {
                $ref: '#/components/schemas/Verdict',
              },
            ],
            nullable: true,
            description: 'The phase as a verdict; null while it runs.',
          },
          message: {
            type: 'string',
            nullable: true,
          },
          templates: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/StepExperimentTemplate',
            },
          },
          analysisRuns: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/StepExperimentRun',
            },
          },
        },
        required: [
          'name',
          'phase',
          'verdict',
          'message',
          'templates',
          'analysisRuns',
        ],
      },
      StepExperimentTemplate: {
        type: 'object',
        description:
          'One template of an experiment and the ReplicaSet that runs it.',
        properties: {
          name: {
            type: 'string',
          },
          replicaSet: {
            type: 'string',
            nullable: true,
            description: "The ReplicaSet's name; null when it was not read.",
          },
          status: {
            type: 'string',
            nullable: true,
            description:
              "The provider's status of the template (Argo - Progressing, Running, Successful, Failed, Error).",
          },
          replicas: {
            type: 'integer',
          },
          readyReplicas: {
            type: 'integer',
          },
          availableReplicas: {
            type: 'integer',
          },
        },
        required: [
          'name',
          'replicaSet',
          'status',
          'replicas',
          'readyReplicas',
          'availableReplicas',
        ],
      },
      StepExperimentRun: {
        type: 'object',
        description:
          "An analysis run of an experiment; its metrics and measurements are with the release's providerAnalysis, under the same name.",
        properties: {
          name: {
            type: 'string',
          },
          analysis: {
            type: 'string',
            nullable: true,
            description: "The experiment's name for the analysis it runs.",
          },
          phase: {
            type: 'string',
          },
          verdict: {
            type: 'string',
            allOf: [
              {
                $ref: '#/components/schemas/Verdict',
              },
            ],
            nullable: true,
          },
          message: {
            type: 'string',
            nullable: true,
          },
        },
        required: ['name', 'analysis', 'phase', 'verdict', 'message'],
      },
      Actor: {
        type: 'object',
        description: 'Who or what did something.',
        properties: {
          kind: {
            type: 'string',
            enum: ['user', 'policy', 'provider', 'service'],
          },
          ref: {
            type: 'string',
            description: 'A user entity ref, a policy name or a provider id.',
          },
          displayName: {
            type: 'string',
          },
        },
        required: ['kind', 'ref'],
      },
      ReleasesInFlight: {
        type: 'object',
        additionalProperties: false,
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ReleaseInFlight',
            },
          },
          total: {
            type: 'integer',
            description:
              'How many releases are in flight that the caller may read.',
          },
        },
        required: ['items', 'total'],
      },
      ReleaseInFlight: {
        type: 'object',
        additionalProperties: false,
        properties: {
          release: {
            $ref: '#/components/schemas/Release',
          },
          entityTitle: {
            type: 'string',
            nullable: true,
            description: "The entity's metadata.title, when it has one.",
          },
          owner: {
            type: 'object',
            nullable: true,
            additionalProperties: false,
            description:
              "The entity's owner, with its display name when known.",
            properties: {
              ref: {
                type: 'string',
              },
              title: {
                type: 'string',
                nullable: true,
              },
            },
            required: ['ref', 'title'],
          },
        },
        required: ['release', 'entityTitle', 'owner'],
      },
      Release: {
        type: 'object',
        properties: {
          id: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          version: {
            type: 'string',
          },
          previousVersion: {
            type: 'string',
            nullable: true,
          },
          environment: {
            type: 'string',
          },
          strategy: {
            $ref: '#/components/schemas/ReleaseStrategy',
          },
          phase: {
            $ref: '#/components/schemas/ReleasePhase',
          },
          steps: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ReleaseStep',
            },
          },
          currentStepIndex: {
            type: 'integer',
            nullable: true,
          },
          canaryWeight: {
            type: 'number',
            description: 'Percent of traffic on the new version, 0 to 100.',
          },
          provider: {
            type: 'string',
          },
          providerRef: {
            type: 'string',
            description: 'The release as the provider names it.',
          },
          simulated: {
            type: 'boolean',
            description:
              'True when the provider is a simulation (the sandbox).',
          },
          message: {
            type: 'string',
            nullable: true,
            description:
              "The provider's last message (pause reason, abort reason).",
          },
          startedBy: {
            $ref: '#/components/schemas/Actor',
          },
          commit: {
            type: 'string',
            nullable: true,
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
          },
          updatedAt: {
            type: 'string',
            format: 'date-time',
          },
          finishedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
        },
        required: [
          'id',
          'entityRef',
          'version',
          'previousVersion',
          'environment',
          'strategy',
          'phase',
          'steps',
          'currentStepIndex',
          'canaryWeight',
          'provider',
          'providerRef',
          'simulated',
          'message',
          'startedBy',
          'commit',
          'startedAt',
          'updatedAt',
          'finishedAt',
        ],
      },
      ReleaseEvent: {
        type: 'object',
        description: 'A change of a release as Glidepath observed it.',
        properties: {
          id: {
            type: 'string',
          },
          releaseId: {
            type: 'string',
          },
          type: {
            type: 'string',
            enum: ['created', 'phase_changed', 'step_changed'],
          },
          fromPhase: {
            type: 'string',
            nullable: true,
            description: 'The phase before the change; null for `created`.',
            enum: [
              'pending',
              'progressing',
              'paused',
              'succeeded',
              'aborted',
              'rolled_back',
              'failed',
              null,
            ],
          },
          toPhase: {
            $ref: '#/components/schemas/ReleasePhase',
          },
          stepIndex: {
            type: 'integer',
            nullable: true,
          },
          canaryWeight: {
            type: 'number',
          },
          message: {
            type: 'string',
            nullable: true,
          },
          occurredAt: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: [
          'id',
          'releaseId',
          'type',
          'fromPhase',
          'toPhase',
          'stepIndex',
          'canaryWeight',
          'message',
          'occurredAt',
        ],
      },
      ActionRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          action: {
            $ref: '#/components/schemas/ActionType',
          },
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 2000,
          },
        },
        required: ['action', 'reason'],
      },
      ReleaseAction: {
        type: 'object',
        properties: {
          id: {
            type: 'string',
          },
          releaseId: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          action: {
            $ref: '#/components/schemas/ActionType',
          },
          reason: {
            type: 'string',
          },
          state: {
            $ref: '#/components/schemas/ActionState',
          },
          requestedBy: {
            $ref: '#/components/schemas/Actor',
          },
          requestedAt: {
            type: 'string',
            format: 'date-time',
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          finishedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          error: {
            type: 'string',
            nullable: true,
            description: "Why the action failed, in the provider's words.",
          },
        },
        required: [
          'id',
          'releaseId',
          'entityRef',
          'action',
          'reason',
          'state',
          'requestedBy',
          'requestedAt',
          'startedAt',
          'finishedAt',
          'error',
        ],
      },
      ReleaseDetail: {
        type: 'object',
        properties: {
          release: {
            $ref: '#/components/schemas/Release',
          },
          events: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ReleaseEvent',
            },
          },
          actions: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ReleaseAction',
            },
          },
          allowedActions: {
            type: 'array',
            description:
              "The actions the release's phase admits (not permissions).",
            items: {
              $ref: '#/components/schemas/ActionType',
            },
          },
          analyses: {
            type: 'array',
            description: "The release's analyses, oldest first.",
            items: {
              $ref: '#/components/schemas/Analysis',
            },
          },
          checklist: {
            type: 'object',
            allOf: [
              {
                $ref: '#/components/schemas/Checklist',
              },
            ],
            nullable: true,
          },
          providerAnalysis: {
            type: 'array',
            description:
              "The analysis the rollout provider ran itself (Argo Rollouts' AnalysisRuns), oldest first, as it last reported them; empty when the provider runs none. Glidepath's own judgement is in analyses.",
            items: {
              $ref: '#/components/schemas/ProviderAnalysisRun',
            },
          },
        },
        required: [
          'release',
          'events',
          'actions',
          'allowedActions',
          'analyses',
          'checklist',
          'providerAnalysis',
        ],
      },
      ProviderAnalysisRun: {
        type: 'object',
        description:
          "One analysis run of the rollout provider (an Argo Rollouts AnalysisRun), with each metric's measurements and Glidepath's reading of the provider's phases as verdicts.",
        properties: {
          name: {
            type: 'string',
          },
          kind: {
            type: 'string',
            nullable: true,
            description:
              'When the provider ran it, in its words (Argo: Background, Step, PrePromotion, PostPromotion).',
          },
          phase: {
            type: 'string',
            description:
              "The provider's phase (Argo - Pending, Running, Successful, Failed, Error, Inconclusive).",
          },
          verdict: {
            type: 'string',
            allOf: [
              {
                $ref: '#/components/schemas/Verdict',
              },
            ],
            nullable: true,
            description: 'The phase as a verdict; null while it runs.',
          },
          message: {
            type: 'string',
            nullable: true,
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          metrics: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ProviderAnalysisMetric',
            },
          },
        },
        required: [
          'name',
          'kind',
          'phase',
          'verdict',
          'message',
          'startedAt',
          'metrics',
        ],
      },
      ProviderAnalysisMetric: {
        type: 'object',
        properties: {
          name: {
            type: 'string',
          },
          phase: {
            type: 'string',
          },
          verdict: {
            type: 'string',
            allOf: [
              {
                $ref: '#/components/schemas/Verdict',
              },
            ],
            nullable: true,
          },
          count: {
            type: 'integer',
            description: 'Measurements taken.',
          },
          successful: {
            type: 'integer',
          },
          failed: {
            type: 'integer',
          },
          inconclusive: {
            type: 'integer',
          },
          error: {
            type: 'integer',
            description: 'Measurements that could not be taken.',
          },
          message: {
            type: 'string',
            nullable: true,
          },
          successCondition: {
            type: 'string',
            nullable: true,
          },
          failureCondition: {
            type: 'string',
            nullable: true,
          },
          failureLimit: {
            type: 'integer',
            nullable: true,
          },
          measurements: {
            type: 'array',
            description:
              'The latest measurements, oldest first (at most 20 kept).',
            items: {
              $ref: '#/components/schemas/ProviderAnalysisMeasurement',
            },
          },
        },
        required: [
          'name',
          'phase',
          'verdict',
          'count',
          'successful',
          'failed',
          'inconclusive',
          'error',
          'message',
          'successCondition',
          'failureCondition',
          'failureLimit',
          'measurements',
        ],
      },
      ProviderAnalysisMeasurement: {
        type: 'object',
        properties: {
          phase: {
            type: 'string',
          },
          verdict: {
            type: 'string',
            allOf: [
              {
                $ref: '#/components/schemas/Verdict',
              },
            ],
            nullable: true,
          },
          value: {
            type: 'string',
            nullable: true,
            description: 'The measured value as the provider wrote it.',
          },
          message: {
            type: 'string',
            nullable: true,
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          finishedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
        },
        required: [
          'phase',
          'verdict',
          'value',
          'message',
          'startedAt',
          'finishedAt',
        ],
      },
      ChecklistItemRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          title: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          description: {
            type: 'string',
            maxLength: 2000,
          },
          required: {
            type: 'boolean',
            description:
              'A required item holds the release before its final step (default true).',
          },
          owner: {
            type: 'string',
            maxLength: 200,
            description: 'Who should tick it, an entity ref (user or group).',
          },
        },
        required: ['title'],
      },
      ChecklistRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          title: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          release: {
            type: 'string',
            enum: ['current', 'next'],
            description:
              "current (the default): the entity's release in progress (there must be one); next: the first release that starts after now.",
          },
          items: {
            type: 'array',
            minItems: 1,
            maxItems: 100,
            items: {
              $ref: '#/components/schemas/ChecklistItemRequest',
            },
          },
        },
        required: ['title', 'items'],
      },
      ChecklistItemChange: {
        type: 'object',
        properties: {
          checked: {
            type: 'boolean',
          },
          by: {
            $ref: '#/components/schemas/Actor',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
          note: {
            type: 'string',
            nullable: true,
          },
        },
        required: ['checked', 'by', 'at', 'note'],
      },
      ChecklistItem: {
        type: 'object',
        properties: {
          id: {
            type: 'string',
          },
          title: {
            type: 'string',
          },
          description: {
            type: 'string',
            nullable: true,
          },
          required: {
            type: 'boolean',
          },
          owner: {
            type: 'string',
            nullable: true,
          },
          checked: {
            type: 'boolean',
          },
          checkedBy: {
            type: 'object',
            allOf: [
              {
                $ref: '#/components/schemas/Actor',
              },
            ],
            nullable: true,
          },
          checkedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          history: {
            type: 'array',
            description: 'Every check and uncheck, oldest first.',
            items: {
              $ref: '#/components/schemas/ChecklistItemChange',
            },
          },
        },
        required: [
          'id',
          'title',
          'description',
          'required',
          'owner',
          'checked',
          'checkedBy',
          'checkedAt',
          'history',
        ],
      },
      ChecklistGate: {
        type: 'object',
        description:
          'Whether the checklist holds its release before the final step, and why.',
        properties: {
          blocking: {
            type: 'boolean',
          },
          openRequired: {
            type: 'array',
            description: 'Titles of the required items still open.',
            items: {
              type: 'string',
            },
          },
          reason: {
            type: 'string',
            nullable: true,
          },
        },
        required: ['blocking', 'openRequired', 'reason'],
      },
      Checklist: {
        type: 'object',
        properties: {
          id: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          releaseId: {
            type: 'string',
            nullable: true,
            description:
              "Null while the checklist waits for the entity's next release.",
          },
          title: {
            type: 'string',
          },
          createdBy: {
            $ref: '#/components/schemas/Actor',
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ChecklistItem',
            },
          },
          gate: {
            $ref: '#/components/schemas/ChecklistGate',
          },
        },
        required: [
          'id',
          'entityRef',
          'releaseId',
          'title',
          'createdBy',
          'createdAt',
          'items',
          'gate',
        ],
      },
      RollbackPolicy: {
        type: 'object',
        description: "The limits of a rollback policy's triggers.",
        properties: {
          name: {
            type: 'string',
          },
          warmupSeconds: {
            type: 'number',
            description:
              "The canary's warm-up: its first seconds are never judged (an Argo Rollouts AnalysisTemplate's initialDelay).",
          },
          errorRate: {
            type: 'object',
            properties: {
              enabled: {
                type: 'boolean',
              },
              maxIncrease: {
                type: 'number',
                description:
                  "The largest tolerated excess of the canary's error rate over the baseline's (a ratio, 0.01 = one point).",
              },
            },
            required: ['enabled', 'maxIncrease'],
          },
          latency: {
            type: 'object',
            properties: {
              enabled: {
                type: 'boolean',
              },
              maxP95IncreaseSeconds: {
                type: 'number',
              },
              maxP95Ratio: {
                type: 'number',
              },
            },
            required: ['enabled', 'maxP95IncreaseSeconds', 'maxP95Ratio'],
          },
          healthChecks: {
            type: 'object',
            properties: {
              enabled: {
                type: 'boolean',
              },
              maxFailureIncrease: {
                type: 'number',
              },
            },
            required: ['enabled', 'maxFailureIncrease'],
          },
          burnRate: {
            type: 'object',
            properties: {
              enabled: {
                type: 'boolean',
              },
              windows: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    rule: {
                      $ref: '#/components/schemas/AnalysisRule',
                    },
                    longSeconds: {
                      type: 'number',
                    },
                    shortSeconds: {
                      type: 'number',
                    },
                    factor: {
                      type: 'number',
                    },
                  },
                  required: ['rule', 'longSeconds', 'shortSeconds', 'factor'],
                },
              },
            },
            required: ['enabled', 'windows'],
          },
        },
        required: ['name', 'errorRate', 'latency', 'healthChecks', 'burnRate'],
      },
      DrillRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          fault: {
            type: 'string',
            enum: ['error-rate', 'latency'],
            description:
              "error-rate: a share of the canary's requests fail; latency: the canary answers slower.",
          },
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 2000,
          },
          environment: {
            type: 'string',
            description:
              "Where the drill runs; by default the entity's first non-production environment, else production.",
          },
          productionOverride: {
            $ref: '#/components/schemas/ProductionOverrideRequest',
          },
        },
        required: ['fault', 'reason'],
      },
      DrillScheduled: {
        type: 'object',
        properties: {
          entityRef: {
            type: 'string',
          },
          provider: {
            type: 'string',
          },
          simulated: {
            type: 'boolean',
          },
          fault: {
            type: 'string',
            enum: ['error-rate', 'latency'],
          },
          message: {
            type: 'string',
            description:
              'What the provider will do, e.g. when the release starts.',
          },
          environment: {
            type: 'string',
          },
          drill: {
            $ref: '#/components/schemas/Drill',
          },
        },
        required: [
          'entityRef',
          'provider',
          'simulated',
          'fault',
          'message',
          'environment',
          'drill',
        ],
      },
      DrillFault: {
        type: 'string',
        description:
          "error-rate: a share of the canary's requests fail; latency: the canary answers slower.",
        enum: ['error-rate', 'latency'],
      },
      ProductionOverrideRequest: {
        type: 'object',
        additionalProperties: false,
        description:
          'Runs a drill in a production environment anyway: needs the glidepath.drill.production permission (the demo grants it to admins) and a reason; audited.',
        properties: {
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 2000,
          },
        },
        required: ['reason'],
      },
      ProductionOverride: {
        type: 'object',
        properties: {
          by: {
            $ref: '#/components/schemas/Actor',
          },
          reason: {
            type: 'string',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: ['by', 'reason', 'at'],
      },
      DrillState: {
        type: 'string',
        description:
          'waiting: the fault waits for the next release; running: the release carrying it runs; recovered: rolled back and healthy again; not_detected: the release finished without a rollback (the fault got through); failed: the release ended otherwise (aborted, failed); refused: the drill could not be scheduled (the reason says why); expired: no release carried the fault within a day.',
        enum: [
          'waiting',
          'running',
          'recovered',
          'not_detected',
          'failed',
          'refused',
          'expired',
        ],
      },
      Drill: {
        type: 'object',
        description:
          "A rollback drill and what Glidepath recorded of it: the release that carried the fault, its first failing verdict, the rollback, the service healthy again and the owners notified. Times to detect and to recover are counted from the release's start.",
        properties: {
          id: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          environment: {
            type: 'string',
          },
          fault: {
            $ref: '#/components/schemas/DrillFault',
          },
          gameDayId: {
            type: 'string',
            nullable: true,
          },
          provider: {
            type: 'string',
          },
          simulated: {
            type: 'boolean',
          },
          reason: {
            type: 'string',
          },
          requestedBy: {
            $ref: '#/components/schemas/Actor',
          },
          requestedAt: {
            type: 'string',
            format: 'date-time',
          },
          productionOverride: {
            type: 'object',
            allOf: [
              {
                $ref: '#/components/schemas/ProductionOverride',
              },
            ],
            nullable: true,
          },
          state: {
            $ref: '#/components/schemas/DrillState',
          },
          stateReason: {
            type: 'string',
            nullable: true,
          },
          releaseId: {
            type: 'string',
            nullable: true,
          },
          version: {
            type: 'string',
            nullable: true,
          },
          injectedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          detectedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description: 'The first failing verdict on the release.',
          },
          rollbackDecidedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          rolledBackAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description: 'When the rollback action finished.',
          },
          healthyAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description:
              'When the provider reported the release rolled back, all traffic on the previous version.',
          },
          notifiedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description:
              'When the engine notified the owners (with its rollback or escalation).',
          },
          timeToDetectSeconds: {
            type: 'number',
            nullable: true,
          },
          timeToRecoverSeconds: {
            type: 'number',
            nullable: true,
          },
          finishedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
        },
        required: [
          'id',
          'entityRef',
          'environment',
          'fault',
          'gameDayId',
          'provider',
          'simulated',
          'reason',
          'requestedBy',
          'requestedAt',
          'productionOverride',
          'state',
          'stateReason',
          'releaseId',
          'version',
          'injectedAt',
          'detectedAt',
          'rollbackDecidedAt',
          'rolledBackAt',
          'healthyAt',
          'notifiedAt',
          'timeToDetectSeconds',
          'timeToRecoverSeconds',
          'finishedAt',
        ],
      },
      GameDayFaultRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          service: {
            type: 'string',
            description: "An entity ref of one of the game day's services.",
            minLength: 1,
          },
          fault: {
            $ref: '#/components/schemas/DrillFault',
          },
          environment: {
            type: 'string',
            description:
              "Where the drill runs; by default the service's first non-production environment, else production.",
          },
        },
        required: ['service', 'fault'],
      },
      GameDayRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          title: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          facilitator: {
            type: 'string',
            description: 'A user entity ref.',
            minLength: 1,
          },
          participants: {
            type: 'array',
            maxItems: 50,
            items: {
              type: 'string',
              minLength: 1,
            },
            description: 'User or group entity refs.',
          },
          services: {
            type: 'array',
            maxItems: 20,
            items: {
              type: 'string',
              minLength: 1,
            },
            description: "Entity refs; the faults' services are added.",
          },
          scheduledAt: {
            type: 'string',
            format: 'date-time',
          },
          faults: {
            type: 'array',
            minItems: 1,
            maxItems: 20,
            items: {
              $ref: '#/components/schemas/GameDayFaultRequest',
            },
          },
          hypothesis: {
            type: 'string',
            minLength: 1,
            maxLength: 2000,
            description:
              'What should happen, e.g. "rolled back within 2 minutes, owners notified": a number of seconds or minutes is checked against each fault\'s time to recover, and "notified" against the owners\' notification.',
          },
          productionOverride: {
            $ref: '#/components/schemas/ProductionOverrideRequest',
          },
        },
        required: [
          'title',
          'facilitator',
          'scheduledAt',
          'faults',
          'hypothesis',
        ],
      },
      HypothesisCheck: {
        type: 'object',
        properties: {
          held: {
            type: 'boolean',
            nullable: true,
            description:
              'Null until the drill finished, or when nothing in the hypothesis can be checked.',
          },
          reasons: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
        },
        required: ['held', 'reasons'],
      },
      GameDayFault: {
        type: 'object',
        properties: {
          service: {
            type: 'string',
          },
          fault: {
            $ref: '#/components/schemas/DrillFault',
          },
          environment: {
            type: 'string',
            nullable: true,
            description: "Null when the service's default environment is used.",
          },
          drill: {
            type: 'object',
            allOf: [
              {
                $ref: '#/components/schemas/Drill',
              },
            ],
            nullable: true,
            description: "Null until the game day's time.",
          },
          hypothesis: {
            $ref: '#/components/schemas/HypothesisCheck',
          },
        },
        required: ['service', 'fault', 'environment', 'drill', 'hypothesis'],
      },
      GameDayFollowUp: {
        type: 'object',
        additionalProperties: false,
        properties: {
          title: {
            type: 'string',
            minLength: 1,
            maxLength: 300,
          },
          url: {
            type: 'string',
            minLength: 1,
            maxLength: 2000,
          },
        },
        required: ['title', 'url'],
      },
      GameDayOutcomeRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          learnt: {
            type: 'string',
            minLength: 1,
            maxLength: 10000,
          },
          followUps: {
            type: 'array',
            maxItems: 50,
            items: {
              $ref: '#/components/schemas/GameDayFollowUp',
            },
          },
        },
        required: ['learnt', 'followUps'],
      },
      GameDayOutcome: {
        type: 'object',
        properties: {
          learnt: {
            type: 'string',
          },
          followUps: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/GameDayFollowUp',
            },
          },
          by: {
            $ref: '#/components/schemas/Actor',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: ['learnt', 'followUps', 'by', 'at'],
      },
      GameDay: {
        type: 'object',
        properties: {
          id: {
            type: 'string',
          },
          title: {
            type: 'string',
          },
          facilitator: {
            type: 'string',
          },
          participants: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          services: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          scheduledAt: {
            type: 'string',
            format: 'date-time',
          },
          hypothesis: {
            type: 'string',
          },
          hypothesisLimitSeconds: {
            type: 'number',
            nullable: true,
            description:
              'The time to recover the hypothesis names, if it names one.',
          },
          hypothesisNeedsNotification: {
            type: 'boolean',
          },
          state: {
            type: 'string',
            enum: ['scheduled', 'running', 'finished'],
          },
          faults: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/GameDayFault',
            },
          },
          hypothesisHeld: {
            type: 'boolean',
            nullable: true,
            description:
              'True when it held for every fault, false when it failed for one; null while drills run or nothing can be checked.',
          },
          outcome: {
            type: 'object',
            allOf: [
              {
                $ref: '#/components/schemas/GameDayOutcome',
              },
            ],
            nullable: true,
          },
          productionOverride: {
            type: 'object',
            allOf: [
              {
                $ref: '#/components/schemas/ProductionOverride',
              },
            ],
            nullable: true,
          },
          createdBy: {
            $ref: '#/components/schemas/Actor',
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: [
          'id',
          'title',
          'facilitator',
          'participants',
          'services',
          'scheduledAt',
          'hypothesis',
          'hypothesisLimitSeconds',
          'hypothesisNeedsNotification',
          'state',
          'faults',
          'hypothesisHeld',
          'outcome',
          'productionOverride',
          'createdBy',
          'createdAt',
        ],
      },
      GameDayList: {
        type: 'object',
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/GameDay',
            },
          },
        },
        required: ['items'],
      },
      DrillPeriod: {
        type: 'object',
        properties: {
          from: {
            type: 'string',
            format: 'date-time',
          },
          to: {
            type: 'string',
            format: 'date-time',
          },
          drills: {
            type: 'integer',
          },
          medianDetectSeconds: {
            type: 'number',
            nullable: true,
          },
          medianRecoverSeconds: {
            type: 'number',
            nullable: true,
          },
        },
        required: [
          'from',
          'to',
          'drills',
          'medianDetectSeconds',
          'medianRecoverSeconds',
        ],
      },
      DrillTeamStats: {
        type: 'object',
        properties: {
          teamRef: {
            type: 'string',
            description:
              'The owner of the drilled services; "unowned" when none.',
          },
          teamTitle: {
            type: 'string',
            nullable: true,
          },
          drills: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Drill',
            },
            description: 'Newest first.',
          },
          medianDetectSeconds: {
            type: 'number',
            nullable: true,
          },
          medianRecoverSeconds: {
            type: 'number',
            nullable: true,
          },
          periods: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/DrillPeriod',
            },
            description: '30-day periods, oldest first.',
          },
        },
        required: [
          'teamRef',
          'teamTitle',
          'drills',
          'medianDetectSeconds',
          'medianRecoverSeconds',
          'periods',
        ],
      },
      DrillTeamStatsList: {
        type: 'object',
        properties: {
          from: {
            type: 'string',
            format: 'date-time',
          },
          to: {
            type: 'string',
            format: 'date-time',
          },
          teams: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/DrillTeamStats',
            },
          },
        },
        required: ['from', 'to', 'teams'],
      },
      Verdict: {
        type: 'string',
        description:
          'pass: the canary is no worse than the policy allows, with confidence; fail: it is worse, with confidence; inconclusive: not enough evidence either way yet; no_data: nothing to judge (missing, stale or unreachable metrics).',
        enum: ['pass', 'fail', 'inconclusive', 'no_data'],
      },
      AnalysisDecision: {
        type: 'string',
        description:
          'What the engine did after judging: continue (keep watching while the provider moves the steps), promote (the canary passed a step that waits for Glidepath), rollback (a rule failed), hold (could not judge; no action), escalate (held past the deadline: release paused and owners notified).',
        enum: ['continue', 'promote', 'rollback', 'hold', 'escalate'],
      },
      AnalysisRule: {
        type: 'string',
        description:
          "error_rate: canary error rate above the baseline's; latency_p95: canary p95 latency above the baseline's; health_checks: canary health-check failures above the baseline's; burn_rate_fast and burn_rate_slow: the canary burning the error budget of the entity's SLO (multi-window, multi-burn-rate).",
        enum: [
          'error_rate',
          'latency_p95',
          'health_checks',
          'burn_rate_fast',
          'burn_rate_slow',
        ],
      },
      ArmEvidence: {
        type: 'object',
        description: 'What one side served, as the rule counts it.',
        properties: {
          trials: {
            type: 'number',
            description: 'Requests (or health checks) counted.',
          },
          events: {
            type: 'number',
            description:
              'Of those, the bad ones: errors, requests slower than the boundary, failed checks.',
          },
          observed: {
            type: 'number',
            nullable: true,
            description:
              "The rule's measure for this side, in the rule's unit (an error ratio, p95 seconds, a failure ratio, a burn rate); null without data.",
          },
        },
        required: ['trials', 'events', 'observed'],
      },
      MetricEvidence: {
        type: 'object',
        description: "One rule's verdict and the numbers behind it.",
        properties: {
          rule: {
            $ref: '#/components/schemas/AnalysisRule',
          },
          verdict: {
            $ref: '#/components/schemas/Verdict',
          },
          summary: {
            type: 'string',
            description: 'The verdict in one plain sentence.',
          },
          unit: {
            type: 'string',
            enum: ['ratio', 'seconds', 'burn_rate'],
          },
          canary: {
            $ref: '#/components/schemas/ArmEvidence',
          },
          baseline: {
            $ref: '#/components/schemas/ArmEvidence',
          },
          estimate: {
            type: 'number',
            nullable: true,
            description:
              "The tested quantity, the canary's excess: for error_rate and health_checks its bad ratio minus the baseline's; for latency_p95 its share of requests slower than the boundary minus 5%; for burn rates its error ratio over the long window minus the ratio that burns the budget at the threshold rate.",
          },
          lowerBound: {
            type: 'number',
            nullable: true,
            description:
              "Lower end of the estimate's anytime-valid confidence sequence.",
          },
          upperBound: {
            type: 'number',
            nullable: true,
            description:
              "Upper end of the estimate's anytime-valid confidence sequence.",
          },
          limit: {
            type: 'number',
            description:
              "The excess the policy tolerates, in the estimate's unit: the rule passes once the upper bound is below it.",
          },
          eValue: {
            type: 'number',
            nullable: true,
            description:
              "The sequential test's evidence that the canary is worse (an e-value: large is strong evidence); null without data.",
          },
          eValueThreshold: {
            type: 'number',
            description:
              'The e-value at which the rule fails (1 / alpha), provided the upper bound reaches the limit.',
          },
          threshold: {
            type: 'number',
            description:
              "The policy's limit in the rule's unit (e.g. 0.01 for one percentage point, 0.5 for 500 ms, 14.4 for a burn rate).",
          },
          boundarySeconds: {
            type: 'number',
            nullable: true,
            description:
              "For latency, the latency above which a canary request counts as slow (the baseline's p95 plus the threshold).",
          },
          alpha: {
            type: 'number',
            description:
              "The rule's share of the release's false-rollback budget.",
          },
        },
        required: [
          'rule',
          'verdict',
          'summary',
          'unit',
          'canary',
          'baseline',
          'estimate',
          'lowerBound',
          'upperBound',
          'limit',
          'eValue',
          'eValueThreshold',
          'threshold',
          'boundarySeconds',
          'alpha',
        ],
      },
      Analysis: {
        type: 'object',
        description: "One evaluation of a release's canary against its policy.",
        properties: {
          id: {
            type: 'string',
          },
          releaseId: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          evaluatedAt: {
            type: 'string',
            format: 'date-time',
          },
          from: {
            type: 'string',
            format: 'date-time',
            description:
              "Start of the judged range: the end of the canary's warm-up (its start plus the policy's warmupSeconds). Later than `to` while the canary warms up and nothing failed; the canary's start for a rollback during the warm-up (a gross failure, judged on the counts since the canary started).",
          },
          to: {
            type: 'string',
            format: 'date-time',
          },
          policy: {
            type: 'string',
            description:
              "The policy's name (`default` unless the entity names one).",
          },
          metricsProvider: {
            type: 'string',
            nullable: true,
          },
          simulated: {
            type: 'boolean',
            description: 'True when the metrics come from a simulation.',
          },
          verdict: {
            $ref: '#/components/schemas/Verdict',
          },
          decision: {
            $ref: '#/components/schemas/AnalysisDecision',
          },
          reason: {
            type: 'string',
            description:
              'The decision in one plain sentence, with the evidence.',
          },
          metrics: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/MetricEvidence',
            },
          },
          actionId: {
            type: 'string',
            nullable: true,
            description: 'The action the decision requested, if any.',
          },
        },
        required: [
          'id',
          'releaseId',
          'entityRef',
          'evaluatedAt',
          'from',
          'to',
          'policy',
          'metricsProvider',
          'simulated',
          'verdict',
          'decision',
          'reason',
          'metrics',
          'actionId',
        ],
      },
      ReleasePage: {
        type: 'object',
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Release',
            },
          },
          nextCursor: {
            type: 'string',
            nullable: true,
          },
        },
        required: ['items', 'nextCursor'],
      },
      AnnotationProblem: {
        type: 'object',
        properties: {
          annotation: {
            type: 'string',
          },
          value: {
            type: 'string',
          },
          message: {
            type: 'string',
          },
        },
        required: ['annotation', 'value', 'message'],
      },
      ProviderStatus: {
        type: 'object',
        description: 'How fresh the stored releases of this entity are.',
        properties: {
          id: {
            type: 'string',
          },
          registered: {
            type: 'boolean',
          },
          simulated: {
            type: 'boolean',
          },
          lastSyncedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          stale: {
            type: 'boolean',
            description:
              'True when the last sync failed; the data shown is the last known state.',
          },
          error: {
            type: 'string',
            nullable: true,
          },
        },
        required: [
          'id',
          'registered',
          'simulated',
          'lastSyncedAt',
          'stale',
          'error',
        ],
      },
      EntityReleaseSummary: {
        type: 'object',
        properties: {
          entityRef: {
            type: 'string',
          },
          current: {
            type: 'object',
            description:
              "The latest release of the entity's production environment (the latest of any environment when it has none there).",
            allOf: [
              {
                $ref: '#/components/schemas/Release',
              },
            ],
            nullable: true,
          },
          recent: {
            type: 'array',
            description:
              'The latest releases of every environment, newest first.',
            items: {
              $ref: '#/components/schemas/Release',
            },
          },
          allowedActions: {
            type: 'array',
            description: "The actions the current release's phase admits.",
            items: {
              $ref: '#/components/schemas/ActionType',
            },
          },
          recentActions: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/ReleaseAction',
            },
          },
          provider: {
            type: 'object',
            allOf: [
              {
                $ref: '#/components/schemas/ProviderStatus',
              },
            ],
            nullable: true,
          },
          problems: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/AnnotationProblem',
            },
          },
          environments: {
            type: 'array',
            description:
              "Each environment the entity's rollout annotation names, in promotion order, with its current release; then any other environment the entity has releases in (one its annotation no longer names, or a provider's own for the single form).",
            items: {
              $ref: '#/components/schemas/EnvironmentRelease',
            },
          },
          checklist: {
            type: 'object',
            description:
              "The current release's checklist or, when it has none, the one waiting for the next release.",
            allOf: [
              {
                $ref: '#/components/schemas/Checklist',
              },
            ],
            nullable: true,
          },
          rollbackGate: {
            type: 'object',
            description:
              "The rollback gate of the production environment's latest release; null when the gate is off or no release went to production.",
            allOf: [
              {
                $ref: '#/components/schemas/RollbackGate',
              },
            ],
            nullable: true,
          },
        },
        required: [
          'entityRef',
          'current',
          'checklist',
          'recent',
          'allowedActions',
          'recentActions',
          'provider',
          'problems',
          'environments',
        ],
      },
      RollbackTestState: {
        type: 'string',
        description:
          '`pending` (recorded, not started), `rolling_back` (the rollback was asked of the provider), `restoring` (rolled back; waiting until the previous version is healthy), `rolling_forward` (the version runs again on its way), then `passed`, `failed` (with the reason) or `not_run` (with the reason: nothing was rolled back).',
        enum: [
          'pending',
          'rolling_back',
          'restoring',
          'rolling_forward',
          'passed',
          'failed',
          'not_run',
        ],
      },
      RollbackTest: {
        type: 'object',
        description:
          'One rollback test of a version in a non-production environment: rolled back, the previous version healthy again, rolled forward.',
        properties: {
          id: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          environment: {
            type: 'string',
          },
          version: {
            type: 'string',
            description: 'The version tested (rolled back and forward again).',
          },
          previousVersion: {
            type: 'string',
            nullable: true,
            description: 'The version it is rolled back to.',
          },
          releaseId: {
            type: 'string',
            description: 'The completed release whose version is tested.',
          },
          provider: {
            type: 'string',
          },
          simulated: {
            type: 'boolean',
            description:
              'True when the provider is a simulation (the sandbox).',
          },
          trigger: {
            type: 'string',
            enum: ['policy', 'manual'],
            description:
              '`policy` when Glidepath ran it because the release completed, `manual` when someone asked for it.',
          },
          requestedBy: {
            $ref: '#/components/schemas/Actor',
          },
          reason: {
            type: 'string',
          },
          state: {
            $ref: '#/components/schemas/RollbackTestState',
          },
          stateReason: {
            type: 'string',
            nullable: true,
            description:
              'Why it failed or was not run; while it runs, what it waits for.',
          },
          requestedAt: {
            type: 'string',
            format: 'date-time',
          },
          rolledBackAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description: 'When the provider had rolled the version back.',
          },
          healthyAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description: 'When the previous version was healthy again.',
          },
          finishedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          rollbackSeconds: {
            type: 'number',
            nullable: true,
            description: 'Time to roll back, from the request to rolledBackAt.',
          },
          healthySeconds: {
            type: 'number',
            nullable: true,
            description: 'Time to healthy, from the request to healthyAt.',
          },
        },
        required: [
          'id',
          'entityRef',
          'environment',
          'version',
          'previousVersion',
          'releaseId',
          'provider',
          'simulated',
          'trigger',
          'requestedBy',
          'reason',
          'state',
          'stateReason',
          'requestedAt',
          'rolledBackAt',
          'healthyAt',
          'finishedAt',
          'rollbackSeconds',
          'healthySeconds',
        ],
      },
      RollbackTestRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          environment: {
            type: 'string',
            description:
              'A non-production environment of the entity; the first one in promotion order when left out.',
          },
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 500,
          },
        },
        required: ['reason'],
      },
      RollbackGateOverrideRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 500,
          },
        },
        required: ['reason'],
      },
      RollbackGate: {
        type: 'object',
        description:
          "Whether a production release's version had its rollback tested before production, and what the gate does about it.",
        properties: {
          releaseId: {
            type: 'string',
          },
          version: {
            type: 'string',
          },
          mode: {
            type: 'string',
            enum: ['required', 'advisory', 'off'],
            description:
              '`required`: a release without a passed test waits at its first step; `advisory`: it is only said; `off`: not looked at.',
          },
          status: {
            type: 'string',
            enum: ['passed', 'running', 'failed', 'missing', 'overridden'],
          },
          holds: {
            type: 'boolean',
            description: 'True while the gate keeps the release waiting.',
          },
          message: {
            type: 'string',
            description: "The gate's state in plain words.",
          },
          test: {
            type: 'object',
            description: 'The passed test of the version, else its latest one.',
            allOf: [
              {
                $ref: '#/components/schemas/RollbackTest',
              },
            ],
            nullable: true,
          },
          override: {
            type: 'object',
            nullable: true,
            properties: {
              by: {
                $ref: '#/components/schemas/Actor',
              },
              reason: {
                type: 'string',
              },
              at: {
                type: 'string',
                format: 'date-time',
              },
            },
            required: ['by', 'reason', 'at'],
          },
        },
        required: [
          'releaseId',
          'version',
          'mode',
          'status',
          'holds',
          'message',
          'test',
          'override',
        ],
      },
      CalendarScope: {
        type: 'object',
        additionalProperties: false,
        description:
          'What a window or train applies to: the organisation; a domain, system, owner or entity by `ref` (an entity ref); an environment by `name`.',
        properties: {
          kind: {
            type: 'string',
            enum: [
              'organisation',
              'domain',
              'system',
              'owner',
              'entity',
              'environment',
            ],
          },
          ref: {
            type: 'string',
            minLength: 1,
          },
          name: {
            type: 'string',
            minLength: 1,
          },
        },
        required: ['kind'],
      },
      FreezeWindowRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          title: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          effect: {
            type: 'string',
            enum: ['deny', 'allow'],
            description:
              '`deny` closes releasing while open; with `allow` windows, releasing is closed outside them. Deny wins.',
          },
          scope: {
            $ref: '#/components/schemas/CalendarScope',
          },
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 500,
          },
          timezone: {
            type: 'string',
            description: 'An IANA timezone, e.g. Europe/Berlin.',
          },
          start: {
            type: 'string',
            description:
              'Local date and time in the timezone, YYYY-MM-DDTHH:mm.',
          },
          end: {
            type: 'string',
            description: 'For a one-off window, its local end.',
          },
          rrule: {
            type: 'string',
            description:
              'For a recurring window, an RFC 5545 RRULE (e.g. FREQ=WEEKLY;BYDAY=FR) from start.',
          },
          durationMinutes: {
            type: 'integer',
            minimum: 1,
            description:
              'For a recurring window, how long each occurrence lasts.',
          },
        },
        required: ['title', 'effect', 'scope', 'reason', 'timezone', 'start'],
      },
      FreezeWindow: {
        type: 'object',
        properties: {
          title: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          effect: {
            type: 'string',
            enum: ['deny', 'allow'],
            description:
              '`deny` closes releasing while open; with `allow` windows, releasing is closed outside them. Deny wins.',
          },
          scope: {
            $ref: '#/components/schemas/CalendarScope',
          },
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 500,
          },
          timezone: {
            type: 'string',
            description: 'An IANA timezone, e.g. Europe/Berlin.',
          },
          start: {
            type: 'string',
            description:
              'Local date and time in the timezone, YYYY-MM-DDTHH:mm.',
          },
          end: {
            type: 'string',
            description: 'For a one-off window, its local end.',
          },
          rrule: {
            type: 'string',
            description:
              'For a recurring window, an RFC 5545 RRULE (e.g. FREQ=WEEKLY;BYDAY=FR) from start.',
          },
          durationMinutes: {
            type: 'integer',
            minimum: 1,
            description:
              'For a recurring window, how long each occurrence lasts.',
          },
          id: {
            type: 'string',
          },
          createdBy: {
            $ref: '#/components/schemas/Actor',
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          definedIn: {
            type: 'string',
            enum: ['app-config'],
            description:
              'Set when the window is defined in config (glidepath.calendar.windows); it cannot be deleted through the API.',
          },
        },
        required: [
          'id',
          'createdBy',
          'createdAt',
          'title',
          'effect',
          'scope',
          'reason',
          'timezone',
          'start',
        ],
      },
      ReleaseTrainRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          title: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          scope: {
            $ref: '#/components/schemas/CalendarScope',
          },
          timezone: {
            type: 'string',
          },
          start: {
            type: 'string',
          },
          rrule: {
            type: 'string',
          },
        },
        required: ['title', 'scope', 'timezone', 'start', 'rrule'],
      },
      ReleaseTrain: {
        type: 'object',
        properties: {
          title: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          scope: {
            $ref: '#/components/schemas/CalendarScope',
          },
          timezone: {
            type: 'string',
          },
          start: {
            type: 'string',
          },
          rrule: {
            type: 'string',
          },
          id: {
            type: 'string',
          },
          createdBy: {
            $ref: '#/components/schemas/Actor',
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          nextSlots: {
            type: 'array',
            description: 'The next three slots.',
            items: {
              type: 'string',
              format: 'date-time',
            },
          },
          definedIn: {
            type: 'string',
            enum: ['app-config'],
            description:
              'Set when the train is defined in config (glidepath.calendar.trains); it cannot be deleted through the API.',
          },
        },
        required: [
          'id',
          'createdBy',
          'createdAt',
          'nextSlots',
          'title',
          'scope',
          'timezone',
          'start',
          'rrule',
        ],
      },
      CalendarState: {
        type: 'object',
        properties: {
          closed: {
            type: 'boolean',
          },
          reason: {
            type: 'string',
            nullable: true,
          },
          windowId: {
            type: 'string',
            nullable: true,
          },
          nextOpen: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          nextClose: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          nextCloseReason: {
            type: 'string',
            nullable: true,
          },
        },
        required: [
          'closed',
          'reason',
          'windowId',
          'nextOpen',
          'nextClose',
          'nextCloseReason',
        ],
      },
      CalendarFeedLink: {
        type: 'object',
        properties: {
          path: {
            type: 'string',
            description:
              "The feed's path and query under the plugin's base URL.",
          },
          subscribable: {
            type: 'boolean',
            description:
              'Whether the link opens without a Backstage token (calendar apps can subscribe); false when glidepath.calendar.feeds.secret is not set.',
          },
        },
        required: ['path', 'subscribable'],
      },
      EntityCalendar: {
        type: 'object',
        properties: {
          entityRef: {
            type: 'string',
          },
          environments: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: {
                  type: 'string',
                },
                state: {
                  $ref: '#/components/schemas/CalendarState',
                },
                override: {
                  $ref: '#/components/schemas/ReleaseFreezeOverride',
                },
              },
              required: ['name', 'state'],
            },
          },
          trains: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: {
                  type: 'string',
                },
                title: {
                  type: 'string',
                },
                next: {
                  type: 'string',
                  format: 'date-time',
                  nullable: true,
                },
              },
              required: ['id', 'title', 'next'],
            },
          },
          errorBudget: {
            $ref: '#/components/schemas/ErrorBudget',
          },
          fixes: {
            type: 'array',
            description: "The entity's releases in flight marked as fixes.",
            items: {
              $ref: '#/components/schemas/ReleaseFix',
            },
          },
        },
        required: ['entityRef', 'environments', 'trains'],
      },
      ErrorBudget: {
        type: 'object',
        description:
          "The error-budget policy's state for a service: how much of its SLO's error budget the last `windowDays` days burned, read from its metrics provider (cached), and whether its production releases are frozen for it (all but fixes).",
        properties: {
          status: {
            type: 'string',
            enum: ['within', 'spent', 'unknown', 'no_slo'],
            description:
              '`within` the budget, `spent` (100% or more burned: frozen except fixes), `unknown` (no data or the provider failed: not frozen), `no_slo` (no `glidepath.dev/slo`: no policy).',
          },
          sloPercent: {
            type: 'number',
            nullable: true,
          },
          windowDays: {
            type: 'integer',
          },
          requests: {
            type: 'number',
            nullable: true,
          },
          errors: {
            type: 'number',
            nullable: true,
          },
          errorRatio: {
            type: 'number',
            nullable: true,
            description: 'Server errors per request over the window, 0 to 1.',
          },
          burnedPercent: {
            type: 'number',
            nullable: true,
            description:
              'The error ratio as a share of the budget (1 - SLO), in percent.',
          },
          frozen: {
            type: 'boolean',
          },
          environments: {
            type: 'array',
            description:
              'The environments the policy freezes (production ones).',
            items: {
              type: 'string',
            },
          },
          reason: {
            type: 'string',
            nullable: true,
            description: 'Why it is frozen, or why the budget is unknown.',
          },
          readAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description: 'When the provider was read (the reading is cached).',
          },
        },
        required: [
          'status',
          'sloPercent',
          'windowDays',
          'requests',
          'errors',
          'errorRatio',
          'burnedPercent',
          'frozen',
          'environments',
          'reason',
          'readAt',
        ],
      },
      ReleaseFixRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 500,
          },
        },
        required: ['reason'],
      },
      ReleaseFix: {
        type: 'object',
        properties: {
          releaseId: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          environment: {
            type: 'string',
          },
          version: {
            type: 'string',
          },
          by: {
            $ref: '#/components/schemas/Actor',
          },
          reason: {
            type: 'string',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: [
          'releaseId',
          'entityRef',
          'environment',
          'version',
          'by',
          'reason',
          'at',
        ],
      },
      FreezeOverrideRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 500,
          },
        },
        required: ['reason'],
      },
      PlanMemberRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entityRef: {
            type: 'string',
            minLength: 1,
          },
          version: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          environment: {
            type: 'string',
            minLength: 1,
          },
          fix: {
            type: 'boolean',
            description:
              "The release fixes the service: it may go out while the service's error budget is spent.",
          },
        },
        required: ['entityRef', 'version', 'environment'],
      },
      PlanGates: {
        type: 'object',
        additionalProperties: false,
        description: 'What must hold before the next wave starts.',
        properties: {
          soakMinutes: {
            type: 'integer',
            minimum: 0,
            maximum: 1440,
            description:
              "Minutes the wave's releases run complete and healthy first.",
          },
          analysisPassed: {
            type: 'boolean',
            description:
              'Every release of the wave passed its canary analysis (or had none to run).',
          },
          checklistItems: {
            type: 'array',
            description: 'Checklist items every release of the wave has done.',
            items: {
              type: 'string',
              minLength: 1,
            },
          },
          rollbackTestPassed: {
            type: 'boolean',
            description:
              'Every member whose rollback-test policy is on has a passed rollback test of its version.',
          },
        },
      },
      PlanFailurePolicy: {
        type: 'string',
        enum: ['halt', 'rollback-wave', 'rollback-all'],
        description:
          'On a failed member: halt (stop, roll nothing back), roll back the failed wave, or roll back every wave in reverse dependency order.',
      },
      PlanRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          title: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          members: {
            type: 'array',
            minItems: 1,
            maxItems: 500,
            items: {
              $ref: '#/components/schemas/PlanMemberRequest',
            },
          },
          startAt: {
            type: 'string',
            format: 'date-time',
            description:
              'When to start; now when neither this nor trainId is given.',
          },
          trainId: {
            type: 'string',
            description: 'Start at the next slot of this release train.',
          },
          gates: {
            $ref: '#/components/schemas/PlanGates',
          },
          failurePolicy: {
            $ref: '#/components/schemas/PlanFailurePolicy',
          },
          overrideReason: {
            type: 'string',
            minLength: 1,
            maxLength: 500,
            description:
              'Goes ahead despite a dependency cycle or a requirement the plan breaks; recorded with the plan.',
          },
        },
        required: ['title', 'members'],
      },
      PlanControlRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 500,
          },
        },
        required: ['reason'],
      },
      PlanState: {
        type: 'string',
        enum: [
          'scheduled',
          'running',
          'paused',
          'rolling_back',
          'succeeded',
          'failed',
          'rolled_back',
          'aborted',
        ],
      },
      PlanMember: {
        type: 'object',
        properties: {
          entityRef: {
            type: 'string',
          },
          version: {
            type: 'string',
          },
          environment: {
            type: 'string',
          },
          fix: {
            type: 'boolean',
          },
          wave: {
            type: 'integer',
          },
          state: {
            type: 'string',
            enum: [
              'pending',
              'starting',
              'manual',
              'releasing',
              'released',
              'failed',
              'rolling_back',
              'rolled_back',
            ],
          },
          stateReason: {
            type: 'string',
            nullable: true,
          },
          mode: {
            type: 'string',
            enum: ['provider', 'manual'],
            description:
              '`manual` when the provider cannot start releases: the plan waits until the version shows up.',
          },
          releaseId: {
            type: 'string',
            nullable: true,
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          completedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          rolledBackAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
        },
        required: [
          'entityRef',
          'version',
          'environment',
          'fix',
          'wave',
          'state',
          'stateReason',
          'mode',
          'releaseId',
          'startedAt',
          'completedAt',
          'rolledBackAt',
        ],
      },
      PlanWave: {
        type: 'object',
        properties: {
          index: {
            type: 'integer',
          },
          state: {
            type: 'string',
            enum: [
              'pending',
              'waiting',
              'releasing',
              'soaking',
              'done',
              'failed',
              'rolling_back',
              'rolled_back',
            ],
          },
          waitingFor: {
            type: 'string',
            nullable: true,
            description:
              'What the wave waits for (a gate, a freeze), in words.',
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          completedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
        },
        required: ['index', 'state', 'waitingFor', 'startedAt', 'completedAt'],
      },
      PlanEvent: {
        type: 'object',
        properties: {
          at: {
            type: 'string',
            format: 'date-time',
          },
          kind: {
            type: 'string',
          },
          message: {
            type: 'string',
          },
          wave: {
            type: 'integer',
            nullable: true,
          },
          entityRef: {
            type: 'string',
            nullable: true,
          },
          actor: {
            type: 'object',
            allOf: [
              {
                $ref: '#/components/schemas/Actor',
              },
            ],
            nullable: true,
          },
        },
        required: ['at', 'kind', 'message', 'wave', 'entityRef', 'actor'],
      },
      PlanOverride: {
        type: 'object',
        properties: {
          by: {
            $ref: '#/components/schemas/Actor',
          },
          reason: {
            type: 'string',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
          problems: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
        },
        required: ['by', 'reason', 'at', 'problems'],
      },
      Plan: {
        type: 'object',
        properties: {
          id: {
            type: 'string',
          },
          title: {
            type: 'string',
          },
          state: {
            $ref: '#/components/schemas/PlanState',
          },
          stateReason: {
            type: 'string',
            nullable: true,
          },
          failurePolicy: {
            $ref: '#/components/schemas/PlanFailurePolicy',
          },
          gates: {
            $ref: '#/components/schemas/PlanGates',
          },
          startAt: {
            type: 'string',
            format: 'date-time',
          },
          trainId: {
            type: 'string',
            nullable: true,
          },
          createdBy: {
            $ref: '#/components/schemas/Actor',
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          startedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          finishedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          currentWave: {
            type: 'integer',
            nullable: true,
          },
          override: {
            type: 'object',
            allOf: [
              {
                $ref: '#/components/schemas/PlanOverride',
              },
            ],
            nullable: true,
          },
          freezeOverride: {
            type: 'object',
            allOf: [
              {
                $ref: '#/components/schemas/PlanOverride',
              },
            ],
            nullable: true,
          },
          waves: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/PlanWave',
            },
          },
          members: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/PlanMember',
            },
          },
          events: {
            type: 'array',
            description: 'The timeline, oldest first (the latest 200).',
            items: {
              $ref: '#/components/schemas/PlanEvent',
            },
          },
          simulated: {
            type: 'boolean',
            description: "A member's provider is a simulation.",
          },
        },
        required: [
          'id',
          'title',
          'state',
          'stateReason',
          'failurePolicy',
          'gates',
          'startAt',
          'trainId',
          'createdBy',
          'createdAt',
          'startedAt',
          'finishedAt',
          'currentWave',
          'override',
          'freezeOverride',
          'waves',
          'members',
          'events',
          'simulated',
        ],
      },
      FreezeOverride: {
        type: 'object',
        properties: {
          releaseId: {
            type: 'string',
          },
          by: {
            $ref: '#/components/schemas/Actor',
          },
          reason: {
            type: 'string',
          },
          windowId: {
            type: 'string',
            nullable: true,
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: ['releaseId', 'by', 'reason', 'windowId', 'at'],
      },
      ReleaseFreezeOverride: {
        type: 'object',
        description:
          "The break-glass override of an environment's latest release, with its version: that release may be promoted and resumed during a freeze. Absent when the latest release has none.",
        properties: {
          releaseId: {
            type: 'string',
          },
          version: {
            type: 'string',
          },
          by: {
            $ref: '#/components/schemas/Actor',
          },
          reason: {
            type: 'string',
          },
          windowId: {
            type: 'string',
            nullable: true,
            description:
              'The freeze window open when the glass was broken, if any.',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: ['releaseId', 'version', 'by', 'reason', 'windowId', 'at'],
      },
      EnvironmentRelease: {
        type: 'object',
        description: 'One environment of an entity and what runs there.',
        properties: {
          name: {
            type: 'string',
            description: 'The environment, e.g. `staging`.',
          },
          production: {
            type: 'boolean',
            description:
              'Whether it is a production environment: marked so in `glidepath.environments`, or the target of a single-form annotation (which means production).',
          },
          provider: {
            type: 'string',
            nullable: true,
            description:
              "The rollout provider of the entity's target here; null when the annotation names no target here.",
          },
          ref: {
            type: 'string',
            nullable: true,
            description: "The provider's reference of the target here.",
          },
          current: {
            type: 'object',
            description:
              'The latest release here (by start), whatever its phase: what runs, or what is on its way (its previousVersion is what ran before).',
            allOf: [
              {
                $ref: '#/components/schemas/Release',
              },
            ],
            nullable: true,
          },
          rollbackTest: {
            type: 'object',
            description:
              'The latest rollback test here (non-production environments); null when none ran.',
            allOf: [
              {
                $ref: '#/components/schemas/RollbackTest',
              },
            ],
            nullable: true,
          },
        },
        required: ['name', 'production', 'provider', 'ref', 'current'],
      },
      GraphDirection: {
        type: 'string',
        enum: ['dependencies', 'dependents', 'both'],
      },
      GraphScope: {
        type: 'object',
        description: 'What the graph was asked for.',
        properties: {
          type: {
            type: 'string',
            enum: ['entity', 'system', 'domain', 'owner', 'all'],
          },
          ref: {
            type: 'string',
            nullable: true,
            description:
              'The root entity, system, domain or owner, normalised.',
          },
          depth: {
            type: 'integer',
            nullable: true,
          },
          direction: {
            $ref: '#/components/schemas/GraphDirection',
          },
        },
        required: ['type', 'ref', 'depth', 'direction'],
      },
      GraphDeployment: {
        type: 'object',
        description:
          'What runs in one environment: the stable version (the latest release that succeeded, or the version a failed, aborted or rolled back release left in place) and the release in progress, if any.',
        properties: {
          environment: {
            type: 'string',
          },
          version: {
            type: 'string',
            nullable: true,
          },
          releaseId: {
            type: 'string',
            description: 'The latest release in this environment.',
          },
          releasePhase: {
            $ref: '#/components/schemas/ReleasePhase',
          },
          releasingVersion: {
            type: 'string',
            nullable: true,
            description:
              'The version being rolled out, while a release progresses.',
          },
          simulated: {
            type: 'boolean',
          },
        },
        required: [
          'environment',
          'version',
          'releaseId',
          'releasePhase',
          'releasingVersion',
          'simulated',
        ],
      },
      GraphNode: {
        type: 'object',
        properties: {
          entityRef: {
            type: 'string',
            description: 'kind:namespace/name in lower case.',
          },
          kind: {
            type: 'string',
          },
          namespace: {
            type: 'string',
          },
          name: {
            type: 'string',
          },
          title: {
            type: 'string',
            nullable: true,
          },
          type: {
            type: 'string',
            nullable: true,
            description: 'spec.type, e.g. service, database.',
          },
          owner: {
            type: 'string',
            nullable: true,
          },
          system: {
            type: 'string',
            nullable: true,
            description:
              "The system it is part of (its partOf relation of kind System); a subcomponent has none of its parent's, as in Backstage.",
          },
          lifecycle: {
            type: 'string',
            nullable: true,
          },
          phase: {
            type: 'string',
            nullable: true,
            enum: [
              'pending',
              'progressing',
              'paused',
              'succeeded',
              'aborted',
              'rolled_back',
              'failed',
              null,
            ],
            description:
              "The phase of the entity's most recent release, in any environment (the values of ReleasePhase), or null without releases.",
          },
          deployments: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/GraphDeployment',
            },
          },
          distance: {
            type: 'integer',
            nullable: true,
            description:
              'Hops from the root or the scope; 0 for the root and scope members.',
          },
          inScope: {
            type: 'boolean',
            description:
              'False for nodes outside a system, domain or owner reached by depth.',
          },
          layout: {
            type: 'object',
            description:
              'A layered drawing, dependencies left of their dependents.',
            properties: {
              layer: {
                type: 'integer',
              },
              row: {
                type: 'integer',
              },
            },
            required: ['layer', 'row'],
          },
          problems: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/AnnotationProblem',
            },
          },
        },
        required: [
          'entityRef',
          'kind',
          'namespace',
          'name',
          'title',
          'type',
          'owner',
          'system',
          'lifecycle',
          'phase',
          'deployments',
          'distance',
          'inScope',
          'layout',
          'problems',
        ],
      },
      RequirementCheck: {
        type: 'object',
        description:
          'A requirement checked against the version deployed in one environment.',
        properties: {
          environment: {
            type: 'string',
          },
          version: {
            type: 'string',
            nullable: true,
          },
          status: {
            $ref: '#/components/schemas/RequirementStatus',
          },
          releasing: {
            type: 'boolean',
            description:
              'True for the version a release in progress is rolling out, which will run everywhere if it is promoted.',
          },
          message: {
            type: 'string',
            nullable: true,
          },
        },
        required: ['environment', 'version', 'releasing', 'status', 'message'],
      },
      RequirementStatus: {
        type: 'string',
        enum: ['satisfied', 'broken', 'unknown'],
      },
      GraphRequirement: {
        type: 'object',
        properties: {
          range: {
            type: 'string',
          },
          text: {
            type: 'string',
            description: 'The entry as written in glidepath.dev/requires.',
          },
          status: {
            $ref: '#/components/schemas/RequirementStatus',
          },
          checks: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/RequirementCheck',
            },
          },
        },
        required: ['range', 'text', 'status', 'checks'],
      },
      GraphEdge: {
        type: 'object',
        description: '`from` depends on `to`: `to` is released first.',
        properties: {
          from: {
            type: 'string',
          },
          to: {
            type: 'string',
          },
          relations: {
            type: 'array',
            items: {
              type: 'string',
              enum: ['dependsOn', 'consumesApi', 'requires'],
            },
          },
          apis: {
            type: 'array',
            description: 'The APIs through which `from` consumes `to`.',
            items: {
              type: 'string',
            },
          },
          requirement: {
            type: 'object',
            allOf: [
              {
                $ref: '#/components/schemas/GraphRequirement',
              },
            ],
            nullable: true,
          },
        },
        required: ['from', 'to', 'relations', 'apis', 'requirement'],
      },
      ReleaseOrder: {
        type: 'object',
        description:
          'Topological layers, dependencies first: each layer can be released once the layers before it are done. Null when cycles prevent an order.',
        properties: {
          layers: {
            type: 'array',
            nullable: true,
            items: {
              type: 'array',
              items: {
                type: 'string',
              },
            },
          },
          cycles: {
            type: 'array',
            items: {
              type: 'array',
              items: {
                type: 'string',
              },
            },
          },
        },
        required: ['layers', 'cycles'],
      },
      DependencyGraph: {
        type: 'object',
        properties: {
          scope: {
            $ref: '#/components/schemas/GraphScope',
          },
          nodes: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/GraphNode',
            },
          },
          edges: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/GraphEdge',
            },
          },
          releaseOrder: {
            $ref: '#/components/schemas/ReleaseOrder',
          },
          missing: {
            type: 'array',
            description:
              'Entities named by a relation or requirement of a node that give no edge: the catalog did not return them (absent, or not readable by the caller), or they are of the wrong kind (a consumesApis entry naming a component). Sorted.',
            items: {
              type: 'string',
            },
          },
          missingDetails: {
            type: 'array',
            description:
              'Why each entry of `missing` is there, in the same order.',
            items: {
              $ref: '#/components/schemas/GraphMissing',
            },
          },
          generatedAt: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: [
          'scope',
          'nodes',
          'edges',
          'releaseOrder',
          'missing',
          'generatedAt',
        ],
      },
      GraphMissing: {
        type: 'object',
        description: 'An entity a node names that gives no edge, and why.',
        properties: {
          entityRef: {
            type: 'string',
          },
          reason: {
            type: 'string',
            enum: ['not-found', 'wrong-kind'],
            description:
              'not-found: the catalog did not return it (absent, or not readable by the caller); wrong-kind: it exists but the relation needs another kind (consumesApis names APIs).',
          },
          namedBy: {
            type: 'array',
            description: 'The nodes of the graph that name it, sorted.',
            items: {
              type: 'string',
            },
          },
          relations: {
            type: 'array',
            description: 'The relations that name it, sorted.',
            items: {
              type: 'string',
              enum: ['dependsOn', 'consumesApi', 'requires'],
            },
          },
          message: {
            type: 'string',
          },
        },
        required: ['entityRef', 'reason', 'namedBy', 'relations', 'message'],
      },
      ProposedChange: {
        type: 'object',
        properties: {
          entityRef: {
            type: 'string',
            minLength: 1,
          },
          version: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          environment: {
            type: 'string',
            description:
              'Defaults to every environment the entity is deployed to.',
          },
        },
        required: ['entityRef', 'version'],
      },
      GraphCheckRequest: {
        type: 'object',
        properties: {
          changes: {
            type: 'array',
            minItems: 1,
            maxItems: 200,
            items: {
              $ref: '#/components/schemas/ProposedChange',
            },
          },
        },
        required: ['changes'],
      },
      RequirementViolation: {
        type: 'object',
        properties: {
          from: {
            type: 'string',
            description: 'The entity whose requirement breaks.',
          },
          to: {
            type: 'string',
            description: 'The changed entity.',
          },
          range: {
            type: 'string',
          },
          text: {
            type: 'string',
          },
          proposedVersion: {
            type: 'string',
          },
          currentVersion: {
            type: 'string',
            nullable: true,
            description: 'What the environment runs now, when known.',
          },
          environment: {
            type: 'string',
            nullable: true,
          },
          alreadyBroken: {
            type: 'boolean',
            description: 'True when the deployed version already breaks it.',
          },
          message: {
            type: 'string',
          },
        },
        required: [
          'from',
          'to',
          'range',
          'text',
          'proposedVersion',
          'currentVersion',
          'environment',
          'alreadyBroken',
          'message',
        ],
      },
      GraphCheckResult: {
        type: 'object',
        properties: {
          broken: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/RequirementViolation',
            },
          },
          unknown: {
            type: 'array',
            description:
              'Requirements that cannot be judged (a version that is not semver).',
            items: {
              $ref: '#/components/schemas/RequirementViolation',
            },
          },
          releaseOrder: {
            $ref: '#/components/schemas/ReleaseOrder',
          },
          blastRadius: {
            type: 'array',
            description:
              'Every entity that depends on a changed one, directly or not.',
            items: {
              type: 'string',
            },
          },
          missing: {
            type: 'array',
            description: 'Changed entities the catalog did not return.',
            items: {
              type: 'string',
            },
          },
        },
        required: [
          'broken',
          'unknown',
          'releaseOrder',
          'blastRadius',
          'missing',
        ],
      },
      DeploymentEvent: {
        type: 'object',
        description:
          'A deployment to an environment, as a CI/CD system reports it.',
        properties: {
          id: {
            type: 'string',
            description:
              "The sender's id of this deployment; unique per deployment.",
            maxLength: 200,
          },
          entityRef: {
            type: 'string',
            description:
              'The deployed entity; kind defaults to component, namespace to default.',
          },
          environment: {
            type: 'string',
            description:
              'Where it went; the environments in glidepath.dora.productionEnvironments (default production) count.',
          },
          version: {
            type: 'string',
          },
          deployedAt: {
            type: 'string',
            format: 'date-time',
          },
          firstCommitAt: {
            type: 'string',
            format: 'date-time',
            description: 'The first commit of the change, for lead time.',
          },
          commit: {
            type: 'string',
          },
          outcome: {
            type: 'string',
            enum: ['succeeded', 'failed', 'rolled_back', 'aborted'],
            default: 'succeeded',
          },
          finishedAt: {
            type: 'string',
            format: 'date-time',
            description:
              'When it ended; for failed, rolled back or aborted deployments, when the previous version was serving again.',
          },
          url: {
            type: 'string',
          },
          strategy: {
            type: 'string',
            enum: ['canary', 'blue_green', 'rolling', 'recreate'],
            description:
              'How it went out, for the share of progressive delivery: canary and blue_green count as progressive, rolling and recreate as all at once; left out, it counts as unknown.',
          },
        },
        required: ['id', 'entityRef', 'environment', 'version', 'deployedAt'],
      },
      IncidentEvent: {
        type: 'object',
        description:
          'An incident opened or resolved, as a paging tool reports it.',
        properties: {
          id: {
            type: 'string',
            maxLength: 200,
          },
          entityRef: {
            type: 'string',
          },
          openedAt: {
            type: 'string',
            format: 'date-time',
          },
          resolvedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          title: {
            type: 'string',
          },
          severity: {
            type: 'string',
          },
          url: {
            type: 'string',
          },
          deploymentId: {
            type: 'string',
            description:
              'The id of the deployment event that caused it (an explicit link).',
          },
          version: {
            type: 'string',
            description:
              "The entity's version that caused it (an explicit link).",
          },
        },
        required: ['id'],
      },
      EventsReceived: {
        type: 'object',
        properties: {
          received: {
            type: 'integer',
          },
          created: {
            type: 'integer',
          },
          updated: {
            type: 'integer',
          },
          unchanged: {
            type: 'integer',
            description:
              'Ids received before with the same content (not counted twice).',
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: {
                  type: 'string',
                },
                status: {
                  type: 'string',
                  enum: ['created', 'updated', 'unchanged'],
                },
                matched: {
                  type: 'boolean',
                  description: "Whether the catalog knows the event's entity.",
                },
                warnings: {
                  type: 'array',
                  description:
                    'What was stored but not counted as sent, by field: a firstCommitAt after deployedAt (clock skew) gives the deployment no lead time. Absent when there is nothing to say.',
                  items: {
                    type: 'object',
                    properties: {
                      field: {
                        type: 'string',
                      },
                      message: {
                        type: 'string',
                      },
                    },
                    required: ['field', 'message'],
                  },
                },
              },
              required: ['id', 'status', 'matched'],
            },
          },
          unmatched: {
            type: 'array',
            description: 'Entities of these events the catalog does not know.',
            items: {
              type: 'string',
            },
          },
        },
        required: [
          'received',
          'created',
          'updated',
          'unchanged',
          'results',
          'unmatched',
        ],
      },
      UnmatchedEvent: {
        type: 'object',
        properties: {
          type: {
            type: 'string',
            enum: ['deployment', 'incident'],
          },
          id: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          receivedAt: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: ['type', 'id', 'entityRef', 'receivedAt'],
      },
      DoraBucket: {
        type: 'string',
        enum: ['week', 'month'],
      },
      ReleaseMetricsResponse: {
        type: 'object',
        description:
          'Release metrics of a scope over a period; docs/release-metrics.md.',
        properties: {
          scope: {
            type: 'object',
            properties: {
              type: {
                type: 'string',
                enum: ['entity', 'owner', 'system', 'all'],
              },
              ref: {
                type: 'string',
                nullable: true,
              },
            },
            required: ['type', 'ref'],
          },
          from: {
            type: 'string',
            format: 'date-time',
          },
          to: {
            type: 'string',
            format: 'date-time',
          },
          bucket: {
            $ref: '#/components/schemas/DoraBucket',
          },
          targets: {
            type: 'object',
            properties: {
              rollbackTestedShare: {
                type: 'number',
                description:
                  'The share of production releases that should have passed a rollback test first (0.7).',
              },
              rollbackTimeMs: {
                type: 'integer',
                description:
                  'The longest a rollback should take (120000, two minutes).',
              },
              plannedShare: {
                type: 'number',
                description:
                  'The share of cross-service releases that should go through a release plan (0.7).',
              },
            },
            required: ['rollbackTestedShare', 'rollbackTimeMs'],
          },
          summary: {
            $ref: '#/components/schemas/ReleaseMetricsMeasures',
          },
          series: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                start: {
                  type: 'string',
                  format: 'date-time',
                },
                end: {
                  type: 'string',
                  format: 'date-time',
                },
                measures: {
                  $ref: '#/components/schemas/ReleaseMetricsMeasures',
                },
              },
              required: ['start', 'end', 'measures'],
            },
          },
          simulatedReleases: {
            type: 'integer',
            description:
              'Production releases of the period made up by a simulation (the sandbox).',
          },
        },
        required: [
          'scope',
          'from',
          'to',
          'bucket',
          'targets',
          'summary',
          'series',
          'simulatedReleases',
        ],
      },
      ReleaseMetricsMeasures: {
        type: 'object',
        properties: {
          productionReleases: {
            type: 'integer',
          },
          rollbackTested: {
            type: 'object',
            description:
              'Production releases whose version passed a rollback test in a non-production environment before they went past their first step (posted deployments, without steps, before they started).',
            properties: {
              releases: {
                type: 'integer',
              },
              tested: {
                type: 'integer',
              },
              share: {
                type: 'number',
                nullable: true,
              },
            },
            required: ['releases', 'tested', 'share'],
          },
          progressiveDelivery: {
            type: 'object',
            description:
              'Production releases by strategy; share is progressive / (progressive + allAtOnce), unknown left out.',
            properties: {
              progressive: {
                type: 'integer',
              },
              allAtOnce: {
                type: 'integer',
              },
              unknown: {
                type: 'integer',
              },
              share: {
                type: 'number',
                nullable: true,
              },
              strategies: {
                type: 'object',
                properties: {
                  canary: {
                    type: 'integer',
                  },
                  blue_green: {
                    type: 'integer',
                  },
                  rolling: {
                    type: 'integer',
                  },
                  recreate: {
                    type: 'integer',
                  },
                },
                required: ['canary', 'blue_green', 'rolling', 'recreate'],
              },
            },
            required: [
              'progressive',
              'allAtOnce',
              'unknown',
              'share',
              'strategies',
            ],
          },
          rollbackTime: {
            type: 'object',
            properties: {
              automatic: {
                $ref: '#/components/schemas/RollbackTimeMeasure',
              },
              manual: {
                $ref: '#/components/schemas/RollbackTimeMeasure',
              },
            },
            required: ['automatic', 'manual'],
          },
          plannedCrossService: {
            $ref: '#/components/schemas/PlannedCrossServiceMeasure',
          },
        },
        required: [
          'productionReleases',
          'rollbackTested',
          'progressiveDelivery',
          'rollbackTime',
        ],
      },
      PlannedCrossServiceMeasure: {
        type: 'object',
        description:
          'Cross-service releases (production releases of two or more services linked by a dependency or a version requirement, started within one day of each other) and how many went through a release plan (every release of the group a member release of one plan). Left out of weekly reports made before the measure existed. Definitions in docs/release-metrics.md.',
        properties: {
          crossServiceReleases: {
            type: 'integer',
          },
          planned: {
            type: 'integer',
          },
          share: {
            type: 'number',
            nullable: true,
          },
        },
        required: ['crossServiceReleases', 'planned', 'share'],
      },
      DoraReportReleaseMetrics: {
        type: 'object',
        description:
          "The release metrics section of a team's weekly report: the week's measures of the team's services against the targets.",
        properties: {
          measures: {
            $ref: '#/components/schemas/ReleaseMetricsMeasures',
          },
          targets: {
            type: 'object',
            properties: {
              rollbackTestedShare: {
                type: 'number',
              },
              rollbackTimeMs: {
                type: 'integer',
              },
              plannedShare: {
                type: 'number',
              },
            },
            required: ['rollbackTestedShare', 'rollbackTimeMs'],
          },
        },
        required: ['measures', 'targets'],
      },
      RollbackTimeMeasure: {
        type: 'object',
        description:
          'Rollbacks of production releases, from the request of the rollback to the release rolled back; unfinished ones (failed, or still running) are counted apart and left out of the times.',
        properties: {
          rollbacks: {
            type: 'integer',
            description: 'Rollbacks that finished.',
          },
          medianMs: {
            type: 'number',
            nullable: true,
          },
          p90Ms: {
            type: 'number',
            nullable: true,
          },
          withinTarget: {
            type: 'integer',
            description: 'Finished rollbacks that took at most the target.',
          },
          unfinished: {
            type: 'integer',
          },
        },
        required: [
          'rollbacks',
          'medianMs',
          'p90Ms',
          'withinTarget',
          'unfinished',
        ],
      },
      DoraLevel: {
        type: 'string',
        enum: ['elite', 'high', 'medium', 'low'],
      },
      DoraMeasures: {
        type: 'object',
        description: 'The four DORA measures over a period (see docs/dora.md).',
        properties: {
          deployments: {
            type: 'integer',
          },
          deploymentsPerDay: {
            type: 'number',
          },
          deploymentFrequencyLevel: {
            type: 'string',
            enum: ['elite', 'high', 'medium', 'low'],
            nullable: true,
          },
          leadTime: {
            type: 'object',
            properties: {
              count: {
                type: 'integer',
              },
              medianMs: {
                type: 'number',
                nullable: true,
              },
              p90Ms: {
                type: 'number',
                nullable: true,
              },
              level: {
                type: 'string',
                enum: ['elite', 'high', 'medium', 'low'],
                nullable: true,
              },
            },
            required: ['count', 'medianMs', 'p90Ms', 'level'],
          },
          changeFailureRate: {
            type: 'object',
            properties: {
              failures: {
                type: 'integer',
              },
              deployments: {
                type: 'integer',
              },
              rate: {
                type: 'number',
                nullable: true,
              },
              level: {
                type: 'string',
                enum: ['elite', 'high', 'medium', 'low'],
                nullable: true,
              },
            },
            required: ['failures', 'deployments', 'rate', 'level'],
          },
          recoveryTime: {
            type: 'object',
            properties: {
              count: {
                type: 'integer',
              },
              open: {
                type: 'integer',
              },
              medianMs: {
                type: 'number',
                nullable: true,
              },
              p90Ms: {
                type: 'number',
                nullable: true,
              },
              level: {
                type: 'string',
                enum: ['elite', 'high', 'medium', 'low'],
                nullable: true,
              },
            },
            required: ['count', 'open', 'medianMs', 'p90Ms', 'level'],
          },
        },
        required: [
          'deployments',
          'deploymentsPerDay',
          'deploymentFrequencyLevel',
          'leadTime',
          'changeFailureRate',
          'recoveryTime',
        ],
      },
      DoraFailure: {
        type: 'object',
        description: 'A failed change and the rule that made it one.',
        properties: {
          deploymentId: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          environment: {
            type: 'string',
          },
          version: {
            type: 'string',
            nullable: true,
          },
          outcome: {
            type: 'string',
            enum: ['succeeded', 'failed', 'rolled_back', 'aborted'],
          },
          deployedAt: {
            type: 'string',
            format: 'date-time',
          },
          rule: {
            type: 'string',
            enum: ['rolled-back', 'linked-incident', 'latest-release'],
          },
          failureStartedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          restoredAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          incidents: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: {
                  type: 'string',
                },
                title: {
                  type: 'string',
                  nullable: true,
                },
                url: {
                  type: 'string',
                  nullable: true,
                },
              },
              required: ['id', 'title', 'url'],
            },
          },
        },
        required: [
          'deploymentId',
          'entityRef',
          'environment',
          'version',
          'outcome',
          'deployedAt',
          'rule',
          'failureStartedAt',
          'restoredAt',
          'incidents',
        ],
      },
      DoraGroup: {
        type: 'object',
        properties: {
          ref: {
            type: 'string',
          },
          title: {
            type: 'string',
            nullable: true,
          },
          entities: {
            type: 'integer',
          },
          summary: {
            $ref: '#/components/schemas/DoraMeasures',
          },
        },
        required: ['ref', 'title', 'entities', 'summary'],
      },
      DoraResponse: {
        type: 'object',
        properties: {
          scope: {
            type: 'object',
            properties: {
              type: {
                type: 'string',
                enum: ['entity', 'owner', 'system', 'all'],
              },
              ref: {
                type: 'string',
                nullable: true,
              },
            },
            required: ['type', 'ref'],
          },
          from: {
            type: 'string',
            format: 'date-time',
          },
          to: {
            type: 'string',
            format: 'date-time',
          },
          bucket: {
            $ref: '#/components/schemas/DoraBucket',
          },
          summary: {
            $ref: '#/components/schemas/DoraMeasures',
          },
          series: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                start: {
                  type: 'string',
                  format: 'date-time',
                },
                end: {
                  type: 'string',
                  format: 'date-time',
                },
                measures: {
                  $ref: '#/components/schemas/DoraMeasures',
                },
              },
              required: ['start', 'end', 'measures'],
            },
          },
          failures: {
            type: 'array',
            description:
              'The latest failed changes of the period (at most 20), newest first.',
            items: {
              $ref: '#/components/schemas/DoraFailure',
            },
          },
          groups: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/DoraGroup',
            },
          },
          unmatchedEvents: {
            type: 'integer',
            description: 'Stored events whose entity the catalog did not know.',
          },
          simulatedDeployments: {
            type: 'integer',
            description:
              "Deployments of the period made up by a simulation (the sandbox's demo history and releases); show them as such.",
          },
        },
        required: [
          'scope',
          'from',
          'to',
          'bucket',
          'summary',
          'series',
          'failures',
          'unmatchedEvents',
          'simulatedDeployments',
        ],
      },
      DoraReportSummary: {
        type: 'object',
        properties: {
          id: {
            type: 'string',
          },
          ownerRef: {
            type: 'string',
          },
          periodStart: {
            type: 'string',
            format: 'date-time',
          },
          periodEnd: {
            type: 'string',
            format: 'date-time',
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          deployments: {
            type: 'integer',
          },
          changeFailureRate: {
            type: 'number',
            nullable: true,
          },
        },
        required: [
          'id',
          'ownerRef',
          'periodStart',
          'periodEnd',
          'createdAt',
          'deployments',
          'changeFailureRate',
        ],
      },
      DoraChange: {
        type: 'object',
        properties: {
          measure: {
            type: 'string',
            enum: [
              'deploymentFrequency',
              'leadTime',
              'changeFailureRate',
              'recoveryTime',
            ],
          },
          current: {
            type: 'number',
            nullable: true,
          },
          previous: {
            type: 'number',
            nullable: true,
          },
          trend: {
            type: 'string',
            enum: ['better', 'worse', 'same', 'no-data'],
          },
        },
        required: ['measure', 'current', 'previous', 'trend'],
      },
      DoraWeeklyReport: {
        type: 'object',
        description:
          "A team's week: its measures, the week before's, how each moved, its services, its failed changes and its slowest lead times.",
        properties: {
          id: {
            type: 'string',
          },
          ownerRef: {
            type: 'string',
          },
          periodStart: {
            type: 'string',
            format: 'date-time',
          },
          periodEnd: {
            type: 'string',
            format: 'date-time',
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          summary: {
            $ref: '#/components/schemas/DoraMeasures',
          },
          previous: {
            $ref: '#/components/schemas/DoraMeasures',
          },
          changes: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/DoraChange',
            },
          },
          services: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                entityRef: {
                  type: 'string',
                },
                deployments: {
                  type: 'integer',
                },
                failures: {
                  type: 'integer',
                },
                leadTimeMedianMs: {
                  type: 'number',
                  nullable: true,
                },
              },
              required: [
                'entityRef',
                'deployments',
                'failures',
                'leadTimeMedianMs',
              ],
            },
          },
          failures: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/DoraFailure',
            },
          },
          slowestLeadTimes: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                deploymentId: {
                  type: 'string',
                },
                entityRef: {
                  type: 'string',
                },
                version: {
                  type: 'string',
                  nullable: true,
                },
                deployedAt: {
                  type: 'string',
                  format: 'date-time',
                },
                leadTimeMs: {
                  type: 'number',
                },
              },
              required: [
                'deploymentId',
                'entityRef',
                'version',
                'deployedAt',
                'leadTimeMs',
              ],
            },
          },
          flags: {
            $ref: '#/components/schemas/DoraReportFlags',
          },
          releaseMetrics: {
            $ref: '#/components/schemas/DoraReportReleaseMetrics',
          },
        },
        required: [
          'id',
          'ownerRef',
          'periodStart',
          'periodEnd',
          'createdAt',
          'summary',
          'previous',
          'changes',
          'services',
          'failures',
          'slowestLeadTimes',
        ],
      },
      DoraReportFlags: {
        type: 'object',
        additionalProperties: false,
        description:
          "The feature-flag section of a team's weekly report: the team's stale flags with the day each is due for cleanup, and the share of the week's new features behind flags, the team's and the organisation's, against the target. Absent from reports written without the flags capability (no flag provider installed) and from reports written before it.",
        properties: {
          inventoryReadAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description:
              "When the flag inventory was last read completely (its latest source's reading) when the report was written; null when it had not been read yet (a report written right after a start, before the first flag sync), so that no flag is known.",
          },
          flags: {
            type: 'integer',
            description:
              "Flags of the team's services in the inventory when written.",
          },
          staleTotal: {
            type: 'integer',
            description: 'Of those, how many were stale.',
          },
          staleFlags: {
            type: 'array',
            nullable: true,
            description:
              "The stale flags, the longest stale first (at most 50). Null in a report written afterwards for a past week: the inventory is the day's, not that week's.",
            items: {
              $ref: '#/components/schemas/DoraReportStaleFlag',
            },
          },
          cleanup: {
            type: 'string',
            enum: ['archives', 'dry_run', 'off'],
            description:
              'What the automated cleanup does after the due day: archives the flag (when it is off everywhere or launched to everyone and not a kill switch), only reports (a dry run), or does not run.',
          },
          coverage: {
            type: 'object',
            additionalProperties: false,
            description:
              "The share of the week's production releases behind a flag, for the team and the organisation.",
            properties: {
              target: {
                type: 'number',
                description: 'The target share (0.8).',
              },
              team: {
                $ref: '#/components/schemas/FlagCoverageShare',
              },
              organisation: {
                $ref: '#/components/schemas/FlagCoverageShare',
              },
            },
            required: ['target', 'team', 'organisation'],
          },
        },
        required: [
          'inventoryReadAt',
          'flags',
          'staleTotal',
          'staleFlags',
          'cleanup',
          'coverage',
        ],
      },
      DoraReportStaleFlag: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entityRef: {
            type: 'string',
          },
          provider: {
            type: 'string',
          },
          key: {
            type: 'string',
          },
          name: {
            type: 'string',
          },
          staleAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description: 'When the flag became stale, where known.',
          },
          reason: {
            type: 'string',
            description: 'Why the flag is stale, in words.',
          },
          dueAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description:
              "The day it is due for cleanup: after it, the flag is archived (or, in a dry run, would be). The day the cleanup announced; for a flag not announced yet (announced), the earliest it can be, the report's writing plus the grace period (the daily cleanup announces it at its next run). Null when the cleanup does not run or a keep decision holds.",
          },
          announced: {
            type: 'boolean',
            description:
              'Whether the cleanup has announced the flag to its owner.',
          },
          keptUntil: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description: 'Until when a keep decision holds, with its reason.',
          },
          keepReason: {
            type: 'string',
            nullable: true,
          },
        },
        required: [
          'entityRef',
          'provider',
          'key',
          'name',
          'staleAt',
          'reason',
          'dueAt',
          'announced',
          'keptUntil',
          'keepReason',
        ],
      },
      FlagState: {
        type: 'string',
        description:
          "A flag's governance state: stale (older than its type's lifetime), launched (one variation served everywhere for launchedAfterDays), inactive (not evaluated for inactiveAfterDays), due_soon (in the last dueSoonDays of its lifetime), fresh, or permanent (a kill switch, a permission flag, a flag not marked temporary).",
        enum: [
          'fresh',
          'due_soon',
          'stale',
          'launched',
          'inactive',
          'permanent',
        ],
      },
      FlagEnvironment: {
        type: 'object',
        description:
          'A flag in one environment, as its provider last reported it.',
        properties: {
          environment: {
            type: 'string',
          },
          type: {
            type: 'string',
            description: "The provider's kind of environment, e.g. production.",
          },
          enabled: {
            type: 'boolean',
          },
          lastEvaluatedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description: 'Null when never evaluated; absent when unknown.',
          },
          servesEveryone: {
            type: 'string',
            description:
              'The variation everyone gets here, when all get the same (true or false for a boolean flag).',
          },
          servingSince: {
            type: 'string',
            format: 'date-time',
          },
          status: {
            type: 'string',
            description: "The provider's own status here, e.g. launched.",
          },
          summary: {
            type: 'string',
            description: 'The targeting in a few words, e.g. on for 25%.',
          },
        },
        required: ['environment', 'enabled'],
      },
      FlagKeep: {
        type: 'object',
        description:
          'A decision to keep a flag whatever its state, until expiresAt.',
        properties: {
          reason: {
            type: 'string',
          },
          expiresAt: {
            type: 'string',
            format: 'date-time',
          },
          expired: {
            type: 'boolean',
          },
          decidedBy: {
            $ref: '#/components/schemas/Actor',
          },
          decidedAt: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: ['reason', 'expiresAt', 'expired', 'decidedBy', 'decidedAt'],
      },
      Flag: {
        type: 'object',
        properties: {
          id: {
            type: 'string',
            description: "Glidepath's id of the flag, stable while it exists.",
          },
          entityRef: {
            type: 'string',
          },
          provider: {
            type: 'string',
          },
          simulated: {
            type: 'boolean',
            description: 'True for a simulation (the sandbox).',
          },
          key: {
            type: 'string',
            description: "The provider's key of the flag.",
          },
          name: {
            type: 'string',
          },
          project: {
            type: 'string',
            nullable: true,
          },
          description: {
            type: 'string',
            nullable: true,
          },
          type: {
            type: 'string',
            nullable: true,
            description:
              "The provider's flag type, e.g. release or kill-switch.",
          },
          temporary: {
            type: 'boolean',
            nullable: true,
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          createdBy: {
            type: 'string',
            nullable: true,
          },
          ageDays: {
            type: 'integer',
          },
          owner: {
            type: 'string',
            nullable: true,
            description:
              "The annotated entity's owner (an entity ref), else the provider's maintainer, else null.",
          },
          ownerSource: {
            type: 'string',
            nullable: true,
            enum: ['catalog', 'provider', null],
          },
          environments: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/FlagEnvironment',
            },
          },
          lastEvaluatedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description:
              'The latest evaluation anywhere; null when never or when the provider cannot tell (see evaluationKnown).',
          },
          evaluationKnown: {
            type: 'boolean',
          },
          lifecycle: {
            type: 'string',
            nullable: true,
          },
          providerStale: {
            type: 'boolean',
            description:
              'The provider itself marks the flag (potentially) stale.',
          },
          tags: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          url: {
            type: 'string',
            nullable: true,
          },
          state: {
            $ref: '#/components/schemas/FlagState',
          },
          stateReason: {
            type: 'string',
            description: 'The state in a sentence.',
          },
          staleAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description:
              'When the flag is or became stale; null when permanent.',
          },
          keep: {
            type: 'object',
            allOf: [
              {
                $ref: '#/components/schemas/FlagKeep',
              },
            ],
            nullable: true,
          },
          inventoryStale: {
            type: 'boolean',
            description:
              "The last reading of the flag's source failed: this is the last inventory that could be read.",
          },
          readAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description: "When the flag's source was last read completely.",
          },
        },
        required: [
          'id',
          'entityRef',
          'provider',
          'simulated',
          'key',
          'name',
          'project',
          'description',
          'type',
          'temporary',
          'createdAt',
          'createdBy',
          'ageDays',
          'owner',
          'ownerSource',
          'environments',
          'lastEvaluatedAt',
          'evaluationKnown',
          'lifecycle',
          'providerStale',
          'tags',
          'url',
          'state',
          'stateReason',
          'staleAt',
          'keep',
          'inventoryStale',
          'readAt',
        ],
      },
      FlagList: {
        type: 'object',
        additionalProperties: false,
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Flag',
            },
          },
          total: {
            type: 'integer',
            description: 'How many flags match, all pages together.',
          },
          counts: {
            type: 'object',
            description: 'How many matching flags are in each state.',
            additionalProperties: {
              type: 'integer',
            },
          },
          offset: {
            type: 'integer',
            description: 'Where this page starts among the matching flags.',
          },
          limit: {
            type: 'integer',
            description: 'The most flags a page has, as asked (default 1000).',
          },
          nextOffset: {
            type: 'integer',
            nullable: true,
            description: 'The offset of the next page; null on the last page.',
          },
        },
        required: ['items', 'total', 'counts', 'offset', 'limit', 'nextOffset'],
      },
      FlagSource: {
        type: 'object',
        description:
          "One entry of the entity's glidepath.dev/flags annotation.",
        properties: {
          provider: {
            type: 'string',
          },
          ref: {
            type: 'string',
          },
          simulated: {
            type: 'boolean',
          },
          canArchive: {
            type: 'boolean',
            description: 'Whether the provider can archive flags.',
          },
          readAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
            description: 'When its flags were last read completely.',
          },
          attemptedAt: {
            type: 'string',
            format: 'date-time',
            nullable: true,
          },
          error: {
            type: 'string',
            nullable: true,
            description:
              'Why the last reading failed; its flags are then the last that could be read.',
          },
        },
        required: [
          'provider',
          'ref',
          'simulated',
          'canArchive',
          'readAt',
          'attemptedAt',
          'error',
        ],
      },
      FlagAction: {
        type: 'object',
        description: 'Something done to a flag, with its outcome.',
        properties: {
          id: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          provider: {
            type: 'string',
          },
          flagKey: {
            type: 'string',
          },
          flagName: {
            type: 'string',
          },
          action: {
            type: 'string',
            enum: ['archive', 'keep'],
          },
          reason: {
            type: 'string',
          },
          actor: {
            $ref: '#/components/schemas/Actor',
          },
          status: {
            type: 'string',
            enum: ['succeeded', 'failed'],
          },
          message: {
            type: 'string',
            nullable: true,
            description: "The provider's account, or its reason for refusing.",
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: [
          'id',
          'entityRef',
          'provider',
          'flagKey',
          'flagName',
          'action',
          'reason',
          'actor',
          'status',
          'message',
          'at',
        ],
      },
      EntityFlags: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entityRef: {
            type: 'string',
          },
          flags: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Flag',
            },
          },
          sources: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/FlagSource',
            },
          },
          problems: {
            type: 'array',
            description:
              "The problems of the entity's glidepath.dev/flags annotation.",
            items: {
              $ref: '#/components/schemas/AnnotationProblem',
            },
          },
          actions: {
            type: 'array',
            description:
              "The latest actions on the entity's flags, newest first.",
            items: {
              $ref: '#/components/schemas/FlagAction',
            },
          },
        },
        required: ['entityRef', 'flags', 'sources', 'problems', 'actions'],
      },
      FlagKeepRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 1000,
          },
          expiresAt: {
            type: 'string',
            format: 'date-time',
            description: 'Until when; in the future, at most a year ahead.',
          },
        },
        required: ['reason', 'expiresAt'],
      },
      FlagArchiveRequest: {
        type: 'object',
        additionalProperties: false,
        properties: {
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 1000,
          },
        },
        required: ['reason'],
      },
      FlagStateCounts: {
        type: 'object',
        description:
          'How many flags are in each state (states with none left out).',
        properties: {
          fresh: {
            type: 'integer',
          },
          due_soon: {
            type: 'integer',
          },
          stale: {
            type: 'integer',
          },
          launched: {
            type: 'integer',
          },
          inactive: {
            type: 'integer',
          },
          permanent: {
            type: 'integer',
          },
        },
      },
      FlagSummary: {
        type: 'object',
        additionalProperties: false,
        properties: {
          total: {
            type: 'integer',
          },
          simulated: {
            type: 'integer',
            description:
              "How many of the flags come from a simulated provider (the sandbox's demo flags), which the page labels as such.",
          },
          counts: {
            $ref: '#/components/schemas/FlagStateCounts',
          },
          teams: {
            type: 'array',
            description:
              'Owners ranked, most stale flags first, then most flags.',
            items: {
              type: 'object',
              properties: {
                owner: {
                  type: 'string',
                  nullable: true,
                  description:
                    "An entity ref, a provider's maintainer, or null.",
                },
                title: {
                  type: 'string',
                  nullable: true,
                  description:
                    "The owner's name in the catalog (its title or display name), when it is an entity the caller may read and has one.",
                },
                total: {
                  type: 'integer',
                },
                stale: {
                  type: 'integer',
                },
                counts: {
                  $ref: '#/components/schemas/FlagStateCounts',
                },
              },
              required: ['owner', 'total', 'stale', 'counts'],
            },
          },
          ages: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                label: {
                  type: 'string',
                },
                count: {
                  type: 'integer',
                },
              },
              required: ['label', 'count'],
            },
          },
          debt: {
            type: 'array',
            description: 'The last 26 weeks, oldest first.',
            items: {
              type: 'object',
              properties: {
                weekEnding: {
                  type: 'string',
                  format: 'date',
                },
                flags: {
                  type: 'integer',
                },
                stale: {
                  type: 'integer',
                },
              },
              required: ['weekEnding', 'flags', 'stale'],
            },
          },
        },
        required: ['total', 'counts', 'teams', 'ages', 'debt'],
      },
      FlagCoverageShare: {
        type: 'object',
        properties: {
          releases: {
            type: 'integer',
            description: 'Production deployments with a known first commit.',
          },
          behindFlags: {
            type: 'integer',
            description:
              'Of those, how many had a flag made or changed meanwhile.',
          },
          share: {
            type: 'number',
            nullable: true,
          },
        },
        required: ['releases', 'behindFlags', 'share'],
      },
      FlagCoverage: {
        type: 'object',
        additionalProperties: false,
        properties: {
          from: {
            type: 'string',
            format: 'date-time',
          },
          to: {
            type: 'string',
            format: 'date-time',
          },
          target: {
            type: 'number',
            description: 'The target share (0.8).',
          },
          organisation: {
            $ref: '#/components/schemas/FlagCoverageShare',
          },
          teams: {
            type: 'array',
            items: {
              allOf: [
                {
                  $ref: '#/components/schemas/FlagCoverageShare',
                },
                {
                  type: 'object',
                  properties: {
                    owner: {
                      type: 'string',
                      nullable: true,
                    },
                    title: {
                      type: 'string',
                      nullable: true,
                      description:
                        "The owner's name in the catalog (its title or display name), when it is an entity the caller may read and has one.",
                    },
                  },
                  required: ['owner', 'title'],
                },
              ],
            },
          },
        },
        required: ['from', 'to', 'target', 'organisation', 'teams'],
      },
    },
  },
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
