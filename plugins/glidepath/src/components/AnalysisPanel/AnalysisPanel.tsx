import { ReactNode, useMemo } from 'react';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert, { Color } from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type {
  Analysis,
  Release,
  ReleaseAction,
  ReleaseDetail,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import {
  isTerminalPhase,
  phaseLabel,
} from '@glidepath/backstage-plugin-common';
import {
  ReleaseDetailState,
  useReleaseDetail,
} from '../../hooks/useReleaseDetail';
import {
  AutomaticRollback,
  findAutomaticRollback,
  isStalledDecision,
  latestAnalysis,
  noAnalysisMessage,
  waitingReason,
} from '../../lib/analysis/analyses';
import { buildMetricCharts } from '../../lib/analysis/charts';
import { formatTime } from '../../lib/time';
import { endingAction } from '../../lib/releases';
import { ActorName } from '../ActorName';
import { LabelledValue } from '../LabelledValue';
import { ReleasePhaseStatus } from '../ReleaseStatus';
import { AnalysisChart } from './AnalysisChart';
import { DecisionChip, VerdictChip } from './AnalysisChips';
import { AnalysisEvidence } from './AnalysisEvidence';
import { AnalysisTimeline } from './AnalysisTimeline';
import { ProviderAnalysis } from './ProviderAnalysis';

const SEVERITY: Record<Verdict, Color> = {
  pass: 'success',
  fail: 'error',
  inconclusive: 'info',
  no_data: 'warning',
};

function Labelled(props: { label: string; children: ReactNode }) {
  return (
    <Box>
      <LabelledValue label={props.label}>{props.children}</LabelledValue>
    </Box>
  );
}

/**
 * The latest evaluation at a glance: verdict, decision, policy, source. Once
 * the release has ended, the last verdict and the release's phase instead of
 * a decision that no longer applies.
 */
function AnalysisHeader(props: { latest: Analysis; release: Release }) {
  const { latest, release } = props;
  const ended = isTerminalPhase(release.phase);
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="flex-end"
      style={{ gap: 24 }}
    >
      <Labelled label={ended ? 'Last verdict' : 'Verdict'}>
        <span data-testid="glidepath-analysis-verdict">
          <VerdictChip verdict={latest.verdict} size="medium" />
        </span>
      </Labelled>
      {ended ? (
        <Labelled label="Release">
          <span data-testid="glidepath-analysis-ended">
            <ReleasePhaseStatus phase={release.phase} />
          </span>
        </Labelled>
      ) : (
        <Labelled label="Decision">
          <span data-testid="glidepath-analysis-decision">
            <DecisionChip decision={latest.decision} size="medium" />
          </span>
        </Labelled>
      )}
      <Labelled label="Policy">{latest.policy}</Labelled>
      <Labelled label="Metrics">
        {latest.metricsProvider ?? 'no metrics provider'}
        {latest.simulated ? ' (simulated)' : ''}
      </Labelled>
      <Labelled label={ended ? 'Last evaluated' : 'Evaluated'}>
        {formatTime(latest.evaluatedAt)}
      </Labelled>
    </Box>
  );
}

/** Why Glidepath rolled the release back, and the numbers that made it. */
function RollbackExplanation(props: { rollback: AutomaticRollback }) {
  const { reason, action, evidence } = props.rollback;
  return (
    <>
      <Alert severity="error" data-testid="glidepath-analysis-reason">
        <AlertTitle>Rolled back automatically</AlertTitle>
        <Typography variant="body1" component="p">
          {reason}
        </Typography>
        {action && (
          <Typography variant="caption" component="p">
            Requested by <ActorName actor={action.requestedBy} /> at{' '}
            {formatTime(action.requestedAt)}; the rollback {action.state}.
          </Typography>
        )}
      </Alert>
      {evidence.length > 0 && (
        <Box mt={2}>
          <Typography variant="subtitle1" component="h3">
            Evidence
          </Typography>
          <AnalysisEvidence
            metrics={evidence}
            caption="Evidence for the automatic rollback"
          />
        </Box>
      )}
    </>
  );
}

/**
 * The latest decision in the backend's words, with a title in plain words
 * when the engine waits on purpose: the canary's warm-up, or an escalation
 * to the owners.
 */
