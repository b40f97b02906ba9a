import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import type {
  ReleaseMetricsMeasures,
  ReleaseMetricsResponse,
} from '@glidepath/backstage-plugin-common';
import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { glidepathApiRef } from '../../api';
import { daysAgo } from '../../lib/dora';
import {
  describeDelivery,
  describePlanned,
  describeRollbackTime,
  describeTested,
  formatShare,
  isEmpty,
  ReleaseMetricsPoint,
  shareAgainstTarget,
  trendPoints,
} from '../../lib/releaseMetrics';
import { formatDuration } from '../../lib/time';
import { SIMULATED_EXPLANATION } from '../SimulatedChip';

/** How far back the release metrics look: 182 days, six months. */
export const RELEASE_METRICS_DAYS = 182;

const useStyles = makeStyles(theme => ({
  tile: {
    padding: theme.spacing(2),
    height: '100%',
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
  value: { fontSize: '1.6rem', fontWeight: 600, lineHeight: 1.3 },
  target: { fontWeight: 500 },
}));

const ON_TARGET = '#2e7d32';
const BELOW_TARGET = '#c62828';

function targetColor(onTarget: boolean | null): string | undefined {
  if (onTarget === null) return undefined;
  return onTarget ? ON_TARGET : BELOW_TARGET;
}

function timeVerdict(onTarget: boolean | null): string {
  if (onTarget === null) return '';
  return onTarget ? ': on target' : ': over';
}

function Tile(props: {
  title: string;
  testId: string;
  value: string;
  target: string;
  onTarget: boolean | null;
  children: ReactNode;
}) {
  const classes = useStyles();
  const { title, testId, value, target, onTarget, children } = props;
  return (
    <Paper variant="outlined" className={classes.tile} data-testid={testId}>
      <Typography variant="overline">{title}</Typography>
      <div>
        <span className={classes.value}>{value}</span>
      </div>
      <Typography
        variant="body2"
        className={classes.target}
        data-testid={`${testId}-target`}
        style={{ color: targetColor(onTarget) }}
      >
        {target}
      </Typography>
      {children}
    </Paper>
  );
}

function Detail(props: { children: ReactNode; testId?: string }) {
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      data-testid={props.testId}
    >
      {props.children}
    </Typography>
  );
}

/**
 * The measures of a period as tiles, the organisation's beside a team's:
 * three, and a fourth, cross-service releases through a release plan, when
 * the answer has it (weekly reports made before it do not).
 */
