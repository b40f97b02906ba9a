import useAsync from 'react-use/esm/useAsync';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { glidepathApiRef } from '../../api';
import { describeDrill } from '../../lib/gameDays';
import { SimulatedChip } from '../SimulatedChip';

/**
 * The service's last rollback drill in one line, for its Releases tab:
 * "Last drill 2h ago (error rate fault in staging): detected in 40s,
 * healthy again after 1m 30s" (the Game days page has the rest).
 */
export function LastDrill(props: { entity: Entity; reloadKey?: unknown }) {
  const { entity } = props;
  const api = useApi(glidepathApiRef);
  const state = useAsync(
    () =>
      api.listEntityDrills(
        {
          kind: entity.kind.toLocaleLowerCase('en-US'),
          namespace: entity.metadata.namespace ?? 'default',
          name: entity.metadata.name,
        },
        { limit: 1 },
      ),
    [api, entity, props.reloadKey],
  );
  if (state.loading && !state.value) return <Progress />;
  const drill = state.value?.items[0];
  let text: string;
  if (state.error) {
    text = `Could not load the last rollback drill: ${state.error.message}`;
  } else if (!drill) {
    text = 'No rollback drill yet.';
  } else {
    text = describeDrill(drill);
  }
  return (
    <Box
      display="flex"
      alignItems="center"
      flexWrap="wrap"
      style={{ gap: 8 }}
      data-testid="glidepath-last-drill"
    >
      <Typography variant="body2" color={state.error ? 'error' : 'textPrimary'}>
        {text}
      </Typography>
      {drill?.simulated && <SimulatedChip />}
    </Box>
  );
}
