import { createMockDirectory } from '@backstage/backend-test-utils';
import { ResponseError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type {
  Checklist,
  EntityReleaseSummary,
  GlidepathClient,
  Plan,
  Release,
  ReleaseAction,
  RollbackTest,
} from '@glidepath/backstage-plugin-common';
import Ajv from 'ajv';
import fs from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { crdValidators } from '../__testUtils__/crds';
import { policy } from '../__testUtils__/policy';
import { createChecklistAction } from './checklist';
import { createDrillAction } from './drill';
import { createGameDayAction } from './gameDay';
import { createPlanAction } from './plan';
import { createReleaseActionAction } from './releaseAction';
import { createRolloutGenerateAction } from './rolloutGenerate';
import { createRollbackTestAction } from './rollbackTest';

const release = { id: 'r1', version: '2.4.0', phase: 'paused' } as Release;

function summary(
  patch: Partial<EntityReleaseSummary> = {},
): EntityReleaseSummary {
  return {
    entityRef: 'component:default/checkout-service',
    current: release,
    recent: [release],
    allowedActions: ['promote', 'resume', 'abort', 'rollback'],
    recentActions: [],
    provider: null,
    problems: [],
    checklist: null,
    environments: [],
    ...patch,
  };
}

function rollbackTest(patch: Partial<RollbackTest> = {}): RollbackTest {
  return {
    id: 't1',
    entityRef: 'component:default/inventory-service',
    environment: 'staging',
    version: '2.4.0',
    previousVersion: '2.3.1',
    releaseId: 'r9',
    provider: 'sandbox',
    simulated: true,
    trigger: 'manual',
    requestedBy: { kind: 'user', ref: 'user:default/ada' },
    reason: 'x',
    state: 'pending',
    stateReason: null,
    requestedAt: '2026-12-06T10:00:00.000Z',
    rolledBackAt: null,
    healthyAt: null,
    finishedAt: null,
    rollbackSeconds: null,
    healthySeconds: null,
    ...patch,
  };
}

function plan(patch: Partial<Plan> = {}): Plan {
  const member = (entityRef: string, wave: number) => ({
    entityRef,
    version: '2.5.0',
    environment: 'production',
    fix: false,
    wave,
    state: 'pending' as const,
    stateReason: null,
    mode: 'provider' as const,
    releaseId: null,
    startedAt: null,
    completedAt: null,
    rolledBackAt: null,
  });
  return {
    id: 'p1',
    title: 'Checkout 2.5',
    state: 'scheduled',
    stateReason: null,
    failurePolicy: 'rollback-all',
    gates: {},
    startAt: '2026-12-10T09:00:00.000Z',
    trainId: null,
    createdBy: { kind: 'user', ref: 'user:default/ada' },
    createdAt: '2026-12-07T09:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    currentWave: null,
    override: null,
    freezeOverride: null,
    waves: [0, 1].map(index => ({
      index,
      state: 'pending' as const,
      waitingFor: null,
      startedAt: null,
      completedAt: null,
    })),
    members: [
      member('component:default/inventory-service', 0),
      member('component:default/checkout-service', 1),
    ],
    events: [],
    simulated: true,
    ...patch,
  } as Plan;
}

const PASSED = {
  state: 'passed' as const,
  rolledBackAt: '2026-12-06T10:00:41.000Z',
  healthyAt: '2026-12-06T10:01:10.000Z',
  finishedAt: '2026-12-06T10:02:00.000Z',
  rollbackSeconds: 41,
  healthySeconds: 70,
};

function action(state: ReleaseAction['state'], error: string | null = null) {
  return { id: 'a1', releaseId: 'r1', state, error } as ReleaseAction;
}

/** A Glidepath API whose methods are jest mocks. */
function fakeApi(
  patch: Partial<Record<keyof GlidepathClient, jest.Mock>> = {},
) {
  const api = {
    getEntityReleaseSummary: jest.fn(async () => summary()),
    createReleaseAction: jest.fn(async () => action('requested')),
    getReleaseAction: jest.fn(async () => action('succeeded')),
    createChecklist: jest.fn(
      async (_entity, request) =>
        ({
          id: 'c1',
          releaseId: request.release === 'next' ? null : 'r1',
          title: request.title,
          items: request.items,
          gate: { blocking: true, openRequired: ['x'], reason: 'r' },
        } as unknown as Checklist),
    ),
    getRollbackPolicy: jest.fn(async () => policy),
    runRollbackTest: jest.fn(async () => rollbackTest()),
    listRollbackTests: jest.fn(async () => ({
      items: [rollbackTest(PASSED)],
    })),
    createGameDay: jest.fn(async (request: any) => ({
      ...request,
      id: 'g1',
      state: 'scheduled',
    })),
    createPlan: jest.fn(async (request: any) => plan({ title: request.title })),
    getPlan: jest.fn(async () => plan({ state: 'succeeded' })),
    scheduleDrill: jest.fn(async (entity, request) => ({
      entityRef: `component:default/${entity.name}`,
      provider: 'sandbox',
      simulated: true,
      fault: request.fault,
      message: `next release carries ${request.fault}`,
    })),
    ...patch,
  };
  return { api, clients: () => api as unknown as GlidepathClient };
}

/** Checkpoints kept across two runs, as a retried task keeps them. */
function checkpointStore() {
  const saved = new Map<string, unknown>();
  return async <T>(opts: { key: string; fn: () => Promise<T> | T }) => {
    if (!saved.has(opts.key)) saved.set(opts.key, await opts.fn());
    return saved.get(opts.key) as T;
  };
}

const refused = async (status: number, message: string) =>
  ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        request: { method: 'POST', url: '/api/glidepath/x' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: status === 403 ? 'Forbidden' : 'Conflict',
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );

const allActions = () => {
  const { clients } = fakeApi();
  return [
    createReleaseActionAction('rollback', clients),
    createReleaseActionAction('promote', clients),
    createChecklistAction(clients),
    createRolloutGenerateAction(clients),
    createDrillAction(clients),
    createRollbackTestAction(clients),
    createGameDayAction(clients),
    createPlanAction(clients),
  ];
};

describe('the examples', () => {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
  });
  it.each(allActions().map(a => [a.id, a] as const))(
    '%s: every example is valid input and runs',
    async (_id, templateAction) => {
      expect(templateAction.examples?.length).toBeGreaterThan(0);
      for (const example of templateAction.examples ?? []) {
        const { steps } = parse(example.example);
        for (const step of steps) {
          expect(step.action).toBe(templateAction.id);
          const validate = ajv.compile(templateAction.schema!.input!);
          expect(validate.errors ?? []).toEqual([]);
          expect(validate(step.input)).toBe(true);
          const ctx = createMockActionContext({ input: step.input });
          await templateAction.handler(ctx as never);
          expect(ctx.output).toHaveBeenCalled();
        }
      }
    },
  );

  it('the input schema refuses what the form must catch', () => {
    const [rollback, , checklist, rollout] = allActions();
    const valid = (a: typeof rollback, input: object) =>
      ajv.compile(a.schema!.input!)(input);
    expect(
      valid(rollback, { entityRef: 'x', reason: 'y', timeoutSeconds: 1 }),
    ).toBe(false);
    expect(valid(rollback, { entityRef: 'x' })).toBe(false);
    expect(
      valid(checklist, { entityRef: 'x', title: 't', release: 'later' }),
    ).toBe(false);
    expect(
      valid(rollout, {
        name: 'Bad_Name',
        namespace: 'ns',
        image: 'i',
        prometheusAddress: 'http://p:9090',
        selector: 'job="x"',
      }),
    ).toBe(false);
    expect(
      valid(rollout, {
        name: 'ok',
        namespace: 'ns',
        image: 'i',
        prometheusAddress: 'http://p:9090',
        selector: 'job="x"',
        steps: [{ weight: 150 }],
      }),
    ).toBe(false);
  });
});

