import { Link, Table, TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  DoraGroup,
  DoraMeasure,
  doraValue,
} from '@glidepath/backstage-plugin-common';
import { DORA_MEASURES, formatMeasure, levelOf } from '../../lib/dora';
import { DoraLevelChip } from '../Dora';

function measureColumn(
  measure: DoraMeasure,
  title: string,
): TableColumn<DoraGroup> {
  return {
    title,
    field: measure,
    customSort: (a, b) =>
      (doraValue(a.summary, measure) ?? Infinity) -
      (doraValue(b.summary, measure) ?? Infinity),
    render: group => (
      // The chip goes under the value when the column is narrow (1024 px),
      // rather than the value breaking between its digits.
      <Box display="flex" flexWrap="wrap" alignItems="center" gridGap={6}>
        <span style={{ whiteSpace: 'nowrap' }}>
          {formatMeasure(measure, doraValue(group.summary, measure))}
        </span>
        <DoraLevelChip
          level={levelOf(group.summary, measure)}
          measure={measure}
        />
      </Box>
    ),
  };
}

/** The name of a ref, for display: `group:default/team-x` -> `team-x`. */
export function nameOf(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/**
 * Teams or services with their four measures, ranked (most deployments per
 * day first; every column sorts). `linkTo` says where a row leads.
 */
export function DoraGroupsTable(props: {
  title: string;
  groups: DoraGroup[];
  nameTitle: string;
  linkTo: (group: DoraGroup) => string;
  testId: string;
}) {
  const { title, groups, nameTitle, linkTo, testId } = props;
  const rank = new Map(groups.map((group, i) => [group.ref, i + 1]));
  const columns: TableColumn<DoraGroup>[] = [
    {
      title: '#',
      field: 'rank',
      width: '3em',
      // The rank as the API ranks them (material-table renders copies of
      // the rows, so the row objects cannot be looked up in `groups`).
      render: group => rank.get(group.ref),
      sorting: false,
    },
    {
      title: nameTitle,
      field: 'ref',
      render: group => (
        <Link to={linkTo(group)} data-testid={`${testId}-link`}>
          {group.title ?? nameOf(group.ref)}
        </Link>
      ),
    },
    {
      title: 'Deployments',
      field: 'deployments',
      // Room for its one-word title at 1024 px.
      width: '130px',
      customSort: (a, b) => a.summary.deployments - b.summary.deployments,
      render: group => group.summary.deployments,
    },
    ...DORA_MEASURES.map(m => measureColumn(m.measure, m.title)),
  ];
  return (
    <div data-testid={testId}>
      <Table<DoraGroup>
        title={title}
        options={{
          paging: groups.length > 20,
          pageSize: 20,
          search: groups.length > 20,
          padding: 'dense',
          // Seven columns share the width, with less padding than usual:
          // with the automatic layout the table came out wider than the
          // page at 1024 px, and hid the last column.
          tableLayout: 'fixed',
        }}
        columns={columns.map(column => ({
          ...column,
          headerStyle: { paddingLeft: 6, paddingRight: 6 },
          cellStyle: { paddingLeft: 8, paddingRight: 8 },
        }))}
        data={groups}
        emptyContent={
          <Typography style={{ padding: 16 }} color="textSecondary">
            No deployments in this period.
          </Typography>
        }
      />
    </div>
  );
}
