import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { randomUUID } from 'node:crypto';
import { GlidepathClientFactory, glidepathFailure } from '../glidepathApi';
import { entityOf } from './entity';

const EXAMPLE = `steps:
  - id: game-day
    name: Record the game day
    action: glidepath:game-day:create
    input:
      title: Checkout game day, December
      facilitator: user:default/priya.nair
      participants: [user:default/jonas.weber, group:default/team-checkout]
      scheduledAt: '2026-12-10T14:00:00Z'
      faults:
        - service: component:default/web-storefront
          fault: error-rate
        - service: component:default/inventory-service
          fault: latency
          environment: staging
      hypothesis: Rolled back within 2 minutes, owners notified`;

/**
 * `glidepath:game-day:create`: records a game day in Glidepath. At its time
 * each fault becomes a rollback drill, and Glidepath records per fault the
 * time to detect and to recover; the Game days page shows them.
 * Idempotent through a checkpoint: a retried task gets the same game day.
 */
export function createGameDayAction(clients: GlidepathClientFactory) {
  return createTemplateAction({
    id: 'glidepath:game-day:create',
    description:
      "Records a game day in Glidepath: a facilitator, participants, services, a time, faults (a service's next release carries an error-rate or latency fault on its canary) and a hypothesis ('rolled back within 2 minutes, owners notified'). At its time Glidepath schedules each fault as a rollback drill and records when it was injected, detected, rolled back and healthy again, and whether the owners were notified; the facilitator writes the outcome on the Game days page. As the user running the template (glidepath.release.control on each service). Drills in a production environment are refused unless an admin gives productionOverrideReason.",
    examples: [
      {
        description: 'A game day with two faults',
        example: EXAMPLE,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        title: z => z.string().min(1).max(200).describe('The game day’s name'),
        facilitator: z =>
          z.string().min(1).describe('Who runs it: a user entity ref'),
        participants: z =>
          z
            .array(z.string().min(1))
            .max(50)
            .optional()
            .describe('Users or groups taking part (entity refs)'),
        scheduledAt: z =>
          z
            .string()
            .optional()
            .describe(
              'When the faults are injected (an ISO date and time); now when empty',
            ),
        faults: z =>
          z
            .array(
              z.object({
                service: z.string().min(1).describe('The service entity ref'),
                fault: z.enum(['error-rate', 'latency']),
                environment: z
                  .string()
                  .optional()
                  .describe(
                    'Where; by default its first non-production environment',
                  ),
              }),
            )
            .min(1)
            .max(20)
            .describe('The faults, one drill each'),
        hypothesis: z =>
          z
            .string()
            .min(1)
            .max(2000)
            .describe('What should happen, e.g. rolled back within 2 minutes'),
        productionOverrideReason: z =>
          z
            .string()
            .optional()
            .describe(
              'Lets faults run in a production environment (admins only), saying why',
            ),
      },
      output: {
        gameDayId: z => z.string().describe('The game day’s id'),
        scheduledAt: z => z.string().describe('When its faults are injected'),
        message: z => z.string().describe('What will happen'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const faults = input.faults.map(f => ({
        service: entityOf(f.service).ref,
        fault: f.fault,
        ...(f.environment?.trim() && { environment: f.environment.trim() }),
      }));
      let scheduledAt = new Date();
      if (input.scheduledAt?.trim()) {
        scheduledAt = new Date(input.scheduledAt.trim());
        if (Number.isNaN(scheduledAt.getTime())) {
          throw new InputError(
            `scheduledAt must be a date and time, not "${input.scheduledAt}"`,
          );
        }
      }
      const when = scheduledAt.toISOString();
      const client = clients(await ctx.getInitiatorCredentials());
      const what = faults.map(f => `${f.fault} on ${f.service}`).join(', ');
      if (ctx.isDryRun) {
        for (const f of faults) {
          await client
            .getEntityReleaseSummary(entityOf(f.service))
            .catch(error => {
              throw glidepathFailure(
                error,
                `read the releases of ${f.service}`,
              );
            });
        }
        const message = `Dry run: would record the game day "${input.title}" at ${when}: ${what}`;
        ctx.logger.info(message);
        ctx.output('gameDayId', 'dry-run');
        ctx.output('scheduledAt', when);
        ctx.output('message', message);
        return;
      }
      const idempotencyKey = await ctx.checkpoint({
        key: `glidepath-game-day-${input.title}`,
        fn: async () => randomUUID(),
      });
      const override = input.productionOverrideReason?.trim();
      const gameDay = await client
        .createGameDay(
          {
            title: input.title,
            facilitator: input.facilitator,
            participants: input.participants ?? [],
            scheduledAt: when,
            faults,
            hypothesis: input.hypothesis,
            ...(override && { productionOverride: { reason: override } }),
          },
          { idempotencyKey },
        )
        .catch(error => {
          throw glidepathFailure(error, `record the game day "${input.title}"`);
        });
      const message = `Game day "${gameDay.title}" recorded: at ${new Date(
        gameDay.scheduledAt,
      ).toUTCString()} Glidepath injects ${what}, and the Game days page shows each fault's time to detect and to recover`;
      ctx.logger.info(message);
      ctx.output('gameDayId', gameDay.id);
      ctx.output('scheduledAt', gameDay.scheduledAt);
      ctx.output('message', message);
    },
  });
}
