import {
  Content,
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi, useRouteRefParams } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { Plan } from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { usePolling, useRefreshable } from '../../hooks/useRefreshable';
import {
  isPlanActive,
  planWaitingFor,
  readableRefs,
  wavesProgress,
} from '../../lib/plans';
import { formatTime } from '../../lib/time';
import { useReleasesPageLink } from '../../hooks/usePlanLinks';
import { planRouteRef } from '../../routes';
import { ActorName } from '../ActorName';
import { PlanControls } from './PlanControls';
import { PlanStateStatus } from './PlanStatus';
import { PlanOverrides, PlanTimeline } from './PlanTimeline';
import { PlanWaves } from './PlanWaves';

/** How often an active plan's page reads it again. */
export const PLAN_REFRESH_MS = 3_000;

const FAILURE_POLICY: Record<Plan['failurePolicy'], string> = {
  halt: 'stop; roll nothing back',
  'rollback-wave': 'roll the failed wave back',
  'rollback-all': 'roll every wave back, in reverse dependency order',
};

/** The gates between waves in words. */
export function describeGates(gates: Plan['gates']): string {
  const parts: string[] = [];
  if (gates.soakMinutes) parts.push(`${gates.soakMinutes} min soak`);
  if (gates.analysisPassed) parts.push('canary analysis passed');
  if (gates.checklistItems?.length) {
    parts.push(`checklist: ${gates.checklistItems.join(', ')}`);
  }
  if (gates.rollbackTestPassed) parts.push('rollback test passed');
  return parts.length ? parts.join(' · ') : 'none';
}

/** Says that a plan's releases are simulated by the sandbox. */
export function SimulationChip() {
  return (
    <Tooltip title="The sandbox simulates these releases: nothing is deployed.">
      <Chip
        label="Simulation"
        size="small"
        color="secondary"
        variant="outlined"
        data-testid="glidepath-plan-simulation"
      />
    </Tooltip>
  );
}

function PlanSummary(props: { plan: Plan }) {
  const { plan } = props;
  const started = plan.startedAt
    ? `Started ${formatTime(plan.startedAt)}`
    : `Starts ${formatTime(plan.startAt)}${
        plan.trainId ? ' (the release train’s next slot)' : ''
      }`;
  return (
    <InfoCard>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 12 }}
      >
        <Typography variant="h5" component="h2">
          {plan.title}
        </Typography>
        <PlanStateStatus state={plan.state} />
        {plan.simulated && <SimulationChip />}
      </Box>
      <Typography variant="body2" style={{ marginTop: 8 }}>
        {wavesProgress(plan)} · {plan.members.length}{' '}
        {plan.members.length === 1 ? 'service' : 'services'} · {started}
        {plan.finishedAt && ` · finished ${formatTime(plan.finishedAt)}`}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Planned by <ActorName actor={plan.createdBy} /> on{' '}
        {formatTime(plan.createdAt)}. Between waves: {describeGates(plan.gates)}
        . On a failure:{' '}
        {FAILURE_POLICY[plan.failurePolicy] ?? plan.failurePolicy}.
      </Typography>
      {plan.stateReason && !isPlanActive(plan) && (
        <Typography variant="body2" style={{ marginTop: 8 }}>
          {readableRefs(plan.stateReason)}
        </Typography>
      )}
    </InfoCard>
  );
}

/**
 * A release plan: its state and what it waits for, the controls, the waves
 * live as columns, the overrides and the timeline. Read again every few
 * seconds while the plan is active.
 */
export function PlanDetails(props: { planId: string }) {
  const { planId } = props;
  const api = useApi(glidepathApiRef);
  const releasesPage = useReleasesPageLink();
  const { value, loading, error, refreshError, refresh } = useRefreshable(
    `plan:${planId}`,
    () => api.getPlan(planId),
    [api, planId],
  );
  usePolling(Boolean(value && isPlanActive(value)), PLAN_REFRESH_MS, refresh);

  if (loading) return <Progress />;
  if (error || !value) {
    if (ResponseError.is(error) && error.statusCode === 404) {
      return (
        <EmptyState
          missing="data"
          title="No such release plan"
          description={`There is no plan ${planId}, or you may not see it.`}
          action={
            releasesPage && (
              <Link to={`${releasesPage()}?tab=plans`}>All release plans</Link>
            )
          }
        />
      );
    }
    return (
      <ResponseErrorPanel
        title="Could not load the release plan"
        error={error ?? new Error('No plan was returned')}
      />
    );
  }
  const plan = value;
  const waiting = planWaitingFor(plan);
  return (
    <Grid container spacing={3} data-testid="glidepath-plan">
      {refreshError && (
        <Grid item xs={12}>
          <WarningPanel
            severity="warning"
            title="Could not refresh; showing what was loaded before"
            message={refreshError.message}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <PlanSummary plan={plan} />
      </Grid>
      {(waiting || isPlanActive(plan)) && (
        <Grid item xs={12}>
          {waiting && (
            <Alert
              severity={plan.state === 'paused' ? 'warning' : 'info'}
              data-testid="glidepath-plan-waiting"
              style={{ marginBottom: 16 }}
            >
              {waiting}
            </Alert>
          )}
          <PlanControls plan={plan} onChanged={refresh} />
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard
          title="Waves"
          subheader="Released left to right: a wave starts when the one before it is done and its gates pass."
        >
          {plan.members.length === 0 ? (
            <EmptyState
              missing="data"
              title="No services in this plan"
              description="A plan's waves list its services once it has been planned."
            />
          ) : (
            <PlanWaves plan={plan} />
          )}
        </InfoCard>
      </Grid>
      {/* Side by side only where the timeline keeps room to read. */}
      <Grid item xs={12} lg={8}>
        <PlanTimeline events={plan.events} />
      </Grid>
      <Grid item xs={12} lg={4}>
        <PlanOverrides
          override={plan.override}
          freezeOverride={plan.freezeOverride}
        />
      </Grid>
    </Grid>
  );
}

/**
 * The page of one release plan at `/glidepath/plans/:planId`.
 */
export function PlanPage() {
  const { planId } = useRouteRefParams(planRouteRef);
  return (
    <Content>
      <PlanDetails planId={planId} />
    </Content>
  );
}
