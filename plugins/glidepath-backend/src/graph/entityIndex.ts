/*
 * The catalog entities a graph is built from, indexed: which entities an
 * entity depends on and is depended on by (dependsOn, consumesApi through
 * the providing components, glidepath.dev/requires), and the edges among
 * them. Pure: the GraphService fetches, these functions compute (see
 * buildGraph.ts and checkChanges.ts for the rest).
 */
import { Entity } from '@backstage/catalog-model';
import {
  DependencyEdge,
  GraphDirection,
  GraphEdge,
  GraphNode,
  layeredLayout,
  normalizeEntityRef,
  readGlidepathAnnotations,
  releaseOrder,
  VersionRequirement,
} from '@glidepath/backstage-plugin-common';
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
export type Shape = {
  layout: Map<string, { layer: number; row: number }>;
  order: ReturnType<typeof releaseOrder>;
};

const SHAPES_KEPT = 16;

export function text(value: unknown): string | null {
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
      // The first target of that relation type (and kind): a subcomponent
      // is `partOf` its parent component as well as, when it names one, its
      // system, and the processor emits the parent first.
      const target = (type: string, kind?: string) =>
        related(entity, type).find(to => !kind || to.startsWith(`${kind}:`)) ??
        null;
      base = {
        entityRef: ref,
        kind: entity.kind,
        namespace: entity.metadata.namespace ?? 'default',
        name: entity.metadata.name,
        title: text(entity.metadata.title),
        type: text(entity.spec?.type),
        owner: target('ownedBy'),
        // Backstage gives a subcomponent no system of its parent's: only
        // its own spec.system makes one.
        system: target('partOf', 'system'),
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
 * A target a node names that gives no edge: not in the index (absent, or
 * not readable by the caller), or of the wrong kind (a consumesApis entry
 * naming a component).
 */
export type MissingTarget = {
  reason: 'not-found' | 'wrong-kind';
  /** The kind the catalog has, for `wrong-kind`. */
  kind?: string;
  /** The nodes that name it, and through which relations. */
  namedBy: Map<string, Set<GraphEdge['relations'][number]>>;
};

/**
 * Every edge out of the given nodes whose target is in the index, sorted by
 * source and target, relations and APIs sorted; and the targets that give
 * no edge (see MissingTarget).
 */
export function edgesFrom(
  index: EntityIndex,
  refs: Iterable<string>,
): { edges: TopologyEdge[]; missing: Map<string, MissingTarget> } {
  const edges = new Map<string, EdgeBuilder>();
  const missing = new Map<string, MissingTarget>();
  const miss = (
    to: string,
    from: string,
    relation: GraphEdge['relations'][number],
    found?: Entity,
  ) => {
    let entry = missing.get(to);
    if (!entry) {
      entry = found
        ? { reason: 'wrong-kind', kind: found.kind, namedBy: new Map() }
        : { reason: 'not-found', namedBy: new Map() };
      missing.set(to, entry);
    }
    const relations = entry.namedBy.get(from) ?? new Set();
    entry.namedBy.set(from, relations.add(relation));
  };
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
    const target = (to: string, relation: GraphEdge['relations'][number]) => {
      if (to === from || !isNodeKind(to)) return undefined;
      if (!index.get(to)) {
        miss(to, from, relation);
        return undefined;
      }
      const e = edge(from, to);
      e.relations.add(relation);
      return e;
    };
    for (const to of related(entity, 'dependsOn')) {
      target(to, 'dependsOn');
    }
    for (const api of related(entity, 'consumesApi')) {
      const apiEntity = index.get(api);
      if (!apiEntity || apiEntity.kind.toLocaleLowerCase('en-US') !== 'api') {
        miss(api, from, 'consumesApi', apiEntity);
        continue;
      }
      for (const to of related(apiEntity, 'apiProvidedBy')) {
        target(to, 'consumesApi')?.apis.add(api);
      }
    }
    for (const requirement of index.requirementsOf(from)) {
      const e = target(requirement.entityRef, 'requires');
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
