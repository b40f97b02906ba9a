import { ReactNode, useRef, useState } from 'react';
import { ResponseError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { describeRequestError } from '../../lib/actions';
import { newIdempotencyKey } from '../../lib/idempotencyKey';

/** True when the server answered no, so it certainly did not act. */
function isRefusal(error: unknown): boolean {
  return (
    ResponseError.is(error) && error.statusCode >= 400 && error.statusCode < 500
  );
}

/**
 * Asks for a reason and sends one request with it. The dialog stays open
 * with the server's message when it refuses; it closes once the request
 * succeeded. One Idempotency-Key per intended request: retrying after a
 * network error or a 5xx with the same reason sends the same key again.
 */
export function ReasonDialog(props: {
  id: string;
  title: string;
  consequence: ReactNode;
  confirmLabel: string;
  helperText?: string;
  onSubmit: (reason: string, idempotencyKey: string) => Promise<unknown>;
  onDone: () => void;
  onClose: () => void;
}) {
  const { id, title, consequence, confirmLabel, onSubmit, onDone, onClose } =
    props;
  const [reason, setReason] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<Error>();
  const submission = useRef<{ reason: string; key: string }>();
  const trimmed = reason.trim();
  const titleId = `${id}-title`;

  const submit = async () => {
    if (submitting || !trimmed) return;
    if (!submission.current || submission.current.reason !== trimmed) {
      submission.current = { reason: trimmed, key: newIdempotencyKey() };
    }
    setSubmitting(true);
    setError(undefined);
    try {
      await onSubmit(trimmed, submission.current.key);
      setSubmitting(false);
      onDone();
    } catch (e) {
      if (isRefusal(e)) submission.current = undefined;
      setError(e as Error);
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open
      onClose={submitting ? undefined : onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
      data-testid={id}
    >
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{consequence}</DialogContentText>
        <TextField
          id={`${id}-reason`}
          label="Reason"
          required
          fullWidth
          multiline
          minRows={2}
          value={reason}
          onChange={e => setReason(e.target.value)}
          disabled={submitting}
          helperText={
            props.helperText ?? 'Recorded in the audit trail, with your name.'
          }
          inputProps={{ maxLength: 500 }}
        />
        {error && (
          <Box mt={2}>
            <Alert severity="error" data-testid={`${id}-error`}>
              {describeRequestError(error)}
            </Alert>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={submitting}>
          Cancel
        </Button>
        <Button
          variant="contained"
          color="primary"
          disabled={!trimmed || submitting}
          onClick={submit}
          startIcon={
            submitting ? <CircularProgress size={16} color="inherit" /> : null
          }
          data-testid={`${id}-confirm`}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
