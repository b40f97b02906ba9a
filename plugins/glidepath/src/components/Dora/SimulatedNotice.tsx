import { WarningPanel } from '@backstage/core-components';
import { SIMULATED_EXPLANATION } from '../SimulatedChip';

/** Says that the numbers include deployments a simulation made up. */
export function SimulatedNotice(props: { count: number }) {
  if (props.count === 0) return null;
  return (
    <div data-testid="glidepath-dora-simulated">
      <WarningPanel
        severity="info"
        title={`Simulated: ${props.count} of these deployments were made up by the sandbox`}
        message={`${SIMULATED_EXPLANATION}. The sandbox also makes up six months of history before it started, so that these pages have something to show.`}
      />
    </div>
  );
}
