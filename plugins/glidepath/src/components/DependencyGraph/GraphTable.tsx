import { Link, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type {
  DependencyGraph,
  GraphNode,
} from '@glidepath/backstage-plugin-common';
import { useMemo } from 'react';
import { entityRouteParams, isBroken, phaseText } from '../../lib/graph';
import { shortRef } from '../../lib/entity';

type Row = GraphNode & {
  id: string;
  dependsOn: string[];
  dependents: number;
  broken: string[];
};

/**
 * The graph as a table: one row per entity with its versions, phase,
 * dependencies and broken requirements. Paged and searchable, for screen
 * readers and for graphs too large to read as a drawing.
 */
export function GraphTable(props: { graph: DependencyGraph }) {
  const { graph } = props;
  const entityRoute = useRouteRef(entityRouteRef);
  const rows = useMemo<Row[]>(() => {
    const dependsOn = new Map<string, string[]>();
    const dependents = new Map<string, number>();
    const broken = new Map<string, string[]>();
    for (const e of graph.edges) {
      dependsOn.set(e.from, [...(dependsOn.get(e.from) ?? []), e.to]);
      dependents.set(e.to, (dependents.get(e.to) ?? 0) + 1);
      if (isBroken(e)) {
        broken.set(e.from, [
          ...(broken.get(e.from) ?? []),
          e.requirement!.text,
        ]);
      }
    }
    return graph.nodes.map(n => ({
      ...n,
      id: n.entityRef,
      dependsOn: dependsOn.get(n.entityRef) ?? [],
      dependents: dependents.get(n.entityRef) ?? 0,
      broken: broken.get(n.entityRef) ?? [],
    }));
  }, [graph]);

  const columns: TableColumn<Row>[] = [
    {
      title: 'Entity',
      field: 'name',
      highlight: true,
      render: row => (
        <Link to={entityRoute(entityRouteParams(row))}>
          {row.title ?? row.name}
        </Link>
      ),
    },
    { title: 'Kind', field: 'kind' },
    {
      title: 'Owner',
      field: 'owner',
      render: row => (row.owner ? shortRef(row.owner) : ''),
    },
    {
      title: 'System',
      field: 'system',
      render: row => (row.system ? shortRef(row.system) : ''),
    },
    { title: 'Lifecycle', field: 'lifecycle' },
    {
      title: 'Deployed',
      field: 'deployments',
      render: row =>
        row.deployments
          .map(
            d =>
              `${d.environment}: ${d.version ?? '?'}${
                d.releasingVersion ? ` → ${d.releasingVersion}` : ''
              }`,
          )
          .join('; '),
      customFilterAndSearch: (term: string, row: Row) =>
        row.deployments.some(d => `${d.version}`.includes(term)),
    },
    { title: 'Phase', field: 'phase', render: row => phaseText(row.phase) },
    {
      title: 'Depends on',
      field: 'dependsOn',
      render: row => row.dependsOn.map(shortRef).join(', '),
      customFilterAndSearch: (term: string, row: Row) =>
        row.dependsOn.some(d => d.includes(term)),
    },
    { title: 'Dependents', field: 'dependents', type: 'numeric' },
    {
      title: 'Broken requirements',
      field: 'broken',
      render: row => row.broken.join(', '),
      customSort: (a: Row, b: Row) => a.broken.length - b.broken.length,
    },
  ];

  return (
    <div data-testid="glidepath-graph-table">
      <Table<Row>
        title={`${graph.nodes.length} entities, ${graph.edges.length} dependencies`}
        options={{ paging: true, pageSize: 20, search: true, padding: 'dense' }}
        columns={columns}
        data={rows}
      />
    </div>
  );
}
