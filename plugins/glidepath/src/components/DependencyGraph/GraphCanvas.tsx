import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import ZoomInIcon from '@material-ui/icons/ZoomIn';
import ZoomOutIcon from '@material-ui/icons/ZoomOut';
import FullscreenIcon from '@material-ui/icons/Fullscreen';
import type {
  DependencyGraph,
  GraphEdge,
  GraphNode,
} from '@glidepath/backstage-plugin-common';
import { useNavigate } from 'react-router-dom';
import {
  edgePath,
  entityRouteParams,
  graphGeometry,
  GraphGeometry,
  hasRequirementProblem,
  isBroken,
  NODE_HEIGHT,
  NODE_WIDTH,
  nodeLabel,
  phaseStyle,
  phaseText,
  versionText,
} from '../../lib/graph';
import {
  drawingBounds,
  fitScale,
  LABEL_MIN_SCALE,
  MARGIN,
  MIN_CANVAS_HEIGHT,
  NAME_FONT_SIZE,
  openingView,
  View,
} from './viewport';

/** Above this many edges, plain dependency edges get no tooltip. */
const LARGE_EDGE_COUNT = 2000;

function arrowHead(broken: boolean, arrows: boolean): string | undefined {
  if (broken) return 'url(#glidepath-arrow-broken)';
  return arrows ? 'url(#glidepath-arrow)' : undefined;
}

const Edges = memo(function EdgesLayer(props: {
  edges: readonly GraphEdge[];
  geometry: GraphGeometry;
  /** Arrowheads on plain edges; left out where they would be specks. */
  arrows: boolean;
}) {
  const { edges, geometry, arrows } = props;
  // Zoomed out in a large graph, the plain edges (no tooltip there, no
  // arrowheads at that size) are one path: thousands of elements fewer to
  // lay out and paint. Requirement edges stay apart, with their tooltips.
  const merge = !arrows && edges.length > LARGE_EDGE_COUNT;
  const merged: string[] = [];
  const separate = edges.map(edge => {
    const from = geometry.positions.get(edge.from);
    const to = geometry.positions.get(edge.to);
    if (!from || !to) return null;
    if (merge && !edge.requirement) {
      merged.push(edgePath(from, to));
      return null;
    }
    const broken = isBroken(edge);
    // A tooltip per edge is thousands of extra elements in a large
    // graph: there, only requirement edges have one.
    const title = edge.requirement
      ? `${edge.from} requires ${edge.requirement.text}: ${
          edge.requirement.checks.find(c => c.status !== 'satisfied')
            ?.message ?? edge.requirement.status
        }`
      : `${edge.from} depends on ${edge.to} (${edge.relations.join(', ')})`;
    return (
      <path
        key={`${edge.from}>${edge.to}`}
        d={edgePath(from, to)}
        fill="none"
        stroke={broken ? '#c62828' : '#9e9e9e'}
        strokeWidth={broken ? 3 : 1.2}
        strokeDasharray={broken ? '6 4' : undefined}
        markerEnd={arrowHead(broken, arrows)}
        data-testid="glidepath-graph-edge"
        data-broken={broken ? 'true' : 'false'}
        data-from={edge.from}
        data-to={edge.to}
      >
        {(edge.requirement || edges.length <= LARGE_EDGE_COUNT) && (
          <title>{title}</title>
        )}
      </path>
    );
  });
  return (
    <g>
      {merged.length > 0 && (
        <path
          d={merged.join(' ')}
          fill="none"
          stroke="#9e9e9e"
          strokeWidth={1.2}
          data-testid="glidepath-graph-plain-edges"
          data-count={merged.length}
        />
      )}
      {separate}
    </g>
  );
});

