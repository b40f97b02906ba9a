/**
 * Pure logic over dependency graphs: strongly connected components, cycles,
 * release order as topological layers, transitive dependents (blast radius)
 * and a layered drawing. An edge `{ from, to }` means `from` depends on `to`,
 * so `to` is released first.
 *
 * Everything here is iterative (no recursion), linear or close to it in the
 * size of the graph, and terminates on any input, cycles included.
 */

/** A dependency: `from` depends on `to`. @public */
export type DependencyEdge = { from: string; to: string };

/** Release order, or the cycles that prevent one. @public */
export type TopologicalOrder =
  | { ok: true; layers: string[][] }
  | { ok: false; cycles: string[][] };

type Adjacency = Map<string, string[]>;

function adjacency(
  nodes: Iterable<string>,
  edges: readonly DependencyEdge[],
  reverse = false,
): Adjacency {
  const out: Adjacency = new Map();
  for (const node of nodes) out.set(node, []);
  for (const { from, to } of edges) {
    if (!out.has(from) || !out.has(to)) continue;
    out.get(reverse ? to : from)!.push(reverse ? from : to);
  }
  return out;
}

/**
 * Tarjan's strongly connected components, iteratively. A component comes out
 * only after every component it depends on: dependencies first.
 * @public
 */
export function stronglyConnectedComponents(
  nodes: readonly string[],
  edges: readonly DependencyEdge[],
): string[][] {
  const next = adjacency(nodes, edges);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const start of nodes) {
    if (index.has(start)) continue;
    // Each frame: the node and the position in its successor list.
    const frames: Array<[string, number]> = [[start, 0]];
    index.set(start, counter);
    low.set(start, counter);
    counter++;
    stack.push(start);
    onStack.add(start);
    while (frames.length) {
      const frame = frames[frames.length - 1];
      const [node, position] = frame;
      const successors = next.get(node)!;
      if (position < successors.length) {
        frame[1]++;
        const successor = successors[position];
        if (!index.has(successor)) {
          index.set(successor, counter);
          low.set(successor, counter);
          counter++;
          stack.push(successor);
          onStack.add(successor);
          frames.push([successor, 0]);
        } else if (onStack.has(successor)) {
          low.set(node, Math.min(low.get(node)!, index.get(successor)!));
        }
        continue;
      }
      frames.pop();
      if (frames.length) {
        const parent = frames[frames.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(node)!));
      }
      if (low.get(node) === index.get(node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== node);
        components.push(component);
      }
    }
  }
  return components;
}

/**
 * The cycles of a graph: each strongly connected component with more than
 * one member, or one member that depends on itself, members sorted.
 * @public
 */