describe('glidepath:rollback and glidepath:promote', () => {
  it('acts once on the current release, even when the task is retried', async () => {
    const { api, clients } = fakeApi();
    const rollback = createReleaseActionAction('rollback', clients);
    const checkpoint = checkpointStore();
    for (let attempt = 0; attempt < 2; attempt++) {
      const ctx = createMockActionContext({
        input: { entityRef: 'checkout-service', reason: ' error rate up ' },
      });
      ctx.checkpoint = checkpoint as never;
      await rollback.handler(ctx as never);
      expect(ctx.output).toHaveBeenCalledWith('actionId', 'a1');
      expect(ctx.output).toHaveBeenCalledWith('state', 'requested');
    }
    expect(api.getEntityReleaseSummary).toHaveBeenCalledWith(
      expect.objectContaining({
        kind: 'component',
        namespace: 'default',
        name: 'checkout-service',
      }),
    );
    const keys = api.createReleaseAction.mock.calls.map(
      c => c[2].idempotencyKey,
    );
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(api.createReleaseAction.mock.calls[0].slice(0, 2)).toEqual([
      'r1',
      { action: 'rollback', reason: 'error rate up' },
    ]);
  });

  it('waits for the outcome and fails the step when the action failed', async () => {
    const { api, clients } = fakeApi({
      getReleaseAction: jest.fn(async () =>
        action('failed', 'the provider is down'),
      ),
    });
    const promote = createReleaseActionAction('promote', clients);
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/checkout-service',
        reason: 'ok',
        wait: true,
      },
    });
    await expect(promote.handler(ctx as never)).rejects.toThrow(
      'Glidepath could not promote the release of component:default/checkout-service: the provider is down',
    );
    expect(api.getReleaseAction).toHaveBeenCalledWith('a1');
  });

  it.each([
    [
      'an entity without a release',
      {
        getEntityReleaseSummary: jest.fn(async () =>
          summary({ current: null }),
        ),
      },
      'component:default/checkout-service has no release to roll back',
    ],
    [
      'a release whose phase does not admit it',
      {
        getEntityReleaseSummary: jest.fn(async () =>
          summary({
            allowedActions: [],
            current: { ...release, phase: 'rolled_back' },
          }),
        ),
      },
      'Cannot roll back component:default/checkout-service: its release 2.4.0 is rolled back; it admits no action',
    ],
    [
      'a user without permission',
      {
        createReleaseAction: jest.fn(async () => {
          throw await refused(
            403,
            'You are not allowed to roll back releases of component:default/checkout-service',
          );
        }),
      },
      'Glidepath refused to roll back the release of component:default/checkout-service (HTTP 403): You are not allowed to roll back releases of component:default/checkout-service',
    ],
    [
      'an unknown entity',
      {
        getEntityReleaseSummary: jest.fn(async () => {
          throw await refused(
            404,
            'No entity component:default/ghost in the catalog',
          );
        }),
      },
      'No entity component:default/ghost in the catalog',
    ],
    [
      'a malformed ref',
      {},
      'entityRef "component:default/" is not an entity ref',
    ],
  ])('fails with the reason for %s', async (_name, patch, message) => {
    const { clients } = fakeApi(patch as never);
    const rollback = createReleaseActionAction('rollback', clients);
    const ctx = createMockActionContext({
      input: {
        entityRef:
          _name === 'a malformed ref'
            ? 'component:default/'
            : 'checkout-service',
        reason: 'why',
      },
    });
    await expect(rollback.handler(ctx as never)).rejects.toThrow(message);
  });

  it('in a dry run checks and changes nothing', async () => {
    const { api, clients } = fakeApi();
    const ctx = {
      ...createMockActionContext({
        input: { entityRef: 'checkout-service', reason: 'why' },
      }),
      isDryRun: true,
    };
    await createReleaseActionAction('rollback', clients).handler(ctx as never);
    expect(api.createReleaseAction).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('state', 'dry-run');
  });
});

