import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CATALOG_FILTER_EXISTS,
  type GetEntitiesRequest,
} from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_REQUIRES,
  DependencyGraph,
  GraphCheckResult,
  GraphDirection,
  GraphQuery,
  GraphScope,
  normalizeEntityRef,
  ProposedChange,
} from '@glidepath/backstage-plugin-common';
import {
  buildGraph,
  serializeGraph,
  checkChanges,
  EntityIndex,
  GRAPH_FIELDS,
  isNodeKind,
} from './catalogGraph';
import type { ReleaseStore } from '../releases/ReleaseStore';
import { entityKey, parseRefParameter } from '../shared/refs';
import {
  CatalogSnapshot,
  GRAPH_CATALOG_FILTER,
  SnapshotRead,
} from './CatalogSnapshot';
import { EncodedJson } from './EncodedJson';

/** The deepest neighbourhood the API serves. */
export const MAX_GRAPH_DEPTH = 10;
/** Refs per by-refs request: well inside the catalog client's own chunking. */
const REFS_PER_CALL = 500;

/** What one request cost, for the Server-Timing header and the benchmark. */
export type GraphTiming = {
  catalogCalls: number;
  catalogMs: number;
  storeMs: number;
  buildMs: number;
  /** How old the shared catalog snapshot was, when one served the request. */
  snapshotAgeMs?: number;
  /** True when the answer was built earlier on the same snapshot and releases. */
  cached?: boolean;
};

/** Graphs kept per catalog snapshot (the snapshot's refresh drops them). */
export const GRAPH_CACHE_ENTRIES = 8;

type CachedGraph = { releases: string; body: EncodedJson<DependencyGraph> };

/** Counts and times the catalog calls of one request. */
class CatalogReader {
  calls = 0;
  ms = 0;
  constructor(
    private readonly catalog: CatalogService,
    private readonly credentials: BackstageCredentials,
  ) {}

  private async timed<T>(fn: () => Promise<T>): Promise<T> {
    const start = performance.now();
    this.calls++;
    try {
      return await fn();
    } finally {
      this.ms += performance.now() - start;
    }
  }

  async entities(filter: GetEntitiesRequest['filter']): Promise<Entity[]> {
    const { items } = await this.timed(() =>
      this.catalog.getEntities(
        { filter, fields: GRAPH_FIELDS },
        { credentials: this.credentials },
      ),
    );
    return items;
  }

  /** The entities with these refs; refs the catalog does not return are missing. */
  async byRefs(
    refs: string[],
  ): Promise<{ found: Entity[]; missing: string[] }> {
    const found: Entity[] = [];
    const missing: string[] = [];
    for (let i = 0; i < refs.length; i += REFS_PER_CALL) {
      const chunk = refs.slice(i, i + REFS_PER_CALL);
      const { items } = await this.timed(() =>
        this.catalog.getEntitiesByRefs(
          { entityRefs: chunk, fields: GRAPH_FIELDS },
          { credentials: this.credentials },
        ),
      );
      items.forEach((item, j) =>
        item ? found.push(item) : missing.push(chunk[j]),
      );
    }
    return { found, missing };
  }

  async exists(ref: string): Promise<boolean> {
    const entity = await this.timed(() =>
      this.catalog.getEntityByRef(ref, { credentials: this.credentials }),
    );
    return Boolean(entity);
  }
}

function scopeRef(value: string, kind: string, parameter: string): string {
  if (parameter === 'entity') {
    const ref = parseRefParameter(value, parameter, kind);
    if (!isNodeKind(ref)) {
      throw new InputError(
        `entity "${value}" is a ${
          ref.split(':')[0]
        }: the graph is drawn around a component or a resource`,
      );
    }
    return ref;
  }
  return parseRefParameter(
    value,
    parameter,
    kind,
    parameter === 'owner' ? ['group', 'user'] : [kind],
  );
}

function relatedTo(entity: Entity, type: string, ref: string): boolean {
  return (entity.relations ?? []).some(
    r => r.type === type && normalizeEntityRef(r.targetRef) === ref,
  );
}

/**
 * The dependency graph and the check of proposed changes: the catalog read
 * with the caller's credentials in a bounded number of calls, the deployed
 * versions from the store, and the pure functions of catalogGraph.ts in between.
 */
