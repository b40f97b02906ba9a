import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { EntityIndex, GRAPH_FIELDS } from './entityIndex';

/** The kinds a graph is built from: its nodes, the APIs between them, scopes. */
export const GRAPH_CATALOG_FILTER = {
  kind: ['component', 'resource', 'api', 'system', 'domain'],
};

/** A snapshot and whether reading it took a catalog call. */
export type SnapshotRead = {
  index: EntityIndex;
  takenAt: Date;
  /** Catalog calls this read waited for: 1 when it loaded, else 0. */
  calls: number;
  catalogMs: number;
};

/**
 * One shared copy of the catalog's graph entities, read with the backend's
 * own credentials, for the callers the permission framework lets read every
 * entity. It is at most `maxAgeMs` old when served fresh; up to ten times
 * that it is served while a refresh runs in the background (one at a time);
 * older, a request waits for the refresh. Built once per refresh, its
 * index also keeps the edges, node fields and recent layouts, so a graph
 * request does no catalog call and little work.
 */
export class CatalogSnapshot {
  private current?: { index: EntityIndex; takenAt: number };
  private refreshing?: Promise<{ index: EntityIndex; takenAt: number }>;
  private lastLoadMs = 0;

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      maxAgeMs: number;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  async read(): Promise<SnapshotRead> {
    const current = this.current;
    const age = current ? this.now() - current.takenAt : Infinity;
    if (current && age <= this.deps.maxAgeMs) {
      return this.served(current, 0, 0);
    }
    if (current && age <= 10 * this.deps.maxAgeMs) {
      this.refresh().catch(error =>
        this.deps.logger.warn(
          `Could not refresh the dependency graph's catalog snapshot; serving the one from ${new Date(
            current.takenAt,
          ).toISOString()}: ${error}`,
        ),
      );
      return this.served(current, 0, 0);
    }
    const fresh = await this.refresh();
    return this.served(fresh, 1, this.lastLoadMs);
  }

  private served(
    snapshot: { index: EntityIndex; takenAt: number },
    calls: number,
    catalogMs: number,
  ): SnapshotRead {
    return {
      index: snapshot.index,
      takenAt: new Date(snapshot.takenAt),
      calls,
      catalogMs,
    };
  }

  private refresh(): Promise<{ index: EntityIndex; takenAt: number }> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async load(): Promise<{ index: EntityIndex; takenAt: number }> {
    const takenAt = this.now();
    const start = performance.now();
    const { items } = await this.deps.catalog.getEntities(
      { filter: GRAPH_CATALOG_FILTER, fields: GRAPH_FIELDS },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    this.lastLoadMs = performance.now() - start;
    const index = new EntityIndex();
    for (const entity of items) index.add(entity);
    // Computed here, once, rather than by the first request that needs it.
    index.whole();
    this.current = { index, takenAt };
    return this.current;
  }
}
