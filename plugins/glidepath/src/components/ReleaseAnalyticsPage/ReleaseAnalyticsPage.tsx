import {
  Breadcrumbs,
  Content,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { Route, Routes, useSearchParams } from 'react-router-dom';
import { useDora } from '../../hooks/useDora';
import { daysAgo } from '../../lib/dora';
import { analyticsRouteRef } from '../../routes';
import { DoraOverview, RECENT_DAYS } from '../Dora';
import { DoraGroupsTable, nameOf } from './DoraGroupsTable';
import { FlagsMeasure } from './FlagsMeasure';
import { LevelsNote } from './LevelsNote';
import { ReleaseMetricsCard } from './ReleaseMetricsCard';
import { WeeklyReportList, WeeklyReportView } from './WeeklyReports';

/** Teams (or a team's services) ranked over the last four weeks. */
function Ranking(props: { owner?: string }) {
  const { owner } = props;
  const analytics = useRouteRef(analyticsRouteRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const query = useMemo(
    () => ({
      ...(owner ? { owner } : {}),
      from: daysAgo(RECENT_DAYS),
      groupBy: owner ? ('entity' as const) : ('owner' as const),
    }),
    [owner],
  );
  const { value, loading, error } = useDora(query);
  if (error) return <ResponseErrorPanel error={error} />;
  if (loading || !value) return <Progress />;
  return owner ? (
    <DoraGroupsTable
      title="Services, last four weeks"
      nameTitle="Service"
      groups={value.groups ?? []}
      linkTo={g => `${entityRoute(parseEntityRef(g.ref))}/release-health`}
      testId="glidepath-dora-services"
    />
  ) : (
    <DoraGroupsTable
      title="Teams, last four weeks"
      nameTitle="Team"
      groups={value.groups ?? []}
      linkTo={g => `${analytics()}?owner=${encodeURIComponent(g.ref)}`}
      testId="glidepath-dora-teams"
    />
  );
}

function AnalyticsHome() {
  const [params] = useSearchParams();
  const owner = params.get('owner') ?? undefined;
  const analytics = useRouteRef(analyticsRouteRef);
  return (
    <Grid container spacing={3}>
      {owner && (
        <Grid item xs={12}>
          <Breadcrumbs aria-label="breadcrumb">
            <Link to={analytics()}>Organisation</Link>
            <Typography>{nameOf(owner)}</Typography>
          </Breadcrumbs>
        </Grid>
      )}
      <Grid item xs={12}>
        <Typography variant="h5" data-testid="glidepath-analytics-scope">
          {owner ? nameOf(owner) : 'The whole organisation'}
        </Typography>
        <LevelsNote />
      </Grid>
      <Grid item xs={12}>
        <DoraOverview
          scope={owner ? { owner } : {}}
          filename={`release-analytics-${
            owner ? nameOf(owner) : 'organisation'
          }.csv`}
          showEntity
        />
      </Grid>
      <Grid item xs={12}>
        <Ranking owner={owner} />
      </Grid>
      <Grid item xs={12}>
        <ReleaseMetricsCard
          owner={owner}
          name={owner ? nameOf(owner) : undefined}
        />
      </Grid>
      <Grid item xs={12}>
        <FlagsMeasure owner={owner} />
      </Grid>
      {owner && (
        <Grid item xs={12}>
          <WeeklyReportList owner={owner} />
        </Grid>
      )}
    </Grid>
  );
}

/**
 * Release analytics (`/glidepath/analytics`): the organisation's DORA
 * measures, teams ranked, a team's services and weekly reports
 * (`?owner=`), and one report (`/reports/:reportId`). The app draws the
 * page's header, as it does for the catalog's pages.
 */
export function ReleaseAnalyticsPage() {
  return (
    <Content>
      <Typography
        variant="body1"
        color="textSecondary"
        paragraph
        data-testid="glidepath-analytics-intro"
      >
        Release analytics: the DORA measures of the organisation, its teams and
        their services; rollback tests before production, progressive delivery
        and rollback time; and the share of new features behind flags.
      </Typography>
      <Routes>
        <Route path="/" element={<AnalyticsHome />} />
        <Route path="/reports/:reportId" element={<WeeklyReportView />} />
      </Routes>
    </Content>
  );
}
