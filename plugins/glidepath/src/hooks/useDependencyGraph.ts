import { useApi } from '@backstage/core-plugin-api';
import type {
  DependencyGraph,
  GraphQuery,
} from '@glidepath/backstage-plugin-common';
import { useRef } from 'react';
import { glidepathApiRef } from '../api';
import { useRefreshable } from './useRefreshable';

/**
 * The dependency graph for a query, re-read when the query changes or on
 * refresh; nothing is read while the query is undefined.
 *
 * The first read starts while the component first renders rather than after
 * the page around it is committed: on a fresh load of an entity page the
 * whole page mounts at once, and the request would otherwise wait for it.
 */
export function useDependencyGraph(query: GraphQuery | undefined) {
  const api = useApi(glidepathApiRef);
  const key = JSON.stringify(query ?? null);
  const first = useRef<{
    key: string;
    graph?: Promise<DependencyGraph>;
  }>();
  if (!first.current) {
    const graph = query ? api.getDependencyGraph(query) : undefined;
    // Its failure is reported where it is awaited, below.
    graph?.catch(() => {});
    first.current = { key, graph };
  }
  return useRefreshable<DependencyGraph | undefined>(
    key,
    async () => {
      const started = first.current;
      if (started?.graph && started.key === key) {
        // Used once: a refresh reads again.
        first.current = { key: '' };
        return started.graph;
      }
      return query ? api.getDependencyGraph(query) : undefined;
    },
    [api],
  );
}
