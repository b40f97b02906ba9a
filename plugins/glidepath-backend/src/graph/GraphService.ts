import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DependencyGraph,
  EnvironmentDefinition,
  GraphCheckResult,
  GraphQuery,
  GraphScope,
  ProposedChange,
} from '@glidepath/backstage-plugin-common';
import { buildGraph } from './buildGraph';
import { CatalogReader, loadNeighbourhood } from './CatalogReader';
import { checkChanges } from './checkChanges';
import { EntityIndex } from './entityIndex';
import { membersOf, nodeRef, scopeRef } from './graphScope';
import { serializeGraph } from './serializeGraph';
import type { ReleaseStore } from '../releases/ReleaseStore';
import {
  CatalogSnapshot,
  GRAPH_CATALOG_FILTER,
  SnapshotRead,
} from './CatalogSnapshot';
import { EncodedJson } from './EncodedJson';

/** The deepest neighbourhood the API serves. */
export const MAX_GRAPH_DEPTH = 10;

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

/**
 * The dependency graph and the check of proposed changes: the catalog read
 * with the caller's credentials in a bounded number of calls, the deployed
 * versions from the store, and the pure functions of buildGraph.ts and
 * checkChanges.ts in between.
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
      /** The organisation's environments: nodes list theirs in this order. */
      environments?: readonly EnvironmentDefinition[];
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
        missing = await loadNeighbourhood(reader, index, ref, depth, direction);
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
      roots = membersOf(index, type, ref);
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
      environments: this.deps.environments,
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
    // The same checks, and the same 400, as GET /graph's entity.
    const normalised = changes.map((change, i) => ({
      ...change,
      entityRef: nodeRef(change.entityRef, `changes[${i}].entityRef`),
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
}
