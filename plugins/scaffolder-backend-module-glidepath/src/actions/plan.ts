import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type {
  Plan,
  PlanGates,
  PlanRequest,
  PlanState,
} from '@glidepath/backstage-plugin-common';
import { randomUUID } from 'node:crypto';
import { GlidepathClientFactory, glidepathFailure } from '../glidepathApi';
import { entityOf } from './entity';

/** How often a waiting step reads the plan. */
const POLL_MS = 5000;

/** The states a plan does not leave. */
const FINISHED: readonly PlanState[] = [
  'succeeded',
  'failed',
  'rolled_back',
  'aborted',
];

/** The plan's page in the portal, relative to the app's base URL. */
export const planPath = (id: string) =>
  `/glidepath/plans/${encodeURIComponent(id)}`;

const EXAMPLE = `steps:
  - id: plan
    name: Plan the coordinated release
    action: glidepath:plan:create
    input:
      title: Checkout 2.5 with its inventory and payments changes
      members:
        - entityRef: component:default/inventory-service
          version: 3.1.0
          environment: production
        - entityRef: component:default/payments-service
          version: 1.8.0
          environment: production
        - entityRef: component:default/checkout-service
          version: 2.5.0
          environment: production
      startAt: '2026-12-10T09:00:00Z'
      gates:
        soakMinutes: 15
        analysisPassed: true
      failurePolicy: rollback-all`;

/** The plan in a sentence: "running, wave 2 of 3: ...". */
export function describePlan(plan: Plan): string {
  const waves = plan.waves.length;
  const members = plan.members.length;
  const what = `${members} service${members === 1 ? '' : 's'} in ${waves} wave${
    waves === 1 ? '' : 's'
  }`;
  const reason = plan.stateReason ? `: ${plan.stateReason}` : '';
  switch (plan.state) {
    case 'scheduled':
      return `scheduled for ${new Date(
        plan.startAt,
      ).toUTCString()}, ${what}${reason}`;
    case 'running':
    case 'paused':
    case 'rolling_back':
      return `${plan.state.replace('_', ' ')}${
        plan.currentWave !== null && plan.currentWave !== undefined
          ? `, wave ${plan.currentWave + 1} of ${waves}`
          : ''
      } (${what})${reason}`;
    default:
      return `${plan.state.replace('_', ' ')} (${what})${reason}`;
  }
}

/**
 * `glidepath:plan:create`: plans a coordinated release of several services
 * in Glidepath (waves in dependency order, a start time or the next slot of
 * a release train, gates between waves, a failure policy), optionally
 * waiting until it finishes. Idempotent through a checkpoint: a retried
 * task gets the same plan.
 */
