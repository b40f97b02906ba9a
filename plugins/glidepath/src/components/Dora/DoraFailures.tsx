import { Link, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type { DoraFailure } from '@glidepath/backstage-plugin-common';
import { formatDoraDuration, RULE_LABEL } from '../../lib/dora';
import { formatTime } from '../../lib/time';

/**
 * Failed changes with their cause: the rule that made each one a failure,
 * the incidents attributed to it, and how long service took to recover.
 */
export function DoraFailures(props: {
  failures: DoraFailure[];
  title?: string;
  showEntity?: boolean;
}) {
  const { failures, title = 'Recent failed changes', showEntity } = props;
  const entityRoute = useRouteRef(entityRouteRef);
  const columns: TableColumn<DoraFailure>[] = [
    {
      title: 'Deployed',
      field: 'deployedAt',
      render: f => formatTime(f.deployedAt),
    },
    ...(showEntity
      ? [
          {
            title: 'Service',
            field: 'entityRef',
            // Names break between words only.
            cellStyle: { whiteSpace: 'nowrap' },
            render: (f: DoraFailure) => {
              const ref = parseEntityRef(f.entityRef);
              return (
                <Link to={`${entityRoute(ref)}/release-health`}>
                  {ref.name}
                </Link>
              );
            },
          },
        ]
      : []),
    { title: 'Version', field: 'version', render: f => f.version ?? '—' },
    {
      title: 'Cause',
      field: 'rule',
      render: f => (
        <>
          <Typography variant="body2">{RULE_LABEL[f.rule]}</Typography>
          {f.incidents.map(incident => (
            <Typography variant="caption" display="block" key={incident.id}>
              {incident.url ? (
                <Link to={incident.url}>{incident.title ?? incident.id}</Link>
              ) : (
                incident.title ?? incident.id
              )}
            </Typography>
          ))}
        </>
      ),
    },
    {
      title: 'Recovery',
      field: 'restoredAt',
      render: f =>
        f.restoredAt && f.failureStartedAt
          ? formatDoraDuration(
              Date.parse(f.restoredAt) - Date.parse(f.failureStartedAt),
            )
          : 'open',
    },
  ];
  return (
    <div data-testid="glidepath-dora-failures">
      <Table<DoraFailure>
        title={title}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={failures}
        emptyContent={
          <Typography style={{ padding: 16 }} color="textSecondary">
            No failed changes in this period.
          </Typography>
        }
      />
    </div>
  );
}