describe('glidepath:checklist:create', () => {
  it('sends the standard items and the team’s, once per task', async () => {
    const { api, clients } = fakeApi();
    const create = createChecklistAction(clients);
    const checkpoint = checkpointStore();
    for (let attempt = 0; attempt < 2; attempt++) {
      const ctx = createMockActionContext({
        input: {
          entityRef: 'checkout-service',
          title: ' Checkout 2.5 ',
          release: 'next',
          items: [
            {
              title: 'Migration applied',
              owner: 'group:default/team-checkout',
            },
          ],
        },
      });
      ctx.checkpoint = checkpoint as never;
      await create.handler(ctx as never);
      expect(ctx.output).toHaveBeenCalledWith('checklistId', 'c1');
      expect(ctx.output).toHaveBeenCalledWith('releaseId', null);
      expect(ctx.output).toHaveBeenCalledWith('items', 7);
      expect(ctx.output).toHaveBeenCalledWith('required', 5);
    }
    const [[entity, request, options], [, , again]] =
      api.createChecklist.mock.calls;
    expect(entity).toMatchObject({ name: 'checkout-service' });
    expect(request.title).toBe('Checkout 2.5');
    expect(request.release).toBe('next');
    expect(request.items.map((i: { title: string }) => i.title)).toEqual([
      'Change summary written and communicated',
      'Rollback plan verified',
      'Dashboards and alerts checked',
      'On-call aware',
      'Feature flags set',
      'Dependent teams told',
      'Migration applied',
    ]);
    expect(options.idempotencyKey).toBe(again.idempotencyKey);
  });

  it.each([
    [{ standard: false, items: [] }, 'The checklist has no items'],
    [
      { items: [{ title: 'On-call aware' }, { title: 'on-call aware' }] },
      'items: The checklist has the item "on-call aware" twice',
    ],
  ])('refuses %j', async (patch, message) => {
    const { api, clients } = fakeApi();
    const ctx = createMockActionContext({
      input: { entityRef: 'checkout-service', title: 't', ...patch },
    });
    await expect(
      createChecklistAction(clients).handler(ctx as never),
    ).rejects.toThrow(message);
    expect(api.createChecklist).not.toHaveBeenCalled();
  });

  it('passes on Glidepath’s refusal of the current release of an entity without one', async () => {
    const { clients } = fakeApi({
      createChecklist: jest.fn(async () => {
        throw await refused(
          409,
          'component:default/checkout-service has no release yet; attach the checklist to its next release instead',
        );
      }),
    });
    const ctx = createMockActionContext({
      input: { entityRef: 'checkout-service', title: 't' },
    });
    await expect(
      createChecklistAction(clients).handler(ctx as never),
    ).rejects.toThrow(
      'Glidepath refused to attach a checklist to component:default/checkout-service (HTTP 409): component:default/checkout-service has no release yet',
    );
  });
});

