import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  glidepathFreezeOverridePermission,
  Release,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { ReasonedAction } from './ReasonedAction';

/**
 * Break-glass, while a freeze holds an environment: a "Release during
 * freeze" button for the release in flight there (POST
 * /releases/{id}/freeze-override, with a reason), for people holding
 * glidepath.freeze.override; others are told who can.
 */
export function BreakGlass(props: { release: Release; onDone: () => void }) {
  const { release, onDone } = props;
  const api = useApi(glidepathApiRef);
  // Asked of the permission API each time it is shown, as PlanControls
  // does, not through usePermission, whose cache would keep an earlier
  // answer for a couple of seconds.
  const permissionApi = useApi(permissionApiRef);
  const decision = useAsync(
    () =>
      permissionApi.authorize({
        permission: glidepathFreezeOverridePermission,
      }),
    [permissionApi],
  );
  const permission = {
    loading: decision.loading,
    error: decision.error,
    // AuthorizeResult.ALLOW, without importing the permission package.
    allowed: String(decision.value?.result) === 'ALLOW',
  };
  return (
    <ReasonedAction
      id={`glidepath-calendar-break-glass-${release.environment}`}
      label="Release during freeze"
      permission={permission}
      checking="break a freeze"
      refusal="Only people allowed to break a freeze (glidepath.freeze.override) can let a release go on during it."
      dialog={{
        title: `Release ${release.version} during the ${release.environment} freeze`,
        consequence: `${release.version} may then be promoted and resumed in ${release.environment} despite the freeze; other releases stay frozen. The override is recorded with your name and the reason, audited, and shown on this card.`,
        confirmLabel: 'Release during freeze',
        onSubmit: reason => api.overrideFreeze(release.id, { reason }),
      }}
      onDone={onDone}
    />
  );
}
