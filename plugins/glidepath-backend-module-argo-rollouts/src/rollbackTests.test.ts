/**
 * Rollback tests (issue 20) against the local API server: the rollback of
 * a completed release (an undo to the previous revision), the roll forward
 * (an undo to the tested release's revision), the exact requests each
 * sends, and what `listRollouts` reports at each stage, with the objects
 * the controller would write in between (`rollbackTimeline.ts`, built from
 * the shared fixtures). No controller runs here.
 */
import { NotFoundError } from '@backstage/errors';
import type {
  RolloutActionResult,
  RollForwardRequest,
} from '@glidepath/backstage-plugin-node';
import { editedFixture, fixture } from './__testUtils__/fixtures';
import {
  cluster,
  ROLLOUTS,
  setUp,
  target,
  type ProviderEnv,
} from './__testUtils__/providerEnv';
import {
  completed,
  PREVIOUS,
  rolledBack,
  rolledForward,
  rollingBack,
  rollingForward,
  TESTED,
  TIMES,
  type Stage,
} from './__testUtils__/rollbackTimeline';
import { ArgoRolloutsProvider } from './ArgoRolloutsProvider';

let env: ProviderEnv;
afterEach(async () => {
  await env?.tearDown();
});

const CANARY = target('prod-eu/jesse-test/canary-demo');
const TESTED_ID = 'prod-eu/jesse-test/canary-demo@31';
const REPLICASETS = '/apis/apps/v1/namespaces/jesse-test/replicasets';

function put(stage: Stage) {
  env.server.put(stage.rollout);
  stage.replicaSets.forEach(rs => env.server.put(rs));
}

/**
 * A second provider that only reads, with its own clock: the one that acts
 * reads the cluster again after every action, at the action's time.
 */
let reader: { provider: ArgoRolloutsProvider; now: number } | null = null;
afterEach(() => {
  reader?.provider.stop();
  reader = null;
});

/** The canary-demo releases, as a read of the cluster at `at` finds them. */
async function releases(at: string) {
  if (!reader) {
    const state = { now: 0 } as { provider: ArgoRolloutsProvider; now: number };
    state.provider = new ArgoRolloutsProvider({
      clusters: [cluster('prod-eu', env.server.url)],
      pollIntervalMs: 10_000,
      requestTimeoutMs: 2_000,
      now: () => state.now,
    });
    reader = state;
  }
  reader.now = Date.parse(at);
  const [result] = await reader.provider.listRollouts([CANARY]);
  if (!('releases' in result)) throw new Error(result.error);
  return result.releases;
}

function rollForward(
  overrides: Partial<RollForwardRequest> = {},
): Promise<RolloutActionResult> {
  return env.provider.rollForward({
    target: CANARY,
    providerReleaseId: TESTED_ID,
    version: TESTED.version,
    reason: 'rollback test in staging',
    actor: { kind: 'user', ref: 'user:default/ada' },
    signal: new AbortController().signal,
    ...overrides,
  });
}

/** The rollback action on the tested release. */
function rollBack(): Promise<RolloutActionResult> {
  return env.provider.performAction({
    target: CANARY,
    providerReleaseId: TESTED_ID,
    action: 'rollback',
    reason: 'rollback test in staging',
    actor: { kind: 'user', ref: 'user:default/ada' },
    signal: new AbortController().signal,
  });
}

/**
 * What an undo of canary-demo sends after its read: the list of its
 * ReplicaSets, then the JSON patch writing back the template of `file`.
 */
function undoRequests(file: string) {
  return [
    expect.objectContaining({
      method: 'GET',
      path: REPLICASETS,
      query: expect.objectContaining({ labelSelector: 'app=canary-demo' }),
    }),
    expect.objectContaining({
      method: 'PATCH',
      path: `${ROLLOUTS}/canary-demo`,
      contentType: 'application/json-patch+json',
      body: [
        {
          op: 'replace',
          path: '/spec/template',
          value: restoredTemplate(file),
        },
      ],
    }),
  ];
}

/** A fixture ReplicaSet's pod template as an undo writes it back. */
function restoredTemplate(file: string) {
  const template = structuredClone((fixture(file).spec as any).template);
  delete template.metadata.labels['rollouts-pod-template-hash'];
  return template;
}