function LatestReason(props: { latest: Analysis }) {
  const { latest } = props;
  const waiting = waitingReason(latest);
  let title: ReactNode = null;
  if (waiting?.kind === 'warming_up') {
    title = `Warming up: judging starts at ${formatTime(waiting.judgingFrom)}`;
  } else if (waiting?.kind === 'escalated') {
    title =
      latest.verdict === 'no_data'
        ? 'Paused and the owners notified: no usable metrics'
        : 'Owners notified: too little evidence to decide yet';
  }
  return (
    <Alert
      severity={
        isStalledDecision(latest.decision)
          ? 'warning'
          : SEVERITY[latest.verdict] ?? 'info'
      }
      // Updated live: announced politely, unlike the rollback's alert.
      role="status"
      data-testid="glidepath-analysis-reason"
    >
      {title && (
        <AlertTitle data-testid="glidepath-analysis-waiting">
          {title}
        </AlertTitle>
      )}
      {latest.reason}
    </Alert>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A release that ended without an automatic rollback: the analysis stopped
 * with it, so its last decision ("Continue", "Watching canary…") no longer
 * applies. Says how the release ended and by whom, then the last evaluation.
 */
function EndedNote(props: {
  latest: Analysis;
  release: Release;
  actions: ReleaseAction[];
}) {
  const { latest, release, actions } = props;
  const ending = endingAction(release, actions);
  const by = ending && (
    <>
      {' '}
      by <ActorName actor={ending.requestedBy} /> at{' '}
      {formatTime(ending.requestedAt)}
    </>
  );
  return (
    <Alert
      severity={release.phase === 'succeeded' ? 'success' : 'info'}
      data-testid="glidepath-analysis-reason"
    >
      <AlertTitle>
        {capitalise(phaseLabel(release.phase))}
        {by}: the analysis stopped with the release
      </AlertTitle>
      <Typography variant="body2" component="p">
        Its last evaluation, at {formatTime(latest.evaluatedAt)}:{' '}
        {latest.reason}
      </Typography>
    </Alert>
  );
}

/**
 * A release's analyses: the latest verdict and decision, why an automatic
 * rollback happened with its evidence, a chart per rule, every evaluation,
 * and the analysis runs of the rollout provider itself.
 */
export function AnalysisView(props: { detail: ReleaseDetail }) {
  const { analyses, actions, providerAnalysis, release } = props.detail;
  const latest = latestAnalysis(analyses);
  const ended = isTerminalPhase(release.phase);
  const rollback = findAutomaticRollback(props.detail);
  const charts = useMemo(() => buildMetricCharts(analyses), [analyses]);
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      {latest && <AnalysisHeader latest={latest} release={release} />}
      {rollback && <RollbackExplanation rollback={rollback} />}
      {!rollback && latest && ended && (
        <EndedNote latest={latest} release={release} actions={actions} />
      )}
      {!rollback && latest && !ended && <LatestReason latest={latest} />}
      {charts.length > 0 && (
        <Grid container spacing={2}>
          {charts.map(chart => (
            <Grid item xs={12} md={6} key={chart.rule}>
              <AnalysisChart chart={chart} />
            </Grid>
          ))}
        </Grid>
      )}
      {analyses.length > 0 && (
        <AnalysisTimeline
          analyses={analyses}
          actions={actions}
          explainedId={rollback ? rollback.analysis?.id : latest?.id}
        />
      )}
      {providerAnalysis.length > 0 && (
        <ProviderAnalysis
          runs={providerAnalysis}
          provider={props.detail.release.provider}
        />
      )}
    </Box>
  );
}

/**
 * A release's analysis from its detail, with the states on the way: loading,
 * an error, none yet (or none for the strategy).
 */
export function ReleaseAnalysis(props: { state: ReleaseDetailState }) {
  const { detail, loading, error, refreshError } = props.state;
  let body: ReactNode;
  if (loading) {
    body = <Progress />;
  } else if (error || !detail) {
    body = (
      <ResponseErrorPanel
        title="Could not load the canary analysis"
        error={error ?? new Error('No release detail was returned')}
      />
    );
  } else if (detail.analyses.length === 0 && !findAutomaticRollback(detail)) {
    // Nothing judged by Glidepath; the provider may still have run its own.
    body = (
      <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
        <Typography variant="body2" data-testid="glidepath-analysis-empty">
          {noAnalysisMessage(detail.release)}
        </Typography>
        {detail.providerAnalysis.length > 0 && (
          <ProviderAnalysis
            runs={detail.providerAnalysis}
            provider={detail.release.provider}
          />
        )}
      </Box>
    );
  } else {
    body = <AnalysisView detail={detail} />;
  }
  return (
    <Box data-testid="glidepath-analysis">
      {refreshError && (
        <Box mb={2}>
          <WarningPanel
            severity="warning"
            title="Could not refresh the analysis; showing what was loaded before"
            message={refreshError.message}
          />
        </Box>
      )}
      {body}
    </Box>
  );
}

/**
 * The canary analysis of a release, kept live: how Glidepath judged it, and
 * why it rolled it back when it did.
 */
export function AnalysisPanel(props: { release: Release }) {
  const { release } = props;
  const state = useReleaseDetail(release.id, release.entityRef);
  return (
    <InfoCard title="Canary analysis">
      <ReleaseAnalysis state={state} />
    </InfoCard>
  );
}