const Nodes = memo(function NodesLayer(props: {
  nodes: readonly GraphNode[];
  geometry: GraphGeometry;
  root?: string;
  flagged: ReadonlySet<string>;
  onOpen: (node: GraphNode) => void;
}) {
  const { nodes, geometry, root, flagged, onOpen } = props;
  // One handler for all the nodes, which are plain rectangles: a 1,000-node
  // graph is then 1,000 elements with their tooltips, and no closures.
  const byRef = useMemo(
    () => new Map(nodes.map(node => [node.entityRef, node])),
    [nodes],
  );
  const nodeOf = (target: EventTarget) => {
    const ref = (target as Element)
      .closest('[data-entity-ref]')
      ?.getAttribute('data-entity-ref');
    return ref ? byRef.get(ref) : undefined;
  };
  return (
    <g
      onClick={e => {
        const node = nodeOf(e.target);
        if (node) onOpen(node);
      }}
      onKeyDown={e => {
        const node = e.key === 'Enter' ? nodeOf(e.target) : undefined;
        if (node) onOpen(node);
      }}
    >
      {nodes.map(node => {
        const p = geometry.positions.get(node.entityRef)!;
        const style = phaseStyle(node.phase);
        const isRoot = node.entityRef === root;
        const problem =
          flagged.has(node.entityRef) || hasRequirementProblem(node);
        const version = versionText(node);
        const label = `${node.title ?? node.name} (${node.kind}), ${phaseText(
          node.phase,
        )}${version ? `, version ${version}` : ''}${
          problem ? ', has a broken or malformed version requirement' : ''
        }`;
        return (
          <rect
            key={node.entityRef}
            x={p.x}
            y={p.y}
            width={NODE_WIDTH}
            height={NODE_HEIGHT}
            rx={6}
            fill={style.fill}
            stroke={problem ? '#c62828' : style.stroke}
            strokeWidth={isRoot || problem ? 3 : 1.5}
            strokeDasharray={node.inScope ? undefined : '2 3'}
            role="link"
            tabIndex={0}
            aria-label={label}
            cursor="pointer"
            data-testid="glidepath-graph-node"
            data-entity-ref={node.entityRef}
            data-phase={node.phase ?? 'none'}
          >
            <title>{label}</title>
          </rect>
        );
      })}
    </g>
  );
});

/**
 * The nodes' names and versions, drawn apart from the nodes so that they can
 * be left out while they would be too small to read (a 1,000-node graph
 * fitted to the screen): thousands of text elements cost more to lay out and
 * paint than everything else in the drawing. Each node's aria-label and
 * tooltip say the same for screen readers and pointers at any zoom.
 */
const Labels = memo(function LabelsLayer(props: {
  nodes: readonly GraphNode[];
  geometry: GraphGeometry;
  root?: string;
}) {
  const { nodes, geometry, root } = props;
  return (
    <g
      aria-hidden="true"
      pointerEvents="none"
      data-testid="glidepath-graph-labels"
    >
      {nodes.map(node => {
        const p = geometry.positions.get(node.entityRef)!;
        const version = versionText(node);
        return (
          <g key={node.entityRef} transform={`translate(${p.x},${p.y})`}>
            <text
              x={10}
              y={18}
              fontSize={NAME_FONT_SIZE}
              fontWeight={node.entityRef === root ? 700 : 500}
              fill="#212121"
            >
              {nodeLabel(node, 22)}
            </text>
            <text x={10} y={33} fontSize={11} fill="#616161">
              {node.kind === 'Resource' ? 'resource' : node.type ?? 'component'}
              {version ? ` · ${version}` : ''}
            </text>
          </g>
        );
      })}
    </g>
  );
});

/**
 * The graph drawn as SVG on the server's layered layout (no layout work in
 * the browser): drag to pan, wheel or buttons to zoom, a node opens its
 * entity page. Nodes and edges are rendered once per graph; panning and
 * zooming only move the group that holds them.
 */
