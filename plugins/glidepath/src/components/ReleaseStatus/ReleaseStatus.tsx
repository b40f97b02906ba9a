import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
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

/** Says plainly that a release is simulated, not a real deployment. */
export const SIMULATED_EXPLANATION =
  'Sandbox — simulated fleet, not a real deployment';

/** The "Simulated" label shown next to simulated releases. */
export function SimulatedChip(props: { size?: 'small' | 'medium' }) {
  return (
    <Tooltip title={SIMULATED_EXPLANATION}>
      <Chip
        label="Simulated"
        size={props.size ?? 'small'}
        color="secondary"
        variant="outlined"
        aria-label={`Simulated: ${SIMULATED_EXPLANATION}`}
        data-testid="glidepath-simulated"
      />
    </Tooltip>
  );
}
