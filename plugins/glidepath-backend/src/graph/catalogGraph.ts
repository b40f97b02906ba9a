/*
 * The dependency graph from catalog entities, as pure functions: which
 * entities an entity depends on and is depended on by (dependsOn, consumesApi
 * through the providing components, glidepath.dev/requires), what runs of
 * each in each environment, and the requirement checks. No I/O: the
 * GraphService fetches, these functions compute.
 */
import { Entity } from '@backstage/catalog-model';
import {
  blastRadius,
  checkVersion,
  DependencyEdge,
  DependencyGraph,
  GraphDeployment,
  GraphDirection,
  GraphCheckResult,
  GraphEdge,
  GraphNode,
  GraphRequirement,
  GraphScope,
  isTerminalPhase,
  layeredLayout,
  normalizeEntityRef,
  reachable,
  readGlidepathAnnotations,
  releaseOrder,
  releaseOrderOf,
  RequirementCheck,
  RequirementViolation,
  VersionRequirement,
} from '@glidepath/backstage-plugin-common';
import type { LatestRelease } from '../releases/ReleaseStore';
import { entityKey } from '../shared/refs';

/** The kinds that are nodes of the graph; APIs are resolved to providers. */
export const NODE_KINDS = ['component', 'resource'] as const;

/** The catalog fields the graph needs, and no more. */
export const GRAPH_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.type',
  'spec.lifecycle',
  'relations',
];

export function isNodeKind(ref: string): boolean {
  const kind = ref.slice(0, ref.indexOf(':'));
  return (NODE_KINDS as readonly string[]).includes(kind);
}

function related(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => normalizeEntityRef(r.targetRef));
}

/** A node's fields that depend on the catalog only, not on releases. */
type NodeBase = Omit<
  GraphNode,
  'phase' | 'deployments' | 'distance' | 'inScope' | 'layout'
>;

/** How a set of nodes is drawn and released; depends on the catalog only. */
type Shape = {
  layout: Map<string, { layer: number; row: number }>;
  order: ReturnType<typeof releaseOrder>;
};

const SHAPES_KEPT = 16;

