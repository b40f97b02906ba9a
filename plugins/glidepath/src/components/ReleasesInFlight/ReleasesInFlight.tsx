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
import { glidepathApiRef } from '../../api';
import { usePolling, useRefreshable } from '../../hooks/useRefreshable';
import { shortRef } from '../../lib/entity';
import { versionChange } from '../../lib/releases';
import { elapsed } from '../../lib/time';
import { ReleasePhaseStatus } from '../ReleaseStatus';

/** How many releases the card lists before "and N more". */
const SHOWN = 10;

/** How often the card reads the releases in flight again. */
export const REFRESH_MS = 10_000;

/**
 * The releases in flight across the company right now: each service's
 * version change, phase, canary traffic and owner, newest first, each
 * leading to the service's Releases tab. For a portal's home page.
 */
export function ReleasesInFlight() {
  const api = useApi(glidepathApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  // "Right now": read again every few seconds, keeping the last list
  // while a read runs or fails.
  const { value, loading, error, refresh } = useRefreshable(
    'in-flight',
    () => api.listReleasesInFlight({ limit: SHOWN }),
    [api],
  );
  usePolling(true, REFRESH_MS, refresh);

  const items = value?.items ?? [];
  const simulatedCount = items.filter(
    ({ release }) => release.simulated,
  ).length;
  const mixed = simulatedCount > 0 && simulatedCount < items.length;

  const releasesTab = (entityRef: string) =>
    `${entityRoute(parseEntityRef(entityRef))}/releases`;

  const columns: TableColumn<ReleaseInFlight>[] = [
    {
      title: 'Service',
      // Names break between words only ("recommendati ons" read badly).
      cellStyle: { whiteSpace: 'nowrap' },
      render: ({ release, entityTitle }) => (
        <Box>
          <Link to={releasesTab(release.entityRef)}>
            {entityTitle ?? shortRef(release.entityRef)}
          </Link>
          {/* Among real releases, the simulated ones say so. */}
          {mixed && release.simulated && (
            <Typography variant="caption" color="textSecondary" component="div">
              simulated
            </Typography>
          )}
        </Box>
      ),
    },
    {
      title: 'Version',
      cellStyle: { whiteSpace: 'nowrap' },
      // Where it goes: a service may be on its way in staging and in
      // production at once.
      render: ({ release }) => (
        <Box>
          {versionChange(release)}
          <Typography variant="caption" color="textSecondary" component="div">
            {release.environment}
          </Typography>
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
      // Team names wrap between words, never inside one ("Checko ut").
      cellStyle: { wordBreak: 'normal', overflowWrap: 'normal' },
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
  if (error && !value) {
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
  const count =
    value.total > shown
      ? `${value.total} across the company right now; the newest ${shown}`
      : `${value.total} across the company right now, newest first`;
  return (
    <Table<ReleaseInFlight>
      title={title}
      // Said once for the card when every release is simulated; with real
      // ones among them, the simulated rows say so.
      subtitle={
        simulatedCount === 0
          ? count
          : `${count} · ${
              mixed
                ? `${simulatedCount} of them simulated by the sandbox`
                : 'Simulated by the sandbox'
            }`
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
