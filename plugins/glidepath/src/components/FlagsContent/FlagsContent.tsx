import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  EntityFlags,
  Flag,
  FlagAction,
  FlagSource,
  FlagState,
  glidepathReleaseControlPermission,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { entityName, entitySubject } from '../../lib/entity';
import {
  dateInputValue,
  DEFAULT_KEEP_DAYS,
  FLAG_STATE_LABELS,
  flagTypeLabel,
  formatFlagAge,
  keepUntilIso,
  lastEvaluatedText,
  summarizeFlagStates,
} from '../../lib/flags';
import { formatTime } from '../../lib/time';
import { ActorName } from '../ActorName';
import { AnnotationProblems } from '../ProviderNotices';
import { SimulatedChip } from '../SimulatedChip';

const useStyles = makeStyles(theme => ({
  table: {
    tableLayout: 'fixed',
    width: '100%',
    '& td, & th': {
      overflowWrap: 'break-word',
      verticalAlign: 'top',
      padding: theme.spacing(1, 0.5),
      fontSize: '0.8125rem',
    },
  },
  state: {
    display: 'inline-block',
    maxWidth: '100%',
    padding: theme.spacing(0.25, 1),
    borderRadius: 12,
    fontSize: '0.75rem',
    lineHeight: 1.5,
    border: `1px solid ${theme.palette.divider}`,
  },
  environments: { display: 'flex', flexDirection: 'column' },
  environment: { display: 'inline-flex', alignItems: 'center' },
  dot: {
    flexShrink: 0,
    width: 8,
    height: 8,
    borderRadius: 4,
    marginRight: theme.spacing(0.5),
    border: `1px solid ${theme.palette.text.secondary}`,
  },
  on: {
    backgroundColor: theme.palette.primary.main,
    borderColor: theme.palette.primary.main,
  },
  off: { backgroundColor: 'transparent' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
  stale: { backgroundColor: theme.palette.error.main, color: '#fff' },
  launched: { backgroundColor: theme.palette.warning.main, color: '#000' },
  inactive: { backgroundColor: theme.palette.warning.light, color: '#000' },
  due_soon: { backgroundColor: theme.palette.info.light, color: '#000' },
  fresh: { backgroundColor: theme.palette.success.main, color: '#fff' },
  permanent: {},
  destructive: {
    color: theme.palette.error.contrastText,
    backgroundColor: theme.palette.error.main,
    '&:hover': { backgroundColor: theme.palette.error.dark },
  },
}));

function errorText(error: Error): string {
  return ResponseError.is(error)
    ? error.cause?.message || error.message
    : error.message;
}

/** A flag's state as a badge that wraps in a narrow column. */
function StateBadge(props: { flag: Flag }) {
  const classes = useStyles();
  const { flag } = props;
  return (
    <Tooltip title={flag.stateReason}>
      <span
        className={`${classes.state} ${classes[flag.state as FlagState]}`}
        data-testid="glidepath-flag-state"
      >
        {FLAG_STATE_LABELS[flag.state]}
      </span>
    </Tooltip>
  );
}

function Environments(props: { flag: Flag }) {
  const classes = useStyles();
  return (
    <div className={classes.environments}>
      {props.flag.environments.map(env => (
        <Tooltip
          key={env.environment}
          title={`${env.environment}: ${env.enabled ? 'on' : 'off'}${
            env.summary ? ` — ${env.summary}` : ''
          }${
            env.lastEvaluatedAt
              ? `; last evaluated ${formatTime(env.lastEvaluatedAt)}`
              : ''
          }`}
        >
          <span
            className={classes.environment}
            data-testid="glidepath-flag-environment"
          >
            <span
              className={`${classes.dot} ${
                env.enabled ? classes.on : classes.off
              }`}
              aria-hidden
            />
            {env.environment} {env.enabled ? 'on' : 'off'}
          </span>
        </Tooltip>
      ))}
    </div>
  );
}

function KeepNote(props: { flag: Flag }) {
  const { keep } = props.flag;
  if (!keep) return null;
  return (
    <Typography
      variant="caption"
      display="block"
      color={keep.expired ? 'textSecondary' : 'textPrimary'}
      data-testid="glidepath-flag-keep"
    >
      {keep.expired ? 'Was kept' : 'Kept'} until {formatTime(keep.expiresAt)} by{' '}
      <ActorName actor={keep.decidedBy} />: “{keep.reason}”
    </Typography>
  );
}

type Decision = { kind: 'keep' | 'archive'; flag: Flag };

function DecisionDialog(props: {
  decision: Decision | null;
  entity: Entity;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { decision, entity, onClose, onDone } = props;
  const classes = useStyles();
  const api = useApi(glidepathApiRef);
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState(() =>
    dateInputValue(new Date(), DEFAULT_KEEP_DAYS),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!decision) return null;
  const { flag, kind } = decision;
  const untilIso = keepUntilIso(until);
  const ready = reason.trim().length > 0 && (kind === 'archive' || untilIso);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      if (kind === 'keep') {
        await api.keepFlag(entityName(entity), flag.id, {
          reason: reason.trim(),
          expiresAt: untilIso!,
        });
        onDone(`${flag.name} is kept until ${formatTime(untilIso!)}.`);
      } else {
        const action = await api.archiveFlag(entityName(entity), flag.id, {
          reason: reason.trim(),
        });
        onDone(action.message ?? `${flag.name} archived.`);
      }
      setReason('');
    } catch (e) {
      setError(errorText(e as Error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth>
      <DialogTitle>
        {kind === 'keep' ? `Keep ${flag.name}` : `Archive ${flag.name} now`}
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          {kind === 'keep'
            ? `The flag stays ${FLAG_STATE_LABELS[
                flag.state
              ].toLowerCase()}, but the automated cleanup leaves it alone until the date you choose. Say why, for whoever looks next.`
            : `Glidepath asks ${flag.provider} to archive ${
                flag.name
              } in every environment. Code that still reads it gets the provider's default for an unknown flag (usually off). ${
                flag.simulated ? 'This flag is simulated.' : ''
              }`}
        </DialogContentText>
        <TextField
          id="glidepath-flag-reason"
          label="Reason"
          value={reason}
          onChange={e => setReason(e.target.value)}
          required
          fullWidth
          multiline
          margin="dense"
          inputProps={{ maxLength: 1000 }}
        />
        {kind === 'keep' && (
          <TextField
            id="glidepath-flag-keep-until"
            label="Keep until"
            type="date"
            value={until}
            onChange={e => setUntil(e.target.value)}
            required
            margin="dense"
            InputLabelProps={{ shrink: true }}
          />
        )}
        {error && (
          <Alert severity="error" style={{ marginTop: 8 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          onClick={submit}
          disabled={!ready || busy}
          variant="contained"
          color={kind === 'keep' ? 'primary' : 'default'}
          className={kind === 'archive' ? classes.destructive : undefined}
          startIcon={busy ? <CircularProgress size={16} /> : undefined}
        >
          {kind === 'keep' ? 'Keep flag' : 'Archive flag'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function SourceNotices(props: { sources: FlagSource[] }) {
  return (
    <>
      {props.sources
        .filter(source => source.error)
        .map(source => (
          <WarningPanel
            key={`${source.provider}:${source.ref}`}
            severity="warning"
            defaultExpanded
            title={`Could not read the flags of ${source.provider}:${source.ref}`}
            message={`${source.error}${
              source.readAt
                ? ` Showing the flags as last read ${formatTime(
                    source.readAt,
                  )}.`
                : ''
            }`}
          />
        ))}
    </>
  );
}

/** What was decided, after who decided it: "kept x: “reason”". */
function actionSentence(action: FlagAction): string {
  if (action.status === 'failed') {
    return `tried to ${action.action} ${action.flagName}: “${
      action.reason
    }” — failed: ${action.message ?? 'no reason given'}`;
  }
  return `${action.action === 'keep' ? 'kept' : 'archived'} ${
    action.flagName
  }: “${action.reason}”`;
}

function RecentActions(props: { actions: FlagAction[] }) {
  if (props.actions.length === 0) return null;
  return (
    <Box mt={2} data-testid="glidepath-flag-actions">
      <Typography variant="subtitle2">Recent decisions</Typography>
      {props.actions.slice(0, 5).map(action => (
        <Typography key={action.id} variant="body2">
          {formatTime(action.at)}: <ActorName actor={action.actor} />{' '}
          {actionSentence(action)}
        </Typography>
      ))}
    </Box>
  );
}

/** The flags of an entity, with what can be decided about each. */
export function FlagsView(props: {
  entity: Entity;
  data: EntityFlags;
  onChanged: () => void;
}) {
  const { entity, data, onChanged } = props;
  const classes = useStyles();
  const [decision, setDecision] = useState<Decision | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { allowed, loading } = usePermission({
    permission: glidepathReleaseControlPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const archivable = new Map(
    data.sources.map(s => [s.provider, s.canArchive] as const),
  );
  const refusal =
    !loading && !allowed
      ? `Only people who may steer this ${entitySubject(
          entity,
        )}'s releases can keep or archive its flags.`
      : undefined;
  const simulated = data.sources.some(s => s.simulated);

  return (
    <>
      <AnnotationProblems problems={data.problems} />
      <SourceNotices sources={data.sources} />
      <InfoCard
        title={
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            Feature flags {simulated && <SimulatedChip />}
          </Box>
        }
        subheader={summarizeFlagStates(data.flags)}
      >
        {notice && (
          <Alert
            severity="success"
            onClose={() => setNotice(null)}
            style={{ marginBottom: 8 }}
          >
            {notice}
          </Alert>
        )}
        {refusal && (
          <Typography variant="body2" color="textSecondary" paragraph>
            {refusal}
          </Typography>
        )}
        {data.flags.length === 0 ? (
          <EmptyState
            missing="data"
            title="No feature flags"
            description="The providers named in glidepath.dev/flags list no flags for this entity."
          />
        ) : (
          <Table
            size="small"
            className={classes.table}
            data-testid="glidepath-flags"
          >
            <TableHead>
              <TableRow>
                <TableCell style={{ width: '22%' }}>Flag</TableCell>
                <TableCell style={{ width: '12%' }}>Type</TableCell>
                <TableCell style={{ width: '7%' }}>Age</TableCell>
                <TableCell style={{ width: '16%' }}>Environments</TableCell>
                <TableCell style={{ width: '13%' }}>Last evaluated</TableCell>
                <TableCell style={{ width: '13%' }}>State</TableCell>
                <TableCell style={{ width: '17%' }}>Decide</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.flags.map(flag => {
                const canArchive = archivable.get(flag.provider) ?? false;
                return (
                  <TableRow key={flag.id} data-testid="glidepath-flag-row">
                    <TableCell>
                      <Typography variant="body2">
                        <strong>{flag.name}</strong>
                      </Typography>
                      {flag.project && (
                        <Typography variant="caption" color="textSecondary">
                          {flag.provider} · {flag.project}
                        </Typography>
                      )}
                      <KeepNote flag={flag} />
                    </TableCell>
                    <TableCell>{flagTypeLabel(flag)}</TableCell>
                    <TableCell>
                      <Tooltip
                        title={`Created ${formatTime(flag.createdAt)}${
                          flag.createdBy ? ` by ${flag.createdBy}` : ''
                        }`}
                      >
                        <span>{formatFlagAge(flag.ageDays)}</span>
                      </Tooltip>
                    </TableCell>
                    <TableCell>
                      <Environments flag={flag} />
                    </TableCell>
                    <TableCell>{lastEvaluatedText(flag, formatTime)}</TableCell>
                    <TableCell>
                      <StateBadge flag={flag} />
                    </TableCell>
                    <TableCell>
                      <div className={classes.actions}>
                        <Button
                          size="small"
                          variant="outlined"
                          disabled={Boolean(refusal) || loading}
                          onClick={() => setDecision({ kind: 'keep', flag })}
                        >
                          Keep
                        </Button>
                        <Tooltip
                          title={
                            canArchive
                              ? ''
                              : `${flag.provider} cannot archive flags from Glidepath`
                          }
                        >
                          <span>
                            <Button
                              size="small"
                              variant="outlined"
                              disabled={
                                Boolean(refusal) || loading || !canArchive
                              }
                              onClick={() =>
                                setDecision({ kind: 'archive', flag })
                              }
                            >
                              Archive
                            </Button>
                          </span>
                        </Tooltip>
                      </div>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
        <RecentActions actions={data.actions} />
      </InfoCard>
      <DecisionDialog
        decision={decision}
        entity={entity}
        onClose={() => {
          setDecision(null);
          onChanged();
        }}
        onDone={message => {
          setDecision(null);
          setNotice(message);
          onChanged();
        }}
      />
    </>
  );
}

/** The Feature flags tab of an entity page. */
export function FlagsContent() {
  const { entity } = useEntity();
  const api = useApi(glidepathApiRef);
  const key = stringifyEntityRef(entity);
  const state = useAsyncRetry(
    () => api.getEntityFlags(entityName(entity)),
    [api, key],
  );
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  if (!state.value) return null;
  return (
    <div data-testid="glidepath-flags-content">
      <FlagsView entity={entity} data={state.value} onChanged={state.retry} />
    </div>
  );
}
