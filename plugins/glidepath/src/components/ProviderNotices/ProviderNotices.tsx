import { WarningPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  AnnotationProblem,
  ProviderStatus,
} from '@glidepath/backstage-plugin-common';
import { staleMessage } from '../../lib/releases';

/** Each Glidepath annotation that could not be used, and why. */
export function AnnotationProblems(props: { problems: AnnotationProblem[] }) {
  const { problems } = props;
  if (problems.length === 0) {
    return null;
  }
  return (
    <WarningPanel
      severity="warning"
      title={
        problems.length === 1
          ? 'A Glidepath annotation cannot be used'
          : `${problems.length} Glidepath annotations cannot be used`
      }
      defaultExpanded
    >
      <Box component="ul" m={0} pl={2} data-testid="glidepath-problems">
        {problems.map(problem => (
          <li key={`${problem.annotation}:${problem.value}`}>
            <Typography variant="body2">
              <code>{problem.annotation}</code>: <code>{problem.value}</code> —{' '}
              {problem.message}
            </Typography>
          </li>
        ))}
      </Box>
    </WarningPanel>
  );
}

/**
 * How far the releases shown can be trusted: no provider installed for the
 * annotation, or the last sync failed (the provider could not be reached,
 * or it reported a problem with this entity's target, such as a Rollout its
 * controller rejected) and the data is the last known state.
 */
export function ProviderNotices(props: { provider: ProviderStatus | null }) {
  const { provider } = props;
  if (!provider) {
    return null;
  }
  return (
    <>
      {!provider.registered && (
        <WarningPanel
          severity="error"
          title={`No rollout provider '${provider.id}' is installed`}
          message={`The entity's glidepath.dev/rollout annotation names the provider '${provider.id}', but the Glidepath backend has no module for it. Install the provider's backend module, or correct the annotation.`}
          defaultExpanded
        />
      )}
      {provider.registered && provider.stale && (
        <WarningPanel
          severity="warning"
          title={`The '${provider.id}' provider could not give this entity's releases`}
          message={staleMessage(provider)}
          defaultExpanded
        />
      )}
    </>
  );
}
