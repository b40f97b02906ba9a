import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  glidepathReleaseControlPermission,
  Release,
} from '@glidepath/backstage-plugin-common';
import { glidepathApiRef } from '../../api';
import { entitySubject } from '../../lib/entity';
import { ReasonedAction } from './ReasonedAction';

/**
 * While the error budget freezes production: a button to mark the release
 * in flight there as a fix (POST /releases/{id}/fix, with a reason), for
 * people who may steer the service's releases; others are told who can.
 */
export function MarkAsFix(props: {
  entity: Entity;
  release: Release;
  onMarked: () => void;
}) {
  const { entity, release, onMarked } = props;
  const api = useApi(glidepathApiRef);
  const permission = usePermission({
    permission: glidepathReleaseControlPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const subject = entitySubject(entity);
  return (
    <ReasonedAction
      id="glidepath-calendar-mark-fix"
      label={`Mark ${release.version} as a fix`}
      permission={permission}
      checking={`steer this ${subject}'s releases`}
      refusal={`Only people who may steer this ${subject}'s releases can mark a release as a fix.`}
      dialog={{
        title: `Mark ${release.version} in ${release.environment} as a fix`,
        consequence: `The error budget freezes ${release.environment}: only releases marked as fixes may be promoted and resumed until it recovers. Say what ${release.version} fixes; the reason is audited and shown here.`,
        confirmLabel: 'Mark as fix',
        onSubmit: reason => api.markReleaseAsFix(release.id, { reason }),
      }}
      onDone={onMarked}
    />
  );
}
