import { Link, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type {
  DependencyGraph,
  GraphNode,
} from '@glidepath/backstage-plugin-common';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { entityRouteParams, isBroken, phaseText } from '../../lib/graph';
import { shortRef } from '../../lib/entity';

/** Cells wrap between words only, never inside one. */
const WORDS = { wordBreak: 'normal', overflowWrap: 'normal' } as const;
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/**
 * A requirement such as `promotions-service@>=1.5.0 <2`: it may wrap after
 * the `@`, where a reader expects a break, and nowhere else inside a word.
 */
function Breakable(props: { text: string }) {
  const at = props.text.indexOf('@');
  if (at < 0) return <>{props.text}</>;
  return (
    <>
      {props.text.slice(0, at + 1)}
      <wbr />
      {props.text.slice(at + 1)}
    </>
  );
}

/** "service · production · team-checkout · 3 dependents" */
function describeEntity(row: Row): string {
  return [
    describeKind(row),
    row.lifecycle,
    row.owner && shortRef(row.owner),
    row.dependents === 1 ? '1 dependent' : `${row.dependents} dependents`,
  ]
    .filter(Boolean)
    .join(' · ');
}

function describeKind(node: GraphNode): string {
  if (node.kind === 'Resource')
    return node.type ? `resource (${node.type})` : 'resource';
  return node.type ?? node.kind.toLocaleLowerCase('en-US');
}

type Row = GraphNode & {
  id: string;
  dependsOn: string[];
  dependents: number;
  broken: string[];
};

/**
 * The graph as a table: one row per entity with its broken requirements
 * (second, where they are seen without scrolling), versions, phase and
 * dependencies; type, lifecycle, owner and dependents under the name. Five
 * columns that wrap between words only, so that it fits at 1024 px. Paged and searchable, for screen
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
    const all = graph.nodes.map(n => ({
      ...n,
      id: n.entityRef,
      dependsOn: dependsOn.get(n.entityRef) ?? [],
      dependents: dependents.get(n.entityRef) ?? 0,
      broken: broken.get(n.entityRef) ?? [],
    }));
    // Broken requirements first: what needs attention on the first page.
    return [
      ...all.filter(r => r.broken.length),
      ...all.filter(r => !r.broken.length),
    ];
  }, [graph]);

  const columns: TableColumn<Row>[] = [
    {
      title: 'Entity',
      field: 'name',
      highlight: true,
      cellStyle: { ...WORDS, minWidth: 120 },
      render: row => (
        <>
          <Link to={entityRoute(entityRouteParams(row))}>
            {row.title ?? row.name}
          </Link>
          <Typography variant="caption" color="textSecondary" component="div">
            {describeEntity(row)}
          </Typography>
        </>
      ),
      customFilterAndSearch: (term: string, row: Row) =>
        `${row.title ?? ''} ${row.name} ${describeEntity(row)} ${
          row.system ?? ''
        }`
          .toLocaleLowerCase('en-US')
          .includes(term.toLocaleLowerCase('en-US')),
    },
    {
      title: 'Broken requirements',
      field: 'broken',
      cellStyle: WORDS,
      render: row =>
        row.broken.map(text => (
          <Typography
            key={text}
            variant="body2"
            component="div"
            color="error"
            data-testid="glidepath-table-broken"
          >
            <Breakable text={text} />
          </Typography>
        )),
      customSort: (a: Row, b: Row) => a.broken.length - b.broken.length,
    },
    {
      title: 'Deployed',
      field: 'deployments',
      cellStyle: WORDS,
      render: row =>
        row.deployments.map(d => (
          <div key={d.environment}>
            {d.environment}: {d.version ?? '?'}
            {d.releasingVersion ? ` → ${d.releasingVersion}` : ''}
          </div>
        )),
      customFilterAndSearch: (term: string, row: Row) =>
        row.deployments.some(d => `${d.version}`.includes(term)),
    },
    {
      title: 'Phase',
      field: 'phase',
      cellStyle: NO_WRAP,
      render: row => phaseText(row.phase),
    },
    {
      title: 'Depends on',
      field: 'dependsOn',
      cellStyle: WORDS,
      render: row => row.dependsOn.map(shortRef).join(', '),
      customFilterAndSearch: (term: string, row: Row) =>
        row.dependsOn.some(d => d.includes(term)),
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
