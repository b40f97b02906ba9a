import { useState } from 'react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert, { Color } from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  glidepathReleaseControlPermission,
  RollbackGate,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { entitySubject } from '../../lib/entity';
import { formatTime } from '../../lib/time';
import { ActorName } from '../ActorName';
import { ReasonDialog } from './ReasonDialog';

const SEVERITY: Record<RollbackGate['status'], Color> = {
  passed: 'success',
  running: 'info',
  failed: 'error',
  missing: 'warning',
  overridden: 'info',
};

const TITLE: Record<RollbackGate['status'], string> = {
  passed: 'Rollback tested before production',
  running: 'Rollback test running',
  failed: 'Rollback test failed',
  missing: 'Rollback not tested',
  overridden: 'Rollback gate overridden',
};

/**
 * The rollback gate of the production environment's latest release: what
 * it says, who overrode it and why, and (while it holds the release) a
 * button to override it with a reason.
 */
export function RollbackGateNotice(props: {
  entity: Entity;
  gate: RollbackGate;
  onChanged: () => void;
}) {
  const { entity, gate, onChanged } = props;
  const api = useApi(glidepathApiRef);
  const [open, setOpen] = useState(false);
  const { allowed, loading, error } = usePermission({
    permission: glidepathReleaseControlPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  let refusal: string | undefined;
  if (error) {
    refusal = `Could not check whether you may steer this ${entitySubject(
      entity,
    )}'s releases: ${error.message}`;
  } else if (!loading && !allowed) {
    refusal = `Only people who may steer this ${entitySubject(
      entity,
    )}'s releases can override the gate.`;
  }

  return (
    <Alert
      severity={gate.holds ? 'warning' : SEVERITY[gate.status]}
      data-testid="glidepath-rollback-gate"
      action={
        gate.holds ? (
          <Button
            color="inherit"
            variant="outlined"
            size="small"
            disabled={Boolean(refusal) || loading}
            aria-describedby={
              refusal ? 'glidepath-rollback-gate-refusal' : undefined
            }
            onClick={() => setOpen(true)}
            style={{ whiteSpace: 'nowrap' }}
            data-testid="glidepath-rollback-gate-override"
          >
            Override gate
          </Button>
        ) : undefined
      }
    >
      <AlertTitle data-testid="glidepath-rollback-gate-title">
        {gate.holds
          ? 'Production waits for a passed rollback test'
          : TITLE[gate.status]}
        {gate.mode === 'advisory' && gate.status !== 'passed'
          ? ' (advisory)'
          : ''}
      </AlertTitle>
      <span data-testid="glidepath-rollback-gate-message">
        {/* The override below says who and why: not twice. */}
        {gate.status === 'overridden'
          ? `${gate.version} goes on without a passed rollback test.`
          : gate.message}
      </span>
      {gate.override && (
        <Typography
          variant="body2"
          component="div"
          style={{ marginTop: 4 }}
          data-testid="glidepath-rollback-gate-overridden"
        >
          Overridden by <ActorName actor={gate.override.by} />{' '}
          {formatTime(gate.override.at)}: “{gate.override.reason}”
        </Typography>
      )}
      {gate.holds && refusal && (
        <Typography
          id="glidepath-rollback-gate-refusal"
          variant="caption"
          component="p"
        >
          {refusal}
        </Typography>
      )}
      {open && (
        <ReasonDialog
          id="glidepath-rollback-gate-dialog"
          title={`Let ${gate.version} go to production without a passed rollback test`}
          consequence={
            <Box component="span">
              The release of {gate.version} in production goes on from its first
              step although its rollback was not shown to work in a
              non-production environment. Say why; the reason is shown on the
              release.
            </Box>
          }
          confirmLabel="Override gate"
          onSubmit={reason =>
            api.overrideRollbackGate(gate.releaseId, { reason })
          }
          onDone={() => {
            setOpen(false);
            onChanged();
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </Alert>
  );
}
