import type {
  Actor,
  AnnotationProblem,
  RollbackGate,
  RollbackGateMode,
  RollbackTest,
  RollbackTestState,
} from './types';

/**
 * Whether Glidepath tests the rollback of the entity's releases in its
 * non-production environments: `auto` (once each completes) or `off`.
 * Overrides `glidepath.rollbackTests.policy`.
 * @public
 */
export const ANNOTATION_ROLLBACK_TEST = 'glidepath.dev/rollback-test';

/**
 * What a production release of a version without a passed rollback test
 * does: `required` (waits at its first step), `advisory` (said, not held) or
 * `off`. Overrides `glidepath.rollbackTests.gate`.
 * @public
 */
export const ANNOTATION_ROLLBACK_GATE = 'glidepath.dev/rollback-gate';

/** When rollback tests run. @public */
export type RollbackTestPolicy = 'auto' | 'off';

/** The rollback test policies, for config and annotations. @public */
export const ROLLBACK_TEST_POLICIES: readonly RollbackTestPolicy[] = [
  'auto',
  'off',
];

/** The rollback gate's modes. @public */
export const ROLLBACK_GATE_MODES: readonly RollbackGateMode[] = [
  'required',
  'advisory',
  'off',
];

function parseChoice<T extends string>(
  annotation: string,
  value: string,
  choices: readonly T[],
): { ok: true; value: T } | { ok: false; problem: AnnotationProblem } {
  const text = value.trim().toLowerCase();
  const choice = choices.find(c => c === text);
  if (choice) return { ok: true, value: choice };
  return {
    ok: false,
    problem: {
      annotation,
      value,
      message: `"${value}" is not one of ${choices
        .map(c => `"${c}"`)
        .join(', ')}`,
    },
  };
}

/** Parses `glidepath.dev/rollback-test`. @public */
export function parseRollbackTestAnnotation(value: string) {
  return parseChoice(ANNOTATION_ROLLBACK_TEST, value, ROLLBACK_TEST_POLICIES);
}

/** Parses `glidepath.dev/rollback-gate`. @public */
export function parseRollbackGateAnnotation(value: string) {
  return parseChoice(ANNOTATION_ROLLBACK_GATE, value, ROLLBACK_GATE_MODES);
}

/** True once a rollback test has its result. @public */
export function isRollbackTestFinished(state: RollbackTestState): boolean {
  return state === 'passed' || state === 'failed' || state === 'not_run';
}

/**
 * A duration in seconds as people read it: `41 s`, `1 min 10 s`,
 * `1 h 5 min`.
 * @public
 */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const rest = s % 60;
    return `${Math.floor(s / 60)} min${rest ? ` ${rest} s` : ''}`;
  }
  const minutes = Math.round((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''}`;
}

/**
 * What a rollback test found, in a sentence without its time: "rolled back
 * in 41 s, healthy again after 1 min 10 s", or why it failed or did not run,
 * or what it waits for.
 * @public
 */
export function describeRollbackTest(test: RollbackTest): string {
  const timings = [
    test.rollbackSeconds !== null
      ? `rolled back in ${formatSeconds(test.rollbackSeconds)}`
      : undefined,
    test.healthySeconds !== null
      ? `healthy again after ${formatSeconds(test.healthySeconds)}`
      : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  switch (test.state) {
    case 'passed':
      return `${timings}, rolled forward again`;
    case 'failed':
      return `failed${timings ? ` (${timings})` : ''}: ${
        test.stateReason ?? 'no reason recorded'
      }`;
    case 'not_run':
      return `not run: ${test.stateReason ?? 'no reason recorded'}`;
    default:
      return `running${timings ? ` (${timings})` : ''}: ${
        test.stateReason ?? test.state.replace('_', ' ')
      }`;
  }
}

/** A person's override of a release's rollback gate. @public */
export type RollbackGateOverride = { by: Actor; reason: string; at: string };

/**
 * The rollback gate of a production release: whether its version passed a
 * rollback test in a non-production environment and, with `required`,
 * whether the release must wait at its first step. `tests` are the
 * version's tests in the entity's non-production environments, any order.
 * @public
 */
export function rollbackGateStatus(options: {
  releaseId: string;
  version: string;
  mode: RollbackGateMode;
  tests: readonly RollbackTest[];
  override: RollbackGateOverride | null;
}): RollbackGate {
  const { releaseId, version, mode, override } = options;
  const newestFirst = [...options.tests]
    .filter(t => t.version === version)
    .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  const passed = newestFirst.find(t => t.state === 'passed');
  const running = newestFirst.find(t => !isRollbackTestFinished(t.state));
  const latest = newestFirst[0];
  let status: RollbackGate['status'];
  let message: string;
  if (passed) {
    status = 'passed';
    message = `Rollback of ${version} tested in ${
      passed.environment
    }: ${describeRollbackTest(passed)}`;
  } else if (override) {
    status = 'overridden';
    message = `${
      override.by.displayName ?? override.by.ref
    } let ${version} go on without a passed rollback test: ${override.reason}`;
  } else if (running) {
    status = 'running';
    message = `The rollback test of ${version} in ${
      running.environment
    } is ${describeRollbackTest(running)}`;
  } else if (latest) {
    status = 'failed';
    message = `The rollback test of ${version} in ${
      latest.environment
    } ${describeRollbackTest(latest)}`;
  } else {
    status = 'missing';
    message = `${version} has no rollback test in a non-production environment`;
  }
  const holds = mode === 'required' && status !== 'passed' && !override;
  if (holds) {
    message += `. Production waits at its first step until a test passes or someone allowed to steer the release overrides the gate with a reason.`;
  } else if (mode === 'advisory' && status !== 'passed' && !override) {
    message += ` (the gate is advisory: the release is not held)`;
  }
  return {
    releaseId,
    version,
    mode,
    status,
    holds,
    message,
    test: passed ?? latest ?? null,
    override,
  };
}
