import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';

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
