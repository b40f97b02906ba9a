/*
 * Layouts of the dependency graph compared: Glidepath's own layered layout
 * (longest-path layers, barycentre sweeps), dagre as Backstage's
 * DependencyGraph runs it (@dagrejs/dagre, network-simplex ranks) and ELK's
 * layered algorithm (elkjs), on the demo catalog and on the bench's
 * generated 5,000-node catalog (its ~1,000-node neighbourhood and the whole
 * graph). See bench/README.md, "Dependency graph".
 *
 *   bash bench/graph-layout.sh [--runs 5] [--seed glidepath] [--json out.json]
 *     [--layouts barycentre,dagre,ELK] [--graphs 0,1,2,3]
 *
 * Every candidate has the product's signature: nodes and edges in, a layer
 * (column) and a row per node out. Each result is then drawn with the
 * frontend's own geometry (`graphGeometry` of plugins/glidepath/src/lib/
 * graph.ts: 200 x 40 boxes, 90 px between columns, 14 px between rows) and
 * measured there, since that is the drawing people see:
 *  - crossings: pairs of edges whose straight lines from end to end cross
 *    (edges that share a node do not count);
 *  - area per node: the drawing's width x height over the node count, and
 *    the share of the drawing that is boxes;
 *  - label size: the names (NAME_FONT_SIZE) on screen once the drawing is fitted into
 *    the Dependencies tab's 1,100 x 560 px canvas (capped at 1:1);
 *  - time: the layout call, median of --runs (after one warm-up).
 * dagre and ELK also place the nodes themselves (rows of a column need not
 * be packed); their own drawings are measured the same way, for reference.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execSync } from 'node:child_process';
import os from 'node:os';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  DependencyEdge,
  layeredLayout,
  LayeredPosition,
  normalizeEntityRef,
  reachable,
  readGlidepathAnnotations,
} from '@glidepath/backstage-plugin-common';
import type { GraphNode } from '@glidepath/backstage-plugin-common';
import dagre from '@dagrejs/dagre';
import ELK from 'elkjs/lib/elk.bundled.js';
import { parseAllDocuments } from 'yaml';
import {
  graphGeometry,
  NODE_HEIGHT,
  NODE_WIDTH,
} from '../../plugins/glidepath/src/lib/graph';
import { NAME_FONT_SIZE } from '../../plugins/glidepath/src/components/DependencyGraph/viewport';
import { generateCatalog } from './generate';

const COLUMN_GAP = 90;
const ROW_GAP = 14;
const CANVAS = { width: 1100, height: 560, margin: 24 };

type Graph = { name: string; nodes: string[]; edges: DependencyEdge[] };
type Drawing = {
  width: number;
  height: number;
  positions: Map<string, { x: number; y: number }>;
};
/** The product's signature (async, as ELK's is). */
type Layout = (
  nodes: readonly string[],
  edges: readonly DependencyEdge[],
) => Promise<{ layout: Map<string, LayeredPosition>; own?: Drawing }>;

/** Columns by the x of their boxes, rows by y within a column. */
function layersOf(drawing: Drawing): Map<string, LayeredPosition> {
  // Boxes of one layer start at nearly the same x (ELK shifts some by a
  // few px); a new column starts half a box further right.
  const xs = [...new Set([...drawing.positions.values()].map(p => p.x))].sort(
    (a, b) => a - b,
  );
  const layerOfX = new Map<number, number>();
  let layer = -1;
  let start = -Infinity;
  for (const x of xs) {
    if (x - start > NODE_WIDTH / 2) {
      layer++;
      start = x;
    }
    layerOfX.set(x, layer);
  }
  const columns: Array<Array<[string, number]>> = Array.from(
    { length: layer + 1 },
    () => [],
  );
  for (const [node, p] of drawing.positions) {
    columns[layerOfX.get(p.x)!].push([node, p.y]);
  }
  const out = new Map<string, LayeredPosition>();
  columns.forEach((column, layer) =>
    column
      .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
      .forEach(([node], row) => out.set(node, { layer, row })),
  );
  return out;
}

const inGraph = (
  nodes: readonly string[],
  edges: readonly DependencyEdge[],
) => {
  const set = new Set(nodes);
  return edges.filter(e => e.from !== e.to && set.has(e.from) && set.has(e.to));
};