export function findCycles(
  nodes: readonly string[],
  edges: readonly DependencyEdge[],
): string[][] {
  const selfLoops = new Set(
    edges.filter(e => e.from === e.to).map(e => e.from),
  );
  return stronglyConnectedComponents(nodes, edges)
    .filter(c => c.length > 1 || selfLoops.has(c[0]))
    .map(c => [...c].sort())
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * Layers of the condensation (cycles collapsed): layer 0 depends on nothing
 * in the graph, layer k depends on something in layer k-1 and nothing later.
 * Returns each node's layer.
 */
function condensedLayers(
  nodes: readonly string[],
  edges: readonly DependencyEdge[],
): Map<string, number> {
  const components = stronglyConnectedComponents(nodes, edges);
  const componentOf = new Map<string, number>();
  components.forEach((members, i) => {
    for (const m of members) componentOf.set(m, i);
  });
  // Tarjan emits a component only after every component it reaches, so
  // walking them in emission order sees dependencies first.
  const dependenciesOf = new Map<number, Set<number>>();
  for (const { from, to } of edges) {
    const a = componentOf.get(from);
    const b = componentOf.get(to);
    if (a === undefined || b === undefined || a === b) continue;
    let set = dependenciesOf.get(a);
    if (!set) dependenciesOf.set(a, (set = new Set()));
    set.add(b);
  }
  const layerOfComponent: number[] = [];
  components.forEach((_, i) => {
    let layer = 0;
    for (const dep of dependenciesOf.get(i) ?? []) {
      layer = Math.max(layer, layerOfComponent[dep] + 1);
    }
    layerOfComponent[i] = layer;
  });
  const layers = new Map<string, number>();
  for (const node of nodes) {
    layers.set(node, layerOfComponent[componentOf.get(node)!]);
  }
  return layers;
}

/**
 * Layers for drawing: the release layers, then every node that something
 * depends on moved right, next to the first of its dependents (one layer
 * before it), from the right-most layer down. Dependencies stay left of
 * their dependents and a cycle keeps one layer, but an entity such as a
 * database that only one late service uses no longer sits in the first
 * column with everything else that depends on nothing: shorter edges, and
 * columns of more even height.
 */
function drawingLayers(
  nodes: readonly string[],
  edges: readonly DependencyEdge[],
): Map<string, number> {
  const layers = condensedLayers(nodes, edges);
  const dependents = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (!layers.has(from) || !layers.has(to) || from === to) continue;
    if (layers.get(from) === layers.get(to)) continue;
    (dependents.get(to) ?? dependents.set(to, []).get(to)!).push(from);
  }
  // A cycle moves as one: its members share a layer, and each may only
  // move as far as the nearest dependent of any of them allows.
  const components = stronglyConnectedComponents(nodes, edges);
  components.sort((a, b) => layers.get(b[0])! - layers.get(a[0])!);
  for (const members of components) {
    const inside = new Set(members);
    let limit = Infinity;
    for (const m of members) {
      for (const d of dependents.get(m) ?? []) {
        if (!inside.has(d)) limit = Math.min(limit, layers.get(d)! - 1);
      }
    }
    if (limit === Infinity || limit <= layers.get(members[0])!) continue;
    for (const m of members) layers.set(m, limit);
  }
  return layers;
}

/**
 * The order to release a set of entities in: topological layers, each
 * layer's members releasable together once the layers before it are done.
 * A graph with cycles has no order; its cycles are returned instead.
 * Edges to nodes outside `nodes` are ignored.
 * @public
 */
export function releaseOrder(
  nodes: readonly string[],
  edges: readonly DependencyEdge[],
): TopologicalOrder {
  const cycles = findCycles(nodes, edges);
  if (cycles.length) return { ok: false, cycles };
  const layerOf = condensedLayers(nodes, edges);
  const layers: string[][] = [];
  for (const node of nodes) {
    const layer = layerOf.get(node)!;
    (layers[layer] ??= []).push(node);
  }
  return { ok: true, layers: layers.map(l => l.sort()) };
}

type EdgeIndex = {
  forward: Map<string, string[]>;
  backward: Map<string, string[]>;
};

function indexEdges(edges: readonly DependencyEdge[]): EdgeIndex {
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  for (const { from, to } of edges) {
    (forward.get(from) ?? forward.set(from, []).get(from)!).push(to);
    (backward.get(to) ?? backward.set(to, []).get(to)!).push(from);
  }
  return { forward, backward };
}

function walk(
  roots: readonly string[],
  index: EdgeIndex,
  direction: 'dependencies' | 'dependents' | 'both',
  maxDepth: number,
): Map<string, number> {
  const distance = new Map<string, number>();
  let frontier = [...new Set(roots)];
  for (const root of frontier) distance.set(root, 0);
  for (let depth = 1; depth <= maxDepth && frontier.length; depth++) {
    const nextFrontier: string[] = [];
    for (const node of frontier) {
      const neighbours = [
        ...(direction !== 'dependents' ? index.forward.get(node) ?? [] : []),
        ...(direction !== 'dependencies' ? index.backward.get(node) ?? [] : []),
      ];
      for (const neighbour of neighbours) {
        if (distance.has(neighbour)) continue;
        distance.set(neighbour, depth);
        nextFrontier.push(neighbour);
      }
    }
    frontier = nextFrontier;
  }
  return distance;
}

/**
 * Every node reachable from `roots` along edges (`dependencies`), against
 * them (`dependents`, the blast radius of a change), or both, up to
 * `maxDepth` hops, with its distance. The roots are at distance 0.
 * @public
 */
