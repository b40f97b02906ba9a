import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import {
  FLAG_STATES,
  type FlagCoverage,
  type FlagSummary,
} from '@glidepath/backstage-plugin-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { glidepathApiRef } from '../../api';
import { SimulatedChip } from '../SimulatedChip';
import { FLAG_STATE_LABELS, summarizeFlagStates } from '../../lib/flags';

/** An owner by name: a catalog entity linked, a maintainer as given. */
function Owner(props: { owner: string | null; title?: string | null }) {
  const { owner, title } = props;
  if (!owner) return <>No owner</>;
  if (owner.includes(':')) {
    try {
      parseEntityRef(owner);
      return (
        <EntityRefLink
          entityRef={owner}
          defaultKind="group"
          hideIcon
          disableTooltip
        >
          {title ?? undefined}
        </EntityRefLink>
      );
    } catch {
      // Not a ref after all: shown as given.
    }
  }
  return <>{owner}</>;
}

function TeamsTable(props: { summary: FlagSummary }) {
  return (
    <InfoCard
      title="Stale flags per team"
      subheader="Teams ranked by their stale flags, then by their flags."
    >
      <Table
        size="small"
        data-testid="glidepath-flag-teams"
        style={{ tableLayout: 'fixed', width: '100%' }}
      >
        <TableHead>
          <TableRow>
            <TableCell style={{ width: 48 }}>#</TableCell>
            <TableCell style={{ width: '28%' }}>Team</TableCell>
            <TableCell
              align="right"
              style={{ width: 88, whiteSpace: 'nowrap' }}
            >
              Stale
            </TableCell>
            <TableCell
              align="right"
              style={{ width: 88, whiteSpace: 'nowrap' }}
            >
              Flags
            </TableCell>
            <TableCell>By state</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.summary.teams.map((team, i) => (
            <TableRow key={team.owner ?? '-'}>
              <TableCell>{i + 1}</TableCell>
              <TableCell data-testid="glidepath-flag-team">
                <Owner owner={team.owner} title={team.title} />
              </TableCell>
              <TableCell align="right" data-testid="glidepath-flag-team-stale">
                {team.stale}
              </TableCell>
              <TableCell align="right">{team.total}</TableCell>
              <TableCell>
                {FLAG_STATES.filter(s => team.counts[s])
                  .map(
                    s =>
                      `${team.counts[s]} ${FLAG_STATE_LABELS[s].toLowerCase()}`,
                  )
                  .join(', ')}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </InfoCard>
  );
}

const week = (iso: string) =>
  new Date(`${iso}T00:00:00`).toLocaleDateString([], {
    month: 'short',
    day: 'numeric',
  });

function Charts(props: { summary: FlagSummary; width?: number }) {
  const { summary, width } = props;
  const theme = useTheme();
  const sized = (chart: JSX.Element) =>
    width === undefined ? (
      <ResponsiveContainer width="100%" height={240}>
        {chart}
      </ResponsiveContainer>
    ) : (
      chart
    );
  return (
    <>
      <Grid item xs={12} lg={6}>
        <InfoCard title="How old the flags are">
          <div data-testid="glidepath-flag-ages">
            {sized(
              <BarChart
                data={summary.ages}
                width={width}
                height={width === undefined ? undefined : 240}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  dataKey="label"
                  interval={0}
                  tick={{ fontSize: 11 }}
                  height={36}
                />
                <YAxis allowDecimals={false} width={40} />
                <Tooltip />
                <Bar
                  dataKey="count"
                  name="Flags"
                  fill={theme.palette.primary.main}
                  isAnimationActive={false}
                />
              </BarChart>,
            )}
          </div>
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={6}>
        <InfoCard
          title="Flag debt, last six months"
          subheader="Of today's flags: how many existed and how many were stale at the end of each week (flags archived since are not counted)."
        >
          <div data-testid="glidepath-flag-debt">
            {sized(
              <LineChart
                data={summary.debt}
                width={width}
                height={width === undefined ? undefined : 240}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis
                  dataKey="weekEnding"
                  tickFormatter={week}
                  minTickGap={24}
                />
                <YAxis allowDecimals={false} width={40} />
                <Tooltip
                  labelFormatter={value => `Week ending ${week(String(value))}`}
                />
                <Legend />
                <Line
                  dataKey="flags"
                  name="Flags"
                  stroke={theme.palette.primary.main}
                  dot={false}
                  isAnimationActive={false}
                />
                <Line
                  dataKey="stale"
                  name="Stale"
                  stroke={theme.palette.error.main}
                  dot={false}
                  isAnimationActive={false}
                />
              </LineChart>,
            )}
          </div>
        </InfoCard>
      </Grid>
    </>
  );
}

const PERCENT = new Intl.NumberFormat(undefined, {
  style: 'percent',
  maximumFractionDigits: 0,
});

/** The share of new features behind flags, organisation and teams. */
export function CoverageCard(props: { coverage: FlagCoverage }) {
  const { coverage } = props;
  const { organisation, target } = coverage;
  return (
    <InfoCard
      title="New features behind flags, last four weeks"
      subheader={`A production release counts as behind a flag when one of its service's flags was made or changed between its first commit and its deployment. Target: ${PERCENT.format(
        target,
      )}.`}
    >
      <Typography variant="h6" data-testid="glidepath-flag-coverage">
        {organisation.share === null
          ? 'No production releases with a known first commit in these four weeks.'
          : `${PERCENT.format(organisation.share)} of ${
              organisation.releases
            } production releases (${
              organisation.behindFlags
            }) were behind a flag: ${
              organisation.share >= target ? 'on' : 'below'
            } the ${PERCENT.format(target)} target.`}
      </Typography>
      {coverage.teams.length > 0 && (
        <Table
          size="small"
          data-testid="glidepath-flag-coverage-teams"
          style={{ tableLayout: 'fixed', width: '100%' }}
        >
          <TableHead>
            <TableRow>
              <TableCell>Team</TableCell>
              <TableCell align="right">Releases</TableCell>
              <TableCell align="right">Behind a flag</TableCell>
              <TableCell align="right">Share</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {coverage.teams.map(team => (
              <TableRow key={team.owner ?? '-'}>
                <TableCell>
                  <Owner owner={team.owner} title={team.title} />
                </TableCell>
                <TableCell align="right">{team.releases}</TableCell>
                <TableCell align="right">{team.behindFlags}</TableCell>
                <TableCell align="right">
                  {team.share === null ? '—' : PERCENT.format(team.share)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}

function Coverage() {
  const api = useApi(glidepathApiRef);
  const state = useAsync(() => api.getFlagCoverage(), [api]);
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  return state.value ? <CoverageCard coverage={state.value} /> : null;
}

/** The figures, once read. */
export function FlagsSummaryView(props: {
  summary: FlagSummary;
  /** A fixed chart width, for tests (where nothing can be measured). */
  chartWidth?: number;
}) {
  const { summary, chartWidth } = props;
  if (summary.total === 0) {
    return (
      <EmptyState
        missing="data"
        title="No feature flags yet"
        description="Annotate entities with glidepath.dev/flags to bring their flags here; see the Feature flags documentation."
      />
    );
  }
  const states = FLAG_STATES.flatMap(state =>
    Array.from({ length: summary.counts[state] ?? 0 }, () => ({ state })),
  );
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Typography variant="h6" data-testid="glidepath-flags-total">
          {summarizeFlagStates(states)}
        </Typography>
        {(summary.simulated ?? 0) > 0 && (
          <Box
            display="flex"
            alignItems="center"
            style={{ gap: 8, marginTop: 4 }}
            data-testid="glidepath-flags-simulated"
          >
            <SimulatedChip />
            <Typography variant="body2" color="textSecondary">
              {summary.simulated === summary.total
                ? 'All of them are'
                : `${summary.simulated} of them are`}{' '}
              the sandbox's demo flags, not a real flag service's.
            </Typography>
          </Box>
        )}
      </Grid>
      <Grid item xs={12}>
        <TeamsTable summary={summary} />
      </Grid>
      <Charts summary={summary} width={chartWidth} />
    </Grid>
  );
}

/**
 * The Feature flags page (`/glidepath/flags`): stale flags per team, how old
 * the flags are, and flag debt over six months, over the flags of entities
 * the reader may see. The app draws the page's header.
 */
export function FlagsPage() {
  const api = useApi(glidepathApiRef);
  const state = useAsync(() => api.getFlagSummary(), [api]);
  return (
    <Content>
      <Typography
        variant="body1"
        color="textSecondary"
        paragraph
        data-testid="glidepath-flags-intro"
      >
        Feature flags: every flag of the services you can see, their states and
        who owns the stale ones. A flag is stale past its type's lifetime
        (release 40 days, experiment 40, operational 7; kill switches and
        permissions are permanent; other temporary flags 90 days).
      </Typography>
      {state.loading && <Progress />}
      {state.error && <ResponseErrorPanel error={state.error} />}
      {state.value && <FlagsSummaryView summary={state.value} />}
      <div style={{ marginTop: 24 }}>
        <Coverage />
      </div>
    </Content>
  );
}
