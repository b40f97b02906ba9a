import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useAsync from 'react-use/esm/useAsync';
import {
  Content,
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  glidepathReleaseControlPermission,
  type DrillTeamStats,
  type GameDay,
  type GameDayFault,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { describeRequestError } from '../../lib/actions';
import {
  FAULT_LABELS,
  formatSeconds,
  parseFollowUps,
  recoveryTrend,
  splitGameDays,
} from '../../lib/gameDays';
import { formatTime } from '../../lib/time';
import { ActorName } from '../ActorName';
import { SimulatedChip } from '../SimulatedChip';

/**
 * When something happened: the clock time for the injection, and for the
 * later steps how long after it ("+39s"), the clock time on hover.
 */
function Moment(props: { at: string | null; from: string | null }) {
  const { at, from } = props;
  if (!at) return <>—</>;
  const clock = new Date(at).toLocaleString();
  if (!from)
    return <span title={clock}>{new Date(at).toLocaleTimeString()}</span>;
  return (
    <span title={clock}>
      +{formatSeconds((Date.parse(at) - Date.parse(from)) / 1000)}
    </span>
  );
}

const STATE_LABELS: Record<string, string> = {
  waiting: 'Waiting for the next release',
  running: 'Running',
  recovered: 'Recovered',
  not_detected: 'Not detected',
  failed: 'Not rolled back',
  refused: 'Did not run',
  expired: 'No release carried it',
};

const GAME_DAY_STATES: Record<GameDay['state'], string> = {
  scheduled: 'upcoming',
  running: 'drills running',
  finished: 'finished',
};

function Held(props: { held: boolean | null }) {
  if (props.held === null) return <>—</>;
  return props.held ? (
    <Chip size="small" label="Held" style={{ background: '#d4edda' }} />
  ) : (
    <Chip size="small" label="Did not hold" style={{ background: '#f8d7da' }} />
  );
}

/** The timeline's cells: narrow padding, so that eight columns fit at 1024 px. */
const CELL = { padding: '6px 8px' };

/** Each fault of a game day: injected, detected, rolled back, healthy, notified. */
export function FaultTimeline(props: { faults: GameDayFault[] }) {
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table
        size="small"
        data-testid="glidepath-game-day-timeline"
        style={{ tableLayout: 'fixed', width: '100%' }}
      >
        <TableHead>
          <TableRow>
            <TableCell style={{ ...CELL, width: '16%' }}>Service</TableCell>
            <TableCell style={{ ...CELL, width: '10%' }}>Fault</TableCell>
            <TableCell style={{ ...CELL, width: '11%', whiteSpace: 'nowrap' }}>
              Injected
            </TableCell>
            <TableCell style={{ ...CELL, width: '11%', whiteSpace: 'nowrap' }}>
              Detected
            </TableCell>
            <TableCell style={{ ...CELL, width: '11%' }}>Rolled back</TableCell>
            <TableCell style={{ ...CELL, width: '11%', whiteSpace: 'nowrap' }}>
              Healthy
            </TableCell>
            <TableCell style={{ ...CELL, width: '11%' }}>
              Owners notified
            </TableCell>
            <TableCell style={{ ...CELL, width: '19%' }}>Hypothesis</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {props.faults.map((fault, i) => {
            const d = fault.drill;
            const from = d?.injectedAt ?? null;
            return (
              <TableRow key={i} data-testid="glidepath-game-day-fault">
                <TableCell style={CELL}>
                  <EntityRefLink
                    entityRef={fault.service}
                    defaultKind="component"
                    hideIcon
                    disableTooltip
                  />
                  <Typography
                    variant="caption"
                    display="block"
                    color="textSecondary"
                  >
                    {d?.environment ??
                      fault.environment ??
                      'default environment'}
                    {d?.version ? ` · ${d.version}` : ''}
                  </Typography>
                </TableCell>
                <TableCell style={CELL}>
                  {FAULT_LABELS[fault.fault]}
                  <Typography
                    variant="caption"
                    display="block"
                    color="textSecondary"
                  >
                    <span
                      style={{
                        whiteSpace:
                          d && !STATE_LABELS[d.state].includes(' ')
                            ? 'nowrap'
                            : undefined,
                      }}
                    >
                      {d ? STATE_LABELS[d.state] : 'At the game day’s time'}
                    </span>
                  </Typography>
                </TableCell>
                <TableCell style={CELL}>
                  <Moment at={from} from={null} />
                </TableCell>
                <TableCell style={CELL} data-testid="glidepath-game-day-detect">
                  <Moment at={d?.detectedAt ?? null} from={from} />
                </TableCell>
                <TableCell style={CELL}>
                  <Moment at={d?.rolledBackAt ?? null} from={from} />
                </TableCell>
                <TableCell
                  style={CELL}
                  data-testid="glidepath-game-day-recover"
                >
                  <Moment at={d?.healthyAt ?? null} from={from} />
                </TableCell>
                <TableCell style={CELL}>
                  <Moment at={d?.notifiedAt ?? null} from={from} />
                </TableCell>
                <TableCell style={CELL}>
                  <Held held={fault.hypothesis.held} />
                  {fault.hypothesis.reasons.map(r => (
                    <Typography
                      key={r}
                      variant="caption"
                      display="block"
                      color="textSecondary"
                    >
                      {r}
                    </Typography>
                  ))}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}

/** Whether the reader may write the game day's outcome, and why not. */
function useOutcomePermission(gameDay: GameDay): {
  allowed: boolean;
  loading: boolean;
} {
  const identityApi = useApi(identityApiRef);
  const permissionApi = useApi(permissionApiRef);
  const state = useAsync(async () => {
    const identity = await identityApi.getBackstageIdentity();
    if (identity.userEntityRef === gameDay.facilitator) return true;
    const decisions = await Promise.all(
      gameDay.services.map(resourceRef =>
        permissionApi.authorize({
          permission: glidepathReleaseControlPermission,
          resourceRef,
        }),
      ),
    );
    return (
      decisions.length > 0 &&
      // AuthorizeResult.ALLOW, without importing the permission package.
      decisions.every(d => String(d.result) === 'ALLOW')
    );
  }, [identityApi, permissionApi, gameDay.facilitator, gameDay.services]);
  return { allowed: state.value === true, loading: state.loading };
}

function OutcomeDialog(props: {
  gameDay: GameDay;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { gameDay } = props;
  const api = useApi(glidepathApiRef);
  const [learnt, setLearnt] = useState(gameDay.outcome?.learnt ?? '');
  const [followUps, setFollowUps] = useState(
    (gameDay.outcome?.followUps ?? [])
      .map(f => `${f.title} | ${f.url}`)
      .join('\n'),
  );
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const parsed = parseFollowUps(followUps);
  const problem = 'error' in parsed ? parsed.error : undefined;
  const save = async () => {
    if ('error' in parsed || !learnt.trim()) return;
    setSaving(true);
    setError(undefined);
    try {
      await api.setGameDayOutcome(gameDay.id, {
        learnt: learnt.trim(),
        followUps: parsed.followUps,
      });
      props.onSaved();
    } catch (e) {
      setError(describeRequestError(e as Error));
      setSaving(false);
    }
  };
  return (
    <Dialog
      open
      onClose={props.onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="glidepath-outcome-title"
    >
      <DialogTitle id="glidepath-outcome-title">
        Outcome of {gameDay.title}
      </DialogTitle>
      <DialogContent>
        <TextField
          id="glidepath-outcome-learnt"
          label="What was learnt"
          value={learnt}
          onChange={e => setLearnt(e.target.value)}
          multiline
          minRows={4}
          fullWidth
          required
          margin="dense"
          variant="outlined"
        />
        <TextField
          id="glidepath-outcome-follow-ups"
          label="Follow-ups"
          value={followUps}
          onChange={e => setFollowUps(e.target.value)}
          multiline
          minRows={3}
          fullWidth
          margin="dense"
          variant="outlined"
          error={Boolean(problem)}
          helperText={
            problem ??
            'One per line: a title, a bar, then its link (title | https://…)'
          }
        />
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={saving || Boolean(problem) || !learnt.trim()}
          onClick={save}
        >
          Save the outcome
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function Outcome(props: { gameDay: GameDay; onChanged: () => void }) {
  const { gameDay } = props;
  const [open, setOpen] = useState(false);
  const { allowed, loading } = useOutcomePermission(gameDay);
  const { outcome } = gameDay;
  return (
    <Box mt={2} data-testid="glidepath-game-day-outcome">
      <Typography variant="subtitle2">Outcome</Typography>
      {outcome ? (
        <>
          <Typography variant="body2" style={{ whiteSpace: 'pre-wrap' }}>
            {outcome.learnt}
          </Typography>
          {outcome.followUps.length > 0 && (
            <ul style={{ margin: '4px 0' }}>
              {outcome.followUps.map(f => (
                <li key={f.url}>
                  <Link href={f.url} target="_blank" rel="noopener">
                    {f.title}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <Typography variant="caption" color="textSecondary">
            Written by <ActorName actor={outcome.by} />,{' '}
            {formatTime(outcome.at)}
          </Typography>
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          Not written yet.
        </Typography>
      )}
      <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
        <Button
          size="small"
          variant="outlined"
          disabled={!allowed}
          onClick={() => setOpen(true)}
        >
          {outcome ? 'Edit the outcome' : 'Write the outcome'}
        </Button>
        {!allowed && !loading && (
          <Typography variant="caption" color="textSecondary">
            Only the facilitator or someone who may steer every service of the
            game day may write its outcome.
          </Typography>
        )}
      </Box>
      {open && (
        <OutcomeDialog
          gameDay={gameDay}
          onClose={() => setOpen(false)}
          onSaved={() => {
            setOpen(false);
            props.onChanged();
          }}
        />
      )}
    </Box>
  );
}

/** One game day: who, when, what, the timeline per fault and the outcome. */
export function GameDayCard(props: {
  gameDay: GameDay;
  onChanged: () => void;
}) {
  const { gameDay } = props;
  const simulated = gameDay.faults.some(f => f.drill?.simulated);
  return (
    <div data-testid="glidepath-game-day">
      <InfoCard
        title={gameDay.title}
        subheader={`${formatTime(gameDay.scheduledAt)} · ${
          GAME_DAY_STATES[gameDay.state]
        }`}
      >
        <div>
          <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={1}>
            <Typography variant="body2">
              Facilitator:{' '}
              <EntityRefLink
                entityRef={gameDay.facilitator}
                hideIcon
                disableTooltip
              />
            </Typography>
            {gameDay.participants.length > 0 && (
              <Typography variant="body2">
                Participants:{' '}
                {gameDay.participants.map((p, i) => (
                  <span key={p}>
                    {i > 0 && ', '}
                    <EntityRefLink entityRef={p} hideIcon disableTooltip />
                  </span>
                ))}
              </Typography>
            )}
            {simulated && <SimulatedChip />}
          </Box>
          <Typography variant="body2" paragraph>
            Hypothesis: “{gameDay.hypothesis}”
            {gameDay.hypothesisHeld !== null && (
              <>
                {' '}
                — <Held held={gameDay.hypothesisHeld} />
              </>
            )}
          </Typography>
          {gameDay.productionOverride && (
            <Alert severity="warning" style={{ marginBottom: 8 }}>
              Runs in production: allowed by{' '}
              <ActorName actor={gameDay.productionOverride.by} /> because “
              {gameDay.productionOverride.reason}”.
            </Alert>
          )}
          <FaultTimeline faults={gameDay.faults} />
          {gameDay.state !== 'scheduled' && (
            <Outcome gameDay={gameDay} onChanged={props.onChanged} />
          )}
        </div>
      </InfoCard>
    </div>
  );
}

/** Per team: its drills of the last 90 days, median times and their trend. */
export function TeamDrills(props: { teams: DrillTeamStats[] }) {
  if (!props.teams.length) {
    return (
      <EmptyState
        missing="data"
        title="No drills in the last 90 days"
        description="Drills appear here once a game day's faults ran, or a drill was scheduled on a service."
      />
    );
  }
  return (
    <InfoCard
      title="Drills per team, last 90 days"
      subheader="Time to detect: from the release carrying the fault to its first failing verdict. Time to recover: to the service healthy again."
    >
      <Box style={{ overflowX: 'auto' }}>
        <Table
          size="small"
          data-testid="glidepath-drill-teams"
          style={{
            tableLayout: 'fixed',
            width: '100%',
            wordBreak: 'break-word',
          }}
        >
          <TableHead>
            <TableRow>
              <TableCell>Team</TableCell>
              <TableCell align="right">Drills</TableCell>
              <TableCell align="right">Median time to detect</TableCell>
              <TableCell align="right">Median time to recover</TableCell>
              <TableCell>Trend (30-day periods)</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.teams.map(team => (
              <TableRow key={team.teamRef} data-testid="glidepath-drill-team">
                <TableCell>
                  {team.teamRef === 'unowned' ? (
                    'No owner'
                  ) : (
                    <EntityRefLink
                      entityRef={team.teamRef}
                      defaultKind="group"
                      hideIcon
                      disableTooltip
                    >
                      {team.teamTitle ?? undefined}
                    </EntityRefLink>
                  )}
                </TableCell>
                <TableCell align="right">{team.drills.length}</TableCell>
                <TableCell align="right">
                  {formatSeconds(team.medianDetectSeconds)}
                </TableCell>
                <TableCell align="right">
                  {formatSeconds(team.medianRecoverSeconds)}
                </TableCell>
                <TableCell>
                  {recoveryTrend(team.periods)}
                  <Typography
                    variant="caption"
                    display="block"
                    color="textSecondary"
                  >
                    {team.periods
                      .map(p =>
                        p.drills
                          ? `${p.drills} drill${
                              p.drills === 1 ? '' : 's'
                            }, ${formatSeconds(
                              p.medianDetectSeconds,
                            )} / ${formatSeconds(p.medianRecoverSeconds)}`
                          : 'none',
                      )
                      .join(' → ')}
                  </Typography>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </InfoCard>
  );
}

/**
 * The Game days page: upcoming and past game days with each fault's
 * timeline and the outcome, and per team the drills of the last 90 days.
 * @public
 */
export function GameDaysPage() {
  const api = useApi(glidepathApiRef);
  const gameDays = useAsyncRetry(() => api.listGameDays(), [api]);
  const teams = useAsync(() => api.getDrillTeamStats({ days: 90 }), [api]);
  const split = gameDays.value ? splitGameDays(gameDays.value.items) : null;
  return (
    <Content>
      <Typography variant="body1" color="textSecondary" paragraph>
        Game days practise releases going wrong: at its time each fault is
        injected into a service's next release, and Glidepath records when it
        was detected, rolled back, healthy again and the owners notified. Create
        one with the Release game day template.
      </Typography>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <Typography variant="h5" component="h2" gutterBottom>
            Game days
          </Typography>
          {gameDays.loading && !gameDays.value && <Progress />}
          {gameDays.error && <ResponseErrorPanel error={gameDays.error} />}
          {split && split.upcoming.length === 0 && split.past.length === 0 && (
            <EmptyState
              missing="content"
              title="No game days yet"
              description="Plan one with the Release game day template: its faults, services, hypothesis and facilitator."
            />
          )}
        </Grid>
        {split && split.upcoming.length > 0 && (
          <Grid item xs={12} data-testid="glidepath-game-days-upcoming">
            <Typography variant="h6" component="h3" gutterBottom>
              Upcoming
            </Typography>
            <Grid container spacing={2}>
              {split.upcoming.map(g => (
                <Grid item xs={12} key={g.id}>
                  <GameDayCard gameDay={g} onChanged={gameDays.retry} />
                </Grid>
              ))}
            </Grid>
          </Grid>
        )}
        {split && split.past.length > 0 && (
          <Grid item xs={12} data-testid="glidepath-game-days-past">
            <Typography variant="h6" component="h3" gutterBottom>
              Running and past
            </Typography>
            <Grid container spacing={2}>
              {split.past.map(g => (
                <Grid item xs={12} key={g.id}>
                  <GameDayCard gameDay={g} onChanged={gameDays.retry} />
                </Grid>
              ))}
            </Grid>
          </Grid>
        )}
        <Grid item xs={12}>
          {teams.loading && <Progress />}
          {teams.error && <ResponseErrorPanel error={teams.error} />}
          {teams.value && <TeamDrills teams={teams.value.teams} />}
        </Grid>
      </Grid>
    </Content>
  );
}