export function createPlanAction(clients: GlidepathClientFactory) {
  return createTemplateAction({
    id: 'glidepath:plan:create',
    description:
      "Plans a coordinated release in Glidepath: several services, each with a version and an environment, released in waves in dependency order (from the catalog's dependencies and the glidepath.dev/requires version requirements), now, at startAt or at the next slot of a release train (trainId), with gates between the waves (soak minutes, canary analysis passed, checklist items done, a passed rollback test) and a failure policy (halt, roll back the failed wave, or roll back every wave in reverse dependency order). As the user running the template (glidepath.release.control on every member). A dependency cycle or a requirement the plan breaks is refused unless overrideReason is given. Optionally waits until the plan finishes and fails the step when it fails, rolls back or is aborted. Outputs the plan's id and the link to its page.",
    examples: [
      {
        description:
          'Release three services in dependency order on Thursday morning, rolling everything back on a failure',
        example: EXAMPLE,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        title: z =>
          z.string().min(1).max(200).describe('The plan’s name on its page'),
        members: z =>
          z
            .array(
              z.object({
                entityRef: z.string().min(1).describe('The service entity ref'),
                version: z
                  .string()
                  .min(1)
                  .max(200)
                  .describe('The version to release'),
                environment: z
                  .string()
                  .min(1)
                  .describe('The environment to release it to'),
                fix: z
                  .boolean()
                  .optional()
                  .describe(
                    'The release fixes the service: it may go out while its error budget is spent',
                  ),
              }),
            )
            .min(1)
            .max(500)
            .describe('The services to release together'),
        startAt: z =>
          z
            .string()
            .optional()
            .describe(
              'When to start (an ISO date and time); now when neither this nor trainId is given',
            ),
        trainId: z =>
          z
            .string()
            .optional()
            .describe('Start at the next slot of this release train'),
        gates: z =>
          z
            .object({
              soakMinutes: z.number().int().min(0).max(1440).optional(),
              analysisPassed: z.boolean().optional(),
              checklistItems: z.array(z.string().min(1)).optional(),
              rollbackTestPassed: z.boolean().optional(),
            })
            .optional()
            .describe(
              'What must hold before the next wave starts: soakMinutes, analysisPassed, checklistItems, rollbackTestPassed',
            ),
        failurePolicy: z =>
          z
            .enum(['halt', 'rollback-wave', 'rollback-all'])
            .optional()
            .describe(
              'On a failed member: halt, rollback-wave (roll back the failed wave; the default when left out), or rollback-all (roll back every wave in reverse dependency order)',
            ),
        overrideReason: z =>
          z
            .string()
            .max(500)
            .optional()
            .describe(
              'Goes ahead despite a dependency cycle or a requirement the plan breaks, saying why',
            ),
        wait: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Wait until the plan finishes and fail the step when it fails (default false)',
            ),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(60)
            .max(86400)
            .optional()
            .describe(
              'How long to wait, in seconds (60 to 86400; default 3600)',
            ),
      },
      output: {
        planId: z => z.string().describe('The plan’s id'),
        planUrl: z =>
          z
            .string()
            .describe(
              "The plan's page, relative to the portal: /glidepath/plans/<id>",
            ),
        state: z =>
          z
            .string()
            .describe(
              'scheduled, running, paused, rolling_back, succeeded, failed, rolled_back or aborted; dry-run in a dry run',
            ),
        message: z => z.string().describe('What will happen, in words'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const title = input.title.trim();
      if (!title) throw new InputError('title must not be blank');
      const members = input.members.map((m, i) => {
        const version = m.version.trim();
        const environment = m.environment.trim();
        if (!version) throw new InputError(`members[${i}].version is blank`);
        if (!environment) {
          throw new InputError(`members[${i}].environment is blank`);
        }
        return {
          entityRef: entityOf(m.entityRef).ref,
          version,
          environment,
          ...(m.fix && { fix: true }),
        };
      });
      const seen = new Map<string, number>();
      members.forEach((m, i) => {
        const key = `${m.entityRef} in ${m.environment}`;
        const first = seen.get(key);
        if (first !== undefined) {
          throw new InputError(
            `members[${i}] repeats members[${first}]: ${key} is in the plan once`,
          );
        }
        seen.set(key, i);
      });
      let startAt: string | undefined;
      if (input.startAt?.trim()) {
        const when = new Date(input.startAt.trim());
        if (Number.isNaN(when.getTime())) {
          throw new InputError(
            `startAt must be a date and time, not "${input.startAt}"`,
          );
        }
        startAt = when.toISOString();
      }
      const trainId = input.trainId?.trim() || undefined;
      if (startAt && trainId) {
        throw new InputError(
          'Give startAt or trainId, not both: a plan starts at a time or at the next slot of a train',
        );
      }
      const gates = cleanGates(input.gates);
      const overrideReason = input.overrideReason?.trim() || undefined;
      const request: PlanRequest = {
        title,
        members,
        ...(startAt && { startAt }),
        ...(trainId && { trainId }),
        ...(gates && { gates }),
        ...(input.failurePolicy && { failurePolicy: input.failurePolicy }),
        ...(overrideReason && { overrideReason }),
      };
      const client = clients(await ctx.getInitiatorCredentials());
      const what = members
        .map(m => `${m.entityRef} ${m.version} in ${m.environment}`)
        .join(', ');

      if (ctx.isDryRun) {
        for (const m of members) {
          await client
            .getEntityReleaseSummary(entityOf(m.entityRef))
            .catch(error => {
              throw glidepathFailure(
                error,
                `read the releases of ${m.entityRef}`,
              );
            });
        }
        let when = 'now';
        if (startAt) when = `at ${startAt}`;
        else if (trainId) when = `at the next slot of train ${trainId}`;
        const message = `Dry run: would plan "${title}" ${when}: ${what}`;
        ctx.logger.info(message);
        ctx.output('planId', 'dry-run');
        ctx.output('planUrl', planPath('dry-run'));
        ctx.output('state', 'dry-run');
        ctx.output('message', message);
        return;
      }

      const idempotencyKey = await ctx.checkpoint({
        key: `glidepath-plan-${title}`,
        fn: async () => randomUUID(),
      });
      const doing = `plan the coordinated release "${title}"`;
      let plan = await client
        .createPlan(request, { idempotencyKey })
        .catch(error => {
          throw glidepathFailure(error, doing);
        });
      ctx.logger.info(
        `Glidepath planned "${plan.title}" (plan ${plan.id}): ${describePlan(
          plan,
        )}. Its page: ${planPath(plan.id)}`,
      );
      ctx.output('planId', plan.id);
      ctx.output('planUrl', planPath(plan.id));

      if (input.wait) {
        const timeoutSeconds = input.timeoutSeconds ?? 3600;
        const deadline = Date.now() + timeoutSeconds * 1000;
        let said = describePlan(plan);
        while (!FINISHED.includes(plan.state)) {
          if (Date.now() > deadline) {
            ctx.output('state', plan.state);
            ctx.output('message', describePlan(plan));
            throw new Error(
              `The plan "${plan.title}" (${
                plan.id
              }) had not finished after ${timeoutSeconds} s: it is ${describePlan(
                plan,
              )}. It goes on; see ${planPath(plan.id)}.`,
            );
          }
          if (ctx.signal?.aborted) throw new Error('The task was cancelled');
          await new Promise(resolve => setTimeout(resolve, POLL_MS));
          const id = plan.id;
          plan = await client.getPlan(id).catch(error => {
            throw glidepathFailure(error, `read the plan ${id}`);
          });
          const now = describePlan(plan);
          if (now !== said) ctx.logger.info(`Plan ${plan.id}: ${now}`);
          said = now;
        }
      }
      const message = describePlan(plan);
      ctx.output('state', plan.state);
      ctx.output('message', message);
      if (
        plan.state === 'failed' ||
        plan.state === 'rolled_back' ||
        plan.state === 'aborted'
      ) {
        const failed = plan.members
          .filter(m => m.state === 'failed' || m.state === 'rolled_back')
          .map(
            m =>
              `${m.entityRef} ${m.version} ${m.state.replace('_', ' ')}${
                m.stateReason ? ` (${m.stateReason})` : ''
              }`,
          );
        throw new Error(
          `The plan "${plan.title}" ${message}${
            failed.length ? `; ${failed.join('; ')}` : ''
          }. See ${planPath(plan.id)}.`,
        );
      }
    },
  });
}

/** The gates as given, without empty checklist items; none when nothing is set. */
function cleanGates(gates?: {
  soakMinutes?: number;
  analysisPassed?: boolean;
  checklistItems?: string[];
  rollbackTestPassed?: boolean;
}): PlanGates | undefined {
  if (!gates) return undefined;
  const items = (gates.checklistItems ?? [])
    .map(item => item.trim())
    .filter(Boolean);
  const out: PlanGates = {
    ...(gates.soakMinutes !== undefined && { soakMinutes: gates.soakMinutes }),
    ...(gates.analysisPassed !== undefined && {
      analysisPassed: gates.analysisPassed,
    }),
    ...(items.length && { checklistItems: items }),
    ...(gates.rollbackTestPassed !== undefined && {
      rollbackTestPassed: gates.rollbackTestPassed,
    }),
  };
  return Object.keys(out).length ? out : undefined;
}
