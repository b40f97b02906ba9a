import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { GlidepathClientFactory, glidepathFailure } from '../glidepathApi';
import { entityOf } from './entity';

const EXAMPLE = `steps:
  - id: drill
    name: Inject the fault
    action: glidepath:drill:schedule
    input:
      entityRef: component:default/search-service
      fault: error-rate
      reason: Game day 2026-12-10, rollback drill of the search team`;

/**
 * `glidepath:drill:schedule`: a rollback drill. The entity's next release
 * carries a fault on its canary, through its rollout provider (the sandbox
 * can; real providers on production services are refused).
 */
export function createDrillAction(clients: GlidepathClientFactory) {
  return createTemplateAction({
    id: 'glidepath:drill:schedule',
    description:
      "Schedules a rollback drill through Glidepath: the entity's next release carries a fault on its canary (error-rate: 5% of its requests fail; latency: 500 ms more), which Glidepath's engine should catch and roll back by itself. As the user running the template (glidepath.release.control applies). Only for rollout providers that can inject faults (the sandbox); production services of real providers are refused.",
    examples: [
      {
        description: "An error-rate fault in search-service's next release",
        example: EXAMPLE,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string().min(1).describe('The sandbox or staging service'),
        fault: z =>
          z
            .enum(['error-rate', 'latency'])
            .describe('The fault the canary of the next release carries'),
        reason: z =>
          z.string().min(1).max(2000).describe('Why, for the audit log'),
      },
      output: {
        message: z =>
          z.string().describe('What will happen, e.g. when the release starts'),
        simulated: z =>
          z.boolean().describe('Whether the provider is a simulation'),
      },
    },
    async handler(ctx) {
      const entity = entityOf(ctx.input.entityRef);
      const reason = ctx.input.reason.trim();
      if (!reason) throw new InputError('reason must not be blank');
      const client = clients(await ctx.getInitiatorCredentials());
      if (ctx.isDryRun) {
        const summary = await client
          .getEntityReleaseSummary(entity)
          .catch(error => {
            throw glidepathFailure(error, `read the releases of ${entity.ref}`);
          });
        const message = `Dry run: would make the next release of ${
          entity.ref
        } carry the ${ctx.input.fault} fault (provider ${
          summary.provider?.id ?? 'none'
        })`;
        ctx.logger.info(message);
        ctx.output('message', message);
        ctx.output('simulated', Boolean(summary.provider?.simulated));
        return;
      }
      // Asking twice before the release starts replaces the fault with the
      // same one, so a retried task needs no checkpoint here.
      const scheduled = await client
        .scheduleDrill(entity, { fault: ctx.input.fault, reason })
        .catch(error => {
          throw glidepathFailure(error, `schedule a drill on ${entity.ref}`);
        });
      ctx.logger.info(scheduled.message);
      ctx.output('message', scheduled.message);
      ctx.output('simulated', scheduled.simulated);
    },
  });
}
