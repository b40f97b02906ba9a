import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { useDora } from '../../hooks/useDora';
import { daysAgo } from '../../lib/dora';
import { DoraTiles, RECENT_DAYS } from '../Dora';
import { SimulatedChip } from '../SimulatedChip';
import { LatestFailure } from './LatestFailure';

/**
 * The Release health card on an entity's overview: the last four weeks, up
 * to now, and the latest failed change.
 */
export function ReleaseHealthCard() {
  const { entity } = useEntity();
  const ref = stringifyEntityRef(entity);
  const query = useMemo(
    () => ({ entity: ref, from: daysAgo(RECENT_DAYS) }),
    [ref],
  );
  const { value, loading, error } = useDora(query);
  let body;
  if (error) body = <ResponseErrorPanel error={error} />;
  else if (loading || !value) body = <Progress />;
  else if (value.summary.deployments === 0) {
    body = (
      <Typography color="textSecondary">
        No production deployments in the last four weeks.
      </Typography>
    );
  } else {
    body = (
      <>
        <DoraTiles measures={value.summary} compact />
        <Box mt={2}>
          <LatestFailure failures={value.failures} />
        </Box>
      </>
    );
  }
  return (
    <div data-testid="glidepath-release-health-card">
      <InfoCard
        title="Release health"
        subheader={
          <>
            DORA, last four weeks{' '}
            {value?.simulatedDeployments ? <SimulatedChip /> : null}
          </>
        }
        deepLink={{ title: 'Trends and failures', link: 'release-health' }}
      >
        {body}
      </InfoCard>
    </div>
  );
}
