import type {
  DependencyGraph,
  GraphEdge,
  GraphNode,
  ReleasePhase,
} from '@glidepath/backstage-plugin-common';
import { phaseLabel } from '@glidepath/backstage-plugin-common';

/** Node size and spacing of the drawing, in SVG units. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 40;
const COLUMN_GAP = 90;
const ROW_GAP = 14;

/** How a node looks for its rollout phase: fill, border and a word for the legend. */
export type PhaseStyle = { fill: string; stroke: string; label: string };

const PHASE_STYLES: Record<ReleasePhase | 'none', PhaseStyle> = {
  succeeded: { fill: '#e8f5e9', stroke: '#2e7d32', label: 'Released' },
  progressing: { fill: '#e3f2fd', stroke: '#1565c0', label: 'Rolling out' },
  pending: { fill: '#e3f2fd', stroke: '#64b5f6', label: 'Pending' },
  paused: { fill: '#fff8e1', stroke: '#ef6c00', label: 'Paused' },
  rolled_back: { fill: '#fdecea', stroke: '#c62828', label: 'Rolled back' },
  aborted: { fill: '#f5f5f5', stroke: '#757575', label: 'Aborted' },
  failed: { fill: '#fdecea', stroke: '#b71c1c', label: 'Failed' },
  none: { fill: '#fafafa', stroke: '#9e9e9e', label: 'No releases' },
};

/** The colours of a node for its latest release's phase. */
export function phaseStyle(phase: ReleasePhase | null): PhaseStyle {
  return PHASE_STYLES[phase ?? 'none'];
}

/** The legend, in a stable order. */
export function phaseLegend(): Array<{ key: string } & PhaseStyle> {
  return (Object.keys(PHASE_STYLES) as Array<ReleasePhase | 'none'>).map(
    key => ({ key, ...PHASE_STYLES[key] }),
  );
}

/** A node's phase in words, for the table and for screen readers. */
export function phaseText(phase: ReleasePhase | null): string {
  return phase ? phaseLabel(phase) : 'no releases';
}

/** Where each node and edge is drawn. */
export type GraphGeometry = {
  width: number;
  height: number;
  positions: Map<string, { x: number; y: number }>;
};

/**
 * Places the nodes on the server's layered layout: one column per release
 * layer (dependencies on the left), columns centred vertically.
 */
export function graphGeometry(nodes: readonly GraphNode[]): GraphGeometry {
  const rowsPerLayer = new Map<number, number>();
  for (const n of nodes) {
    rowsPerLayer.set(
      n.layout.layer,
      Math.max(rowsPerLayer.get(n.layout.layer) ?? 0, n.layout.row + 1),
    );
  }
  const layers = [...rowsPerLayer.keys()].sort((a, b) => a - b);
  const column = new Map(layers.map((layer, i) => [layer, i]));
  const maxRows = Math.max(0, ...rowsPerLayer.values());
  const step = NODE_HEIGHT + ROW_GAP;
  const positions = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const offset = ((maxRows - rowsPerLayer.get(n.layout.layer)!) * step) / 2;
    positions.set(n.entityRef, {
      x: column.get(n.layout.layer)! * (NODE_WIDTH + COLUMN_GAP),
      y: offset + n.layout.row * step,
    });
  }
  return {
    width: Math.max(NODE_WIDTH, layers.length * (NODE_WIDTH + COLUMN_GAP)),
    height: Math.max(NODE_HEIGHT, maxRows * step),
    positions,
  };
}

/**
 * An SVG path from a dependent (its left side) to its dependency (right
 * side). An edge that skips columns arches above the nodes in between, more
 * the more columns it skips, instead of running behind them.
 */
export function edgePath(
  from: { x: number; y: number },
  to: { x: number; y: number },
): string {
  const y1 = from.y + NODE_HEIGHT / 2;
  const y2 = to.y + NODE_HEIGHT / 2;
  if (from.x === to.x) {
    // Same column (a cycle): loop out to the left.
    const x = from.x;
    return `M${x},${y1} C${x - 60},${y1} ${x - 60},${y2} ${x},${y2}`;
  }
  const x1 = from.x;
  const x2 = to.x + NODE_WIDTH;
  const skipped = Math.round((from.x - to.x) / (NODE_WIDTH + COLUMN_GAP)) - 1;
  if (skipped > 0) {
    const lift = Math.min(y1, y2) - NODE_HEIGHT * (0.9 + 0.6 * skipped);
    return `M${x1},${y1} C${x1 - COLUMN_GAP},${lift} ${
      x2 + COLUMN_GAP
    },${lift} ${x2},${y2}`;
  }
  const mid = (x1 + x2) / 2;
  return `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
}

/** True when the node's own glidepath.dev/requires annotation has a problem. */
export function hasRequirementProblem(node: GraphNode): boolean {
  return node.problems.some(p => p.annotation === 'glidepath.dev/requires');
}

/** True when the edge carries a requirement that a deployed version breaks. */
export function isBroken(edge: GraphEdge): boolean {
  return edge.requirement?.status === 'broken';
}

/** Short node label: the title or name, cut to fit the box. */
export function nodeLabel(node: GraphNode, max = 24): string {
  const text = node.title ?? node.name;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The versions running of a node, e.g. "2.3.0 → 2.4.0" while releasing. */
export function versionText(node: GraphNode): string {
  const d = node.deployments[0];
  if (!d) return '';
  const base = d.version ?? '?';
  return d.releasingVersion ? `${base} → ${d.releasingVersion}` : base;
}

/** Client-side filters of the portal page. */
export type GraphFilter = {
  phases?: ReadonlyArray<ReleasePhase | 'none'>;
  brokenOnly?: boolean;
};

/**
 * The graph with only the nodes that pass the filters (and the edges among
 * them). `brokenOnly` keeps the two ends of every broken requirement.
 */
export function filterGraph(
  graph: DependencyGraph,
  filter: GraphFilter,
): DependencyGraph {
  const phases = filter.phases?.length ? new Set(filter.phases) : undefined;
  const brokenEnds = new Set<string>();
  if (filter.brokenOnly) {
    for (const e of graph.edges.filter(isBroken)) {
      brokenEnds.add(e.from);
      brokenEnds.add(e.to);
    }
  }
  const keep = new Set(
    graph.nodes
      .filter(n => !phases || phases.has(n.phase ?? 'none'))
      .filter(n => !filter.brokenOnly || brokenEnds.has(n.entityRef))
      .map(n => n.entityRef),
  );
  if (keep.size === graph.nodes.length) return graph;
  return {
    ...graph,
    nodes: graph.nodes.filter(n => keep.has(n.entityRef)),
    edges: graph.edges.filter(e => keep.has(e.from) && keep.has(e.to)),
  };
}

/** The entity page route params of a graph node. */
export function entityRouteParams(node: GraphNode) {
  return {
    kind: node.kind.toLocaleLowerCase('en-US'),
    namespace: node.namespace,
    name: node.name,
  };
}
