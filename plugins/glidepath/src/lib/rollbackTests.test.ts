import type { RollbackTest } from '@glidepath/backstage-plugin-common';
import {
  ago,
  rollbackTestRefusal,
  rollbackTestSentence,
} from './rollbackTests';

const now = Date.parse('2025-03-01T10:30:00.000Z');

function test(overrides: Partial<RollbackTest>): RollbackTest {
  return {
    id: 't1',
    entityRef: 'component:default/checkout-service',
    environment: 'staging',
    version: '2.4.0',
    previousVersion: '2.3.1',
    releaseId: 'rel-staging',
    provider: 'sandbox',
    simulated: false,
    trigger: 'policy',
    requestedBy: { kind: 'policy', ref: 'rollback-tests' },
    reason: 'the release completed',
    state: 'passed',
    stateReason: null,
    requestedAt: '2025-03-01T10:15:00.000Z',
    rolledBackAt: '2025-03-01T10:15:41.000Z',
    healthyAt: '2025-03-01T10:16:10.000Z',
    finishedAt: '2025-03-01T10:18:00.000Z',
    rollbackSeconds: 41,
    healthySeconds: 70,
    ...overrides,
  };
}

describe('ago', () => {
  it.each([
    ['2025-03-01T10:29:30.000Z', 'just now'],
    ['2025-03-01T10:18:00.000Z', '12 min ago'],
    ['2025-03-01T09:25:00.000Z', '1 h 5 min ago'],
    ['2025-02-28T10:00:00.000Z', '1 day ago'],
    ['2025-02-26T10:00:00.000Z', '3 days ago'],
    ['2025-03-01T10:31:00.000Z', 'just now'],
  ])('%s is %s', (iso, text) => {
    expect(ago(iso, now)).toBe(text);
  });
});

describe('rollbackTestSentence', () => {
  it('says when none ran', () => {
    expect(rollbackTestSentence(null, now)).toBe('Rollback not tested yet');
    expect(rollbackTestSentence(undefined, now)).toBe(
      'Rollback not tested yet',
    );
  });

  it('says a passed test with its time and timings', () => {
    expect(rollbackTestSentence(test({}), now)).toBe(
      'Rollback tested 12 min ago: rolled back in 41 s, healthy again after 1 min 10 s, rolled forward again',
    );
  });

  it('says why a test failed, and when', () => {
    expect(
      rollbackTestSentence(
        test({
          state: 'failed',
          stateReason: '2.3.1 did not become healthy',
          healthyAt: null,
          healthySeconds: null,
          finishedAt: '2025-03-01T10:27:00.000Z',
        }),
        now,
      ),
    ).toBe(
      'Rollback test failed 3 min ago (rolled back in 41 s): 2.3.1 did not become healthy',
    );
  });

  it('says why a test did not run', () => {
    expect(
      rollbackTestSentence(
        test({
          state: 'not_run',
          stateReason: 'the provider cannot roll forward',
          rollbackSeconds: null,
          healthySeconds: null,
        }),
        now,
      ),
    ).toBe('Rollback test not run: the provider cannot roll forward');
  });

  it('says what a running test waits for, or its state', () => {
    expect(
      rollbackTestSentence(
        test({
          state: 'restoring',
          stateReason: 'waiting until 2.3.1 is healthy',
          healthySeconds: null,
          finishedAt: null,
        }),
        now,
      ),
    ).toBe(
      'Rollback test running (rolled back in 41 s): waiting until 2.3.1 is healthy',
    );
    expect(
      rollbackTestSentence(
        test({
          state: 'rolling_back',
          rollbackSeconds: null,
          healthySeconds: null,
          finishedAt: null,
        }),
        now,
      ),
    ).toBe('Rollback test running: rolling back');
  });
});

describe('rollbackTestRefusal', () => {
  const succeeded = { phase: 'succeeded', version: '2.4.0' };
  it('allows a test of a completed release with none running', () => {
    expect(
      rollbackTestRefusal({ name: 'staging', current: succeeded }),
    ).toBeUndefined();
    expect(
      rollbackTestRefusal({
        name: 'staging',
        current: succeeded,
        rollbackTest: test({}),
      }),
    ).toBeUndefined();
  });

  it('refuses while a test runs or nothing completed runs there', () => {
    expect(
      rollbackTestRefusal({
        name: 'staging',
        current: succeeded,
        rollbackTest: test({ state: 'restoring', finishedAt: null }),
      }),
    ).toBe('A rollback test of 2.4.0 is running in staging.');
    expect(
      rollbackTestRefusal({
        name: 'staging',
        current: { phase: 'progressing', version: '2.5.0' },
      }),
    ).toBe('Nothing completed runs in staging to roll back.');
    expect(rollbackTestRefusal({ name: 'qa', current: null })).toBe(
      'Nothing completed runs in qa to roll back.',
    );
  });
});