const barycentre: Layout = async (nodes, edges) => ({
  layout: layeredLayout(nodes, edges),
});

/** As Backstage's DependencyGraph calls dagre, left to right. */
const dagreLayered: Layout = async (nodes, edges) => {
  const g = new dagre.graphlib.Graph();
  g.setGraph({
    rankdir: 'LR',
    ranker: 'network-simplex',
    nodesep: ROW_GAP,
    ranksep: COLUMN_GAP,
    marginx: 0,
    marginy: 0,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes)
    g.setNode(n, { width: NODE_WIDTH, height: NODE_HEIGHT });
  // Dependencies on the left: an edge from the dependency to the dependent.
  for (const e of inGraph(nodes, edges)) g.setEdge(e.to, e.from);
  dagre.layout(g);
  const positions = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const { x, y } = g.node(n);
    positions.set(n, { x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 });
  }
  const own = { width: g.graph().width!, height: g.graph().height!, positions };
  return { layout: layersOf(own), own };
};

const elk = new ELK();
const elkLayered: Layout = async (nodes, edges) => {
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': String(ROW_GAP),
      'elk.layered.spacing.nodeNodeBetweenLayers': String(COLUMN_GAP),
      'elk.padding': '[top=0,left=0,bottom=0,right=0]',
      // One set of layers for the whole graph, as the others draw it
      // (by default ELK lays out each connected part on its own).
      'elk.separateConnectedComponents': 'false',
    },
    children: nodes.map(id => ({
      id,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
    })),
    edges: inGraph(nodes, edges).map((e, i) => ({
      id: `e${i}`,
      sources: [e.to],
      targets: [e.from],
    })),
  });
  const positions = new Map<string, { x: number; y: number }>();
  for (const child of result.children ?? []) {
    positions.set(child.id, { x: child.x ?? 0, y: child.y ?? 0 });
  }
  const own = {
    width: result.width ?? 0,
    height: result.height ?? 0,
    positions,
  };
  return { layout: layersOf(own), own };
};

const CANDIDATES: Record<string, Layout> = {
  'barycentre (product)': barycentre,
  'dagre (network simplex)': dagreLayered,
  'ELK layered': elkLayered,
};

/** The frontend's drawing of a layered layout. */
function productDrawing(layout: Map<string, LayeredPosition>): Drawing {
  const nodes = [...layout].map(
    ([entityRef, at]) => ({ entityRef, layout: at } as unknown as GraphNode),
  );
  return graphGeometry(nodes);
}

/**
 * Pairs of edges that cross, each edge a straight line from the dependent's
 * left side to the dependency's right side (where the product's curves
 * start and end). Pairs that share a node do not count.
 */
function crossings(drawing: Drawing, edges: readonly DependencyEdge[]): number {
  type Segment = {
    from: string;
    to: string;
    x1: number;
    y1: number;
    x2: number;
    y2: number;
  };
  const segments: Segment[] = [];
  for (const e of edges) {
    const a = drawing.positions.get(e.from);
    const b = drawing.positions.get(e.to);
    if (!a || !b || e.from === e.to) continue;
    const p = { x: a.x, y: a.y + NODE_HEIGHT / 2 };
    const q = { x: b.x + NODE_WIDTH, y: b.y + NODE_HEIGHT / 2 };
    const [l, r] = p.x <= q.x ? [p, q] : [q, p];
    segments.push({
      from: e.from,
      to: e.to,
      x1: l.x,
      y1: l.y,
      x2: r.x,
      y2: r.y,
    });
  }
  segments.sort((s, t) => s.x1 - t.x1);
  const orient = (
    ax: number,
    ay: number,
    bx: number,
    by: number,
    cx: number,
    cy: number,
  ) => Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
  let count = 0;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    const sMinY = Math.min(s.y1, s.y2);
    const sMaxY = Math.max(s.y1, s.y2);
    for (let j = i + 1; j < segments.length; j++) {
      const t = segments[j];
      if (t.x1 >= s.x2) break;
      if (
        t.from === s.from ||
        t.from === s.to ||
        t.to === s.from ||
        t.to === s.to
      ) {
        continue;
      }
      if (Math.max(t.y1, t.y2) < sMinY || Math.min(t.y1, t.y2) > sMaxY) {
        continue;
      }
      const d1 = orient(s.x1, s.y1, s.x2, s.y2, t.x1, t.y1);
      const d2 = orient(s.x1, s.y1, s.x2, s.y2, t.x2, t.y2);
      const d3 = orient(t.x1, t.y1, t.x2, t.y2, s.x1, s.y1);
      const d4 = orient(t.x1, t.y1, t.x2, t.y2, s.x2, s.y2);
      if (d1 * d2 < 0 && d3 * d4 < 0) count++;
    }
  }
  return count;
}

