import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { GlidepathClientFactory, glidepathFailure } from '../glidepathApi';
import {
  generateRolloutManifests,
  manifestProblem,
  RolloutManifestOptions,
} from '../rollout/manifests';

const EXAMPLE = `steps:
  - id: rollout
    name: Rollout manifests
    action: glidepath:rollout:generate
    input:
      name: payments-api
      namespace: payments
      image: ghcr.io/acme/payments-api:0.1.0
      port: 8080
      replicas: 3
      strategy: canary
      steps:
        - weight: 10
          pauseSeconds: 300
        - weight: 50
      policy: default
      sloPercent: 99.9
      prometheusAddress: http://prometheus.monitoring:9090
      selector: job="payments-api"
      targetPath: kubernetes`;

/**
 * `glidepath:rollout:generate`: writes the Kubernetes manifests of an Argo
 * Rollouts canary or blue-green rollout, with an AnalysisTemplate that
 * expresses a Glidepath rollback policy (read from Glidepath, so it matches
 * what the engine applies).
 */
export function createRolloutGenerateAction(clients: GlidepathClientFactory) {
  return createTemplateAction({
    id: 'glidepath:rollout:generate',
    description:
      "Writes Kubernetes manifests for an Argo Rollouts canary or blue-green rollout into the workspace (<targetPath>/rollout.yaml): the Rollout, its Services, and an AnalysisTemplate whose Prometheus queries express a Glidepath rollback policy (error-rate and p95-latency increase of the canary over the stable pods, error-budget burn rates when an SLO is given), read from Glidepath's glidepath.analysis.policies.",
    examples: [
      {
        description:
          'A canary (10% for 5 minutes, then 50% until promoted) checked by the default policy',
        example: EXAMPLE,
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .regex(
              /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
              'a DNS label: lower-case letters, digits and dashes',
            )
            .max(53)
            .describe('The workload name, also its backstage.io/kubernetes-id'),
        namespace: z =>
          z
            .string()
            .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS label')
            .max(63)
            .describe('The Kubernetes namespace'),
        image: z => z.string().min(1).describe('The container image'),
        port: z =>
          z
            .number()
            .int()
            .min(1)
            .max(65535)
            .default(8080)
            .describe('The HTTP port'),
        replicas: z =>
          z
            .number()
            .int()
            .min(1)
            .max(100)
            .default(3)
            .describe('Pods in the stable set'),
        strategy: z =>
          z
            .enum(['canary', 'blueGreen'])
            .default('canary')
            .describe('The rollout strategy'),
        steps: z =>
          z
            .array(
              z.object({
                weight: z.number().int().min(1).max(100),
                pauseSeconds: z.number().int().min(1).max(86400).optional(),
              }),
            )
            .max(20)
            .default([{ weight: 10, pauseSeconds: 300 }, { weight: 50 }])
            .describe(
              'Canary steps: send weight percent, then pause (a step without pauseSeconds waits for a promote)',
            ),
        policy: z =>
          z
            .string()
            .default('default')
            .describe(
              'The Glidepath rollback policy the AnalysisTemplate expresses',
            ),
        sloPercent: z =>
          z
            .number()
            .gt(0)
            .lt(100)
            .optional()
            .describe(
              'Availability objective in percent, for the burn-rate triggers',
            ),
        prometheusAddress: z =>
          z
            .string()
            .url()
            .describe('The Prometheus server the analysis queries'),
        selector: z =>
          z
            .string()
            .min(1)
            .describe(
              'PromQL label matchers of the service series, e.g. job="payments-api"',
            ),
        podHashLabel: z =>
          z
            .string()
            .default('rollouts_pod_template_hash')
            .describe(
              'The label of the series that carries the pod template hash',
            ),
        interval: z =>
          z
            .string()
            .regex(/^\d+(s|m|h)$/)
            .default('1m')
            .describe('How often each metric is measured'),
        targetPath: z =>
          z
            .string()
            .default('kubernetes')
            .describe('The workspace folder to write rollout.yaml to'),
      },
      output: {
        path: z =>
          z.string().describe('The file written, relative to the workspace'),
        kinds: z =>
          z.array(z.string()).describe('The kinds of the objects written'),
      },
    },
    async handler(ctx) {
      // The scaffolder validates input against the JSON schema but does not
      // apply its defaults: they are applied here.
      const input = ctx.input;
      const policyName = input.policy ?? 'default';
      const targetPath = input.targetPath ?? 'kubernetes';
      const client = clients(await ctx.getInitiatorCredentials());
      const policy = await client.getRollbackPolicy(policyName).catch(error => {
        throw glidepathFailure(
          error,
          `read the rollback policy "${policyName}"`,
        );
      });
      const options: RolloutManifestOptions = {
        name: input.name,
        namespace: input.namespace,
        image: input.image,
        port: input.port ?? 8080,
        replicas: input.replicas ?? 3,
        strategy: input.strategy ?? 'canary',
        steps: input.steps ?? [
          { weight: 10, pauseSeconds: 300 },
          { weight: 50 },
        ],
        prometheusAddress: input.prometheusAddress,
        selector: input.selector,
        podHashLabel: input.podHashLabel ?? 'rollouts_pod_template_hash',
        sloPercent: input.sloPercent,
        policy,
        interval: input.interval ?? '1m',
      };
      const problem = manifestProblem(options);
      if (problem) throw new InputError(problem);
      let objects;
      try {
        objects = generateRolloutManifests(options);
      } catch (error) {
        throw new InputError((error as Error).message);
      }
      const relative = path.posix.join(targetPath, 'rollout.yaml');
      const file = resolveSafeChildPath(ctx.workspacePath, relative);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(
        file,
        `# Generated by glidepath:rollout:generate from the "${
          policy.name
        }" rollback policy.\n${objects
          .map(object => stringify(object, { lineWidth: 0 }))
          .join('---\n')}`,
        'utf8',
      );
      ctx.logger.info(
        `Wrote ${relative}: ${objects
          .map(o => `${o.kind} ${o.metadata.name}`)
          .join(', ')}`,
      );
      ctx.output('path', relative);
      ctx.output(
        'kinds',
        objects.map(o => o.kind),
      );
    },
  });
}
