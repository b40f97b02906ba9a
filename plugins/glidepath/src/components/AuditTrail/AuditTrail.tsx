import { Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { ReleaseAction } from '@glidepath/backstage-plugin-common';
import { actionLabel } from '../../lib/actions';
import { formatTime } from '../../lib/time';
import { ActorName } from '../ActorName';
import { ActionStateStatus } from '../ReleaseStatus';

/**
 * Columns as narrow as their content (material-table splits the width
 * evenly otherwise), so that the reason gets the rest: a policy's reason is
 * a sentence or two. What went wrong sits under the state, read with it.
 */
const columns: TableColumn<ReleaseAction>[] = [
  {
    title: 'Time',
    field: 'requestedAt',
    width: '1%',
    cellStyle: { whiteSpace: 'nowrap' },
    render: row => formatTime(row.requestedAt),
  },
  {
    title: 'Who',
    width: '1%',
    // A name or ref wraps between words, never inside one
    // ("development/gu est").
    cellStyle: { minWidth: 120, wordBreak: 'normal', overflowWrap: 'normal' },
    render: row => <ActorName actor={row.requestedBy} />,
  },
  {
    title: 'Action',
    width: '1%',
    cellStyle: { whiteSpace: 'nowrap' },
    render: row => actionLabel(row.action),
  },
  { title: 'Reason', field: 'reason', width: 'auto' },
  {
    title: 'State',
    width: '1%',
    render: row => (
      <>
        <span style={{ whiteSpace: 'nowrap' }}>
          <ActionStateStatus state={row.state} />
        </span>
        {row.error && (
          <Typography
            variant="caption"
            color="error"
            component="p"
            style={{ minWidth: 200 }}
          >
            {row.error}
          </Typography>
        )}
      </>
    ),
  },
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
