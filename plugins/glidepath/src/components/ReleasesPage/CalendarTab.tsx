import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  FreezeWindow,
  ReleaseTrain,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { CalendarItem, viewerTimeZone } from '../../lib/calendar';
import {
  itemsPerDay,
  monthDays,
  ownedScopeRefs,
  scopeConcernsTeam,
  weekDays,
} from '../../lib/calendarGrid';
import { entityOwnerRef, shortRef } from '../../lib/entity';
import { useCalendarPageLink } from '../../hooks/usePlanLinks';

const useStyles = makeStyles(theme => ({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(7, minmax(0, 1fr))',
    border: `1px solid ${theme.palette.divider}`,
    borderRight: 'none',
    borderBottom: 'none',
  },
  head: {
    padding: theme.spacing(0.5, 1),
    borderRight: `1px solid ${theme.palette.divider}`,
    borderBottom: `1px solid ${theme.palette.divider}`,
    fontWeight: 500,
  },
  cell: {
    minHeight: 96,
    padding: theme.spacing(0.5),
    borderRight: `1px solid ${theme.palette.divider}`,
    borderBottom: `1px solid ${theme.palette.divider}`,
    minWidth: 0,
  },
  weekCell: {
    minHeight: 240,
  },
  outside: {
    background: theme.palette.background.default,
    color: theme.palette.text.secondary,
  },
  today: {
    boxShadow: `inset 0 0 0 2px ${theme.palette.primary.main}`,
  },
  item: {
    borderRadius: 4,
    padding: '1px 6px',
    marginTop: 2,
    fontSize: '0.75rem',
    lineHeight: 1.5,
    overflow: 'hidden',
    color: '#1b1b1b',
  },
  compact: {
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
  },
  // A window open across days, in the month view: one band across the
  // cells, its title on its first day and at the start of each week.
  fromBefore: {
    marginLeft: theme.spacing(-0.5),
    borderTopLeftRadius: 0,
    borderBottomLeftRadius: 0,
  },
  intoNext: {
    marginRight: theme.spacing(-0.5) - 1,
    borderTopRightRadius: 0,
    borderBottomRightRadius: 0,
  },
}));

const ITEM_BACKGROUND = {
  deny: '#f8d7da',
  allow: '#d4edda',
  train: '#d6e4f5',
};

function time(date: Date): string {
  return date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
  });
}

function sameDay(a: Date, b: Date): boolean {
  return a.toDateString() === b.toDateString();
}

/**
 * One train slot or freeze on a day: a coloured line, its details on hover.
 * In the month view (`compact`) a window open across days is a band: the
 * day's part of it runs to the cell's edges, and its title shows on its
 * first day and at the start of each week (`weekStart`), as calendars do.
 */
function DayItem(props: {
  item: CalendarItem;
  day: Date;
  compact: boolean;
  weekStart: boolean;
}) {
  const { item, day, compact, weekStart } = props;
  const classes = useStyles();
  if (item.type === 'train') {
    return (
      <div
        className={`${classes.item} ${compact ? classes.compact : ''}`}
        style={{ background: ITEM_BACKGROUND.train }}
        title={`Release train ${
          item.train.title
        }, ${item.start.toLocaleString()} (${item.train.timezone})`}
        data-testid="glidepath-calendar-grid-train"
      >
        {time(item.start)} {item.train.title}
      </div>
    );
  }
  const { window } = item;
  const starts = sameDay(item.start, day) ? `from ${time(item.start)} ` : '';
  const next = new Date(day);
  next.setDate(day.getDate() + 1);
  const ends = item.end < next ? `until ${time(item.end)} ` : '';
  const label = window.effect === 'deny' ? 'Freeze' : 'Release window';
  const fromBefore = compact && !starts;
  const intoNext = compact && !ends;
  const title = `${label} ${window.title}: ${
    window.reason
  }. ${item.start.toLocaleString()} to ${item.end.toLocaleString()}`;
  if (fromBefore && !weekStart) {
    // The band goes on: the same colour, the title once per week.
    return (
      <div
        className={[
          classes.item,
          classes.compact,
          classes.fromBefore,
          intoNext ? classes.intoNext : '',
        ].join(' ')}
        style={{ background: ITEM_BACKGROUND[window.effect] }}
        title={title}
        aria-label={`${label}: ${window.title} (continued)`}
        data-testid="glidepath-calendar-grid-window-continued"
      >
        {'\u00a0'}
      </div>
    );
  }
  return (
    <div
      className={[
        classes.item,
        compact ? classes.compact : '',
        fromBefore ? classes.fromBefore : '',
        intoNext ? classes.intoNext : '',
      ].join(' ')}
      style={{ background: ITEM_BACKGROUND[window.effect] }}
      title={title}
      data-testid="glidepath-calendar-grid-window"
    >
      {label}: {window.title}
      {!compact && (
        <>
          {' '}
          {starts}
          {ends}
          <Typography variant="caption" display="block">
            {window.reason}
          </Typography>
        </>
      )}
    </div>
  );
}

