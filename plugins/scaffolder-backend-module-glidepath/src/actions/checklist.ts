import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  mergeChecklistItems,
  STANDARD_RELEASE_CHECKLIST,
} from '@glidepath/backstage-plugin-common';
import { InputError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { GlidepathClientFactory, glidepathFailure } from '../glidepathApi';
import { entityOf } from './entity';

const EXAMPLE = `steps:
  - id: checklist
    name: Release checklist
    action: glidepath:checklist:create
    input:
      entityRef: component:default/checkout-service
      title: Checkout 2.5 release
      release: next
      standard: true
      items:
        - title: Database migration applied in production
          description: The 0042 migration has run and been verified.
          required: true
          owner: group:default/team-checkout
        - title: Feature flags set
          required: true`;

/**
 * `glidepath:checklist:create`: attaches a release checklist to an entity's
 * current or next release. The release waits before its final step while a
 * required item is open. Idempotent through a checkpoint.
 */
export function createChecklistAction(clients: GlidepathClientFactory) {
  return createTemplateAction({
    id: 'glidepath:checklist:create',
    description: `Attaches a release checklist to an entity's current or next release in Glidepath, as the user running the template (their glidepath.release.control permission applies). The release waits before its final step while a required item is open; the checklist shows on the entity's Releases tab. With standard: true it starts from Glidepath's standard items (${STANDARD_RELEASE_CHECKLIST.map(
      i => i.title,
    ).join('; ')}); items with the same title replace a standard one.`,
    examples: [
      {
        description:
          "The standard checklist plus the team's own items, for checkout-service's next release",
        example: EXAMPLE,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe('The entity, e.g. component:default/checkout-service'),
        title: z =>
          z
            .string()
            .trim()
            .min(1)
            .max(200)
            .describe('The checklist title, e.g. "Checkout 2.5 release"'),
        release: z =>
          z
            .enum(['current', 'next'])
            .default('current')
            .describe(
              'current: the release in progress (there must be one); next: the first release that starts after now',
            ),
        standard: z =>
          z
            .boolean()
            .default(true)
            .describe("Start from Glidepath's standard release checklist"),
        items: z =>
          z
            .array(
              z.object({
                title: z.string().trim().min(1).max(200),
                description: z.string().max(2000).optional(),
                required: z.boolean().default(true),
                owner: z
                  .string()
                  .max(200)
                  .optional()
                  .describe('Who should tick it (a user or group ref)'),
              }),
            )
            .max(100)
            .default([])
            .describe("The team's own items, after the standard ones"),
      },
      output: {
        checklistId: z => z.string(),
        releaseId: z =>
          z
            .string()
            .nullable()
            .describe('Null while the checklist waits for the next release'),
        items: z => z.number().describe('How many items the checklist has'),
        required: z => z.number().describe('How many of them are required'),
      },
    },
    async handler(ctx) {
      // The scaffolder validates input against the JSON schema but does not
      // apply its defaults: they are applied here.
      const release = ctx.input.release ?? 'current';
      const title = ctx.input.title.trim();
      const entity = entityOf(ctx.input.entityRef);
      let items;
      try {
        items = mergeChecklistItems(
          ctx.input.standard ?? true,
          ctx.input.items ?? [],
        );
      } catch (error) {
        throw new InputError(`items: ${(error as Error).message}`);
      }
      if (!items.length) {
        throw new InputError(
          'The checklist has no items: set standard: true or give items',
        );
      }
      const client = clients(await ctx.getInitiatorCredentials());
      ctx.output('items', items.length);
      ctx.output('required', items.filter(i => i.required !== false).length);

      if (ctx.isDryRun) {
        // Checks what can be checked without writing: the entity exists and
        // has a release in progress when the current one is asked for.
        const summary = await client
          .getEntityReleaseSummary(entity)
          .catch(error => {
            throw glidepathFailure(error, `read the releases of ${entity.ref}`);
          });
        if (release === 'current' && !summary.current) {
          throw new Error(
            `${entity.ref} has no release yet; attach the checklist to its next release instead`,
          );
        }
        ctx.logger.info(
          `Dry run: would attach "${title}" (${items.length} items) to the ${release} release of ${entity.ref}`,
        );
        ctx.output('checklistId', 'dry-run');
        ctx.output('releaseId', summary.current?.id ?? null);
        return;
      }

      const idempotencyKey = await ctx.checkpoint({
        key: `glidepath-checklist-${entity.ref}`,
        fn: async () => randomUUID(),
      });
      const checklist = await client
        .createChecklist(entity, { title, release, items }, { idempotencyKey })
        .catch(error => {
          throw glidepathFailure(error, `attach a checklist to ${entity.ref}`);
        });
      ctx.logger.info(
        `Attached "${checklist.title}" to ${
          checklist.releaseId
            ? `release ${checklist.releaseId}`
            : 'the next release'
        } of ${entity.ref}: ${
          checklist.gate.openRequired.length
        } required items to tick`,
      );
      ctx.output('checklistId', checklist.id);
      ctx.output('releaseId', checklist.releaseId);
    },
  });
}