export function GraphCanvas(props: {
  graph: DependencyGraph;
  root?: string;
  height?: number;
}) {
  const { graph, root } = props;
  const maxHeight = props.height ?? 560;
  const geometry = useMemo(() => graphGeometry(graph.nodes), [graph.nodes]);
  const bounds = useMemo(
    () => drawingBounds(geometry, graph.edges),
    [geometry, graph.edges],
  );
  const [height, setHeight] = useState(maxHeight);
  const flagged = useMemo(
    () => new Set(graph.edges.filter(isBroken).map(e => e.from)),
    [graph.edges],
  );
  const container = useRef<HTMLDivElement>(null);
  // Unknown until the container's width is: the layers are drawn once, at
  // the fitted zoom (drawing them at 1:1 first would lay out every label).
  const [view, setView] = useState<View | null>(null);
  const drag = useRef<{ x: number; y: number; view: View } | null>(null);
  const navigate = useNavigate();
  const entityRoute = useRouteRef(entityRouteRef);

  const containerWidth = () => container.current?.clientWidth || 1000;
  // The opening view: legible names around the root, or all of the graph;
  // the canvas as tall as the drawing (see openingView).
  useLayoutEffect(() => {
    const opening = openingView({
      bounds,
      nodeCount: graph.nodes.length,
      width: containerWidth(),
      maxHeight,
      focus: root ? geometry.positions.get(root) : undefined,
    });
    setHeight(opening.height);
    setView(opening.view);
  }, [bounds, geometry, graph.nodes.length, maxHeight, root]);
  /** All of the drawing, the canvas grown up to its maximum height for it. */
  const refit = useCallback(() => {
    const width = containerWidth();
    const k = fitScale(bounds, width, maxHeight);
    const h = Math.min(
      maxHeight,
      Math.max(
        MIN_CANVAS_HEIGHT,
        (bounds.bottom - bounds.top) * k + 2 * MARGIN,
      ),
    );
    setHeight(h);
    setView({
      k,
      x: (width - (bounds.right - bounds.left) * k) / 2 - bounds.left * k,
      y: (h - (bounds.bottom - bounds.top) * k) / 2 - bounds.top * k,
    });
  }, [bounds, maxHeight]);

  const onOpen = useCallback(
    (node: GraphNode) => navigate(entityRoute(entityRouteParams(node))),
    [navigate, entityRoute],
  );

  const zoom = useCallback(
    (factor: number, cx?: number, cy?: number) => {
      setView(v => {
        if (!v) return v;
        const k = Math.min(4, Math.max(0.02, v.k * factor));
        const x0 = cx ?? (container.current?.clientWidth ?? 0) / 2;
        const y0 = cy ?? height / 2;
        return {
          k,
          x: x0 - ((x0 - v.x) * k) / v.k,
          y: y0 - ((y0 - v.y) * k) / v.k,
        };
      });
    },
    [height],
  );

  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const box = element.getBoundingClientRect();
      zoom(
        Math.exp(-e.deltaY * 0.0015),
        e.clientX - box.left,
        e.clientY - box.top,
      );
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [zoom]);

  // Names and arrowheads only where they can be seen (see Labels).
  const showLabels = view !== null && view.k >= LABEL_MIN_SCALE;
  const edges = useMemo(
    () => <Edges edges={graph.edges} geometry={geometry} arrows={showLabels} />,
    [graph.edges, geometry, showLabels],
  );
  const nodes = useMemo(
    () => (
      <Nodes
        nodes={graph.nodes}
        geometry={geometry}
        root={root}
        flagged={flagged}
        onOpen={onOpen}
      />
    ),
    [graph.nodes, geometry, root, flagged, onOpen],
  );
  const labels = useMemo(
    () =>
      showLabels ? (
        <Labels nodes={graph.nodes} geometry={geometry} root={root} />
      ) : null,
    [showLabels, graph.nodes, geometry, root],
  );

  return (
    <Box position="relative">
      <Box
        position="absolute"
        right={8}
        top={8}
        zIndex={1}
        bgcolor="background.paper"
        borderRadius={4}
      >
        <Tooltip title="Zoom in">
          <IconButton
            size="small"
            aria-label="Zoom in"
            onClick={() => zoom(1.25)}
          >
            <ZoomInIcon />
          </IconButton>
        </Tooltip>
        <Tooltip title="Zoom out">
          <IconButton
            size="small"
            aria-label="Zoom out"
            onClick={() => zoom(0.8)}
          >
            <ZoomOutIcon />
          </IconButton>
        </Tooltip>
        <Tooltip title="Fit the graph">
          <IconButton size="small" aria-label="Fit the graph" onClick={refit}>
            <FullscreenIcon />
          </IconButton>
        </Tooltip>
      </Box>
      <div
        ref={container}
        style={{
          height,
          overflow: 'hidden',
          border: '1px solid rgba(0,0,0,0.12)',
          borderRadius: 4,
          background: '#fff',
          touchAction: 'none',
          cursor: drag.current ? 'grabbing' : 'grab',
        }}
        onPointerDown={e => {
          if (
            (e.target as Element).closest(
              '[data-testid="glidepath-graph-node"]',
            )
          ) {
            return;
          }
          if (!view) return;
          drag.current = { x: e.clientX, y: e.clientY, view };
        }}
        onPointerMove={e => {
          const start = drag.current;
          if (!start) return;
          setView({
            ...start.view,
            x: start.view.x + e.clientX - start.x,
            y: start.view.y + e.clientY - start.y,
          });
        }}
        onPointerUp={() => {
          drag.current = null;
        }}
        onPointerLeave={() => {
          drag.current = null;
        }}
      >
        <svg
          width="100%"
          height={height}
          data-testid="glidepath-graph"
          data-scale={view ? view.k.toFixed(3) : undefined}
          data-node-count={graph.nodes.length}
          data-edge-count={graph.edges.length}
          data-labels={showLabels ? 'shown' : 'hidden'}
          aria-label={`Dependency graph of ${graph.nodes.length} entities`}
          role="img"
        >
          <defs>
            <marker
              id="glidepath-arrow"
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#9e9e9e" />
            </marker>
            <marker
              id="glidepath-arrow-broken"
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="6"
              markerHeight="6"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" fill="#c62828" />
            </marker>
          </defs>
          {view && (
            <g transform={`translate(${view.x},${view.y}) scale(${view.k})`}>
              {edges}
              {nodes}
              {labels}
            </g>
          )}
        </svg>
      </div>
    </Box>
  );
}
