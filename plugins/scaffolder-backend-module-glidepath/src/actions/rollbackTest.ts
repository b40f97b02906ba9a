import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  describeRollbackTest,
  isRollbackTestFinished,
  RollbackTest,
} from '@glidepath/backstage-plugin-common';
import { randomUUID } from 'node:crypto';
import { GlidepathClientFactory, glidepathFailure } from '../glidepathApi';
import { entityOf } from './entity';

/** How often a waiting step reads the test. */
const POLL_MS = 2000;

const EXAMPLE = `steps:
  - id: rollback-test
    name: Test the rollback in staging
    action: glidepath:rollback-test:run
    input:
      entityRef: component:default/inventory-service
      environment: staging
      reason: Before the 2.4.0 release train
      wait: true
      timeoutSeconds: 900`;

/**
 * `glidepath:rollback-test:run`: a rollback test now, in a non-production
 * environment of the entity: Glidepath rolls the completed release there
 * back, waits until the previous version is healthy, and rolls it forward
 * again. Idempotent through a checkpoint: a retried task gets the same test.
 */
export function createRollbackTestAction(clients: GlidepathClientFactory) {
  return createTemplateAction({
    id: 'glidepath:rollback-test:run',
    description:
      "Runs a rollback test through Glidepath in a non-production environment of the entity (the first one in promotion order unless named): the completed release there is rolled back, the previous version waited for until it is healthy, and the release rolled forward again; the timings are recorded on the entity's Releases tab. As the user running the template (their glidepath.release.rollback permission applies). Optionally waits for the result and fails the step when the test fails or cannot run.",
    examples: [
      {
        description:
          "Test inventory-service's rollback in staging and wait for the result",
        example: EXAMPLE,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z => z.string().min(1).describe('The entity to test'),
        environment: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe(
              'A non-production environment of the entity; the first one by default',
            ),
        reason: z =>
          z.string().min(1).max(500).describe('Why, for the audit log'),
        wait: z =>
          z
            .boolean()
            .optional()
            .describe('Wait for the result (default false)'),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(30)
            .max(3600)
            .optional()
            .describe('How long to wait, in seconds (30 to 3600; default 900)'),
      },
      output: {
        testId: z => z.string().describe('The rollback test'),
        environment: z => z.string().describe('Where it runs'),
        version: z =>
          z.string().describe('The version whose rollback is tested'),
        state: z =>
          z
            .string()
            .describe(
              'pending, rolling_back, restoring, rolling_forward, passed, failed or not_run; dry-run in a dry run',
            ),
        message: z => z.string().describe('What the test found, in words'),
      },
    },
    async handler(ctx) {
      const reason = ctx.input.reason.trim();
      if (!reason) throw new InputError('reason must not be blank');
      const entity = entityOf(ctx.input.entityRef);
      const wait = ctx.input.wait ?? false;
      const timeoutSeconds = ctx.input.timeoutSeconds ?? 900;
      const client = clients(await ctx.getInitiatorCredentials());
      const doing = `test the rollback of ${entity.ref}`;

      if (ctx.isDryRun) {
        const summary = await client
          .getEntityReleaseSummary(entity)
          .catch(error => {
            throw glidepathFailure(error, `read the releases of ${entity.ref}`);
          });
        const nonProduction = summary.environments.filter(e => !e.production);
        const environment =
          ctx.input.environment ?? nonProduction[0]?.name ?? 'none';
        const message = `Dry run: would test the rollback of ${
          entity.ref
        } in ${environment}${
          nonProduction.length
            ? ''
            : ' (it has no non-production environment: Glidepath would refuse)'
        }`;
        ctx.logger.info(message);
        ctx.output('testId', 'dry-run');
        ctx.output('environment', environment);
        ctx.output('version', '');
        ctx.output('state', 'dry-run');
        ctx.output('message', message);
        return;
      }

      const idempotencyKey = await ctx.checkpoint({
        key: `glidepath-rollback-test-${entity.ref}`,
        fn: async () => randomUUID(),
      });
      let test: RollbackTest = await client
        .runRollbackTest(
          entity,
          {
            reason,
            ...(ctx.input.environment && {
              environment: ctx.input.environment,
            }),
          },
          { idempotencyKey },
        )
        .catch(error => {
          throw glidepathFailure(error, doing);
        });
      ctx.logger.info(
        `Glidepath is testing the rollback of ${test.version} of ${entity.ref} in ${test.environment} (test ${test.id})`,
      );
      ctx.output('testId', test.id);
      ctx.output('environment', test.environment);
      ctx.output('version', test.version);

      if (wait) {
        const deadline = Date.now() + timeoutSeconds * 1000;
        while (!isRollbackTestFinished(test.state)) {
          if (Date.now() > deadline) {
            ctx.output('state', test.state);
            ctx.output('message', describeRollbackTest(test));
            throw new Error(
              `The rollback test ${test.id} of ${
                entity.ref
              } had no result after ${timeoutSeconds} s: it is ${describeRollbackTest(
                test,
              )}. It goes on; see the entity's Releases tab.`,
            );
          }
          if (ctx.signal?.aborted) throw new Error('The task was cancelled');
          await new Promise(resolve => setTimeout(resolve, POLL_MS));
          const { items } = await client.listRollbackTests(entity, {
            environment: test.environment,
            limit: 20,
          });
          const id = test.id;
          test = items.find(t => t.id === id) ?? test;
        }
      }
      const message = describeRollbackTest(test);
      ctx.output('state', test.state);
      ctx.output('message', message);
      if (test.state === 'failed' || test.state === 'not_run') {
        throw new Error(
          `The rollback test of ${test.version} of ${entity.ref} in ${test.environment} ${message}`,
        );
      }
      ctx.logger.info(`Rollback test of ${entity.ref}: ${message}`);
    },
  });
}
