import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { readGlidepathAnnotations } from '@glidepath/backstage-plugin-common';
import { useReleaseSummary } from '../../hooks/useReleaseSummary';
import { ActionButtons } from '../ActionButtons';
import { AnalysisPanel } from '../AnalysisPanel';
import { AuditTrail } from '../AuditTrail';
import { CalendarCard } from '../ReleaseCalendar';
import { CurrentRelease } from '../CurrentRelease';
import { EntityPlanCard } from '../EntityPlanCard';
import { EnvironmentReleases } from '../EnvironmentReleases';
import { LastDrill } from '../LastDrill';
import { AnnotationProblems, ProviderNotices } from '../ProviderNotices';
import { ReleaseChecklist } from '../ReleaseChecklist';
import { ReleaseHistory } from '../ReleaseHistory';
import { RollbackGateNotice } from '../RollbackTests';
import { SIMULATED_EXPLANATION, SimulatedChip } from '../SimulatedChip';

/**
 * The Releases tab of an entity page: the current release with its steps,
 * traffic and controls, its release checklist, its canary analysis, the
 * audit trail of actions, and the release history.
 * Reads the entity from `useEntity`.
 * @public
 */
export function ReleasesContent() {
  const { entity } = useEntity();
  const { summary, loading, error, refreshError, lastSignal, refresh } =
    useReleaseSummary(entity);
  const [historyEnvironment, setHistoryEnvironment] = useState<string>();

  if (loading) {
    return <Progress />;
  }
  if (error || !summary) {
    return (
      <ResponseErrorPanel
        title="Could not load the releases"
        error={error ?? new Error('No release summary was returned')}
      />
    );
  }

  const { current, provider } = summary;
  // One environment (the single-form annotation): the current release says
  // it all, as before environments.
  const environments = summary.environments ?? [];
  const staged = environments.length > 1;
  const simulated = Boolean(provider?.simulated || current?.simulated);
  const providerId =
    provider?.id ?? readGlidepathAnnotations(entity).rollout?.provider;

  return (
    <Grid container spacing={3} data-testid="glidepath-releases">
      {(summary.problems.length > 0 || provider || refreshError) && (
        <Grid item xs={12}>
          <AnnotationProblems problems={summary.problems} />
          <ProviderNotices provider={provider} />
          {refreshError && (
            <WarningPanel
              severity="warning"
              title="Could not refresh; showing what was loaded before"
              message={refreshError.message}
            />
          )}
        </Grid>
      )}
      {simulated && (
        <Grid item xs={12}>
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            <SimulatedChip size="medium" />
            <Typography variant="body2">{SIMULATED_EXPLANATION}</Typography>
          </Box>
        </Grid>
      )}
      {staged && (
        <Grid item xs={12}>
          <EnvironmentReleases
            entity={entity}
            environments={environments}
            onChanged={refresh}
            onShowHistory={name => {
              setHistoryEnvironment(name);
              document
                .getElementById('glidepath-release-history')
                ?.scrollIntoView?.({ behavior: 'smooth' });
            }}
          />
        </Grid>
      )}
      {/* Whether promoting is frozen now, before the controls. */}
      <Grid item xs={12}>
        <CalendarCard entity={entity} reloadKey={lastSignal} />
      </Grid>
      {/* The coordinated release the service is part of, if any. */}
      <Grid item xs={12}>
        <EntityPlanCard entity={entity} reloadKey={lastSignal} />
      </Grid>
      {/* Above the release it may hold, saying why it waits. */}
      {summary.rollbackGate && (
        <Grid item xs={12}>
          <RollbackGateNotice
            entity={entity}
            gate={summary.rollbackGate}
            onChanged={refresh}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        {current ? (
          <CurrentRelease
            release={current}
            recentActions={summary.recentActions}
            actions={
              <ActionButtons
                entity={entity}
                release={current}
                allowedActions={summary.allowedActions}
                checklistGate={summary.checklist?.gate}
                lastSignal={lastSignal}
                onChanged={refresh}
              />
            }
          />
        ) : (
          <EmptyState
            missing="data"
            title="No release observed yet"
            description={`Releases appear here when the rollout provider${
              providerId ? ` '${providerId}'` : ''
            } reports one for ${entity.metadata.name}.`}
          />
        )}
      </Grid>
      <Grid item xs={12}>
        <LastDrill entity={entity} reloadKey={lastSignal} />
      </Grid>
      {summary.checklist && (
        <Grid item xs={12}>
          <ReleaseChecklist
            entity={entity}
            checklist={summary.checklist}
            release={current}
            onChanged={refresh}
          />
        </Grid>
      )}
      {current && (
        <Grid item xs={12}>
          <AnalysisPanel release={current} />
        </Grid>
      )}
      {(current || summary.recentActions.length > 0) && (
        <Grid item xs={12}>
          <AuditTrail actions={summary.recentActions} />
        </Grid>
      )}
      {(current || summary.recent.length > 0) && (
        <Grid item xs={12} id="glidepath-release-history">
          <ReleaseHistory
            entity={entity}
            recent={summary.recent}
            environments={staged ? environments.map(e => e.name) : []}
            environment={historyEnvironment}
            onEnvironmentChange={setHistoryEnvironment}
          />
        </Grid>
      )}
    </Grid>
  );
}