/** The windows and trains, and the owner of each system, domain or entity they name. */
function useCalendarData() {
  const api = useApi(glidepathApiRef);
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async () => {
    const [windows, trains, groups] = await Promise.all([
      api.listFreezeWindows(),
      api.listReleaseTrains(),
      catalogApi.getEntities({
        filter: { kind: 'group' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.profile.displayName',
        ],
      }),
    ]);
    const scopes = [...windows.items, ...trains.items].map(x => x.scope);
    const refs = ownedScopeRefs(scopes);
    const owners = new Map<string, string>();
    if (refs.length) {
      const { items } = await catalogApi.getEntitiesByRefs({
        entityRefs: refs,
        fields: ['kind', 'metadata', 'spec.owner', 'relations'],
      });
      items.forEach((entity, i) => {
        const owner = entity && entityOwnerRef(entity);
        if (owner) owners.set(refs[i], owner);
      });
    }
    const teams = groups.items
      .map(group => {
        const profile = group.spec?.profile as
          | { displayName?: string }
          | undefined;
        return {
          ref: stringifyEntityRef(group),
          label:
            profile?.displayName ?? group.metadata.title ?? group.metadata.name,
        };
      })
      .sort((a, b) => a.label.localeCompare(b.label));
    return {
      windows: windows.items as FreezeWindow[],
      trains: trains.items as ReleaseTrain[],
      owners,
      teams,
    };
  }, [api, catalogApi]);
}

/**
 * The release calendar as a month or a week: the release trains' slots and
 * the freeze windows on each day, for everyone or one team (the
 * organisation's and environments' ones, the team's own, and those of its
 * systems and services).
 */
