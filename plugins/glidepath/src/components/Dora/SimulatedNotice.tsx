import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { SIMULATED_EXPLANATION } from '../SimulatedChip';

/** Says that the numbers include deployments a simulation made up. */
export function SimulatedNotice(props: { count: number }) {
  if (props.count === 0) return null;
  return (
    <Alert severity="info" data-testid="glidepath-dora-simulated">
      <AlertTitle>
        Simulated: {props.count} of these deployments were made up by the
        sandbox
      </AlertTitle>
      {SIMULATED_EXPLANATION}. The sandbox also makes up six months of history
      before it started, so that these pages have something to show.
    </Alert>
  );
}
