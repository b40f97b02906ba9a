import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  glidepathRolloutProvidersExtensionPoint,
  ObservedRelease,
  RolloutProvider,
} from '@glidepath/backstage-plugin-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { GlidepathClient } from '@glidepath/backstage-plugin-common';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import githubModule from '@backstage/plugin-scaffolder-backend-module-github';
import glidepathPlugin from '@glidepath/backstage-plugin-backend';
import { crdValidators } from './__testUtils__/crds';
import { createPlanAction } from './actions/plan';
import glidepathScaffolderModule from './index';

jest.setTimeout(60_000);

const TEMPLATES = path.resolve(__dirname, '../../../templates');
const OWNER = 'user:default/owner';

/** A release of checkout-service, as a rollout provider reports it. */
function checkoutRelease(): ObservedRelease {
  const now = new Date();
  return {
    providerReleaseId: 'checkout-service@7',
    version: '2.5.0',
    previousVersion: '2.4.0',
    environment: 'production',
    strategy: 'canary',
    phase: 'paused',
    steps: [
      {
        kind: 'set_weight',
        weight: 10,
        description: '10%',
        status: 'completed',
      },
      {
        kind: 'pause',
        durationSeconds: null,
        description: 'wait',
        status: 'running',
      },
      {
        kind: 'set_weight',
        weight: 100,
        description: '100%',
        status: 'pending',
      },
    ],
    currentStepIndex: 1,
    canaryWeight: 10,
    message: null,
    startedBy: { kind: 'provider', ref: 'test' },
    commit: null,
    startedAt: now,
    updatedAt: now,
    finishedAt: null,
  };
}

const provider: RolloutProvider = {
  id: 'test',
  async listRollouts(targets) {
    return targets.map(t => ({
      entityRef: t.entityRef,
      releases: t.ref === 'checkout-service' ? [checkoutRelease()] : [],
    }));
  },
  async performAction() {
    return {};
  },
};

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout-service',
      namespace: 'default',
      annotations: { 'glidepath.dev/rollout': 'test:checkout-service' },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-checkout' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'sandbox-service',
      namespace: 'default',
      annotations: { 'glidepath.dev/rollout': 'test:sandbox-service' },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'team-checkout',
    },
  },
];

/** The files of a template's folder, as the dry-run API takes them. */
function directoryContents(folder: string) {
  const files: Array<{ path: string; base64Content: string }> = [];
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir)) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else {
        files.push({
          path: path.relative(folder, full),
          base64Content: fs.readFileSync(full).toString('base64'),
        });
      }
    }
  };
  walk(folder);
  return files;
}

