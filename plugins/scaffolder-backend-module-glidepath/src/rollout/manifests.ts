import type { RollbackPolicy } from '@glidepath/backstage-plugin-common';

/** One canary step: send `weight` percent, then wait (or, without `pauseSeconds`, wait for a promote). */
export type CanaryStep = { weight: number; pauseSeconds?: number };

/** What {@link generateRolloutManifests} needs. @public */
export type RolloutManifestOptions = {
  /** The workload's name (a DNS label); also the value of `backstage.io/kubernetes-id`. */
  name: string;
  namespace: string;
  image: string;
  /** The container's HTTP port. */
  port: number;
  replicas: number;
  strategy: 'canary' | 'blueGreen';
  /** Canary steps; the last one without a pause waits for a promote. */
  steps: CanaryStep[];
  /** The Prometheus server the AnalysisTemplate queries. */
  prometheusAddress: string;
  /** PromQL label matchers of the service's series, e.g. `job="checkout"`. */
  selector: string;
  /** The label that carries the pod template hash on the series. */
  podHashLabel: string;
  /** The availability objective (percent) for the burn-rate triggers. */
  sloPercent?: number;
  /** The rollback policy, as Glidepath applies it. */
  policy: RollbackPolicy;
  /** How often each metric is measured, e.g. `1m`. */
  interval: string;
};

/** A Kubernetes object, as plain data. */
export type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  spec: Record<string, unknown>;
};

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why the options cannot make valid manifests, or undefined. */
export function manifestProblem(
  options: RolloutManifestOptions,
): string | undefined {
  if (!NAME.test(options.name) || options.name.length > 53) {
    return `name "${options.name}" must be a DNS label of at most 53 characters (lower-case letters, digits and dashes)`;
  }
  if (!NAME.test(options.namespace) || options.namespace.length > 63) {
    return `namespace "${options.namespace}" must be a DNS label`;
  }
  if (options.strategy === 'canary') {
    if (!options.steps.length) return 'a canary needs at least one step';
    let previous = 0;
    for (const [i, step] of options.steps.entries()) {
      if (!(step.weight > previous && step.weight <= 100)) {
        return `steps[${i}].weight ${step.weight} must be above the step before it (${previous}) and at most 100`;
      }
      previous = step.weight;
    }
  }
  if (
    options.sloPercent !== undefined &&
    !(options.sloPercent > 0 && options.sloPercent < 100)
  ) {
    return `sloPercent ${options.sloPercent} must be between 0 and 100, e.g. 99.9`;
  }
  return undefined;
}

/** Seconds as an Argo Rollouts duration, e.g. 300 -> "5m". */
export function formatDuration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

function sides(options: RolloutManifestOptions) {
  const base = options.selector.trim();
  const withHash = (arg: string) =>
    `${base ? `${base},` : ''}${options.podHashLabel}="{{args.${arg}}}"`;
  return { canary: withHash('canary-hash'), stable: withHash('stable-hash') };
}

/** Drops NaN (no traffic) so that "no data" measures as an empty result. */
const valid = (expr: string) => `(${expr}) > -Inf`;

function errorRatio(selector: string, window: string): string {
  return `sum(increase(http_requests_total{${selector},code=~"5.."}[${window}])) / clamp_min(sum(increase(http_requests_total{${selector}}[${window}])), 1)`;
}

function p95(selector: string, window: string): string {
  return `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[${window}])))`;
}

/**
 * The AnalysisTemplate's metrics: each trigger of the policy that is on,
 * as a Prometheus query compared with the policy's limit. Error rate and
 * latency compare the canary's pods with the stable ones (by pod template
 * hash); the burn rates follow the SRE workbook's multi-window alerts.
 * Glidepath's own judge is sequential and tolerates no false rollbacks
 * beyond its budget; the template is the same policy for clusters where
 * Argo Rollouts decides by itself.
 */
