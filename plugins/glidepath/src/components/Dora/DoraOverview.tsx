import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { DoraQuery } from '@glidepath/backstage-plugin-common';
import { useMemo } from 'react';
import { useDora } from '../../hooks/useDora';
import { completeWeeks, daysAgo } from '../../lib/dora';
import { CsvButton } from './CsvButton';
import { DoraFailures } from './DoraFailures';
import { DoraTiles } from './DoraTiles';
import { DoraTrends } from './DoraTrends';
import { SimulatedNotice } from './SimulatedNotice';

/** How far back "now" looks: the last four weeks. */
export const RECENT_DAYS = 28;
/** How far back the trends go: 26 complete weeks. */
export const TREND_WEEKS = 26;

/**
 * The DORA view of a scope: the four measures over the last four weeks,
 * their 26-week trends, and the failed changes of the last four weeks (up
 * to now, the latest first) with their cause.
 * Shared by the entity tab and the analytics pages.
 */
export function DoraOverview(props: {
  scope: Pick<DoraQuery, 'entity' | 'owner' | 'system'>;
  filename: string;
  showEntity?: boolean;
}) {
  const { scope, filename, showEntity } = props;
  // Rounded to the minute, so that re-renders ask the same question.
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const key = JSON.stringify(scope);
  const recentQuery = useMemo(
    () => ({ ...JSON.parse(key), from: daysAgo(RECENT_DAYS, now) }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  const trendQuery = useMemo(
    () => ({
      ...JSON.parse(key),
      ...completeWeeks(TREND_WEEKS, now),
      bucket: 'week' as const,
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  const recent = useDora(recentQuery);
  const trend = useDora(trendQuery);

  const error = recent.error ?? trend.error;
  if (error) return <ResponseErrorPanel error={error} />;
  const current = recent.value;
  const history = trend.value;
  // Also right after the scope changed, before the new reads started.
  if (!current || !history) return <Progress />;
  // The trend has complete weeks only: a start this week has deployments
  // in the last four weeks and none in the trend yet.
  const noTrend = history.summary.deployments === 0;
  const empty = noTrend && current.summary.deployments === 0;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <SimulatedNotice
          count={history.simulatedDeployments || current.simulatedDeployments}
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="The last four weeks"
          subheader="DORA measures with their DORA 2024 level"
        >
          {empty ? (
            <Typography
              color="textSecondary"
              data-testid="glidepath-dora-empty"
            >
              No production deployments in the last six months. Glidepath counts
              the releases its rollout providers report and the deployments and
              incidents other tools post to /api/glidepath/events (see
              docs/dora-events.md).
            </Typography>
          ) : (
            <DoraTiles measures={current.summary} />
          )}
        </InfoCard>
      </Grid>
      {!noTrend && (
        <Grid item xs={12}>
          <InfoCard
            title="Six months, week by week"
            subheader="The last 26 complete weeks (Monday to Monday, UTC)"
            action={
              <Box pt={1} pr={1}>
                <CsvButton query={trendQuery} filename={filename} />
              </Box>
            }
          >
            <DoraTrends series={history.series} />
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12}>
        {/* Up to now: today's rollbacks too, not only complete weeks. */}
        <DoraFailures
          failures={current.failures}
          title="Failed changes, the last four weeks"
          showEntity={showEntity}
        />
      </Grid>
    </Grid>
  );
}
