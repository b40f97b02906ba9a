import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type {
  DoraReportSummary,
  DoraWeeklyReport,
} from '@glidepath/backstage-plugin-common';
import { useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { glidepathApiRef } from '../../api';
import { formatDoraDuration, formatMeasure, formatRate } from '../../lib/dora';
import { formatTime } from '../../lib/time';
import { analyticsRouteRef } from '../../routes';
import { DoraFailures, DoraTiles } from '../Dora';
import { nameOf } from './DoraGroupsTable';
import { LevelsNote } from './LevelsNote';
import { WeeklyReportFlags } from './WeeklyReportFlags';
import { ReleaseMetricsTiles } from './ReleaseMetricsCard';

const week = (iso: string) =>
  new Date(iso).toLocaleDateString([], {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });

/** A team's past weekly reports, newest first. */
export function WeeklyReportList(props: { owner: string }) {
  const api = useApi(glidepathApiRef);
  const analytics = useRouteRef(analyticsRouteRef);
  const { value, loading, error } = useAsync(
    () => api.listDoraReports({ owner: props.owner, limit: 26 }),
    [api, props.owner],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const columns: TableColumn<DoraReportSummary>[] = [
    {
      title: 'Week',
      field: 'periodStart',
      render: r => (
        <Link
          to={`${analytics()}/reports/${encodeURIComponent(r.id)}`}
          data-testid="glidepath-report-link"
        >
          Week of {week(r.periodStart)}
        </Link>
      ),
    },
    { title: 'Deployments', field: 'deployments' },
    {
      title: 'Change failure rate',
      field: 'changeFailureRate',
      render: r =>
        r.changeFailureRate === null ? '—' : formatRate(r.changeFailureRate),
    },
    {
      title: 'Written',
      field: 'createdAt',
      render: r => formatTime(r.createdAt),
    },
  ];
  return (
    <div data-testid="glidepath-weekly-reports">
      <Table<DoraReportSummary>
        title="Weekly reports"
        subtitle="Written every Monday and sent to the team"
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={value?.items ?? []}
        emptyContent={
          <Typography style={{ padding: 16 }} color="textSecondary">
            No reports yet: the first is written on the Monday after the team's
            first deployment.
          </Typography>
        }
      />
    </div>
  );
}

type Slow = DoraWeeklyReport['slowestLeadTimes'][number];
type Service = DoraWeeklyReport['services'][number];

/** One weekly report (`/glidepath/analytics/reports/:reportId`). */
export function WeeklyReportView() {
  const { reportId } = useParams();
  const api = useApi(glidepathApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const analytics = useRouteRef(analyticsRouteRef);
  const {
    value: report,
    loading,
    error,
  } = useAsync(() => api.getDoraReport(reportId!), [api, reportId]);
  if (error) return <ResponseErrorPanel error={error} />;
  if (loading || !report) return <Progress />;
  const r = report;
  const entityLink = (ref: string) =>
    `${entityRoute(parseEntityRef(ref))}/release-health`;
  return (
    <Grid container spacing={3} data-testid="glidepath-weekly-report">
      <Grid item xs={12}>
        <Typography variant="h5">
          {nameOf(r.ownerRef)}: week of {week(r.periodStart)}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {week(r.periodStart)} to {week(r.periodEnd)} (UTC), written{' '}
          {formatTime(r.createdAt)}.{' '}
          <Link to={`${analytics()}?owner=${encodeURIComponent(r.ownerRef)}`}>
            The team's trends
          </Link>
        </Typography>
        <LevelsNote />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="The week against the week before">
          <DoraTiles measures={r.summary} changes={r.changes} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={6}>
        <Table<Service>
          title="Services"
          options={{ paging: false, search: false, padding: 'dense' }}
          data={r.services}
          columns={[
            {
              title: 'Service',
              field: 'entityRef',
              render: s => (
                <Link to={entityLink(s.entityRef)}>{nameOf(s.entityRef)}</Link>
              ),
            },
            { title: 'Deployments', field: 'deployments' },
            { title: 'Failed', field: 'failures' },
            {
              title: 'Median lead time',
              field: 'leadTimeMedianMs',
              render: s => formatMeasure('leadTime', s.leadTimeMedianMs),
            },
          ]}
          emptyContent={
            <Typography style={{ padding: 16 }} color="textSecondary">
              No deployments this week.
            </Typography>
          }
        />
      </Grid>
      <Grid item xs={12} lg={6}>
        <Table<Slow>
          title="Slowest lead times"
          options={{ paging: false, search: false, padding: 'dense' }}
          data={r.slowestLeadTimes}
          columns={[
            {
              title: 'Service',
              field: 'entityRef',
              render: s => (
                <Link to={entityLink(s.entityRef)}>{nameOf(s.entityRef)}</Link>
              ),
            },
            {
              title: 'Version',
              field: 'version',
              render: s => s.version ?? '—',
            },
            {
              title: 'Deployed',
              field: 'deployedAt',
              render: s => formatTime(s.deployedAt),
            },
            {
              title: 'Lead time',
              field: 'leadTimeMs',
              render: s => formatDoraDuration(s.leadTimeMs),
            },
          ]}
          emptyContent={
            <Typography style={{ padding: 16 }} color="textSecondary">
              No lead times this week.
            </Typography>
          }
        />
      </Grid>
      <Grid item xs={12}>
        <DoraFailures
          failures={r.failures}
          title="Failed changes this week"
          showEntity
        />
      </Grid>
      {r.flags && (
        <Grid item xs={12}>
          <WeeklyReportFlags flags={r.flags} />
        </Grid>
      )}
      {r.releaseMetrics && (
        <Grid item xs={12}>
          <InfoCard
            title="Rollback tests, progressive delivery and rollback time this week"
            subheader="The week's production releases of the team's services and their rollbacks (docs/release-metrics.md)."
          >
            <div data-testid="glidepath-weekly-report-release-metrics">
              <ReleaseMetricsTiles
                measures={r.releaseMetrics.measures}
                targets={r.releaseMetrics.targets}
              />
            </div>
          </InfoCard>
        </Grid>
      )}
    </Grid>
  );
}