export function ReleaseMetricsTiles(props: {
  measures: ReleaseMetricsMeasures;
  targets: ReleaseMetricsResponse['targets'];
  organisation?: ReleaseMetricsMeasures;
}) {
  const { measures, targets, organisation } = props;
  const tested = measures.rollbackTested.share;
  const progressive = measures.progressiveDelivery.share;
  const { automatic, manual } = measures.rollbackTime;
  const slowest = [automatic.medianMs, manual.medianMs].filter(
    (ms): ms is number => ms !== null,
  );
  const timeOnTarget = slowest.length
    ? Math.max(...slowest) <= targets.rollbackTimeMs
    : null;
  const planned = measures.plannedCrossService;
  const plannedTarget = targets.plannedShare;
  // Four tiles side by side from lg, two by two on md; three as before.
  const columns = planned
    ? { md: 6 as const, lg: 3 as const }
    : { md: 4 as const };
  return (
    <Grid container spacing={2} data-testid="glidepath-release-metrics-tiles">
      <Grid item xs={12} {...columns}>
        <Tile
          title="Rollback-tested before production"
          testId="glidepath-release-metrics-tested"
          value={formatShare(tested)}
          target={`Target ${formatShare(
            targets.rollbackTestedShare,
          )}: ${shareAgainstTarget(tested, targets.rollbackTestedShare)}`}
          onTarget={
            tested === null ? null : tested >= targets.rollbackTestedShare
          }
        >
          <Detail>{describeTested(measures)}</Detail>
          {organisation && (
            <Detail testId="glidepath-release-metrics-tested-organisation">
              Organisation: {formatShare(organisation.rollbackTested.share)}
            </Detail>
          )}
        </Tile>
      </Grid>
      <Grid item xs={12} {...columns}>
        <Tile
          title="Progressive delivery"
          testId="glidepath-release-metrics-progressive"
          value={formatShare(progressive)}
          target="Canary or blue-green, of releases of known strategy"
          onTarget={null}
        >
          <Detail>{describeDelivery(measures)}</Detail>
          {organisation && (
            <Detail testId="glidepath-release-metrics-progressive-organisation">
              Organisation:{' '}
              {formatShare(organisation.progressiveDelivery.share)}
            </Detail>
          )}
        </Tile>
      </Grid>
      <Grid item xs={12} {...columns}>
        <Tile
          title="Rollback time"
          testId="glidepath-release-metrics-rollback-time"
          value={
            automatic.medianMs === null && manual.medianMs === null
              ? '—'
              : [
                  automatic.medianMs !== null &&
                    `${formatDuration(automatic.medianMs)} automatic`,
                  manual.medianMs !== null &&
                    `${formatDuration(manual.medianMs)} by hand`,
                ]
                  .filter(Boolean)
                  .join(' · ')
          }
          target={`Target ${formatDuration(
            targets.rollbackTimeMs,
          )} (median)${timeVerdict(timeOnTarget)}`}
          onTarget={timeOnTarget}
        >
          <Detail testId="glidepath-release-metrics-rollback-automatic">
            Automatic: {describeRollbackTime(automatic)}
          </Detail>
          <Detail testId="glidepath-release-metrics-rollback-manual">
            By hand: {describeRollbackTime(manual)}
          </Detail>
          {organisation && (
            <Detail testId="glidepath-release-metrics-rollback-organisation">
              Organisation: automatic{' '}
              {organisation.rollbackTime.automatic.medianMs === null
                ? '—'
                : formatDuration(organisation.rollbackTime.automatic.medianMs)}
              , by hand{' '}
              {organisation.rollbackTime.manual.medianMs === null
                ? '—'
                : formatDuration(organisation.rollbackTime.manual.medianMs)}
            </Detail>
          )}
        </Tile>
      </Grid>
      {planned && (
        <Grid item xs={12} {...columns}>
          <Tile
            title="Cross-service releases through a plan"
            testId="glidepath-release-metrics-planned"
            value={formatShare(planned.share)}
            target={
              plannedTarget === undefined
                ? 'Through a release plan'
                : `Target ${formatShare(plannedTarget)}: ${shareAgainstTarget(
                    planned.share,
                    plannedTarget,
                  )}`
            }
            onTarget={
              planned.share === null || plannedTarget === undefined
                ? null
                : planned.share >= plannedTarget
            }
          >
            <Detail>{describePlanned(measures)}</Detail>
            <Detail>
              Production releases of services linked by a dependency or a
              version requirement, started within a day
            </Detail>
            {organisation?.plannedCrossService && (
              <Detail testId="glidepath-release-metrics-planned-organisation">
                Organisation:{' '}
                {formatShare(organisation.plannedCrossService.share)}
              </Detail>
            )}
          </Tile>
        </Grid>
      )}
    </Grid>
  );
}

const day = (time: number) =>
  new Date(time).toLocaleDateString([], { month: 'short', day: 'numeric' });

