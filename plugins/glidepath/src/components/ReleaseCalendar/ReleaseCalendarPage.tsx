import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Content,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import MenuItem from '@material-ui/core/MenuItem';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  CalendarScope,
  FreezeWindow,
  FreezeWindowRequest,
  glidepathCalendarManagePermission,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { describeRequestError } from '../../lib/actions';
import {
  CalendarItem,
  calendarWeeks,
  describeWindowRule,
  formatCalendarTime,
  viewerTimeZone,
} from '../../lib/calendar';
import { newIdempotencyKey } from '../../lib/idempotencyKey';

/** The kind a scope's ref has when it does not say. */
const REF_DEFAULT_KIND: Record<string, string> = {
  owner: 'group',
  entity: 'component',
};

/** A scope as people read it: names link to the catalog. */
export function ScopeText(props: { scope: CalendarScope }) {
  const { scope } = props;
  if (scope.kind === 'organisation') return <>Whole organisation</>;
  if (scope.kind === 'environment') {
    return <>{`Environment ${scope.name}`}</>;
  }
  return (
    <>
      {`${scope.kind[0].toUpperCase()}${scope.kind.slice(1)} `}
      <EntityRefLink
        entityRef={scope.ref!}
        defaultKind={REF_DEFAULT_KIND[scope.kind] ?? scope.kind}
        hideIcon
        disableTooltip
      />
    </>
  );
}

const EFFECT_CHIP: Record<string, { label: string; background: string }> = {
  deny: { label: 'Freeze', background: '#f8d7da' },
  allow: { label: 'Release window', background: '#d4edda' },
  train: { label: 'Train', background: '#d6e4f5' },
};

function ItemRow(props: { item: CalendarItem; viewer: string }) {
  const { item, viewer } = props;
  const chip =
    EFFECT_CHIP[item.type === 'train' ? 'train' : item.window.effect];
  const zone =
    item.type === 'train' ? item.train.timezone : item.window.timezone;
  return (
    <TableRow data-testid="glidepath-calendar-item">
      <TableCell style={{ width: '30%' }}>
        {formatCalendarTime(item.start.toISOString(), zone, viewer)}
        {item.type === 'window' && (
          <Typography variant="caption" display="block" color="textSecondary">
            until {formatCalendarTime(item.end.toISOString(), zone, viewer)}
          </Typography>
        )}
      </TableCell>
      <TableCell style={{ width: '14%' }}>
        <Chip
          size="small"
          label={chip.label}
          style={{ background: chip.background }}
        />
      </TableCell>
      <TableCell>
        <Typography variant="body2" style={{ fontWeight: 500 }}>
          {item.type === 'train' ? item.train.title : item.window.title}
        </Typography>
        {item.type === 'window' && (
          <Typography variant="body2" color="textSecondary">
            {item.window.reason}
          </Typography>
        )}
      </TableCell>
      <TableCell style={{ width: '24%' }}>
        <ScopeText
          scope={item.type === 'train' ? item.train.scope : item.window.scope}
        />
      </TableCell>
    </TableRow>
  );
}

function weekTitle(start: Date, index: number): string {
  const day = start.toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  });
  return index === 0 ? `From today, ${day}` : `From ${day}`;
}

/** The feeds calendar apps can subscribe to: the organisation's and the reader's teams'. */
function FeedLinks() {
  const api = useApi(glidepathApiRef);
  const identityApi = useApi(identityApiRef);
  const links = useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    const teams = identity.ownershipEntityRefs.filter(ref =>
      ref.startsWith('group:'),
    );
    return Promise.all([
      api
        .getCalendarFeedLink()
        .then(link => ({ owner: undefined as string | undefined, ...link })),
      ...teams.map(owner =>
        api.getCalendarFeedLink({ owner }).then(link => ({ owner, ...link })),
      ),
    ]);
  }, [api, identityApi]);
  return (
    <InfoCard title="Subscribe in your calendar">
      {links.loading && <Progress />}
      {links.error && (
        <ResponseErrorPanel
          title="Could not load the feed links"
          error={links.error}
        />
      )}
      {links.value && (
        <Box data-testid="glidepath-calendar-feeds">
          <Typography variant="body2" paragraph>
            {links.value[0].subscribable
              ? 'Add these links to Google Calendar ("From URL"), Outlook ("Subscribe from web") or Apple Calendar. Each link opens only its own feed; keep it to yourself.'
              : 'These feeds need a Backstage token, so calendar apps cannot subscribe to them: an administrator can enable feed links with glidepath.calendar.feeds.secret.'}
          </Typography>
          {links.value.map(link => (
            <Box
              key={link.owner ?? 'organisation'}
              display="flex"
              flexWrap="wrap"
              alignItems="baseline"
              style={{ gap: 8 }}
              mb={1}
            >
              <Typography variant="body2" style={{ fontWeight: 500 }}>
                {link.owner ? (
                  <EntityRefLink
                    entityRef={link.owner}
                    hideIcon
                    disableTooltip
                  />
                ) : (
                  'Whole organisation'
                )}
              </Typography>
              <Link
                href={link.url}
                variant="body2"
                style={{ wordBreak: 'break-all' }}
              >
                {link.url}
              </Link>
            </Box>
          ))}
        </Box>
      )}
    </InfoCard>
  );
}

