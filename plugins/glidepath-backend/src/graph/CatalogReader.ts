/*
 * The catalog read with the caller's credentials, in a bounded number of
 * calls: what the GraphService reads when no shared snapshot serves it.
 */
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  type GetEntitiesRequest,
} from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_REQUIRES,
  GraphDirection,
  normalizeEntityRef,
} from '@glidepath/backstage-plugin-common';
import { EntityIndex, GRAPH_FIELDS } from './entityIndex';

/** Refs per by-refs request: well inside the catalog client's own chunking. */
const REFS_PER_CALL = 500;

/** Counts and times the catalog calls of one request. */
export class CatalogReader {
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
export async function loadNeighbourhood(
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
