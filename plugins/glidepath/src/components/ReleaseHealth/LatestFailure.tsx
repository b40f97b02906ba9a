import Typography from '@material-ui/core/Typography';
import type { DoraFailure } from '@glidepath/backstage-plugin-common';
import { RULE_LABEL } from '../../lib/dora';
import { formatDuration, formatTime } from '../../lib/time';

/** What happened to a failed change, and when, in words. */
export function failureSummary(
  failure: DoraFailure,
  now: number = Date.now(),
): { what: string; when: string } {
  let what: string = RULE_LABEL[failure.rule].toLowerCase();
  let at = failure.failureStartedAt ?? failure.deployedAt;
  if (failure.rule === 'rolled-back') {
    what = {
      rolled_back: 'rolled back',
      aborted: 'aborted',
      failed: 'failed',
      succeeded: 'rolled back',
    }[failure.outcome];
    at = failure.restoredAt ?? at;
  }
  const ago = Math.max(0, now - Date.parse(at));
  return {
    what,
    when: ago < 60_000 ? 'just now' : `${formatDuration(ago)} ago`,
  };
}

/**
 * The latest failed change of the period, as one line: its version, what
 * happened to it and how long ago; or that there was none.
 */
export function LatestFailure(props: { failures: DoraFailure[] }) {
  const [latest] = props.failures;
  if (!latest) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="glidepath-release-health-latest-failure"
      >
        No failed changes in the last four weeks.
      </Typography>
    );
  }
  const { what, when } = failureSummary(latest);
  const incident = latest.incidents[0];
  return (
    <Typography
      variant="body2"
      data-testid="glidepath-release-health-latest-failure"
      title={`Deployed ${formatTime(latest.deployedAt)}`}
    >
      Latest failure: <strong>{latest.version ?? 'unknown version'}</strong>,{' '}
      {what} {when}
      {incident ? ` (${incident.title ?? incident.id})` : ''}
    </Typography>
  );
}
