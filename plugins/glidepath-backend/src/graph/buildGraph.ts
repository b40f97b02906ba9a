/*
 * The graph the API serves, built from an entity index and the latest
 * releases, reusing what did not change of a previous answer. Pure: no I/O.
 */
import {
  DependencyGraph,
  GraphDirection,
  GraphEdge,
  GraphNode,
  GraphScope,
  reachable,
} from '@glidepath/backstage-plugin-common';
import type { LatestRelease } from '../releases/ReleaseStore';
import {
  checkRequirement,
  deploymentsByEntity,
  sameDeployments,
} from './deployments';
import { EntityIndex, isNodeKind, Shape, text } from './entityIndex';

export type BuildGraphOptions = {
  scope: GraphScope;
  /** Nodes at distance 0: the root, or the scope's members. */
  roots: readonly string[];
  /** Hops to follow from the roots; Infinity for the whole catalog. */
  depth: number;
  direction: GraphDirection;
  kinds?: readonly string[];
  lifecycles?: readonly string[];
  latest: readonly LatestRelease[];
  /** Refs the catalog was asked for and did not return. */
  missing?: Iterable<string>;
  now: Date;
  /**
   * The answer to the same query on the same index with older releases:
   * its nodes and edges whose releases did not change are taken as they are
   * (the same objects), so that what was serialised of them can be reused
   * (see serializeGraph).
   */
  previous?: DependencyGraph;
};

/**
 * The graph the API serves: the nodes within `depth` of the roots that pass
 * the filters (roots always pass), the edges among them with requirement
 * checks, a layered layout, and the release order or the cycles.
 */
export function buildGraph(
  index: EntityIndex,
  options: BuildGraphOptions,
): DependencyGraph {
  const all = index.edges();
  const roots = new Set(options.roots);
  const kinds = options.kinds?.length ? new Set(options.kinds) : undefined;
  const lifecycles = options.lifecycles?.length
    ? new Set(options.lifecycles)
    : undefined;
  let distance: Map<string, number> | undefined;
  let included: string[];
  let includedSet: Set<string>;
  let edges: typeof all.edges;
  let shape: Shape;
  if (
    options.scope.type === 'all' &&
    !kinds &&
    !lifecycles &&
    options.depth === Infinity
  ) {
    // The whole catalog, unfiltered: every node at distance 0, computed once
    // per snapshot.
    ({ included, includedSet, shape } = index.whole());
    edges = all.edges;
  } else {
    distance = reachable(options.roots, all.edges, {
      direction: options.direction,
      maxDepth: options.depth,
    });
    included = [...distance.keys()]
      .filter(ref => {
        const entity = index.get(ref);
        if (!entity || !isNodeKind(ref)) return false;
        if (roots.has(ref)) return true;
        if (kinds && !kinds.has(entity.kind.toLowerCase())) return false;
        const lifecycle = text(entity.spec?.lifecycle);
        return !lifecycles || (lifecycle !== null && lifecycles.has(lifecycle));
      })
      .sort();
    includedSet = new Set(included);
    const inside = includedSet;
    edges = all.edges.filter(e => inside.has(e.from) && inside.has(e.to));
    shape = index.shapeOf(included, edges);
  }
  const distanceOf = (ref: string) => (distance ? distance.get(ref)! : 0);
  const deployments = deploymentsByEntity(options.latest);
  const { layout, order } = shape;

  const previousNodes = new Map(
    (options.previous?.nodes ?? []).map(n => [n.entityRef, n]),
  );
  // Entities whose node is the previous answer's: what runs there is the same.
  const unchanged = new Set<string>();
  const nodes: GraphNode[] = included.map(ref => {
    const deployed = deployments.get(ref);
    const phase = deployed?.newest?.phase ?? null;
    const deployedHere = deployed?.deployments ?? [];
    const distanceHere = distanceOf(ref);
    const inScope = options.scope.type === 'entity' || roots.has(ref);
    const at = layout.get(ref)!;
    const before = previousNodes.get(ref);
    if (
      before &&
      before.phase === phase &&
      before.distance === distanceHere &&
      before.inScope === inScope &&
      before.layout === at &&
      sameDeployments(before.deployments, deployedHere)
    ) {
      unchanged.add(ref);
      return before;
    }
    return {
      ...index.nodeBase(ref),
      phase,
      deployments: deployedHere,
      distance: distanceHere,
      inScope,
      layout: at,
    };
  });

  // The same query on the same index lists the same edges in the same order.
  const previousEdges = options.previous?.edges;
  const graphEdges: GraphEdge[] = edges.map((e, i) => {
    const before = previousEdges?.[i];
    if (
      before &&
      before.from === e.from &&
      before.to === e.to &&
      (!e.requirement || unchanged.has(e.to))
    ) {
      return before;
    }
    return {
      from: e.from,
      to: e.to,
      relations: e.relations,
      apis: e.apis,
      requirement: e.requirement
        ? checkRequirement(
            e.requirement,
            deployments.get(e.to)?.deployments ?? [],
          )
        : null,
    };
  });

  // A target is missing when a node inside the depth names it and the catalog
  // did not return it (absent, or not readable by the caller).
  const missing = new Set<string>(options.missing ?? []);
  if (options.direction !== 'dependents') {
    for (const [ref, sources] of all.missing) {
      for (const source of sources) {
        if (includedSet.has(source) && distanceOf(source) < options.depth) {
          missing.add(ref);
        }
      }
    }
  }

  return {
    scope: options.scope,
    nodes,
    edges: graphEdges,
    releaseOrder: order.ok
      ? { layers: order.layers, cycles: [] }
      : { layers: null, cycles: order.cycles },
    missing: [...missing].filter(isNodeKind).sort(),
    generatedAt: options.now.toISOString(),
  };
}