function text(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

/**
 * Entities by normalised ref, who requires whom, and what is computed once
 * per set of entities: annotations, the edges, each node's catalog fields,
 * and the layouts and release orders of recently asked-for node sets. A
 * catalog snapshot's index serves many requests, so this is computed once
 * per snapshot rather than once per request.
 */
export class EntityIndex {
  readonly entities = new Map<string, Entity>();
  /** Required entity -> the entities whose glidepath.dev/requires name it. */
  private readonly requirers = new Map<string, Set<string>>();
  private readonly annotations = new Map<
    string,
    ReturnType<typeof readGlidepathAnnotations>
  >();
  private edgesMemo?: ReturnType<typeof edgesFrom>;
  private readonly bases = new Map<string, NodeBase>();
  private readonly shapes = new Map<string, Shape>();
  private wholeMemo?: {
    included: string[];
    includedSet: Set<string>;
    shape: Shape;
  };

  add(entity: Entity): void {
    const ref = entityKey(entity);
    this.entities.set(ref, entity);
    const annotations = readGlidepathAnnotations(entity);
    this.annotations.set(ref, annotations);
    for (const requirement of annotations.requires ?? []) {
      const set = this.requirers.get(requirement.entityRef) ?? new Set();
      set.add(ref);
      this.requirers.set(requirement.entityRef, set);
    }
    this.edgesMemo = undefined;
    this.wholeMemo = undefined;
    this.bases.clear();
    this.shapes.clear();
  }

  /** The entity's version requirements, those that parse. */
  requirementsOf(ref: string): VersionRequirement[] {
    return this.annotations.get(ref)?.requires ?? [];
  }

  /** Every edge between the indexed nodes, computed once. */
  edges(): ReturnType<typeof edgesFrom> {
    this.edgesMemo ??= edgesFrom(this, this.nodeRefs());
    return this.edgesMemo;
  }

  /** The node's catalog fields, computed once. */
  nodeBase(ref: string): NodeBase {
    let base = this.bases.get(ref);
    if (!base) {
      const entity = this.entities.get(ref)!;
      const target = (type: string) => {
        const r = (entity.relations ?? []).find(x => x.type === type);
        return r ? normalizeEntityRef(r.targetRef) : null;
      };
      base = {
        entityRef: ref,
        kind: entity.kind,
        namespace: entity.metadata.namespace ?? 'default',
        name: entity.metadata.name,
        title: text(entity.metadata.title),
        type: text(entity.spec?.type),
        owner: target('ownedBy'),
        system: target('partOf'),
        lifecycle: text(entity.spec?.lifecycle),
        problems: this.annotations.get(ref)?.problems ?? [],
      };
      this.bases.set(ref, base);
    }
    return base;
  }

  /**
   * The layout and release order of a set of nodes (sorted) with the edges
   * among them, kept for the last few sets asked for.
   */
  shapeOf(nodes: readonly string[], edges: readonly DependencyEdge[]): Shape {
    const key = `${edges.length}\n${nodes.join('\n')}`;
    let shape = this.shapes.get(key);
    if (shape) {
      // Most recently used last.
      this.shapes.delete(key);
    } else {
      shape = {
        layout: layeredLayout(nodes, edges),
        order: releaseOrder(nodes, edges),
      };
      if (this.shapes.size >= SHAPES_KEPT) {
        this.shapes.delete(this.shapes.keys().next().value!);
      }
    }
    this.shapes.set(key, shape);
    return shape;
  }

  get(ref: string): Entity | undefined {
    return this.entities.get(ref);
  }

  /** The APIs an entity consumes (dependencies) or provides (dependents). */
  apisOf(ref: string, direction: GraphDirection): string[] {
    const entity = this.entities.get(ref);
    if (!entity) return [];
    return [
      ...(direction !== 'dependents' ? related(entity, 'consumesApi') : []),
      ...(direction !== 'dependencies' ? related(entity, 'providesApi') : []),
    ];
  }

  /**
   * The node refs one hop away in the given direction. APIs among the
   * entity's relations must already be in the index to be followed.
   */
  neighboursOf(ref: string, direction: GraphDirection): string[] {
    const entity = this.entities.get(ref);
    if (!entity) return [];
    const out: string[] = [];
    if (direction !== 'dependents') {
      out.push(...related(entity, 'dependsOn'));
      for (const api of related(entity, 'consumesApi')) {
        const apiEntity = this.entities.get(api);
        if (apiEntity) out.push(...related(apiEntity, 'apiProvidedBy'));
      }
      out.push(...this.requirementsOf(ref).map(r => r.entityRef));
    }
    if (direction !== 'dependencies') {
      out.push(...related(entity, 'dependencyOf'));
      for (const api of related(entity, 'providesApi')) {
        const apiEntity = this.entities.get(api);
        if (apiEntity) out.push(...related(apiEntity, 'apiConsumedBy'));
      }
      out.push(...(this.requirers.get(ref) ?? []));
    }
    return [...new Set(out)].filter(n => n !== ref && isNodeKind(n));
  }

  /** The entities whose glidepath.dev/requires name `ref`, sorted. */
  requirersOf(ref: string): string[] {
    return [...(this.requirers.get(ref) ?? [])].sort();
  }

  nodeRefs(): string[] {
    return [...this.entities.keys()].filter(isNodeKind);
  }

  /** Every node, sorted, with all the edges' shape: the whole catalog's graph. */
  whole(): { included: string[]; includedSet: Set<string>; shape: Shape } {
    if (!this.wholeMemo) {
      const included = this.nodeRefs().sort();
      this.wholeMemo = {
        included,
        includedSet: new Set(included),
        shape: {
          layout: layeredLayout(included, this.edges().edges),
          order: releaseOrder(included, this.edges().edges),
        },
      };
    }
    return this.wholeMemo;
  }
}

type EdgeBuilder = {
  from: string;
  to: string;
  relations: Set<GraphEdge['relations'][number]>;
  apis: Set<string>;
  requirement?: VersionRequirement;
};

/** An edge as the catalog gives it, before requirement checks. */
type TopologyEdge = {
  from: string;
  to: string;
  relations: GraphEdge['relations'];
  apis: string[];
  requirement?: VersionRequirement;
};

/**
 * Every edge out of the given nodes whose target is in the index, sorted by
 * source and target, relations and APIs sorted; and the targets not in it.
 */
export function edgesFrom(
  index: EntityIndex,
  refs: Iterable<string>,
): { edges: TopologyEdge[]; missing: Map<string, Set<string>> } {
  const edges = new Map<string, EdgeBuilder>();
  /** Target not in the index -> the nodes that name it. */
  const missing = new Map<string, Set<string>>();
  const edge = (from: string, to: string) => {
    const key = `${from}\n${to}`;
    let e = edges.get(key);
    if (!e) {
      e = { from, to, relations: new Set(), apis: new Set() };
      edges.set(key, e);
    }
    return e;
  };
  for (const from of refs) {
    const entity = index.get(from);
    if (!entity) continue;
    const target = (to: string) => {
      if (to === from || !isNodeKind(to)) return undefined;
      if (!index.get(to)) {
        missing.set(to, (missing.get(to) ?? new Set()).add(from));
        return undefined;
      }
      return edge(from, to);
    };
    for (const to of related(entity, 'dependsOn')) {
      target(to)?.relations.add('dependsOn');
    }
    for (const api of related(entity, 'consumesApi')) {
      const apiEntity = index.get(api);
      if (!apiEntity) continue;
      for (const to of related(apiEntity, 'apiProvidedBy')) {
        const e = target(to);
        e?.relations.add('consumesApi');
        e?.apis.add(api);
      }
    }
    for (const requirement of index.requirementsOf(from)) {
      const e = target(requirement.entityRef);
      e?.relations.add('requires');
      if (e) e.requirement = requirement;
    }
  }
  return {
    edges: [...edges.values()]
      .map(e => ({
        from: e.from,
        to: e.to,
        relations: [...e.relations].sort(),
        apis: [...e.apis].sort(),
        requirement: e.requirement,
      }))
      .sort((a, b) =>
        a.from === b.from
          ? a.to.localeCompare(b.to)
          : a.from.localeCompare(b.from),
      ),
    missing,
  };
}

const FAILED = new Set(['rolled_back', 'aborted', 'failed']);

/**
 * What runs of an entity in the environment of its latest release there:
 * that release's version once it succeeded; otherwise (in progress, failed,
 * aborted or rolled back) the version it replaced, which still serves.
 */
export function deploymentOf(latest: LatestRelease): GraphDeployment {
  const active = !isTerminalPhase(latest.phase);
  const replaced = active || FAILED.has(latest.phase);
  return {
    environment: latest.environment,
    version: replaced ? latest.previousVersion : latest.version,
    releaseId: latest.id,
    releasePhase: latest.phase,
    releasingVersion: active ? latest.version : null,
    simulated: latest.simulated,
  };
}

/** A requirement checked against every environment the target runs in. */
export function checkRequirement(
  requirement: VersionRequirement,
  deployments: readonly GraphDeployment[],
): GraphRequirement {
  const checks: RequirementCheck[] = [];
  for (const d of deployments) {
    const stable = checkVersion(d.version, requirement.range);
    checks.push({
      environment: d.environment,
      version: d.version,
      releasing: false,
      status: stable.status,
      message: stable.status === 'satisfied' ? null : stable.message,
    });
    if (d.releasingVersion) {
      const next = checkVersion(d.releasingVersion, requirement.range);
      checks.push({
        environment: d.environment,
        version: d.releasingVersion,
        releasing: true,
        status: next.status,
        message:
          next.status === 'satisfied'
            ? null
            : `the release in progress: ${next.message}`,
      });
    }
  }
  let status: GraphRequirement['status'] = 'unknown';
  if (checks.some(c => c.status === 'broken')) status = 'broken';
  else if (checks.length && checks.every(c => c.status === 'satisfied')) {
    status = 'satisfied';
  }
  return {
    range: requirement.range,
    text: requirement.text,
    status,
    checks,
  };
}

/** Groups the latest releases by entity, in a stable order. */
export function deploymentsByEntity(
  latest: readonly LatestRelease[],
): Map<string, { deployments: GraphDeployment[]; newest?: LatestRelease }> {
  const out = new Map<
    string,
    { deployments: GraphDeployment[]; newest?: LatestRelease }
  >();
  for (const release of latest) {
    const ref = normalizeEntityRef(release.entityRef);
    let entry = out.get(ref);
    if (!entry) {
      entry = { deployments: [] };
      out.set(ref, entry);
    }
    entry.deployments.push(deploymentOf(release));
    if (!entry.newest || release.startedAt > entry.newest.startedAt) {
      entry.newest = release;
    }
  }
  // Environments in a stable order; each entity has only a few.
  for (const entry of out.values()) {
    if (entry.deployments.length > 1) {
      entry.deployments.sort((a, b) =>
        a.environment < b.environment
          ? -1
          : Number(a.environment > b.environment),
      );
    }
  }
  return out;
}

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

/** Whether two lists of deployments say the same. */
export function sameDeployments(
  a: readonly GraphDeployment[],
  b: readonly GraphDeployment[],
): boolean {
  return (
    a.length === b.length &&
    a.every(
      (x, i) =>
        x.environment === b[i].environment &&
        x.version === b[i].version &&
        x.releaseId === b[i].releaseId &&
        x.releasePhase === b[i].releasePhase &&
        x.releasingVersion === b[i].releasingVersion &&
        x.simulated === b[i].simulated,
    )
  );
}

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

/** The JSON of each node and edge object serialised before, by object. */
const fragments = new WeakMap<object, string>();

function fragment(value: object): string {
  let json = fragments.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    fragments.set(value, json);
  }
  return json;
}

