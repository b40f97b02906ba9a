import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { Plan, PlanMember } from '@glidepath/backstage-plugin-common';
import { shortRef } from '../../lib/entity';
import {
  isPlanActive,
  membersByWave,
  readableRefs,
  WAVE_STATE,
} from '../../lib/plans';
import { formatTime } from '../../lib/time';
import { MemberStateStatus } from './PlanStatus';

const useStyles = makeStyles(theme => ({
  columns: {
    display: 'flex',
    gap: theme.spacing(2),
    overflowX: 'auto',
    paddingBottom: theme.spacing(1),
  },
  column: {
    // Three waves side by side at 1024 px; more scroll sideways.
    flex: '1 1 200px',
    maxWidth: 360,
    minWidth: 200,
    padding: theme.spacing(1.5),
    background: theme.palette.background.default,
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.divider}`,
  },
  current: {
    borderColor: theme.palette.primary.main,
    borderWidth: 2,
  },
  card: {
    padding: theme.spacing(1.5),
    marginTop: theme.spacing(1),
    overflowWrap: 'anywhere',
  },
}));

function MemberCard(props: { member: PlanMember }) {
  const { member } = props;
  const classes = useStyles();
  const entityRoute = useRouteRef(entityRouteRef);
  const releasesTab = `${entityRoute(
    parseEntityRef(member.entityRef),
  )}/releases`;
  return (
    <Paper
      className={classes.card}
      variant="outlined"
      data-testid="glidepath-plan-member"
    >
      <Typography variant="subtitle2" component="div">
        <Link to={releasesTab}>{shortRef(member.entityRef)}</Link>
      </Typography>
      <Typography variant="body2">
        {member.version} to {member.environment}
        {member.fix ? ' (a fix)' : ''}
      </Typography>
      <MemberStateStatus state={member.state} />
      {member.stateReason && (
        <Typography variant="body2" color="textSecondary">
          {readableRefs(member.stateReason)}
        </Typography>
      )}
      {member.mode === 'manual' && member.state !== 'released' && (
        <Typography variant="caption" color="textSecondary" display="block">
          Its provider cannot start releases: release {member.version} the usual
          way; the plan waits until it shows up.
        </Typography>
      )}
      {member.releaseId && (
        <Typography variant="caption" color="textSecondary" display="block">
          <Link to={releasesTab}>Release {member.releaseId}</Link>
        </Typography>
      )}
      {member.startedAt && (
        <Typography variant="caption" color="textSecondary" display="block">
          Started {formatTime(member.startedAt)}
          {member.completedAt && `, released ${formatTime(member.completedAt)}`}
          {member.rolledBackAt &&
            `, rolled back ${formatTime(member.rolledBackAt)}`}
        </Typography>
      )}
    </Paper>
  );
}

/**
 * The plan's waves side by side in release order, each with its members as
 * cards: state, version, environment, the release, a link to the service's
 * Releases tab. The current wave is outlined and says what it waits for.
 */
export function PlanWaves(props: { plan: Plan }) {
  const { plan } = props;
  const classes = useStyles();
  const waves = membersByWave(plan);
  return (
    <Box className={classes.columns} data-testid="glidepath-plan-waves">
      {waves.map(({ index, members }) => {
        const wave = plan.waves.find(w => w.index === index);
        // A finished plan has no current wave, whatever it stopped at.
        const current = isPlanActive(plan) && plan.currentWave === index;
        return (
          <Box
            key={index}
            className={`${classes.column} ${current ? classes.current : ''}`}
            data-testid={`glidepath-plan-wave-${index + 1}`}
            aria-current={current ? 'step' : undefined}
          >
            <Typography variant="h6" component="h3">
              Wave {index + 1}
            </Typography>
            <Typography variant="body2" style={{ fontWeight: 500 }}>
              {wave ? WAVE_STATE[wave.state] ?? wave.state : 'Not started'}
              {current ? ' · current' : ''}
            </Typography>
            {wave?.waitingFor && (
              <Typography variant="body2" color="textSecondary">
                Waits for {readableRefs(wave.waitingFor)}
              </Typography>
            )}
            {wave?.startedAt && (
              <Typography variant="caption" color="textSecondary">
                Started {formatTime(wave.startedAt)}
                {wave.completedAt && `, done ${formatTime(wave.completedAt)}`}
              </Typography>
            )}
            {members.map(member => (
              <MemberCard
                key={`${member.entityRef}@${member.environment}`}
                member={member}
              />
            ))}
          </Box>
        );
      })}
    </Box>
  );
}
