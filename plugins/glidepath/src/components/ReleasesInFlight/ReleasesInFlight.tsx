import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { ReleaseInFlight } from '@glidepath/backstage-plugin-common';
import useAsync from 'react-use/esm/useAsync';
import { glidepathApiRef } from '../../api';
import { shortRef } from '../../lib/entity';
import { versionChange } from '../../lib/releases';
import { elapsed } from '../../lib/time';
import { ReleasePhaseStatus } from '../ReleaseStatus';
import { SimulatedChip } from '../SimulatedChip';

/** How many releases the card lists before "and N more". */
const SHOWN = 10;

/**
 * The releases in flight across the company right now: each service's
 * version change, phase, canary traffic and owner, newest first, each
 * leading to the service's Releases tab. For a portal's home page.
 */
export function ReleasesInFlight() {
  const api = useApi(glidepathApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const { value, loading, error } = useAsync(
    () => api.listReleasesInFlight({ limit: SHOWN }),
    [api],
  );

  const releasesTab = (entityRef: string) =>
    `${entityRoute(parseEntityRef(entityRef))}/releases`;

  const columns: TableColumn<ReleaseInFlight>[] = [
    {
      title: 'Service',
      render: ({ release, entityTitle }) => (
        <Link to={releasesTab(release.entityRef)}>
          {entityTitle ?? shortRef(release.entityRef)}
        </Link>
      ),
    },
    {
      title: 'Version',
      cellStyle: { whiteSpace: 'nowrap' },
      render: ({ release }) => (
        <Box display="flex" alignItems="center" gridGap={6} flexWrap="wrap">
          <span>{versionChange(release)}</span>
          {release.simulated && <SimulatedChip />}
        </Box>
      ),
    },
    {
      title: 'Phase',
      cellStyle: { whiteSpace: 'nowrap' },
      render: ({ release }) => (
        <Box>
          <ReleasePhaseStatus phase={release.phase} />
          {release.strategy === 'canary' && (
            <Typography variant="caption" color="textSecondary" component="div">
              canary at {release.canaryWeight}%
            </Typography>
          )}
        </Box>
      ),
    },
    {
      title: 'Owner',
      render: ({ owner }) =>
        owner ? (
          <Link to={entityRoute(parseEntityRef(owner.ref))}>
            {owner.title ?? shortRef(owner.ref)}
          </Link>
        ) : (
          'No owner'
        ),
    },
    {
      title: 'Running for',
      cellStyle: { whiteSpace: 'nowrap' },
      render: ({ release }) => elapsed(release.startedAt, null),
    },
  ];

  const title = 'Releases in flight';
  if (loading && !value) {
    return (
      <InfoCard title={title}>
        <Progress />
      </InfoCard>
    );
  }
  if (error) {
    return (
      <InfoCard title={title}>
        <ResponseErrorPanel error={error} />
      </InfoCard>
    );
  }
  if (!value || value.items.length === 0) {
    return (
      <InfoCard title={title}>
        <EmptyState
          missing="data"
          title="No release in flight"
          description="Every service's latest release has finished. Releases show here while they roll out."
        />
      </InfoCard>
    );
  }
  const shown = value.items.length;
  return (
    <Table<ReleaseInFlight>
      title={title}
      subtitle={
        value.total > shown
          ? `${value.total} across the company right now; the newest ${shown}`
          : `${value.total} across the company right now, newest first`
      }
      options={{
        paging: false,
        search: false,
        sorting: false,
        padding: 'dense',
      }}
      columns={columns}
      data={value.items}
    />
  );
}