type Measure = {
  crossings: number;
  width: number;
  height: number;
  areaPerNode: number;
  boxShare: number;
  labelPx: number;
};

function measure(drawing: Drawing, graph: Graph): Measure {
  const { width, height } = drawing;
  const n = graph.nodes.length;
  const k = Math.min(
    1,
    (CANVAS.width - 2 * CANVAS.margin) / width,
    (CANVAS.height - 2 * CANVAS.margin) / height,
  );
  return {
    crossings: crossings(drawing, graph.edges),
    width: Math.round(width),
    height: Math.round(height),
    areaPerNode: Math.round((width * height) / n),
    boxShare: (n * NODE_WIDTH * NODE_HEIGHT) / (width * height),
    labelPx: NAME_FONT_SIZE * k,
  };
}

/** The edges the graph API draws: dependsOn, consumed APIs' providers, requires. */
function graphOfEntities(name: string, docs: any[]): Graph {
  const isNode = (ref: string) => /^(component|resource):/.test(ref);
  const refOf = (ref: string, defaultKind?: string, namespace = 'default') => {
    const r = parseEntityRef(ref, { defaultKind, defaultNamespace: namespace });
    return normalizeEntityRef(`${r.kind}:${r.namespace}/${r.name}`);
  };
  const providers = new Map<string, string[]>();
  const nodes: string[] = [];
  for (const e of docs) {
    const ns = e.metadata?.namespace ?? 'default';
    const self = refOf(`${e.kind}:${ns}/${e.metadata.name}`);
    if (!isNode(self)) continue;
    nodes.push(self);
    for (const api of e.spec?.providesApis ?? []) {
      const a = refOf(api, 'api', ns);
      providers.set(a, [...(providers.get(a) ?? []), self]);
    }
  }
  const nodeSet = new Set(nodes);
  const seen = new Set<string>();
  const edges: DependencyEdge[] = [];
  const add = (from: string, to: string) => {
    const key = `${from}>${to}`;
    if (from === to || !nodeSet.has(to) || seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to });
  };
  for (const e of docs) {
    const ns = e.metadata?.namespace ?? 'default';
    const self = refOf(`${e.kind}:${ns}/${e.metadata.name}`);
    if (!isNode(self)) continue;
    for (const d of e.spec?.dependsOn ?? []) add(self, refOf(d, undefined, ns));
    for (const api of e.spec?.consumesApis ?? []) {
      for (const p of providers.get(refOf(api, 'api', ns)) ?? []) add(self, p);
    }
    for (const r of readGlidepathAnnotations(e).requires ?? []) {
      add(self, r.entityRef);
    }
  }
  return { name, nodes: nodes.sort(), edges };
}

function neighbourhood(
  name: string,
  graph: Graph,
  root: string,
  depth: number,
): Graph {
  const near = reachable([root], graph.edges, {
    direction: 'both',
    maxDepth: depth,
  });
  return {
    name,
    nodes: [...near.keys()].sort(),
    edges: graph.edges.filter(e => near.has(e.from) && near.has(e.to)),
  };
}

function yamlDocs(text: string): any[] {
  return parseAllDocuments(text)
    .map(d => d.toJSON())
    .filter(d => d && d.kind);
}