/**
 * The graph as JSON, the same text as JSON.stringify gives. The nodes and
 * edges that buildGraph took from a previous answer are not serialised
 * again: a release that changed re-serialises only its entity's node and
 * the requirements on it.
 */
export function serializeGraph(graph: DependencyGraph): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(graph)) {
    if (value === undefined) continue;
    const json =
      key === 'nodes' || key === 'edges'
        ? `[${(value as object[]).map(fragment).join(',')}]`
        : JSON.stringify(value);
    parts.push(`${JSON.stringify(key)}:${json}`);
  }
  return `{${parts.join(',')}}`;
}

/** A proposed change, its entity normalised. */
export type Change = {
  entityRef: string;
  version: string;
  environment?: string;
};

function violation(
  change: Change,
  from: string,
  requirement: VersionRequirement,
  current: GraphDeployment | undefined,
  message: string,
): RequirementViolation {
  const before = checkVersion(current?.version, requirement.range);
  return {
    from,
    to: change.entityRef,
    range: requirement.range,
    text: requirement.text,
    proposedVersion: change.version,
    currentVersion: current?.version ?? null,
    environment: current?.environment ?? change.environment ?? null,
    alreadyBroken: before.status === 'broken',
    message,
  };
}

/**
 * What proposed versions would break: every requirement on a changed entity
 * that its proposed version does not satisfy (per environment it runs in, or
 * the one named), those that cannot be judged, the order to release the
 * changes in, and everything that depends on them.
 */
