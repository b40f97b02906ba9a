import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import PlayCircleFilledIcon from '@material-ui/icons/PlayCircleFilled';
import RadioButtonUncheckedIcon from '@material-ui/icons/RadioButtonUnchecked';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import type {
  Release,
  ReleaseStep,
  StepStatus,
} from '@glidepath/backstage-plugin-common';
import { StepExperimentDetails } from './StepExperimentDetails';

const STATUS_LABEL: Record<StepStatus, string> = {
  pending: 'Pending',
  running: 'Running',
  completed: 'Completed',
  skipped: 'Skipped',
};

function StepIcon(props: { status: StepStatus }) {
  switch (props.status) {
    case 'completed':
      return <CheckCircleIcon color="primary" />;
    case 'running':
      return <PlayCircleFilledIcon color="secondary" />;
    case 'skipped':
      return <RemoveCircleOutlineIcon color="disabled" />;
    default:
      return <RadioButtonUncheckedIcon color="disabled" />;
  }
}

/**
 * How a step reads: a running step of a paused release is paused there (the
 * provider still reports it running), so that the step and the phase agree.
 */
export function stepStatusLabel(
  step: Pick<ReleaseStep, 'status'>,
  phase: Release['phase'] | undefined,
): string {
  if (step.status === 'running' && phase === 'paused') return 'Paused';
  return STATUS_LABEL[step.status] ?? step.status;
}

/**
 * The rollout's steps, the current one highlighted; an experiment step with
 * the experiment it runs.
 */
export function ReleaseSteps(props: {
  release: Pick<Release, 'steps' | 'currentStepIndex'> &
    Partial<Pick<Release, 'phase'>>;
}) {
  const steps: ReleaseStep[] = [...props.release.steps].sort(
    (a, b) => a.index - b.index,
  );
  if (steps.length === 0) {
    return null;
  }
  return (
    <List dense aria-label="Rollout steps">
      {steps.map(step => {
        const current = step.index === props.release.currentStepIndex;
        return (
          <ListItem
            key={step.index}
            selected={current}
            aria-current={current ? 'step' : undefined}
            data-testid={`glidepath-step-${step.index}`}
          >
            <ListItemIcon>
              <StepIcon status={step.status} />
            </ListItemIcon>
            <ListItemText
              primary={`${step.index + 1}. ${step.description}`}
              secondary={
                <>
                  {`${stepStatusLabel(step, props.release.phase)}${
                    current ? ' · current step' : ''
                  }`}
                  {step.experiment && (
                    <StepExperimentDetails experiment={step.experiment} />
                  )}
                </>
              }
            />
          </ListItem>
        );
      })}
    </List>
  );
}