describe('glidepath:rollout:generate', () => {
  const input = {
    name: 'payments-api',
    namespace: 'payments',
    image: 'ghcr.io/acme/payments-api:0.1.0',
    prometheusAddress: 'http://prometheus.monitoring:9090',
    selector: 'job="payments-api"',
    sloPercent: 99.9,
  };

  it('writes manifests valid against the CRDs, from the policy Glidepath applies', async () => {
    const { api, clients } = fakeApi();
    const workspace = createMockDirectory();
    const ctx = createMockActionContext({
      input,
      workspacePath: workspace.path,
    });
    await createRolloutGenerateAction(clients).handler(ctx as never);
    expect(api.getRollbackPolicy).toHaveBeenCalledWith('default');
    expect(ctx.output).toHaveBeenCalledWith('path', 'kubernetes/rollout.yaml');
    const text = fs.readFileSync(
      workspace.resolve('kubernetes/rollout.yaml'),
      'utf8',
    );
    const objects = parseAllDocuments(text).map(d => d.toJSON());
    expect(objects.map(o => o.kind)).toEqual([
      'Rollout',
      'Service',
      'Service',
      'AnalysisTemplate',
    ]);
    const crds = crdValidators();
    for (const object of objects.filter(o => o.kind !== 'Service')) {
      expect(crds.validate(object)).toEqual([]);
    }
    expect(objects[0].spec.strategy.canary.steps).toEqual([
      { setWeight: 10 },
      { pause: { duration: '5m' } },
      { setWeight: 50 },
      { pause: {} },
    ]);
  });

  it('fails with Glidepath’s reason for an unknown policy, writing nothing', async () => {
    const { clients } = fakeApi({
      getRollbackPolicy: jest.fn(async () => {
        throw await refused(
          404,
          'No rollback policy "fast" in glidepath.analysis.policies (known: default, strict)',
        );
      }),
    });
    const workspace = createMockDirectory();
    const ctx = createMockActionContext({
      input: { ...input, policy: 'fast' },
      workspacePath: workspace.path,
    });
    await expect(
      createRolloutGenerateAction(clients).handler(ctx as never),
    ).rejects.toThrow(
      'No rollback policy "fast" in glidepath.analysis.policies (known: default, strict)',
    );
    expect(fs.existsSync(workspace.resolve('kubernetes'))).toBe(false);
  });

  it('refuses steps that do not grow, writing nothing', async () => {
    const { clients } = fakeApi();
    const workspace = createMockDirectory();
    const ctx = createMockActionContext({
      input: { ...input, steps: [{ weight: 50 }, { weight: 25 }] },
      workspacePath: workspace.path,
    });
    await expect(
      createRolloutGenerateAction(clients).handler(ctx as never),
    ).rejects.toThrow(
      'steps[1].weight 25 must be above the step before it (50)',
    );
    expect(fs.existsSync(workspace.resolve('kubernetes'))).toBe(false);
  });
});

