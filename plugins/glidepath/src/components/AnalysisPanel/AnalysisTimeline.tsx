import { useMemo, useState } from 'react';
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
import { isStalledDecision } from '../../lib/analysis/analyses';
import { groupTimeline, TimelineGroup } from '../../lib/analysis/timeline';
import { formatTime } from '../../lib/time';
import { DecisionChip, VerdictChip } from './AnalysisChips';

/** How many timeline entries are listed before "Show all". */
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

function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

function TimelineEntry(props: {
  group: TimelineGroup;
  action?: ReleaseAction;
  /** The evaluation whose reason is already shown above the timeline. */
  explainedId?: string;
}) {
  const { group, action, explainedId } = props;
  const { latest } = group;
  const classes = useStyles();
  const stalled = isStalledDecision(group.decision);
  const count = group.analyses.length;
  return (
    <ListItem
      className={`${classes.entry} ${stalled ? classes.stalled : ''}`}
      data-testid="glidepath-analysis-entry"
      data-decision={group.decision}
      data-count={count}
    >
      <Box className={classes.row}>
        <Typography variant="body2" component="span">
          {count > 1 ? (
            <>
              <time dateTime={group.since}>{formatTime(group.since)}</time>
              {' – '}
              <time dateTime={latest.evaluatedAt}>
                {clockTime(latest.evaluatedAt)}
              </time>
              {` · ${count} evaluations`}
            </>
          ) : (
            <time dateTime={latest.evaluatedAt}>
              {formatTime(latest.evaluatedAt)}
            </time>
          )}
        </Typography>
        <VerdictChip verdict={group.verdict} />
        <DecisionChip decision={group.decision} />
        {latest.actionId && (
          <ActionLabel actionId={latest.actionId} action={action} />
        )}
      </Box>
      {group.changes.length > 0 && (
        <Typography
          variant="caption"
          component="p"
          data-testid="glidepath-analysis-changes"
        >
          {group.changes.join('; ')}
        </Typography>
      )}
      <Typography
        variant="body2"
        color={stalled ? 'textPrimary' : 'textSecondary'}
        style={stalled ? { fontWeight: 500 } : undefined}
      >
        {latest.id === explainedId ? 'Why: see above.' : latest.reason}
      </Typography>
    </ListItem>
  );
}

/**
 * The canary's evaluations, newest first: runs of evaluations that said the
 * same thing are one entry (from when, how many, what changed when the run
 * began), so that a reader sees the few moments that mattered. Holds and
 * escalations, when the engine could not judge, stand out. Only the newest
 * entries are listed until "Show all" is pressed.
 */
export function AnalysisTimeline(props: {
  analyses: Analysis[];
  actions: ReleaseAction[];
  /**
   * The evaluation whose reason is shown above the timeline (the automatic
   * rollback's, or the latest), so that its entry does not repeat it.
   */
  explainedId?: string;
}) {
  const [expanded, setExpanded] = useState(false);
  const groups = useMemo(() => groupTimeline(props.analyses), [props.analyses]);
  const shown = expanded ? groups : groups.slice(0, TIMELINE_VISIBLE);
  const actions = new Map(props.actions.map(action => [action.id, action]));
  return (
    <Box data-testid="glidepath-analysis-timeline">
      <Typography variant="subtitle1" component="h3">
        Evaluations
      </Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        {props.analyses.length === 1
          ? '1 evaluation'
          : `${props.analyses.length} evaluations`}
        , newest first; evaluations that said the same thing are grouped.
      </Typography>
      <List component="ol" dense aria-label="Evaluations, newest first">
        {shown.map(group => (
          <TimelineEntry
            key={group.latest.id}
            group={group}
            explainedId={props.explainedId}
            action={
              group.latest.actionId
                ? actions.get(group.latest.actionId)
                : undefined
            }
          />
        ))}
      </List>
      {groups.length > TIMELINE_VISIBLE && (
        <Button
          size="small"
          onClick={() => setExpanded(!expanded)}
          aria-expanded={expanded}
          data-testid="glidepath-analysis-timeline-toggle"
        >
          {expanded
            ? `Show the latest ${TIMELINE_VISIBLE} only`
            : `Show all ${groups.length} entries`}
        </Button>
      )}
    </Box>
  );
}
