import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { StepExperiment } from '@glidepath/backstage-plugin-common';

/** "1 of 1 ready, 1 available". */
export function templateReadiness(
  template: StepExperiment['templates'][number],
): string {
  return `${template.readyReplicas} of ${template.replicas} ready, ${template.availableReplicas} available`;
}

const wrap = { overflowWrap: 'anywhere' as const };

/**
 * The experiment an experiment step runs: its phase, each template's
 * ReplicaSet with its pods' readiness, and its analysis runs (their
 * measurements are in the Canary analysis card, under the same names).
 */
export function StepExperimentDetails(props: { experiment: StepExperiment }) {
  const { experiment } = props;
  return (
    <Box
      component="span"
      display="block"
      mt={0.5}
      data-testid="glidepath-step-experiment"
    >
      <Typography
        component="span"
        display="block"
        variant="body2"
        color="textPrimary"
        style={wrap}
      >
        Experiment {experiment.name} · {experiment.phase}
        {experiment.message ? ` — ${experiment.message}` : ''}
      </Typography>
      {experiment.templates.map(template => (
        <Typography
          key={template.name}
          component="span"
          display="block"
          variant="body2"
          style={wrap}
          data-testid={`glidepath-experiment-template-${template.name}`}
        >
          Template {template.name}
          {template.replicaSet ? `: ReplicaSet ${template.replicaSet}` : ''}
          {template.status ? ` · ${template.status}` : ''} ·{' '}
          {templateReadiness(template)}
        </Typography>
      ))}
      {experiment.analysisRuns.length === 0 ? (
        <Typography component="span" display="block" variant="body2">
          No analysis run of its own
        </Typography>
      ) : (
        experiment.analysisRuns.map(run => (
          <Typography
            key={run.name}
            component="span"
            display="block"
            variant="body2"
            style={wrap}
            data-testid={`glidepath-experiment-run-${run.name}`}
          >
            Analysis run {run.name}
            {run.analysis ? ` (${run.analysis})` : ''} · {run.phase}
            {run.message ? ` — ${run.message}` : ''}
          </Typography>
        ))
      )}
    </Box>
  );
}
