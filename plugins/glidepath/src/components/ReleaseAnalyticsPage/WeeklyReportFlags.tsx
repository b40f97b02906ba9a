import { InfoCard, Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  DoraReportFlags,
  DoraReportStaleFlag,
} from '@glidepath/backstage-plugin-common';
import { nameOf } from './DoraGroupsTable';
import { againstTarget } from './FlagsMeasure';

const PERCENT = new Intl.NumberFormat(undefined, {
  style: 'percent',
  maximumFractionDigits: 0,
});

const day = (iso: string) =>
  new Date(iso).toLocaleDateString([], {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });

const CLEANUP_WORDS: Record<DoraReportFlags['cleanup'], string> = {
  archives:
    'After its due day, Glidepath archives a stale flag that is off everywhere or launched to everyone and not a kill switch, unless the team keeps it with a reason.',
  dry_run:
    'The cleanup runs as a dry run: after the due day it would archive the flag (off everywhere or launched to everyone, not a kill switch), but only reports it.',
  off: 'The automated cleanup is off: stale flags are not archived by Glidepath.',
};

function shareWords(
  share: DoraReportFlags['coverage']['team'],
  target: number,
): string {
  return share.share === null
    ? 'no production releases with a known first commit'
    : `${PERCENT.format(share.share)} of ${share.releases} (${
        share.behindFlags
      }), ${againstTarget(share.share, target)}`;
}

function due(flag: DoraReportStaleFlag, cleanup: DoraReportFlags['cleanup']) {
  if (flag.keptUntil) {
    return `Kept until ${day(flag.keptUntil)}: ${flag.keepReason ?? ''}`;
  }
  if (flag.dueAt) {
    return `${day(flag.dueAt)}${cleanup === 'dry_run' ? ' (dry run)' : ''}`;
  }
  return cleanup === 'off' ? '—' : 'Not announced yet';
}

/** The feature flags of a team's weekly report. */
export function WeeklyReportFlags(props: { flags: DoraReportFlags }) {
  const { flags } = props;
  const entityRoute = useRouteRef(entityRouteRef);
  const { target, team, organisation } = flags.coverage;
  const entityLink = (ref: string) =>
    `${entityRoute(parseEntityRef(ref))}/feature-flags`;
  return (
    <InfoCard
      title="Feature flags"
      subheader={`New features behind flags this week against the ${PERCENT.format(
        target,
      )} target, and the team's stale flags with the day each is due for cleanup.`}
    >
      <div data-testid="glidepath-report-flags">
        <Typography variant="h6" data-testid="glidepath-report-flags-share">
          Behind a flag this week: the team {shareWords(team, target)}; the
          organisation {shareWords(organisation, target)}.
        </Typography>
        {flags.flags === 0 ? (
          <Typography color="textSecondary" paragraph>
            No feature flags of the team's services are tracked: annotate them
            with glidepath.dev/flags to bring their flags here.
          </Typography>
        ) : (
          <Typography color="textSecondary" paragraph>
            {flags.flags} flag{flags.flags === 1 ? '' : 's'} tracked,{' '}
            {flags.staleTotal} stale. {CLEANUP_WORDS[flags.cleanup]}
          </Typography>
        )}
        {flags.staleFlags === null && flags.flags > 0 && (
          <Typography color="textSecondary">
            This report was written after its week: the stale flags of the week
            were not recorded.
          </Typography>
        )}
        {flags.staleFlags !== null && flags.staleFlags.length > 0 && (
          <Table
            size="small"
            data-testid="glidepath-report-stale-flags"
            style={{ tableLayout: 'fixed', width: '100%' }}
          >
            <TableHead>
              <TableRow>
                <TableCell>Flag</TableCell>
                <TableCell>Service</TableCell>
                <TableCell>Stale since</TableCell>
                <TableCell>Due for cleanup</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {flags.staleFlags.map(flag => (
                <TableRow
                  key={`${flag.entityRef} ${flag.provider} ${flag.key}`}
                >
                  <TableCell style={{ overflowWrap: 'anywhere' }}>
                    {flag.name}
                  </TableCell>
                  <TableCell>
                    <Link to={entityLink(flag.entityRef)}>
                      {nameOf(flag.entityRef)}
                    </Link>
                  </TableCell>
                  <TableCell>
                    {flag.staleAt ? day(flag.staleAt) : '—'}
                  </TableCell>
                  <TableCell data-testid="glidepath-report-flag-due">
                    {due(flag, flags.cleanup)}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {flags.staleFlags !== null &&
          flags.staleFlags.length < flags.staleTotal && (
            <Typography variant="body2" color="textSecondary">
              The {flags.staleFlags.length} longest stale of {flags.staleTotal};
              the rest are on the Feature flags page.
            </Typography>
          )}
      </div>
    </InfoCard>
  );
}
