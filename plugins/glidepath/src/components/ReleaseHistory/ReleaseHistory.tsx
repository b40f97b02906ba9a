import { useMemo, useState } from 'react';
import { Entity } from '@backstage/catalog-model';
import {
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import {
  phaseLabel,
  Release,
  ReleaseEvent,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { useReleaseDetail } from '../../hooks/useReleaseDetail';
import { entityName } from '../../lib/entity';
import { elapsed, formatTime } from '../../lib/time';
import { strategyLabel, versionChange } from '../../lib/releases';
import { ActorName } from '../ActorName';
import { ReleasePhaseStatus } from '../ReleaseStatus';
import { ReleaseAnalysis } from '../AnalysisPanel';

/** How many older releases one "Load more" fetches. */
export const HISTORY_PAGE_SIZE = 20;

const nowrap = { whiteSpace: 'nowrap' } as const;

/**
 * Five columns, so that the table fits its card at 1024 px: where and how a
 * release went sit under its version, its duration under its start.
 */
const columns: TableColumn<Release>[] = [
  {
    title: 'Version',
    render: row => (
      <>
        <div style={nowrap}>{versionChange(row)}</div>
        <Typography variant="caption" color="textSecondary">
          {row.environment} · {strategyLabel(row.strategy)}
        </Typography>
      </>
    ),
  },
  {
    title: 'Phase',
    cellStyle: nowrap,
    render: row => <ReleasePhaseStatus phase={row.phase} />,
  },
  {
    title: 'Started',
    render: row => (
      <>
        <div>{formatTime(row.startedAt)}</div>
        <Typography variant="caption" color="textSecondary">
          {row.finishedAt
            ? `took ${elapsed(row.startedAt, row.finishedAt)}`
            : `${elapsed(row.startedAt, null)} so far`}
        </Typography>
      </>
    ),
  },
  {
    title: 'Started by',
    render: row => <ActorName actor={row.startedBy} />,
  },
];

function describeEvent(event: ReleaseEvent): string {
  const parts: string[] = [];
  if (event.type === 'created') {
    parts.push(`Created as ${phaseLabel(event.toPhase)}`);
  } else if (event.type === 'phase_changed') {
    parts.push(
      event.fromPhase
        ? `${phaseLabel(event.fromPhase)} → ${phaseLabel(event.toPhase)}`
        : phaseLabel(event.toPhase),
    );
  } else {
    parts.push(
      event.stepIndex === null ? 'Step changed' : `Step ${event.stepIndex + 1}`,
    );
  }
  parts.push(`traffic ${event.canaryWeight}%`);
  return parts.join(' · ');
}

/** A release's observed changes. */
function ReleaseEvents(props: { events: ReleaseEvent[] }) {
  const { events } = props;
  if (events.length === 0) {
    return <Typography variant="body2">No changes recorded.</Typography>;
  }
  return (
    <List dense aria-label="Release events">
      {events.map(event => (
        <ListItem key={event.id}>
          <ListItemText
            primary={describeEvent(event)}
            secondary={`${formatTime(event.occurredAt)}${
              event.message ? ` — ${event.message}` : ''
            }`}
          />
        </ListItem>
      ))}
    </List>
  );
}

/**
 * A release's observed changes and its canary analysis, loaded when its row
 * is opened.
 */
export function ReleaseDetails(props: { release: Release }) {
  const { release } = props;
  const state = useReleaseDetail(release.id, release.entityRef);
  if (state.loading) return <Progress />;
  if (!state.detail) {
    return (
      <ResponseErrorPanel
        error={state.error ?? new Error('No release detail was returned')}
      />
    );
  }
  return (
    // Zero width, at least the cell's: the row's details take the table's
    // width instead of widening the table to their own (charts measure their
    // container, and a wide evidence table scrolls inside).
    <Box
      p={2}
      style={{ width: 0, minWidth: '100%', boxSizing: 'border-box' }}
      data-testid={`glidepath-release-details-${release.id}`}
    >
      <Typography variant="subtitle1" component="h3">
        Changes
      </Typography>
      <ReleaseEvents events={state.detail.events} />
      <Box mt={2}>
        <Typography variant="subtitle1" component="h3" gutterBottom>
          Canary analysis
        </Typography>
        <ReleaseAnalysis state={state} />
      </Box>
    </Box>
  );
}

/**
 * The entity's releases, newest first: the summary's recent ones, then
 * older pages on demand. Opening a row shows its changes and analysis.
 * With several `environments`, a filter shows one environment's history
 * (`environment`, undefined for all; `onEnvironmentChange` when chosen).
 */
export function ReleaseHistory(props: {
  entity: Entity;
  recent: Release[];
  environments?: string[];
  environment?: string;
  onEnvironmentChange?: (environment: string | undefined) => void;
}) {
  const { entity, environments = [], environment } = props;
  const api = useApi(glidepathApiRef);
  const [older, setOlder] = useState<Release[]>([]);
  // undefined: not asked yet; null: no more pages.
  const [cursor, setCursor] = useState<string | null | undefined>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [loadError, setLoadError] = useState<Error>();

  // Another environment: its pages start again (set while rendering, so
  // that the other environment's pages never show).
  const [pagesOf, setPagesOf] = useState(environment);
  if (pagesOf !== environment) {
    setPagesOf(environment);
    setOlder([]);
    setCursor(undefined);
    setLoadError(undefined);
  }

  const recent = useMemo(
    () =>
      environment === undefined
        ? props.recent
        : props.recent.filter(r => r.environment === environment),
    [props.recent, environment],
  );
  const rows = useMemo(() => {
    const seen = new Set(recent.map(r => r.id));
    return [...recent, ...older.filter(r => !seen.has(r.id))];
  }, [recent, older]);

  const only = environment === undefined ? {} : { environment };
  const loadMore = async () => {
    setLoadingMore(true);
    setLoadError(undefined);
    try {
      // The summary's recent releases are the first page; the first request
      // asks for them again plus one page, later ones follow the cursor.
      const page =
        cursor === undefined
          ? await api.listEntityReleases(entityName(entity), {
              limit: Math.min(100, recent.length + HISTORY_PAGE_SIZE),
              ...only,
            })
          : await api.listEntityReleases(entityName(entity), {
              limit: HISTORY_PAGE_SIZE,
              cursor: cursor ?? undefined,
              ...only,
            });
      setOlder(previous => {
        const seen = new Set(previous.map(r => r.id));
        return [...previous, ...page.items.filter(r => !seen.has(r.id))];
      });
      setCursor(page.nextCursor);
    } catch (e) {
      setLoadError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  const exhausted = cursor === null;
  return (
    <>
      {environments.length > 1 && (
        <Box display="flex" justifyContent="flex-end" mb={1}>
          <TextField
            select
            size="small"
            variant="outlined"
            label="Environment"
            value={environment ?? ''}
            onChange={event =>
              props.onEnvironmentChange?.(event.target.value || undefined)
            }
            SelectProps={{ displayEmpty: true }}
            InputLabelProps={{ shrink: true }}
            style={{ minWidth: 200 }}
            inputProps={{ 'data-testid': 'glidepath-history-environment' }}
          >
            <MenuItem value="">All environments</MenuItem>
            {environments.map(name => (
              <MenuItem key={name} value={name}>
                {name}
              </MenuItem>
            ))}
          </TextField>
        </Box>
      )}
      <Table<Release>
        title={
          environment === undefined
            ? 'Release history'
            : `Release history: ${environment}`
        }
        columns={columns}
        data={rows}
        options={{ paging: false, search: false, padding: 'dense' }}
        detailPanel={[
          {
            tooltip: 'Show changes and analysis',
            render: ({ rowData }) => (
              <ReleaseDetails release={rowData as Release} />
            ),
          },
        ]}
        emptyContent={
          <Box p={2}>
            <Typography variant="body2">No releases yet.</Typography>
          </Box>
        }
      />
      {loadError && <ResponseErrorPanel error={loadError} />}
      <Box mt={1} display="flex" justifyContent="center">
        {exhausted ? (
          <Typography variant="body2" color="textSecondary">
            No older releases.
          </Typography>
        ) : (
          rows.length > 0 && (
            <Button
              onClick={loadMore}
              disabled={loadingMore}
              data-testid="glidepath-history-load-more"
            >
              {loadingMore ? 'Loading…' : 'Load more'}
            </Button>
          )
        )}
      </Box>
    </>
  );
}