export function CalendarTab(props: {
  team?: string;
  onTeamChange: (team: string | undefined) => void;
  now?: Date;
}) {
  const { team, onTeamChange } = props;
  const classes = useStyles();
  const data = useCalendarData();
  const [view, setView] = useState<'month' | 'week'>('month');
  const [anchor, setAnchor] = useState(() => props.now ?? new Date());
  const today = props.now ?? new Date();
  const manageLink = useCalendarPageLink()?.();

  const days = useMemo(
    () => (view === 'month' ? monthDays(anchor) : weekDays(anchor)),
    [view, anchor],
  );
  const perDay = useMemo(() => {
    if (!data.value) return [];
    const { windows, trains, owners } = data.value;
    const concerns = (scope: FreezeWindow['scope']) =>
      !team || scopeConcernsTeam(scope, team, owners);
    return itemsPerDay(
      windows.filter(w => concerns(w.scope)),
      trains.filter(t => concerns(t.scope)),
      days,
    );
  }, [data.value, days, team]);

  const move = (step: number) => {
    const next = new Date(anchor);
    if (view === 'month') next.setMonth(anchor.getMonth() + step, 1);
    else next.setDate(anchor.getDate() + 7 * step);
    setAnchor(next);
  };
  const heading =
    view === 'month'
      ? anchor.toLocaleDateString(undefined, { month: 'long', year: 'numeric' })
      : `Week of ${days[0].toLocaleDateString(undefined, {
          day: 'numeric',
          month: 'long',
          year: 'numeric',
        })}`;

  if (data.loading) return <Progress />;
  if (data.error || !data.value) {
    return (
      <ResponseErrorPanel
        title="Could not load the release calendar"
        error={data.error ?? new Error('No calendar was returned')}
      />
    );
  }
  const { windows, trains, teams } = data.value;
  return (
    <InfoCard
      title={heading}
      subheader={`Release trains and freezes; times in your timezone, ${viewerTimeZone()}`}
    >
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 16 }}
        mb={2}
      >
        <ButtonGroup size="small" aria-label="View">
          <Button
            variant={view === 'month' ? 'contained' : 'outlined'}
            color="primary"
            onClick={() => setView('month')}
            aria-pressed={view === 'month'}
          >
            Month
          </Button>
          <Button
            variant={view === 'week' ? 'contained' : 'outlined'}
            color="primary"
            onClick={() => setView('week')}
            aria-pressed={view === 'week'}
          >
            Week
          </Button>
        </ButtonGroup>
        <ButtonGroup size="small" aria-label="Move">
          <Button onClick={() => move(-1)}>
            {view === 'month' ? 'Previous month' : 'Previous week'}
          </Button>
          <Button onClick={() => setAnchor(new Date(today))}>Today</Button>
          <Button onClick={() => move(1)}>
            {view === 'month' ? 'Next month' : 'Next week'}
          </Button>
        </ButtonGroup>
        <TextField
          select
          id="glidepath-calendar-team"
          label="Team"
          value={team ?? ''}
          onChange={e => onTeamChange(e.target.value || undefined)}
          variant="outlined"
          size="small"
          style={{ minWidth: 220 }}
        >
          <MenuItem value="">Everyone</MenuItem>
          {teams.map(t => (
            <MenuItem key={t.ref} value={t.ref}>
              {t.label}
            </MenuItem>
          ))}
        </TextField>
        {manageLink && (
          <Link to={manageLink}>Freeze windows, trains and calendar feeds</Link>
        )}
      </Box>
      {windows.length === 0 && trains.length === 0 ? (
        <EmptyState
          missing="content"
          title="No freeze windows or release trains"
          description="Releases may go out at any time. Freeze windows and release trains are managed on the Calendar page."
        />
      ) : (
        <Box
          className={classes.grid}
          data-testid={`glidepath-calendar-${view}`}
          role="grid"
          aria-label={heading}
        >
          {days.slice(0, 7).map(day => (
            <div key={`head-${day.toISOString()}`} className={classes.head}>
              <Typography variant="caption" style={{ fontWeight: 500 }}>
                {day.toLocaleDateString(undefined, { weekday: 'short' })}
                {view === 'week' &&
                  ` ${day.toLocaleDateString(undefined, {
                    day: 'numeric',
                    month: 'short',
                  })}`}
              </Typography>
            </div>
          ))}
          {days.map((day, i) => {
            const items = perDay[i] ?? [];
            const outside =
              view === 'month' && day.getMonth() !== anchor.getMonth();
            const shown = view === 'month' ? items.slice(0, 3) : items;
            return (
              <div
                key={day.toISOString()}
                role="gridcell"
                aria-label={day.toDateString()}
                data-testid="glidepath-calendar-day"
                className={[
                  classes.cell,
                  view === 'week' ? classes.weekCell : '',
                  outside ? classes.outside : '',
                  sameDay(day, today) ? classes.today : '',
                ].join(' ')}
              >
                {view === 'month' && (
                  <Typography variant="caption">{day.getDate()}</Typography>
                )}
                {shown.map(item => (
                  <DayItem
                    key={item.id}
                    item={item}
                    day={day}
                    compact={view === 'month'}
                    weekStart={i % 7 === 0}
                  />
                ))}
                {items.length > shown.length && (
                  <Typography variant="caption" color="textSecondary">
                    +{items.length - shown.length} more
                  </Typography>
                )}
              </div>
            );
          })}
        </Box>
      )}
      {team && (
        <Typography
          variant="body2"
          color="textSecondary"
          style={{ marginTop: 8 }}
        >
          For {teams.find(t => t.ref === team)?.label ?? shortRef(team)}: the
          organisation's and environments' trains and freezes, the team's own,
          and those of its systems and services.
        </Typography>
      )}
    </InfoCard>
  );
}
