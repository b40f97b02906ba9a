import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { ReleaseAction } from '@glidepath/backstage-plugin-common';
import { randomUUID } from 'node:crypto';
import { GlidepathClientFactory, glidepathFailure } from '../glidepathApi';
import { entityOf } from './entity';

const VERB = { rollback: 'roll back', promote: 'promote' } as const;

const DESCRIPTION = {
  rollback:
    "Rolls back an entity's current release to its previous version through Glidepath, as the user running the template (their glidepath.release.rollback permission applies), with a reason for the audit log; optionally waits until the rollback has finished.",
  promote:
    "Promotes an entity's current release one step through Glidepath, as the user running the template (their glidepath.release.control permission applies), with a reason for the audit log; optionally waits until the promotion has finished. A release whose checklist has required items open is not promoted past its last step but one.",
} as const;

/** How often a waiting action reads the action's state. */
const POLL_MS = 1000;

function examples(action: 'rollback' | 'promote') {
  return [
    {
      description: `${
        action === 'rollback' ? 'Roll back' : 'Promote'
      } checkout-service's current release and wait for the outcome`,
      example: [
        'steps:',
        `  - id: ${action}`,
        `    name: ${action === 'rollback' ? 'Roll back' : 'Promote'}`,
        `    action: glidepath:${action}`,
        '    input:',
        '      entityRef: component:default/checkout-service',
        `      reason: ${
          action === 'rollback'
            ? 'Error rate up since 2.4.0, rolling back from the incident template'
            : 'Canary healthy for 30 minutes, promoting'
        }`,
        '      wait: true',
        '      timeoutSeconds: 300',
      ].join('\n'),
    },
  ];
}

/**
 * `glidepath:rollback` and `glidepath:promote`: act on an entity's current
 * release. Idempotent through a checkpoint: a retried task reuses the
 * Idempotency-Key of its first attempt, so Glidepath acts once.
 */
export function createReleaseActionAction(
  action: 'rollback' | 'promote',
  clients: GlidepathClientFactory,
) {
  return createTemplateAction({
    id: `glidepath:${action}`,
    description: DESCRIPTION[action],
    examples: examples(action),
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe(
              'The entity whose current release to act on, e.g. component:default/checkout-service',
            ),
        reason: z =>
          z
            .string()
            .trim()
            .min(1)
            .max(2000)
            .describe('Why, for the audit log and the release history'),
        wait: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Wait until the action has finished, and fail the step if it failed',
            ),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(5)
            .max(1800)
            .default(300)
            .describe('How long to wait, in seconds (5 to 1800)'),
      },
      output: {
        releaseId: z => z.string().describe('The release acted on'),
        version: z => z.string().describe('Its version'),
        actionId: z =>
          z
            .string()
            .describe('The action, for GET /api/glidepath/actions/{id}'),
        state: z =>
          z
            .string()
            .describe(
              'requested, running, succeeded or failed; dry-run in a dry run',
            ),
      },
    },
    async handler(ctx) {
      // The scaffolder validates input against the JSON schema but does not
      // apply its defaults: they are applied here.
      const reason = ctx.input.reason.trim();
      const wait = ctx.input.wait ?? false;
      const timeoutSeconds = ctx.input.timeoutSeconds ?? 300;
      if (!reason) throw new InputError('reason must not be blank');
      const entity = entityOf(ctx.input.entityRef);
      const client = clients(await ctx.getInitiatorCredentials());
      const doing = `${VERB[action]} the release of ${entity.ref}`;

      const summary = await client
        .getEntityReleaseSummary(entity)
        .catch(error => {
          throw glidepathFailure(error, `read the releases of ${entity.ref}`);
        });
      const release = summary.current;
      if (!release) {
        throw new NotFoundError(
          `${entity.ref} has no release to ${VERB[action]}${
            summary.problems.length
              ? ` (${summary.problems
                  .map(p => `${p.annotation}: ${p.message}`)
                  .join('; ')})`
              : ''
          }`,
        );
      }
      if (!summary.allowedActions.includes(action)) {
        throw new Error(
          `Cannot ${VERB[action]} ${entity.ref}: its release ${
            release.version
          } is ${release.phase.replace('_', ' ')}; it admits ${
            summary.allowedActions.join(', ') || 'no action'
          }`,
        );
      }
      ctx.output('releaseId', release.id);
      ctx.output('version', release.version);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would ${VERB[action]} ${release.version} of ${entity.ref} (release ${release.id}) because "${reason}"`,
        );
        ctx.output('actionId', 'dry-run');
        ctx.output('state', 'dry-run');
        return;
      }

      const idempotencyKey = await ctx.checkpoint({
        key: `glidepath-${action}-${release.id}`,
        fn: async () => randomUUID(),
      });
      let recorded: ReleaseAction = await client
        .createReleaseAction(release.id, { action, reason }, { idempotencyKey })
        .catch(error => {
          throw glidepathFailure(error, doing);
        });
      ctx.logger.info(
        `Glidepath accepted: ${VERB[action]} ${release.version} of ${entity.ref} (action ${recorded.id})`,
      );
      ctx.output('actionId', recorded.id);

      if (wait) {
        const deadline = Date.now() + timeoutSeconds * 1000;
        while (recorded.state !== 'succeeded' && recorded.state !== 'failed') {
          if (Date.now() > deadline) {
            throw new Error(
              `Glidepath had not finished the action ${recorded.id} (${VERB[action]} ${entity.ref}) after ${timeoutSeconds} s; it is ${recorded.state}. See the entity's Releases tab.`,
            );
          }
          if (ctx.signal?.aborted) throw new Error('The task was cancelled');
          await new Promise(resolve => setTimeout(resolve, POLL_MS));
          recorded = await client.getReleaseAction(recorded.id);
        }
        if (recorded.state === 'failed') {
          ctx.output('state', 'failed');
          throw new Error(
            `Glidepath could not ${doing}: ${
              recorded.error ?? 'the provider refused'
            }`,
          );
        }
        ctx.logger.info(`The ${action} of ${entity.ref} succeeded`);
      }
      ctx.output('state', recorded.state);
    },
  });
}