export class GraphService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      store: Pick<ReleaseStore, 'listLatestReleases'> &
        Partial<Pick<ReleaseStore, 'releasesVersion'>>;
      /** Without these two, every request reads the catalog as its caller. */
      permissions?: PermissionsService;
      snapshot?: CatalogSnapshot;
      now?: () => Date;
    },
  ) {}

  /**
   * Answers built on a snapshot, by query: a caller who may read every
   * entity asks the same graph of the same catalog often (the portal's pages
   * refresh), and while no release changed it is the same answer.
   */
  private readonly cache = new WeakMap<EntityIndex, Map<string, CachedGraph>>();

  /** The shared snapshot, when the caller may read every entity. */
  private async snapshotFor(
    credentials: BackstageCredentials,
  ): Promise<SnapshotRead | undefined> {
    const { permissions, snapshot } = this.deps;
    if (!permissions || !snapshot) return undefined;
    const [decision] = await permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW
      ? snapshot.read()
      : undefined;
  }

  private timing(
    reader: CatalogReader,
    snap: SnapshotRead | undefined,
    storeMs: number,
    buildMs: number,
  ): GraphTiming {
    const now = this.deps.now?.() ?? new Date();
    return {
      catalogCalls: reader.calls + (snap?.calls ?? 0),
      catalogMs: reader.ms + (snap?.catalogMs ?? 0),
      storeMs,
      buildMs,
      snapshotAgeMs: snap
        ? Math.max(0, now.getTime() - snap.takenAt.getTime())
        : undefined,
    };
  }

  async getGraph(
    query: GraphQuery,
    credentials: BackstageCredentials,
  ): Promise<{
    graph: DependencyGraph;
    /** The graph as the response body (kept serialised when cached). */
    body: EncodedJson<DependencyGraph>;
    timing: GraphTiming;
  }> {
    const given = (['entity', 'system', 'domain', 'owner'] as const).filter(
      key => query[key] !== undefined && query[key] !== '',
    );
    if (given.length > 1) {
      throw new InputError(
        `Give at most one of entity, system, domain and owner, not ${given.join(
          ' and ',
        )}`,
      );
    }
    if (
      query.depth !== undefined &&
      !(
        Number.isInteger(query.depth) &&
        query.depth >= 0 &&
        query.depth <= MAX_GRAPH_DEPTH
      )
    ) {
      throw new InputError(
        `depth must be an integer from 0 to ${MAX_GRAPH_DEPTH}, not ${query.depth}`,
      );
    }
    const type: GraphScope['type'] = given.length ? given[0] : 'all';
    const direction = query.direction ?? 'both';
    const reader = new CatalogReader(this.deps.catalog, credentials);
    const snap = await this.snapshotFor(credentials);
    let index = new EntityIndex();
    let roots: string[];
    let depth: number;
    let ref: string | null = null;
    let missing: string[] = [];

    if (type === 'entity') {
      ref = scopeRef(query.entity!, 'component', 'entity');
      depth = query.depth ?? 2;
      if (snap?.index.get(ref)) {
        index = snap.index;
      } else {
        // Not in the snapshot (or no snapshot): read it as the caller, which
        // also finds an entity registered since the snapshot was taken.
        missing = await this.loadNeighbourhood(
          reader,
          index,
          ref,
          depth,
          direction,
        );
      }
      roots = [ref];
    } else {
      if (type !== 'all') {
        ref = scopeRef(query[type]!, type === 'owner' ? 'group' : type, type);
      }
      depth = type === 'all' ? Infinity : query.depth ?? 1;
      if (snap) {
        index = snap.index;
      } else {
        for (const entity of await reader.entities(GRAPH_CATALOG_FILTER)) {
          index.add(entity);
        }
      }
      roots = this.membersOf(index, type, ref);
      // A system or domain is in the index; an owner is known by what it
      // owns. Otherwise ask the catalog, to tell "empty" from "unknown".
      const known =
        type === 'all' ||
        (type === 'owner' ? roots.length > 0 : Boolean(index.get(ref!)));
      if (!known && !(await reader.exists(ref!))) {
        throw new NotFoundError(`No ${type} ${ref} in the catalog`);
      }
    }

    const storeStart = performance.now();
    const scope: GraphScope = {
      type,
      ref,
      depth: Number.isFinite(depth) ? depth : null,
      direction,
    };
    // Only graphs of the shared snapshot are kept: anything read as the
    // caller may differ from one caller to the next.
    const cacheable =
      snap !== undefined &&
      index === snap.index &&
      this.deps.store.releasesVersion !== undefined;
    const releases = cacheable
      ? await this.deps.store.releasesVersion!()
      : undefined;
    const key = JSON.stringify([
      scope,
      [...(query.kind ?? [])].sort(),
      [...(query.lifecycle ?? [])].sort(),
    ]);
    const cached = cacheable ? this.cache.get(index)?.get(key) : undefined;
    if (cached && cached.releases === releases) {
      return {
        graph: cached.body.value,
        body: cached.body,
        timing: {
          ...this.timing(reader, snap, performance.now() - storeStart, 0),
          cached: true,
        },
      };
    }
    // A scope's graph is picked from the whole catalog: read every head
    // release at once rather than thousands of refs as parameters.
    const latest = await this.deps.store.listLatestReleases(
      type === 'entity' ? index.nodeRefs() : undefined,
    );
    const storeMs = performance.now() - storeStart;

    const buildStart = performance.now();
    const graph = buildGraph(index, {
      scope,
      roots,
      depth,
      direction,
      kinds: query.kind,
      lifecycles: query.lifecycle,
      latest,
      missing,
      now: this.deps.now?.() ?? new Date(),
      // The same query's answer before a release changed: what did not
      // change is reused, and not serialised again.
      previous: cached?.body.value,
    });
    const body = new EncodedJson(graph, serializeGraph);
    if (cacheable) {
      let entries = this.cache.get(index);
      if (!entries) {
        entries = new Map();
        this.cache.set(index, entries);
      }
      entries.delete(key);
      entries.set(key, { releases: releases!, body });
      // The oldest first out.
      while (entries.size > GRAPH_CACHE_ENTRIES) {
        entries.delete(entries.keys().next().value!);
      }
    }
    return {
      graph,
      body,
      timing: this.timing(
        reader,
        snap,
        storeMs,
        performance.now() - buildStart,
      ),
    };
  }

  async checkChanges(
    changes: ProposedChange[],
    credentials: BackstageCredentials,
  ): Promise<{ result: GraphCheckResult; timing: GraphTiming }> {
    const normalised = changes.map((change, i) => ({
      ...change,
      entityRef: (() => {
        try {
          return scopeRef(change.entityRef, 'component', 'entity');
        } catch (error) {
          throw new InputError(
            `changes[${i}].entityRef: ${(error as Error).message}`,
          );
        }
      })(),
    }));
    const reader = new CatalogReader(this.deps.catalog, credentials);
    const snap = await this.snapshotFor(credentials);
    let index = snap?.index;
    if (!index) {
      index = new EntityIndex();
      for (const entity of await reader.entities(GRAPH_CATALOG_FILTER)) {
        index.add(entity);
      }
    }
    const storeStart = performance.now();
    const latest = await this.deps.store.listLatestReleases(
      normalised.map(c => c.entityRef),
    );
    const storeMs = performance.now() - storeStart;
    const buildStart = performance.now();
    const result = checkChanges(index, latest, normalised);
    return {
      result,
      timing: this.timing(
        reader,
        snap,
        storeMs,
        performance.now() - buildStart,
      ),
    };
  }

  private membersOf(
    index: EntityIndex,
    type: GraphScope['type'],
    ref: string | null,
  ): string[] {
    const nodes = index.nodeRefs();
    switch (type) {
      case 'system':
        return nodes.filter(n => relatedTo(index.get(n)!, 'partOf', ref!));
      case 'domain': {
        const systems = new Set(
          [...index.entities.values()]
            .filter(e => e.kind.toLocaleLowerCase('en-US') === 'system')
            .filter(e => relatedTo(e, 'partOf', ref!))
            .map(entityKey),
        );
        return nodes.filter(n =>
          (index.get(n)!.relations ?? []).some(
            r =>
              r.type === 'partOf' &&
              systems.has(normalizeEntityRef(r.targetRef)),
          ),
        );
      }
      case 'owner':
        return nodes.filter(n => relatedTo(index.get(n)!, 'ownedBy', ref!));
      default:
        return nodes;
    }
  }

  /**
   * Breadth-first from the root, one hop per round: the APIs of the frontier
   * in one call, then the unseen neighbours in one call (in chunks of 500
   * refs). With dependents, one more call up front finds every entity with a
   * glidepath.dev/requires annotation, since requirements have no reverse
   * relation in the catalog; and one last call for the APIs the nodes found
   * consume, so that every edge among them is seen. At most 3 + 2 x depth
   * calls (plus chunks),
   * whatever the size of the catalog. Returns the refs the catalog did not
   * return.
   */
  private async loadNeighbourhood(
    reader: CatalogReader,
    index: EntityIndex,
    root: string,
    depth: number,
    direction: GraphDirection,
  ): Promise<string[]> {
    const first = await reader.byRefs([root]);
    if (!first.found.length) {
      throw new NotFoundError(`No entity ${root} in the catalog`);
    }
    index.add(first.found[0]);
    if (direction !== 'dependencies' && depth > 0) {
      for (const entity of await reader.entities({
        [`metadata.annotations.${ANNOTATION_REQUIRES}`]: CATALOG_FILTER_EXISTS,
      })) {
        index.add(entity);
      }
    }
    const missing: string[] = [];
    const visited = new Set([root]);
    let frontier = [root];
    for (let level = 1; level <= depth && frontier.length; level++) {
      const apis = [
        ...new Set(frontier.flatMap(ref => index.apisOf(ref, direction))),
      ].filter(api => !index.get(api));
      if (apis.length) {
        (await reader.byRefs(apis)).found.forEach(e => index.add(e));
      }
      const next = [
        ...new Set(frontier.flatMap(ref => index.neighboursOf(ref, direction))),
      ].filter(ref => !visited.has(ref));
      const unknown = next.filter(ref => !index.get(ref));
      if (unknown.length) {
        const fetched = await reader.byRefs(unknown);
        fetched.found.forEach(e => index.add(e));
        missing.push(...fetched.missing);
      }
      next.forEach(ref => visited.add(ref));
      frontier = next.filter(ref => index.get(ref));
    }
    // An edge between two nodes already found can run through an API that
    // no hop needed (between two nodes of the last hop, or consumed by a
    // dependent): one more call for every API they consume.
    const consumed = [
      ...new Set(
        [...visited]
          .filter(ref => index.get(ref))
          .flatMap(ref => index.apisOf(ref, 'dependencies')),
      ),
    ].filter(api => !index.get(api));
    if (consumed.length) {
      (await reader.byRefs(consumed)).found.forEach(e => index.add(e));
    }
    return missing.map(normalizeEntityRef);
  }
}