describe('the templates, through the scaffolder backend', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        githubModule,
        glidepathScaffolderModule,
        glidepathPlugin,
        createBackendModule({
          pluginId: 'glidepath',
          moduleId: 'test-provider',
          register(reg) {
            reg.registerInit({
              deps: { providers: glidepathRolloutProvidersExtensionPoint },
              async init({ providers }) {
                providers.addRolloutProvider(provider);
              },
            });
          },
        }),
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            glidepath: {
              sync: {
                schedule: {
                  frequency: { milliseconds: 200 },
                  timeout: { seconds: 10 },
                },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    // Wait for the first sync, so that checkout-service has its release.
    for (let i = 0; i < 100; i++) {
      const summary = await request(server)
        .get('/api/glidepath/entities/component/default/checkout-service')
        .set('Authorization', mockCredentials.user.header(OWNER));
      if (summary.body.current) break;
      await new Promise(r => setTimeout(r, 100));
    }
  });
  afterAll(async () => stop?.());

  const template = (name: string) =>
    parse(fs.readFileSync(path.join(TEMPLATES, name, 'template.yaml'), 'utf8'));

  const dryRun = (name: string, values: object) =>
    request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header(OWNER))
      .send({
        template: template(name),
        values,
        directoryContents: directoryContents(path.join(TEMPLATES, name)),
      });

  it('lists Glidepath’s actions, with their docs and examples', async () => {
    const response = await request(server)
      .get('/api/scaffolder/v2/actions')
      .set('Authorization', mockCredentials.user.header(OWNER));
    const ours = response.body.filter((a: { id: string }) =>
      a.id.startsWith('glidepath:'),
    );
    expect(ours.map((a: { id: string }) => a.id).sort()).toEqual([
      'glidepath:checklist:create',
      'glidepath:drill:schedule',
      'glidepath:game-day:create',
      'glidepath:plan:create',
      'glidepath:promote',
      'glidepath:rollback',
      'glidepath:rollback-test:run',
      'glidepath:rollout:generate',
    ]);
    for (const action of ours) {
      expect(action.description.length).toBeGreaterThan(80);
      expect(action.examples.length).toBeGreaterThan(0);
      expect(action.schema.input.properties).toBeDefined();
    }
  });

  it('"Release checklist": checks the entity and its release, writes nothing', async () => {
    const response = await dryRun('release-checklist', {
      entity: 'component:default/checkout-service',
      title: 'Checkout 2.5',
      release: 'current',
      items: [{ title: 'Migration applied', required: true }],
    });
    expect(response.status).toBe(200);
    expect(response.body.output.text[0].content).toContain(
      '7 items, 5 of them required',
    );
    const summary = await request(server)
      .get('/api/glidepath/entities/component/default/checkout-service')
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(summary.body.checklist).toBeNull();
  });

  it('"Release checklist": an entity without a release fails with the reason', async () => {
    const response = await dryRun('release-checklist', {
      entity: 'component:default/sandbox-service',
      title: 'Sandbox 1.0',
      release: 'current',
    });
    // The dry run stops at the failed step and answers with its reason.
    expect(response.status).toBe(500);
    expect(response.body.error.message).toBe(
      'component:default/sandbox-service has no release yet; attach the checklist to its next release instead',
    );
  });

  it('"New service with a canary rollout": a catalog-info.yaml with Glidepath annotations and manifests valid against the CRDs', async () => {
    const response = await dryRun('new-service-canary', {
      name: 'payments-api',
      description: 'Takes payments',
      owner: 'group:default/team-payments',
      strategy: 'canary',
      canaryWeight: 20,
      canaryPauseMinutes: 10,
      policy: 'default',
      sloPercent: 99.9,
      requires: 'component:default/checkout-service@>=2.4.0',
      cluster: 'production',
      namespace: 'payments',
      image: 'ghcr.io/acme/payments-api:0.1.0',
      port: 8080,
      prometheusAddress: 'http://prometheus.monitoring:9090',
      repoUrl: 'github.com?owner=acme&repo=payments-api',
    });
    expect(response.status).toBe(200);
    const files = new Map<string, string>(
      response.body.directoryContents.map(
        (f: { path: string; base64Content: string }) => [
          f.path,
          Buffer.from(f.base64Content, 'base64').toString('utf8'),
        ],
      ),
    );
    expect([...files.keys()].sort()).toEqual([
      'README.md',
      'catalog-info.yaml',
      'kubernetes/rollout.yaml',
    ]);
    const entity = parse(files.get('catalog-info.yaml')!);
    expect(entity.metadata.annotations).toEqual({
      'backstage.io/kubernetes-id': 'payments-api',
      'glidepath.dev/rollout': 'argo-rollouts:production/payments/payments-api',
      'glidepath.dev/metrics': 'prometheus:job="payments-api"',
      'glidepath.dev/slo': '99.9',
      'glidepath.dev/policy': 'default',
      'glidepath.dev/strategy': 'canary:20,50,100',
      'glidepath.dev/requires': 'component:default/checkout-service@>=2.4.0',
    });
    expect(entity.spec).toEqual({
      type: 'service',
      lifecycle: 'experimental',
      owner: 'group:default/team-payments',
    });
    const objects = parseAllDocuments(
      files.get('kubernetes/rollout.yaml')!,
    ).map(d => d.toJSON());
    const crds = crdValidators();
    expect(objects.map(o => o.kind)).toEqual([
      'Rollout',
      'Service',
      'Service',
      'AnalysisTemplate',
    ]);
    for (const object of objects.filter(o => o.kind !== 'Service')) {
      expect(crds.validate(object)).toEqual([]);
    }
    expect(objects[0].spec.strategy.canary.steps).toEqual([
      { setWeight: 20 },
      { pause: { duration: '10m' } },
      { setWeight: 50 },
      { pause: {} },
    ]);
    // The default policy as the Glidepath backend applies it.
    expect(
      objects[3].spec.metrics.map((m: { name: string }) => m.name),
    ).toEqual([
      'error-rate-increase',
      'p95-latency-increase',
      'p95-latency-ratio',
      'burn-rate-1h-5m',
      'burn-rate-6h-30m',
    ]);
  });

  it('"New service with a canary rollout": the form refuses a canary weight out of range', async () => {
    const response = await dryRun('new-service-canary', {
      name: 'payments-api',
      description: 'x',
      owner: 'group:default/team-payments',
      strategy: 'canary',
      canaryWeight: 80,
      policy: 'default',
      sloPercent: 99.9,
      cluster: 'production',
      namespace: 'payments',
      image: 'i',
      prometheusAddress: 'http://p:9090',
      repoUrl: 'github.com?owner=acme&repo=payments-api',
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.errors)).toContain('canaryWeight');
  });

  it('"Release game day": records the game day with its fault and hypothesis', async () => {
    const response = await dryRun('release-game-day', {
      title: 'Sandbox game day',
      entity: 'component:default/sandbox-service',
      startsAt: '2026-12-10T14:00:00.000Z',
      fault: 'latency',
      expectedRollbackMinutes: 3,
      facilitator: 'user:default/owner',
    });
    expect(response.status).toBe(200);
    const log = response.body.log
      .map((l: { body: { message: string } }) => l.body.message)
      .join('\n');
    expect(log).toContain(
      'Dry run: would record the game day "Sandbox game day" at 2026-12-10T14:00:00.000Z: latency on component:default/sandbox-service',
    );
    expect(response.body.output.text[0].content).toContain(
      'Follow it on the **Game days** page',
    );
  });

  it('"Release game day": an unknown service fails with the reason', async () => {
    const response = await dryRun('release-game-day', {
      title: 'Ghost game day',
      entity: 'component:default/ghost',
      fault: 'latency',
      expectedRollbackMinutes: 2,
      facilitator: 'user:default/owner',
    });
    expect(response.status).toBe(500);
    expect(response.body.error.message).toContain('component:default/ghost');
  });

  it('"Coordinated release": checks each service and plans nothing in a dry run', async () => {
    const response = await dryRun('coordinated-release', {
      title: 'Checkout 2.5',
      members: [
        {
          entityRef: 'component:default/sandbox-service',
          version: '1.1.0',
          environment: 'staging',
          fix: false,
        },
        {
          entityRef: 'component:default/checkout-service',
          version: '2.5.0',
          environment: 'production',
          fix: false,
        },
      ],
      startAt: '2026-12-10T09:00:00.000Z',
      soakMinutes: 10,
      analysisPassed: true,
      rollbackTestPassed: false,
      checklistItems: [],
      failurePolicy: 'rollback-all',
      wait: false,
    });
    expect(response.status).toBe(200);
    const log = response.body.log
      .map((l: { body: { message: string } }) => l.body.message)
      .join('\n');
    expect(log).toContain(
      'Dry run: would plan "Checkout 2.5" at 2026-12-10T09:00:00.000Z: component:default/sandbox-service 1.1.0 in staging, component:default/checkout-service 2.5.0 in production',
    );
    expect(response.body.output.links[0].url).toBe('/glidepath/plans/dry-run');
  });

  it('"Coordinated release": an unknown service fails with the reason', async () => {
    const response = await dryRun('coordinated-release', {
      title: 'Ghost release',
      members: [
        {
          entityRef: 'component:default/ghost',
          version: '1.0.0',
          environment: 'production',
        },
        {
          entityRef: 'component:default/checkout-service',
          version: '2.5.0',
          environment: 'production',
        },
      ],
      soakMinutes: 10,
      failurePolicy: 'halt',
    });
    expect(response.status).toBe(500);
    expect(response.body.error.message).toContain('component:default/ghost');
  });

  it('"Coordinated release": the form refuses a single service', async () => {
    const response = await dryRun('coordinated-release', {
      title: 'Solo',
      members: [
        {
          entityRef: 'component:default/checkout-service',
          version: '2.5.0',
          environment: 'production',
        },
      ],
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.errors)).toContain('members');
  });

  it('glidepath:plan:create against the Glidepath backend: one plan however often the task is retried, and a 404 naming an unknown service', async () => {
    const port = (server.address() as AddressInfo).port;
    const client = new GlidepathClient({
      discoveryApi: {
        getBaseUrl: async () => `http://localhost:${port}/api/glidepath`,
      },
      fetchApi: {
        fetch: (input, init) => {
          const headers = new Headers(init?.headers);
          headers.set('Authorization', mockCredentials.user.header(OWNER));
          return fetch(input, { ...init, headers });
        },
      },
    });
    const action = createPlanAction(() => client);
    const saved = new Map<string, unknown>();
    const run = async (input: object) => {
      const ctx = createMockActionContext({ input });
      (ctx as any).checkpoint = async (opts: {
        key: string;
        fn: () => Promise<unknown>;
      }) => {
        if (!saved.has(opts.key)) saved.set(opts.key, await opts.fn());
        return saved.get(opts.key);
      };
      await action.handler(ctx as never);
      return ctx;
    };
    const input = {
      title: 'Checkout and sandbox',
      members: [
        {
          entityRef: 'component:default/checkout-service',
          version: '2.6.0',
          environment: 'production',
        },
        {
          entityRef: 'component:default/sandbox-service',
          version: '1.1.0',
          environment: 'production',
        },
      ],
      startAt: new Date(Date.now() + 86_400_000).toISOString(),
      failurePolicy: 'halt',
    };
    const first = await run(input);
    const second = await run(input);
    const ids = [first, second].map(
      ctx =>
        (ctx.output as jest.Mock).mock.calls.find(
          ([name]) => name === 'planId',
        )?.[1],
    );
    expect(ids[0]).toEqual(expect.any(String));
    expect(ids[1]).toBe(ids[0]);
    expect(first.output).toHaveBeenCalledWith(
      'planUrl',
      `/glidepath/plans/${ids[0]}`,
    );
    expect(first.output).toHaveBeenCalledWith('state', 'scheduled');
    const plans = await request(server)
      .get('/api/glidepath/plans')
      .set('Authorization', mockCredentials.user.header(OWNER));
    expect(plans.status).toBe(200);
    expect(
      plans.body.items.filter(
        (p: { title: string }) => p.title === input.title,
      ),
    ).toHaveLength(1);
    expect(
      plans.body.items[0].members.map(
        (m: { entityRef: string }) => m.entityRef,
      ),
    ).toEqual(
      expect.arrayContaining([
        'component:default/checkout-service',
        'component:default/sandbox-service',
      ]),
    );

    await expect(
      run({
        ...input,
        title: 'With a ghost',
        members: [
          ...input.members,
          {
            entityRef: 'component:default/ghost',
            version: '1.0.0',
            environment: 'production',
          },
        ],
      }),
    ).rejects.toThrow(
      'Glidepath refused to plan the coordinated release "With a ghost" (HTTP 404): No entity component:default/ghost in the catalog',
    );
  });
});
