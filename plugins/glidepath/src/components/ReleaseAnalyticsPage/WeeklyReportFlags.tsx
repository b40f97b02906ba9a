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

type Share = DoraReportFlags['coverage']['team'];

/** "25% of the team's 4 production releases (1), 55 points below the 80% target; 50% of the organisation's 20 (10)." */
export function describeReportShares(
  coverage: DoraReportFlags['coverage'],
): string {
  const { team, organisation, target } = coverage;
  const releases = (n: number) =>
    `${n} production release${n === 1 ? '' : 's'}`;
  const teamWords =
    team.share === null
      ? 'the team had no production release with a known first commit'
      : `${PERCENT.format(team.share)} of the team's ${releases(
          team.releases,
        )} (${team.behindFlags}), ${
          team.share >= target
            ? `on the ${PERCENT.format(target)} target`
            : `${againstTarget(team.share, target)} the ${PERCENT.format(
                target,
              )} target`
        }`;
  const organisationWords = (share: Share) =>
    share.share === null
      ? 'the organisation had none'
      : `${PERCENT.format(share.share)} of the organisation's ${
          share.releases
        } (${share.behindFlags})`;
  return `Behind a flag this week: ${teamWords}; ${organisationWords(
    organisation,
  )}.`;
}

/** A stale flag's due day, with what it rests on beneath. */
function Due(props: { flag: DoraReportStaleFlag }) {
  const { flag } = props;
  const note = (text: string) => (
    <Typography variant="caption" color="textSecondary" component="div">
      {text}
    </Typography>
  );
  if (flag.keptUntil) {
    return (
      <>
        <div>Kept until {day(flag.keptUntil)}</div>
        {flag.keepReason && note(`“${flag.keepReason}”`)}
      </>
    );
  }
  if (!flag.dueAt) return <>—</>;
  return (
    <>
      <div>{day(flag.dueAt)}</div>
      {!flag.announced && note('at the earliest: not announced yet')}
    </>
  );
}

/** The feature flags of a team's weekly report. */
export function WeeklyReportFlags(props: { flags: DoraReportFlags }) {
  const { flags } = props;
  const entityRoute = useRouteRef(entityRouteRef);
  const { target } = flags.coverage;
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
          {describeReportShares(flags.coverage)}
        </Typography>
        {flags.inventoryReadAt === null && (
          <Typography
            color="textSecondary"
            paragraph
            data-testid="glidepath-report-flags-unread"
          >
            The flag inventory had not been read yet when this report was
            written (right after a start, before the first flag sync): no flag
            of the team was known, and the share behind flags may read low.
          </Typography>
        )}
        {flags.inventoryReadAt !== null && flags.flags === 0 && (
          <Typography color="textSecondary" paragraph>
            No feature flags of the team's services are tracked: annotate them
            with glidepath.dev/flags to bring their flags here.
          </Typography>
        )}
        {flags.flags > 0 && (
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
                <TableCell style={{ width: '20%' }}>Stale since</TableCell>
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
                    <Due flag={flag} />
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
