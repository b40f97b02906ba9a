import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { ReleaseInFlight } from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { usePolling, useRefreshable } from '../../hooks/useRefreshable';
import { elapsed } from '../../lib/time';
import {
  InFlightOwner,
  InFlightPhase,
  InFlightService,
  InFlightVersion,
  mixesSimulated,
  simulatedNote,
} from './cells';

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
  // "Right now": read again every few seconds, keeping the last list
  // while a read runs or fails.
  const { value, loading, error, refresh } = useRefreshable(
    'in-flight',
    () => api.listReleasesInFlight({ limit: SHOWN }),
    [api],
  );
  usePolling(true, REFRESH_MS, refresh);

  const items = value?.items ?? [];
  const mixed = mixesSimulated(items);
  const note = simulatedNote(items);

  const columns: TableColumn<ReleaseInFlight>[] = [
    {
      title: 'Service',
      // Names break between words only ("recommendati ons" read badly).
      cellStyle: { whiteSpace: 'nowrap' },
      render: item => <InFlightService item={item} mixed={mixed} />,
    },
    {
      title: 'Version',
      cellStyle: { whiteSpace: 'nowrap' },
      render: item => <InFlightVersion item={item} />,
    },
    {
      title: 'Phase',
      cellStyle: { whiteSpace: 'nowrap' },
      render: item => <InFlightPhase item={item} />,
    },
    {
      title: 'Owner',
      // Team names wrap between words, never inside one ("Checko ut").
      cellStyle: { wordBreak: 'normal', overflowWrap: 'normal' },
      render: item => <InFlightOwner item={item} />,
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
      subtitle={note ? `${count} · ${note}` : count}
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
