import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  type CompoundEntityRef,
  type Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** How long an entity read for a person is reused (as TechDocs does, 5 s). */
export const ENTITY_READ_TTL_MS = 5_000;
/** How many reads are kept at most (the oldest go first). */
const ENTITY_READS_KEPT = 5_000;

/**
 * The catalog, with `getEntityByRef` and `getEntitiesByRefs` answered from a
 * short memory for each caller: an entity page asks for the summary, the current release and the
 * history at once, and again on every signal, and each read is a request to
 * the catalog with its own permission check. Reads asked at the same time by
 * the same caller share one request; an entity found is reused for
 * {@link ENTITY_READ_TTL_MS} (a change of the entity or of the caller's
 * access shows after at most that long, as TechDocs' entity loader does). A
 * read that finds nothing, or fails, is not kept. Callers without a user or
 * service principal are not cached.
 */
export function withCachedEntityReads(
  catalog: CatalogService,
  options: { ttlMs?: number; now?: () => number } = {},
): CatalogService {
  const ttlMs = options.ttlMs ?? ENTITY_READ_TTL_MS;
  const now = options.now ?? Date.now;
  const reads = new Map<
    string,
    { entity: Promise<Entity | undefined>; until: number }
  >();

  /** Keeps a read under `key` while asked, and afterwards only if found. */
  const remember = (key: string, entity: Promise<Entity | undefined>) => {
    const entry = { entity, until: Number.POSITIVE_INFINITY };
    reads.set(key, entry);
    if (reads.size > ENTITY_READS_KEPT) {
      reads.delete(reads.keys().next().value!);
    }
    entity.then(
      found => {
        if (found && reads.get(key) === entry) {
          entry.until = now() + ttlMs;
        } else if (reads.get(key) === entry) {
          reads.delete(key);
        }
      },
      () => {
        if (reads.get(key) === entry) reads.delete(key);
      },
    );
    return entity;
  };
  const kept = (key: string) => {
    const read = reads.get(key);
    if (read && read.until > now()) return read.entity;
    reads.delete(key);
    return undefined;
  };
  const refKey = (entityRef: string | CompoundEntityRef) =>
    (typeof entityRef === 'string'
      ? entityRef
      : stringifyEntityRef(entityRef)
    ).toLocaleLowerCase('en-US');

  const getEntityByRef: CatalogService['getEntityByRef'] = (
    entityRef: string | CompoundEntityRef,
    requestOptions: { credentials: BackstageCredentials },
  ) => {
    const caller = callerKey(requestOptions.credentials);
    if (!caller) return catalog.getEntityByRef(entityRef, requestOptions);
    const key = `${caller}\n${refKey(entityRef)}`;
    return (
      kept(key) ??
      remember(key, catalog.getEntityByRef(entityRef, requestOptions))
    );
  };

  /**
   * Several entities by ref, each kept as `getEntityByRef` keeps one (for
   * the same fields): refs read a moment ago are answered from memory, the
   * others asked of the catalog in one request. A request with a filter
   * goes to the catalog as it is.
   */
  const getEntitiesByRefs: CatalogService['getEntitiesByRefs'] = async (
    request,
    requestOptions,
  ) => {
    const caller = callerKey(requestOptions.credentials);
    if (!caller || request.filter) {
      return catalog.getEntitiesByRefs(request, requestOptions);
    }
    const fields = request.fields ? [...request.fields].sort().join(',') : '*';
    const keyOf = (ref: string) => `${caller}\n${fields}\n${refKey(ref)}`;
    const answers = new Map<string, Promise<Entity | undefined>>();
    const missing = new Map<string, string>();
    for (const ref of request.entityRefs) {
      const key = keyOf(ref);
      if (answers.has(key) || missing.has(key)) continue;
      const entity = kept(key);
      if (entity) answers.set(key, entity);
      else missing.set(key, ref);
    }
    if (missing.size) {
      const batch = catalog.getEntitiesByRefs(
        { ...request, entityRefs: [...missing.values()] },
        requestOptions,
      );
      [...missing.keys()].forEach((key, i) => {
        answers.set(
          key,
          remember(
            key,
            batch.then(({ items }) => items[i] ?? undefined),
          ),
        );
      });
    }
    const items = await Promise.all(
      request.entityRefs.map(ref => answers.get(keyOf(ref))!),
    );
    return { items };
  };

  return new Proxy(catalog, {
    get(target, key) {
      if (key === 'getEntityByRef') return getEntityByRef;
      if (key === 'getEntitiesByRefs') return getEntitiesByRefs;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Whose read it is: a user or a service; undefined for anyone else. */
export function callerKey(
  credentials: BackstageCredentials,
): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return `user:${principal.userEntityRef}`;
  }
  if (principal.type === 'service' && principal.subject) {
    return `service:${principal.subject}`;
  }
  return undefined;
}