const SCOPE_KINDS: CalendarScope['kind'][] = [
  'organisation',
  'environment',
  'domain',
  'system',
  'owner',
  'entity',
];

/** The dialog that adds a freeze window; the server's 400 is shown as it is. */
export function AddWindowDialog(props: {
  open: boolean;
  onClose: () => void;
  onAdded: () => void;
}) {
  const api = useApi(glidepathApiRef);
  const [form, setForm] = useState({
    title: '',
    effect: 'deny' as 'deny' | 'allow',
    reason: '',
    timezone: viewerTimeZone(),
    start: '',
    recurring: false,
    end: '',
    rrule: 'FREQ=WEEKLY;BYDAY=FR',
    durationMinutes: '60',
    scopeKind: 'organisation' as CalendarScope['kind'],
    scopeValue: '',
  });
  const [key, setKey] = useState(newIdempotencyKey);
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const set =
    (field: keyof typeof form) => (event: { target: { value: unknown } }) => {
      setForm(f => ({ ...f, [field]: event.target.value }));
      setKey(newIdempotencyKey());
    };

  const submit = async () => {
    let scope: CalendarScope = { kind: form.scopeKind };
    if (form.scopeKind === 'environment') {
      scope = { kind: 'environment', name: form.scopeValue.trim() };
    } else if (form.scopeKind !== 'organisation') {
      scope = { kind: form.scopeKind, ref: form.scopeValue.trim() };
    }
    const request: FreezeWindowRequest = {
      title: form.title.trim(),
      effect: form.effect,
      reason: form.reason.trim(),
      timezone: form.timezone.trim(),
      start: form.start,
      scope,
      ...(form.recurring
        ? {
            rrule: form.rrule.trim(),
            durationMinutes: Number(form.durationMinutes),
          }
        : { end: form.end }),
    };
    setSaving(true);
    setError(undefined);
    try {
      await api.createFreezeWindow(request, { idempotencyKey: key });
      setKey(newIdempotencyKey());
      props.onAdded();
      props.onClose();
    } catch (e) {
      setError(describeRequestError(e as Error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>Add a freeze window</DialogTitle>
      <DialogContent>
        <Grid container spacing={2}>
          <Grid item xs={12} sm={8}>
            <TextField
              id="glidepath-window-title"
              label="Title"
              value={form.title}
              onChange={set('title')}
              fullWidth
              required
            />
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              select
              id="glidepath-window-effect"
              label="Effect"
              value={form.effect}
              onChange={set('effect')}
              fullWidth
            >
              <MenuItem value="deny">Freeze (deny)</MenuItem>
              <MenuItem value="allow">Release window (allow)</MenuItem>
            </TextField>
          </Grid>
          <Grid item xs={12}>
            <TextField
              id="glidepath-window-reason"
              label="Reason"
              helperText="Shown wherever the freeze refuses a release"
              value={form.reason}
              onChange={set('reason')}
              fullWidth
              required
            />
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              select
              id="glidepath-window-scope-kind"
              label="Applies to"
              value={form.scopeKind}
              onChange={set('scopeKind')}
              fullWidth
            >
              {SCOPE_KINDS.map(kind => (
                <MenuItem key={kind} value={kind}>
                  {kind}
                </MenuItem>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={8}>
            <TextField
              id="glidepath-window-scope"
              label={
                form.scopeKind === 'environment'
                  ? 'Environment name'
                  : 'Entity ref'
              }
              placeholder={
                form.scopeKind === 'environment'
                  ? 'production'
                  : `${
                      form.scopeKind === 'owner' ? 'group' : form.scopeKind
                    }:default/name`
              }
              value={form.scopeValue}
              onChange={set('scopeValue')}
              disabled={form.scopeKind === 'organisation'}
              fullWidth
            />
          </Grid>
          <Grid item xs={12} sm={6}>
            <TextField
              id="glidepath-window-timezone"
              label="Timezone"
              helperText="IANA name, e.g. Europe/Berlin"
              value={form.timezone}
              onChange={set('timezone')}
              fullWidth
              required
            />
          </Grid>
          <Grid item xs={12} sm={6}>
            <TextField
              select
              id="glidepath-window-repeats"
              label="Repeats"
              value={form.recurring ? 'yes' : 'no'}
              onChange={e =>
                setForm(f => ({ ...f, recurring: e.target.value === 'yes' }))
              }
              fullWidth
            >
              <MenuItem value="no">Once</MenuItem>
              <MenuItem value="yes">By a rule (RRULE)</MenuItem>
            </TextField>
          </Grid>
          <Grid item xs={12} sm={6}>
            <TextField
              id="glidepath-window-start"
              label="Starts (local time)"
              type="datetime-local"
              value={form.start}
              onChange={set('start')}
              InputLabelProps={{ shrink: true }}
              fullWidth
              required
            />
          </Grid>
          {form.recurring ? (
            <>
              <Grid item xs={12} sm={6}>
                <TextField
                  id="glidepath-window-duration"
                  label="Each lasts (minutes)"
                  type="number"
                  value={form.durationMinutes}
                  onChange={set('durationMinutes')}
                  fullWidth
                />
              </Grid>
              <Grid item xs={12}>
                <TextField
                  id="glidepath-window-rrule"
                  label="Rule"
                  helperText="RFC 5545, e.g. FREQ=WEEKLY;BYDAY=FR from the start"
                  value={form.rrule}
                  onChange={set('rrule')}
                  fullWidth
                />
              </Grid>
            </>
          ) : (
            <Grid item xs={12} sm={6}>
              <TextField
                id="glidepath-window-end"
                label="Ends (local time)"
                type="datetime-local"
                value={form.end}
                onChange={set('end')}
                InputLabelProps={{ shrink: true }}
                fullWidth
              />
            </Grid>
          )}
        </Grid>
        {error && (
          <Alert
            severity="error"
            style={{ marginTop: 16 }}
            data-testid="glidepath-window-error"
          >
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={submit}
          disabled={
            saving || !form.title.trim() || !form.reason.trim() || !form.start
          }
        >
          Add window
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function DeleteWindowDialog(props: {
  window: FreezeWindow | undefined;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const api = useApi(glidepathApiRef);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { window } = props;
  return (
    <Dialog open={Boolean(window)} onClose={props.onClose}>
      <DialogTitle>Delete {window?.title}?</DialogTitle>
      <DialogContent>
        <Typography variant="body2">
          {window?.effect === 'deny'
            ? 'Releases this freeze holds may go on at once.'
            : 'Releases are no longer limited to this window.'}{' '}
          Feeds drop it at their next refresh.
        </Typography>
        {error && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await api.deleteFreezeWindow(window!.id);
              props.onDeleted();
              props.onClose();
            } catch (e) {
              setError(describeRequestError(e as Error));
            } finally {
              setBusy(false);
            }
          }}
        >
          Delete
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * The Release calendar page: the freeze windows and release trains of the
 * next four weeks, week by week, with their scope and reason; the
 * iCalendar feeds; and, for those who may manage the calendar, adding and
 * deleting freeze windows.
 */
export function ReleaseCalendarPage() {
  const api = useApi(glidepathApiRef);
  const data = useAsyncRetry(async () => {
    const [windows, trains] = await Promise.all([
      api.listFreezeWindows(),
      api.listReleaseTrains(),
    ]);
    return { windows: windows.items, trains: trains.items };
  }, [api]);
  const manage = usePermission({
    permission: glidepathCalendarManagePermission,
  });
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<FreezeWindow>();
  const viewer = viewerTimeZone();
  const weeks = useMemo(
    () =>
      data.value
        ? calendarWeeks(data.value.windows, data.value.trains, new Date())
        : [],
    [data.value],
  );
  let cannotManage: string | undefined;
  if (manage.loading) cannotManage = 'Checking your permission…';
  else if (!manage.allowed) {
    cannotManage =
      'Only those allowed to manage the release calendar (glidepath.calendar.manage) can add or delete windows.';
  }

  return (
    <Content>
      <Typography variant="body1" color="textSecondary" paragraph>
        Freeze windows stop promotes and resumes while they are open (rollbacks
        are never blocked); release trains are the slots releases leave on.
        Times are in your timezone, {viewer}, and in the window's own when it
        differs.
      </Typography>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Box
            display="flex"
            alignItems="center"
            flexWrap="wrap"
            style={{ gap: 16 }}
          >
            <Button
              variant="contained"
              color="primary"
              disabled={Boolean(cannotManage)}
              onClick={() => setAdding(true)}
            >
              Add freeze window
            </Button>
            {cannotManage && (
              <Typography variant="body2" color="textSecondary">
                {cannotManage}
              </Typography>
            )}
          </Box>
        </Grid>
        <Grid item xs={12}>
          {data.loading && !data.value && <Progress />}
          {data.error && (
            <ResponseErrorPanel
              title="Could not load the release calendar"
              error={data.error}
            />
          )}
          {data.value &&
            data.value.windows.length === 0 &&
            data.value.trains.length === 0 && (
              <EmptyState
                missing="content"
                title="No freeze windows or release trains"
                description="Releases may go out at any time. Add a freeze window for a holiday, an incident or the weekend."
              />
            )}
        </Grid>
        {data.value &&
          (data.value.windows.length > 0 || data.value.trains.length > 0) && (
            <Grid item xs={12} data-testid="glidepath-calendar-weeks">
              <InfoCard title="The next four weeks">
                {weeks.map((week, i) => (
                  <Box key={week.start.toISOString()} mb={2}>
                    <Typography variant="h6" component="h3">
                      {weekTitle(week.start, i)}
                    </Typography>
                    {week.items.length === 0 ? (
                      <Typography variant="body2" color="textSecondary">
                        Nothing this week.
                      </Typography>
                    ) : (
                      <Table
                        size="small"
                        style={{ tableLayout: 'fixed', width: '100%' }}
                      >
                        <TableBody>
                          {week.items.map(item => (
                            <ItemRow
                              key={item.id}
                              item={item}
                              viewer={viewer}
                            />
                          ))}
                        </TableBody>
                      </Table>
                    )}
                  </Box>
                ))}
              </InfoCard>
            </Grid>
          )}
        {data.value && data.value.windows.length > 0 && (
          <Grid item xs={12}>
            <InfoCard title="Freeze windows">
              <Box style={{ overflowX: 'auto' }}>
                <Table
                  size="small"
                  data-testid="glidepath-calendar-windows"
                  style={{
                    tableLayout: 'fixed',
                    width: '100%',
                    wordBreak: 'break-word',
                  }}
                >
                  <TableHead>
                    <TableRow>
                      <TableCell>Window</TableCell>
                      <TableCell>When</TableCell>
                      <TableCell>Applies to</TableCell>
                      <TableCell style={{ width: 110 }} />
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {data.value.windows.map(w => (
                      <TableRow key={w.id}>
                        <TableCell>
                          <Chip
                            size="small"
                            label={EFFECT_CHIP[w.effect].label}
                            style={{
                              background: EFFECT_CHIP[w.effect].background,
                              marginRight: 8,
                            }}
                          />
                          <b>{w.title}</b>
                          <Typography variant="body2" color="textSecondary">
                            {w.reason}
                          </Typography>
                        </TableCell>
                        <TableCell>{describeWindowRule(w)}</TableCell>
                        <TableCell>
                          <ScopeText scope={w.scope} />
                        </TableCell>
                        <TableCell>
                          {w.definedIn ? (
                            <Typography variant="caption" color="textSecondary">
                              Kept in app-config: change it there
                            </Typography>
                          ) : (
                            <Button
                              size="small"
                              disabled={Boolean(cannotManage)}
                              title={cannotManage}
                              onClick={() => setDeleting(w)}
                            >
                              Delete
                            </Button>
                          )}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </Box>
            </InfoCard>
          </Grid>
        )}
        <Grid item xs={12}>
          <FeedLinks />
        </Grid>
      </Grid>
      <AddWindowDialog
        open={adding}
        onClose={() => setAdding(false)}
        onAdded={data.retry}
      />
      <DeleteWindowDialog
        window={deleting}
        onClose={() => setDeleting(undefined)}
        onDeleted={data.retry}
      />
    </Content>
  );
}