export function checkChanges(
  index: EntityIndex,
  latest: readonly LatestRelease[],
  changes: readonly Change[],
): GraphCheckResult {
  const deployments = deploymentsByEntity(latest);
  const broken: RequirementViolation[] = [];
  const unknown: RequirementViolation[] = [];
  const missing: string[] = [];
  for (const change of changes) {
    if (!index.get(change.entityRef)) {
      missing.push(change.entityRef);
      continue;
    }
    const environments = (
      deployments.get(change.entityRef)?.deployments ?? []
    ).filter(d => !change.environment || d.environment === change.environment);
    const targets = environments.length ? environments : [undefined];
    for (const from of index.requirersOf(change.entityRef)) {
      const requirement = index
        .requirementsOf(from)
        .find(r => r.entityRef === change.entityRef)!;
      const check = checkVersion(change.version, requirement.range);
      if (check.status === 'satisfied') continue;
      for (const current of targets) {
        if (check.status === 'broken') {
          broken.push(
            violation(
              change,
              from,
              requirement,
              current,
              `${from} requires ${requirement.text}: ${check.message}`,
            ),
          );
        } else {
          unknown.push(
            violation(change, from, requirement, current, check.message),
          );
        }
      }
    }
  }
  const changed = changes.map(c => c.entityRef).filter(ref => index.get(ref));
  const { edges } = index.edges();
  const order = releaseOrderOf([...new Set(changed)], edges);
  return {
    broken,
    unknown,
    releaseOrder: order.ok
      ? { layers: order.layers, cycles: [] }
      : { layers: null, cycles: order.cycles },
    blastRadius: blastRadius(changed, edges),
    missing,
  };
}
