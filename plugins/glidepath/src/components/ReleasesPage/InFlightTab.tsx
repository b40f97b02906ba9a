import useAsync from 'react-use/esm/useAsync';
import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type { ReleaseInFlight } from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { usePolling, useRefreshable } from '../../hooks/useRefreshable';
import { shortRef } from '../../lib/entity';
import {
  filterInFlight,
  InFlightFilters,
  inFlightFilterOptions,
} from '../../lib/plans';
import { elapsed } from '../../lib/time';
import {
  InFlightOwner,
  InFlightPhase,
  InFlightService,
  InFlightVersion,
  mixesSimulated,
  simulatedNote,
} from '../ReleasesInFlight/cells';

/** How often the tab reads the releases in flight again. */
export const IN_FLIGHT_REFRESH_MS = 10_000;

/** As many as the API gives at once. */
const LIMIT = 200;

/** Each entity's system (a full ref), from the catalog. */
function useSystems(entityRefs: readonly string[]) {
  const catalogApi = useApi(catalogApiRef);
  const key = [...new Set(entityRefs)].sort().join('\n');
  return useAsync(async () => {
    const refs = key.split('\n').filter(Boolean);
    const systems = new Map<string, string>();
    if (refs.length === 0) return systems;
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: refs,
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'spec.system'],
    });
    items.forEach((entity, i) => {
      const system = entity?.spec?.system;
      if (typeof system === 'string' && system) {
        try {
          systems.set(
            refs[i],
            stringifyEntityRef(
              parseEntityRef(system, {
                defaultKind: 'system',
                defaultNamespace: entity!.metadata.namespace ?? 'default',
              }),
            ),
          );
        } catch {
          // Not a ref: the service is listed without a system.
        }
      }
    });
    return systems;
  }, [catalogApi, key]);
}

function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  all: string;
  options: Array<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  return (
    <TextField
      select
      id={props.id}
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      style={{ minWidth: 200 }}
      variant="outlined"
      size="small"
    >
      <MenuItem value="">{props.all}</MenuItem>
      {props.options.map(o => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  );
}

/**
 * Every release in flight across the company now, filtered by team,
 * system and environment, each leading to its service's Releases tab. Read
 * again every few seconds.
 */
export function InFlightTab(props: {
  filters: InFlightFilters;
  onFiltersChange: (filters: InFlightFilters) => void;
}) {
  const { filters, onFiltersChange } = props;
  const api = useApi(glidepathApiRef);
  const entityRoute = useRouteRef(entityRouteRef);
  const { value, loading, error, refresh } = useRefreshable(
    'releases-page-in-flight',
    () => api.listReleasesInFlight({ limit: LIMIT }),
    [api],
  );
  usePolling(true, IN_FLIGHT_REFRESH_MS, refresh);
  const systems = useSystems(value?.items.map(i => i.release.entityRef) ?? []);
  const systemMap = systems.value ?? new Map<string, string>();

  if (loading) return <Progress />;
  if (error || !value) {
    return (
      <ResponseErrorPanel
        title="Could not load the releases in flight"
        error={error ?? new Error('No releases were returned')}
      />
    );
  }
  if (value.items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No release in flight"
        description="Every service's latest release has finished. Releases show here while they roll out."
      />
    );
  }
  const options = inFlightFilterOptions(value.items, systemMap);
  const shown = filterInFlight(value.items, filters, systemMap);
  const mixed = mixesSimulated(value.items);
  const note = simulatedNote(value.items);
  // Five columns, each with a second line, so that the table fits at
  // 1024 px: the environment under the version, the system under the team.
  const columns: TableColumn<ReleaseInFlight>[] = [
    {
      title: 'Service',
      // Names break between words only ("recommendati ons" read badly).
      cellStyle: { wordBreak: 'normal', overflowWrap: 'normal' },
      render: item => <InFlightService item={item} mixed={mixed} />,
    },
    {
      title: 'Version',
      render: item => <InFlightVersion item={item} />,
    },
    {
      title: 'Phase',
      cellStyle: { whiteSpace: 'nowrap' },
      render: item => <InFlightPhase item={item} />,
    },
    {
      title: 'Team and system',
      cellStyle: { wordBreak: 'normal', overflowWrap: 'normal' },
      render: item => {
        const system = systemMap.get(item.release.entityRef);
        return (
          <Box>
            <InFlightOwner item={item} />
            {system && (
              <Typography variant="caption" component="div">
                <Link to={entityRoute(parseEntityRef(system))}>
                  {shortRef(system)}
                </Link>
              </Typography>
            )}
          </Box>
        );
      },
    },
    {
      title: 'Running for',
      cellStyle: { whiteSpace: 'nowrap' },
      render: ({ release }) => elapsed(release.startedAt, null),
    },
  ];

  const filtered =
    filters.owner || filters.system || filters.environment
      ? `${shown.length} of `
      : '';
  const more =
    value.total > value.items.length
      ? ` (the newest ${value.items.length} listed)`
      : '';
  return (
    <Box>
      <Box
        display="flex"
        flexWrap="wrap"
        style={{ gap: 16 }}
        mb={2}
        data-testid="glidepath-in-flight-filters"
      >
        <FilterSelect
          id="glidepath-in-flight-team"
          label="Team"
          all="All teams"
          value={filters.owner ?? ''}
          options={options.owners}
          onChange={owner =>
            onFiltersChange({ ...filters, owner: owner || undefined })
          }
        />
        <FilterSelect
          id="glidepath-in-flight-system"
          label="System"
          all="All systems"
          value={filters.system ?? ''}
          options={options.systems.map(s => ({ value: s, label: shortRef(s) }))}
          onChange={system =>
            onFiltersChange({ ...filters, system: system || undefined })
          }
        />
        <FilterSelect
          id="glidepath-in-flight-environment"
          label="Environment"
          all="All environments"
          value={filters.environment ?? ''}
          options={options.environments.map(e => ({ value: e, label: e }))}
          onChange={environment =>
            onFiltersChange({
              ...filters,
              environment: environment || undefined,
            })
          }
        />
      </Box>
      {systems.error && (
        <Typography variant="body2" color="error" paragraph>
          Could not read the services' systems from the catalog:{' '}
          {systems.error.message}
        </Typography>
      )}
      <Table<ReleaseInFlight>
        title="Releases in flight"
        subtitle={`${filtered}${
          value.total
        } across the company right now, newest first${more}${
          // Said once when every release is simulated; else on the rows.
          note ? ` · ${note}` : ''
        }`}
        options={{
          paging: false,
          search: false,
          sorting: false,
          padding: 'dense',
        }}
        columns={columns}
        data={shown}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">
              No release in flight matches these filters.
            </Typography>
          </Box>
        }
      />
    </Box>
  );
}
