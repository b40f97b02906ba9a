import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity, useEntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useReleaseSummary } from '../../hooks/useReleaseSummary';
import { elapsed } from '../../lib/time';
import { staleMessage, strategyLabel, versionChange } from '../../lib/releases';
import { environmentsSentence } from '../../lib/environments';
import { ReleasePhaseStatus } from '../ReleaseStatus';
import { SimulatedChip } from '../SimulatedChip';
import { TrafficSplit } from '../TrafficSplit';

/** Where the Releases tab is mounted under the entity page. */
export const RELEASES_TAB_PATH = 'releases';

/**
 * An overview card with the entity's current release: phase, version,
 * traffic, and a link to the Releases tab.
 * @public
 */
export function ReleaseCard() {
  const { entity } = useEntity();
  const entityLink = useEntityRefLink();
  const { summary, loading, error } = useReleaseSummary(entity);
  const releasesLink = `${entityLink(entity)}/${RELEASES_TAB_PATH}`;

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error || !summary) {
    body = (
      <ResponseErrorPanel
        title="Could not load the release"
        error={error ?? new Error('No release summary was returned')}
      />
    );
  } else {
    const { current, provider, problems } = summary;
    const simulated = Boolean(provider?.simulated || current?.simulated);
    body = (
      <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
        {current ? (
          <>
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 8 }}
            >
              <Typography
                variant="h6"
                component="span"
                data-testid="glidepath-card-version"
              >
                {versionChange(current)}
              </Typography>
              {simulated && <SimulatedChip />}
            </Box>
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 8 }}
            >
              <ReleasePhaseStatus phase={current.phase} />
              <Typography variant="body2" color="textSecondary">
                {current.environment} · {strategyLabel(current.strategy)} ·{' '}
                {current.finishedAt ? 'took' : 'running for'}{' '}
                {elapsed(current.startedAt, current.finishedAt)}
              </Typography>
            </Box>
            <TrafficSplit release={current} />
            {/* The release above is production's; the others in a line. */}
            {(summary.environments ?? []).length > 1 && (
              <Typography
                variant="body2"
                data-testid="glidepath-card-environments"
              >
                {environmentsSentence(summary.environments)}
              </Typography>
            )}
          </>
        ) : (
          <Box>
            <Typography variant="body1">No release observed yet.</Typography>
            <Typography variant="body2" color="textSecondary">
              Releases appear here when the rollout provider reports one.
            </Typography>
            {simulated && <SimulatedChip />}
          </Box>
        )}
        {provider && !provider.registered && (
          <Alert severity="error">
            No rollout provider '{provider.id}' is installed
          </Alert>
        )}
        {provider?.registered && provider.stale && (
          <Alert severity="warning">{staleMessage(provider)}</Alert>
        )}
        {problems.length > 0 && (
          <Alert severity="warning" data-testid="glidepath-card-problems">
            {problems.length === 1
              ? '1 annotation problem'
              : `${problems.length} annotation problems`}
            ; see the Releases tab.
          </Alert>
        )}
      </Box>
    );
  }

  return (
    <InfoCard
      title="Release"
      deepLink={{ title: 'View releases', link: releasesLink }}
    >
      {body}
    </InfoCard>
  );
}
