import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  glidepathFreezeOverridePermission,
  glidepathReleaseControlPermission,
  type Plan,
  type PlanControl,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { controlUnavailable, isPlanActive } from '../../lib/plans';
import { ReasonDialog } from '../RollbackTests/ReasonDialog';

const CONTROLS: Array<{
  control: PlanControl;
  label: string;
  title: string;
  consequence: string;
}> = [
  {
    control: 'pause',
    label: 'Pause',
    title: 'Pause the plan',
    consequence:
      'No further wave or release starts until the plan is resumed; releases already rolling out go on.',
  },
  {
    control: 'resume',
    label: 'Resume',
    title: 'Resume the plan',
    consequence:
      'The plan carries on where it stopped: the current wave, then the next ones, each after its gates and outside freezes.',
  },
  {
    control: 'abort',
    label: 'Abort',
    title: 'Abort the plan',
    consequence:
      'No further wave starts, and the plan ends aborted; releases already out stay out (roll them back from their Releases tabs if needed).',
  },
  {
    control: 'freeze-override',
    label: 'Release during freeze',
    title: 'Release during freezes',
    consequence:
      "The plan's waves go on while a freeze window is open, instead of waiting for it to end. Recorded with your name and shown on the plan.",
  },
];

/**
 * What the reader may do to the plan: glidepath.release.control on one of
 * its members for pause, resume and abort; glidepath.freeze.override to
 * release during a freeze (all the backend asks of it: a release manager
 * need not own a member).
 */
function usePlanPermissions(plan: Plan) {
  const permissionApi = useApi(permissionApiRef);
  const key = [...new Set(plan.members.map(m => m.entityRef))].join('\n');
  return useAsync(async () => {
    const refs = key.split('\n').filter(Boolean);
    const decisions = await Promise.all(
      refs.map(resourceRef =>
        permissionApi.authorize({
          permission: glidepathReleaseControlPermission,
          resourceRef,
        }),
      ),
    );
    // AuthorizeResult.ALLOW, without importing the permission package.
    const control = decisions.some(d => String(d.result) === 'ALLOW');
    const freeze = await permissionApi.authorize({
      permission: glidepathFreezeOverridePermission,
    });
    return { control, freezeOverride: String(freeze.result) === 'ALLOW' };
  }, [permissionApi, key]);
}

/**
 * Pause, Resume, Abort and Release during freeze, each asking for a reason;
 * a control the plan's state or the reader's permissions rule out is
 * disabled with the reason beside it.
 */
export function PlanControls(props: {
  plan: Plan;
  onChanged: (plan: Plan) => void;
}) {
  const { plan, onChanged } = props;
  const api = useApi(glidepathApiRef);
  const permissions = usePlanPermissions(plan);
  const [open, setOpen] = useState<PlanControl>();
  if (!isPlanActive(plan)) return null;

  let unknown: string | undefined;
  if (permissions.loading) unknown = 'Checking your permission…';
  else if (permissions.error) {
    unknown = `Could not check your permission: ${permissions.error.message}`;
  }
  const noControl = permissions.value?.control
    ? undefined
    : "Only the owners of the plan's services or admins (glidepath.release.control) can pause, resume or abort it.";
  const noOverride = permissions.value?.freezeOverride
    ? undefined
    : 'Releasing during a freeze needs glidepath.freeze.override.';
  const why = (control: PlanControl) =>
    controlUnavailable(plan, control) ??
    unknown ??
    (control === 'freeze-override' ? noOverride : noControl);
  // Said once beside the buttons: the permission the reader lacks for
  // pause, resume and abort, else for the freeze override while it applies.
  const note =
    unknown ??
    noControl ??
    (controlUnavailable(plan, 'freeze-override') ? undefined : noOverride);
  const chosen = CONTROLS.find(c => c.control === open);

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 8 }}
      data-testid="glidepath-plan-controls"
    >
      {CONTROLS.map(({ control, label }) => {
        const reason = why(control);
        return (
          <span key={control} title={reason}>
            <Button
              variant={control === 'abort' ? 'outlined' : 'contained'}
              color={control === 'abort' ? 'secondary' : 'primary'}
              disabled={Boolean(reason)}
              onClick={() => setOpen(control)}
            >
              {label}
            </Button>
          </span>
        );
      })}
      {note && (
        <Typography variant="body2" color="textSecondary">
          {note}
        </Typography>
      )}
      {chosen && (
        <ReasonDialog
          id={`glidepath-plan-${chosen.control}`}
          title={chosen.title}
          consequence={chosen.consequence}
          confirmLabel={chosen.label}
          onSubmit={async reason => {
            const updated = await api.controlPlan(plan.id, chosen.control, {
              reason,
            });
            onChanged(updated);
          }}
          onDone={() => setOpen(undefined)}
          onClose={() => setOpen(undefined)}
        />
      )}
    </Box>
  );
}