describe('glidepath:drill:schedule', () => {
  it('asks Glidepath for the drill as the user and passes on what will happen', async () => {
    const { api, clients } = fakeApi();
    const ctx = createMockActionContext({
      input: {
        entityRef: 'search-service',
        fault: 'latency',
        reason: ' game day ',
      },
    });
    await createDrillAction(clients).handler(ctx as never);
    expect(api.scheduleDrill).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'search-service' }),
      { fault: 'latency', reason: 'game day' },
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'message',
      'next release carries latency',
    );
    expect(ctx.output).toHaveBeenCalledWith('simulated', true);
  });

  it('fails with Glidepath’s reason for a provider that cannot inject faults', async () => {
    const { clients } = fakeApi({
      scheduleDrill: jest.fn(async () => {
        throw await refused(
          409,
          'The argo-rollouts rollout provider cannot inject faults',
        );
      }),
    });
    const ctx = createMockActionContext({
      input: { entityRef: 'checkout-service', fault: 'latency', reason: 'x' },
    });
    await expect(
      createDrillAction(clients).handler(ctx as never),
    ).rejects.toThrow(
      'Glidepath refused to schedule a drill on component:default/checkout-service (HTTP 409): The argo-rollouts rollout provider cannot inject faults',
    );
  });
});

describe('glidepath:rollback-test:run', () => {
  it('runs a test as the user, waits for it and gives its timings', async () => {
    const { api, clients } = fakeApi();
    const ctx = createMockActionContext({
      input: {
        entityRef: 'inventory-service',
        reason: ' before the train ',
        environment: 'staging',
        wait: true,
      },
    });
    await createRollbackTestAction(clients).handler(ctx as never);
    expect(api.runRollbackTest).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'inventory-service' }),
      { reason: 'before the train', environment: 'staging' },
      { idempotencyKey: expect.any(String) },
    );
    expect(ctx.output).toHaveBeenCalledWith('testId', 't1');
    expect(ctx.output).toHaveBeenCalledWith('state', 'passed');
    expect(ctx.output).toHaveBeenCalledWith(
      'message',
      'rolled back in 41 s, healthy again after 1 min 10 s, rolled forward again',
    );
  });

  it('fails the step when the test fails, with the reason', async () => {
    const { clients } = fakeApi({
      listRollbackTests: jest.fn(async () => ({
        items: [
          rollbackTest({
            state: 'failed',
            rolledBackAt: '2026-12-06T10:00:01.000Z',
            rollbackSeconds: 1,
            stateReason:
              '2.3.1 did not come back healthy: its release failed (2.3.1 no longer starts)',
          }),
        ],
      })),
    });
    const ctx = createMockActionContext({
      input: { entityRef: 'inventory-service', reason: 'x', wait: true },
    });
    await expect(
      createRollbackTestAction(clients).handler(ctx as never),
    ).rejects.toThrow(
      'The rollback test of 2.4.0 of component:default/inventory-service in staging failed (rolled back in 1 s): 2.3.1 did not come back healthy: its release failed (2.3.1 no longer starts)',
    );
  });

  it('passes on why Glidepath refused, and asks once however often the task is retried', async () => {
    const { api, clients } = fakeApi({
      runRollbackTest: jest.fn(async () => {
        throw await refused(
          409,
          'component:default/solo has no non-production environment',
        );
      }),
    });
    const checkpoint = checkpointStore();
    const run = async () => {
      const ctx = createMockActionContext({
        input: { entityRef: 'solo', reason: 'x' },
      });
      (ctx as any).checkpoint = checkpoint;
      return createRollbackTestAction(clients).handler(ctx as never);
    };
    await expect(run()).rejects.toThrow(
      'Glidepath refused to test the rollback of component:default/solo (HTTP 409): component:default/solo has no non-production environment',
    );
    await expect(run()).rejects.toThrow('HTTP 409');
    const keys = api.runRollbackTest.mock.calls.map(c => c[2].idempotencyKey);
    expect(keys[0]).toBe(keys[1]);
  });
});

