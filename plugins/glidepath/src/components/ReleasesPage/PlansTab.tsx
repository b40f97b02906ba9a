import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { Plan } from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { usePlanLink } from '../../hooks/usePlanLinks';
import { usePolling, useRefreshable } from '../../hooks/useRefreshable';
import { shortRef } from '../../lib/entity';
import { isPlanActive, wavesProgress } from '../../lib/plans';
import { formatTime } from '../../lib/time';
import { ActorName } from '../ActorName';
import { PlanStateStatus, SimulationChip } from '../PlanPage';

/** How often the tab reads the plans again while one is active. */
export const PLANS_REFRESH_MS = 5_000;

/** How many finished plans the tab lists. */
const FINISHED_SHOWN = 50;

function PlanTable(props: { title: string; subtitle: string; plans: Plan[] }) {
  const planLink = usePlanLink();
  const columns: TableColumn<Plan>[] = [
    {
      title: 'Plan',
      width: '36%',
      cellStyle: { wordBreak: 'normal', overflowWrap: 'anywhere' },
      render: plan => (
        <Box>
          <Box
            display="flex"
            alignItems="center"
            flexWrap="wrap"
            style={{ gap: 8 }}
          >
            {planLink ? (
              <Link to={planLink(plan.id)}>{plan.title}</Link>
            ) : (
              plan.title
            )}
            {plan.simulated && <SimulationChip />}
          </Box>
          <Typography variant="caption" color="textSecondary">
            {[...plan.members]
              .sort(
                (a, b) =>
                  a.wave - b.wave || a.entityRef.localeCompare(b.entityRef),
              )
              .slice(0, 4)
              .map(m => shortRef(m.entityRef))
              .join(', ')}
            {plan.members.length > 4 && ` and ${plan.members.length - 4} more`}
          </Typography>
        </Box>
      ),
    },
    {
      title: 'State',
      cellStyle: { whiteSpace: 'nowrap' },
      render: plan => <PlanStateStatus state={plan.state} />,
    },
    {
      title: 'Waves',
      render: plan => (
        <Box>
          {wavesProgress(plan)}
          {isPlanActive(plan) && plan.currentWave !== null && (
            <Typography variant="caption" color="textSecondary" component="div">
              now wave {plan.currentWave + 1}
            </Typography>
          )}
        </Box>
      ),
    },
    {
      title: 'Start',
      // Dates break at their spaces, not inside a number ("20 26").
      cellStyle: { wordBreak: 'normal', overflowWrap: 'normal' },
      render: plan =>
        plan.startedAt
          ? formatTime(plan.startedAt)
          : `Starts ${formatTime(plan.startAt)}`,
    },
    {
      title: 'Planned by',
      cellStyle: { wordBreak: 'normal', overflowWrap: 'normal' },
      render: plan => <ActorName actor={plan.createdBy} />,
    },
  ];
  return (
    <Table<Plan>
      title={props.title}
      subtitle={props.subtitle}
      options={{
        paging: false,
        search: false,
        sorting: false,
        padding: 'dense',
      }}
      columns={columns}
      data={props.plans}
    />
  );
}

/**
 * The release plans: the active ones (scheduled, running, paused, rolling
 * back) and the latest finished ones, with state, waves and start time,
 * each leading to its page. Read again every few seconds while one is
 * active.
 */
export function PlansTab() {
  const api = useApi(glidepathApiRef);
  const { value, loading, error, refreshError, refresh } = useRefreshable(
    'releases-page-plans',
    async () => {
      const [active, finished] = await Promise.all([
        api.listPlans({ state: 'active' }),
        api.listPlans({ state: 'finished', limit: FINISHED_SHOWN }),
      ]);
      return { active: active.items, finished: finished.items };
    },
    [api],
  );
  usePolling(Boolean(value?.active.length), PLANS_REFRESH_MS, refresh);

  if (loading) return <Progress />;
  if (error || !value) {
    return (
      <ResponseErrorPanel
        title="Could not load the release plans"
        error={error ?? new Error('No plans were returned')}
      />
    );
  }
  if (value.active.length === 0 && value.finished.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No release plans yet"
        description="A release plan releases several services together, wave by wave in dependency order, outside freeze windows. Create one with POST /api/glidepath/plans or the Coordinated release template."
      />
    );
  }
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 24 }}>
      {refreshError && (
        <Typography variant="body2" color="error">
          Could not refresh; showing what was loaded before:{' '}
          {refreshError.message}
        </Typography>
      )}
      <div data-testid="glidepath-plans-active">
        {value.active.length === 0 ? (
          <Typography variant="body1">
            No plan is active now; the finished ones are below.
          </Typography>
        ) : (
          <PlanTable
            title="Active plans"
            subtitle="Scheduled, running, paused or rolling back, newest first"
            plans={value.active}
          />
        )}
      </div>
      {value.finished.length > 0 && (
        <div data-testid="glidepath-plans-finished">
          <PlanTable
            title="Finished plans"
            subtitle={`The latest ${Math.min(
              value.finished.length,
              FINISHED_SHOWN,
            )}, newest first`}
            plans={value.finished}
          />
        </div>
      )}
    </Box>
  );
}
