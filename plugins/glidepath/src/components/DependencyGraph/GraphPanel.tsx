import { EmptyState } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import Alert from '@material-ui/lab/Alert';
import type {
  DependencyGraph,
  GraphEdge,
} from '@glidepath/backstage-plugin-common';
import { useMemo, useState } from 'react';
import { shortRef } from '../../lib/entity';
import { isBroken, phaseLegend } from '../../lib/graph';
import { SimulatedChip } from '../SimulatedChip';
import { GraphCanvas } from './GraphCanvas';
import { GraphTable } from './GraphTable';
import { EntityName, ReleaseWaves } from './ReleaseWaves';

/** Above this many nodes the table is shown first. */
export const TABLE_FIRST_ABOVE = 2000;

function brokenText(edge: GraphEdge): string {
  const failing = edge.requirement!.checks.filter(c => c.status === 'broken');
  return failing
    .map(c =>
      c.releasing
        ? `the release in progress in ${c.environment} is ${c.version}`
        : `${c.environment} runs ${c.version}`,
    )
    .join('; ');
}

/** Broken requirements listed before "Show all" (the graph stays in view). */
const BROKEN_SHOWN_FIRST = 5;

/**
 * Every broken requirement of the graph, in words: the first few, and the
 * rest on request so that a long list does not push the graph off screen.
 */
export function BrokenRequirements(props: { edges: readonly GraphEdge[] }) {
  const [expanded, setExpanded] = useState(false);
  const broken = props.edges.filter(isBroken);
  if (!broken.length) return null;
  const shown = expanded ? broken : broken.slice(0, BROKEN_SHOWN_FIRST);
  return (
    <Alert severity="error" data-testid="glidepath-broken-requirements">
      <Typography variant="subtitle2">
        {broken.length === 1
          ? '1 version requirement is broken'
          : `${broken.length} version requirements are broken`}
      </Typography>
      <ul style={{ margin: 0, paddingLeft: 20 }}>
        {shown.map(edge => (
          <li
            key={`${edge.from}>${edge.to}`}
            data-testid="glidepath-broken-requirement"
          >
            <EntityName entityRef={edge.from} link /> requires{' '}
            <code>{edge.requirement!.text}</code>: {brokenText(edge)}
          </li>
        ))}
      </ul>
      {broken.length > BROKEN_SHOWN_FIRST && (
        <Button
          size="small"
          color="inherit"
          onClick={() => setExpanded(e => !e)}
          aria-expanded={expanded}
          data-testid="glidepath-broken-requirements-toggle"
        >
          {expanded
            ? 'Show fewer'
            : `Show all ${broken.length} (${
                broken.length - BROKEN_SHOWN_FIRST
              } more)`}
        </Button>
      )}
    </Alert>
  );
}

function Legend(props: { outsideScope: boolean }) {
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      style={{ gap: 12 }}
      data-testid="glidepath-graph-legend"
    >
      {phaseLegend().map(item => (
        <Box
          key={item.key}
          display="flex"
          alignItems="center"
          style={{ gap: 4 }}
        >
          <svg width={14} height={14} aria-hidden>
            <rect
              width={14}
              height={14}
              rx={3}
              fill={item.fill}
              stroke={item.stroke}
              strokeWidth={2}
            />
          </svg>
          <Typography variant="caption">{item.label}</Typography>
        </Box>
      ))}
      <Box display="flex" alignItems="center" style={{ gap: 4 }}>
        <svg width={28} height={14} aria-hidden>
          <line
            x1={0}
            y1={7}
            x2={28}
            y2={7}
            stroke="#c62828"
            strokeWidth={3}
            strokeDasharray="6 4"
          />
        </svg>
        <Typography variant="caption">Broken requirement</Typography>
      </Box>
      {props.outsideScope && (
        <Box display="flex" alignItems="center" style={{ gap: 4 }}>
          <svg width={14} height={14} aria-hidden>
            <rect
              x={1}
              y={1}
              width={12}
              height={12}
              rx={3}
              fill="#fff"
              stroke="#616161"
              strokeDasharray="2 3"
              strokeWidth={1.5}
            />
          </svg>
          <Typography variant="caption">Outside the chosen scope</Typography>
        </Box>
      )}
      <Typography variant="caption" color="textSecondary">
        Arrows point from a service to what it depends on; dependencies are
        released first, left to right.
      </Typography>
    </Box>
  );
}

/**
 * A loaded graph: the notices (broken requirements, cycles, entities the
 * catalog did not return), the legend, and the drawing or the table.
 */
export function GraphPanel(props: {
  graph: DependencyGraph;
  root?: string;
  emptyTitle: string;
  emptyDescription: string;
  /** The view to open with; by default the table above TABLE_FIRST_ABOVE nodes. */
  initialView?: 'graph' | 'table';
}) {
  const { graph, root } = props;
  const [view, setView] = useState<'graph' | 'table'>(
    props.initialView ??
      (graph.nodes.length > TABLE_FIRST_ABOVE ? 'table' : 'graph'),
  );
  const simulated = useMemo(
    () => graph.nodes.some(n => n.deployments.some(d => d.simulated)),
    [graph.nodes],
  );
  if (!graph.nodes.length) {
    return (
      <EmptyState
        missing="data"
        title={props.emptyTitle}
        description={props.emptyDescription}
      />
    );
  }
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
      <BrokenRequirements edges={graph.edges} />
      <ReleaseWaves graph={graph} />
      {graph.missing.length > 0 && <MissingEntities graph={graph} />}
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Legend outsideScope={graph.nodes.some(n => !n.inScope)} />
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          {simulated && <SimulatedChip />}
          <ToggleButtonGroup
            size="small"
            exclusive
            value={view}
            onChange={(_, value) => value && setView(value)}
            aria-label="Show the graph as"
          >
            <ToggleButton
              value="graph"
              aria-label="Graph"
              data-testid="glidepath-view-graph"
            >
              Graph
            </ToggleButton>
            <ToggleButton
              value="table"
              aria-label="Table"
              data-testid="glidepath-view-table"
            >
              Table
            </ToggleButton>
          </ToggleButtonGroup>
        </Box>
      </Box>
      {view === 'graph' ? (
        <GraphCanvas graph={graph} root={root} />
      ) : (
        <GraphTable graph={graph} />
      )}
    </Box>
  );
}

/** How many entities the notice of what is not shown names one by one. */
const MISSING_LISTED = 5;

/**
 * The entities the graph's nodes name but that give no edge: why each is
 * missing (absent or not readable, or of the wrong kind for its relation)
 * when the backend says, else the refs.
 */
function MissingEntities({ graph }: { graph: DependencyGraph }) {
  const count = graph.missing.length;
  const details = graph.missingDetails ?? [];
  const head = `${count} related ${
    count === 1 ? 'entity is' : 'entities are'
  } not shown`;
  if (!details.length) {
    return (
      <Alert severity="info" data-testid="glidepath-graph-missing">
        {head}: not in the catalog, or not visible to you (
        {graph.missing.slice(0, MISSING_LISTED).map(shortRef).join(', ')}
        {count > MISSING_LISTED ? ', …' : ''}).
      </Alert>
    );
  }
  return (
    <Alert severity="info" data-testid="glidepath-graph-missing">
      {head}:
      <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
        {details.slice(0, MISSING_LISTED).map(d => (
          <li key={d.entityRef} style={{ overflowWrap: 'anywhere' }}>
            {d.message}
          </li>
        ))}
        {details.length > MISSING_LISTED && (
          <li>and {details.length - MISSING_LISTED} more</li>
        )}
      </ul>
    </Alert>
  );
}
