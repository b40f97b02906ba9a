import { ReactElement } from 'react';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import NotificationImportantIcon from '@material-ui/icons/NotificationImportant';
import PauseCircleOutlineIcon from '@material-ui/icons/PauseCircleOutline';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import UndoIcon from '@material-ui/icons/Undo';
import type {
  AnalysisDecision,
  Verdict,
} from '@glidepath/backstage-plugin-common';
import { decisionLabel, verdictLabel } from '../../lib/analysis/format';

type Tone = 'success' | 'error' | 'warning' | 'neutral';

const useStyles = makeStyles(theme => {
  const tone = (color: { main: string; contrastText: string }) => ({
    backgroundColor: color.main,
    color: color.contrastText,
    '& .MuiChip-icon': { color: 'inherit' },
  });
  return {
    success: tone(theme.palette.success),
    error: tone(theme.palette.error),
    warning: tone(theme.palette.warning),
    neutral: {},
  };
});

const VERDICT_LOOK: Record<Verdict, { tone: Tone; icon: ReactElement }> = {
  pass: { tone: 'success', icon: <CheckCircleIcon /> },
  fail: { tone: 'error', icon: <CancelIcon /> },
  inconclusive: { tone: 'neutral', icon: <HelpOutlineIcon /> },
  no_data: { tone: 'warning', icon: <RemoveCircleOutlineIcon /> },
};

const DECISION_LOOK: Record<
  AnalysisDecision,
  { tone: Tone; icon: ReactElement }
> = {
  continue: { tone: 'neutral', icon: <PlayArrowIcon /> },
  promote: { tone: 'success', icon: <ArrowUpwardIcon /> },
  rollback: { tone: 'error', icon: <UndoIcon /> },
  hold: { tone: 'warning', icon: <PauseCircleOutlineIcon /> },
  escalate: { tone: 'warning', icon: <NotificationImportantIcon /> },
};

/** A verdict as a chip: its word, an icon and a colour. */
export function VerdictChip(props: {
  verdict: Verdict;
  size?: 'small' | 'medium';
}) {
  const classes = useStyles();
  const look = VERDICT_LOOK[props.verdict] ?? VERDICT_LOOK.inconclusive;
  return (
    <Chip
      size={props.size ?? 'small'}
      icon={look.icon}
      label={verdictLabel(props.verdict)}
      className={classes[look.tone]}
    />
  );
}

/** A decision as a chip: its word, an icon and a colour. */
export function DecisionChip(props: {
  decision: AnalysisDecision;
  size?: 'small' | 'medium';
}) {
  const classes = useStyles();
  const look = DECISION_LOOK[props.decision] ?? DECISION_LOOK.continue;
  return (
    <Chip
      size={props.size ?? 'small'}
      icon={look.icon}
      label={decisionLabel(props.decision)}
      className={classes[look.tone]}
    />
  );
}