function TrendChart(props: {
  title: string;
  unit: string;
  testId: string;
  data: ReleaseMetricsPoint[];
  lines: Array<{ key: keyof ReleaseMetricsPoint; name: string; color: string }>;
  target?: { value: number; label: string };
  format: (value: number) => string;
  width?: number;
  yDomain?: [number, number];
}) {
  const { title, unit, testId, data, lines, target, format, width } = props;
  const chart = (
    <LineChart
      data={data}
      width={width}
      height={width === undefined ? undefined : 180}
      margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
    >
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="time" tickFormatter={day} minTickGap={24} />
      <YAxis
        width={48}
        domain={
          props.yDomain ?? [
            0,
            (dataMax: number) =>
              Math.ceil(Math.max(dataMax, (target?.value ?? 0) * 1.5)),
          ]
        }
      />
      <Tooltip
        labelFormatter={time => `Week of ${day(Number(time))}`}
        formatter={(value: number, name: string) => [format(value), name]}
      />
      {lines.length > 1 && <Legend />}
      {target && (
        <ReferenceLine
          y={target.value}
          stroke="#b26a00"
          strokeDasharray="6 3"
          label={{
            value: target.label,
            position: 'insideTopRight',
            fontSize: 11,
          }}
        />
      )}
      {lines.map(line => (
        <Line
          key={line.key}
          dataKey={line.key}
          name={line.name}
          stroke={line.color}
          strokeWidth={2}
          dot={data.length <= 30}
          connectNulls={false}
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
  return (
    <Paper
      variant="outlined"
      style={{ padding: 12, minWidth: 0, overflow: 'hidden' }}
      data-testid={testId}
    >
      <Typography variant="subtitle2">
        {title}{' '}
        <Typography component="span" variant="caption" color="textSecondary">
          ({unit})
        </Typography>
      </Typography>
      {width === undefined ? (
        <ResponsiveContainer width="100%" height={180}>
          {chart}
        </ResponsiveContainer>
      ) : (
        chart
      )}
    </Paper>
  );
}

/** The measures week by week, with the targets as dashed lines. */
export function ReleaseMetricsTrends(props: {
  metrics: ReleaseMetricsResponse;
  width?: number;
}) {
  const { metrics, width: chartWidth } = props;
  const theme = useTheme();
  const data = trendPoints(metrics.series);
  const percent = (value: number) => `${value}%`;
  const minutes = (value: number) => formatDuration(value * 60_000);
  const planned = metrics.summary.plannedCrossService !== undefined;
  const plannedTarget = metrics.targets.plannedShare;
  // Four charts two by two; three side by side from lg as before.
  const columns = planned
    ? { md: 6 as const }
    : { md: 6 as const, lg: 4 as const };
  return (
    <Grid container spacing={2} data-testid="glidepath-release-metrics-trends">
      <Grid item xs={12} {...columns}>
        <TrendChart
          title="Rollback-tested first"
          unit="% of production releases"
          testId="glidepath-release-metrics-trend-tested"
          data={data}
          lines={[
            {
              key: 'tested',
              name: 'Tested first',
              color: theme.palette.primary.main,
            },
          ]}
          target={{
            value: Math.round(metrics.targets.rollbackTestedShare * 100),
            label: `target ${formatShare(metrics.targets.rollbackTestedShare)}`,
          }}
          yDomain={[0, 100]}
          format={percent}
          width={chartWidth}
        />
      </Grid>
      <Grid item xs={12} {...columns}>
        <TrendChart
          title="Progressive delivery"
          unit="% of known strategy"
          testId="glidepath-release-metrics-trend-progressive"
          data={data}
          lines={[
            {
              key: 'progressive',
              name: 'Canary or blue-green',
              color: theme.palette.primary.main,
            },
          ]}
          yDomain={[0, 100]}
          format={percent}
          width={chartWidth}
        />
      </Grid>
      <Grid item xs={12} {...columns}>
        <TrendChart
          title="Rollback time, median"
          unit="minutes"
          testId="glidepath-release-metrics-trend-rollback-time"
          data={data}
          lines={[
            {
              key: 'automaticMinutes',
              name: 'Automatic',
              color: theme.palette.primary.main,
            },
            {
              key: 'manualMinutes',
              name: 'By hand',
              color: theme.palette.secondary.main,
            },
          ]}
          target={{
            value: metrics.targets.rollbackTimeMs / 60_000,
            label: `target ${formatDuration(metrics.targets.rollbackTimeMs)}`,
          }}
          format={minutes}
          width={chartWidth}
        />
      </Grid>
      {planned && (
        <Grid item xs={12} {...columns}>
          <TrendChart
            title="Cross-service releases through a plan"
            unit="% of cross-service releases"
            testId="glidepath-release-metrics-trend-planned"
            data={data}
            lines={[
              {
                key: 'planned',
                name: 'Through a plan',
                color: theme.palette.primary.main,
              },
            ]}
            target={
              plannedTarget === undefined
                ? undefined
                : {
                    value: Math.round(plannedTarget * 100),
                    label: `target ${formatShare(plannedTarget)}`,
                  }
            }
            yDomain={[0, 100]}
            format={percent}
            width={chartWidth}
          />
        </Grid>
      )}
    </Grid>
  );
}

/** The card, once read: a scope's measures (a team's beside the organisation's). */
export function ReleaseMetricsView(props: {
  metrics: ReleaseMetricsResponse;
  organisation?: ReleaseMetricsResponse;
  name?: string;
  chartWidth?: number;
}) {
  const { metrics, organisation, name, chartWidth } = props;
  const { targets } = metrics;
  return (
    <InfoCard
      title={`Rollback tests, progressive delivery and rollback time${
        name ? ` of ${name}` : ''
      }, last six months`}
      subheader={`Production releases whose version passed a rollback test in a non-production environment before they went past their first step (target ${formatShare(
        targets.rollbackTestedShare,
      )}); releases that went out as canary or blue-green rather than all at once (unknown strategies left out); and rollback time from the request to the release rolled back, automatic (by a policy) or by hand (target ${formatDuration(
        targets.rollbackTimeMs,
      )})${
        targets.plannedShare === undefined
          ? ''
          : `; and cross-service releases (production releases of services linked by a dependency or a version requirement, started within a day) that went through a release plan (target ${formatShare(
              targets.plannedShare,
            )})`
      }. Definitions: docs/release-metrics.md.`}
    >
      <div data-testid="glidepath-release-metrics">
        {isEmpty(metrics) ? (
          <EmptyState
            missing="data"
            title="No production releases or rollbacks in these six months"
            description="The measures appear once a service is released to production through Glidepath or a deployment is posted to /events/deployments."
          />
        ) : (
          <Grid container spacing={2}>
            {metrics.simulatedReleases > 0 && (
              <Grid item xs={12}>
                <Alert
                  severity="info"
                  data-testid="glidepath-release-metrics-simulated"
                >
                  Simulated: {metrics.simulatedReleases} of these{' '}
                  {metrics.summary.productionReleases} production releases were
                  made up by the sandbox. {SIMULATED_EXPLANATION}.
                </Alert>
              </Grid>
            )}
            <Grid item xs={12}>
              <ReleaseMetricsTiles
                measures={metrics.summary}
                targets={targets}
                organisation={organisation?.summary}
              />
            </Grid>
            <Grid item xs={12}>
              <ReleaseMetricsTrends metrics={metrics} width={chartWidth} />
            </Grid>
          </Grid>
        )}
      </div>
    </InfoCard>
  );
}

/**
 * The release metrics of the last six months (`GET /release-metrics`) for
 * the organisation, or for a team (`owner`) beside the organisation's.
 */
export function ReleaseMetricsCard(props: { owner?: string; name?: string }) {
  const { owner, name } = props;
  const api = useApi(glidepathApiRef);
  const { value, loading, error } = useAsync(async () => {
    const from = daysAgo(RELEASE_METRICS_DAYS);
    const [scope, organisation] = await Promise.all([
      api.getReleaseMetrics({ ...(owner ? { owner } : {}), from }),
      owner ? api.getReleaseMetrics({ from }) : Promise.resolve(undefined),
    ]);
    return { scope, organisation };
  }, [api, owner]);
  if (loading) {
    return (
      <div data-testid="glidepath-release-metrics-loading">
        <Progress />
      </div>
    );
  }
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  return (
    <ReleaseMetricsView
      metrics={value.scope}
      organisation={value.organisation}
      name={name}
    />
  );
}
