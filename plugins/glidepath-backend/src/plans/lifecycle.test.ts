import type {
  Release,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import {
  decidePlan,
  MemberObservation,
  PlanObservations,
  rollbackKeyOf,
  startKeyOf,
} from './lifecycle';
import type { StoredPlan, StoredPlanMember } from './PlanStore';
import { controlWrite } from './PlanService';

const NOW = new Date('2026-12-08T10:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

function member(overrides: Partial<StoredPlanMember> = {}): StoredPlanMember {
  return {
    idx: 0,
    entityRef: 'component:default/db',
    version: '2.0.0',
    environment: 'production',
    fix: false,
    wave: 0,
    state: 'pending',
    stateReason: null,
    mode: 'provider',
    releaseId: null,
    startedAt: null,
    completedAt: null,
    rolledBackAt: null,
    provider: 'sandbox',
    knownReleaseIds: null,
    startKey: null,
    startCalledAt: null,
    rollbackActionId: null,
    ...overrides,
  };
}

function plan(overrides: Partial<StoredPlan> = {}): StoredPlan {
  return {
    id: 'p1',
    title: 'Shop',
    state: 'running',
    stateReason: null,
    failurePolicy: 'rollback-wave',
    gates: {
      soakMinutes: 0,
      analysisPassed: true,
      checklistItems: [],
      rollbackTestPassed: true,
    },
    startAt: ago(60_000),
    trainId: null,
    createdBy: { kind: 'user', ref: 'user:default/ada' },
    createdAt: ago(120_000),
    startedAt: ago(60_000),
    finishedAt: null,
    currentWave: 0,
    override: null,
    freezeOverride: null,
    simulated: true,
    revision: 3,
    pausedFrom: null,
    waves: [
      {
        index: 0,
        state: 'releasing',
        waitingFor: null,
        startedAt: ago(60_000),
        completedAt: null,
      },
      {
        index: 1,
        state: 'pending',
        waitingFor: null,
        startedAt: null,
        completedAt: null,
      },
    ],
    members: [
      member(),
      member({ idx: 1, entityRef: 'component:default/api', wave: 1 }),
    ],
    ...overrides,
  };
}

function release(overrides: Partial<Release> = {}): Release {
  return {
    id: 'r-new',
    entityRef: 'component:default/db',
    version: '2.0.0',
    previousVersion: '1.0.0',
    environment: 'production',
    phase: 'progressing',
    startedAt: ago(30_000),
    updatedAt: ago(10_000),
    finishedAt: null,
    message: null,
    ...overrides,
  } as Release;
}

const OLD = release({
  id: 'r-old',
  version: '1.0.0',
  phase: 'succeeded',
  finishedAt: ago(86_400_000),
});

function seen(
  members: Record<number, Partial<MemberObservation>>,
  extra: Partial<PlanObservations> = {},
): PlanObservations {
  return {
    now: NOW,
    startTimeoutMs: 600_000,
    members: new Map(
      Object.entries(members).map(([idx, m]) => [
        Number(idx),
        { recent: [OLD], canStart: true, ...m },
      ]),
    ),
    ...extra,
  };
}

const withMembers = (
  wave0: Partial<StoredPlanMember>,
  waves: Partial<StoredPlan['waves'][number]> = {},
  overrides: Partial<StoredPlan> = {},
) => {
  const base = plan(overrides);
  return {
    ...base,
    waves: [{ ...base.waves[0], ...waves }, base.waves[1]],
    members: [member(wave0), base.members[1]],
  };
};

describe('decidePlan', () => {
  it.each([
    ['before its time', ago(-1_000), undefined, undefined],
    ['at its time', ago(0), 'running', 'Release plan "Shop" started'],
  ])('a scheduled plan %s', (_, startAt, state, notice) => {
    const decision = decidePlan(
      plan({ state: 'scheduled', startAt, currentWave: null }),
      seen({}),
    );
    expect(decision.write?.plan?.state).toBe(state);
    expect(decision.notice?.title).toBe(notice);
  });

  it.each([
    ['paused', 'paused'],
    ['succeeded', 'succeeded'],
    ['aborted', 'aborted'],
  ] as const)('a %s plan waits', (_, state) => {
    expect(decidePlan(plan({ state }), seen({ 0: {} }))).toEqual({
      starts: [],
      rollbacks: [],
    });
  });

  describe('a wave about to start', () => {
    const pending = { state: 'pending' as const, startedAt: null };
    it('waits for a freeze, once', () => {
      const p = withMembers({}, pending);
      const decision = decidePlan(p, seen({ 0: { frozen: 'Black Friday' } }));
      expect(decision.write?.waves).toEqual([
        {
          index: 0,
          patch: { state: 'waiting', waitingFor: 'a freeze: Black Friday' },
        },
      ]);
      expect(decision.notice?.description).toContain('Black Friday');
      const again = withMembers(
        {},
        { state: 'waiting', waitingFor: 'a freeze: Black Friday' },
      );
      expect(
        decidePlan(again, seen({ 0: { frozen: 'Black Friday' } })).write,
      ).toBeUndefined();
    });

    it('goes on during a freeze someone overrode for the plan', () => {
      const p = withMembers({}, pending, {
        freezeOverride: {
          by: { kind: 'user', ref: 'user:default/admin' },
          reason: 'fix',
          at: ago(0),
          problems: [],
        },
      });
      const decision = decidePlan(p, seen({ 0: { frozen: 'Black Friday' } }));
      expect(decision.write?.waves?.[0].patch.state).toBe('releasing');
    });

    it('waits while the dependency check finds a problem', () => {
      const decision = decidePlan(
        withMembers({}, pending),
        seen({ 0: {} }, { graphProblem: 'the dependency check: a cycle' }),
      );
      expect(decision.write?.waves?.[0].patch).toEqual({
        state: 'waiting',
        waitingFor: 'the dependency check: a cycle',
      });
    });
  });

  describe("a releasing wave's member", () => {
    it.each<
      [
        string,
        Partial<StoredPlanMember>,
        Partial<MemberObservation>,
        object,
        number[],
      ]
    >([
      [
        'is started with its key, the releases there remembered',
        {},
        {},
        {
          state: 'starting',
          startKey: startKeyOf('p1', 0),
          knownReleaseIds: ['r-old'],
        },
        [0],
      ],
      [
        'waits for someone when the provider cannot start releases',
        {},
        { canStart: false },
        {
          state: 'manual',
          mode: 'manual',
          stateReason: expect.stringContaining('cannot start releases'),
        },
        [],
      ],
      [
        'fails without a target there',
        {},
        { targetProblem: 'no target for "production"', canStart: false },
        { state: 'failed', stateReason: expect.stringContaining('no target') },
        [],
      ],
      [
        'counts as released when the version already runs',
        {},
        {
          recent: [
            release({
              id: 'r-run',
              phase: 'succeeded',
              finishedAt: ago(5_000),
            }),
          ],
        },
        {
          state: 'released',
          releaseId: 'r-run',
          stateReason: '2.0.0 already runs there',
        },
        [],
      ],
      [
        'finds its release once it shows up',
        {
          state: 'starting',
          knownReleaseIds: ['r-old'],
          startCalledAt: ago(5_000),
        },
        { recent: [release(), OLD] },
        { state: 'releasing', releaseId: 'r-new' },
        [],
      ],
      [
        'is started again with the same key when the call was not recorded (a crash)',
        {
          state: 'starting',
          knownReleaseIds: ['r-old'],
          startKey: startKeyOf('p1', 0),
        },
        {},
        {},
        [0],
      ],
      [
        'fails when no release shows up in time',
        {
          state: 'starting',
          knownReleaseIds: ['r-old'],
          startCalledAt: ago(700_000),
        },
        {},
        {
          state: 'failed',
          stateReason: expect.stringContaining('within 10 min'),
        },
        [],
      ],
      [
        'is released when its release completes',
        { state: 'releasing', releaseId: 'r-new' },
        { release: release({ phase: 'succeeded', finishedAt: ago(1_000) }) },
        { state: 'released', completedAt: new Date(ago(1_000)) },
        [],
      ],
      [
        'fails when its release is rolled back',
        { state: 'releasing', releaseId: 'r-new' },
        {
          release: release({ phase: 'rolled_back', message: 'error rate 4%' }),
        },
        { state: 'failed', stateReason: '2.0.0 rolled back: error rate 4%' },
        [],
      ],
    ])('%s', (_, stored, observed, patch, starts) => {
      const decision = decidePlan(withMembers(stored), seen({ 0: observed }));
      const matcher = expect.objectContaining(patch);
      const write = Object.keys(patch).length
        ? { members: [{ idx: 0, patch: matcher }] }
        : undefined;
      expect(decision.write && { members: decision.write.members }).toEqual(
        write,
      );
      expect(decision.starts).toEqual(starts);
    });
  });

  describe('a wave whose members all released', () => {
    const released = {
      state: 'released' as const,
      releaseId: 'r-new',
      completedAt: ago(120_000),
    };
    const done = release({ phase: 'succeeded', finishedAt: ago(120_000) });

    it('soaks from the latest completion', () => {
      const decision = decidePlan(
        withMembers(released),
        seen({ 0: { release: done, recent: [done] } }),
      );
      expect(decision.write?.waves).toEqual([
        {
          index: 0,
          patch: { state: 'soaking', completedAt: new Date(ago(120_000)) },
        },
      ]);
    });

    it.each([
      ['the soak time', 5, undefined, 'the soak time: 5 min'],
      [
        'a gate',
        1,
        'the checklist item "Docs" is not done',
        'component:default/db: the checklist item',
      ],
    ])('waits for %s', (_, soakMinutes, gateProblem, waitingFor) => {
      const p = withMembers(released, {
        state: 'soaking',
        completedAt: ago(120_000),
      });
      p.gates = { ...p.gates, soakMinutes };
      const decision = decidePlan(
        p,
        seen({ 0: { release: done, recent: [done], gateProblem } }),
      );
      expect(decision.write?.waves?.[0].patch.waitingFor).toContain(waitingFor);
      expect(decision.write?.plan).toBeUndefined();
    });

    it('goes to the next wave once the gates pass, and tells the owners', () => {
      const p = withMembers(released, {
        state: 'soaking',
        completedAt: ago(120_000),
      });
      const decision = decidePlan(
        p,
        seen({ 0: { release: done, recent: [done] } }),
      );
      expect(decision.write?.plan).toEqual({ currentWave: 1 });
      expect(decision.write?.waves).toEqual([
        { index: 0, patch: { state: 'done', waitingFor: null } },
      ]);
      expect(decision.notice?.title).toContain('wave 2 goes next');
    });

    it('says on the timeline how a gate let a member through', () => {
      const p = withMembers(released, {
        state: 'soaking',
        completedAt: ago(120_000),
      });
      const gateNote =
        'its canary completed before the analysis had enough evidence';
      const decision = decidePlan(
        p,
        seen({ 0: { release: done, recent: [done], gateNote } }),
      );
      expect(decision.write?.plan).toEqual({ currentWave: 1 });
      expect(decision.write?.events?.[0].message).toBe(
        `Wave 1 passed its gates; wave 2 goes next (component:default/db: ${gateNote})`,
      );
      // The owners' notice keeps its title short; the note is in its text.
      expect(decision.notice?.title).toBe(
        'Release plan "Shop": Wave 1 passed its gates; wave 2 goes next',
      );
      expect(decision.notice?.description).toContain(gateNote);
    });

    it('succeeds after the last wave and frees its members', () => {
      const p = withMembers(released, {
        state: 'soaking',
        completedAt: ago(120_000),
      });
      p.waves = [p.waves[0]];
      p.members = [p.members[0]];
      const decision = decidePlan(
        p,
        seen({ 0: { release: done, recent: [done] } }),
      );
      expect(decision.write?.plan?.state).toBe('succeeded');
      expect(decision.write?.releaseClaims).toBe(true);
    });

    it('fails a member another version replaced while soaking', () => {
      const p = withMembers(released, {
        state: 'soaking',
        completedAt: ago(120_000),
      });
      const back = release({
        id: 'r-back',
        version: '1.0.0',
        phase: 'succeeded',
      });
      const decision = decidePlan(
        p,
        seen({ 0: { release: done, recent: [back, done] } }),
      );
      expect(decision.write?.members?.[0].patch).toMatchObject({
        state: 'failed',
        stateReason: expect.stringContaining('1.0.0 replaced 2.0.0'),
      });
    });
  });

  describe('a failed member', () => {
    const failed = {
      state: 'failed' as const,
      releaseId: 'r-new',
      stateReason: 'crash loop',
    };
    it.each([
      ['halt', 'failed', true],
      ['rollback-wave', 'rolling_back', undefined],
      ['rollback-all', 'rolling_back', undefined],
    ] as const)('under %s: the plan is %s', (failurePolicy, state, claims) => {
      const decision = decidePlan(
        withMembers(failed, {}, { failurePolicy }),
        seen({ 0: { release: release({ phase: 'failed' }) } }),
      );
      expect(decision.write?.plan?.state).toBe(state);
      expect(decision.write?.releaseClaims).toBe(claims);
      expect(decision.notice?.severity).toBe('high');
      expect(decision.write?.plan?.stateReason).toContain('crash loop');
    });
  });

  describe('rolling back', () => {
    const rollingBack = (
      wave0: Partial<StoredPlanMember>,
      currentWave = 0,
      failurePolicy: StoredPlan['failurePolicy'] = 'rollback-all',
    ) => {
      const p = withMembers(
        wave0,
        { state: 'rolling_back' },
        {
          state: 'rolling_back',
          currentWave,
          failurePolicy,
        },
      );
      return p;
    };
    const done = release({ phase: 'succeeded', finishedAt: ago(60_000) });
    const action = (state: ReleaseAction['state'], error?: string) =>
      ({
        id: 'a1',
        state,
        error: error ?? null,
        finishedAt: ago(1_000),
        requestedAt: ago(5_000),
      } as ReleaseAction);

    it('asks for the rollback of a released member with its key', () => {
      const decision = decidePlan(
        rollingBack({ state: 'released', releaseId: 'r-new' }),
        seen({ 0: { release: done, recent: [done] } }),
      );
      expect(decision.rollbacks).toEqual([
        { idx: 0, releaseId: 'r-new', key: rollbackKeyOf('p1', 0) },
      ]);
    });

    it.each<
      [string, Partial<StoredPlanMember>, Partial<MemberObservation>, object]
    >([
      [
        'rolled back once its action succeeded',
        { state: 'rolling_back', releaseId: 'r-new', rollbackActionId: 'a1' },
        { release: done, rollbackAction: action('succeeded') },
        { state: 'rolled_back' },
      ],
      [
        'failed when its action failed',
        { state: 'rolling_back', releaseId: 'r-new', rollbackActionId: 'a1' },
        { release: done, rollbackAction: action('failed', 'cluster down') },
        { state: 'failed', stateReason: 'could not roll back: cluster down' },
      ],
      [
        'rolled back already by its analysis',
        { state: 'failed', releaseId: 'r-new' },
        { release: release({ phase: 'rolled_back' }) },
        { state: 'rolled_back' },
      ],
    ])('a member is %s', (_, stored, observed, patch) => {
      const decision = decidePlan(rollingBack(stored), seen({ 0: observed }));
      expect(decision.write?.members?.[0].patch).toMatchObject(patch);
      expect(decision.rollbacks).toEqual([]);
    });

    it('moves to the wave before (rollback-all), then ends rolled back', () => {
      const p = rollingBack({ state: 'rolled_back', releaseId: 'r-new' }, 1);
      p.members[1] = {
        ...p.members[1],
        state: 'rolled_back',
        releaseId: 'r-api',
      };
      p.waves[1] = { ...p.waves[1], state: 'rolling_back' };
      const decision = decidePlan(p, seen({ 1: {} }));
      expect(decision.write?.plan).toEqual({ currentWave: 0 });
      const last = decidePlan(
        rollingBack({ state: 'rolled_back', releaseId: 'r-new' }),
        seen({ 0: {} }),
      );
      expect(last.write?.plan?.state).toBe('rolled_back');
      expect(last.write?.releaseClaims).toBe(true);
    });

    it('ends failed when a rollback failed', () => {
      const decision = decidePlan(
        rollingBack({
          state: 'failed',
          releaseId: 'r-new',
          rollbackActionId: 'a1',
          stateReason: 'could not roll back: x',
        }),
        seen({ 0: { release: done, rollbackAction: action('failed', 'x') } }),
      );
      expect(decision.write?.plan?.state).toBe('failed');
      expect(decision.write?.plan?.stateReason).toContain(
        'except component:default/db',
      );
    });

    it('rolls back only the failed wave under rollback-wave', () => {
      const p = rollingBack(
        { state: 'rolled_back', releaseId: 'r-new' },
        1,
        'rollback-wave',
      );
      p.members[1] = {
        ...p.members[1],
        state: 'rolled_back',
        releaseId: 'r-api',
      };
      const decision = decidePlan(p, seen({ 1: {} }));
      expect(decision.write?.plan?.state).toBe('rolled_back');
    });
  });
});

describe('controlWrite', () => {
  const actor = { kind: 'user' as const, ref: 'user:default/ada' };

  it('lets a running plan go on during freezes, once', () => {
    const write = controlWrite(
      plan({ state: 'running' }),
      'freeze-override',
      actor,
      'INC-7 fix',
      NOW,
    );
    expect(write.plan?.freezeOverride).toMatchObject({
      by: actor,
      reason: 'INC-7 fix',
    });
    expect(write.events?.[0].kind).toBe('freeze_override');
  });

  it('refuses a freeze override while rolling back: freezes never hold a rollback', () => {
    expect(() =>
      controlWrite(
        plan({ state: 'rolling_back' }),
        'freeze-override',
        actor,
        'why not',
        NOW,
      ),
    ).toThrow(
      'The plan is rolling back: a rollback is running, and freezes never hold a rollback',
    );
  });
});
