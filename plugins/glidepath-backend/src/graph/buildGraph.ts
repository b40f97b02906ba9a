/*
 * The graph the API serves, built from an entity index and the latest
 * releases, reusing what did not change of a previous answer. Pure: no I/O.
 */
import {
  DependencyGraph,
  EnvironmentDefinition,
  GraphDirection,
  GraphEdge,
  GraphMissing,
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
import {
  EntityIndex,
  isNodeKind,
  MissingTarget,
  Shape,
  text,
} from './entityIndex';

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
  /** The organisation's environments: each node's in promotion order. */
  environments?: readonly EnvironmentDefinition[];
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
 * the filters, the edges among them with requirement checks, a layered
 * layout, the release order or the cycles, and what the nodes name that
 * gives no edge.
 *
 * The kind and lifecycle filters apply to every node, the members of a
 * system, domain or owner and the whole catalog's nodes included, with one
 * exception: the entity a graph is drawn around (scope `entity`) stays
 * whatever it is, since the graph is about it. Hops are counted over the
 * whole catalog: a node that passes is shown even when the only path to it
 * runs through nodes that do not.
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
  const passes = (ref: string) => {
    const entity = index.get(ref);
    if (!entity || !isNodeKind(ref)) return false;
    if (options.scope.type === 'entity' && roots.has(ref)) return true;
    if (kinds && !kinds.has(entity.kind.toLowerCase())) return false;
    const lifecycle = text(entity.spec?.lifecycle);
    return !lifecycles || (lifecycle !== null && lifecycles.has(lifecycle));
  };
  let distance: Map<string, number> | undefined;
  let included: string[];
  let includedSet: Set<string>;
  let edges: typeof all.edges;
  let shape: Shape;
  const whole = options.scope.type === 'all' && options.depth === Infinity;
  if (whole && !kinds && !lifecycles) {
    // The whole catalog, unfiltered: every node at distance 0, computed once
    // per snapshot.
    ({ included, includedSet, shape } = index.whole());
    edges = all.edges;
  } else {
    if (whole) {
      // Every node is at distance 0: no walk needed.
      included = index.whole().included.filter(passes);
    } else {
      distance = reachable(options.roots, all.edges, {
        direction: options.direction,
        maxDepth: options.depth,
      });
      included = [...distance.keys()].filter(passes).sort();
    }
    includedSet = new Set(included);
    const inside = includedSet;
    edges = all.edges.filter(e => inside.has(e.from) && inside.has(e.to));
    shape = index.shapeOf(included, edges);
  }
  const distanceOf = (ref: string) => (distance ? distance.get(ref)! : 0);
  const deployments = deploymentsByEntity(options.latest, options.environments);
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

  // A target is missing when a node inside the depth names it and it gives
  // no edge: the catalog did not return it, or it is of the wrong kind.
  const missing = new Map<string, MissingTarget>();
  for (const ref of options.missing ?? []) {
    missing.set(ref, { reason: 'not-found', namedBy: new Map() });
  }
  if (options.direction !== 'dependents') {
    for (const [ref, target] of all.missing) {
      for (const [source, relations] of target.namedBy) {
        if (!includedSet.has(source) || distanceOf(source) >= options.depth) {
          continue;
        }
        let entry = missing.get(ref);
        if (!entry) {
          entry = { ...target, namedBy: new Map() };
          missing.set(ref, entry);
        }
        entry.namedBy.set(source, relations);
      }
    }
  }
  const missingDetails = [...missing]
    .map(([ref, target]) => missingDetail(ref, target))
    .sort((a, b) => a.entityRef.localeCompare(b.entityRef));

  return {
    scope: options.scope,
    nodes,
    edges: graphEdges,
    releaseOrder: order.ok
      ? { layers: order.layers, cycles: [] }
      : { layers: null, cycles: order.cycles },
    missing: missingDetails.map(m => m.entityRef),
    missingDetails,
    generatedAt: options.now.toISOString(),
  };
}

/** The spec fields behind the graph's relations, as adopters write them. */
const FIELD_OF: Record<GraphMissing['relations'][number], string> = {
  dependsOn: 'dependsOn',
  consumesApi: 'consumesApis',
  requires: 'glidepath.dev/requires',
};

/** A missing target as the API sends it, with a sentence saying why. */
export function missingDetail(
  ref: string,
  target: MissingTarget,
): GraphMissing {
  const namedBy = [...target.namedBy.keys()].sort();
  const relations = [
    ...new Set([...target.namedBy.values()].flatMap(r => [...r])),
  ].sort();
  const by = namedBy.length
    ? ` (${relations.map(r => FIELD_OF[r]).join(', ')} of ${namedBy.join(
        ', ',
      )})`
    : '';
  const message =
    target.reason === 'wrong-kind'
      ? `${ref} is a ${
          target.kind
        }, not an API: consumesApis names APIs${by}; a dependency on a ${target.kind?.toLowerCase()} is written dependsOn`
      : `${ref} is not in the catalog, or you may not read it${by}`;
  return { entityRef: ref, reason: target.reason, namedBy, relations, message };
}
