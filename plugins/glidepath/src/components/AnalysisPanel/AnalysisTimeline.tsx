import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles } from '@material-ui/core/styles';
import type {
  Analysis,
  ReleaseAction,
} from '@glidepath/backstage-plugin-common';
import { actionLabel } from '../../lib/actions';
import { isStalledDecision, newestFirst } from '../../lib/analysis/analyses';
import { formatTime } from '../../lib/time';
import { SimulatedChip } from '../SimulatedChip';
import { DecisionChip, VerdictChip } from './AnalysisChips';

/** How many evaluations are listed before "Show all". */
export const TIMELINE_VISIBLE = 20;

const useStyles = makeStyles(theme => ({
  entry: {
    display: 'block',
    borderLeft: `4px solid transparent`,
  },
  stalled: {
    borderLeftColor: theme.palette.warning.main,
    backgroundColor: alpha(theme.palette.warning.main, 0.08),
  },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
}));

/** What the decision asked for: "Requested Roll back · succeeded". */
function ActionLabel(props: { actionId: string; action?: ReleaseAction }) {
  const { actionId, action } = props;
  return (
    <Chip
      size="small"
      variant="outlined"
      label={
        action
          ? `Requested ${actionLabel(action.action)} · ${action.state}`
          : `Requested action ${actionId}`
      }
      title={`Action ${actionId}; see the audit trail`}
      data-testid="glidepath-analysis-action"
    />
  );
}

function TimelineEntry(props: { analysis: Analysis; action?: ReleaseAction }) {
  const { analysis, action } = props;
  const classes = useStyles();
  const stalled = isStalledDecision(analysis.decision);
  return (
    <ListItem
      className={`${classes.entry} ${stalled ? classes.stalled : ''}`}
      data-testid="glidepath-analysis-entry"
      data-decision={analysis.decision}
    >
      <Box className={classes.row}>
        <Typography variant="body2" component="span">
          <time dateTime={analysis.evaluatedAt}>
            {formatTime(analysis.evaluatedAt)}
          </time>
        </Typography>
        <VerdictChip verdict={analysis.verdict} />
        <DecisionChip decision={analysis.decision} />
        {analysis.simulated && <SimulatedChip />}
        {analysis.actionId && (
          <ActionLabel actionId={analysis.actionId} action={action} />
        )}
      </Box>
      <Typography
        variant="body2"
        color={stalled ? 'textPrimary' : 'textSecondary'}
        style={stalled ? { fontWeight: 500 } : undefined}
      >
        {analysis.reason}
      </Typography>
    </ListItem>
  );
}

/**
 * Every evaluation of the canary, newest first: when, the verdict, the
 * decision and why. Holds and escalations, when the engine could not judge,
 * stand out. Only the newest are listed until "Show all" is pressed.
 */
export function AnalysisTimeline(props: {
  analyses: Analysis[];
  actions: ReleaseAction[];
}) {
  const [expanded, setExpanded] = useState(false);
  const ordered = newestFirst(props.analyses);
  const shown = expanded ? ordered : ordered.slice(0, TIMELINE_VISIBLE);
  const actions = new Map(props.actions.map(action => [action.id, action]));
  return (
    <Box data-testid="glidepath-analysis-timeline">
      <Typography variant="subtitle1" component="h3">
        Evaluations
      </Typography>
      <List component="ol" dense aria-label="Evaluations, newest first">
        {shown.map(analysis => (
          <TimelineEntry
            key={analysis.id}
            analysis={analysis}
            action={
              analysis.actionId ? actions.get(analysis.actionId) : undefined
            }
          />
        ))}
      </List>
      {ordered.length > TIMELINE_VISIBLE && (
        <Button
          size="small"
          onClick={() => setExpanded(!expanded)}
          aria-expanded={expanded}
          data-testid="glidepath-analysis-timeline-toggle"
        >
          {expanded
            ? `Show the latest ${TIMELINE_VISIBLE} only`
            : `Show all ${ordered.length} evaluations`}
        </Button>
      )}
    </Box>
  );
}