/**
 * The requests of one action from `from` on (without the lists of the
 * cache refresh that follows every action), after its fresh read of the Rollout.
 */
function ownRequests(from = 0) {
  return env.server.requests
    .slice(from)
    .filter(r => r.path.includes('/namespaces/'));
}

function afterRead(from = 0) {
  const requests = ownRequests(from);
  expect(requests[0]).toMatchObject({
    method: 'GET',
    path: `${ROLLOUTS}/canary-demo`,
  });
  return requests.slice(1);
}

describe('rollback of a completed release', () => {
  it('is an undo to the previous revision (not an abort): its template written back as a JSON patch', async () => {
    env = await setUp();
    put(completed());
    const result = await rollBack();
    expect(afterRead()).toEqual(undoRequests('canary/stable-rs.yaml'));
    expect(result.message).toBe(
      'rolled rollout jesse-test/canary-demo back to revision 30 in cluster prod-eu',
    );
  });
});

describe('what listRollouts reports through a rollback test', () => {
  it('the previous version as a new revision through the steps, then the tested version again', async () => {
    env = await setUp();
    put(completed());
    expect((await releases('2019-10-28T05:01:00Z'))[0]).toMatchObject({
      providerReleaseId: TESTED_ID,
      version: TESTED.version,
      previousVersion: PREVIOUS.version,
      phase: 'succeeded',
    });

    // The undo, before the controller has seen it: the API server bumps
    // the generation of a spec change; the completed release reads as
    // progressing until the controller catches up.
    await rollBack();
    const undone = structuredClone(
      env.server.object('rollouts', 'jesse-test', 'canary-demo')!,
    ) as any;
    expect(undone.spec.template.spec.containers[0].image).toBe(
      'argoproj/rollouts-demo:green',
    );
    undone.metadata.generation = 430;
    env.server.put(undone);
    expect((await releases('2019-10-28T05:59:50Z'))[0]).toMatchObject({
      providerReleaseId: TESTED_ID,
      version: TESTED.version,
      phase: 'progressing',
      message:
        'waiting for the controller to observe generation 430 (it has seen 429)',
    });

    // The controller reused green's ReplicaSet as revision 32: a new
    // release of the previous version, held at the steps' `pause: {}`.
    put(rollingBack());
    const during = await releases('2019-10-28T06:00:10Z');
    expect(during.map(r => [r.providerReleaseId, r.version, r.phase])).toEqual([
      ['prod-eu/jesse-test/canary-demo@32', PREVIOUS.version, 'paused'],
      [TESTED_ID, TESTED.version, 'succeeded'],
      ['prod-eu/jesse-test/canary-demo@29', 'asdf', 'rolled_back'],
    ]);
    expect(during[0]).toMatchObject({
      previousVersion: TESTED.version,
      currentStepIndex: 1,
      canaryWeight: 20,
      message: 'Paused: paused at step 2 of 8: waits for a promote',
      finishedAt: null,
    });
    expect(during[0].steps.map(s => s.status)).toEqual([
      'completed',
      'running',
      'pending',
      'pending',
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expect(during[1].message).toBe(
      'Stable: serving while revision 32 rolls out',
    );
    // The reused ReplicaSet was created in 2019-10-26; the release started
    // when the controller took the undo (Completed turned False), which
    // Glidepath saw happen between two reads.
    expect(during[0].startedAt).toEqual(new Date(TIMES.rollback));

    put(rolledBack());
    const after = await releases('2019-10-28T06:10:10Z');
    expect(after.map(r => [r.providerReleaseId, r.version, r.phase])).toEqual([
      ['prod-eu/jesse-test/canary-demo@32', PREVIOUS.version, 'succeeded'],
      [TESTED_ID, TESTED.version, 'rolled_back'],
      ['prod-eu/jesse-test/canary-demo@29', 'asdf', 'rolled_back'],
    ]);
    expect(after[0]).toMatchObject({
      canaryWeight: 100,
      startedAt: new Date(TIMES.rollback),
      finishedAt: new Date(TIMES.rolledBack),
    });
    expect(after[1].message).toBe(
      'Rolled back: revision 32 brought back the template of revision 30',
    );

    // Roll forward: undo --to-revision=31, the tested release's ReplicaSet.
    const from = env.server.requests.length;
    const result = await rollForward();
    expect(afterRead(from)).toEqual(undoRequests('canary/canary-rs.yaml'));
    expect(result.message).toBe(
      'rolled rollout jesse-test/canary-demo forward to does-not-exist, the template of revision 31 (undo --to-revision=31) in cluster prod-eu',
    );

    // A repeated call before the controller has acted: the template
    // already matches, nothing is written.
    const again = env.server.requests.length;
    expect((await rollForward()).message).toBe(
      'skipped the roll forward of rollout jesse-test/canary-demo: it already runs or rolls out does-not-exist (the template of revision 31, ReplicaSet canary-demo-65fb5ffc84) in cluster prod-eu',
    );
    expect(
      env.server.requests.slice(again).filter(r => r.method === 'PATCH'),
    ).toEqual([]);

    // The controller reused the tested ReplicaSet as revision 33: the
    // tested version again, through the steps; the id @31 is gone.
    put(rollingForward());
    const forward = await releases('2019-10-28T07:00:10Z');
    expect(forward.map(r => [r.providerReleaseId, r.version, r.phase])).toEqual(
      [
        ['prod-eu/jesse-test/canary-demo@33', TESTED.version, 'paused'],
        ['prod-eu/jesse-test/canary-demo@32', PREVIOUS.version, 'succeeded'],
        ['prod-eu/jesse-test/canary-demo@29', 'asdf', 'rolled_back'],
      ],
    );
    expect(forward[0]).toMatchObject({
      previousVersion: PREVIOUS.version,
      currentStepIndex: 1,
      startedAt: new Date(TIMES.rollForward),
    });

    // A repeated call now: the ReplicaSet of revision 31 is found by its
    // revision-history, and the Rollout's template is its.
    const third = env.server.requests.length;
    expect((await rollForward()).message).toBe(
      'skipped the roll forward of rollout jesse-test/canary-demo: it already runs or rolls out does-not-exist (the template of revision 31, now revision 33, ReplicaSet canary-demo-65fb5ffc84) in cluster prod-eu',
    );
    expect(
      env.server.requests.slice(third).filter(r => r.method === 'PATCH'),
    ).toEqual([]);

    put(rolledForward());
    const done = await releases('2019-10-28T07:10:10Z');
    expect(done.map(r => [r.providerReleaseId, r.version, r.phase])).toEqual([
      ['prod-eu/jesse-test/canary-demo@33', TESTED.version, 'succeeded'],
      ['prod-eu/jesse-test/canary-demo@32', PREVIOUS.version, 'rolled_back'],
      ['prod-eu/jesse-test/canary-demo@29', 'asdf', 'rolled_back'],
    ]);
    expect(done[1].message).toBe(
      'Rolled back: revision 33 brought back the template of revision 31',
    );
    expect(done[0]).toMatchObject({
      startedAt: new Date(TIMES.rollForward),
      finishedAt: new Date(TIMES.rolledForward),
    });
  });

  it("a reused revision that was current before the first read starts at its ReplicaSet's creation", async () => {
    // Nothing tells a reused ReplicaSet's start from its first creation
    // when Glidepath did not see the revision begin (a backend restart).
    env = await setUp();
    put(rolledBack());
    const [current] = await releases('2019-10-28T06:10:10Z');
    expect(current).toMatchObject({
      providerReleaseId: 'prod-eu/jesse-test/canary-demo@32',
      startedAt: new Date('2019-10-26T08:48:13Z'),
    });
  });
});

describe('rollForward', () => {
  it('of a workloadRef rollout: reads the referenced Deployment, restores its template, then skips', async () => {
    env = await setUp();
    const stage = rolledBack();
    env.server.put(
      editedFixture('canary/canary-rollout3.yaml', o => {
        o.metadata.annotations['rollout.argoproj.io/revision'] = '32';
        o.status = (stage.rollout as any).status;
      }),
    );
    stage.replicaSets.forEach(rs => env.server.put(rs));
    const refTarget = target(
      'prod-eu/jesse-test/canary-demo-workloadRef-deploy',
    );
    const request = {
      target: refTarget,
      providerReleaseId: 'prod-eu/jesse-test/canary-demo-workloadRef-deploy@31',
      version: TESTED.version,
      reason: 'rollback test',
      actor: { kind: 'user' as const, ref: 'user:default/ada' },
      signal: new AbortController().signal,
    };
    const deployment =
      '/apis/apps/v1/namespaces/jesse-test/deployments/canary-demo-deploy';

    const result = await env.provider.rollForward(request);
    expect(ownRequests().slice(1)).toEqual([
      expect.objectContaining({ method: 'GET', path: REPLICASETS }),
      expect.objectContaining({ method: 'GET', path: deployment }),
      expect.objectContaining({
        method: 'PATCH',
        path: deployment,
        contentType: 'application/json-patch+json',
        body: [
          {
            op: 'replace',
            path: '/spec/template',
            value: restoredTemplate('canary/canary-rs.yaml'),
          },
        ],
      }),
    ]);
    expect(result.message).toBe(
      'rolled rollout jesse-test/canary-demo-workloadRef-deploy forward to does-not-exist, the template of revision 31 (undo --to-revision=31) by restoring the template of its Deployment canary-demo-deploy in cluster prod-eu',
    );
    expect(
      (
        env.server.object('deployments', 'jesse-test', 'canary-demo-deploy')!
          .spec as any
      ).template.spec.containers[0].image,
    ).toBe('argoproj/rollouts-demo:does-not-exist');

    // Again: the Deployment's template already is revision 31's.
    const from = env.server.requests.length;
    expect((await env.provider.rollForward(request)).message).toBe(
      'skipped the roll forward of rollout jesse-test/canary-demo-workloadRef-deploy: it already runs or rolls out does-not-exist (the template of revision 31, ReplicaSet canary-demo-65fb5ffc84) in cluster prod-eu',
    );
    expect(ownRequests(from).map(r => [r.method, r.path])).toEqual([
      ['GET', `${ROLLOUTS}/canary-demo-workloadRef-deploy`],
      ['GET', REPLICASETS],
      ['GET', deployment],
    ]);
  });

  it('resolves without writing when the rollout still runs the tested release', async () => {
    env = await setUp();
    put(completed());
    expect((await rollForward()).message).toBe(
      'skipped the roll forward of rollout jesse-test/canary-demo: it already runs or rolls out does-not-exist (the template of revision 31, ReplicaSet canary-demo-65fb5ffc84) in cluster prod-eu',
    );
    expect(env.server.requests.filter(r => r.method === 'PATCH')).toEqual([]);
  });

  it('names the pruned ReplicaSet and the revisionHistoryLimit', async () => {
    env = await setUp();
    put(rolledBack());
    env.server.remove('replicasets', 'jesse-test', TESTED.rs);
    const promise = rollForward();
    await expect(promise).rejects.toThrow(NotFoundError);
    await expect(promise).rejects.toThrow(
      'rollout jesse-test/canary-demo has no ReplicaSet of revision 31 any more, so its version does-not-exist cannot be rolled forward (it keeps revisions 32, 29): the controller deleted it beyond spec.revisionHistoryLimit (3)',
    );
    expect(env.server.requests.filter(r => r.method === 'PATCH')).toEqual([]);
  });

  it('refuses a release whose ReplicaSet runs another version, and a release of another rollout', async () => {
    env = await setUp();
    put(rolledBack());
    await expect(rollForward({ version: 'blue' })).rejects.toThrow(
      'revision 31 of rollout jesse-test/canary-demo runs does-not-exist, not blue: Glidepath does not roll it forward',
    );
    await expect(
      rollForward({
        providerReleaseId: 'prod-eu/jesse-test/bluegreen-demo@11',
      }),
    ).rejects.toThrow(
      'the release prod-eu/jesse-test/bluegreen-demo@11 is not one of "argo-rollouts:prod-eu/jesse-test/canary-demo"',
    );
    expect(env.server.requests.filter(r => r.method === 'PATCH')).toEqual([]);
  });
});