describe('glidepath:game-day:create', () => {
  const input = {
    title: 'Checkout game day',
    facilitator: 'user:default/priya.nair',
    faults: [
      { service: 'web-storefront', fault: 'error-rate' },
      { service: 'inventory-service', fault: 'latency', environment: ' ' },
    ],
    hypothesis: 'Rolled back within 2 minutes, owners notified',
    productionOverrideReason: '',
  };

  it('records the game day as the user, once however often the task is retried, starting now by default', async () => {
    const { api, clients } = fakeApi();
    const checkpoint = checkpointStore();
    const before = Date.now();
    for (let run = 0; run < 2; run++) {
      const ctx = createMockActionContext({ input });
      (ctx as any).checkpoint = checkpoint;
      await createGameDayAction(clients).handler(ctx as never);
      expect(ctx.output).toHaveBeenCalledWith('gameDayId', 'g1');
      expect(ctx.output).toHaveBeenCalledWith(
        'message',
        expect.stringContaining(
          'Glidepath injects error-rate on component:default/web-storefront, latency on component:default/inventory-service',
        ),
      );
    }
    expect(api.createGameDay).toHaveBeenCalledTimes(2);
    const [[request, first], [, second]] = api.createGameDay.mock.calls;
    expect(first.idempotencyKey).toEqual(second.idempotencyKey);
    expect(request).toEqual({
      title: 'Checkout game day',
      facilitator: 'user:default/priya.nair',
      participants: [],
      scheduledAt: expect.any(String),
      faults: [
        { service: 'component:default/web-storefront', fault: 'error-rate' },
        { service: 'component:default/inventory-service', fault: 'latency' },
      ],
      hypothesis: 'Rolled back within 2 minutes, owners notified',
    });
    expect(Date.parse(request.scheduledAt)).toBeGreaterThanOrEqual(
      before - 1000,
    );
  });

  it('passes a production override and refuses a bad time', async () => {
    const { api, clients } = fakeApi();
    const ctx = createMockActionContext({
      input: {
        ...input,
        scheduledAt: '2026-12-10T14:00:00Z',
        productionOverrideReason: ' yearly DR test ',
      },
    });
    await createGameDayAction(clients).handler(ctx as never);
    expect(api.createGameDay.mock.calls[0][0]).toMatchObject({
      scheduledAt: '2026-12-10T14:00:00.000Z',
      productionOverride: { reason: 'yearly DR test' },
    });
    await expect(
      createGameDayAction(clients).handler(
        createMockActionContext({
          input: { ...input, scheduledAt: 'next tuesday' },
        }) as never,
      ),
    ).rejects.toThrow(
      'scheduledAt must be a date and time, not "next tuesday"',
    );
  });

  it('passes on why Glidepath refused', async () => {
    const { clients } = fakeApi({
      createGameDay: jest.fn(async () => {
        throw await refused(
          409,
          'production is a production environment of component:default/cart-service: drills there are refused unless an admin overrides with a reason (productionOverride)',
        );
      }),
    });
    await expect(
      createGameDayAction(clients).handler(
        createMockActionContext({ input }) as never,
      ),
    ).rejects.toThrow(
      'Glidepath refused to record the game day "Checkout game day" (HTTP 409): production is a production environment',
    );
  });
});