export function analysisMetrics(options: RolloutManifestOptions) {
  const { policy, interval } = options;
  const { canary, stable } = sides(options);
  const window = '5m';
  const metrics: Array<Record<string, unknown>> = [];
  const metric = (name: string, query: string, condition: string) => ({
    name,
    interval,
    failureLimit: 0,
    successCondition: `len(result) == 0 || result[0] ${condition}`,
    provider: {
      prometheus: { address: options.prometheusAddress, query },
    },
  });
  if (policy.errorRate.enabled) {
    metrics.push(
      metric(
        'error-rate-increase',
        valid(
          `(${errorRatio(canary, window)}) - (${errorRatio(stable, window)})`,
        ),
        `<= ${policy.errorRate.maxIncrease}`,
      ),
    );
  }
  if (policy.latency.enabled) {
    metrics.push(
      metric(
        'p95-latency-increase',
        valid(`${p95(canary, window)} - ${p95(stable, window)}`),
        `<= ${policy.latency.maxP95IncreaseSeconds}`,
      ),
      metric(
        'p95-latency-ratio',
        valid(`${p95(canary, window)} / ${p95(stable, window)}`),
        `<= ${policy.latency.maxP95Ratio}`,
      ),
    );
  }
  if (policy.burnRate.enabled && options.sloPercent !== undefined) {
    const budget = Number((1 - options.sloPercent / 100).toPrecision(6));
    for (const burn of policy.burnRate.windows) {
      const long = formatDuration(burn.longSeconds);
      const short = formatDuration(burn.shortSeconds);
      // Both windows must burn: the smaller of the two rates is the alert's.
      const query = valid(
        `min(label_replace((${errorRatio(
          canary,
          long,
        )}) / ${budget}, "window", "long", "", "") or label_replace((${errorRatio(
          canary,
          short,
        )}) / ${budget}, "window", "short", "", ""))`,
      );
      metrics.push(
        metric(`burn-rate-${long}-${short}`, query, `< ${burn.factor}`),
      );
    }
  }
  return metrics;
}

/**
 * Kubernetes manifests for a service released by Argo Rollouts with
 * Glidepath: the Rollout (canary with a stable and a canary Service, or
 * blue-green with an active and a preview Service), the Services, and an
 * AnalysisTemplate expressing the rollback policy. Labelled
 * `backstage.io/kubernetes-id: <name>` so that Backstage's Kubernetes plugin
 * and Glidepath's Argo Rollouts provider find them.
 * @public
 */
export function generateRolloutManifests(
  options: RolloutManifestOptions,
): KubernetesObject[] {
  const problem = manifestProblem(options);
  if (problem) throw new TypeError(problem);
  const { name, namespace } = options;
  const labels = { app: name, 'backstage.io/kubernetes-id': name };
  const templateName = `${name}-glidepath-policy`;
  const service = (serviceName: string): KubernetesObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: serviceName, namespace, labels },
    spec: {
      selector: { app: name },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  });
  const analysisArgs = [
    {
      name: 'canary-hash',
      valueFrom: { podTemplateHashValue: 'Latest' },
    },
    {
      name: 'stable-hash',
      valueFrom: { podTemplateHashValue: 'Stable' },
    },
  ];

  let strategy: Record<string, unknown>;
  let services: KubernetesObject[];
  if (options.strategy === 'canary') {
    const steps: Array<Record<string, unknown>> = [];
    for (const step of options.steps) {
      steps.push({ setWeight: step.weight });
      if (step.weight < 100) {
        steps.push({
          pause:
            step.pauseSeconds === undefined
              ? {}
              : { duration: formatDuration(step.pauseSeconds) },
        });
      }
    }
    strategy = {
      canary: {
        stableService: name,
        canaryService: `${name}-canary`,
        analysis: {
          templates: [{ templateName }],
          startingStep: 1,
          args: analysisArgs,
        },
        steps,
      },
    };
    services = [service(name), service(`${name}-canary`)];
  } else {
    strategy = {
      blueGreen: {
        activeService: name,
        previewService: `${name}-preview`,
        autoPromotionEnabled: false,
        prePromotionAnalysis: {
          templates: [{ templateName }],
          args: analysisArgs,
        },
      },
    };
    services = [service(name), service(`${name}-preview`)];
  }

  const rollout: KubernetesObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name, namespace, labels },
    spec: {
      replicas: options.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name,
              image: options.image,
              ports: [
                { name: 'http', containerPort: options.port, protocol: 'TCP' },
              ],
              readinessProbe: {
                httpGet: { path: '/healthz', port: 'http' },
                periodSeconds: 5,
              },
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
              },
            },
          ],
        },
      },
      strategy,
    },
  };

  const metrics = analysisMetrics(options);
  if (!metrics.length) {
    throw new TypeError(
      `the "${options.policy.name}" policy has no trigger that an AnalysisTemplate can express (error rate, latency, or burn rate with an SLO): turn one on or give sloPercent`,
    );
  }
  const analysisTemplate: KubernetesObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: templateName, namespace, labels },
    spec: {
      args: [{ name: 'canary-hash' }, { name: 'stable-hash' }],
      metrics,
    },
  };
  return [rollout, ...services, analysisTemplate];
}
