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

/** The rollout's steps, the current one highlighted. */
export function ReleaseSteps(props: {
  release: Pick<Release, 'steps' | 'currentStepIndex'>;
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
              secondary={`${STATUS_LABEL[step.status] ?? step.status}${
                current ? ' · current step' : ''
              }`}
            />
          </ListItem>
        );
      })}
    </List>
  );
}
