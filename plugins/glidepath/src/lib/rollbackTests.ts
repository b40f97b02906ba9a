import {
  formatSeconds,
  isRollbackTestFinished,
  RollbackTest,
} from '@glidepath/backstage-plugin-common';

/** How long ago something happened: "just now", "12 min ago", "3 days ago". */
export function ago(iso: string, now: number = Date.now()): string {
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (Number.isNaN(seconds)) return `at ${iso}`;
  if (seconds < 60) return 'just now';
  if (seconds < 86400) {
    return `${formatSeconds(Math.floor(seconds / 60) * 60)} ago`;
  }
  const days = Math.floor(seconds / 86400);
  return `${days} ${days === 1 ? 'day' : 'days'} ago`;
}

function timings(test: RollbackTest): string {
  return [
    test.rollbackSeconds !== null
      ? `rolled back in ${formatSeconds(test.rollbackSeconds)}`
      : undefined,
    test.healthySeconds !== null
      ? `healthy again after ${formatSeconds(test.healthySeconds)}`
      : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * An environment's latest rollback test in a sentence with its time:
 * "Rollback tested 12 min ago: rolled back in 41 s, healthy again after
 * 1 min 10 s, rolled forward again", "Rollback test failed 3 min ago: ...",
 * "Rollback test running: ...", "Rollback test not run: ...", or "Rollback
 * not tested yet".
 */
export function rollbackTestSentence(
  test: RollbackTest | null | undefined,
  now: number = Date.now(),
): string {
  if (!test) return 'Rollback not tested yet';
  const when = ago(test.finishedAt ?? test.requestedAt, now);
  const measured = timings(test);
  const reason = test.stateReason ?? 'no reason recorded';
  switch (test.state) {
    case 'passed':
      return `Rollback tested ${when}: ${
        measured ? `${measured}, ` : ''
      }rolled forward again`;
    case 'failed':
      return `Rollback test failed ${when}${
        measured ? ` (${measured})` : ''
      }: ${reason}`;
    case 'not_run':
      return `Rollback test not run: ${reason}`;
    default:
      return `Rollback test running${measured ? ` (${measured})` : ''}: ${
        test.stateReason ?? test.state.replace(/_/g, ' ')
      }`;
  }
}

/**
 * Why a rollback test cannot be asked for in this environment now, as the
 * API would refuse it (409); undefined when it can.
 */
export function rollbackTestRefusal(environment: {
  name: string;
  current: { phase: string; version: string } | null;
  rollbackTest?: RollbackTest | null;
}): string | undefined {
  const test = environment.rollbackTest;
  if (test && !isRollbackTestFinished(test.state)) {
    return `A rollback test of ${test.version} is running in ${environment.name}.`;
  }
  if (!environment.current || environment.current.phase !== 'succeeded') {
    return `Nothing completed runs in ${environment.name} to roll back.`;
  }
  return undefined;
}