export function reachable(
  roots: readonly string[],
  edges: readonly DependencyEdge[],
  options: {
    direction: 'dependencies' | 'dependents' | 'both';
    maxDepth?: number;
  },
): Map<string, number> {
  return walk(
    roots,
    indexEdges(edges),
    options.direction,
    options.maxDepth ?? Infinity,
  );
}

/**
 * The entities that depend on any of `changed`, directly or through others:
 * what a change to them can break. The changed entities themselves are not
 * included.
 * @public
 */
export function blastRadius(
  changed: readonly string[],
  edges: readonly DependencyEdge[],
): string[] {
  const reached = reachable(changed, edges, { direction: 'dependents' });
  for (const node of changed) reached.delete(node);
  return [...reached.keys()].sort();
}

/**
 * The release order of a subset of a graph's nodes (the entities in one
 * coordinated release), respecting dependencies that run through entities
 * outside the subset: if A depends on B depends on C and only A and C are
 * released, C goes first.
 * @public
 */
export function releaseOrderOf(
  subset: readonly string[],
  edges: readonly DependencyEdge[],
): TopologicalOrder {
  const members = new Set(subset);
  const index = indexEdges(edges);
  const induced: DependencyEdge[] = [];
  for (const from of members) {
    for (const to of walk([from], index, 'dependencies', Infinity).keys()) {
      if (to !== from && members.has(to)) induced.push({ from, to });
    }
  }
  // Two members that reach each other, through others or not, form a cycle.
  return releaseOrder([...members], induced);
}

/** Where a node sits in a layered drawing. @public */
export type LayeredPosition = {
  /** The column: 0 for nodes that depend on nothing drawn. */
  layer: number;
  /** The position within the column, from the top. */
  row: number;
};

/**
 * A layered drawing (Sugiyama style, simplified): columns are the release
 * layers of the graph with cycles collapsed, each node then moved next to
 * its first dependent; rows are ordered by barycentre sweeps to reduce
 * crossings. Linear in the graph per sweep. Compared with dagre and ELK in
 * bench/graph/layout.ts (bench/README.md, "Dependency graph").
 * @public
 */
export function layeredLayout(
  nodes: readonly string[],
  edges: readonly DependencyEdge[],
  options: { sweeps?: number } = {},
): Map<string, LayeredPosition> {
  const layerOf = drawingLayers(nodes, edges);
  const columns: string[][] = [];
  for (const node of [...nodes].sort()) {
    (columns[layerOf.get(node)!] ??= []).push(node);
  }
  for (let i = 0; i < columns.length; i++) columns[i] ??= [];
  const rowOf = new Map<string, number>();
  const renumber = (column: string[]) =>
    column.forEach((node, row) => rowOf.set(node, row));
  columns.forEach(renumber);

  const neighbours = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (!layerOf.has(from) || !layerOf.has(to) || from === to) continue;
    (neighbours.get(from) ?? neighbours.set(from, []).get(from)!).push(to);
    (neighbours.get(to) ?? neighbours.set(to, []).get(to)!).push(from);
  }
  const barycentre = (node: string, towards: number): number | undefined => {
    let sum = 0;
    let count = 0;
    for (const other of neighbours.get(node) ?? []) {
      const layer = layerOf.get(other)!;
      if (
        (towards < 0 && layer < layerOf.get(node)!) ||
        (towards > 0 && layer > layerOf.get(node)!)
      ) {
        sum += rowOf.get(other)!;
        count++;
      }
    }
    return count ? sum / count : undefined;
  };
  const sortColumn = (column: string[], towards: number) => {
    const keyed = column.map(node => ({
      node,
      key: barycentre(node, towards) ?? rowOf.get(node)!,
    }));
    keyed.sort((a, b) => a.key - b.key || a.node.localeCompare(b.node));
    column.splice(0, column.length, ...keyed.map(k => k.node));
    renumber(column);
  };
  const sweeps = options.sweeps ?? 4;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    if (sweep % 2 === 0) {
      for (let i = 1; i < columns.length; i++) sortColumn(columns[i], -1);
    } else {
      for (let i = columns.length - 2; i >= 0; i--) sortColumn(columns[i], 1);
    }
  }
  const positions = new Map<string, LayeredPosition>();
  columns.forEach((column, layer) =>
    column.forEach((node, row) => positions.set(node, { layer, row })),
  );
  return positions;
}
