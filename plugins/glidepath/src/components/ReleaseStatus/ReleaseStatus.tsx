import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import {
  ActionState,
  phaseLabel,
  ReleasePhase,
} from '@glidepath/backstage-plugin-common';

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);
}

/** A release phase as a coloured status ("Rolled back"). */
export function ReleasePhaseStatus(props: { phase: ReleasePhase }) {
  const label = capitalize(phaseLabel(props.phase));
  switch (props.phase) {
    case 'pending':
      return <StatusPending>{label}</StatusPending>;
    case 'progressing':
      return <StatusRunning>{label}</StatusRunning>;
    case 'paused':
      return <StatusWarning>{label}</StatusWarning>;
    case 'succeeded':
      return <StatusOK>{label}</StatusOK>;
    case 'aborted':
      return <StatusAborted>{label}</StatusAborted>;
    case 'rolled_back':
      return <StatusWarning>{label}</StatusWarning>;
    case 'failed':
      return <StatusError>{label}</StatusError>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
}

/** An action's state as a coloured status. */
export function ActionStateStatus(props: { state: ActionState }) {
  const label = capitalize(props.state);
  switch (props.state) {
    case 'requested':
      return <StatusPending>{label}</StatusPending>;
    case 'running':
      return <StatusRunning>{label}</StatusRunning>;
    case 'succeeded':
      return <StatusOK>{label}</StatusOK>;
    case 'failed':
      return <StatusError>{label}</StatusError>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
}
