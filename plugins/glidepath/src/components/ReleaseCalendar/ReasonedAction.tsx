import { ReactNode, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { ReasonDialog } from '../RollbackTests/ReasonDialog';

/**
 * A calendar card's action on one release that needs a permission and a
 * reason: a button, disabled with why beside it while the permission is
 * checked, when it could not be, or when the reader does not hold it; it
 * opens a {@link ReasonDialog} saying what the action means.
 */
export function ReasonedAction(props: {
  /** Base of the test ids and element ids (`<id>-dialog`, `<id>-refusal`). */
  id: string;
  label: string;
  /** The reader's permission, as usePermission answers. */
  permission: { loading: boolean; allowed: boolean; error?: Error };
  /** What the permission is about, for "Could not check whether you may ...". */
  checking: string;
  /** Said beside the disabled button to someone without the permission. */
  refusal: string;
  dialog: {
    title: string;
    consequence: ReactNode;
    confirmLabel: string;
    onSubmit: (reason: string) => Promise<unknown>;
  };
  onDone: () => void;
}) {
  const { id, label, permission, dialog, onDone } = props;
  const [open, setOpen] = useState(false);
  let why: string | undefined;
  if (permission.error) {
    why = `Could not check whether you may ${props.checking}: ${permission.error.message}`;
  } else if (permission.loading) {
    why = 'Checking your permission…';
  } else if (!permission.allowed) {
    why = props.refusal;
  }
  const whyId = `${id}-refusal`;
  return (
    <Box mt={1} data-testid={id}>
      <Button
        variant="outlined"
        size="small"
        disabled={Boolean(why)}
        aria-describedby={why ? whyId : undefined}
        onClick={() => setOpen(true)}
      >
        {label}
      </Button>
      {why && (
        <Typography
          id={whyId}
          variant="caption"
          component="p"
          color="textSecondary"
        >
          {why}
        </Typography>
      )}
      {open && (
        <ReasonDialog
          id={`${id}-dialog`}
          title={dialog.title}
          consequence={dialog.consequence}
          confirmLabel={dialog.confirmLabel}
          onSubmit={reason => dialog.onSubmit(reason)}
          onDone={() => {
            setOpen(false);
            onDone();
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </Box>
  );
}