function demoGraph(): Graph {
  const dir = resolve(__dirname, '../../examples');
  const files = [
    ...readdirSync(dir)
      .filter(f => f.endsWith('.yaml'))
      .map(f => resolve(dir, f)),
    ...readdirSync(resolve(dir, 'components')).map(f =>
      resolve(dir, 'components', f),
    ),
    resolve(__dirname, '../../catalog-info.yaml'),
  ];
  return graphOfEntities(
    'demo catalog',
    files.flatMap(f => yamlDocs(readFileSync(f, 'utf8'))),
  );
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

function ms(value: number): string {
  return value >= 1000
    ? `${(value / 1000).toFixed(2)} s`
    : `${value.toFixed(1)} ms`;
}

async function main() {
  const runs = Number(arg('runs', '5'));
  const seed = arg('seed', 'glidepath');
  const json = arg('json', '');
  const only = arg('layouts', 'barycentre,dagre,ELK').split(',');
  // The graphs by index: 0 the demo tab, 1 the demo catalog, 2 the
  // ~1,000-node neighbourhood, 3 the 5,000-node catalog.
  const sizes = arg('graphs', '0,1,2,3').split(',').map(Number);
  const demo = demoGraph();
  const generated = generateCatalog({ seed, size: 5000 });
  const large = graphOfEntities('5,000-node catalog', yamlDocs(generated.yaml));
  if (
    large.nodes.length !== generated.meta.nodes ||
    large.edges.length !== generated.meta.edges
  ) {
    throw new Error(
      `edges differ from the generator's: ${large.nodes.length} nodes, ${large.edges.length} edges, expected ${generated.meta.nodes} and ${generated.meta.edges}`,
    );
  }
  const { root, depth } = generated.meta.large;
  const graphs: Graph[] = [
    neighbourhood(
      'demo: promotions-service, depth 2 (the tab)',
      demo,
      'component:default/promotions-service',
      2,
    ),
    demo,
    neighbourhood(
      `~1,000: ${root.replace(/^.*\//, '')}, depth ${depth}`,
      large,
      root,
      depth,
    ),
    large,
  ];
  let commit = '';
  try {
    commit = execSync('git rev-parse --short HEAD').toString().trim();
  } catch {
    commit = 'unknown';
  }
  console.log(
    `Layouts of the dependency graph, ${new Date()
      .toISOString()
      .slice(0, 16)}Z, commit ${commit}, Node ${process.version}, ${
      os.cpus().length
    } cores; seed ${seed}; time = median of ${runs} runs after a warm-up (one run above 3,000 nodes for dagre and ELK)`,
  );
  const rows: Array<Record<string, unknown>> = [];
  for (const graph of graphs.filter((_, i) => sizes.includes(i))) {
    console.log(
      `\n${graph.name}: ${graph.nodes.length} nodes, ${graph.edges.length} edges`,
    );
    console.log(
      '  layout                    time       crossings  drawing (px)      px²/node  boxes  names at fit | own drawing: crossings, px, px²/node',
    );
    for (const [name, layout] of Object.entries(CANDIDATES).filter(
      ([candidate]) => only.some(o => candidate.startsWith(o)),
    )) {
      const slow = name !== 'barycentre (product)' && graph.nodes.length > 3000;
      const times: number[] = [];
      let result!: Awaited<ReturnType<Layout>>;
      for (let run = 0; run < (slow ? 1 : runs + 1); run++) {
        const started = performance.now();
        result = await layout(graph.nodes, graph.edges);
        if (slow || run > 0) times.push(performance.now() - started);
      }
      const product = measure(productDrawing(result.layout), graph);
      const own = result.own ? measure(result.own, graph) : undefined;
      const time = median(times);
      rows.push({ graph: graph.name, layout: name, time, product, own });
      console.log(
        `  ${name.padEnd(25)} ${ms(time).padStart(9)}  ${String(
          product.crossings,
        ).padStart(9)}  ${`${product.width} x ${product.height}`.padEnd(
          16,
        )} ${String(product.areaPerNode).padStart(9)}  ${(
          product.boxShare * 100
        ).toFixed(0)}%   ${product.labelPx.toFixed(1).padStart(6)} px${
          own
            ? `   | ${own.crossings}, ${own.width} x ${own.height}, ${own.areaPerNode}`
            : ''
        }`,
      );
    }
  }
  if (json) writeFileSync(json, `${JSON.stringify(rows, null, 2)}\n`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
