import { Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { ReleaseAction } from '@glidepath/backstage-plugin-common';
import { actionLabel } from '../../lib/actions';
import { formatTime } from '../../lib/time';
import { actorName } from '../../lib/releases';
import { ActionStateStatus } from '../ReleaseStatus';

const columns: TableColumn<ReleaseAction>[] = [
  {
    title: 'Time',
    field: 'requestedAt',
    render: row => formatTime(row.requestedAt),
  },
  { title: 'Who', render: row => actorName(row.requestedBy) },
  { title: 'Action', render: row => actionLabel(row.action) },
  { title: 'Reason', field: 'reason' },
  { title: 'State', render: row => <ActionStateStatus state={row.state} /> },
  { title: 'Error', render: row => row.error ?? '' },
];

/** Who asked for which action on the entity's releases, why, and how it went. */
export function AuditTrail(props: { actions: ReleaseAction[] }) {
  return (
    <Table<ReleaseAction>
      title="Audit trail"
      columns={columns}
      data={props.actions}
      options={{ paging: false, search: false, padding: 'dense' }}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          No one has acted on this entity's releases yet.
        </Typography>
      }
    />
  );
}
