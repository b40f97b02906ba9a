import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { FlagCoverage } from '@glidepath/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { glidepathApiRef } from '../../api';
import { analyticsRouteRef } from '../../routes';
import { nameOf } from './DoraGroupsTable';

type Share = FlagCoverage['organisation'];

const PERCENT = new Intl.NumberFormat(undefined, {
  style: 'percent',
  maximumFractionDigits: 0,
});

/** A share against the target in words: "on target", "30 points below". */
export function againstTarget(share: number | null, target: number): string {
  if (share === null) return 'no releases';
  const points = Math.round((target - share) * 100);
  if (share >= target) return 'on target';
  if (points <= 0) return 'just below';
  return `${points} point${points === 1 ? '' : 's'} below`;
}

/**
 * A share in a sentence against the target, of the team or organisation
 * `name` ("team-cart", "the organisation"), or of every release read.
 */
export function describeShare(
  share: Share,
  target: number,
  name?: string,
): string {
  if (share.share === null) {
    return `No production releases${
      name ? ` of ${name}` : ''
    } with a known first commit in these four weeks.`;
  }
  const releases = `${share.releases} production release${
    share.releases === 1 ? '' : 's'
  }`;
  // "Checkout's", "Payments'".
  const possessive = (n: string) => (n.endsWith('s') ? `${n}'` : `${n}'s`);
  return `${PERCENT.format(share.share)} of ${
    name ? `${possessive(name)} ${releases}` : releases
  } (${share.behindFlags}) ${
    share.behindFlags === 1 ? 'was' : 'were'
  } behind a flag: ${
    share.share >= target ? 'on' : 'below'
  } the ${PERCENT.format(target)} target.`;
}

function TeamName(props: { owner: string }) {
  try {
    parseEntityRef(props.owner);
  } catch {
    return <>{props.owner}</>;
  }
  return (
    <EntityDisplayName
      entityRef={props.owner}
      defaultKind="group"
      hideIcon
      disableTooltip
    />
  );
}

/** The measure, once read: the organisation's, then each team's or one team's. */
export function FlagsMeasureView(props: {
  coverage: FlagCoverage;
  owner?: string;
}) {
  const { coverage, owner } = props;
  const analytics = useRouteRef(analyticsRouteRef);
  const { target, organisation } = coverage;
  const team = owner
    ? coverage.teams.find(t => t.owner === owner) ?? {
        owner,
        title: null,
        releases: 0,
        behindFlags: 0,
        share: null,
      }
    : undefined;
  const teams = coverage.teams.filter(t => t.releases > 0);
  return (
    <InfoCard
      title="New features behind flags, last four weeks"
      subheader={`A production release counts as behind a flag when one of its service's flags was made or changed between its first commit and its deployment. Target: ${PERCENT.format(
        target,
      )}.`}
    >
      <div data-testid="glidepath-analytics-flags">
        {team && (
          <Typography variant="h6" data-testid="glidepath-analytics-flags-team">
            {describeShare(team, target, team.title ?? nameOf(owner!))}
          </Typography>
        )}
        <Typography
          variant={team ? 'body1' : 'h6'}
          color={team ? 'textSecondary' : undefined}
          data-testid="glidepath-analytics-flags-organisation"
        >
          {describeShare(
            organisation,
            target,
            team ? 'the organisation' : undefined,
          )}
        </Typography>
        {!team && teams.length > 0 && (
          <Table
            size="small"
            data-testid="glidepath-analytics-flags-teams"
            style={{ tableLayout: 'fixed', width: '100%', marginTop: 8 }}
          >
            <TableHead>
              <TableRow>
                <TableCell>Team</TableCell>
                <TableCell align="right" style={{ width: 112 }}>
                  Releases
                </TableCell>
                <TableCell align="right" style={{ width: 128 }}>
                  Behind a flag
                </TableCell>
                <TableCell align="right" style={{ width: 80 }}>
                  Share
                </TableCell>
                <TableCell style={{ width: 152 }}>
                  Against {PERCENT.format(target)}
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {teams.map(t => (
                <TableRow key={t.owner ?? '-'}>
                  <TableCell data-testid="glidepath-analytics-flags-team-name">
                    {t.owner ? (
                      <Link
                        to={`${analytics()}?owner=${encodeURIComponent(
                          t.owner,
                        )}`}
                      >
                        {t.title ?? <TeamName owner={t.owner} />}
                      </Link>
                    ) : (
                      'No owner'
                    )}
                  </TableCell>
                  <TableCell align="right">{t.releases}</TableCell>
                  <TableCell align="right">{t.behindFlags}</TableCell>
                  <TableCell align="right">
                    {t.share === null ? '—' : PERCENT.format(t.share)}
                  </TableCell>
                  <TableCell>{againstTarget(t.share, target)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
    </InfoCard>
  );
}

/**
 * The share of new features behind flags over the last four weeks
 * (`GET /flags/coverage`), for the organisation and its teams, or for one
 * team (`owner`) beside the organisation, against the 80% target.
 */
export function FlagsMeasure(props: { owner?: string }) {
  const api = useApi(glidepathApiRef);
  const { value, loading, error } = useAsync(
    () => api.getFlagCoverage(),
    [api],
  );
  if (loading) {
    return (
      <div data-testid="glidepath-analytics-flags-loading">
        <Progress />
      </div>
    );
  }
  if (error) return <ResponseErrorPanel error={error} />;
  return value ? (
    <FlagsMeasureView coverage={value} owner={props.owner} />
  ) : null;
}