describe('glidepath:plan:create', () => {
  const input = {
    title: 'Checkout 2.5',
    members: [
      {
        entityRef: 'inventory-service',
        version: ' 3.1.0 ',
        environment: 'production',
      },
      {
        entityRef: 'component:default/checkout-service',
        version: '2.5.0',
        environment: 'production',
        fix: true,
      },
    ],
    startAt: '2026-12-10T09:00:00Z',
    trainId: '',
    gates: { soakMinutes: 15, analysisPassed: true, checklistItems: [' '] },
    failurePolicy: 'rollback-all' as const,
    overrideReason: '',
  };

  it('plans the release as the user once, however often the task is retried, and links its page', async () => {
    const { api, clients } = fakeApi();
    const checkpoint = checkpointStore();
    for (let run = 0; run < 2; run++) {
      const ctx = createMockActionContext({ input });
      (ctx as any).checkpoint = checkpoint;
      await createPlanAction(clients).handler(ctx as never);
      expect(ctx.output).toHaveBeenCalledWith('planId', 'p1');
      expect(ctx.output).toHaveBeenCalledWith('planUrl', '/glidepath/plans/p1');
      expect(ctx.output).toHaveBeenCalledWith('state', 'scheduled');
      expect(ctx.output).toHaveBeenCalledWith(
        'message',
        'scheduled for Thu, 10 Dec 2026 09:00:00 GMT, 2 services in 2 waves',
      );
    }
    expect(api.createPlan).toHaveBeenCalledTimes(2);
    const [[request, first], [, second]] = api.createPlan.mock.calls;
    expect(first.idempotencyKey).toEqual(expect.any(String));
    expect(first.idempotencyKey).toEqual(second.idempotencyKey);
    expect(request).toEqual({
      title: 'Checkout 2.5',
      members: [
        {
          entityRef: 'component:default/inventory-service',
          version: '3.1.0',
          environment: 'production',
        },
        {
          entityRef: 'component:default/checkout-service',
          version: '2.5.0',
          environment: 'production',
          fix: true,
        },
      ],
      startAt: '2026-12-10T09:00:00.000Z',
      gates: { soakMinutes: 15, analysisPassed: true },
      failurePolicy: 'rollback-all',
    });
    // Without a wait, the plan is not read again.
    expect(api.getPlan).not.toHaveBeenCalled();
  });

  it('a different task gets a different key', async () => {
    const { api, clients } = fakeApi();
    for (let run = 0; run < 2; run++) {
      await createPlanAction(clients).handler(
        createMockActionContext({ input }) as never,
      );
    }
    const [[, first], [, second]] = api.createPlan.mock.calls;
    expect(first.idempotencyKey).not.toEqual(second.idempotencyKey);
  });

  it('passes on why Glidepath refused (a 4xx names the problem), with the same key on a retry', async () => {
    const { api, clients } = fakeApi({
      createPlan: jest.fn(async () => {
        throw await refused(
          409,
          'component:default/checkout-service in production is already in the active plan "Checkout 2.4" (p0)',
        );
      }),
    });
    const checkpoint = checkpointStore();
    const run = async () => {
      const ctx = createMockActionContext({ input });
      (ctx as any).checkpoint = checkpoint;
      await createPlanAction(clients).handler(ctx as never);
      return ctx;
    };
    await expect(run()).rejects.toThrow(
      'Glidepath refused to plan the coordinated release "Checkout 2.5" (HTTP 409): component:default/checkout-service in production is already in the active plan "Checkout 2.4" (p0)',
    );
    await expect(run()).rejects.toThrow('HTTP 409');
    const keys = api.createPlan.mock.calls.map(c => c[1].idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it('an unknown member: the 404 names it', async () => {
    const { clients } = fakeApi({
      createPlan: jest.fn(async () => {
        throw await refused(
          404,
          'No entity component:default/ghost in the catalog',
        );
      }),
    });
    await expect(
      createPlanAction(clients).handler(
        createMockActionContext({ input }) as never,
      ),
    ).rejects.toThrow(
      '(HTTP 404): No entity component:default/ghost in the catalog',
    );
  });

  it('waits until the plan finishes', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const states = [
        plan({ state: 'running', currentWave: 0 }),
        plan({ state: 'running', currentWave: 1 }),
        plan({ state: 'succeeded' }),
      ];
      const { api, clients } = fakeApi({
        getPlan: jest.fn(async () => states.shift()),
      });
      const ctx = createMockActionContext({ input: { ...input, wait: true } });
      const info = jest.spyOn(ctx.logger, 'info');
      const done = createPlanAction(clients).handler(ctx as never);
      for (let i = 0; i < 3; i++) await jest.advanceTimersByTimeAsync(5000);
      await done;
      expect(api.getPlan).toHaveBeenCalledTimes(3);
      expect(ctx.output).toHaveBeenCalledWith('state', 'succeeded');
      expect(info).toHaveBeenCalledWith(
        'Plan p1: running, wave 2 of 2 (2 services in 2 waves)',
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('fails the step when the plan rolls back, naming the failed member', async () => {
    const rolledBack = plan({
      state: 'rolled_back',
      stateReason: 'wave 2 failed; waves rolled back in reverse order',
    });
    rolledBack.members[1] = {
      ...rolledBack.members[1],
      state: 'rolled_back',
      stateReason: 'its canary analysis failed',
    };
    const { clients } = fakeApi({
      createPlan: jest.fn(async () => rolledBack),
    });
    const ctx = createMockActionContext({ input: { ...input, wait: true } });
    await expect(
      createPlanAction(clients).handler(ctx as never),
    ).rejects.toThrow(
      'The plan "Checkout 2.5" rolled back (2 services in 2 waves): wave 2 failed; waves rolled back in reverse order; component:default/checkout-service 2.5.0 rolled back (its canary analysis failed). See /glidepath/plans/p1.',
    );
    expect(ctx.output).toHaveBeenCalledWith('planId', 'p1');
    expect(ctx.output).toHaveBeenCalledWith('state', 'rolled_back');
  });

  it('refuses bad input before asking Glidepath', async () => {
    const { api, clients } = fakeApi();
    const fails = (patch: object) =>
      createPlanAction(clients).handler(
        createMockActionContext({ input: { ...input, ...patch } }) as never,
      );
    await expect(fails({ startAt: 'next thursday' })).rejects.toThrow(
      'startAt must be a date and time, not "next thursday"',
    );
    await expect(fails({ trainId: 'checkout-train' })).rejects.toThrow(
      'Give startAt or trainId, not both',
    );
    await expect(
      fails({ members: [input.members[1], input.members[1]] }),
    ).rejects.toThrow(
      'members[1] repeats members[0]: component:default/checkout-service in production is in the plan once',
    );
    await expect(
      fails({
        members: [
          { entityRef: 'component:default/', version: '1', environment: 'x' },
        ],
      }),
    ).rejects.toThrow('entityRef "component:default/" is not an entity ref');
    expect(api.createPlan).not.toHaveBeenCalled();
  });

  it('in a dry run reads each member and plans nothing', async () => {
    const { api, clients } = fakeApi();
    const ctx = {
      ...createMockActionContext({
        input: { ...input, startAt: '', trainId: 'checkout-train' },
      }),
      isDryRun: true,
    };
    await createPlanAction(clients).handler(ctx as never);
    expect(api.getEntityReleaseSummary).toHaveBeenCalledTimes(2);
    expect(api.createPlan).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith(
      'message',
      'Dry run: would plan "Checkout 2.5" at the next slot of train checkout-train: component:default/inventory-service 3.1.0 in production, component:default/checkout-service 2.5.0 in production',
    );
  });
});
