import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import type {
  ActionType,
  Release,
  ReleaseAction,
  ReleaseSignal,
} from '@glidepath/backstage-plugin-common';
import { useReleaseAction } from '../../hooks/useReleaseAction';
import { RollbackRequirementWarnings } from '../RequirementWarnings';
import {
  actionConsequence,
  actionLabel,
  confirmationTitle,
  describeRequestError,
  isDestructiveAction,
  isTerminalActionState,
} from '../../lib/actions';

const useStyles = makeStyles(theme => ({
  destructive: {
    color: theme.palette.error.contrastText,
    backgroundColor: theme.palette.error.main,
    '&:hover': { backgroundColor: theme.palette.error.dark },
  },
}));

const ACTIVE_STEP: Record<ReleaseAction['state'], number> = {
  requested: 1,
  running: 2,
  succeeded: 3,
  failed: 3,
};

function progressText(action: ReleaseAction): string {
  const label = actionLabel(action.action);
  switch (action.state) {
    case 'requested':
      return `${label} requested; waiting for Glidepath to act.`;
    case 'running':
      return `${label} running; the provider is carrying it out.`;
    case 'succeeded':
      return `${label} succeeded.`;
    case 'failed':
      return `${label} failed: ${
        action.error ?? 'the provider gave no reason'
      }`;
    default:
      return action.state;
  }
}

/** An action's way from requested through running to its result. */
export function ActionProgress(props: {
  action: ReleaseAction;
  followError?: Error;
}) {
  const { action, followError } = props;
  const finished = isTerminalActionState(action.state);
  const active = ACTIVE_STEP[action.state] ?? 3;
  return (
    <Box data-testid="glidepath-action-progress">
      <Stepper activeStep={active} alternativeLabel>
        <Step completed>
          <StepLabel>Requested</StepLabel>
        </Step>
        <Step completed={active > 2}>
          <StepLabel>Running</StepLabel>
        </Step>
        <Step completed={action.state === 'succeeded'}>
          <StepLabel error={action.state === 'failed'}>
            {action.state === 'failed' ? 'Failed' : 'Succeeded'}
          </StepLabel>
        </Step>
      </Stepper>
      {!finished && <LinearProgress aria-label="Action in progress" />}
      <Box mt={1} role="status" aria-live="polite">
        {action.state === 'failed' ? (
          <Alert severity="error">{progressText(action)}</Alert>
        ) : (
          <Typography variant="body2">{progressText(action)}</Typography>
        )}
      </Box>
      {followError && !finished && (
        <Typography variant="caption" color="error">
          Could not refresh the action's state ({followError.message}); still
          trying.
        </Typography>
      )}
    </Box>
  );
}

/**
 * Confirms an action: says what it will do, asks for a reason, sends it
 * once, and follows it to its end.
 */
export function ActionDialog(props: {
  action: ActionType;
  release: Release;
  entityName: string;
  lastSignal: ReleaseSignal | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { action: actionType, release, entityName, lastSignal } = props;
  const { onClose, onChanged } = props;
  const classes = useStyles();
  const [reason, setReason] = useState('');
  const { submit, submitting, error, action, followError } = useReleaseAction({
    releaseId: release.id,
    action: actionType,
    lastSignal,
    onFinished: onChanged,
  });
  const trimmed = reason.trim();
  const titleId = `glidepath-${actionType}-dialog-title`;

  return (
    <Dialog
      open
      onClose={submitting ? undefined : onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
      data-testid="glidepath-action-dialog"
    >
      <DialogTitle id={titleId}>
        {confirmationTitle(actionType, entityName, release)}
      </DialogTitle>
      <DialogContent>
        <DialogContentText data-testid="glidepath-action-consequence">
          {actionConsequence(actionType, release)}
        </DialogContentText>
        {actionType === 'rollback' && !action && (
          <RollbackRequirementWarnings release={release} />
        )}
        {action ? (
          <ActionProgress action={action} followError={followError} />
        ) : (
          <TextField
            id={`glidepath-${actionType}-reason`}
            label="Reason"
            required
            fullWidth
            multiline
            minRows={2}
            value={reason}
            onChange={e => setReason(e.target.value)}
            disabled={submitting}
            helperText="Recorded in the audit trail, with your name."
            inputProps={{ maxLength: 2000 }}
          />
        )}
        {error && !action && (
          <Box mt={2}>
            <Alert severity="error" data-testid="glidepath-action-error">
              {describeRequestError(error)}
            </Alert>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        {action ? (
          <Button onClick={onClose}>Close</Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={submitting}>
              Cancel
            </Button>
            <Button
              variant="contained"
              color="primary"
              className={
                isDestructiveAction(actionType)
                  ? classes.destructive
                  : undefined
              }
              disabled={!trimmed || submitting}
              onClick={() => submit(trimmed)}
              startIcon={
                submitting ? (
                  <CircularProgress size={16} color="inherit" />
                ) : undefined
              }
              data-testid="glidepath-action-confirm"
            >
              Confirm
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
