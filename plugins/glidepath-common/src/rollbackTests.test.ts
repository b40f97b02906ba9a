import { readGlidepathAnnotations } from './annotations';
import {
  describeRollbackTest,
  formatSeconds,
  rollbackGateStatus,
} from './rollbackTests';
import type { RollbackTest } from './types';

function test(overrides: Partial<RollbackTest>): RollbackTest {
  return {
    id: 't1',
    entityRef: 'component:default/cart',
    environment: 'staging',
    version: '2.4.0',
    previousVersion: '2.3.1',
    releaseId: 'r1',
    provider: 'sandbox',
    simulated: true,
    trigger: 'policy',
    requestedBy: { kind: 'policy', ref: 'rollback-test' },
    reason: 'completed in staging',
    state: 'passed',
    stateReason: null,
    requestedAt: '2026-12-06T10:00:00.000Z',
    rolledBackAt: '2026-12-06T10:00:41.000Z',
    healthyAt: '2026-12-06T10:01:10.000Z',
    finishedAt: '2026-12-06T10:02:00.000Z',
    rollbackSeconds: 41,
    healthySeconds: 70,
    ...overrides,
  };
}

describe('formatSeconds', () => {
  it.each([
    [0, '0 s'],
    [41.4, '41 s'],
    [60, '1 min'],
    [70, '1 min 10 s'],
    [3600, '1 h'],
    [3900, '1 h 5 min'],
  ])('%s -> %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});

describe('describeRollbackTest', () => {
  it.each<[Partial<RollbackTest>, string]>([
    [
      {},
      'rolled back in 41 s, healthy again after 1 min 10 s, rolled forward again',
    ],
    [
      {
        state: 'failed',
        healthyAt: null,
        healthySeconds: null,
        stateReason: '2.3.1 no longer starts',
      },
      'failed (rolled back in 41 s): 2.3.1 no longer starts',
    ],
    [
      {
        state: 'not_run',
        rolledBackAt: null,
        rollbackSeconds: null,
        healthyAt: null,
        healthySeconds: null,
        stateReason: 'the provider cannot roll forward',
      },
      'not run: the provider cannot roll forward',
    ],
    [
      {
        state: 'restoring',
        healthyAt: null,
        healthySeconds: null,
        stateReason: 'waiting until 2.3.1 is healthy',
      },
      'running (rolled back in 41 s): waiting until 2.3.1 is healthy',
    ],
  ])('%j', (overrides, text) => {
    expect(describeRollbackTest(test(overrides))).toBe(text);
  });
});

describe('rollbackGateStatus', () => {
  const override = {
    by: { kind: 'user' as const, ref: 'user:default/ada', displayName: 'Ada' },
    reason: 'hotfix for an incident',
    at: '2026-12-06T11:00:00.000Z',
  };
  it.each<
    [
      string,
      {
        mode: 'required' | 'advisory' | 'off';
        tests: RollbackTest[];
        override?: typeof override;
      },
      { status: string; holds: boolean; message: RegExp; test: string | null },
    ]
  >([
    [
      'passed in staging',
      { mode: 'required', tests: [test({})] },
      {
        status: 'passed',
        holds: false,
        message: /^Rollback of 2.4.0 tested in staging: rolled back in 41 s/,
        test: 't1',
      },
    ],
    [
      'a pass counts even when a later test failed',
      {
        mode: 'required',
        tests: [
          test({}),
          test({
            id: 't2',
            state: 'failed',
            stateReason: 'x',
            requestedAt: '2026-12-06T12:00:00.000Z',
          }),
        ],
      },
      {
        status: 'passed',
        holds: false,
        message: /tested in staging/,
        test: 't1',
      },
    ],
    [
      'no test: required holds',
      { mode: 'required', tests: [] },
      {
        status: 'missing',
        holds: true,
        message:
          /^2.4.0 has no rollback test in a non-production environment. Production waits at its first step/,
        test: null,
      },
    ],
    [
      'no test: advisory says so',
      { mode: 'advisory', tests: [] },
      {
        status: 'missing',
        holds: false,
        message: /advisory: the release is not held/,
        test: null,
      },
    ],
    [
      'a test of another version does not count',
      { mode: 'required', tests: [test({ version: '2.3.9' })] },
      {
        status: 'missing',
        holds: true,
        message: /no rollback test/,
        test: null,
      },
    ],
    [
      'running',
      {
        mode: 'required',
        tests: [
          test({
            state: 'rolling_forward',
            stateReason: 'rolling 2.4.0 forward',
          }),
        ],
      },
      {
        status: 'running',
        holds: true,
        message: /in staging is running .*rolling 2.4.0 forward/,
        test: 't1',
      },
    ],
    [
      'failed',
      {
        mode: 'required',
        tests: [
          test({ state: 'failed', stateReason: '2.3.1 no longer starts' }),
        ],
      },
      {
        status: 'failed',
        holds: true,
        message: /in staging failed .*: 2.3.1 no longer starts/,
        test: 't1',
      },
    ],
    [
      'overridden',
      { mode: 'required', tests: [], override },
      {
        status: 'overridden',
        holds: false,
        message: /^Ada let 2.4.0 go on without a passed rollback test: hotfix/,
        test: null,
      },
    ],
    [
      'off never holds',
      { mode: 'off', tests: [] },
      {
        status: 'missing',
        holds: false,
        message: /no rollback test/,
        test: null,
      },
    ],
  ])('%s', (_name, input, expected) => {
    const gate = rollbackGateStatus({
      releaseId: 'p1',
      version: '2.4.0',
      mode: input.mode,
      tests: input.tests,
      override: input.override ?? null,
    });
    expect(gate.status).toBe(expected.status);
    expect(gate.holds).toBe(expected.holds);
    expect(gate.message).toMatch(expected.message);
    expect(gate.test?.id ?? null).toBe(expected.test);
  });
});

describe('rollback annotations', () => {
  it('reads them and names a bad value', () => {
    const read = (annotations: Record<string, string>) =>
      readGlidepathAnnotations({ metadata: { annotations } });
    expect(
      read({
        'glidepath.dev/rollback-test': 'Auto',
        'glidepath.dev/rollback-gate': ' required ',
      }),
    ).toMatchObject({ rollbackTest: 'auto', rollbackGate: 'required' });
    const bad = read({
      'glidepath.dev/rollback-test': 'sometimes',
      'glidepath.dev/rollback-gate': 'strict',
    });
    expect(bad.rollbackTest).toBeUndefined();
    expect(bad.problems).toEqual([
      {
        annotation: 'glidepath.dev/rollback-test',
        value: 'sometimes',
        message: '"sometimes" is not one of "auto", "off"',
      },
      {
        annotation: 'glidepath.dev/rollback-gate',
        value: 'strict',
        message: '"strict" is not one of "required", "advisory", "off"',
      },
    ]);
  });
});
