import { policy } from '../__testUtils__/policy';
import { crdValidators } from '../__testUtils__/crds';
import {
  formatDuration,
  generateRolloutManifests,
  manifestProblem,
  RolloutManifestOptions,
} from './manifests';

const options: RolloutManifestOptions = {
  name: 'checkout',
  namespace: 'shop',
  image: 'ghcr.io/acme/checkout:1.0.0',
  port: 8080,
  replicas: 4,
  strategy: 'canary',
  steps: [{ weight: 10, pauseSeconds: 300 }, { weight: 50 }, { weight: 100 }],
  prometheusAddress: 'http://prometheus.monitoring:9090',
  selector: 'job="checkout"',
  podHashLabel: 'rollouts_pod_template_hash',
  sloPercent: 99.9,
  policy,
  interval: '1m',
};

const crds = crdValidators();

describe('generateRolloutManifests', () => {
  it('knows the CRDs it validates against', () => {
    expect(crds.kinds.sort()).toEqual([
      'AnalysisRun',
      'AnalysisTemplate',
      'Rollout',
    ]);
  });

  it.each(['canary', 'blueGreen'] as const)(
    'writes a %s Rollout and an AnalysisTemplate valid against Argo Rollouts’ CRDs',
    strategy => {
      const objects = generateRolloutManifests({ ...options, strategy });
      expect(objects.map(o => o.kind)).toEqual([
        'Rollout',
        'Service',
        'Service',
        'AnalysisTemplate',
      ]);
      for (const object of objects.filter(o => o.kind !== 'Service')) {
        expect(crds.validate(object)).toEqual([]);
      }
      for (const object of objects) {
        expect(object.metadata.labels).toEqual(
          expect.objectContaining({ 'backstage.io/kubernetes-id': 'checkout' }),
        );
      }
    },
  );

  it('the validation refuses what Argo Rollouts would not run (it can fail)', () => {
    const [rollout] = generateRolloutManifests(options);
    const broken = structuredClone(rollout) as any;
    broken.spec.strategy.canary.steps[0] = { setWieght: 10 };
    broken.spec.replicas = 'four';
    const errors = crds.validate(broken);
    expect(errors.join('\n')).toMatch(/additionalProperty.*setWieght/);
    expect(errors.join('\n')).toMatch(/\/spec\/replicas must be integer/);
  });

  it('turns the steps into weights and pauses, the last one waiting for a promote', () => {
    const [rollout] = generateRolloutManifests(options);
    expect((rollout.spec.strategy as any).canary.steps).toEqual([
      { setWeight: 10 },
      { pause: { duration: '5m' } },
      { setWeight: 50 },
      { pause: {} },
      { setWeight: 100 },
    ]);
    expect((rollout.spec.strategy as any).canary).toMatchObject({
      stableService: 'checkout',
      canaryService: 'checkout-canary',
      analysis: { templates: [{ templateName: 'checkout-glidepath-policy' }] },
    });
  });

  it('expresses each trigger of the policy as a Prometheus query with its limit', () => {
    const template = generateRolloutManifests(options)[3];
    const metrics = (template.spec.metrics as any[]).map(m => ({
      name: m.name,
      successCondition: m.successCondition,
    }));
    expect(metrics).toEqual([
      {
        name: 'error-rate-increase',
        successCondition: 'len(result) == 0 || result[0] <= 0.01',
      },
      {
        name: 'p95-latency-increase',
        successCondition: 'len(result) == 0 || result[0] <= 0.25',
      },
      {
        name: 'p95-latency-ratio',
        successCondition: 'len(result) == 0 || result[0] <= 1.5',
      },
      {
        name: 'burn-rate-1h-5m',
        successCondition: 'len(result) == 0 || result[0] < 14.4',
      },
      {
        name: 'burn-rate-6h-30m',
        successCondition: 'len(result) == 0 || result[0] < 6',
      },
    ]);
    const errorRate = (template.spec.metrics as any[])[0].provider.prometheus;
    expect(errorRate.address).toBe('http://prometheus.monitoring:9090');
    expect(errorRate.query).toBe(
      '((sum(increase(http_requests_total{job="checkout",rollouts_pod_template_hash="{{args.canary-hash}}",code=~"5.."}[5m])) / clamp_min(sum(increase(http_requests_total{job="checkout",rollouts_pod_template_hash="{{args.canary-hash}}"}[5m])), 1)) - (sum(increase(http_requests_total{job="checkout",rollouts_pod_template_hash="{{args.stable-hash}}",code=~"5.."}[5m])) / clamp_min(sum(increase(http_requests_total{job="checkout",rollouts_pod_template_hash="{{args.stable-hash}}"}[5m])), 1))) > -Inf',
    );
    expect(
      (template.spec.metrics as any[])[3].provider.prometheus.query,
    ).toContain('/ 0.001');
  });

  it('leaves out the burn rates without an SLO and the triggers the policy turns off', () => {
    const template = generateRolloutManifests({
      ...options,
      sloPercent: undefined,
      policy: { ...policy, latency: { ...policy.latency, enabled: false } },
    })[3];
    expect((template.spec.metrics as any[]).map(m => m.name)).toEqual([
      'error-rate-increase',
    ]);
  });

  it.each([
    [{ name: 'Checkout' }, 'name "Checkout" must be a DNS label'],
    [
      { steps: [{ weight: 50 }, { weight: 20 }] },
      'steps[1].weight 20 must be above the step before it (50)',
    ],
    [{ steps: [] }, 'a canary needs at least one step'],
    [{ sloPercent: 100 }, 'sloPercent 100 must be between 0 and 100'],
  ])('refuses %j', (patch, message) => {
    const bad = { ...options, ...patch } as RolloutManifestOptions;
    expect(manifestProblem(bad)).toContain(message);
    expect(() => generateRolloutManifests(bad)).toThrow(message);
  });

  it('refuses a policy with nothing to express', () => {
    expect(() =>
      generateRolloutManifests({
        ...options,
        sloPercent: undefined,
        policy: {
          ...policy,
          errorRate: { enabled: false, maxIncrease: 0 },
          latency: { ...policy.latency, enabled: false },
        },
      }),
    ).toThrow(/the "default" policy has no trigger/);
  });

  it.each([
    [300, '5m'],
    [3600, '1h'],
    [45, '45s'],
  ])('formats %p seconds as %p', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
